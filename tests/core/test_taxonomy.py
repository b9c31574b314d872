"""Institutions merged across scripts, tags, date groups and pagination."""

from __future__ import annotations

from datetime import date

from ogpsite.core.model import Report
from ogpsite.core.taxonomy import build_site, by_institution, by_month, by_tag, by_year, page_path, paginate
from ogpsite.sources.reader import RegistryEntry
from ogpsite.translit import Converter

CONVERTER = Converter()


def make_report(slug: str, day: date, institutions: tuple[str, ...] = (), tags: tuple[str, ...] = ()) -> Report:
    return Report(f"content/reports/{day.year}/{slug}.md", slug, day, slug, "latin", "sr", "", 5, institutions, tags)


REGISTRY = [
    RegistryEntry("bhas", {"cyrillic": "Агенција за статистику БиХ", "latin": "Agencija za statistiku BiH"}, {"cyrillic": "БХАС", "latin": "BHAS"}, ("Statistika BiH",), "", 1),
]


def test_registered_institution_merges_names_acronyms_and_aliases_in_both_scripts() -> None:
    reports = [
        make_report("a", date(2014, 3, 5), ("Агенција за статистику БиХ",)),
        make_report("b", date(2015, 1, 1), ("Agencija za statistiku BiH",)),
        make_report("c", date(2016, 1, 1), ("BHAS",)),
        make_report("d", date(2017, 1, 1), ("Statistika BiH", "БХАС")),
    ]
    site, problems = build_site(reports, REGISTRY, CONVERTER)
    assert problems == []
    assert list(site.institutions) == ["bhas"]
    assert [report.slug for report in by_institution(site)["bhas"]] == ["d", "c", "b", "a"]


def test_unregistered_names_merge_by_script_insensitive_key() -> None:
    reports = [
        make_report("a", date(2014, 3, 5), ("Општина Инђија",)),
        make_report("b", date(2015, 3, 5), ("Opština Inđija",)),
        make_report("c", date(2016, 3, 5), ("Opština Inđija",)),
    ]
    site, _ = build_site(reports, [], CONVERTER)
    (slug,) = site.institutions
    institution = site.institutions[slug]
    assert slug == "opstina-indjija" and not institution.registered
    assert institution.name.latin == "Opština Inđija"  # the spelling most reports use
    assert institution.name.cyrillic == "Општина Инђија"
    assert len(by_institution(site)[slug]) == 3


def test_duplicate_slugs_are_errors_naming_both_files() -> None:
    reports = [make_report("x", date(2014, 3, 5)), make_report("x", date(2015, 3, 5))]
    _, problems = build_site(reports, [], CONVERTER)
    assert [str(problem) for problem in problems] == [
        "content/reports/2015/x.md:1: this file gets the URL slug `x`, as content/reports/2014/x.md does: rename the file or add a `slug:` line"
    ]


def test_reports_are_newest_first_and_grouped_by_date_and_tag() -> None:
    reports = [
        make_report("a", date(2014, 3, 5), tags=("OGP",)),
        make_report("b", date(2014, 3, 9), tags=("ОГП", "радионица")),
        make_report("c", date(2015, 1, 1), tags=("radionica",)),
    ]
    site, _ = build_site(reports, [], CONVERTER)
    assert [report.slug for report in site.reports] == ["c", "b", "a"]
    assert list(by_year(site.reports)) == [2015, 2014]
    assert {key: len(items) for key, items in by_month(site.reports).items()} == {(2015, 1): 1, (2014, 3): 2}
    assert {slug: len(items) for slug, items in by_tag(site).items()} == {"ogp": 2, "radionica": 2}


def test_pagination() -> None:
    pages = paginate(list(range(5)), 2)
    assert [list(page.items) for page in pages] == [[0, 1], [2, 3], [4]]
    assert (pages[0].has_previous, pages[0].has_next, pages[2].has_next) == (False, True, False)
    assert len(paginate([], 10)) == 1
    assert page_path("tags/x/", 1) == "tags/x/" and page_path("tags/x/", 3) == "tags/x/page/3/"
