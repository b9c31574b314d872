"""The build's one owner, `Builder` (`build` is one run of it): render only the outputs whose
inputs changed, on every core; a clean build is its case with an empty cache.

Every output file gets a digest of everything its content is made from: for a page, the
page's plan (path, template, title, data) with each report it shows replaced by the
report's own digest (its fields, resolved body HTML, summary, institutions and tags as
the site resolved them), plus one site-wide digest (ogpsite's code and library versions,
the config, every template and theme file). A page is rendered again exactly when its
digest differs from the one recorded for the file already in the output folder; files no
longer planned are deleted. Small root files (chooser, 404, robots.txt) are cheap, so
they are always produced and compared by content; the sitemap's digest is made from the
paths and languages of the pages it lists.

Planning. Digesting ~35,000 pages costs more than a one-report edit may take, so the last
build's digests are kept (`_Digests`, one cache file): each report's digest with the key it
was made from, and each page's digest with its frame (a digest of the page without the
reports it shows, but for a list page naming which it shows, in order). Frames are computed per section of the site model (`pages.SiteModel`)
and kept on the model until the section is made again, which happens only to the sections
whose reports an edit changes. A page gets a new digest when its frame differs or it shows
a report whose digest changed.

Writing. The output folder is refused unless it is ogpsite's (`outdir.guard`). Every build
that changes anything prepares a whole tree apart and swaps it with the output folder in one
rename (`swap.OutputTrees`): a clean build (no trusted record of the output folder) a fresh
tree, an incremental one the twin the last swap took out, brought up to date with hard links
to the files the output already holds and the changed files rendered. `output/` therefore
holds one whole build at every moment, and a failed or killed build leaves it as it was.
A one-report edit costs, besides its renders, one hard link per file the previous build
changed; a clean build into a folder with no known twin makes one (a link per file).
"""

from __future__ import annotations

import gc
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from itertools import chain, compress
from operator import itemgetter, ne, not_
from pathlib import Path
from typing import Any

import jinja2

from .. import translit
from ..core import i18n
from ..core import sitemap as sitemap_limits  # the module: its limit is read when planning
from ..core.errors import BuildError, Problem, Severity, errors_only
from ..core.model import Report, Site
from ..core.pages import PageSpec, SiteModel, last_change, sitemap_part
from ..core.shards import shard_among, year_directories
from ..core.sitemap import INDEX_FILE, layout
from ..core.taxonomy import Pager
from ..sources.config import NOT_A_SITE, is_site
from ..sources.reader import LANGUAGES, SourceFile
from . import images, search
from .cache import RACY_NS, BuildCache, Known, OutputState, Progress, Scan, code_fingerprint, digest, file_content, kept_english_lexicon, kept_locale_data, scan_started, scanned_while_loading, tree_fingerprint
from .images import ImageStore
from .lock import site_lock
from .parallel import MIN_PARALLEL_ITEMS, map_chunks, worker_count
from .pipeline import BuildResult, KnownChanges, LoadedSite, claim_outputs, keep_model, load, plan_outputs, root_files, sitemap, sitemap_index
from .redirects import redirect_files
from .render import EditionRenderer, SharedRenderData, editions, environment, template_problem
from .stamp import STORED_AS, Finished, Stamp, input_stamp, racy_unchanged
from .outdir import MARKER, guard, marker_id, remove_tree
from .swap import OutputTrees, reached
from .writer import Writer, read_whole


# The share of the pages whose digests a build makes before the digests memo is saved (`Builder._save_digests`).
SAVE_DIGESTS_AFTER = 0.05


@dataclass
class _Plan:
    """Every output path with its digest, and how to produce the ones that must be written."""

    digests: dict[str, str | bytes] = field(default_factory=dict)  # as `OutputState.files`
    copies: dict[str, Path] = field(default_factory=dict)  # output path -> file to copy
    texts: dict[str, str] = field(default_factory=dict)  # output path -> content (root files)
    sitemap_files: dict[str, list[str]] = field(default_factory=dict)  # sitemap file -> output files of the pages it lists (`sitemap.layout`)
    redirects: tuple[str, ...] = ()  # the redirect pages' paths (`set_redirects`), in `texts`
    search_keys: dict[str, str] = field(default_factory=dict)  # search shard -> what its index is made from; none when search is off (set per build)
    search_digest: str = ""  # what every search record is made from besides its report: code, config (set per build)
    codes: tuple[str, ...] = ()  # the editions' codes: a page's output files
    # Set per build (`for_build`): the pages hold this build's reports, which a kept plan may not.
    pages: dict[str, PageSpec] = field(default_factory=dict)  # edition-relative output file -> page
    sitemap_dates: Mapping[str, str] = field(default_factory=dict)  # output file -> `last_change`, as `_Digests.update` kept it (set per build)
    # Set per build: the paths where the output may differ from this build's plan, as a kept
    # plan's `touched` named them (None: the plan was made anew, every path may).
    changed: set[str] | None = None
    # The paths whose digests this plan set or removed since a build from it last finished:
    # the output that build left differs from the plan there alone (and in the search index).
    touched: set[str] = field(default_factory=set)

    def for_build(self, output_files: list[str], pages: list[PageSpec], dates: Mapping[str, str]) -> _Plan:
        """A copy for one build with its `pages` (at `output_files`) and their sitemap `dates`,
        whose digests the build may add to (the search index's files) and this plan keeps out.
        (A copy of the plan's digests, which lose no entries but redirects': CPython copies such
        a dict whole, while one that lost entries is copied entry by entry, ten times slower.)"""
        return replace(self, digests=dict(self.digests), pages=dict(zip(output_files, pages)), sitemap_dates=dates, touched=set())

    def set_page(self, output_file: str, page_digest: bytes) -> None:
        for code in self.codes:
            path = f"{code}/{output_file}"
            self.digests[path] = page_digest
            self.touched.add(path)

    def set_redirects(self, pages: dict[str, str]) -> None:
        """The redirect pages at reports' old addresses (`redirects.redirect_files`): made from
        each report's title, path and aliases, which an edit may change without placing the
        report anew, so a kept plan gets them again every build."""
        if all(self.texts.get(path) == page for path, page in pages.items()) and len(pages) == len(self.redirects):
            return
        for path in self.redirects:
            del self.digests[path], self.texts[path]
        for path, page in pages.items():
            self.digests[path] = digest(page)  # all a redirect page is made from is in it
            self.texts[path] = page
        self.touched.update(self.redirects, pages)
        self.redirects = tuple(pages)


