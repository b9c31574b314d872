"""Which search index (a *shard*) holds each report: its year's, or its month's in a large year.

A shard is what an edit re-indexes whole and what the search page loads, newest first, until it
has results to show: the smaller, the cheaper both. A year of more than `SPLIT_YEAR_ABOVE`
reports is split into its months (`2024-05`), a smaller one stays whole (`2014`), so a small
archive keeps few shards. The split depends on nothing but the year's report count: an edit
re-indexes one month of a large year, and only a year crossing the threshold re-indexes all
of itself, once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date

from .model import Report

# About 100 reports a month at 20,000 reports over 17 years; 200 keeps a year's index small
# enough to make again in a fraction of a second (Pagefind takes about 2 ms a report).
SPLIT_YEAR_ABOVE = 200


def search_shards(reports: Sequence[Report]) -> dict[str, list[Report]]:
    """Each shard's reports, in the order given; shards in order of their first report (the
    site's order, newest first, gives newest shards first). Not to be changed by the caller:
    a build asks several times for the same reports (the plan, the search page, the index),
    and is given the same answer, kept while the reports are the very same objects in the
    same order (the answer holds them, so their ids stay theirs)."""
    global _last
    identity = tuple(map(id, reports))
    if _last is None or _last[0] != identity:
        _last = identity, _shards(reports)
    return _last[1]


_last: tuple[tuple[int, ...], dict[str, list[Report]]] | None = None


def _shards(reports: Sequence[Report]) -> dict[str, list[Report]]:
    by_year: dict[int, list[Report]] = {}
    for report in reports:
        by_year.setdefault(report.date.year, []).append(report)
    shards: dict[str, list[Report]] = {}
    for year, members in by_year.items():
        split = len(members) > SPLIT_YEAR_ABOVE
        for report in members:
            shards.setdefault(shard_of(report.date, split), []).append(report)
    return shards


def shard_of(day: date, split: bool) -> str:
    """The shard of a report of `day`: its month's (`2024-05`) when its year is `split`, else its year's."""
    return f"{day.year}-{day.month:02d}" if split else str(day.year)


def shard_among(day: date, shard_names: Collection[str]) -> str:
    """The shard of a report of `day` in a site whose shards are `shard_names`: its year is
    split when its month's shard is among them."""
    month = shard_of(day, True)
    return month if month in shard_names else shard_of(day, False)


def year_directories(shard_names: Iterable[str]) -> dict[str, list[str]]:
    """Each split year's month shards, in the order given, by year (`2018` -> [`2018-12`, ...]):
    the year's *directory*, an index of one page per month holding the month's words, tells
    the search page which months have a match before it loads any (`build.search`)."""
    directories: dict[str, list[str]] = {}
    for name in shard_names:
        year, dash, _ = name.partition("-")
        if dash:
            directories.setdefault(year, []).append(name)
    return directories
