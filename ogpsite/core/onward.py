"""Ways onward from a report: the previous and next report in date order, and related reports. Pure: no I/O.

Related reports share institutions or tags with the report. Comparing every report with
every other would be quadratic (20,000 reports: 200 million pairs); instead each of a
report's institutions and tags contributes only its reports nearest in time (`WINDOW` on each
side in that list), and among those the ones sharing most win, the nearest in time first. The
cost per report is bounded by the number of its institutions and tags, whatever the archive's size.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from .model import Site

RELATED = 5  # shown on a report page
WINDOW = 6  # neighbours looked at on each side, in each list the report is in
_FIELD = 32  # bits per part of a candidate's rank (`_related`): report numbers stay far below 2**32
_LOW = (1 << _FIELD) - 1
_MOST = 1 << 16  # above any count of shared neighbourhoods (one per institution and tag)


@dataclass(frozen=True)
class Onward:
    """Sources of the reports a report page links to: "" where there is none."""

    previous: str = ""  # the next older report
    next: str = ""  # the next newer report
    related: tuple[str, ...] = ()  # newest first

    @property
    def sources(self) -> tuple[str, ...]:
        """Every report the links name."""
        return tuple(source for source in (self.previous, self.next, *self.related) if source)


def onward(site: Site, sources: Collection[str] | None = None, limit: int = RELATED, window: int = WINDOW) -> dict[str, Onward]:
    """Each report's `Onward`, by source (`site.reports` is newest first): of the reports of
    `sources` alone when given (`relinked` says which may have changed). The lists of every
    institution and tag are made all the same: they cost a few milliseconds, ranking related
    reports the rest."""
    order = [report.source for report in site.reports]
    lists = _lists(site, order)
    last = len(order) - 1
    numbers = range(len(order)) if sources is None else [number for number, source in enumerate(order) if source in sources]
    result = {}
    for number in numbers:
        source = order[number]
        related = _related(number, _placed(number, report_terms(site, source), lists), limit, window)
        result[source] = Onward(
            order[number + 1] if number < last else "",
            order[number - 1] if number > 0 else "",
            tuple(order[other] for other in related),
        )
    return result


Terms = tuple[tuple[str, ...], tuple[str, ...]]  # a report's institutions and tags, as slugs
_Lists = tuple[dict[str, list[int]], dict[str, list[int]]]  # each institution's and each tag's report numbers, newest first


def report_terms(site: Site, source: str) -> Terms:
    """What `onward` ranks a report's related reports by: what `relinked` is given of a report
    before it is placed anew."""
    return site.report_institutions[source], site.report_tags[source]


def relinked(site: Site, earlier: Mapping[str, Terms], window: int = WINDOW) -> set[str]:
    """The reports whose `Onward` may differ from what it was when the reports of `earlier` had
    the terms it gives (`report_terms`), the site's order of reports (`site.reports`) being the
    same then and now: those reports, and in each list one of them joined or left, the reports
    within `window` of its place there (in the list it joined, or the list as it was before it left).

    Why no others: with the order unchanged, previous and next stay, and so does each report's
    number (`_related` ranks by the distance of numbers). Another report's related reports are
    made from its terms (unchanged) and, in each of its lists, its `window` neighbours on either
    side. A list it is in changed only by reports joining or leaving it; when none of those is
    among its `window` nearest neighbours in the list now (joined) or then (left), its nearest
    `window` on each side are the same reports then and now (none left from among them, none came
    in between). Whatever else a changed report changed (its other lists, its language) shows on
    no other report's page: a report counts as related once for each of its own lists it is near
    the other in, not for the other's."""
    order = [report.source for report in site.reports]
    number_of = {source: number for number, source in enumerate(order)}
    near = {number_of[source] for source in earlier}
    for kind, members in enumerate(_lists(site, order)):
        joined: dict[str, set[int]] = defaultdict(set)
        left: dict[str, set[int]] = defaultdict(set)
        for source, terms_then in earlier.items():
            number = number_of[source]
            now, then = set(report_terms(site, source)[kind]), set(terms_then[kind])
            for slug in now - then:
                joined[slug].add(number)
            for slug in then - now:
                left[slug].add(number)
        for slug in joined.keys() | left.keys():
            group = members.get(slug, [])
            group_then = sorted(set(group).difference(joined[slug]).union(left[slug]))
            for numbers, moved in ((group, joined[slug]), (group_then, left[slug])):
                for number in moved:
                    place = bisect_left(numbers, number)
                    near.update(numbers[max(0, place - window) : place + window + 1])
    return {order[number] for number in near}


def _lists(site: Site, order: list[str]) -> _Lists:
    institutions, tags = site.report_institutions, site.report_tags
    by_institution: dict[str, list[int]] = defaultdict(list)
    by_tag: dict[str, list[int]] = defaultdict(list)
    for number, source in enumerate(order):
        for slug in institutions[source]:
            by_institution[slug].append(number)
        for slug in tags[source]:
            by_tag[slug].append(number)
    return by_institution, by_tag


def _placed(number: int, terms: Terms, lists: _Lists) -> list[tuple[list[int], int]]:
    """The lists of report `number`'s terms, each with its place there (what `_related` looks around)."""
    placed = []
    for slugs, members in zip(terms, lists):
        for slug in slugs:
            group = members[slug]
            placed.append((group, bisect_left(group, number)))
    return placed


def _related(number: int, placed: list[tuple[list[int], int]], limit: int, window: int) -> list[int]:
    """The `limit` reports sharing most of the terms' neighbourhoods with report `number`, newest first."""
    shared: dict[int, int] = {}
    for group, place in placed:
        for other in group[max(0, place - window) : place + window + 1]:
            shared[other] = shared.get(other, 0) + 1
    shared.pop(number, None)
    if len(shared) <= limit:
        return sorted(shared)
    # Most shared first, then nearest in time, then the newer: as one integer per candidate, so
    # that sorting calls no key function (a tag edit at 20,000 reports works out every report's
    # links again: 900,000 key calls were half of it).
    ranked = sorted([(_MOST - count) << 2 * _FIELD | abs(other - number) << _FIELD | other for other, count in shared.items()])
    return sorted(rank & _LOW for rank in ranked[:limit])
