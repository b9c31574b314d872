"""Whether anything a build reads changed since the last one (make's question, asked of stats).

A build with nothing changed still loads the cache's records and the site model and plans
every page: about 2 s for 20,000 reports. But it only ever finds that the output is what it
is. So a successful build stores a stamp of everything it read (`input_stamp`) with what it
answered (`Finished`), and the next build of a `Builder` that has nothing in memory yet
compares: when the stamp is the same it gives the same answer, in a tenth of a second.

The stamp covers the site's inputs (`ogpsite.yml`, and every file below `content/`,
`templates/` and `themes/`: path, mtime, size, inode, ctime), ogpsite's code and library
versions, the build's options, the day (future-dated reports and their warnings depend on
it), whether Pagefind is installed, and the output folder; the answer is the same only while
that folder's marker names the tree the build left there (a folder deleted, or rebuilt by
another build, is not the one the answer was for). A symbolic link
anywhere below them makes no stamp: the link's own stat does not change with its target.
A stamp is stored only when every input is older than `cache.RACY_NS` when it was taken
(git's "racily clean" rule: a file written again in the same clock tick keeps its mtime), or,
as git does for racily clean entries, once the build has shown the racy ones unchanged: when it
ends past their racy time, each racy file (a report file) still has its stat and holds the bytes
the build read (`incremental.Builder`).
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Problem
from ..sources.config import CONFIG_FILE
from .cache import RACY_NS, FileStat, code_fingerprint, stat_fields

INPUT_FOLDERS = ("content", "templates", "themes")
STORED_AS = "finished"  # the cache value (`BuildCache.value`) holding the last `Finished`


@dataclass(frozen=True)
class Stamp:
    """What `input_stamp` found: the digest, and the inputs it cannot vouch for by their stat."""

    digest: str
    racy: dict[str, FileStat]  # shown path -> stat of each input changed within `RACY_NS` of the stamp (`cache.stat_fields`)

    @property
    def storable(self) -> bool:
        return not self.racy


@dataclass(frozen=True)
class Finished:
    """A successful build's answer, and the stamp of what it read."""

    stamp: str
    tree: str  # the name the output folder's marker gave it after the build (`outdir.marker_id`)
    files: int
    reports: int
    warnings: list[Problem]


class _SymbolicLink(Exception):
    """A link below the inputs: no stamp can vouch for what it points to."""


def input_stamp(site_dir: Path, output_dir: Path, options: str, search_installed: bool) -> Stamp | None:
    """The stamp of what a build of `site_dir` into `output_dir` reads (`options`: everything
    else it is given, as text); None when there can be none (a symbolic link among the inputs)."""
    taken_at = time.time_ns()
    hasher = hashlib.sha256()
    for part in (code_fingerprint(), options, str(search_installed), os.fspath(output_dir)):
        hasher.update(part.encode("utf-8", "surrogateescape") + b"\0")
    racy: dict[str, FileStat] = {}
    since = taken_at - RACY_NS
    try:
        _add_file(hasher, site_dir / CONFIG_FILE, CONFIG_FILE, since, racy)
        for folder in INPUT_FOLDERS:
            path = os.path.join(site_dir, folder)
            if os.path.islink(path):
                raise _SymbolicLink(folder)
            _add_tree(hasher, path, folder, since, racy)
    except _SymbolicLink:
        return None
    return Stamp(hasher.hexdigest(), racy)


def _add_file(hasher: "hashlib._Hash", path: Path, shown: str, since: int, racy: dict[str, FileStat]) -> None:
    """One file's stat into the stamp (a missing file counts too); into `racy` if it changed after `since`."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        hasher.update(f"{shown}\0missing\n".encode("utf-8", "surrogateescape"))
        return
    if stat.S_ISLNK(info.st_mode):
        raise _SymbolicLink(shown)
    _add_stat(hasher, shown, info, since, racy)


def _add_tree(hasher: "hashlib._Hash", directory: str, shown: str, since: int, racy: dict[str, FileStat]) -> None:
    """Every entry below `directory`, in name order."""
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        _add_file(hasher, Path(directory), shown, since, racy)
        return
    for entry in entries:
        if entry.is_symlink():
            raise _SymbolicLink(f"{shown}/{entry.name}")
        if entry.is_dir(follow_symlinks=False):
            _add_tree(hasher, entry.path, f"{shown}/{entry.name}", since, racy)
        else:
            _add_stat(hasher, f"{shown}/{entry.name}", entry.stat(follow_symlinks=False), since, racy)
    hasher.update(f"{shown}/\n".encode("utf-8", "surrogateescape"))  # an empty folder counts, as a folder


def _add_stat(hasher: "hashlib._Hash", shown: str, info: os.stat_result, since: int, racy: dict[str, FileStat]) -> None:
    fields = stat_fields(info)
    hasher.update(f"{shown}\0{fields[0]} {fields[1]} {fields[2]} {fields[3]}\n".encode("utf-8", "surrogateescape"))
    if fields[0] > since:  # as `cache.trusted_stat` judges: a write sets it to the clock's time
        racy[shown] = fields


def racy_unchanged(site_dir: Path, stamp: Stamp) -> bool:
    """Whether each racy input of `stamp` has the stat it had then (and is no link)."""
    for shown, fields in stamp.racy.items():
        try:
            info = os.lstat(site_dir / shown)
        except OSError:
            return False
        if stat.S_ISLNK(info.st_mode) or stat_fields(info) != fields:
            return False
    return True
