"""The build: read and validate everything, then render both editions and write them at once.

Stages, each its own module with imports pointing one way:
config → reader (discover, read) → model/taxonomy → markup → pages → render → writer.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import search
from .config import Config, load_config
from .errors import BuildError, Problem, Severity, errors_only, suggestion
from .markup import MarkdownRenderer, first_paragraph_text, resolve_links
from .model import Report, Site
from .pages import PageSpec, plan, search_page
from .reader import RegistryEntry, SourceFile, discover, read_registry, read_report
from .render import EditionRenderer, SharedRenderData, editions, environment, report_link_resolver, static_files, theme_directory
from .sitemap import SitemapPage, sitemap_files
from .taxonomy import build_site, registry_institutions, unregistered_warnings
from .translit import Converter
from .writer import OutputPlan, Writer, staged_output


@dataclass
class LoadedSite:
    """A site read and validated: what `check` reports on and `build` renders."""

    config: Config
    site: Site
    converter: Converter
    bodies: dict[str, str] = field(default_factory=dict)
    summaries: dict[str, str] = field(default_factory=dict)
    attachments: dict[str, set[str]] = field(default_factory=dict)  # report source -> file names
    problems: list[Problem] = field(default_factory=list)


@dataclass
class BuildResult:
    files: int
    reports: int
    warnings: list[Problem]


def make_converter(config: Config) -> Converter:
    dictionary = {entry.cyrillic: entry.latin for entry in config.translit.dictionary}
    return Converter(dictionary, config.translit.split_stems)


def load(site_dir: Path, overrides: dict[str, Any] | None = None, drafts: bool = False, today: date | None = None) -> LoadedSite:
    """Read, validate and prepare everything; problems are collected, not raised (but config errors are)."""
    config = load_config(site_dir, overrides)
    converter = make_converter(config)
    today = today or date.today()
    sources = discover(site_dir)
    problems: list[Problem] = []
    reports: list[Report] = []
    bundles: dict[str, bool] = {}
    for source in sources:
        report, found = read_report(source, today)
        problems.extend(found)
        if report is not None and (drafts or not report.draft):
            reports.append(report)
            bundles[report.source] = source.bundle
    entries, registry_problems = read_registry(site_dir)
    problems.extend(registry_problems)
    site, site_problems = build_site(reports, entries, converter)
    problems.extend(site_problems)
    problems.extend(_unregistered(site, entries, converter))
    loaded = LoadedSite(config, site, converter, problems=problems)
    _prepare_bodies(loaded, bundles)
    return loaded


def _unregistered(site: Site, entries: list[RegistryEntry], converter: Converter) -> list[Problem]:
    registered, index, _ = registry_institutions(entries, converter)
    return unregistered_warnings(site.reports, registered, index)


def _prepare_bodies(loaded: LoadedSite, bundles: dict[str, bool]) -> None:
    """Markdown to sanitised HTML once per report, links resolved; broken links are errors."""
    sanitize = loaded.config.sanitize
    renderer = MarkdownRenderer(frozenset(sanitize.tags), {tag: frozenset(names) for tag, names in sanitize.attributes.items()})
    by_source = {report.source: report for report in loaded.site.reports}
    for report in loaded.site.reports:
        resolve, used = report_link_resolver(report, by_source, bundles.get(report.source, False))
        body_html, broken = resolve_links(renderer.render(report.body), resolve)
        for target in broken:
            loaded.problems.append(_broken_link(report, target, by_source))
        loaded.bodies[report.source] = body_html
        loaded.summaries[report.source] = report.summary or first_paragraph_text(body_html)
        loaded.attachments[report.source] = used


def _broken_link(report: Report, target: str, by_source: dict[str, Report]) -> Problem:
    """The link's line and the fix: the nearest report or attachment path, written relative to the report."""
    directory = posixpath.dirname(report.source)
    candidates = [posixpath.relpath(source, directory) for source in by_source if source != report.source]
    hint = suggestion(target, [*candidates, *report.attachments])
    message = f"link `{target}` points to no report or attachment{hint or ': check the path (relative to this file)'}"
    return Problem(report.source, _line_of(report, target), message)


def _line_of(report: Report, needle: str) -> int:
    offset = report.body.find(needle)
    return report.body_line + report.body.count("\n", 0, offset) if offset >= 0 else report.body_line


