"""Which pages the site has: a plan of every page, independent of edition. Pure: no I/O."""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Any

from ..translit import Converter
from . import i18n
from .errors import Problem
from .model import Bilingual, Report, Site
from .onward import Onward, onward, relinked, report_terms
from .settings import Config
from .shards import search_shards
from .taxonomy import NEWEST_FIRST, Pager, Placing, by_institution, by_month, by_tag, by_year, page_path, paginate, place_reports, update_site


@dataclass
class PageSpec:
    """One page of each edition, at `path` below the edition root (`''` is the edition home).

    Not changed once made; not frozen, as a frozen dataclass costs four times as much to make,
    and a warm build makes one for each of its 20,000 reports (`report_page`)."""

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


# The search page's bundle URL, and the tables the browser folds queries and makes Latin words with.
SearchBundle = tuple[str, dict[str, dict[str, str]]]
SectionKey = tuple[Any, ...]  # ("home",), ("reports",), ("year", 2014), ("month", 2014, 3), ("tag", slug), ...
# A section's pages are made from the section's reports alone, in site order: these sections
# list reports, and a report's placement says which of them it is in (`_sections_of`).
_LISTS = ("home", "year", "month", "institution", "tag")
# How many changed reports a model is brought up to date for; beyond, it is made afresh.
MOST_CHANGED = 200


