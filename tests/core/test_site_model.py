"""A kept site model brought up to date for changed reports equals one made afresh.

`SiteModel.refresh` places only the reports whose placements changed and makes again only
the sections they are listed in; these tests run long random sequences of edits (dates,
slugs, institutions registered or not, tags, reports added and removed) and compare the
refreshed model, page by page and problem by problem, with `SiteModel.make` on the same
reports. No I/O: everything is in memory.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from ogpsite.build.cache import digest
from ogpsite.core.model import FieldLines, Report, placement
from ogpsite.core.onward import Onward, onward
from ogpsite.core.pages import MOST_CHANGED, Pager, PageSpec, SiteModel
from ogpsite.core.settings import Config
from ogpsite.sources.reader import RegistryEntry
from ogpsite.translit import Converter

CONVERTER = Converter()
CONFIG = Config(per_page=2, feed_entries=3)
REGISTRY = [
    RegistryEntry("grad-beograd", {"cyrillic": "Град Београд", "latin": "Grad Beograd"}, {}, (), "", 1),
    RegistryEntry("bhas", {"cyrillic": "Агенција за статистику БиХ", "latin": "Agencija za statistiku BiH"}, {"cyrillic": "БХАС", "latin": "BHAS"}, (), "", 4),
]
# Registered names in either script, unregistered ones in two spellings each (which one names
# the institution depends on how many reports write it), and tags in both scripts.
INSTITUTIONS = ["Град Београд", "Grad Beograd", "BHAS", "Општина Коњиц", "Opština Konjic", "Opstina Konjic", "Grad Trebinje", "Град Требиње"]
TAGS = ["OGP", "ОГП", "podaci", "подаци", "sastanak", "budžet", "буџет", "radionica"]
SLUGS = ["forum", "sastanak", "radionica", "dan", "podaci", "konferencija", "obuka", "trening"]


def make_report(rng: random.Random, number: int) -> Report:
    day = date(2014, 1, 1) + timedelta(days=rng.randrange(0, 900))
    slug = f"{rng.choice(SLUGS)}-{number}"
    institutions = tuple(rng.sample(INSTITUTIONS, rng.randrange(0, 3)))
    lines = {("institutions", position): 4 + position for position in range(len(institutions))}
    return Report(f"content/reports/{day.year}/{slug}.md", f"Izveštaj {number}", day, slug, "latin", rng.choice(["sr", "bs"]), "", 9,
                  institutions, tuple(rng.sample(TAGS, rng.randrange(0, 3))), field_lines=FieldLines(lines))


def edited(rng: random.Random, report: Report) -> Report:
    """The report with one field that places it changed."""
    change = rng.randrange(5)
    if change == 0:
        return replace(report, date=report.date + timedelta(days=rng.choice([-40, -1, 1, 3, 70])))
    if change == 1:
        return replace(report, slug=f"{report.slug}-b")
    if change == 2:
        institutions = tuple(rng.sample(INSTITUTIONS, rng.randrange(0, 3)))
        return replace(report, institutions=institutions, field_lines=FieldLines({("institutions", position): 4 + position for position in range(len(institutions))}))
    if change == 3:
        return replace(report, tags=tuple(rng.sample(TAGS, rng.randrange(0, 4))))
    return replace(report, language="bs" if report.language == "sr" else "sr")


def placements(reports: list[Report]) -> dict[str, str]:
    return {report.source: digest(placement(report)) for report in reports}


def by_source(reports: list[Report]) -> dict[str, Report]:
    return {report.source: report for report in reports}


def described(value: Any) -> Any:
    """A page's data with each report replaced by its source (reports compare by every field)."""
    if isinstance(value, Report):
        return ("report", value.source, value)
    if isinstance(value, Pager):
        return ("pager", value.number, value.count, described(list(value.items)))
    if isinstance(value, dict):
        return {key: described(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [described(item) for item in value]
    return value


def pages_of(model: SiteModel) -> list[tuple[Any, ...]]:
    return [(page, described(page.data)) for page in model.pages]


def assert_same(model: SiteModel, reports: list[Report]) -> None:
    fresh = SiteModel.make(reports, placements(reports), REGISTRY, CONFIG, CONVERTER, None)
    assert list(model.sections) == list(fresh.sections)
    assert pages_of(model) == pages_of(fresh)
    assert model.problems == fresh.problems
    assert model.site == fresh.site


@pytest.mark.parametrize("seed", range(6))
def test_random_edits_refresh_to_the_model_made_afresh(seed: int) -> None:
    rng = random.Random(seed)
    reports = [make_report(rng, number) for number in range(14)]
    model = SiteModel.make(reports, placements(reports), REGISTRY, CONFIG, CONVERTER, None)
    refreshed = 0
    for step in range(60):
        reports = list(reports)
        action = rng.randrange(10)
        if action == 0 and len(reports) > 3:
            reports.pop(rng.randrange(len(reports)))
        elif action == 1:
            reports.append(make_report(rng, 100 + step))
        else:
            for _ in range(rng.choice([1, 1, 1, 2])):
                index = rng.randrange(len(reports))
                reports[index] = edited(rng, reports[index])
        if model.refresh(by_source(reports), placements(reports), CONFIG, CONVERTER):
            refreshed += 1
        else:  # a name of the site changed, or slugs collide: made afresh, as a build does
            model = SiteModel.make(reports, placements(reports), REGISTRY, CONFIG, CONVERTER, None)
        assert_same(model, reports)
    assert refreshed > 40  # most edits are placed in the kept model


def test_an_edit_that_keeps_the_placement_swaps_the_report_everywhere() -> None:
    rng = random.Random(1)
    reports = [make_report(rng, number) for number in range(8)]
    model = SiteModel.make(reports, placements(reports), REGISTRY, CONFIG, CONVERTER, None)
    retitled = [replace(report, title=report.title + " (izmenjen)") for report in reports]
    assert model.refresh(by_source(retitled), placements(retitled), CONFIG, CONVERTER)
    held = {id(report) for page in model.pages for report in described_reports(page)}
    assert held == {id(report) for report in retitled}
    assert_same(model, retitled)


def described_reports(page: PageSpec) -> list[Report]:
    found: list[Report] = []

    def walk(value: Any) -> None:
        if isinstance(value, Report):
            found.append(value)
        elif isinstance(value, Pager):
            walk(list(value.items))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    walk(page.data)
    return found


def test_renaming_what_names_a_tag_or_an_institution_makes_the_model_afresh() -> None:
    rng = random.Random(2)
    first = Report("content/reports/2014/a.md", "A", date(2014, 1, 1), "a", "latin", "sr", "", 9, ("Grad Trebinje",), ("OGP",))
    others = [replace(make_report(rng, number), institutions=("Grad Trebinje",), tags=("OGP",)) for number in range(3)]
    reports = [first, *others]
    model = SiteModel.make(reports, placements(reports), REGISTRY, CONFIG, CONVERTER, None)
    renamed = [replace(first, tags=("ОГП",)), *others]  # the first file by path names the tag
    assert not model.refresh(by_source(renamed), placements(renamed), CONFIG, CONVERTER)


def test_more_changed_reports_than_are_placed_one_by_one_make_the_model_afresh() -> None:
    rng = random.Random(3)
    reports = [make_report(rng, number) for number in range(MOST_CHANGED + 1)]
    model = SiteModel.make(reports, placements(reports), REGISTRY, CONFIG, CONVERTER, None)
    moved = [replace(report, date=report.date + timedelta(days=1)) for report in reports]
    assert not model.refresh(by_source(moved), placements(moved), CONFIG, CONVERTER)


def test_a_slug_taken_twice_makes_the_model_afresh_and_freed_again_is_placed() -> None:
    """Two reports with one slug are the full model's problem to name; once the slug is free
    again, the kept model (made with the collision) is brought up to date once more."""
    rng = random.Random(4)
    reports = [make_report(rng, number) for number in range(6)]
    model = SiteModel.make(reports, placements(reports), REGISTRY, CONFIG, CONVERTER, None)
    taken = [*reports[:-1], replace(reports[-1], slug=reports[0].slug)]
    assert not model.refresh(by_source(taken), placements(taken), CONFIG, CONVERTER)
    model = SiteModel.make(taken, placements(taken), REGISTRY, CONFIG, CONVERTER, None)
    assert any("slug" in problem.message for problem in model.problems)
    freed = [*reports[:-1], replace(reports[-1], slug=reports[-1].slug + "-novi")]
    assert model.refresh(by_source(freed), placements(freed), CONFIG, CONVERTER)
    assert_same(model, freed)


def report_links(model: SiteModel) -> dict[str, Onward]:
    return {page.data["report"].source: page.data["onward"] for page in model.sections[("reports",)]}


@pytest.mark.parametrize("seed", range(4))
def test_random_edits_keep_every_report_pages_links_as_worked_out_afresh(seed: int) -> None:
    """Long lists, where a report's related reports are its nearest in each (`onward.WINDOW`):
    tags joined and left, institutions, titles and dates changed, reports added and removed.
    When the order of reports stays, only the pages near the change are made again."""
    rng = random.Random(seed)
    reports = [make_report(rng, number) for number in range(120)]
    model = SiteModel.make(reports, placements(reports), REGISTRY, CONFIG, CONVERTER, None)
    kept_pages = 0
    for step in range(60):
        reports = list(reports)
        index = rng.randrange(len(reports))
        report = reports[index]
        action = rng.randrange(8)
        if action <= 2:  # a tag joined or left
            tag = rng.choice(TAGS)
            reports[index] = replace(report, tags=tuple(name for name in report.tags if name != tag) if tag in report.tags else (*report.tags, tag))
        elif action == 3:
            reports[index] = replace(report, institutions=tuple(rng.sample(INSTITUTIONS, rng.randrange(0, 3))), field_lines=FieldLines())
        elif action == 4:
            reports[index] = replace(report, title=report.title + " (izmenjen)")
        elif action == 5:
            reports[index] = replace(report, date=report.date + timedelta(days=rng.choice([-40, -1, 1, 3])))
        elif action == 6:
            reports.pop(index)
        else:
            reports.append(make_report(rng, 1000 + step))
        pages = list(model.sections[("reports",)])
        if not model.refresh(by_source(reports), placements(reports), CONFIG, CONVERTER):
            model = SiteModel.make(reports, placements(reports), REGISTRY, CONFIG, CONVERTER, None)
        assert report_links(model) == onward(model.site)
        if action <= 3:
            kept_pages += sum(page is kept for page, kept in zip(model.sections[("reports",)], pages))
    assert_same(model, reports)
    assert kept_pages > 60 * 120 / 4  # most pages stay as they were on a tag or institution edit
