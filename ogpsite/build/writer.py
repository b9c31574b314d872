"""Output: one URL, one source; files written below a tree (`swap` prepares the trees); whole
files written and read with few system calls (`write_bytes`, `read_whole`)."""

from __future__ import annotations

import errno
import os
import re
import shutil
from collections.abc import Iterable
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
    published file (`swap`).

    A clean build writes some 4 files per report, nearly every one in a folder of its own, so
    the writer works on strings and makes each folder with one `mkdir`, parents first as its
    own record says (`Path.mkdir(parents=True)` tries the child, fails and retries: three
    system calls for a folder whose parent is new)."""

    def __init__(self, root: Path, replacing: bool = False) -> None:
        self.root = os.fspath(root)
        self.replacing = replacing
        self._made: set[str] = {""}  # folders known to exist, relative to the root ("" is the root)

    def _target(self, path: str) -> str:
        self._make_folder(path.rpartition("/")[0])
        target = os.path.join(self.root, path)
        if self.replacing:
            try:
                os.unlink(target)
            except FileNotFoundError:
                pass
        return target

    def _make_folder(self, folder: str) -> None:
        if folder in self._made:
            return
        self._make_folder(folder.rpartition("/")[0])
        try:
            os.mkdir(os.path.join(self.root, folder))
        except FileExistsError:  # made by another worker, or there from an earlier build
            pass
        self._made.add(folder)

    def text(self, path: str, content: str) -> None:
        write_bytes(self._target(path), content.encode("utf-8"))

    def copy(self, path: str, source: Path) -> None:
        shutil.copyfile(source, self._target(path))

    def link_from(self, source_root: str | Path, paths: Iterable[str]) -> None:
        """Each of `paths` a hard link to the same path below `source_root` (or a copy)."""
        source_root = os.fspath(source_root)
        for path in paths:
            link_new(os.path.join(source_root, path), self._target(path))

    def move_from(self, source_root: str | Path, paths: Iterable[str]) -> None:
        """Each of `paths` moved here from the same path below `source_root`, on the same file system (a rename)."""
        source_root = os.fspath(source_root)
        for path in paths:
            os.replace(os.path.join(source_root, path), self._target(path))


_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def write_bytes(target: str, data: bytes) -> None:
    """`data` as the whole of the file `target`. Three system calls: `open(target, "wb")` adds
    two `fstat`s, an `ioctl` and an `lseek` for its buffer, which a file written at once does not
    use (about 25 µs a file here: a second of a clean build's CPU at 20,000 reports)."""
    descriptor = os.open(target, _WRITE_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:  # a regular file takes it all in one call, unless a signal cuts it short
            view = view[os.write(descriptor, view):]
    finally:
        os.close(descriptor)


def read_whole(path: str) -> tuple[os.stat_result, bytes]:
    """A file's stat (of the file opened: taken before its bytes are read) and its bytes; the
    system calls of `write_bytes`' kind, for the same reason."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(descriptor)
        parts = [os.read(descriptor, info.st_size + 1)]  # one call for a file that does not grow meanwhile
        while parts[-1]:
            parts.append(os.read(descriptor, 1 << 20))
    finally:
        os.close(descriptor)
    return info, b"".join(parts)


def link_new(source: str | Path, target: str | Path) -> None:
    """`target` (where nothing is yet) a hard link to `source`, or a copy where the file system
    has no hard links between them."""
    try:
        os.link(source, target)
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copyfile(source, target)
