"""The persistent build cache, `.ogpsite-cache/` in the site folder.

Two things are kept between builds, both keyed so that a stale entry can never be used:

- per report file: what reading it and rendering its Markdown gave (the `Report`, its
  problems, the sanitised HTML before links are resolved), keyed by the file's bytes, its
  path and siblings, and the environment (ogpsite's code, library versions, sanitize
  settings);
- per output file: a digest of everything its content was made from (the page's data,
  the reports it shows, config, templates, code). An output whose digest is unchanged is
  neither rendered nor rewritten.

The cache is only an accelerator: deleting `.ogpsite-cache/` (or any file in it) makes the
next build a clean one, never a wrong one.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import metadata
from pathlib import Path

from . import __version__
from .config import SanitizeConfig
from .errors import Problem
from .markup import MarkdownRenderer
from .model import Report
from .parallel import map_chunks
from .reader import SourceFile, read_report

CACHE_DIR = ".ogpsite-cache"
FORMAT = 1  # bump when the layout of the pickled records changes
_SHARDS = 64  # report records are spread over this many files so an edit rewrites one small file
_LIBRARIES = ("markdown", "nh3", "jinja2", "markupsafe", "pyyaml", "wordfreq", "babel", "click")
_PACKAGE_DIR = Path(__file__).resolve().parent


def digest(*parts: str | bytes) -> str:
    """A hex digest of the parts, each length-prefixed so that ("ab", "c") != ("a", "bc")."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


