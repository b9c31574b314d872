"""The pipeline's stages that come before and around rendering: read and validate everything
into a `LoadedSite`, plan and claim the outputs, make the root files and the sitemap.

`incremental.Builder` runs these stages; it is the one owner of a build (a clean build is its
case with an empty cache). `commands.check` runs the reading stages alone.
"""

from __future__ import annotations

import posixpath
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from ..core.errors import BuildError, Problem, suggestion
from ..core.model import Report, Site
from ..core.pages import PageSpec, SiteModel
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
    attachments: dict[str, set[str]] = field(default_factory=dict)  # report source -> file names
    # The reports, in site order, that attach any file: a few of them, which the build's passes
    # over attachments and images go through instead of every report (each such pass over every
    # report cost 0.1-0.2 s at 100,000 reports, in every build).
    attaching: list[Report] = field(default_factory=list)
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


def load(site_dir: Path, overrides: dict[str, Any] | None = None, drafts: bool = False, today: date | None = None,
         cache: BuildCache | None = None, progress: Progress | None = None, known: KnownChanges | None = None,
         scanned: tuple[list[SourceFile], list[Known]] | None = None) -> LoadedSite:
    """Read, validate and prepare everything; problems are collected, not raised (but config errors are).

    Report files are read and their Markdown rendered on every core; with a `cache`,
    unchanged files are taken from it instead. `known`: the report files of an earlier load
    and the only ones edited since (from a file watcher): the folders are not walked again.
    `scanned`: the report files and what each is, as `cache.scan_sources` found them just now.
    """
    if not is_site(site_dir):
        # Building "nothing" would replace a real output folder with an empty site.
        raise BuildError([Problem(str(site_dir), 0, NOT_A_SITE)])
    config = load_config(site_dir, overrides)
    converter = make_converter(config)
    today = today or date.today()
    sources = known.sources if known else scanned[0] if scanned else discover(site_dir)
    problems: list[Problem] = list(getattr(sources, "problems", ()))  # links not followed
    reports: list[Report] = []
    read: dict[str, tuple[SourceFile, ReadSource]] = {}
    by_source: dict[str, Report] = {}
    placements: dict[str, str] = {}
    keys: dict[str, str] = {}
    summaries: dict[str, str] = {}
    attachments: dict[str, set[str]] = {}  # of reports with relative links: once they are resolved (`_resolve_links`)
    for source, result in zip(sources, read_sources(sources, today, config.sanitize, cache, progress, known.edited if known else None,
                                                               scanned[1] if scanned and not known else None, config.language)):
        record = result.record
        if record.problems:
            problems.extend(record.problems)
        report = record.report
        if report is not None and (drafts or not report.draft):
            reports.append(report)
            by_source[report.source] = report
            read[report.source] = (source, result)
            placements[report.source] = record.placement
            keys[report.source] = record.key
            summaries[report.source] = record.summary
            if not record.links:
                attachments[report.source] = bundled_attachments(report, source.bundle)
    entries, registry_problems = read_registry(site_dir)
    problems.extend(registry_problems)
    model_key = digest(code_fingerprint(), repr(config), repr(entries), str(search.enabled(config)))
    model, model_placing = _site_model(model_key, config, converter, reports, by_source, placements, entries, cache)
    site = model.site
    problems.extend(model.problems)

    def fetch(shown: str) -> str:
        source, result = read[shown]
        if result.html is not None:
            return result.html
        cached = cache.html(shown) if cache else None
        return cached if cached is not None else read_html(source, config.sanitize)

    loaded = LoadedSite(config, site, converter, Bodies(read, fetch), model, model_key, model_placing, sources, keys=keys, summaries=summaries,
                        by_source=by_source, attachments=attachments, problems=problems)
    if len(attachments) < len(reports):
        _resolve_links(loaded, read, by_source, site_dir)
    loaded.attaching = [report for report in site.reports if attachments[report.source]]
    problems.extend(oversized(loaded.attaching, attachments, site_dir, config.images, lambda report, name: _line_of(site_dir / report.source, report.body_line, name)))
    return loaded


def _site_model(key: str, config: Config, converter: Converter, reports: list[Report], by_source: dict[str, Report],
                placements: dict[str, str], entries: list[RegistryEntry], cache: BuildCache | None) -> tuple[SiteModel, float | None]:
    """The site (institutions merged, tags, order), its problems and its pages: from the cache
    when `key` says it was made from the same registry, config and code, and then brought up to
    date for the reports whose placements (`model.placement`) changed since (an edit to a body,
    title or summary changes none); with the seconds that took (None: made afresh)."""
    stored = cache.site_model(key, by_source) if cache else None
    if isinstance(stored, SiteModel):
        version, began = stored.version, time.perf_counter()
        if stored.refresh(by_source, placements, config, converter):
            return stored, time.perf_counter() - began if stored.version != version else 0.0
    bundle = (config.base_path + search.INDEX_DIR + "/", {"fold": search.fold_table(), "latin": search.latin_table()}) if search.enabled(config) else None
    return SiteModel.make(reports, placements, entries, config, converter, bundle), None


def keep_model(cache: BuildCache, loaded: LoadedSite) -> None:
    """Save the site model (with what later stages derived from it) for the next builds when it
    was made afresh, or when placing reports anew in the saved one has cost, over the builds
    since it was saved, as long as saving it did (`BuildCache.owe_site_model`)."""
    if loaded.model_placing is None or (loaded.model_placing and cache.owe_site_model(loaded.model_placing)):
        cache.save_site_model(loaded.model_key, loaded.model)


def _resolve_links(loaded: LoadedSite, read: dict[str, tuple[SourceFile, ReadSource]], by_source: dict[str, Report], site_dir: Path) -> None:
    """Relative links in reports' HTML resolved (they depend on the other reports), in site
    order; broken links are errors. The attachments such a report publishes follow from them."""
    for report in loaded.site.reports:
        if report.source in loaded.attachments:
            continue  # no relative links
        source, _ = read[report.source]
        resolve, used = report_link_resolver(report, by_source, source.bundle)
        body_html, broken = resolve_links(loaded.bodies[report.source], resolve)
        loaded.bodies.settle(report.source, body_html)
        loaded.linked.add(report.source)
        loaded.attachments[report.source] = used
        for target in broken:
            loaded.problems.append(_broken_link(report, target, by_source, site_dir))


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
    for report in loaded.site.reports:  # after every page: an alias is what is said to collide
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