class SiteModel:
    """The site, its problems and its pages, in sections: what a build makes from the reports'
    placements (`model.placement`), kept between builds and brought up to date when a few
    placements change (`refresh`).

    `derived` holds what later stages compute from a section (keyed like `sections`): a list
    with an entry per page. A section made again drops its entry; a page made again in a section
    kept has None in it. Pages hold reports in a few places only: a report page's data,
    and lists of reports (the site's, a feed's, a `Pager`'s items). `_swap` relies on that."""

    def __init__(self, site: Site, placing: Placing, problems: list[Problem], sections: dict[SectionKey, list[PageSpec]],
                 placements: dict[str, str], search: SearchBundle | None) -> None:
        self.site = site
        self.placing = placing
        self.problems = problems
        self.sections = sections
        self.search = search  # the search page's bundle URL and browser tables; None: no search page
        # What each report's sections were made from (by source): its placement digest and date.
        self.placements = {report.source: placements[report.source] for report in site.reports}
        self.ordinals = {report.source: report.date.toordinal() for report in site.reports}
        self.derived: dict[SectionKey, list[Any]] = {}
        # Names the placements the model holds, kept with it in the cache: placing reports anew
        # makes the next name from this one and the changes, so that the same change placed
        # again in the model saved before it (`keep_model` saves only now and then) gets the same
        # name, and what a build kept by the name (the sitemap's digests) serves the next one.
        self.version = secrets.token_hex(16)
        self._pages: list[PageSpec] | None = None

    @classmethod
    def make(cls, reports: list[Report], placements: dict[str, str], entries: Iterable, config: Config, converter: Converter,
             search: SearchBundle | None) -> SiteModel:
        site, placing, problems = place_reports(reports, entries, converter)
        return cls(site, placing, problems, plan(site, config, converter, search), placements, search)

    @property
    def pages(self) -> list[PageSpec]:
        if self._pages is None:
            self._pages = list(chain.from_iterable(self.sections.values()))
        return self._pages

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_pages": None}

    def refresh(self, by_source: dict[str, Report], placements: dict[str, str], config: Config, converter: Converter,
                edited: tuple[Collection[str], dict[str, Report]] | None = None) -> bool:
        """Hold the reports of `by_source` (all of the site's, by source), placing anew those whose
        placement is not the one their sections were made from, and making again the sections
        whose reports that changes. False when that is more than a few reports or reaches beyond
        their sections (`update_site`): the model is then half-updated, to be made afresh.
        `edited`: when the model holds the reports of a known `by_source` (given) but for the
        sources named, which are the site's in both: only those are looked at."""
        if edited is None:
            changed = {source for source, _ in placements.items() - self.placements.items()}
            changed.update(self.placements.keys() - placements.keys())
        else:
            changed = {source for source in edited[0] if placements.get(source) != self.placements.get(source)}
        if len(changed) > MOST_CHANGED:
            return False
        if changed and not self._place(changed, by_source, placements, config, converter):
            return False
        self._rebind(by_source, None if edited is None else [edited[1][source] for source in edited[0] if source not in changed and source in edited[1]])
        return True

    def _place(self, changed: set[str], by_source: dict[str, Report], placements: dict[str, str], config: Config, converter: Converter) -> bool:
        site = self.site
        before = {report.source: report for report in site.reports if report.source in changed}
        keys = {key for source in before for key in _sections_of(site, source, date.fromordinal(self.ordinals[source]))}
        order = [report.source for report in site.reports]
        terms = {source: report_terms(site, source) for source in before}  # as `relinked` compares them once placed anew
        problems = update_site(site, self.placing, changed, before, by_source, converter)
        if problems is None:
            return False
        self.problems = problems
        joined = {source: set(_sections_of(site, source, by_source[source].date)) for source in changed if source in by_source}
        keys.update(chain.from_iterable(joined.values()))
        sections = self.sections
        remade = set()
        for key in sorted(keys, key=lambda key: key[0] == "year"):  # a year after its months (it shows their counts)
            listed = _listed(sections.get(key, []))
            if key[0] == "home":
                members = site.reports
            else:
                kept = [report for report in listed if report.source not in changed]
                members = sorted([*kept, *(by_source[source] for source, into in joined.items() if key in into)], key=NEWEST_FIRST, reverse=True)
            if not members and key[0] != "home":
                del sections[key]
                remade.add(key)
            elif [report.source for report in listed] != [report.source for report in members] or key not in sections or (key[0] == "year" and remade.intersection(_months_of(sections[key]))):
                sections[key] = _list_section(key, members, site, config, converter)
                remade.add(key)
        # A report placed anew may be another's neighbour or related report. In the same order of
        # reports only those near it in the lists it joined or left may be (`relinked`); else all
        # are worked out again (flat in the archive's size). A page is rendered again only if its links differ.
        if [report.source for report in site.reports] == order:
            self._relink(relinked(site, terms))
        else:
            sections[("reports",)] = report_pages(site)
            remade.add(("reports",))
        if remade:
            summaries = _summary_sections(sections, site, config, converter, self.search)
            sections.update(summaries)
            remade.update(summaries)  # they count the lists' reports: cheap to make, and their pages are rendered only if they differ
            self.sections = _in_site_order(sections)
        for key in remade:
            self.derived.pop(key, None)
        for source in changed:
            report = by_source.get(source)
            if report is None:
                del self.placements[source], self.ordinals[source]
            else:
                self.placements[source], self.ordinals[source] = placements[source], report.date.toordinal()
        self.version = hashlib.sha256("\0".join([self.version, *sorted(f"{source}\0{placements.get(source, '')}" for source in changed)]).encode()).hexdigest()
        self._pages = None
        self._swap({id(report): by_source[source] for source, report in before.items() if by_source.get(source, report) is not report}, keys)
        return True

    def _relink(self, sources: set[str]) -> None:
        """Make again the report pages of `sources` (the site's order of reports being the one
        the pages are in), with their links as they are now; what was derived from those pages goes."""
        links = onward(self.site, sources)
        pages = self.sections[("reports",)]
        derived = self.derived.get(("reports",))
        for number, report in enumerate(self.site.reports):
            if report.source in links:
                pages[number] = report_page(report, links[report.source])
                if derived is not None:
                    derived[number] = None

    def _rebind(self, by_source: dict[str, Report], held: list[Report] | None = None) -> None:
        """Hold the reports of `by_source` instead of the held reports of the same sources (for
        `serve`, which keeps the model in memory while files are edited): their placements are
        those the model was made from, and what else differs reaches only a report's own page,
        made again. A report equal to the one held (a body edit) is left as it is, as it shows the
        same, and `by_source` then gives the one held: the model holds `by_source`'s reports, all
        of them, which lets the next refresh look at a few (`held`: the only held reports that
        may not be `by_source`'s; None: every report)."""
        stale = [report for report in (self.site.reports if held is None else held) if by_source[report.source] is not report]
        swaps: dict[int, Report] = {}
        for report in stale:
            if by_source[report.source] == report:
                by_source[report.source] = report
            else:
                swaps[id(report)] = by_source[report.source]
        if swaps:
            keys = {key for report in stale for key in _sections_of(self.site, report.source, report.date)}
            self._swap(swaps, keys)

    def _swap(self, swaps: dict[int, Report], keys: set[SectionKey]) -> None:
        """Put `swaps[id(report)]` wherever the model holds `report`: in the site's list, in the
        report pages, and in the list sections `keys`."""
        if not swaps:
            return
        for items in self._report_lists(keys):
            if not swaps.keys().isdisjoint(map(id, items)):
                items[:] = [swaps.get(id(report), report) for report in items]
        pages = self.sections[("reports",)]
        for number, page in enumerate(pages):
            if id(page.data["report"]) in swaps:
                pages[number] = report_page(swaps[id(page.data["report"])], page.data["onward"])
        self._pages = None

    def _report_lists(self, keys: set[SectionKey]) -> Iterator[list[Report]]:
        """The lists of reports the model holds in the sections `keys`, and the site's."""
        yield self.site.reports
        for key in keys:
            for page in self.sections.get(key, ()):
                for value in page.data.values():
                    items = value.items if type(value) is Pager else value
                    if type(items) is list and items and type(items[0]) is Report:
                        yield items
                    assert type(items) is not Report, "a report is held where `_swap` does not look"