@dataclass
class _Digests:
    """What the last build digested: each build digests again only what changed since.

    Kept in one cache file; valid for any build (a page whose frame or reports differ, or any
    page when the site digest differs, gets a new digest)."""

    model_key: str = ""  # `LoadedSite.model_key` of the build: the reports' slugs follow from it and their files
    site_digest: str = ""
    descriptions: dict[str, str] = field(default_factory=dict)  # `_descriptions`: institutions and tags as the site names them
    keys: dict[str, str] = field(default_factory=dict)  # report source -> its `LoadedSite.keys` entry when digested
    reports: dict[str, bytes] = field(default_factory=dict)  # report source -> digest (`_report_digester`)
    pages: dict[str, tuple[bytes, bytes, str]] = field(default_factory=dict)  # output file -> (frame, digest, `last_change`)
    claims: str = ""  # `_claims_key` of paths found free of collisions
    sitemap_for: tuple[str, str, int, int] = ("", "", 0, 0)  # (`SiteModel.version`, site digest, editions, `sitemap.MAX_URLS`) `sitemap` was planned for
    sitemap: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # `_sitemap_plan`
    search_for: tuple[str, str] = ("", "")  # (`SiteModel.version`, search digest) `search_keys` were made for
    search_keys: dict[str, str] = field(default_factory=dict)  # `_search_keys`
    search_stale: set[str] = field(default_factory=set)  # reports whose digest changed since `search_keys` were made
    _last: _PageTable | None = field(default=None, repr=False, compare=False)  # `update`'s, in memory only

    def dates(self) -> Mapping[str, str]:
        """Each page's `last_change`, by output file: read for the pages of the sitemap files
        planned or written, few or none in most builds (a dict of them all costs 0.2 s at 100,000 reports)."""
        return _Dates(self.pages)

    def search_keys_for(self, site: Site, by_source: Mapping[str, Report], version: str, search_digest: str) -> tuple[dict[str, str], bool]:
        """`_search_keys` of the site (of `SiteModel.version`): made again for the shards holding
        reports whose digests changed since they were made, or for every shard when reports were
        placed anew (which shard holds a report, and where it is published, follow from placements)
        or the search digest changed. Making them all is a pass over every report's digest, a
        twentieth of a one-report edit at 100,000 reports. Also whether every key was made anew."""
        kept = self.search_keys if (version, search_digest) == self.search_for else {}
        keys = _search_keys(site, by_source, search_digest, self.reports, kept, self.search_stale)
        self.search_keys, self.search_for, self.search_stale = keys, (version, search_digest), set()
        return keys, not kept

    def sitemap_plan(self, model: SiteModel, site_digest: str, editions: int) -> tuple[dict[str, tuple[str, list[str]]], bool]:
        """`_sitemap_plan` of the site, and whether it was made anew: only when reports were placed
        anew (or the site digest changed), as the pages a sitemap lists, their paths, languages
        and dates all follow from the reports' placements (`model.placement`). Planning it costs
        a pass over every page, a seventh of a one-report edit at 20,000 reports."""
        made_for = (model.version, site_digest, editions, sitemap_limits.MAX_URLS)
        if made_for == self.sitemap_for:
            return self.sitemap, False
        self.sitemap = _sitemap_plan(model.pages, editions, site_digest, self.dates())
        self.sitemap_for = made_for
        return self.sitemap, True

    def update(self, loaded: LoadedSite, site_digest: str) -> tuple[bool, dict[str, bytes], set[str]]:
        """Digests of every report and page brought up to date: whether any changed (or went),
        each page's digest (by output file, in site order), and the pages digested anew."""
        descriptions = _descriptions(loaded.site)
        if loaded.model_key != self.model_key or descriptions != self.descriptions:
            self.model_key, self.descriptions, self.keys, self.reports = loaded.model_key, descriptions, {}, {}
            self.search_for = ("", "")
        keys, known = loaded.keys, self.keys
        reports = loaded.site.reports
        # The sources whose key is not the known one, found in C without a pair made per report.
        stale = set(compress(keys, map(ne, keys.values(), map(known.get, keys))))
        stale.update(loaded.linked)  # their links resolve to the other reports' paths
        report_digest = _report_digester(loaded, descriptions)
        changed = set()
        for source in stale:
            value = report_digest(source)
            if self.reports.get(source) != value:
                changed.add(source)
                self.search_stale.add(source)
            self.keys[source], self.reports[source] = keys[source], value
        dirty = bool(changed) or len(self.keys) != len(reports)
        if len(self.reports) != len(reports):
            present = {report.source for report in reports}
            self.keys = {source: key for source, key in self.keys.items() if source in present}
            self.reports = {source: value for source, value in self.reports.items() if source in present}
        if site_digest != self.site_digest:
            self.site_digest, self.pages = site_digest, {}
        model = loaded.model
        last = self._last
        if last is not None and last.model is model and last.version == model.version and last.site_digest == site_digest and last.pages is self.pages:
            renewed = self._renew(last, changed, model.pages)
            return dirty or bool(renewed), last.digests, renewed
        page_digests = {}
        renewed = set()
        known_pages, digests = self.pages, self.reports
        site_key = site_digest.encode()
        entries = list(chain.from_iterable(model.derived[key] for key in model.sections))
        # A page's date in the sitemap (`last_change`: of its report, or the latest of a list's)
        # is worked out with its digest: a list page's means reading each report it shows.
        for page, (output_file, frame, shown) in zip(model.pages, entries):
            kept = known_pages.get(output_file)
            if kept is None or kept[0] != frame or not changed.isdisjoint(shown):
                kept = known_pages[output_file] = (frame, _page_digest(site_key, frame, shown, digests), last_change(page))
                renewed.add(output_file)
                dirty = True
            page_digests[output_file] = kept[1]
        if len(known_pages) != len(page_digests):
            self.pages = {output_file: known_pages[output_file] for output_file in page_digests}
            dirty = True
        self._last = _PageTable(model, model.version, site_digest, self.pages, entries, page_digests)
        return dirty, page_digests, renewed

    def _renew(self, last: _PageTable, changed: set[str], pages: list[PageSpec]) -> set[str]:
        """`update` for the pages of the model `last` was made for, unchanged since (same
        placements: same pages, frames and reports shown): only the pages showing a report of
        `changed` are digested again, found by a pass in C over what each page shows (the
        pass in Python over every page cost 0.5 s at 100,000 reports, in every edit)."""
        renewed = set()
        if not changed:
            return renewed
        site_key, known_pages, digests = self.site_digest.encode(), self.pages, self.reports
        entries = last.entries
        for number in compress(range(len(entries)), map(not_, map(changed.isdisjoint, map(itemgetter(2), entries)))):
            output_file, frame, shown = entries[number]
            kept = known_pages[output_file] = (frame, _page_digest(site_key, frame, shown, digests), last_change(pages[number]))
            last.digests[output_file] = kept[1]
            renewed.add(output_file)
        return renewed

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_last": None}


@dataclass
class _PageTable:
    """What `_Digests.update` went through last, kept in memory (`serve`) for the next: the model
    (as it was then: `version`), the digests memo's pages then, each page's entry in site order
    (output file, frame, reports shown), and each page's digest by output file."""

    model: SiteModel
    version: str
    site_digest: str
    pages: dict[str, tuple[bytes, bytes, str]]
    entries: list[tuple[str, bytes, tuple[str, ...]]]
    digests: dict[str, bytes]


class _Dates(Mapping[str, str]):
    """`_Digests.dates`: a view of `_Digests.pages`."""

    def __init__(self, pages: dict[str, tuple[bytes, bytes, str]]) -> None:
        self._pages = pages

    def __getitem__(self, output_file: str) -> str:
        return self._pages[output_file][2]

    def __iter__(self) -> Iterator[str]:
        return iter(self._pages)

    def __len__(self) -> int:
        return len(self._pages)


@dataclass(frozen=True)
class StillToWrite:
    """What a build that put its first pages in place has still to write (`FirstPages`): output
    files by path (`lat/tags/ogp/index.html`), and the folders it writes again whole, by prefix
    (`pagefind/2015/`: a search shard indexed again, whose old files are stale too)."""

    files: frozenset[str] = frozenset()
    folders: tuple[str, ...] = ()

    def holds(self, output_path: str) -> bool:
        return output_path in self.files or output_path.startswith(self.folders)


@dataclass(frozen=True)
class FirstPages:
    """`serve`'s fast render: the pages readers have open are put in place before the rest.

    Once an incremental build has read and checked everything, the changed files among
    `wanted()` (output paths such as `lat/tags/ogp/index.html`) are rendered and moved into
    the output folder first; `written` is then called with what the build has still to write
    (`StillToWrite`), and the build goes on as usual. A reload sent from `written` shows the
    open pages as the whole build leaves them; a request for a file still to come should wait
    for it (a search made meanwhile then finds the edit, not the index as it was).
    """

    wanted: Callable[[], Collection[str]]
    written: Callable[[StillToWrite], None]


