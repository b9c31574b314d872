"""Ways onward from a report: the previous and next report in date order, and related reports. Pure: no I/O.

Related reports share institutions or tags with the report. Comparing every report with
every other would be quadratic (20,000 reports: 200 million pairs); instead each of a
report's institutions and tags contributes only its reports nearest in time (`WINDOW` on each
side in that list), and among those the ones sharing most win, the nearest in time first. The
cost per report is bounded by the number of its institutions and tags, whatever the archive's size.
"""

from __future__ import annotations

from collections import defaultdict
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


def onward(site: Site, limit: int = RELATED, window: int = WINDOW) -> dict[str, Onward]:
    """Each report's `Onward`, by source (`site.reports` is newest first)."""
    reports = site.reports
    sources = [report.source for report in reports]
    terms = _terms(site, sources)
    members: dict[str, list[int]] = defaultdict(list)  # term -> report numbers, newest first
    places: list[list[tuple[list[int], int]]] = []  # report number -> (its term's members, its place there)
    for number, report_terms in enumerate(terms):
        placed = []
        for term in report_terms:
            group = members[term]
            placed.append((group, len(group)))
            group.append(number)
        places.append(placed)
    last = len(sources) - 1
    result = {}
    for number, source in enumerate(sources):
        related = _related(number, places[number], limit, window)
        result[source] = Onward(
            sources[number + 1] if number < last else "",
            sources[number - 1] if number > 0 else "",
            tuple(sources[other] for other in related),
        )
    return result


def _terms(site: Site, sources: list[str]) -> list[tuple[str, ...]]:
    """Each report's institutions and tags, as one kind of term each."""
    institutions, tags = site.report_institutions, site.report_tags
    return [(*("i" + slug for slug in institutions[source]), *("t" + slug for slug in tags[source])) for source in sources]


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