def plan(site: Site, config: Config, converter: Converter, search: SearchBundle | None = None) -> dict[SectionKey, list[PageSpec]]:
    """Every page of the site, by section, in site order."""
    sections = {key: _list_section(key, members, site, config, converter) for key, members in _groups(site).items()}
    sections[("reports",)] = report_pages(site)
    sections.update(_summary_sections(sections, site, config, converter, search))
    return _in_site_order(sections)


def last_change(page: PageSpec) -> str:
    """The day a page last changed, for the sitemap: its report's `updated:` or date, or the
    latest of the reports a list page shows; "" for other pages."""
    report = page.data.get("report")
    if report is not None:
        return report.modified.isoformat()
    pager = page.data.get("pager")
    return max(report.modified for report in pager.items).isoformat() if pager and pager.items else ""


_SITEMAP_PARTS = {"year": "archive", "month": "archive", "institution": "institutions", "tag": "tags"}


def sitemap_part(page: PageSpec) -> str:
    """The part of a large site's sitemap a page is listed in (`sitemap.layout`): a report's
    page in its year's, a list page with the others of its kind (years and months with the
    archive, an institution's with the institutions', a tag's with the tags')."""
    if page.kind == "report":
        return str(page.data["report"].date.year)
    return _SITEMAP_PARTS.get(page.kind, page.kind)


def report_page(report: Report, links: Onward) -> PageSpec:
    """A report's own page: made from the report and the sources of the reports it links to
    (held by source, not as reports: `_swap` need not look for them)."""
    return PageSpec(report.path, "report.html", "report", Bilingual(report.title, report.title), {"report": report, "onward": links}, report.language)


def report_pages(site: Site) -> list[PageSpec]:
    """Every report's page, in site order."""
    links = onward(site)
    return [report_page(report, links[report.source]) for report in site.reports]


def _groups(site: Site) -> dict[SectionKey, list[Report]]:
    """Each list section's reports, in site order."""
    groups: dict[SectionKey, list[Report]] = {("home",): site.reports}
    groups.update((("year", year), reports) for year, reports in by_year(site.reports).items())
    groups.update((("month", year, month), reports) for (year, month), reports in by_month(site.reports).items())
    groups.update((("institution", slug), reports) for slug, reports in by_institution(site).items())
    groups.update((("tag", slug), reports) for slug, reports in by_tag(site).items())
    return groups


def _sections_of(site: Site, source: str, day: date) -> Iterator[SectionKey]:
    """The list sections a report is in, given its date (the site's institutions and tags of it)."""
    yield ("home",)
    yield ("year", day.year)
    yield ("month", day.year, day.month)
    yield from (("institution", slug) for slug in site.report_institutions[source])
    yield from (("tag", slug) for slug in site.report_tags[source])


def _listed(pages: list[PageSpec]) -> list[Report]:
    """The reports a list section's pages list, in order."""
    return [report for page in pages if "pager" in page.data for report in page.data["pager"].items]


def _months_of(year_pages: list[PageSpec]) -> list[SectionKey]:
    year = year_pages[0].data["year"]
    return [("month", year, month) for month, _ in year_pages[0].data["months"]]


def _list_section(key: SectionKey, reports: list[Report], site: Site, config: Config, converter: Converter) -> list[PageSpec]:
    kind, language = key[0], config.language
    if kind == "home":
        latest = _ui("latest", converter, config.language)
        feed = PageSpec("feed.xml", "feed.xml", "feed", latest, {"reports": reports[: config.feed_entries]}, language, in_sitemap=False)
        return [*_listing("", "home", latest, reports, config, feed="feed.xml"), feed]
    if kind == "year":
        months = Counter(report.date.month for report in reports)
        year_months = sorted(months.items(), reverse=True)
        return list(_listing(f"{key[1]}/", "year", Bilingual(str(key[1]), str(key[1])), reports, config, year=key[1], months=year_months))
    if kind == "month":
        year, month = key[1], key[2]
        title = Bilingual(i18n.month_year(year, month, language, "cyrillic"), i18n.month_year(year, month, language, "latin"))
        return list(_listing(f"{year}/{month:02d}/", "month", title, reports, config, year=year, month=month))
    if kind == "institution":
        institution = site.institutions[key[1]]
        base = f"institutions/{key[1]}/"
        feed = PageSpec(base + "feed.xml", "feed.xml", "feed", institution.name, {"reports": reports[: config.feed_entries]}, language, in_sitemap=False)
        return [*_listing(base, "institution", institution.name, reports, config, institution=institution, feed=base + "feed.xml"), feed]
    tag = site.tags[key[1]]
    title = Bilingual(converter.to_cyrillic(tag.name), converter.to_latin(tag.name))
    base = f"tags/{tag.slug}/"
    feed = PageSpec(base + "feed.xml", "feed.xml", "feed", title, {"reports": reports[: config.feed_entries]}, language, in_sitemap=False)
    return [*_listing(base, "tag", title, reports, config, tag=tag, feed=base + "feed.xml"), feed]