class Stopwatch:
    """Seconds spent in each stage of one build, in the order the stages began (`--verbose`)."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        began = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - began


class Builder:
    """Builds one site into one output folder, again and again, doing only what changed.

    For `ogpsite serve`: create one `Builder` when the server starts and call `build()`
    after every change (content, templates, theme, `ogpsite.yml`). Between calls it keeps
    the parsed reports (the last load, which a build told of the files edited patches), the
    plan and the record of what the output folder holds in memory, so a
    one-report edit costs reading that file, rendering its Markdown and re-rendering the
    pages that show it (its report page in both editions, the lists, feeds and sitemap it
    appears in, and list pages whose pagination shifts): about 0.4 s on a 20,000-report
    archive, or about 0.9 s when the edit moves the report in a long list (with `first`, the
    pages a reader has open are in place after about 0.3 s). `build()` raises `BuildError` on
    any problem and then leaves the output folder exactly as the last good build left it;
    the `Builder` stays usable. Rebuilds of fewer than `parallel.MIN_PARALLEL_ITEMS` pages
    run in-process; larger ones fork workers from the server.

    `cache=False` keeps nothing on disk (and nothing between calls): a clean build. The
    search index is one per year, or per month in a large year (`core.shards`): an edit
    re-indexes its report's shard.
    """

    def __init__(self, site_dir: Path, output_dir: Path, overrides: dict[str, Any] | None = None, drafts: bool = False,
                 cache: bool = True, progress: Progress | None = None, waiting: Callable[[], None] | None = None) -> None:
        if not is_site(site_dir):  # before the cache is made: a mistyped folder keeps no .ogpsite-cache/
            raise BuildError([Problem(str(site_dir), 0, NOT_A_SITE)])
        self.site_dir = site_dir
        self.named_output = Path(os.path.abspath(output_dir))  # as named: `guard` refuses a symbolic link, which `resolve` would follow
        self.output_dir = output_dir.resolve()
        self.overrides = overrides
        self.drafts = drafts
        self.progress = progress
        self.waiting = waiting  # told when another build of the site holds its lock (`lock.site_lock`), which this one then waits for
        self.cache = BuildCache(site_dir) if cache else None
        self._digests: _Digests | None = None  # the last build's, kept between builds
        self._search_records = _SearchRecords(self.cache)
        self._digests_made = 0  # digests made since the memo was last saved (`_save_digests`)
        self._plan: tuple[object, _Plan] | None = None  # the last plan, with what it was made for (see `_plan_build`)
        self._sources: list[SourceFile] | None = None  # the report files the last build read
        self._resident: LoadedSite | None = None  # the last load, which one told of the files edited since starts from
        # What the last successful build read and planned, kept until the next: freed at the end
        # of a build, its million objects would cost the command a tenth of a second (`cli.run`).
        self._last_build: tuple[LoadedSite, _Plan, OutputState] | None = None
        # Whether nothing but report files changed since the kept plan was made (builds may fail
        # before they make one): a file watcher said so for every build since.
        self._only_reports_changed = False
        self._records_loaded = False  # by the first build: see `_load_records`
        self._index_ahead: search.IndexAhead | None = None  # the running build's search index, begun before most of its pages (`_begin_index`)
        self._clock = Stopwatch()  # the current build's
        self._image_root: Path | None = None  # the image store's folder
        self._scratch_dir: tempfile.TemporaryDirectory[str] | None = None
        self.images_made = 0  # images decoded and encoded by this Builder's builds: none on a warm build
        self.images_digested = 0  # image files read to find their keys: none on a warm build
        # Until another Builder says otherwise: a clean build must not use (or write) another site's cache.
        translit.use_english_lexicon(partial(kept_english_lexicon, self.cache.root) if self.cache else translit.english_lexicon)
        if self.cache:
            i18n.use_locale_data(kept_locale_data(self.cache.root, LANGUAGES))

    def build(self, today: date | None = None, edited: frozenset[str] | None = None, first: FirstPages | None = None) -> BuildResult:
        """`edited`: when a file watcher knows that, since the last build, no file was created,
        deleted or moved and nothing but these report files (paths as shown) changed.
        `first`: pages to put in place before the others (an incremental build only)."""
        with site_lock(self.site_dir, self.waiting):
            return self._build_locked(today, edited, first)

    def _build_locked(self, today: date | None, edited: frozenset[str] | None, first: FirstPages | None) -> BuildResult:
        gc.unfreeze()  # the previous build's objects may be garbage now
        began = time.perf_counter()
        # With nothing in memory yet (an `ogpsite build`, the preview's first), the inputs'
        # stamp may say that nothing changed since the last build: then its answer stands.
        first_build = bool(self.cache) and edited is None and not self._records_loaded
        # Else the build scans the site (`_load_records`): begun now, on another core, it costs
        # the build nothing while the stamp is taken (a tenth of a second at 20,000 reports).
        scanning = scan_started(self.site_dir) if first_build and worker_count() > 1 and self._scan_pays() else None
        stamp = self._input_stamp(today) if first_build else None
        finished = self.cache.value(STORED_AS) if self.cache and stamp else None
        if stamp and isinstance(finished, Finished) and finished.stamp == stamp.digest and finished.tree == marker_id(self.output_dir):
            if scanning is not None:
                scanning.cancel()
            if first:
                first.written(StillToWrite())
            return BuildResult(finished.files, finished.reports, finished.warnings, {"nothing changed": time.perf_counter() - began})
        try:
            result = self._build(today, edited, first, scanning)
        finally:  # what this build learnt is kept whether or not it succeeded; stored last, as it delays no page
            if scanning is not None:
                scanning.cancel()  # a build that failed before it took the scan: its child stopped
            if self.cache:
                self.cache.save_records()
                self._save_digests()
        if self.cache and stamp and (stamp.storable or self._proven(stamp)):
            self.cache.store_value(STORED_AS, Finished(stamp.digest, marker_id(self.output_dir) or "", result.files, result.reports, result.warnings))
        return result

    def _input_stamp(self, today: date | None) -> Stamp | None:
        """`stamp.input_stamp` of this build: the site, the output folder and the options."""
        options = repr((sorted((self.overrides or {}).items()), self.drafts, (today or date.today()).isoformat()))
        return input_stamp(self.site_dir, self.output_dir, options, search.available())

    def _proven(self, stamp: Stamp) -> bool:
        """Whether the racy inputs of `stamp`, taken as this build began, are shown unchanged now that
        it ends (as git re-reads racily clean files): each a report file, past its racy time, with
        the stat it had then (`stamp.racy_unchanged`), and holding the bytes this build read (a
        write in the clock tick its stat was taken in leaves the stat as it was). Then the next
        build with nothing changed answers from the stamp, instead of only the one after it (an
        edit saved just before a build of a large site, a site generated or checked out just
        before its first build). The other inputs need no second look: older than their racy
        time when the stamp was taken, any of them written since has another stat, and a file
        made or deleted changes a listing; either makes the next build's stamp another one."""
        assert self.cache is not None
        if time.time_ns() - max(fields[0] for fields in stamp.racy.values()) <= RACY_NS:
            return False  # still racy: a write now could leave the stat as it is
        read = {shown: self.cache.record(shown) for shown in stamp.racy}
        if any(record is None for record in read.values()):
            return False  # not a report file: its bytes are not kept with a digest
        if not racy_unchanged(self.site_dir, stamp):
            return False
        # Read as the build reads report files (a file gone or unreadable has no digest).
        return all(record is not None and file_content(self.site_dir / shown, None)[1] == record.content for shown, record in read.items())

    def _build(self, today: date | None, edited: frozenset[str] | None, first: FirstPages | None, scanning: Scan | None) -> BuildResult:
        guard(self.site_dir, self.named_output, self.cache.wrote_to(self.output_dir) if self.cache else False)
        known = KnownChanges(self._sources, edited) if edited is not None and self._sources is not None else None
        self._sources = None  # known again once this build has read them
        self._only_reports_changed &= known is not None
        self._clock = Stopwatch()
        try:
            return self._plan_and_write(today, known, first, scanning)
        finally:
            if self._index_ahead is not None:  # not placed: the build failed
                self._index_ahead.discard()
                self._index_ahead = None

    def _plan_and_write(self, today: date | None, known: KnownChanges | None, first: FirstPages | None, scanning: Scan | None) -> BuildResult:
        with _collector_paused():
            with self._clock.stage("cache records"):
                scanned = self._load_records(known is None, scanning)
            loaded, wanted, previous, renderers, env = self._plan_build(today, known, first, scanned)
        incremental = bool(previous.files)
        reindex = _reindexed(wanted.search_keys, previous)
        kept_shards = [shard for shard in wanted.search_keys if shard not in reindex]
        # The shards made from what they were made from stay in the output as they are.
        kept_index = search.kept_index_files(previous.files, kept_shards)
        for files in kept_index.values():
            wanted.digests.update(files)
        if wanted.changed is not None:  # and the index files of the shards made again or gone
            for shard, files in search.index_files(previous.files).items():
                if shard not in kept_index:
                    wanted.changed.update(files)
        # Whether any file is to be written or removed (which ones, `OutputTrees.update` works out):
        # the two dicts compared whole, in C (0.05 s at 594,000 paths; a loop of look-ups, 0.16 s).
        differs = wanted.digests != previous.files
        # No output folder but a twin holding what is wanted (deleted by hand, or a fresh clone
        # with the cache restored and nothing changed since): the twin is moved in all the same.
        index_written: list[str] = []
        if differs or reindex or not incremental or not os.path.lexists(self.output_dir):
            index_written = self._write(loaded, wanted, previous, reindex, renderers, env)
        search.remember_index_files(wanted.digests, kept_index, {path: wanted.digests[path] for path in index_written})
        warnings = [problem for problem in loaded.problems if problem.severity is Severity.WARNING]
        if loaded.config.search and not search.available():
            warnings.append(search.MISSING_WARNING)
        self._last_build = (loaded, wanted, previous)
        if self._plan is not None:  # the output now holds what the plan and the index make
            self._plan[1].touched.clear()
        return BuildResult(len(wanted.digests), len(loaded.site.reports), warnings, self._clock.stages)

    def _load_records(self, scan: bool, scanning: Scan | None) -> tuple[list[SourceFile], list[Known]] | None:
        """The cache's records, loaded by the first build; with `scan`, the report files and what
        each is too (`cache.scanned_while_loading`, from `scanning` when it was begun)."""
        if not self.cache or self._records_loaded:
            return None
        if scanning is not None or (scan and self._scan_pays()):  # begun only when it pays
            scanned = scanned_while_loading(self.cache, scanning)
        else:
            self.cache.load_records()
            scanned = None
        self._records_loaded = True
        return scanned

    def _scan_pays(self) -> bool:
        """Whether scanning the site beside loading the records can save reading files: not when
        there are no records (a clean build reads and hashes every file itself)."""
        return self.cache is not None and self.cache.holds_records()

    def _plan_build(self, today: date | None, known: KnownChanges | None, first: FirstPages | None,
                    scanned: tuple[list[SourceFile], list[Known]] | None
                    ) -> tuple[LoadedSite, _Plan, OutputState, list[EditionRenderer], jinja2.Environment]:
        """Read and validate everything and digest every output (putting `first` in place on the
        way); raises BuildError on any problem. `scanned`: as `load` takes it."""
        resident, self._resident = self._resident, None  # kept again once a load has finished
        with self._clock.stage("read and check"):
            loaded = load(self.site_dir, self.overrides, self.drafts, today, cache=self.cache, progress=self.progress, known=known, scanned=scanned,
                          resident=resident)
        self._resident = loaded if self.cache else None
        self._sources = loaded.sources if self.cache else None  # every file's record is now current
        errors = errors_only(loaded.problems)
        if errors:
            raise BuildError(errors)
        with self._clock.stage("images"):
            self._publish_images(loaded)
        with self._clock.stage("plan"):
            return self._plan_outputs(loaded, first)

    def _plan_outputs(self, loaded: LoadedSite, first: FirstPages | None
                      ) -> tuple[LoadedSite, _Plan, OutputState, list[EditionRenderer], jinja2.Environment]:
        """The plan for a site read without errors: renderers, digests, the output state."""
        theme_dir, pages, assets = plan_outputs(loaded, self.site_dir)
        env = environment(self.site_dir, theme_dir, self.cache.template_bytecode_dir() if self.cache else None)
        env.globals["search_enabled"] = search.enabled(loaded.config)
        static_urls = {name: url for name, (_, url) in assets.items()}
        renderers = _renderers(loaded, env, static_urls)
        site_digest = digest(code_fingerprint(), repr(loaded.config), tree_fingerprint([self.site_dir / "templates", theme_dir]), repr(sorted(static_urls.items())))
        _frame_sections(loaded.model)
        # The kept plan is brought up to date below with the pages digested anew, this build's:
        # a build failing before then leaves none, as the next one's would not cover this one's.
        kept_plan, self._plan = self._plan, None
        page_digests, renewed = self._page_digests(loaded, pages, assets, site_digest)
        previous = self._output_state()
        search_digest, search_keys = "", {}
        if search.enabled(loaded.config):
            # Templates and theme files make no record: editing one indexes nothing again.
            search_digest = digest(code_fingerprint(), repr(loaded.config))
            search_keys, made_all = self._digests.search_keys_for(loaded.site, loaded.by_source, loaded.model.version, search_digest)  # type: ignore[union-attr]
            self._digests_made += len(loaded.site.reports) if made_all else 0  # a pass over every report
        reindex = _reindexed(search_keys, previous)
        if first and previous.files:
            # The shards indexed again and those the build removes: their folders are still to write.
            rewritten = reindex | (previous.search_keys.keys() - search_keys.keys())
            previous = self._put_first(first, loaded, page_digests, renewed, previous, renderers, env, rewritten)
        if reindex and previous.files:  # after the open pages: Pagefind's processes would slow them down
            self._begin_index(loaded, reindex, search_keys, search_digest)
        if self.cache:
            keep_model(self.cache, loaded)
        output_files = list(page_digests)  # the pages' own, in the same order
        # The plan's other files (attachments, assets, root files, sitemap) cost reading and
        # rendering: kept while only report files changed and no report was placed anew.
        made_for = (loaded.model.version, site_digest, _attached(loaded))
        dates = self._digests.dates()  # type: ignore[union-attr]  # `_page_digests` made them
        if kept_plan is not None and kept_plan[0] == made_for and self._only_reports_changed:
            kept = kept_plan[1]
            for output_file in renewed:  # the others have the digest they had in the last build's plan
                kept.set_page(output_file, page_digests[output_file])
            kept.set_redirects(redirect_files(loaded.config, loaded.aliased, loaded.converter))
            changed = set(kept.touched)  # since a build from the plan last finished: the output holds what it made
        else:
            sitemap, planned = self._digests.sitemap_plan(loaded.model, site_digest, len(renderers))  # type: ignore[union-attr]
            self._digests_made += len(pages) if planned else 0
            kept, changed = _plan(loaded, page_digests, assets, renderers, site_digest, self.site_dir, sitemap), None
        self._plan = (made_for, kept)
        self._only_reports_changed = True
        wanted = kept.for_build(output_files, pages, dates)
        wanted.changed = changed
        wanted.search_digest, wanted.search_keys = search_digest, search_keys
        return loaded, wanted, previous, renderers, env

    def _begin_index(self, loaded: LoadedSite, reindex: set[str], search_keys: dict[str, str], search_digest: str) -> None:
        """Begin the search index of an incremental build now, before its pages are written (but
        the open ones `first` put in place), when it makes few records again (an edit): Pagefind's
        runs then overlap the rest of the build.
        Few: a record made now is made again by nothing (the rendering would have made it from the
        body it converts, so a record made here costs a second conversion of its report's body;
        below `MIN_PARALLEL_ITEMS` that is less than the run it lets the build overlap)."""
        planned = self._search_records.plan(loaded, reindex, search_keys, search_digest, self._digests.reports)  # type: ignore[union-attr]
        if len(planned.unmade) >= MIN_PARALLEL_ITEMS:
            return
        indexed, directories = self._search_records.inputs(loaded, planned, {})
        self._index_ahead = search.IndexAhead(OutputTrees(self.output_dir, self.cache).index_ahead, indexed, directories)
        reached("index-ahead-begun")

    def _output_state(self) -> OutputState:
        """What the output folder holds. With no output folder but a twin the cache knows (a
        fresh clone with its cache folder restored, as the site workflow does), what the twin
        holds: the build brings the twin up to date and moves it in, a warm build (the cache
        goes by the files' bytes, not their new mtimes)."""
        if not self.cache:
            return OutputState()
        state = self.cache.output_state(self.output_dir)
        if not state.files and not os.path.lexists(self.output_dir):
            state = self.cache.tree_state(self.output_dir, OutputTrees(self.output_dir, self.cache).twin) or state
        return state

    def _publish_images(self, loaded: LoadedSite) -> None:
        """The reports' images, from the image store or made now (`images.publish`)."""
        if self._image_root is None:
            self._image_root = self.cache.root / "images" if self.cache else Path(self._scratch().name)
        store = ImageStore(self._image_root, loaded.config.images)
        loaded.images, problems = images.publish(loaded.attaching, loaded.attachments, self.site_dir, store)
        loaded.problems.extend(problems)
        loaded.image_files = images.files(loaded.images, loaded.attaching, store)
        self.images_made += store.made
        self.images_digested += store.digested

    def _scratch(self) -> tempfile.TemporaryDirectory[str]:
        """A folder for the images of a build without a cache: removed with the Builder."""
        self._scratch_dir = tempfile.TemporaryDirectory(prefix="ogpsite-images-")
        return self._scratch_dir

    def _page_digests(self, loaded: LoadedSite, pages: list[PageSpec], assets: dict[str, Any], site_digest: str) -> tuple[dict[str, bytes], set[str]]:
        """Each page's digest by output file, in site order, from the last build's where nothing
        they are made from changed, and the pages digested anew; the paths checked for
        collisions when they are not the last's."""
        memo = self._digests
        if memo is None:
            stored = self.cache.value("digests", made_with=code_fingerprint()) if self.cache else None  # another code's digests: all stale
            memo = stored if isinstance(stored, _Digests) else _Digests()
        dirty, page_digests, renewed = memo.update(loaded, site_digest)
        self._digests = memo
        self._digests_made += len(renewed) or dirty
        claims = _claims_key(loaded, list(page_digests), len(pages), assets)
        if claims != memo.claims:
            outputs = claim_outputs(loaded, pages, assets)
            if outputs.problems:
                raise BuildError(outputs.problems)
            memo.claims = claims
            self._digests_made += len(pages)
        return page_digests, renewed

    def _save_digests(self) -> None:
        """Save the digests memo once the digests made since it was saved reach `SAVE_DIGESTS_AFTER`
        of the pages. A build from an older memo is as right, and makes those digests again (a
        report whose key the memo does not hold is digested again, and the pages that show it),
        which costs less than saving the memo after every edit (0.43 s at 100,000 reports, 0.09 s
        at 20,000): one-report edits save it once in many builds."""
        memo = self._digests
        if self.cache and memo is not None and self._digests_made and self._digests_made >= len(memo.pages) * SAVE_DIGESTS_AFTER:
            self.cache.store_value("digests", memo, made_with=code_fingerprint())
            self._digests_made = 0

    def _put_first(self, first: FirstPages, loaded: LoadedSite, page_digests: dict[str, bytes], renewed: set[str], previous: OutputState,
                   renderers: list[EditionRenderer], env: jinja2.Environment, shards: set[str]) -> OutputState:
        """Render the changed pages of `first` and move them into the output folder, as an
        incremental write of their own; returns the output state that leaves. `shards`: the
        search shards whose index the build writes again or removes, announced as folders."""
        assert self.cache is not None  # an incremental write needs a recorded output state
        codes = [renderer.edition.code for renderer in renderers]
        early = {}  # output path -> digest: open pages that replace a file already there
        for path in first.wanted():
            code, _, output_file = path.partition("/")
            page_digest = page_digests.get(output_file)
            if code in codes and page_digest is not None and previous.files.get(path, page_digest) != page_digest:
                early[path] = page_digest
        if early:
            early_files = {path.partition("/")[2] for path in early}
            # `page_digests` is in the pages' order: the open ones found in C, not by asking every page its output file.
            pages = list(compress(loaded.model.pages, map(early_files.__contains__, page_digests)))
            for template in sorted({page.template for page in pages}):
                _compile(env, template)
            trees = OutputTrees(self.output_dir, self.cache)
            placed = {**previous.files, **early}
            search.remember_index_files(placed, search.index_files(previous.files), {})  # open pages are no index files
            trees.update(placed, previous, lambda root, paths: self._fill(root, paths, pages, renderers, placed, previous.search_keys), early.keys(), exact=True)
        # Only pages digested anew may differ from the output (but for a page whose earlier write failed).
        files = previous.files
        pending = frozenset(path for output_file in renewed for path in (f"{code}/{output_file}" for code in codes)
                            if path not in early and files.get(path) != page_digests[output_file])
        first.written(StillToWrite(pending, tuple(sorted(search.shard_folder(shard) for shard in shards))))
        return OutputState(placed, previous.search_keys) if early else previous

    def _fill(self, root: Path, paths: set[str], pages: Sequence[PageSpec], renderers: list[EditionRenderer], digests: dict[str, str | bytes],
              search_keys: dict[str, str]) -> OutputState:
        """Render the pages among `paths` into the twin `root`: `_put_first`'s part of an update."""
        _render(root, pages, paths, renderers, None, replacing=True)
        return OutputState(digests, search_keys)

    def _write(self, loaded: LoadedSite, wanted: _Plan, previous: OutputState, reindex: set[str],
               renderers: list[EditionRenderer], env: jinja2.Environment) -> list[str]:
        """Write the build as a whole tree swapped in (`swap.OutputTrees`): a fresh one for a
        clean build, else the twin brought up to date (where what differs from the output and
        whatever the twin lacks are written). Returns the search index's files it wrote."""
        codes = {renderer.edition.code for renderer in renderers}
        incremental = bool(previous.files)
        index_written: list[str] = []

        def fill(root: Path, paths: set[str]) -> OutputState:
            writing = paths if incremental else set(wanted.digests)
            changed_pages = {rest for code, _, rest in (path.partition("/") for path in writing) if code in codes}
            pages = list(compress(wanted.pages.values(), map(changed_pages.__contains__, wanted.pages)))
            for template in sorted({page.template for page in pages}):
                _compile(env, template)
            # The records to make, made from the bodies the rendering converts for the report pages.
            planned = None
            if reindex and self._index_ahead is None:
                planned = self._search_records.plan(loaded, reindex, wanted.search_keys, wanted.search_digest, self._digests.reports)  # type: ignore[union-attr]
            # A clean build's twin is linked from the files as they are written (`OutputTrees.written`).
            with self._clock.stage("render"):
                rendered = _render(root, pages, writing, renderers, self.progress, replacing=incremental,
                                   records_for=planned.unmade if planned else None, written=trees.written)
            with self._clock.stage("other files"):
                trees.written(_write_files(Writer(root, replacing=incremental), wanted, writing, renderers[0]))
            if self._index_ahead is not None or planned is not None:  # Pagefind writes a tree of its own; its files join `writing`
                with self._clock.stage("search index"):
                    if self._index_ahead is not None:
                        index_files = self._index_ahead.place(root)
                        self._index_ahead = None
                    else:
                        indexed, directories = self._search_records.inputs(loaded, planned, rendered)  # type: ignore[arg-type]
                        index_files = [path.relative_to(root).as_posix() for path in search.write_index(indexed, root, directories)]
                    for name in index_files:
                        wanted.digests[name] = digest(read_whole(os.path.join(root, name))[1])
                        writing.add(name)
                    index_written.extend(index_files)
            return OutputState(wanted.digests, wanted.search_keys)

        trees = OutputTrees(self.output_dir, self.cache)
        if self._index_ahead is None:
            remove_tree(trees.index_ahead)  # a killed build's (one begun removes it first)
        if incremental:
            trees.update(wanted.digests, previous, fill, wanted.changed)
        else:
            trees.replace(fill)
        return index_written


