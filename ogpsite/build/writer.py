"""Output: one URL, one source; files written below a tree (`swap` prepares the trees)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ..core.errors import Problem

# A relative path none of whose parts is empty or starts with a dot (`.`, `..`, `.hidden`):
# already normal, which almost every output path is.
_PLAIN_PATH = re.compile(r"(?:[^/.][^/]*/)*[^/.][^/]*")


_PRODUCER_SEPARATOR = "\0"  # `source\0kind`: a producer shown by its source


class OutputPlan:
    """Every output path and what produces it; a second producer for one path is an error."""

    def __init__(self) -> None:
        self.sources: dict[str, str] = {}
        self.problems: list[Problem] = []

    def claim(self, path: str, source: str, line: int = 0, what: str = "", producer: str = "") -> None:
        """`source` produces `path` (as `producer`, when one source makes two kinds of output:
        a report's redirect page must not land on its own page)."""
        # Paths come from slugs and file names; `//` and `./` are normalised, `..` refused.
        normalized = path if _PLAIN_PATH.fullmatch(path) else "/".join(part for part in path.split("/") if part not in ("", "."))
        if path.startswith("/") or ".." in normalized.split("/"):
            self.problems.append(Problem(source, line, f"output path `{path}` leaves the output directory"))
            return
        producer = producer or source
        previous = self.sources.setdefault(normalized, producer)
        if previous != producer:
            shown = previous.partition(_PRODUCER_SEPARATOR)[0]
            self.problems.append(Problem(source, line, f"{what or f'`{normalized}`'} is also produced by {shown}: two sources for one URL"))


class Writer:
    """Writes files below one root, creating folders as needed. With `replacing`, a file
    already there is unlinked first, never written through: it may be a hard link to a
    published file (`swap`)."""

    def __init__(self, root: Path, replacing: bool = False) -> None:
        self.root = root
        self.replacing = replacing
        self._made: set[Path] = set()

    def _target(self, path: str) -> Path:
        target = self.root / path
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        if self.replacing:
            target.unlink(missing_ok=True)
        return target

    def text(self, path: str, content: str) -> None:
        self._target(path).write_text(content, encoding="utf-8", newline="\n")

    def copy(self, path: str, source: Path) -> None:
        shutil.copyfile(source, self._target(path))
