"""The persistent build cache, `.ogpsite-cache/` in the site folder.

Two things are kept between builds, both keyed so that a stale entry can never be used:

- per report file: what reading it and rendering its Markdown gave (the `Report`, its
  problems and summary; apart from them, the sanitised HTML before links are resolved),
  keyed by the file's bytes, its path and siblings, and the environment (ogpsite's code,
  library versions, sanitize settings). Apart from the records, a stat index (as git's) keeps
  each file's stat fields with the digest of its bytes: a file whose stat is unchanged is not
  read again (files changed within two seconds of being read are read again regardless, as
  git does, since their mtime may not have moved), and one whose stat moved but whose bytes
  did not (a fresh clone, a restored CI cache) costs a hash, not a parse;
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
import shutil
import sys
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, partial
from importlib import metadata
from pathlib import Path
from typing import BinaryIO, TypeVar

from .. import __version__, translit
from ..core import i18n
from ..core.errors import Problem
from ..core.model import Report, placement
from ..core.pages import PageSpec, report_page
from ..core.settings import SanitizeConfig
from ..sources.markup import MarkdownRenderer, first_paragraph_text, has_relative_target
from ..sources.reader import SourceFile, discover, read_report
from .outdir import marker_id
from .parallel import Started, map_chunks, started
from .writer import read_whole

T = TypeVar("T")

CACHE_DIR = ".ogpsite-cache"
FORMAT = 7  # bump when the layout of the pickled records changes
MOST_TREE_CHANGES = 0.25  # a tree's record is kept as changes to another while they are at most this share of its paths
# Records and HTML are spread over files so that an edit rewrites one small file, and a build
# that renders few pages loads few HTML files.
_SHARDS = 16
_HTML_SHARDS = 256
_STAT_INDEX = "stats.pickle"
_LIBRARIES = ("markdown", "nh3", "jinja2", "markupsafe", "pyyaml", "wordfreq", "babel", "click", "pagefind")
_PACKAGE_DIR = Path(__file__).resolve().parents[1]
# What reading a missing, damaged or stale cache file can raise: a cache miss, never an error.
_UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError)


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
    """Every file below `roots` (names and bytes): templates, theme files. A root counts by its
    place in `roots`, not its path: the same site built by another path (`--site .`, an absolute
    one, a copy) renders the same pages."""
    parts: list[str | bytes] = []
    for number, root in enumerate(roots):
        parts.append(str(number))
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    parts += [path.relative_to(root).as_posix(), path.read_bytes()]
    return digest(*parts)


FileStat = tuple[int, int, int, int]  # (mtime_ns, size, inode, ctime_ns)
# A file changed again within this long after its previous change can keep its mtime (the
# clock ticks coarsely); a record is trusted by stat alone only for files older than this
# when they were read (git's "racily clean" rule).
RACY_NS = 2_000_000_000


@dataclass
class SourceRecord:
    """What reading one report file gave; reusable while `key` matches.

    The Markdown source is not kept (`report.body` is empty) and the rendered HTML is
    stored apart (`BuildCache.html`): a build needs every report's fields for its indexes
    but the bodies only of the pages it renders.
    """

    key: str
    content: str  # digest of the file's bytes
    read_on: date  # `today` of the read: future-date warnings depend on it
    report: Report | None
    problems: list[Problem]
    summary: str  # the front matter's summary, or the body's first paragraph
    placement: str  # digest of `model.placement(report)`: where it is listed, what the site's checks say of it
    links: bool  # the body has relative links, to resolve against the other reports on every build
    # What `key` was made from besides the path and `content`: comparing it costs less than a hash.
    # (environment, bundle, siblings), as `source_key` takes them; the default: a record of older code, never matched
    made_with: tuple[str, bool, tuple[str, ...]] = ("", False, ())

    def valid_on(self, today: date) -> bool:
        """The future-date check gives the same answer today as on the day it ran."""
        if today == self.read_on:
            return True
        return self.report is not None and self.report.date <= min(today, self.read_on)


def file_stat(path: str | Path) -> FileStat:
    """The stat fields that change when a file is written."""
    return stat_fields(os.stat(path))


def stat_fields(info: os.stat_result) -> FileStat:
    """Of a stat, what a write changes (mtime, size, inode, ctime)."""
    return (info.st_mtime_ns, info.st_size, info.st_ino, info.st_ctime_ns)


Known = tuple[FileStat | None, str | None]  # a file's stat (None: not trusted) and the digest of its bytes (None: unreadable)


def file_content(path: str | Path, indexed: tuple[FileStat, str] | None) -> tuple[FileStat | None, str | None, bytes | None]:
    """`Known` of a file, and its bytes when they had to be read: not when `indexed` (the stat
    index's entry) has the file's stat. (None, None, None) for a file gone or unreadable."""
    try:
        if indexed is not None:
            current = file_stat(path)
            if indexed[0] == current:
                return current, indexed[1], None
        read_at = time.time_ns()  # before the stat: a write in between leaves a stat too new to trust
        info, data = read_whole(os.fspath(path))
    except OSError:
        return None, None, None
    return trusted_stat(stat_fields(info), read_at), digest(data), data


def scan_sources(site_dir: Path) -> tuple[list[SourceFile], list[Known]]:
    """The report files (`reader.discover`) and what each is (`Known`), for a second process
    to find while the first loads the records: the digests of the files the stat index does not
    vouch for are worked out here, at no cost to the build's time (a fresh clone's, all of them)."""
    index = BuildCache.stat_index(site_dir)
    sources = discover(site_dir)
    return sources, [file_content(source.path, index.get(source.shown))[:2] for source in sources]


Scan = Started[tuple[list[SourceFile], list[Known]]]  # `scan_sources` at work in a second process


def scan_started(site_dir: Path) -> Scan:
    """`scan_sources` of `site_dir` begun in a second process."""
    return started(partial(scan_sources, site_dir))


def scanned_while_loading(cache: "BuildCache", scanning: Scan | None = None) -> tuple[list[SourceFile], list[Known]]:
    """`cache.load_records()`, while a second process scans the site (`scan_sources`, or
    `scanning`, the scan begun earlier): on a warm build of a large archive each takes about as
    long as the other (a fresh clone's hashing all its files too)."""
    scanning = scanning or scan_started(cache.site_dir)
    try:
        cache.load_records()
    finally:  # the child is waited for even when loading fails
        scanned = scanning()
    return scanned


def source_key(environment: str, shown: str, content: str, siblings: tuple[str, ...], bundle: bool) -> str:
    # Checked for every file on every build: one hash of NUL-separated parts (no part holds a NUL:
    # two are hex digests, the others file names and paths).
    joined = "\0".join([environment, shown, content, str(bundle), *siblings])
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class OutputState:
    """What the output folder holds after the last successful build: path -> digest."""

    files: dict[str, str | bytes] = field(default_factory=dict)  # a page's digest is raw (`incremental._page_digest`), others hex
    search_keys: dict[str, str] = field(default_factory=dict)  # search shard -> digest of what its index below `search.INDEX_DIR` was made from


@dataclass(frozen=True)
class TreeChanges:
    """How a tree came to hold what it holds from another's (`before`, by its record's name):
    the paths removed, and those written or linked (their digests are the new state's)."""

    before: str
    removed: Collection[str]
    written: Collection[str]


@dataclass(frozen=True)
class _StateChanges:
    """A tree's record kept as changes to a whole record (`base`, by name): what a build
    changes is a few paths in hundreds of thousands (at 100,000 reports a whole record is
    57 MB, 0.5 s to write). Applied to the base: `removed` go (those the base lacks too),
    then `changed` are set."""

    base: str
    removed: frozenset[str]
    changed: dict[str, str | bytes]
    search_keys: dict[str, str]


Progress = Callable[[str, int], Callable[[int], None]]  # (label, total) -> advance(by)


@dataclass
class ReadSource:
    """One report file as this build sees it: its record, and its HTML when it was read just now."""

    record: SourceRecord
    html: str | None  # None: taken from the cache, fetch it with `BuildCache.html`


def read_sources(sources: Sequence[SourceFile], today: date, sanitize: SanitizeConfig, cache: "BuildCache | None", progress: Progress | None = None,
                 edited: Collection[str] | None = None, taken: Sequence[Known] | None = None, language: str = "sr") -> list[ReadSource]:
    """Every report file read and its Markdown rendered, in `sources` order.

    With a cache, a file whose stat is in the stat index is not even opened, and one whose
    bytes match its record is not parsed again. `edited`, when known (a file watcher saw every
    change since the records were made), names the only files that may have changed: the
    others are taken from the cache without a stat. `taken`: what each source is, when found
    already (`scan_sources`); one unreadable there is tried again. `language`: the site's, a
    report's own when it names none.
    """
    environment = digest(code_fingerprint(), repr(sanitize), language)
    results: list[ReadSource | None] = []
    contents: dict[int, tuple[bytes, str, FileStat | None]] = {}  # of the files read here: bytes, their digest, stat
    for index, source in enumerate(sources):
        record = cache.record(source.shown) if cache else None
        if edited is not None and record is not None and source.shown not in edited and record.valid_on(today):
            results.append(ReadSource(record, None))
            continue
        stat, content = taken[index] if taken else (None, None)
        if record is None and content is None:  # nothing to compare it with: read where it is parsed, on every core (`read_chunk`)
            results.append(None)
            continue
        data = None
        if content is None:
            stat, content, data = file_content(source.path, cache.stats.get(source.shown) if cache else None)
        if record is not None and record.content == content and record.made_with == (environment, source.bundle, source.siblings) \
                and record.valid_on(today):
            if cache:
                cache.index_stat(source.shown, stat, content)
            results.append(ReadSource(record, None))
            continue
        if data is None:  # hashed by `scan_sources` (or unreadable): read here, as the record is to be made from the bytes parsed
            read_at = time.time_ns()
            data = read_whole(source.path)[1]  # a file gone since it was found: an OSError, as any unreadable site file
            stat = trusted_stat(stat, read_at) if stat is not None else None
        contents[index] = (data, content if content is not None else digest(data), stat)
        results.append(None)
    missing = [index for index, result in enumerate(results) if result is None]

    def read_chunk(indices: Sequence[int]) -> list[tuple[int, ReadSource, FileStat | None]]:
        markdown = MarkdownRenderer(frozenset(sanitize.tags), {tag: frozenset(names) for tag, names in sanitize.attributes.items()})
        made = []
        for index in indices:
            source = sources[index]
            known = contents.get(index)
            if known is None:  # a file no record knows (every file, at a clean build): read now
                read_at = time.time_ns()
                info, data = read_whole(source.path)  # unreadable: an OSError, as any unreadable site file
                known = (data, digest(data), trusted_stat(stat_fields(info), read_at))
            data, content, stat = known
            key = source_key(environment, source.shown, content, source.siblings, source.bundle)
            made.append((index, _read_one(source, data, content, key, today, markdown, environment, language), stat))
        return made

    advance = progress("reading", len(missing)) if progress and missing else None
    for count, chunk_results in map_chunks(read_chunk, missing):
        for index, result, stat in chunk_results:
            results[index] = result
            if cache:
                cache.put(sources[index].shown, result)
                cache.index_stat(sources[index].shown, stat, result.record.content)
        if advance:
            advance(count)
    if cache and len(missing) == len(sources) and edited is None:  # with `edited`, `sources` may be a few of the files
        cache.read_every_report()
    if cache and edited is None:  # with `edited`, no file was created or deleted
        cache.forget_except({source.shown for source in sources})
    return results  # type: ignore[return-value]  # every None was filled above


def trusted_stat(stat: FileStat | None, read_at_ns: int) -> FileStat | None:
    """`stat` if it can vouch for the bytes read at `read_at_ns`: the file had not changed just before."""
    return stat if stat is not None and stat[0] <= read_at_ns - RACY_NS else None


def _read_one(source: SourceFile, data: bytes, content: str, key: str, today: date, markdown: MarkdownRenderer, environment: str, language: str) -> ReadSource:
    report, problems = read_report(source, today, data, language)
    html = markdown.render(report.body) if report is not None else ""
    summary = (report.summary or first_paragraph_text(html)) if report is not None else ""
    kept = replace(report, body="") if report is not None else None
    placed = digest(placement(kept)) if kept is not None else ""
    made_with = (environment, source.bundle, source.siblings)
    record = SourceRecord(key, content, today, kept, problems, summary, placed, has_relative_target(html), made_with)
    return ReadSource(record, html)


def read_html(source: SourceFile, sanitize: SanitizeConfig) -> str:
    """One report's body HTML read afresh: for a cache that lost it."""
    markdown = MarkdownRenderer(frozenset(sanitize.tags), {tag: frozenset(names) for tag, names in sanitize.attributes.items()})
    report, _ = read_report(source, date.max)
    return markdown.render(report.body) if report is not None else ""


class BuildCache:
    """The cache folder: report records and their HTML (each sharded), and what the output trees hold."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.root = site_dir / CACHE_DIR
        self.records: dict[str, SourceRecord] = {}
        # The stat index: shown -> (stat, digest of the bytes) of each file whose stat vouched for
        # its bytes when read. Apart from the records, as a new stat (a fresh clone gives every file
        # one) rewrites this one file, not every shard of records.
        self.stats: dict[str, tuple[FileStat, str]] = {}
        self._stats_dirty = False
        self._dirty_shards: set[int] = set()
        # The same records by shard, as stored: a save writes the changed shards as they are.
        self._shards: list[dict[str, SourceRecord]] = [{} for _ in range(_SHARDS)]
        # Body HTML by shard: shown -> (key, html), what `put` added over what the shard's file
        # held (merged in when first needed: `_html_shard`). `_html_merged`: the shards whose file
        # needs no merging: merged already, or made stale by a build that read every report.
        self._html_shards: dict[int, dict[str, tuple[str, str]]] = {}
        self._html_merged: set[int] = set()
        self._dirty_html: set[int] = set()
        self._site_model: tuple[str, object] | None = None  # (key, model) last loaded or saved
        self._states: dict[Path, OutputState] = {}  # output states this process wrote or read, by file
        self._changes: dict[Path, _StateChanges | None] = {}  # how each record of `_states` is kept: None, whole

    # --- report records -------------------------------------------------------------
    def load_records(self) -> None:
        for number in range(_SHARDS):
            shard = self._load(self._shard_path(number))
            if isinstance(shard, dict):
                self.records.update(shard)
                self._shards[number] = shard

        self.stats = self.stat_index(self.site_dir)

    def holds_records(self) -> bool:
        """Whether an earlier build left records: without any, every file is read and hashed by
        the build anyway, and a scan beside it (`scanned_while_loading`) only delays it (0.4 s at
        20,000 reports)."""
        return any(self._shard_path(number).is_file() for number in range(_SHARDS))

    @staticmethod
    def stat_index(site_dir: Path) -> dict[str, tuple[FileStat, str]]:
        index = BuildCache._load(site_dir / CACHE_DIR / _STAT_INDEX)
        return index if isinstance(index, dict) else {}

    def index_stat(self, shown: str, stat: FileStat | None, content: str) -> None:
        """What the stat index is to say of `shown`, read just now: nothing when its stat cannot vouch for it."""
        entry = (stat, content) if stat is not None else None
        if self.stats.get(shown) != entry:
            if entry is None:
                del self.stats[shown]
            else:
                self.stats[shown] = entry
            self._stats_dirty = True

    def record(self, shown: str) -> SourceRecord | None:
        return self.records.get(shown)

    def put(self, shown: str, result: ReadSource) -> None:
        self.records[shown] = self._shards[self._dirty(shown)][shown] = result.record
        # Not merged with the shard's file here: after ogpsite's code changed every report is read
        # again, and loading the HTML that all replaces only to free it left the memory it took
        # scattered through the heap (the build after a code change at 20,000 reports: 809 MB
        # when the rendering began, 615 MB without it; 517 MB for a cold build).
        number = _shard_of(shown, _HTML_SHARDS)
        self._html_shards.setdefault(number, {})[shown] = (result.record.key, result.html or "")
        self._dirty_html.add(number)

    def read_every_report(self) -> None:
        """Say that this build read every report file afresh and `put` each: what the HTML
        shards' files hold is stale, and is never loaded."""
        self._html_merged.update(range(_HTML_SHARDS))

    def html(self, shown: str) -> str | None:
        """The body HTML stored with the current record of `shown`; None when the cache lost it."""
        record = self.records.get(shown)
        stored = self._html_shard(_shard_of(shown, _HTML_SHARDS)).get(shown)
        return stored[1] if record is not None and stored is not None and stored[0] == record.key else None

    def forget_except(self, shown: set[str]) -> None:
        """Drop records of files that no longer exist."""
        for name in [name for name in self.records if name not in shown]:
            del self.records[name], self._shards[self._dirty(name)][name]
        for name in [name for name in self.stats if name not in shown]:
            del self.stats[name]
            self._stats_dirty = True

    def save_records(self) -> None:
        if self._stats_dirty:
            self._store(self.root / _STAT_INDEX, self.stats)
            self._stats_dirty = False
        if not self._dirty_shards and not self._dirty_html:
            return
        for number in sorted(self._dirty_shards):
            self._store(self._shard_path(number), self._shards[number])
        for number in sorted(self._dirty_html):
            kept = {shown: stored for shown, stored in self._html_shard(number).items() if shown in self.records}
            self._store(self._html_path(number), kept)
        self._dirty_shards.clear()
        self._dirty_html.clear()

    def _dirty(self, shown: str) -> int:
        """The number of the records shard of `shown`, marked to be saved."""
        number = _shard_of(shown, _SHARDS)
        self._dirty_shards.add(number)
        return number

    def _html_shard(self, number: int) -> dict[str, tuple[str, str]]:
        """Shard `number` whole: what its file holds, under what `put` added to it."""
        shard = self._html_shards.get(number, {})
        if number not in self._html_merged:
            loaded = self._load(self._html_path(number))
            if isinstance(loaded, dict):
                loaded.update(shard)
                shard = loaded
            self._html_merged.add(number)
        self._html_shards[number] = shard
        return shard

    def _shard_path(self, number: int) -> Path:
        return self.root / "reports" / f"{number:02x}.pickle"

    def _html_path(self, number: int) -> Path:
        return self.root / "html" / f"{number:02x}.pickle"

    # --- the site model (`build._site_model`), its reports the ones just read --------------
    def site_model(self, key: str, reports: dict[str, Report]) -> object | None:
        """What `save_site_model` stored under `key`, or None. Loaded from the file, it holds
        `reports` (by source); kept in memory (`serve`), it holds those of the build that stored it."""
        if self._site_model is not None and self._site_model[0] == key:
            return self._site_model[1]
        try:
            with (self.root / "site.pickle").open("rb") as stream:
                if stream.readline() != _header("site model", key):  # a stale model is not even unpickled
                    return None
                _reports_by_source.update(reports)
                model = pickle.load(stream)
        except (*_UNREADABLE, KeyError):  # KeyError: a report the model names is gone
            return None
        finally:
            _reports_by_source.clear()
        self._site_model = (key, model)
        return model

    def save_site_model(self, key: str, model: object) -> None:
        self._site_model = (key, model)

        def write(stream: BinaryIO) -> None:
            stream.write(_header("site model", key))
            _ReportsByReference(stream, protocol=pickle.HIGHEST_PROTOCOL).dump(model)

        began = time.perf_counter()
        _write_atomically(self.root / "site.pickle", write)
        self.store_value(_MODEL_DEBT, (self._model_stamp(), time.perf_counter() - began, 0.0))

    def owe_site_model(self, seconds: float) -> bool:
        """Count `seconds` spent placing reports anew in the saved site model: every build from it
        places them again until it is saved again. True once the seconds counted since it was
        saved reach what saving it took: saving then, a run of builds costs at most twice what
        it would at best (saving after every placement, or never). At 20,000 reports a save
        takes about 0.4 s, placing one edited report anew a twentieth of that."""
        kept = self.value(_MODEL_DEBT)
        stamp = self._model_stamp()
        save_seconds, owed = kept[1:] if isinstance(kept, tuple) and kept[0] == stamp else (0.0, 0.0)  # type: ignore[misc]
        owed += seconds
        if owed >= save_seconds:
            return True
        self.store_value(_MODEL_DEBT, (stamp, save_seconds, owed))
        return False

    def _model_stamp(self) -> tuple[int, int, int] | None:
        """Which save of the site model is in the cache: its file's identity."""
        try:
            stat = (self.root / "site.pickle").stat()
        except OSError:
            return None
        return stat.st_ino, stat.st_size, stat.st_mtime_ns

    # --- compiled templates ------------------------------------------------------------
    def template_bytecode_dir(self) -> Path:
        """Jinja's bytecode cache: keyed by template source only, so one folder per ogpsite code
        (which sets the environment's options); folders of other code are removed."""
        folder = self.root / "templates" / code_fingerprint()[:16]
        if not folder.is_dir():
            shutil.rmtree(folder.parent, ignore_errors=True)
            folder.mkdir(parents=True)
        return folder

    # --- other values a build keeps (the page plan's memo), opaque here --------------------
    def value(self, name: str, made_with: str | None = None) -> object:
        """What `store_value` stored under `name`; None when missing or unreadable. With
        `made_with`, only what was stored with the same: anything else is not even unpickled
        (after ogpsite's code changed, every kept search record is stale: loading them only to
        free them kept their memory)."""
        path = self.root / f"{name}.pickle"
        if made_with is None:
            return self._load(path)
        try:
            with path.open("rb") as stream:
                return pickle.load(stream) if stream.readline() == _header("value", made_with) else None
        except _UNREADABLE:
            return None

    def store_value(self, name: str, value: object, made_with: str | None = None) -> None:
        path = self.root / f"{name}.pickle"
        if made_with is None:
            self._store(path, value)
            return

        def write(stream: BinaryIO) -> None:
            stream.write(_header("value", made_with))
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)

        _write_atomically(path, write)

    # --- what the output trees hold -----------------------------------------------------
    # An output folder is swapped with a twin tree (`swap.OutputTrees`); what a tree holds is
    # recorded under the name its marker gives it (`outdir.marker_id`): the digest of the record
    # itself, so a name says what the tree holds, wherever the tree or the cache folder went (a
    # CI runner's restored cache), and two clean builds of one site write the same marker. A
    # swap needs no record written after it, and a build killed at any moment leaves every
    # named tree holding what its record says (a tree is un-named before it changes).
    def output_folder(self, output_dir: Path) -> Path:
        """This output's records (and, on its file system, its twin): one folder per output path.
        An output inside the site is known by its path there: the site in another folder (a CI
        runner's new checkout with the cache folder restored, a moved clone) finds its records."""
        absolute = Path(os.path.abspath(output_dir))
        site = Path(os.path.abspath(self.site_dir))
        known_as = absolute.relative_to(site).as_posix() if absolute.is_relative_to(site) else str(absolute)
        return self.root / "outputs" / digest(known_as)[:16]

    def wrote_to(self, output_dir: Path) -> bool:
        """Whether a build recorded writing into `output_dir` (ogpsite before the marker kept a file per output)."""
        folder = self.output_folder(output_dir)
        return folder.is_dir() or folder.with_suffix(".pickle").is_file()

    def output_state(self, output_dir: Path) -> OutputState:
        """What `output_dir` holds, or an empty state when unknown."""
        return self.tree_state(output_dir, output_dir) or OutputState()

    def tree_state(self, output_dir: Path, tree: Path) -> OutputState | None:
        """What the tree `tree` (the output folder or its twin) holds; None when unknown."""
        name = marker_id(tree)
        return None if name is None else self._named_state(output_dir, name)

    def _named_state(self, output_dir: Path, name: str) -> OutputState | None:
        path = self._tree_path(output_dir, name)
        kept = self._states.get(path)
        if kept is not None:  # `serve`: the state this process wrote (a name is the digest of its record)
            return kept
        record = self._load(path)
        if isinstance(record, _StateChanges):
            base = self._named_state(output_dir, record.base) if record.base != name else None
            if base is None or self._changes.get(self._tree_path(output_dir, record.base), True) is not None:
                return None  # its base is gone, or is no whole record
            files = dict(base.files)
            for removed in record.removed:
                files.pop(removed, None)
            files.update(record.changed)
            state = OutputState(files, record.search_keys)
        elif isinstance(record, OutputState):
            state = record
        else:
            return None
        self._states[path], self._changes[path] = state, record if isinstance(record, _StateChanges) else None
        return state

    def store_tree_state(self, output_dir: Path, state: OutputState, near: str | None = None, changes: TreeChanges | None = None) -> str:
        """Record what a tree holds; returns the name its marker is to give (the record's digest).
        `near`: the record of a tree holding nearly the same (the output an update starts from):
        the record is then kept as changes to that one's whole record (or the one it is kept as
        changes to) while they are a small part of it; its name says what the tree holds with
        the base record's name. So the trees an output's updates leave are kept as changes to
        one whole record, loaded once. `changes`: how the tree came to hold `state`, if known."""
        record = self._as_changes(output_dir, state, near, changes) if near else None
        data = pickle.dumps((FORMAT, record or state), protocol=pickle.HIGHEST_PROTOCOL)
        name = hashlib.sha256(data).hexdigest()[:32]
        path = self._tree_path(output_dir, name)
        if path not in self._states:
            _write_atomically(path, lambda stream: stream.write(data))
            self._states[path], self._changes[path] = state, record
        return name

    def _as_changes(self, output_dir: Path, state: OutputState, near: str, changes: TreeChanges | None) -> _StateChanges | None:
        """`state` as changes to a whole record: `near`'s, or the one `near` is kept as changes to;
        None when `near` is no known record, or when the changes would be more than
        `MOST_TREE_CHANGES` of the paths (loading them would cost about as much)."""
        near_state = self._named_state(output_dir, near)
        if near_state is None:
            return None
        base = self._base_of(output_dir, near)
        if changes is not None and self._named_state(output_dir, changes.before) is not None and self._base_of(output_dir, changes.before) == base:
            # The tree changed is kept as changes to the same base (as after every update but
            # the first after a whole record): its changes and this build's, a few paths each.
            prior = self._changes.get(self._tree_path(output_dir, changes.before))
            files = state.files
            removed_now: Collection[str] = changes.removed
            changed_now = {path: files[path] for path in changes.written}
        else:  # found by comparing every path: 0.2 s at 600,000 paths (writing them whole takes 0.5 s), once after a whole record
            prior = self._changes.get(self._tree_path(output_dir, near))
            before, now = near_state.files, state.files
            changed_now = {path: value for path, value in now.items() if before.get(path) != value}
            removed_now = [path for path in before if path not in now]
        removed, changed = (set(prior.removed), dict(prior.changed)) if prior else (set(), {})
        for gone in removed_now:
            changed.pop(gone, None)
            removed.add(gone)  # it may not be in the base: removing it does nothing then
        removed.difference_update(changed_now)
        changed.update(changed_now)
        if len(removed) + len(changed) > len(state.files) * MOST_TREE_CHANGES:
            return None
        return _StateChanges(base, frozenset(removed), changed, state.search_keys)

    def paths_apart(self, output_dir: Path, first: str, second: str) -> set[str] | None:
        """The paths where the known records `first` and `second` may differ, as they are kept:
        both as changes to one whole record (or one of them that record), their changed and
        removed paths; None when they are not kept so."""
        if first == second:
            return set()
        records = [self._record_changes(output_dir, name) for name in (first, second)]
        if len({record.base if record else name for record, name in zip(records, (first, second))}) != 1:
            return None
        paths: set[str] = set()
        for record in records:
            if record is not None:
                paths.update(record.removed)
                paths.update(record.changed)
        return paths

    def _base_of(self, output_dir: Path, name: str) -> str:
        """The whole record that the known record `name` is kept as changes to: itself if whole."""
        record = self._changes.get(self._tree_path(output_dir, name))
        return record.base if record else name

    def keep_tree_states(self, output_dir: Path, trees: Iterable[Path]) -> None:
        """Forget the records of every tree of `output_dir` but `trees` (trees removed or replaced),
        and the whole records theirs are kept as changes to."""
        names = [name for name in map(marker_id, trees) if name is not None]
        bases = {record.base for record in (self._record_changes(output_dir, name) for name in names) if record is not None}
        kept = {f"{name}.pickle" for name in [*names, *bases]}
        folder = self.output_folder(output_dir)
        for path in folder.glob("*.pickle"):
            if path.name not in kept:
                path.unlink(missing_ok=True)
                self._states.pop(path, None)
                self._changes.pop(path, None)
        for base in bases - set(names):  # needed again only to load the trees' records from their files
            self._states.pop(self._tree_path(output_dir, base), None)

    def _record_changes(self, output_dir: Path, name: str) -> _StateChanges | None:
        """How the record `name` is kept: as changes (to a base), or whole (None; also when unknown)."""
        path = self._tree_path(output_dir, name)
        if path not in self._changes:
            self._named_state(output_dir, name)
        return self._changes.get(path)

    def _tree_path(self, output_dir: Path, name: str) -> Path:
        return self.output_folder(output_dir) / f"{name}.pickle"

    # --- files ------------------------------------------------------------------------
    @staticmethod
    def _load(path: Path) -> object:
        try:
            with path.open("rb") as stream:
                stamp, value = pickle.load(stream)
        except _UNREADABLE:
            return None  # missing or unreadable: a cache miss, never an error
        return value if stamp == FORMAT else None

    @staticmethod
    def _store(path: Path, value: object) -> None:
        _write_atomically(path, lambda stream: pickle.dump((FORMAT, value), stream, protocol=pickle.HIGHEST_PROTOCOL))