def build(site_dir: Path, output_dir: Path, overrides: dict[str, Any] | None = None, drafts: bool = False, today: date | None = None,
          cache: bool = True, progress: Progress | None = None) -> BuildResult:
    """Build the site into `output_dir`; raise BuildError (and leave `output_dir` alone) on any error.

    With `cache` (the default) the build is incremental: unchanged reports come from
    `.ogpsite-cache/` and only outputs whose inputs changed are written. `ogpsite serve`
    keeps one `Builder` between rebuilds instead of calling this.
    """
    return Builder(site_dir, output_dir, overrides, drafts, cache=cache, progress=progress).build(today)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading and planning make about a million long-lived objects and next to no reference
    cycles; the cyclic collector would scan them over and over (a third of a warm build's time
    at 20,000 reports). Reference counting still frees everything as usual. What was made
    here is then frozen: it lives to the end of the build, and the collector (in this process
    and in the forked workers) leaves it alone until the next build unfreezes it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _compile(env: jinja2.Environment, template: str) -> None:
    """Compile a template once here, before forking, so that every worker inherits it."""
    try:
        env.get_template(template)
    except jinja2.TemplateError as error:
        raise BuildError([template_problem(error, template)]) from None


def _renderers(loaded: LoadedSite, env: Any, static_urls: dict[str, str]) -> list[EditionRenderer]:
    shared = SharedRenderData(loaded.site, loaded.config, loaded.converter, loaded.bodies, loaded.summaries, loaded.by_source, loaded.images)
    first, second = editions(loaded.config)
    return [EditionRenderer(shared, first, second, env, static_urls), EditionRenderer(shared, second, first, env, static_urls)]


