"""The pipeline's stages that come before and around rendering: read and validate everything
into a `LoadedSite`, plan and claim the outputs, make the root files and the sitemap.

`incremental.Builder` runs these stages; it is the one owner of a build (a clean build is its
case with an empty cache). `commands.check` runs the reading stages alone.
"""

from __future__ import annotations

import posixpath
import re
import time
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any

import jinja2

from ..core.errors import BuildError, Problem, suggestion
from ..core.model import Report, Site
from ..core.pages import PageSpec, SiteModel
from ..core.taxonomy import NEWEST_FIRST
from ..core.settings import Config
from ..core.sitemap import SitemapPage, index_of, urlset
from ..sources.config import CONFIG_FILE, NOT_A_SITE, is_site, load_config
from ..sources.contained import walk_problems
from ..sources.markup import resolve_links
from ..sources import yamltext
from ..sources.reader import RegistryEntry, SourceFile, discover, read_registry
from ..translit import Converter
from . import search
from .images import PublishedImage, oversized
from .cache import BuildCache, Known, Progress, ReadSource, code_fingerprint, digest, read_html, read_sources
from .redirects import alias_file
from .render import EditionRenderer, available_themes, bundled_attachments, report_link_resolver, static_files, theme_directory, theme_roots
from .writer import OutputPlan


class Bodies(Mapping[str, str]):
    """Each report's sanitised body HTML, links resolved, by report source; fetched when first used.

    A build that renders a few pages (a one-report edit) reads a few of the cached bodies
    instead of all of them.
    """

    def __init__(self, sources: Iterable[str], fetch: Callable[[str], str]) -> None:
        self._sources = list(sources)
        self._fetch = fetch
        self._known: dict[str, str] = {}

    def __getitem__(self, source: str) -> str:
        body = self._known.get(source)
        if body is None:
            body = self._known[source] = self._fetch(source)
        return body

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)

    def settle(self, source: str, body: str) -> None:
        self._known[source] = body