def _summary_sections(sections: dict[SectionKey, list[PageSpec]], site: Site, config: Config, converter: Converter,
                      search: SearchBundle | None) -> dict[SectionKey, list[PageSpec]]:
    """The pages that count the list sections' reports (archive, institutions, tags), and search's."""
    totals = {key: pages[0].data["total"] for key, pages in sections.items() if key[0] in _LISTS}
    language = config.language
    months = {(key[1], key[2]): total for key, total in totals.items() if key[0] == "month"}
    counts = [(site.institutions[key[1]], total) for key, total in totals.items() if key[0] == "institution"]
    counts.sort(key=lambda item: (-item[1], item[0].name.latin.casefold()))
    tag_counts = sorted(((site.tags[key[1]], total) for key, total in totals.items() if key[0] == "tag"), key=lambda item: (-item[1], item[0].slug))
    summaries = {
        ("archive",): [PageSpec("archive/", "archive.html", "archive", _ui("archive", converter, config.language), {"years": _archive_table(months)}, language)],
        ("institutions",): [PageSpec("institutions/", "institutions.html", "institutions", _ui("institutions", converter, config.language), {"institutions": counts}, language)],
        ("tags",): [PageSpec("tags/", "tags.html", "tags", _ui("tags", converter, config.language), {"tags": tag_counts}, language)],
    }
    if search is not None:
        summaries[("search",)] = [search_page(site, config, converter, *search)]
    return summaries


_KIND_ORDER = {kind: rank for rank, kind in enumerate(["home", "reports", "year", "month", "archive", "institutions", "institution", "tags", "tag", "search"])}


def _in_site_order(sections: dict[SectionKey, list[PageSpec]]) -> dict[SectionKey, list[PageSpec]]:
    """Home, report pages, years and months (newest first), archive, institutions, tags (by slug), search."""
    def rank(key: SectionKey) -> tuple[Any, ...]:
        kind = _KIND_ORDER[key[0]]
        return (kind, *(-part for part in key[1:])) if key[0] in ("year", "month") else (kind, *key[1:])

    return dict(sorted(sections.items(), key=lambda item: rank(item[0])))


def _ui(key: str, converter: Converter, language: str) -> Bilingual:
    text = i18n.ui_text(key, language=language)
    return Bilingual(converter.to_cyrillic(text), converter.to_latin(text))


def _listing(base: str, kind: str, title: Bilingual, reports: list[Report], config: Config, **data: Any) -> Iterator[PageSpec]:
    for pager in paginate(reports, config.per_page):
        yield PageSpec(page_path(base, pager.number), "list.html", kind, title, {"pager": pager, "base": base, "total": len(reports), **data}, config.language)


def search_page(site: Site, config: Config, converter: Converter, bundle_url: str, tables: dict[str, dict[str, str]]) -> PageSpec:
    """`search/`: the form, its institution and year filters, the search indexes (shards, newest
    first) the browser loads as it needs them, and the tables it folds queries and makes Latin
    excerpts with (`build.search`)."""
    institutions = sorted(site.institutions.values(), key=lambda institution: institution.name.latin.casefold())
    years = sorted(by_year(site.reports), reverse=True)
    data = {"bundle_url": bundle_url, "search_tables": tables, "search_institutions": institutions, "search_years": years,
            "search_shards": list(search_shards(site.reports))}
    return PageSpec("search/", "search.html", "search", _ui("search", converter, config.language), data, config.language, in_sitemap=False)


def _archive_table(months: dict[tuple[int, int], int]) -> list[tuple[int, list[int]]]:
    """Years, newest first, each with its twelve monthly counts."""
    years = sorted({year for year, _ in months}, reverse=True)
    return [(year, [months.get((year, month), 0) for month in range(1, 13)]) for year in years]


__all__ = ["PageSpec", "Pager", "SectionKey", "SiteModel", "plan"]