def _attached(loaded: LoadedSite) -> str:
    """The attachments each report publishes, and the image files made of them."""
    attached = "\n".join([f"{report.source}\0{sorted(loaded.attachments[report.source])!r}" for report in loaded.attaching])
    return digest(attached, "\n".join(f"{path}\0{value}" for path, (_, value) in loaded.image_files.items()))


def _claims_key(loaded: LoadedSite, output_files: list[str], pages: int, assets: dict[str, Any]) -> str:
    """The output paths `build.claim_outputs` checks: `output_files`, the pages' (each once, of
    `pages` pages: a count above theirs is a collision), the attachments' and the assets'."""
    attachments = loaded.attachments
    attached = [f"{report.path}{name}" for report in loaded.attaching for name in sorted(attachments[report.source])]
    attached += loaded.image_files
    codes = (loaded.config.editions.cyrillic, loaded.config.editions.latin)
    aliases = [f"{report.source}\0{report.aliases!r}" for report in loaded.aliased]
    return digest(*codes, str(pages), "\n".join(output_files), "\n".join(attached), "\n".join(assets), "\n".join(aliases))


def _frame_sections(model: SiteModel) -> None:
    """Each page's frame (a digest of all it is rendered from but the reports it shows, and the
    sources of those) for every page of `model` that has none: kept in the model (`derived`)
    until the page is made again."""
    canonical = _Canonical()
    frame_of: dict[str, bytes] = {}  # canonical text -> frame: every report page has the same
    for key, pages in model.sections.items():
        frames = model.derived.get(key)
        if frames is None:
            frames = model.derived[key] = [None] * len(pages)
        elif None not in frames:
            continue
        for number, page in enumerate(pages):
            if frames[number] is not None:
                continue
            text, shown = canonical.page(page)
            if page.kind != "report":  # a list shows other reports when one moves past its page: a new frame
                text = "\0".join([text, *shown])
            frame = frame_of.get(text)
            if frame is None:
                frame = frame_of[text] = hashlib.sha256(text.encode()).digest()
            frames[number] = (page.output_file, frame, shown)


