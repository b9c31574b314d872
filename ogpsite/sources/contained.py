"""Inputs stay inside the site: a symbolic link that leaves it, or loops, is a problem, never followed.

A report, attachment, registry, template, theme or static file is read only when its path,
followed through every link, stays below the site root (or, for the themes shipped with
ogpsite, below their own folder). A pull request that adds `ln -s /etc/shadow content/…`
must not publish the file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..core.errors import Problem


def link_problem(path: str | Path, root: Path, shown: str) -> Problem | None:
    """The problem with `path` if it is a symbolic link out of `root` (resolved), a loop or a
    link to nothing; None for anything else (a plain file or folder, a link that stays in)."""
    if not os.path.islink(path):
        return None
    try:
        target = Path(path).resolve(strict=True)
    except (OSError, RuntimeError) as error:  # RuntimeError: a loop, on Python before 3.13
        looped = isinstance(error, RuntimeError) or getattr(error, "errno", None) == 40
        what = "is a loop (it leads back to itself)" if looped else f"points to nothing ({os.readlink(path)})"
        return Problem(shown, 0, f"symlink {what}: remove it, or replace it with the file")
    if not target.is_relative_to(root.resolve()):
        return Problem(shown, 0, f"symlink points outside the site ({target}): copy the file into the site instead")
    return None


def walk_problems(folder: Path, root: Path, shown_root: Path) -> Iterator[Problem]:
    """`folder` itself and every link below it that leaves `root`, loops or points to nothing
    (links that stay inside are not followed here). Paths shown relative to `shown_root`."""
    itself = link_problem(folder, root, _shown(str(folder), shown_root))
    if itself is not None:
        yield itself
        return
    if not folder.is_dir():
        return
    for parent, folders, files in os.walk(folder):
        for name in folders + files:
            path = os.path.join(parent, name)
            problem = link_problem(path, root, _shown(path, shown_root))
            if problem is not None:
                yield problem


def _shown(path: str, shown_root: Path) -> str:
    try:
        return Path(path).relative_to(shown_root).as_posix()
    except ValueError:
        return path
