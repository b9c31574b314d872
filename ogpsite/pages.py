"""Which pages the site has: a plan of every page, independent of edition. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import i18n
from .config import Config
from .errors import Problem
from .model import Bilingual, Report, Site
from .taxonomy import Pager, by_institution, by_month, by_tag, by_year, page_path, paginate
from .translit import Converter


@dataclass(frozen=True)
class PageSpec:
    """One page of each edition, at `path` below the edition root (`''` is the edition home)."""

    path: str
    template: str
    kind: str
    title: Bilingual | None = None
    data: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    language: str = "sr"
    in_sitemap: bool = True

    @property
    def output_file(self) -> str:
        return self.path + "index.html" if not self.path or self.path.endswith("/") else self.path


class SiteModel:
    """The site, its problems and its pages: what a build makes from the reports' placements
    (`model.placement`), kept between builds of the same placements.

    Pages hold reports in a few places only: a report page's data, and lists of reports
    (the site's, a feed's, a `Pager`'s items). `rebind` relies on that."""

    def __init__(self, site: Site, problems: list[Problem], pages: list[PageSpec]) -> None:
        self.site = site
        self.problems = problems
        self.pages = pages

    def rebind(self, reports: Iterable[Report]) -> None:
        """Hold `reports` instead of the held reports of the same sources (for `serve`, which
        keeps the model in memory while files are edited). Their placements are those the model
        was made from; what else differs reaches only a report's own page, made again. A report
        equal to the one held (a body edit) is left as it is: it shows the same."""
        held = set(map(id, self.site.reports))  # a model just loaded holds `reports` already
        stale = [report for report in reports if id(report) not in held]
        if not stale:
            return
        by_source = {report.source: report for report in self.site.reports}
        swaps = {id(by_source[report.source]): report for report in stale if by_source[report.source] != report}
        if not swaps:
            return
        for items in self._report_lists():
            if not swaps.keys().isdisjoint(map(id, items)):
                items[:] = [swaps.get(id(report), report) for report in items]
        for number, page in enumerate(self.pages):
            if page.kind == "report" and id(page.data["report"]) in swaps:
                self.pages[number] = report_page(swaps[id(page.data["report"])])

    def _report_lists(self) -> Iterator[list[Report]]:
        """Every list of reports the model holds: the site's, and those in pages' data."""
        yield self.site.reports
        for page in self.pages:
            if page.kind == "report":
                continue
            for value in page.data.values():
                items = value.items if type(value) is Pager else value
                if type(items) is list and items and type(items[0]) is Report:
                    yield items
                assert type(items) is not Report, "a report is held where `rebind` does not look"


def plan(site: Site, config: Config, converter: Converter) -> list[PageSpec]:
    return [*_plan(site, config, converter)]


def report_page(report: Report) -> PageSpec:
    """A report's own page: made from the report alone."""
    return PageSpec(report.path, "report.html", "report", Bilingual(report.title, report.title), {"report": report}, report.language)


def _ui(key: str, converter: Converter) -> Bilingual:
    text = i18n.ui_text(key)
    return Bilingual(converter.to_cyrillic(text), converter.to_latin(text))


def _listing(base: str, kind: str, title: Bilingual, reports: list[Report], config: Config, **data: Any) -> Iterator[PageSpec]:
    for pager in paginate(reports, config.per_page):
        yield PageSpec(page_path(base, pager.number), "list.html", kind, title, {"pager": pager, "base": base, "total": len(reports), **data}, config.language)


def _plan(site: Site, config: Config, converter: Converter) -> Iterator[PageSpec]:
    language = config.language
    yield from _listing("", "home", _ui("latest", converter), site.reports, config, feed="feed.xml")
    yield PageSpec("feed.xml", "feed.xml", "feed", _ui("latest", converter), {"reports": site.reports[: config.feed_entries]}, language, in_sitemap=False)
    yield from map(report_page, site.reports)
    months = by_month(site.reports)
    for year, reports in by_year(site.reports).items():
        year_months = [(month, len(items)) for (y, month), items in months.items() if y == year]
        title = Bilingual(str(year), str(year))
        yield from _listing(f"{year}/", "year", title, reports, config, year=year, months=year_months)
    for (year, month), reports in months.items():
        title = Bilingual(i18n.month_year(year, month, language, "cyrillic"), i18n.month_year(year, month, language, "latin"))
        yield from _listing(f"{year}/{month:02d}/", "month", title, reports, config, year=year, month=month)
    yield PageSpec("archive/", "archive.html", "archive", _ui("archive", converter), {"years": _archive_table(months)}, language)
    institution_reports = by_institution(site)
    counts = [(site.institutions[slug], len(reports)) for slug, reports in institution_reports.items()]
    counts.sort(key=lambda item: (-item[1], item[0].name.latin.casefold()))
    yield PageSpec("institutions/", "institutions.html", "institutions", _ui("institutions", converter), {"institutions": counts}, language)
    for slug, reports in institution_reports.items():
        institution = site.institutions[slug]
        base = f"institutions/{slug}/"
        yield from _listing(base, "institution", institution.name, reports, config, institution=institution, feed=base + "feed.xml")
        yield PageSpec(base + "feed.xml", "feed.xml", "feed", institution.name, {"reports": reports[: config.feed_entries]}, language, in_sitemap=False)
    tag_reports = by_tag(site)
    tag_counts = sorted(((site.tags[slug], len(reports)) for slug, reports in tag_reports.items()), key=lambda item: (-item[1], item[0].slug))
    yield PageSpec("tags/", "tags.html", "tags", _ui("tags", converter), {"tags": tag_counts}, language)
    for slug, reports in tag_reports.items():
        name = site.tags[slug].name
        title = Bilingual(converter.to_cyrillic(name), converter.to_latin(name))
        yield from _listing(f"tags/{slug}/", "tag", title, reports, config, tag=site.tags[slug])


def search_page(site: Site, config: Config, converter: Converter, bundle_url: str, fold_table: dict[str, str]) -> PageSpec:
    """`search/`: the form, its institution and year filters, and the fold table the browser applies to queries."""
    institutions = sorted(site.institutions.values(), key=lambda institution: institution.name.latin.casefold())
    years = sorted(by_year(site.reports), reverse=True)
    data = {"bundle_url": bundle_url, "fold_table": fold_table, "search_institutions": institutions, "search_years": years}
    return PageSpec("search/", "search.html", "search", _ui("search", converter), data, config.language, in_sitemap=False)


def _archive_table(months: dict[tuple[int, int], list[Report]]) -> list[tuple[int, list[int]]]:
    """Years, newest first, each with its twelve monthly counts."""
    years = sorted({year for year, _ in months}, reverse=True)
    return [(year, [len(months.get((year, month), ())) for month in range(1, 13)]) for year in years]


__all__ = ["PageSpec", "Pager", "SiteModel", "plan"]