def _page_digest(site_key: bytes, frame: bytes, shown: tuple[str, ...], report_digests: dict[str, bytes]) -> bytes:
    # Raw digests, not hex: pages are most of the digests kept, stored and loaded on every build.
    return hashlib.sha256(b"".join([site_key, frame, *map(report_digests.__getitem__, shown)])).digest()


def _plan(loaded: LoadedSite, page_digests: dict[str, bytes], assets: dict[str, Any], renderers: list[EditionRenderer],
          site_digest: str, site_dir: Path, sitemap: dict[str, tuple[str, list[str]]]) -> _Plan:
    wanted = _Plan(codes=tuple(renderer.edition.code for renderer in renderers))
    for renderer in renderers:
        code = renderer.edition.code
        wanted.digests.update((f"{code}/{output_file}", page_digest) for output_file, page_digest in page_digests.items())
    attachments = loaded.attachments
    for report in loaded.attaching:
        names = attachments[report.source]
        published = loaded.images.get(report.source, {})
        for name in sorted(names):
            if name in published:
                continue  # its files are the image store's (below)
            source = site_dir / Path(report.source).parent / name
            value = digest(source.read_bytes())
            for renderer in renderers:
                path = f"{renderer.edition.code}/{report.path}{name}"
                wanted.digests[path] = value
                wanted.copies[path] = source
    for path, (source, value) in loaded.image_files.items():
        for renderer in renderers:
            wanted.digests[f"{renderer.edition.code}/{path}"] = value
            wanted.copies[f"{renderer.edition.code}/{path}"] = source
    for name, (source, _) in assets.items():
        wanted.digests[f"static/{name}"] = digest(source.read_bytes())
        wanted.copies[f"static/{name}"] = source
    for path, content in root_files(renderers[0]).items():
        wanted.digests[path] = digest(site_digest, content)
        wanted.texts[path] = content
    wanted.set_redirects(redirect_files(loaded.config, loaded.aliased, loaded.converter))
    for name, (value, output_files) in sitemap.items():
        wanted.digests[name] = value
        wanted.sitemap_files[name] = output_files
    return wanted


def _sitemap_plan(pages: list[PageSpec], editions: int, site_digest: str, dates: Mapping[str, str]) -> dict[str, tuple[str, list[str]]]:
    """Each sitemap file (`sitemap.layout`) with its digest and the output files of the pages it lists.

    The sitemap lists every page: cheaper to describe (paths, languages, dates) than to write
    out. The dates are those `_Digests.update` kept with the pages' digests: working each list
    page's out again here (160,000 reads at 20,000 reports) cost a third of a warm build. Each
    file's digest is made from the pages it lists, a large site's index's from the files it names."""
    listed = [page for page in pages if page.in_sitemap]
    files = layout([sitemap_part(page) for page in listed], editions)
    planned = {}
    for name, numbers in files.items():
        if name == INDEX_FILE and len(files) > 1:
            described = "\n".join(files)
        else:
            described = "\n".join([f"{listed[number].path}\t{listed[number].language}\t{dates[listed[number].output_file]}" for number in numbers])
        planned[name] = (digest(site_digest, name, described), [listed[number].output_file for number in numbers])
    return planned


