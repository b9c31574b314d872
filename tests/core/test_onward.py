"""Ways onward from a report: previous and next, related reports, the pager's page numbers."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from ogpsite.core.model import Report, Site
from ogpsite.core import onward as onward_module
from ogpsite.core.onward import RELATED, WINDOW, onward
from ogpsite.core.taxonomy import page_numbers


def _site(terms: list[tuple[tuple[str, ...], tuple[str, ...]]]) -> Site:
    """Reports numbered from the newest (r0) down, each with its (institutions, tags)."""
    start = date(2024, 1, 1)
    reports = [Report(f"r{number}.md", f"R{number}", start - timedelta(days=number), f"r{number}", "latin", "sr", "", 1)
               for number in range(len(terms))]
    return Site(reports, report_institutions={report.source: institutions for report, (institutions, _) in zip(reports, terms)},
                report_tags={report.source: tags for report, (_, tags) in zip(reports, terms)})


def test_previous_is_the_next_older_report_and_next_the_next_newer() -> None:
    links = onward(_site([((), ())] * 3))
    assert (links["r0.md"].previous, links["r0.md"].next) == ("r1.md", "")
    assert (links["r1.md"].previous, links["r1.md"].next) == ("r2.md", "r0.md")
    assert (links["r2.md"].previous, links["r2.md"].next) == ("", "r1.md")


def test_related_reports_share_institutions_or_tags_most_shared_first_shown_newest_first() -> None:
    site = _site([
        (("crta",), ("ogp",)),  # r0
        ((), ("sport",)),  # r1: shares nothing with r2
        (("crta",), ("ogp", "podaci")),  # r2
        (("crta",), ()),  # r3: one term with r2
        ((), ("ogp", "podaci")),  # r4: two terms with r2
        (("crta",), ("ogp", "podaci")),  # r5: three terms with r2
    ])
    links = onward(site, limit=3)
    # r5 shares three terms, r0 and r4 two each (as near in time; the newer first), r3 one: the three sharing most, newest first.
    assert links["r2.md"].related == ("r0.md", "r4.md", "r5.md")
    assert links["r1.md"].related == ()
    assert "r2.md" not in links["r2.md"].related
    assert len(onward(site)["r2.md"].related) == 4  # all that share anything, below the limit


def test_among_equally_related_reports_the_nearest_in_time_win() -> None:
    site = _site([((), ("ogp",))] * 40)
    related = onward(site)["r20.md"].related
    assert related == ("r17.md", "r18.md", "r19.md", "r21.md", "r22.md")  # one day off, two, then the newer of those three days off
    assert len(related) == RELATED


def test_related_reports_are_looked_for_near_the_report_in_each_list_not_in_the_whole_list() -> None:
    """What keeps the work flat: in a tag every one of 3,000 reports has, a report's related
    reports are among its `WINDOW` neighbours on each side, never further."""
    count = 3000
    site = _site([(("crta",), ("ogp",))] * count)
    links = onward(site)
    for number in range(0, count, 7):
        for source in links[f"r{number}.md"].related:
            assert abs(int(source[1:-3]) - number) <= WINDOW


@pytest.mark.parametrize(("number", "count", "expected"), [
    (1, 1, [1]),
    (2, 3, [1, 2, 3]),
    (1, 10, [1, 2, 3, None, 10]),
    (5, 10, [1, 2, 3, 4, 5, 6, 7, None, 10]),  # a gap of one number shows the number
    (6, 12, [1, None, 4, 5, 6, 7, 8, None, 12]),
    (12, 12, [1, None, 10, 11, 12]),
])
def test_the_pager_shows_the_first_the_last_and_a_window_around_the_current_page(number: int, count: int, expected: list[int | None]) -> None:
    assert page_numbers(number, count) == expected


def _related_by_definition(number: int, placed: list[tuple[list[int], int]], limit: int, window: int) -> list[int]:
    """`onward._related` as its docstring says it: count each neighbour per list, rank by most
    shared, then nearest in time, then newest, keep `limit`, return them newest first."""
    shared: dict[int, int] = {}
    for group, place in placed:
        for other in group[max(0, place - window) : place + window + 1]:
            if other != number:
                shared[other] = shared.get(other, 0) + 1
    ranked = sorted(shared, key=lambda other: (-shared[other], abs(other - number), other))
    return sorted(ranked[:limit])


def test_the_packed_ranking_chooses_as_the_definition_does() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        count = rng.randint(1, 200)
        groups = [sorted(rng.sample(range(count), rng.randint(1, count))) for _ in range(rng.randint(1, 5))]
        number = rng.randrange(count)
        placed = [(group, group.index(number)) for group in groups if number in group]
        for limit in (0, 1, 5):
            assert onward_module._related(number, placed, limit, 6) == _related_by_definition(number, placed, limit, 6)


def _random_terms(rng: random.Random) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(rng.sample(["crta", "bhas", "grad"], rng.randrange(0, 2))), tuple(rng.sample(["ogp", "podaci", "budzet", "sport"], rng.randrange(0, 3)))


@pytest.mark.parametrize("seed", range(4))
def test_the_links_relinked_says_may_change_are_the_only_ones_that_do(seed: int) -> None:
    """Reports join and leave lists (the site's order of reports staying): working out again the
    links of the reports `relinked` names gives every report's links as worked out afresh."""
    rng = random.Random(seed)
    terms = [_random_terms(rng) for _ in range(rng.randint(40, 160))]
    site = _site(terms)
    links = onward(site)
    for _ in range(80):
        earlier = {}
        for number in rng.sample(range(len(terms)), rng.choice([1, 1, 2, 3])):
            source = f"r{number}.md"
            earlier[source] = onward_module.report_terms(site, source)
            institutions, tags = site.report_institutions[source], site.report_tags[source]
            if rng.random() < 0.3:
                institutions = _random_terms(rng)[0]
            else:  # a tag joined or left
                tag = rng.choice(["ogp", "podaci", "budzet", "sport"])
                tags = tuple(name for name in tags if name != tag) if tag in tags else (*tags, tag)
            site.report_institutions[source], site.report_tags[source] = institutions, tags
        links.update(onward(site, onward_module.relinked(site, earlier)))
        assert links == onward(site)
