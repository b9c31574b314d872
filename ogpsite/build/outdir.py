"""The output folder is ogpsite's or it is refused; trees are swapped in with one rename.

A build writes only into a folder that is missing, empty, or marked (`MARKER`) as one an
earlier build wrote. Anything else (the site itself or a folder around it, a folder of the
site's sources, somebody's non-empty folder, a file, a device, a symbolic link) is refused
before anything is touched: a build never renames or deletes what is not its own.

A new tree is prepared apart, on the same file system, and swapped with the output folder in
one `renameat2(RENAME_EXCHANGE)` where Linux has it, so there is no moment without the
folder; elsewhere two renames, with a moment without it.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path

from ..core.errors import OgpsiteError
from .writer import Writer, link_new

MARKER = ".ogpsite-output"
MARKER_TEXT = "This folder is written by ogpsite: every build replaces what it holds. Keep nothing else here.\n"
_TREE_LINE = "tree: "  # then the tree's name (`marker_id`)
# The site's sources: an output that is one of them, inside one or around one is refused. The
# cache folder may hold outputs (`serve` previews into one), but is no output itself.
SOURCE_FOLDERS = ("content", "templates", "themes")
CACHE_FOLDER = ".ogpsite-cache"


class OutputRefused(OgpsiteError):
    """The output folder named is not ogpsite's to write."""


def guard(site_dir: Path, output_dir: Path, written_before: bool = False) -> None:
    """Raise OutputRefused unless a build may replace what `output_dir` holds.

    `written_before`: the site's cache recorded a build into this very path (an output folder
    of an ogpsite older than the marker)."""
    shown = str(output_dir)
    try:
        info = os.lstat(output_dir)
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise OutputRefused(f"output {shown} is a symbolic link: name a real folder (the one it points to, or a new one) with --output")
    if info is not None and not stat.S_ISDIR(info.st_mode):
        raise OutputRefused(f"output {shown} is {_kind(info.st_mode)}, not a folder: name a new folder with --output")
    _refuse_site_folders(site_dir, output_dir)
    if info is None or (output_dir / MARKER).is_file() or written_before:
        return
    with os.scandir(output_dir) as entries:
        if next(entries, None) is None:
            return
    raise OutputRefused(f"output {shown} holds files ogpsite did not write (it has no {MARKER} file): "
                        "name a new or empty folder with --output, or empty this one yourself")


def _refuse_site_folders(site_dir: Path, output_dir: Path) -> None:
    output = output_dir.resolve()
    site = site_dir.resolve()
    if output == site or output in site.parents:
        raise OutputRefused(f"output {output_dir} is the site folder or a folder around it: a build would replace the site (use the default, SITE/output)")
    for name in (*SOURCE_FOLDERS, CACHE_FOLDER):
        folder = (site / name).resolve()
        if output == folder or output in folder.parents or (name != CACHE_FOLDER and folder in output.parents):
            raise OutputRefused(f"output {output_dir} is inside or around the site's {name}/ folder: name a folder of its own with --output")


def _kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a folder (a socket or pipe)"


def write_marker(tree: Path, name: str = "") -> None:
    """Mark `tree` as ogpsite's; `name` (`marker_id`): what the cache knows it to hold. A new
    file: the marker there may be a hard link to another tree's."""
    (tree / MARKER).unlink(missing_ok=True)
    (tree / MARKER).write_text(f"{MARKER_TEXT}{_TREE_LINE}{name}\n" if name else MARKER_TEXT, encoding="utf-8")


def marker_id(tree: Path) -> str | None:
    """The name the tree's marker gives it: what the cache knows the tree to hold (the digest of
    its record, `BuildCache.store_tree_state`). It moves with the folder and with a copy of it:
    a cache folder restored from an archive (new inodes and times, as a CI runner's
    `actions/cache` gives) still knows its trees. None: no marker, or one naming nothing (a
    tree being made or changed, or one an older ogpsite wrote): an unknown tree."""
    try:
        descriptor = os.open(tree / MARKER, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)  # a link or a pipe is no marker
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as marker:
        if not stat.S_ISREG(os.fstat(marker.fileno()).st_mode):
            return None
        text = marker.read(4096)
    _, found, name = text.decode("utf-8", "replace").partition(_TREE_LINE)
    name = name.strip()
    return name if found and name.isalnum() else None


AT_FDCWD = -100
RENAME_EXCHANGE = 2


def _renameat2() -> object | None:
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    except OSError:
        return None


_RENAMEAT2 = _renameat2()


def exchange(prepared: Path, output: Path, aside: Path) -> bool:
    """Swap the folders `prepared` and `output`: whether the old output is now at `prepared`
    (when `output` was missing, `prepared` simply becomes it). Without RENAME_EXCHANGE,
    `output` goes to `aside` and on to `prepared`: for a moment there is no output folder."""
    if not output.exists():
        os.rename(prepared, output)
        return False
    if _RENAMEAT2 is not None:
        result = _RENAMEAT2(AT_FDCWD, os.fsencode(prepared), AT_FDCWD, os.fsencode(output), RENAME_EXCHANGE)  # type: ignore[operator]
        if result == 0:
            return True
        number = ctypes.get_errno()
        if number not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
            raise OSError(number, os.strerror(number), str(output))
    os.rename(output, aside)
    os.rename(prepared, output)
    os.rename(aside, prepared)
    return True


def remove_tree(path: Path) -> None:
    """Remove a folder of ogpsite's own (a tree it prepared or swapped out), if it is there."""
    shutil.rmtree(path, ignore_errors=True)
    if path.is_symlink() or path.is_file():
        path.unlink()


def link_tree(source: Path, target: Path) -> None:
    """A copy of the tree `source` at `target` (new) made of hard links, with a marker of its
    own giving the same name (it holds the same); copies where the file system has no hard links."""
    os.mkdir(target)
    for folder, folders, files in os.walk(source):
        relative = os.path.relpath(folder, source)
        into = target if relative == "." else target / relative
        for name in folders:
            os.mkdir(into / name)
        for name in files:
            if relative == "." and name == MARKER:
                continue
            link_new(os.path.join(folder, name), into / name)
    write_marker(target, marker_id(source) or "")


def link_listed(source: Path, target: Path, paths: Iterable[str]) -> None:
    """`link_tree` for a tree known to hold exactly `paths` (relative, with `/`) besides its
    marker: a clean build's, just written. Saves the walk's folder reads, which cost as much
    as the links (a twentieth of a cold build at 1,000 reports)."""
    os.mkdir(target)
    Writer(target).link_from(source, sorted(paths))  # a folder's files together
    write_marker(target, marker_id(source) or "")


def link_file(source: str | Path, target: str | Path) -> None:
    """`target` becomes a hard link to `source` (or a copy); a file already there is replaced,
    never written through (it may be a link to a published file)."""
    try:
        os.unlink(target)
    except FileNotFoundError:
        pass
    link_new(source, target)