def _search_keys(site: Site, by_source: Mapping[str, Report], search_digest: str, report_digests: dict[str, bytes], kept: Mapping[str, str],
                 stale: Collection[str]) -> dict[str, str]:
    """Each search shard's key: a digest of what its index is made from (its reports in order, where
    they are published; `search_digest` covers the code, Pagefind's version and the config).
    Taken from `kept` for the shards that hold none of the reports `stale` (by source in `by_source`,
    the site's reports: kept keys are of the same placements, so a report's date gives its shard)."""
    members = search.shards(site)
    remade = {shard_among(by_source[source].date, members) for source in stale if source in by_source} if kept else set()
    keys = {shard: kept[shard] if shard in kept and shard not in remade else
            digest(search_digest, shard, "\n".join(report.path for report in reports), *[report_digests[report.source] for report in reports])
            for shard, reports in members.items()}
    # A split year's directory is made from its months' records: it changes with any of theirs.
    keys.update((year, digest(search_digest, year, *[f"{month} {keys[month]}" for month in months])) for year, months in year_directories(keys).items())
    return keys


class _SearchRecords:
    """Each report's search record with the key it was made from, by shard: kept between builds
    (in memory for `serve`, and in the cache folder, a file per shard), so that indexing a year
    again makes the records of its changed reports only (making one costs about as much as
    Pagefind's indexing it)."""

    def __init__(self, cache: BuildCache | None) -> None:
        self.cache = cache
        self.shards: dict[str, dict[str, tuple[str, search.SearchRecord]]] = {}  # shard -> source -> (key, record)
        self.pages: dict[str, tuple[str, str]] = {}  # month -> (its shard's key, its page of its year's directory)

    def page(self, month: str, key: str) -> str | None:
        """The directory page of `month` (`search.directory_page`) if it was made from the shard `key` names."""
        if month not in self.pages and self.cache:
            stored = self.cache.value(f"directory-{month}")
            if isinstance(stored, tuple) and len(stored) == 2:
                self.pages[month] = stored
        kept_key, page = self.pages.get(month, ("", ""))
        return page if kept_key == key else None

    def store_page(self, month: str, key: str, records: Sequence[search.SearchRecord]) -> str:
        """The directory page of `month` made from its `records`, kept under the shard's `key`: making
        it again decompresses every record of the month (0.09 s for a year of 1,270 reports)."""
        page = search.directory_page(month, records)
        self.pages[month] = key, page
        if self.cache:
            self.cache.store_value(f"directory-{month}", (key, page))
        return page

    def plan(self, loaded: LoadedSite, reindex: set[str], keys: dict[str, str], search_digest: str, report_digests: dict[str, bytes]) -> _Reindexing:
        """What indexing the shards `reindex` again takes. A year directory again needs the page of
        each of its months: kept for the months not indexed again, else made from their records."""
        directories = {year: months for year, months in year_directories(keys).items() if year in reindex}
        kept_pages = {month: self.page(month, keys[month]) for months in directories.values() for month in months}
        record_shards = (reindex - directories.keys()) | {month for month, page in kept_pages.items() if page is None}
        return _Reindexing(reindex, keys, search_digest, report_digests, directories, kept_pages, record_shards,
                           self.missing(loaded, record_shards, search_digest, report_digests))

    def inputs(self, loaded: LoadedSite, planned: _Reindexing, rendered: Mapping[str, search.SearchRecord]
               ) -> tuple[dict[str, list[search.SearchRecord]], dict[str, dict[str, str]]]:
        """`write_index`'s records (each shard's in site order, as the plan lists files) and year
        directories for `planned`; records among `rendered` are taken from it (`made`)."""
        made = self.made(loaded, planned.record_shards, planned.search_digest, planned.report_digests, rendered)
        indexed = {shard: records for shard, records in made.items() if shard in planned.shards}
        directories = {year: {month: planned.kept_pages[month] or self.store_page(month, planned.keys[month], made[month]) for month in months}
                       for year, months in planned.directories.items()}
        return indexed, directories

    def missing(self, loaded: LoadedSite, shards: set[str], search_digest: str, report_digests: dict[str, bytes]) -> dict[str, str]:
        """The reports of `shards` whose kept record is not current, by source, with their shard."""
        chosen, keys, kept = self._state(loaded, shards, search_digest, report_digests)
        return {report.source: shard for shard, reports in chosen.items() for report in reports if kept[shard].get(report.source, ("",))[0] != keys[report.source]}

    def made(self, loaded: LoadedSite, shards: set[str], search_digest: str, report_digests: dict[str, bytes],
             rendered: Mapping[str, search.SearchRecord]) -> dict[str, list[search.SearchRecord]]:
        """The records of `shards`, each in site order; a record is made again when `search_digest`
        (code and config), its report's digest or its path changed: taken from `rendered` (made
        by this build's rendering, so current) when it is there."""
        chosen, keys, kept = self._state(loaded, shards, search_digest, report_digests)
        missing = [report for shard, reports in chosen.items() for report in reports if kept[shard].get(report.source, ("",))[0] != keys[report.source]]
        fresh = {report.source: rendered[report.source] for report in missing if report.source in rendered}
        unrendered = [report for report in missing if report.source not in fresh]
        fresh.update(zip([report.source for report in unrendered], search.records(loaded.site, loaded.bodies, loaded.converter, unrendered)))
        made = {}
        for shard, reports in chosen.items():
            entries = {report.source: (keys[report.source], fresh[report.source]) if report.source in fresh else kept[shard][report.source] for report in reports}
            if self.cache and (entries.keys() != kept[shard].keys() or not fresh.keys().isdisjoint(entries)):
                self.cache.store_value(f"search-{shard}", entries, made_with=search_digest)
            self.shards[shard] = entries
            made[shard] = [record for _, record in entries.values()]
        return made

    def _state(self, loaded: LoadedSite, shards: set[str], search_digest: str, report_digests: dict[str, bytes]
               ) -> tuple[dict[str, list[Report]], dict[str, str], dict[str, dict[str, tuple[str, search.SearchRecord]]]]:
        """The reports of `shards` by shard, each report's record key, and the records kept by shard."""
        chosen = {shard: reports for shard, reports in search.shards(loaded.site).items() if shard in shards}
        keys = {report.source: digest(search_digest, report.path, report_digests[report.source]) for reports in chosen.values() for report in reports}
        return chosen, keys, {shard: self._kept(shard, search_digest) for shard in chosen}

    def _kept(self, shard: str, search_digest: str) -> dict[str, tuple[str, search.SearchRecord]]:
        """The records of `shard` kept from an earlier build: from the cache folder when made
        with `search_digest` (any other's are all stale)."""
        if shard not in self.shards and self.cache:
            stored = self.cache.value(f"search-{shard}", made_with=search_digest)
            self.shards[shard] = stored if isinstance(stored, dict) else {}
        return self.shards.get(shard, {})


@dataclass
class _Reindexing:
    """What indexing some shards again takes (`_SearchRecords.plan`)."""

    shards: set[str]  # indexed again
    keys: dict[str, str]  # every shard's key (`_search_keys`)
    search_digest: str
    report_digests: dict[str, bytes]
    directories: dict[str, list[str]]  # year directories indexed again -> their months
    kept_pages: dict[str, str | None]  # their months -> each one's page kept from an earlier build, if current
    record_shards: set[str]  # shards whose records are needed
    unmade: dict[str, str]  # source -> shard: the records to make


def _reindexed(search_keys: Mapping[str, str], previous: OutputState) -> set[str]:
    """The search shards whose index the output does not hold as `search_keys` want it."""
    known = previous.search_keys if previous.files else {}
    return {shard for shard, key in search_keys.items() if known.get(shard) != key}