@cache
def code_fingerprint() -> str:
    """ogpsite's own source and data files plus the versions of the libraries output depends on.

    Hashing the source (not just `__version__`) keeps a development checkout's cache honest.
    """
    parts: list[str | bytes] = [__version__, sys.version]
    for path in sorted(_PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix not in (".pyc",) and "__pycache__" not in path.parts:
            parts += [path.relative_to(_PACKAGE_DIR).as_posix(), path.read_bytes()]
    for name in _LIBRARIES:
        try:
            parts += [name, metadata.version(name)]
        except metadata.PackageNotFoundError:
            parts += [name, "absent"]
    return digest(*parts)


def tree_fingerprint(roots: Iterable[Path]) -> str:
    """Every file below `roots` (names and bytes): templates, theme files."""
    parts: list[str | bytes] = []
    for root in roots:
        parts.append(str(root))
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    parts += [path.relative_to(root).as_posix(), path.read_bytes()]
    return digest(*parts)


@dataclass
class SourceRecord:
    """What reading one report file gave; reusable while `key` matches."""

    key: str
    read_on: date  # `today` of the read: future-date warnings depend on it
    report: Report | None
    problems: list[Problem]
    html: str  # sanitised body HTML, links not yet resolved

    def valid_on(self, today: date) -> bool:
        """The future-date check gives the same answer today as on the day it ran."""
        if today == self.read_on:
            return True
        return self.report is not None and self.report.date <= min(today, self.read_on)


def source_key(environment: str, shown: str, data: bytes, siblings: tuple[str, ...], bundle: bool) -> str:
    return digest(environment, shown, data, "\0".join(siblings), str(bundle))


@dataclass
class OutputState:
    """What the output folder holds after the last successful build: path -> digest."""

    output_dir: str = ""
    files: dict[str, str] = field(default_factory=dict)
    search_key: str = ""  # digest of what the search index below `search.INDEX_DIR` was made from


Progress = Callable[[str, int], Callable[[int], None]]  # (label, total) -> advance(by)


def read_sources(sources: Sequence[SourceFile], today: date, sanitize: SanitizeConfig, cache: "BuildCache | None", progress: Progress | None = None) -> list[SourceRecord]:
    """Every report file read and its Markdown rendered, in `sources` order; unchanged files come from the cache."""
    environment = digest(code_fingerprint(), repr(sanitize))
    contents = [source.path.read_bytes() for source in sources]
    keys = [source_key(environment, source.shown, data, source.siblings, source.bundle) for source, data in zip(sources, contents)]
    records: list[SourceRecord | None] = []
    for source, key in zip(sources, keys):
        record = cache.record(source.shown) if cache else None
        records.append(record if record and record.key == key and record.valid_on(today) else None)
    missing = [index for index, record in enumerate(records) if record is None]

    def read_chunk(indices: Sequence[int]) -> list[tuple[int, SourceRecord]]:
        markdown = MarkdownRenderer(frozenset(sanitize.tags), {tag: frozenset(names) for tag, names in sanitize.attributes.items()})
        return [(index, _read_one(sources[index], contents[index], keys[index], today, markdown)) for index in indices]

    advance = progress("reading", len(missing)) if progress and missing else None
    for count, results in map_chunks(read_chunk, missing):
        for index, record in results:
            records[index] = record
            if cache:
                cache.put(sources[index].shown, record)
        if advance:
            advance(count)
    if cache:
        cache.forget_except({source.shown for source in sources})
    return records  # type: ignore[return-value]  # every None was filled above


def _read_one(source: SourceFile, data: bytes, key: str, today: date, markdown: MarkdownRenderer) -> SourceRecord:
    report, problems = read_report(source, today, data)
    html = markdown.render(report.body) if report is not None else ""
    return SourceRecord(key, today, report, problems, html)


class BuildCache:
    """The cache folder: report records (sharded) and the output state with its journal."""

    def __init__(self, site_dir: Path) -> None:
        self.root = site_dir / CACHE_DIR
        self.records: dict[str, SourceRecord] = {}
        self._dirty_shards: set[int] = set()

    # --- report records -------------------------------------------------------------
    def load_records(self) -> None:
        for number in range(_SHARDS):
            shard = self._load(self._shard_path(number))
            if isinstance(shard, dict):
                self.records.update(shard)

    def record(self, shown: str) -> SourceRecord | None:
        return self.records.get(shown)

    def put(self, shown: str, record: SourceRecord) -> None:
        self.records[shown] = record
        self._dirty_shards.add(_shard_of(shown))

    def forget_except(self, shown: set[str]) -> None:
        """Drop records of files that no longer exist."""
        for name in [name for name in self.records if name not in shown]:
            del self.records[name]
            self._dirty_shards.add(_shard_of(name))

    def save_records(self) -> None:
        if not self._dirty_shards:
            return
        shards: dict[int, dict[str, SourceRecord]] = {number: {} for number in self._dirty_shards}
        for shown, record in self.records.items():
            number = _shard_of(shown)
            if number in shards:
                shards[number][shown] = record
        for number, shard in shards.items():
            self._store(self._shard_path(number), shard)
        self._dirty_shards.clear()

    def _shard_path(self, number: int) -> Path:
        return self.root / "reports" / f"{number:02x}.pickle"

    # --- output state and its journal ---------------------------------------------
    # One state per output folder (`build --output` may name several), each with a journal
    # file that exists only while files are being moved into that folder.
    def output_state(self, output_dir: Path) -> OutputState:
        """What `output_dir` holds, or an empty state when unknown or possibly half-updated."""
        if self._journal(output_dir).exists() or not output_dir.is_dir():
            return OutputState(str(output_dir))
        state = self._load(self._state_path(output_dir))
        return state if isinstance(state, OutputState) and state.output_dir == str(output_dir) else OutputState(str(output_dir))

    def begin_apply(self, output_dir: Path) -> None:
        self._journal(output_dir).parent.mkdir(parents=True, exist_ok=True)
        self._journal(output_dir).write_text(f"updating {output_dir}\n", encoding="utf-8")
        self._state_path(output_dir).unlink(missing_ok=True)

    def end_apply(self, state: OutputState) -> None:
        output_dir = Path(state.output_dir)
        self._store(self._state_path(output_dir), state)
        self._journal(output_dir).unlink(missing_ok=True)

    def _state_path(self, output_dir: Path) -> Path:
        return self.root / "outputs" / f"{digest(str(output_dir))[:16]}.pickle"

    def _journal(self, output_dir: Path) -> Path:
        return self.root / "outputs" / f"{digest(str(output_dir))[:16]}.applying"

    # --- files ------------------------------------------------------------------------
    def _load(self, path: Path) -> object:
        try:
            with path.open("rb") as stream:
                stamp, value = pickle.load(stream)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return None  # missing or unreadable: a cache miss, never an error
        return value if stamp == FORMAT else None

    def _store(self, path: Path, value: object) -> None:
        """Write beside, then rename: a reader sees the old file or the new one."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as stream:
            pickle.dump((FORMAT, value), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)


def _shard_of(shown: str) -> int:
    return int(hashlib.md5(shown.encode("utf-8")).hexdigest()[:4], 16) % _SHARDS