def kept_locale_data(cache_root: Path, languages: Sequence[str]) -> dict[tuple[str, translit.Script], i18n.LocaleData]:
    """i18n's CLDR data for `languages` in both scripts, kept in the cache folder: taken from
    Babel once per `code_fingerprint` (which covers Babel's version)."""
    def make() -> dict[tuple[str, translit.Script], i18n.LocaleData]:
        return {(language, script): i18n.locale_data(language, script) for language in languages for script in ("cyrillic", "latin")}

    return _kept(cache_root / "locales.pickle", (code_fingerprint(), tuple(languages)), make)


def kept_english_lexicon(cache_root: Path) -> translit.EnglishLexicon:
    """translit's English lexicon, kept in the cache folder: made from wordfreq once per
    `code_fingerprint` (which covers wordfreq's version). A function of the folder, so the
    loader a Builder installs in translit does not keep the whole cache alive."""
    return _kept(cache_root / "english.pickle", code_fingerprint(), translit.english_lexicon)


def _kept(path: Path, made_for: object, make: Callable[[], T]) -> T:
    """What `make` returns, kept in the file `path` with `made_for` and made again when that differs."""
    stored = BuildCache._load(path)
    if isinstance(stored, tuple) and stored[0] == made_for:
        return stored[1]
    value = make()
    BuildCache._store(path, (made_for, value))
    return value