def _descriptions(site: Site) -> dict[str, str]:
    """A digest of each institution and tag as the site describes it (names, acronym, description)."""
    described = {f"institution {slug}": digest(repr(item)) for slug, item in site.institutions.items()}
    described.update((f"tag {slug}", digest(repr(item))) for slug, item in site.tags.items())
    return described


def _report_digester(loaded: LoadedSite, descriptions: dict[str, str]) -> Callable[[str], bytes]:
    """A report's digest, by source: everything a template can reach through it. That is what
    its file was read from (fields, body and summary follow from it), its links as resolved
    against the other reports, and the site's descriptions of its institutions and tags."""
    site = loaded.site

    def report_digest(source: str) -> bytes:
        named = ",".join(descriptions[f"institution {slug}"] for slug in site.report_institutions[source])
        tagged = ",".join(descriptions[f"tag {slug}"] for slug in site.report_tags[source])
        resolved = loaded.bodies[source] if source in loaded.linked else ""
        shown = repr(sorted(loaded.images[source].items())) if source in loaded.images else ""  # sizes and files its <img> tags name
        return hashlib.sha256(f"{loaded.keys[source]}\1{named}\1{tagged}\1{resolved}\1{shown}".encode()).digest()

    return report_digest


class _Canonical:
    """A page as text that changes whenever anything it is rendered from changes, reports apart:
    each report it shows is a `#` in the text and its source in the tuple returned beside."""

    def __init__(self) -> None:
        # id -> text of values many pages share (titles, institutions, dates, month counts); the
        # pages keep them alive while this object lives, so their ids are not reused.
        self._texts: dict[int, str] = {}

    def page(self, page: PageSpec) -> tuple[str, tuple[str, ...]]:
        if page.kind == "report":  # made from its report and the reports it links to (`pages.report_page`), which their digests cover
            links = page.data["onward"]
            return f"report,{links.previous!r},{links.next!r},{links.related!r}", (page.data["report"].source, *links.sources)
        shown: list[str] = []
        text = f"{page.path!r},{page.template!r},{page.kind!r},{self.value(page.title, shown)},{page.language!r},{page.in_sitemap!r},{self.value(page.data, shown)}"
        return text, tuple(shown)

    def value(self, value: Any, shown: list[str]) -> str:
        kind = type(value)
        if kind is str or kind is int:
            return repr(value)
        if kind is Report:
            shown.append(value.source)
            return "#"
        if kind is Pager:
            return f"Pager({value.number},{value.count},{self.value(value.items, shown)})"
        if (kind is list or kind is tuple) and value and type(value[0]) is Report:  # report lists: most of every page's text
            shown.extend([report.source for report in value])
            return f"[#{len(value)}]"
        text = self._texts.get(id(value))
        if text is None:
            before = len(shown)
            text = self._describe(value, shown)
            if len(shown) == before:  # a value holding reports is described anew on every page
                self._texts[id(value)] = text
        return text

    def _describe(self, value: Any, shown: list[str]) -> str:
        kind = type(value)
        if kind is dict:
            return "{" + ",".join([f"{key!r}:{self.value(item, shown)}" for key, item in sorted(value.items())]) + "}"
        if kind is list or kind is tuple:
            return "[" + ",".join([self.value(item, shown) for item in value]) + "]"
        return f"{kind.__name__}:{value!r}"  # None, dates, and the frozen dataclasses Institution, Tag, Bilingual


def _render(root: Path, pages: Sequence[PageSpec], changed: set[str], renderers: list[EditionRenderer], progress: Progress | None,
            replacing: bool = False, records_for: Mapping[str, str] | None = None,
            written: Callable[[list[str]], None] | None = None) -> dict[str, search.SearchRecord]:
    """Render the paths among `changed` of `pages` into `root` (`replacing`, as `Writer` takes it), in worker processes that write their own files.
    Returns the search records of the reports among `records_for` (source -> shard) whose report
    pages are among `pages`, made from the bodies converted for those pages (a second
    transliteration of each body would cost about as much as the rest of the record).
    `written` is told the paths of each chunk of pages once they are written."""

    def render_chunk(chunk: Sequence[PageSpec]) -> tuple[dict[str, search.SearchRecord], list[str]]:
        writer = Writer(root, replacing)
        paths = []
        for renderer in renderers:
            for page in chunk:
                path = f"{renderer.edition.code}/{page.output_file}"
                if path in changed:
                    writer.text(path, renderer.render(page))
                    paths.append(path)
        records = _search_records_of(chunk, renderers, records_for) if records_for else {}
        for page in chunk:
            if page.kind == "report":
                for renderer in renderers:
                    renderer.release_body(page.data["report"])
        return records, paths

    advance: Callable[[int], None] | None = progress("writing", len(pages)) if progress and pages else None
    made: dict[str, search.SearchRecord] = {}
    for count, (chunk_records, chunk_paths) in map_chunks(render_chunk, pages):
        made.update(chunk_records)
        if written:
            written(chunk_paths)
        if advance:
            advance(count)
    return made


def _search_records_of(pages: Sequence[PageSpec], renderers: list[EditionRenderer], records_for: Mapping[str, str]) -> dict[str, search.SearchRecord]:
    """The search records of the reports among `records_for` whose report pages are among `pages`, from the renderers' converted bodies."""
    made = {}
    shared = renderers[0].shared
    for page in pages:
        report = page.data["report"] if page.kind == "report" else None
        if report is not None and report.source in records_for:
            converted = {renderer.edition.script: renderer.view(report).converted_html for renderer in renderers}
            made[report.source] = search.record(shared.site, report, records_for[report.source], converted, shared.converter)
    return made


def _write_files(writer: Writer, wanted: _Plan, changed: set[str], renderer: EditionRenderer) -> list[str]:
    """The plan's files other than pages among `changed` (sitemap, root files, attachments, assets); returns their paths."""
    texts = dict(wanted.texts)
    for name, output_files in wanted.sitemap_files.items():  # only the sitemap's files that changed are made
        if name not in changed:
            continue
        if name == INDEX_FILE and len(wanted.sitemap_files) > 1:  # a large site's: it names the others
            texts[name] = sitemap_index(renderer, [other for other in wanted.sitemap_files if other != name])
        else:
            texts[name] = sitemap(renderer, [wanted.pages[output_file] for output_file in output_files], wanted.sitemap_dates)
    paths = []
    for path in sorted(changed):
        if path in texts:
            writer.text(path, texts[path])
        elif path in wanted.copies:
            writer.copy(path, wanted.copies[path])
        else:
            continue
        paths.append(path)
    return paths


def differences(first: Path, second: Path) -> list[str]:
    """Relative paths whose bytes differ between two output folders, or that only one has.
    The marker is not compared: it names its tree (`outdir.marker_id`), no two alike."""
    def files(root: Path) -> dict[str, Path]:
        return {path.relative_to(root).as_posix(): path for path in root.rglob("*") if path.is_file() and path != root / MARKER}

    mine, theirs = files(first), files(second)
    return sorted(
        name for name in mine.keys() | theirs.keys()
        if name not in mine or name not in theirs or mine[name].read_bytes() != theirs[name].read_bytes()
    )


def verify_incremental(site_dir: Path, output_dir: Path, overrides: dict[str, Any] | None = None, drafts: bool = False,
                       today: date | None = None) -> list[str]:
    """Build a clean copy in a temporary folder (no cache) and list the files where the incremental output differs."""
    with tempfile.TemporaryDirectory(prefix="ogpsite-verify-") as scratch:  # on no one's way
        Builder(site_dir, Path(scratch, "output"), overrides, drafts, cache=False).build(today)
        return differences(output_dir, Path(scratch, "output"))