def build(site_dir: Path, output_dir: Path, overrides: dict[str, Any] | None = None, drafts: bool = False, today: date | None = None) -> BuildResult:
    """Build the site into `output_dir`; raise BuildError (and leave `output_dir` alone) on any error."""
    loaded = load(site_dir, overrides, drafts, today)
    errors = errors_only(loaded.problems)
    if errors:
        raise BuildError(errors)
    config = loaded.config
    theme_dir, pages, assets, outputs = plan_outputs(loaded, site_dir)
    if outputs.problems:
        raise BuildError(outputs.problems)
    env = environment(site_dir, theme_dir)
    env.globals["search_enabled"] = search.available()
    shared = SharedRenderData(loaded.site, config, loaded.converter, loaded.bodies, loaded.summaries)
    static_urls = {name: url for name, (_, url) in assets.items()}
    with staged_output(output_dir) as staging:
        writer = Writer(staging)
        first, second = editions(config)
        renderers = [EditionRenderer(shared, first, second, env, static_urls), EditionRenderer(shared, second, first, env, static_urls)]
        for renderer in renderers:
            for page in pages:
                writer.text(f"{renderer.edition.code}/{page.output_file}", renderer.render(page))
            for report in loaded.site.reports:
                for name in sorted(loaded.attachments[report.source]):
                    writer.copy(f"{renderer.edition.code}/{report.path}{name}", site_dir / Path(report.source).parent / name)
        _write_root_files(writer, renderers[0], pages, assets)
        if search.available():  # inside the staging: a failed index leaves the old output alone
            search.write_index(search.records(loaded.site, loaded.bodies, loaded.converter), staging)
    warnings = [problem for problem in loaded.problems if problem.severity is Severity.WARNING]
    if not search.available():
        warnings.append(search.MISSING_WARNING)
    return BuildResult(writer.count, len(loaded.site.reports), warnings)


def plan_outputs(loaded: LoadedSite, site_dir: Path) -> tuple[Path, list[PageSpec], dict[str, Any], OutputPlan]:
    """The theme, the pages and assets to write, and every output path claimed once (collisions are its problems)."""
    config = loaded.config
    try:
        theme_dir = theme_directory(site_dir, config.theme)
    except FileNotFoundError:
        raise BuildError([Problem("ogpsite.yml", 0, f"theme `{config.theme}` not found in themes/")]) from None
    pages = plan(loaded.site, config, loaded.converter)
    if search.available():
        pages.append(search_page(loaded.site, config, loaded.converter, config.base_path + search.INDEX_DIR + "/", search.fold_table()))
    assets = static_files(theme_dir, config.base_path)
    return theme_dir, pages, assets, _claim_outputs(loaded, pages, assets)


def _claim_outputs(loaded: LoadedSite, pages: list[PageSpec], assets: dict[str, Any]) -> OutputPlan:
    outputs = OutputPlan()
    config = loaded.config
    for code in (config.editions.cyrillic, config.editions.latin):
        for page in pages:
            source = page.data["report"].source if page.kind == "report" else f"{page.kind} page"
            outputs.claim(f"{code}/{page.output_file}", source)
        for report in loaded.site.reports:
            for name in loaded.attachments[report.source]:
                outputs.claim(f"{code}/{report.path}{name}", posixpath.join(posixpath.dirname(report.source), name))
    for name in assets:
        outputs.claim(f"static/{name}", f"theme static/{name}")
    return outputs


def _write_root_files(writer: Writer, renderer: EditionRenderer, pages: list[PageSpec], assets: dict[str, Any]) -> None:
    """Files outside the editions: the chooser, 404, sitemap, robots.txt, .nojekyll, CNAME, assets."""
    config = renderer.shared.config
    root_page = PageSpec("", "chooser.html", "chooser", None, language=config.language)
    writer.text("index.html", renderer.render_root(root_page))
    writer.text("404.html", renderer.render_root(PageSpec("", "404.html", "not_found", None, language=config.language)))
    sitemap_pages = [_sitemap_page(renderer, page) for page in pages if page.in_sitemap]
    for name, content in sitemap_files(sitemap_pages, lambda name: config.absolute(config.base_path + name)).items():
        writer.text(name, content)
    writer.text("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {config.absolute(config.base_path + 'sitemap.xml')}\n")
    writer.text(".nojekyll", "")
    if config.cname:
        writer.text("CNAME", config.cname + "\n")
    for name, (path, _) in assets.items():
        writer.copy(f"static/{name}", path)


def _sitemap_page(renderer: EditionRenderer, page: PageSpec) -> SitemapPage:
    config = renderer.shared.config
    alternates = []
    for edition in (renderer.edition, renderer.other):
        alternates.append((edition.lang(page.language), config.absolute(f"{config.base_path}{edition.code}/{page.path}")))
    return SitemapPage(alternates, alternates[0][1])