def _write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write beside, then rename: a reader sees the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as stream:
            write(stream)
        os.replace(temporary, path)
    except BaseException:  # a full disk: the old file stays, the partial one goes
        temporary.unlink(missing_ok=True)
        raise


def _header(kind: str, key: str) -> bytes:
    """The first line of a file holding a `kind` of value made with `key`: read before the rest."""
    return f"ogpsite {kind} {FORMAT} {key}\n".encode()


_MODEL_DEBT = "site-debt"  # (`_model_stamp` of the model saved, seconds its save took, seconds owed since)


class _ReportsByReference(pickle.Pickler):
    """Reports are pickled by their source path: the site model shares them with the records,
    and is loaded with the reports of this build. A report's page is pickled as made from its
    report (`pages.report_page`), so it is made again from the report loaded: the model's key
    covers only the fields that place reports (`model.placement`), not those a report page
    shows. (A reducer, not `persistent_id`: that would be called for every object, this only
    for objects of classes, and a report named once is memoised by the pickle.)"""

    def reducer_override(self, obj: object) -> object:
        kind = type(obj)
        if kind is Report:
            return (_report_named, (obj.source,))  # type: ignore[attr-defined]
        if kind is PageSpec and obj.kind == "report":  # type: ignore[attr-defined]
            return (report_page, (obj.data["report"], obj.data["onward"]))  # type: ignore[attr-defined]
        return NotImplemented


# The reports of the site model being unpickled, by source path (see `BuildCache.site_model`).
_reports_by_source: dict[str, Report] = {}


def _report_named(source: str) -> Report:
    return _reports_by_source[source]


@cache  # asked for every record on every save
def _shard_of(shown: str, shards: int) -> int:
    return int(hashlib.md5(shown.encode("utf-8")).hexdigest()[:4], 16) % shards