@dataclass
class LoadedSite:
    """A site read and validated: what `check` reports on and `build` renders."""

    config: Config
    site: Site
    converter: Converter
    bodies: Bodies
    model: SiteModel  # the site's pages (the search page too when the site has search) and problems
    model_key: str  # digest of what the site model is made from besides the reports: registry, config, code
    # Seconds spent placing reports anew in the kept model (0: none changed); None: made afresh.
    model_placing: float | None
    sources: list[SourceFile]  # every report file, drafts too
    keys: dict[str, str] = field(default_factory=dict)  # report source -> digest of what it was read from
    linked: set[str] = field(default_factory=set)  # sources of the reports whose bodies have relative links
    summaries: dict[str, str] = field(default_factory=dict)
    by_source: dict[str, Report] = field(default_factory=dict)  # the site's reports by source
    attachments: dict[str, set[str]] = field(default_factory=dict)  # report source -> the files it publishes, of the reports that publish any
    # The reports, in site order, that attach any file: a few of them, which the build's passes
    # over attachments and images go through instead of every report (each such pass over every
    # report cost 0.1-0.2 s at 100,000 reports, in every build).
    attaching: list[Report] = field(default_factory=list)
    aliased: list[Report] = field(default_factory=list)  # the reports, in site order, with old addresses (`aliases`): a few too
    today: date = date.min  # the day it was loaded on: future-date checks depend on it
    drafts: bool = False  # whether drafts are part of the site
    tables: ReportTables = field(default_factory=lambda: ReportTables())  # what it found of each report file
    problems: list[Problem] = field(default_factory=list)
    # Set by the build (`images.publish`): report source -> file name -> image, and every image
    # file to publish, by edition-relative path -> (file in the image store, digest).
    images: dict[str, dict[str, PublishedImage]] = field(default_factory=dict)
    image_files: dict[str, tuple[Path, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class KnownChanges:
    """What a file watcher knows: the report files are still `sources`, and only `edited` changed."""

    sources: list[SourceFile]
    edited: frozenset[str]  # paths as shown: content/reports/...


@dataclass
class BuildResult:
    files: int
    reports: int
    warnings: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, in the order they ran


def make_converter(config: Config) -> Converter:
    dictionary = {entry.cyrillic: entry.latin for entry in config.translit.dictionary}
    return Converter(dictionary, config.translit.split_stems, config.translit.split_names)


@dataclass
class ReportTables:
    """What loading found of each report file, in the files' order: kept with the `LoadedSite`
    so that a load told which files were edited (`KnownChanges`) patches a copy instead of
    going through every file again (at 100,000 reports a second a build in `serve`)."""

    problems: dict[str, list[Problem]] = field(default_factory=dict)  # source (as shown) -> its problems, of the files that have any
    reports: list[Report] = field(default_factory=list)  # the reports the site has (drafts only when built)
    files: dict[str, SourceFile] = field(default_factory=dict)  # report source -> its file
    fresh: dict[str, str] = field(default_factory=dict)  # report source -> body HTML, of the files read now (the others' is cached)
    by_source: dict[str, Report] = field(default_factory=dict)
    placements: dict[str, str] = field(default_factory=dict)  # report source -> `SourceRecord.placement`
    keys: dict[str, str] = field(default_factory=dict)  # report source -> `SourceRecord.key`
    summaries: dict[str, str] = field(default_factory=dict)
    linking: set[str] = field(default_factory=set)  # the reports whose bodies have relative links (resolved every build)
    bundled: dict[str, set[str]] = field(default_factory=dict)  # report source -> the files it publishes, of the others that publish any
    aliased: set[str] = field(default_factory=set)  # the reports with old addresses (`aliases`)
    positions: dict[str, int] | None = None  # source (as shown) -> its place among the files, made when first needed

    def add(self, source: SourceFile, result: ReadSource, drafts: bool) -> None:
        record = result.record
        if record.problems:
            self.problems[source.shown] = record.problems
        report = record.report
        if report is None or not (drafts or not report.draft):
            return
        self.reports.append(report)
        self._set(source, result, report)

    def _set(self, source: SourceFile, result: ReadSource, report: Report) -> None:
        shown, record = report.source, result.record
        self.by_source[shown], self.files[shown] = report, source
        self.placements[shown], self.keys[shown], self.summaries[shown] = record.placement, record.key, record.summary
        if result.html is not None:
            self.fresh[shown] = result.html
        if report.aliases:
            self.aliased.add(shown)
        if record.links:
            self.linking.add(shown)
        else:
            attached = bundled_attachments(report, source.bundle)
            if attached:
                self.bundled[shown] = attached

    def patched(self, sources: list[SourceFile], read: list[tuple[SourceFile, ReadSource]], drafts: bool) -> ReportTables | None:
        """A copy with the files of `read` (each with what reading it gave now) in place of what
        they gave before; None when that adds or removes a report (the tables are made again)."""
        tables = replace(self, reports=list(self.reports), files=dict(self.files), fresh={}, by_source=dict(self.by_source), placements=dict(self.placements),
                         keys=dict(self.keys), summaries=dict(self.summaries), linking=set(self.linking), bundled=dict(self.bundled), aliased=set(self.aliased))
        for source, result in read:
            report, held = result.record.report, self.by_source.get(source.shown)
            if report is not None and not (drafts or not report.draft):
                report = None
            if (report is None) != (held is None):
                return None
            if result.record.problems or source.shown in self.problems:
                tables._set_problems(sources, source.shown, result.record.problems)
            if report is None or held is None:
                continue
            tables.reports[tables._report_number(sources, held.source)] = report
            tables.linking.discard(held.source)
            tables.bundled.pop(held.source, None)
            tables.aliased.discard(held.source)
            tables._set(source, result, report)
        return tables

    def _set_problems(self, sources: list[SourceFile], shown: str, problems: list[Problem]) -> None:
        """The problems of the file `shown` set to `problems`, the files still in their order."""
        positions = self._positions(sources)
        changed = {**self.problems, shown: problems}
        self.problems = {name: changed[name] for name in sorted(changed, key=positions.__getitem__) if changed[name]}

    def _report_number(self, sources: list[SourceFile], shown: str) -> int:
        """Where the report of the file `shown` is in `reports` (in the files' order): found by bisection."""
        positions = self._positions(sources)
        return bisect_left(self.reports, positions[shown], key=lambda report: positions[report.source])

    def _positions(self, sources: list[SourceFile]) -> dict[str, int]:
        if self.positions is None:  # made once, then kept by the copies `patched` makes (the files stay the same)
            self.positions = {source.shown: number for number, source in enumerate(sources)}
        return self.positions


def load(site_dir: Path, overrides: dict[str, Any] | None = None, drafts: bool = False, today: date | None = None,
         cache: BuildCache | None = None, progress: Progress | None = None, known: KnownChanges | None = None,
         scanned: tuple[list[SourceFile], list[Known]] | None = None, resident: LoadedSite | None = None) -> LoadedSite:
    """Read, validate and prepare everything; problems are collected, not raised (but config errors are).

    Report files are read and their Markdown rendered on every core; with a `cache`,
    unchanged files are taken from it instead. `known`: the report files of an earlier load
    and the only ones edited since (from a file watcher): the folders are not walked again.
    `scanned`: the report files and what each is, as `cache.scan_sources` found them just now.
    `resident`: the last load of the site (`serve`), which a load with `known` changes starts
    from when it was made on the same day from the same files: only the edited files are
    gone through.
    """
    if not is_site(site_dir):
        # Building "nothing" would replace a real output folder with an empty site.
        raise BuildError([Problem(str(site_dir), 0, NOT_A_SITE)])
    config = load_config(site_dir, overrides)
    converter = make_converter(config)
    today = today or date.today()
    sources = known.sources if known else scanned[0] if scanned else discover(site_dir)
    tables, edited = None, None
    if known and resident is not None and resident.today == today and resident.sources is sources and resident.drafts == drafts:
        edited_files = [source for source in sources if source.shown in known.edited]
        reread = read_sources(edited_files, today, config.sanitize, cache, progress, known.edited, None, config.language)
        tables = resident.tables.patched(sources, list(zip(edited_files, reread)), drafts)
        if tables is not None:  # the model, if it is the last load's, holds that load's reports but for the files edited
            edited = (known.edited, resident.model, resident.tables.by_source)
    if tables is None:
        tables = ReportTables()
        for source, result in zip(sources, read_sources(sources, today, config.sanitize, cache, progress, known.edited if known else None,
                                                                   scanned[1] if scanned and not known else None, config.language)):
            tables.add(source, result, drafts)
    problems: list[Problem] = [*getattr(sources, "problems", ()), *chain.from_iterable(tables.problems.values())]  # links not followed, then each file's
    entries, registry_problems = read_registry(site_dir)
    problems.extend(registry_problems)
    model_key = digest(code_fingerprint(), repr(config), repr(entries), str(search.enabled(config)))
    model, model_placing = _site_model(model_key, config, converter, tables, entries, cache, edited)
    site = model.site
    problems.extend(model.problems)
    files, fresh = tables.files, tables.fresh

    def fetch(shown: str) -> str:
        body = fresh.get(shown)
        if body is not None:
            return body
        cached = cache.html(shown) if cache else None
        return cached if cached is not None else read_html(files[shown], config.sanitize)

    loaded = LoadedSite(config, site, converter, Bodies(files, fetch), model, model_key, model_placing, sources, keys=tables.keys,
                        summaries=tables.summaries, by_source=tables.by_source, attachments=dict(tables.bundled), problems=problems,
                        today=today, drafts=drafts, tables=tables)
    if tables.linking:
        _resolve_links(loaded, _in_site_order(map(tables.by_source.__getitem__, tables.linking)), site_dir)
    loaded.attaching = _in_site_order(map(tables.by_source.__getitem__, loaded.attachments))
    loaded.aliased = _in_site_order(map(tables.by_source.__getitem__, tables.aliased))
    problems.extend(oversized(loaded.attaching, loaded.attachments, site_dir, config.images, lambda report, name: _line_of(site_dir / report.source, report.body_line, name)))
    return loaded


def _site_model(key: str, config: Config, converter: Converter, tables: ReportTables, entries: list[RegistryEntry], cache: BuildCache | None,
                edited: tuple[Collection[str], SiteModel, dict[str, Report]] | None) -> tuple[SiteModel, float | None]:
    """The site (institutions merged, tags, order), its problems and its pages: from the cache
    when `key` says it was made from the same registry, config and code, and then brought up to
    date for the reports whose placements (`model.placement`) changed since (an edit to a body,
    title or summary changes none); with the seconds that took (None: made afresh). `edited`:
    the only report files changed since the last load, with its model and its reports by source
    (`SiteModel.refresh` looks at those reports alone when the model is that one)."""
    stored = cache.site_model(key, tables.by_source) if cache else None
    if isinstance(stored, SiteModel):
        version, began = stored.version, time.perf_counter()
        held = (edited[0], edited[2]) if edited is not None and edited[1] is stored else None
        if stored.refresh(tables.by_source, tables.placements, config, converter, held):
            return stored, time.perf_counter() - began if stored.version != version else 0.0
    bundle = (config.base_path + search.INDEX_DIR + "/", {"fold": search.fold_table(), "latin": search.latin_table()}) if search.enabled(config) else None
    return SiteModel.make(tables.reports, tables.placements, entries, config, converter, bundle), None


def keep_model(cache: BuildCache, loaded: LoadedSite) -> None:
    """Save the site model (with what later stages derived from it) for the next builds when it
    was made afresh, or when placing reports anew in the saved one has cost, over the builds
    since it was saved, as long as saving it did (`BuildCache.owe_site_model`)."""
    if loaded.model_placing is None or (loaded.model_placing and cache.owe_site_model(loaded.model_placing)):
        cache.save_site_model(loaded.model_key, loaded.model)


def _resolve_links(loaded: LoadedSite, linking: list[Report], site_dir: Path) -> None:
    """Relative links in the HTML of the reports `linking` (in site order) resolved (they depend
    on the other reports); broken links are errors. The files such a report publishes follow from them."""
    by_source = loaded.by_source
    for report in linking:
        resolve, used = report_link_resolver(report, by_source, loaded.tables.files[report.source].bundle)
        body_html, broken = resolve_links(loaded.bodies[report.source], resolve)
        loaded.bodies.settle(report.source, body_html)
        loaded.linked.add(report.source)
        if used:
            loaded.attachments[report.source] = used
        for target in broken:
            loaded.problems.append(_broken_link(report, target, by_source, site_dir))


def _in_site_order(reports: Iterable[Report]) -> list[Report]:
    """A few of the site's reports in its order (`taxonomy.place_reports`: newest first, reports
    alike in that kept in the order of their files) without a pass over all of them."""
    return sorted(sorted(reports, key=attrgetter("source")), key=NEWEST_FIRST, reverse=True)


def _broken_link(report: Report, target: str, by_source: dict[str, Report], site_dir: Path) -> Problem:
    """The link's line and the fix: the nearest report or attachment path, written relative to the report."""
    directory = posixpath.dirname(report.source)
    candidates = [posixpath.relpath(source, directory) for source in by_source if source != report.source]
    hint = suggestion(target, [*candidates, *report.attachments])
    message = f"link `{target}` points to no report or attachment{hint or ': check the path (relative to this file)'}"
    return Problem(report.source, _line_of(site_dir / report.source, report.body_line, target), message)


def _line_of(path: Path, body_line: int, needle: str) -> int:
    """The line of the body where `needle` is first written (the body's first line if nowhere)."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    for number, line in enumerate(lines[body_line - 1 :], body_line):
        if needle in line:
            return number
    return body_line


def plan_outputs(loaded: LoadedSite, site_dir: Path) -> tuple[Path, list[PageSpec], dict[str, Any]]:
    """The theme, and the pages and assets to write."""
    config = loaded.config
    try:
        theme_dir = theme_directory(site_dir, config.theme)
    except FileNotFoundError:
        raise BuildError([missing_theme(site_dir, config.theme)]) from None
    own = [site_dir / "templates", *([theme_dir] if theme_dir.parent == site_dir / "themes" else [])]  # not the themes ogpsite ships
    outside = [problem for folder in own for problem in walk_problems(folder, site_dir, site_dir)]
    if outside:
        raise BuildError(outside)
    assets = static_files(theme_dir, config.base_path)
    missing = missing_static_files(site_dir, theme_dir, assets)
    if missing:
        raise BuildError(missing)
    return theme_dir, loaded.model.pages, assets


# A quick look for `static('name')` in a template's text; the lexer then confirms it is code.
_STATIC_CALL = re.compile(r"""\bstatic\(\s*(["'])([^"']+)\1\s*\)""")
_LEXER = jinja2.Environment()


def missing_static_files(site_dir: Path, theme_dir: Path, assets: Mapping[str, Any]) -> list[Problem]:
    """Each `static('name')` in the templates a build can use whose file the theme's static/
    lacks, at its template's line. Found here, `check` says it too, and a build does not end
    in a KeyError deep in rendering; a theme without static/ whose templates ask for none builds."""
    problems: list[Problem] = []
    for path, text in _used_templates(site_dir, theme_dir).items():
        if all(match.group(2) in assets for match in _STATIC_CALL.finditer(text)):
            continue  # every build of a complete theme stops here, before the lexer
        for line, name in _static_calls(text):
            if name not in assets:
                problems.append(Problem(_shown(path, site_dir), line, _missing_static_message(site_dir, theme_dir, name)))
    return problems


def _used_templates(site_dir: Path, theme_dir: Path) -> dict[Path, str]:
    """The text of each template file a build can load: all of the site's `templates/`, and
    the theme's own where the site does not override it or extends it as `theme/<name>`."""
    own = _template_texts(site_dir / "templates")
    overridden = {path.relative_to(site_dir / "templates").as_posix() for path in own}
    named = "\n".join(own.values())
    theme = theme_dir / "templates"
    return own | {path: text for path, text in _template_texts(theme).items()
                  if (name := path.relative_to(theme).as_posix()) not in overridden or f"theme/{name}" in named}


def _template_texts(folder: Path) -> dict[Path, str]:
    if not folder.is_dir():
        return {}
    return {path: path.read_text(encoding="utf-8", errors="replace") for path in sorted(folder.rglob("*")) if path.is_file()}


def _static_calls(text: str) -> list[tuple[int, str]]:
    """(line, name) of each `static('name')` in a template's code, not in its text, comments or
    raw blocks; none when it does not parse (rendering reports that at its line)."""
    try:
        tokens = [(line, kind, value) for line, kind, value in _LEXER.lex(text) if kind != "whitespace"]
    except jinja2.TemplateSyntaxError:
        return []
    return [(line, string[1:-1]) for (line, kind, value), (_, _, opening), (_, string_kind, string), (_, _, closing)
            in zip(tokens, tokens[1:], tokens[2:], tokens[3:])
            if (kind, value, opening, string_kind, closing) == ("name", "static", "(", "string", ")")]


def _missing_static_message(site_dir: Path, theme_dir: Path, name: str) -> str:
    folder = _shown(theme_dir, site_dir)
    lacking = f"static/{name}" if (theme_dir / "static").is_dir() else f"static/ folder, so no static/{name}"
    return f"the theme folder {folder}/ has no {lacking}, which this template links to: add the file, or take `static('{name}')` out of the template"


def _shown(path: Path, site_dir: Path) -> str:
    """A path as messages name it: relative to the site when inside it (a shipped theme is not)."""
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return str(path)


def missing_theme(site_dir: Path, theme: str) -> Problem:
    """Names every place looked in; blames `ogpsite.yml`'s `theme:` line only when there is one."""
    config_path = site_dir / CONFIG_FILE
    looked = " and ".join(f"{root / theme}/" for root in theme_roots(site_dir))
    offered = available_themes(site_dir)
    message = f"theme `{theme}` not found (looked in {looked}){suggestion(theme, offered)}"
    if offered:
        message += f"; themes available: {', '.join(offered)}"
    if config_path.is_file():
        return Problem(CONFIG_FILE, _setting_line(config_path, "theme"), message)
    return Problem(f"themes/{theme}/", 0, message)


def _setting_line(config_path: Path, key: str) -> int:
    """The line a top-level setting is written on (0 if it is not written, e.g. the default)."""
    try:
        return yamltext.parse(config_path.read_text(encoding="utf-8")).line(key)
    except (yamltext.YamlSyntaxError, UnicodeDecodeError):
        return 0


def claim_outputs(loaded: LoadedSite, pages: list[PageSpec], assets: dict[str, Any]) -> OutputPlan:
    """Every output path claimed once: two sources for one path are the plan's problems."""
    outputs = OutputPlan()
    config = loaded.config
    for code in (config.editions.cyrillic, config.editions.latin):
        for page in pages:
            source = page.data["report"].source if page.kind == "report" else f"{page.kind} page"
            outputs.claim(f"{code}/{page.output_file}", source)
        for report in loaded.attaching:
            for name in loaded.attachments[report.source]:
                outputs.claim(f"{code}/{report.path}{name}", posixpath.join(posixpath.dirname(report.source), name))
            for image in loaded.images.get(report.source, {}).values():
                for variant in image.variants:
                    outputs.claim(f"{code}/{report.path}{variant.name}", f"{posixpath.join(posixpath.dirname(report.source), image.name)} at {variant.width} px")
    for name in assets:
        outputs.claim(f"static/{name}", f"theme static/{name}")
    for name, what in ROOT_PAGES.items():
        outputs.claim(name, what)
    for report in loaded.aliased:  # after every page: an alias is what is said to collide
        for index, alias in enumerate(report.aliases):
            outputs.claim(alias_file(alias), report.source, report.line("aliases", index), f"alias `{alias}` (`{alias_file(alias)}`)",
                          producer=f"{report.source}\0aliases")
    return outputs


ROOT_PAGES = {"index.html": "the edition chooser", "404.html": "the 404 page"}  # of `root_files`, the pages an alias could name


def root_files(renderer: EditionRenderer) -> dict[str, str]:
    """Small files outside the editions: the chooser, 404, robots.txt, .nojekyll, CNAME (the sitemap and assets are apart)."""
    config = renderer.shared.config
    files = {
        "index.html": renderer.render_root(PageSpec("", "chooser.html", "chooser", None, language=config.language)),
        "404.html": renderer.render_root(PageSpec("", "404.html", "not_found", None, language=config.language)),
    }
    files["robots.txt"] = f"User-agent: *\nAllow: /\nSitemap: {config.absolute(config.base_path + 'sitemap.xml')}\n"
    files[".nojekyll"] = ""
    if config.cname:
        files["CNAME"] = config.cname + "\n"
    return files


def sitemap(renderer: EditionRenderer, pages: list[PageSpec], dates: Mapping[str, str]) -> str:
    """A sitemap file listing `pages` in both editions, each with its date from `dates` (by
    output file: `last_change`, worked out once per page change)."""
    return urlset([_sitemap_page(renderer, page, dates[page.output_file]) for page in pages])


def sitemap_index(renderer: EditionRenderer, names: list[str]) -> str:
    """`sitemap.xml` naming the sitemap files `names` of a large site (`sitemap.layout`)."""
    config = renderer.shared.config
    return index_of(names, lambda name: config.absolute(config.base_path + name))


def _sitemap_page(renderer: EditionRenderer, page: PageSpec, date: str) -> SitemapPage:
    config = renderer.shared.config
    alternates = []
    for edition in (renderer.edition, renderer.other):
        alternates.append((edition.lang(page.language), config.absolute(f"{config.base_path}{edition.code}/{page.path}")))
    return SitemapPage(alternates, alternates[0][1], date)
