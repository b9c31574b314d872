"""Output: one URL, one source; the new site is built aside and swapped in whole.

A failed build removes its temporary directory and leaves the previous `output/` as it was.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ..core.errors import Problem

# A relative path none of whose parts is empty or starts with a dot (`.`, `..`, `.hidden`):
# already normal, which almost every output path is.
_PLAIN_PATH = re.compile(r"(?:[^/.][^/]*/)*[^/.][^/]*")


class OutputPlan:
    """Every output path and what produces it; a second producer for one path is an error."""

    def __init__(self) -> None:
        self.sources: dict[str, str] = {}
        self.problems: list[Problem] = []

    def claim(self, path: str, source: str) -> None:
        # Paths come from slugs and file names; `//` and `./` are normalised, `..` refused.
        normalized = path if _PLAIN_PATH.fullmatch(path) else "/".join(part for part in path.split("/") if part not in ("", "."))
        if path.startswith("/") or ".." in normalized.split("/"):
            self.problems.append(Problem(source, 0, f"output path `{path}` leaves the output directory"))
            return
        previous = self.sources.setdefault(normalized, source)
        if previous != source:
            self.problems.append(Problem(source, 0, f"`{normalized}` is also produced by {previous}: two sources for one URL"))


@contextmanager
def staged_output(output_dir: Path) -> Iterator[Path]:
    """Yields an empty directory beside `output_dir`; on success it replaces `output_dir`."""
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = output_dir.with_name(f".{output_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    retired = output_dir.with_name(f".{output_dir.name}.old-{os.getpid()}")
    if output_dir.exists():
        output_dir.rename(retired)
    staging.rename(output_dir)
    shutil.rmtree(retired, ignore_errors=True)


class Writer:
    """Writes files below one root, creating directories as needed; with `names`, each path is
    written to the file `names[path]` instead (where it is staged; its folder is there)."""

    def __init__(self, root: Path, names: Mapping[str, str] | None = None) -> None:
        self.root = root
        self.names = names
        self._made: set[Path] = set()

    def _target(self, path: str) -> Path:
        if self.names is not None:
            return Path(self.names[path])
        target = self.root / path
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        return target

    def text(self, path: str, content: str) -> None:
        self._target(path).write_text(content, encoding="utf-8", newline="\n")

    def copy(self, path: str, source: Path) -> None:
        shutil.copyfile(source, self._target(path))
