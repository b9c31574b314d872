"""Front matter read out of an item's text: the event's date and place, the institutions named.

The date is the event's when the text states it: of the dates found, the one in a sentence
that says something took place (`održan je`, `одржаће се`), best with a place beside it, and
not a deadline (`najkasnije do 13. marta`); else the source's publication date. The place is
the one named nearest that date in its sentence, else the first after `u`/`на`/`iz`, in the
nominative from the gazetteer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .. import translit
from .dates import DateMention, find_dates
from .institutions import InstitutionMatcher, InstitutionMention, candidates
from .items import Item
from .places import PREPOSITIONS, PlaceMention, gazetteer
from .text import SENTENCE_BREAK, title_from_text
from .titles import headline

_EVENT_WORD = re.compile(
    r"(?:održ|одрж|organizova|организова|organizuj|организуј|počinj|почињ|traj[eu]|трај[еу]|započe|започе|realizova|реализова)",
    re.IGNORECASE,
)
_DEADLINE_BEFORE = re.compile(r"(?:^|\W)(?:do|до|najkasnije|најкасније|rok|рок)\W[^.\n]{0,25}$", re.IGNORECASE)
_MARKDOWN_LINK = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"\\(?=[\\`*_\[\]#>+.!-])|^#+\s|[*_`]+|&lt;", re.MULTILINE)


@dataclass
class Derived:
    """An item's front matter, and what the CSV says about how it was found."""

    title: str
    date: date
    date_from: str  # text, source, fallback
    place: str
    institutions: list[str]
    unregistered: list[str]
    script: str
    notes: list[str] = field(default_factory=list)

    def front_matter(self, item: Item) -> dict[str, Any]:
        fields: dict[str, Any] = {"title": self.title, "date": self.date}
        if self.institutions:
            fields["institutions"] = self.institutions
        if self.place:
            fields["place"] = self.place
        if item.tags:
            fields["tags"] = list(item.tags)
        if item.source_url:
            fields["source"] = item.source_url
        if item.language:
            fields["language"] = item.language
        fields["script"] = self.script
        if item.draft:
            fields["draft"] = True
        if item.aliases:
            fields["aliases"] = list(item.aliases)
        return fields


def markdown_to_text(markdown: str) -> str:
    """The words of a Markdown body, for reading dates and names out of (not for display)."""
    text = _MARKDOWN_LINK.sub(lambda match: match.group(1) or "", markdown)
    return _MARKDOWN_MARKS.sub(lambda match: "<" if match.group(0) == "&lt;" else "", text)


def derive(item: Item, matcher: InstitutionMatcher, fallback_date: date, add_unregistered: bool = False) -> Derived:
    """Front matter for `item`; `fallback_date` (e.g. the file's) when neither text nor source dates it."""
    body_text = markdown_to_text(item.body)
    notes = list(item.notes)
    title = item.title.strip()
    text = f"{title}\n\n{body_text}" if title else body_text
    script = translit.detect_script(text) or "latin"
    found = matcher.find(text)
    when, date_from, chosen = _date(text, item, fallback_date, notes)
    place = _place(text, chosen, found, notes)
    if not title:
        title, how = _title(text, place)
        notes.append(f"title: {how}")
    names = [matcher.registry[slug].name(script) for slug in dict.fromkeys(mention.slug for mention in found)]
    unregistered = [name for name in candidates(text, found) if name not in names]
    if add_unregistered:
        names += unregistered
    return Derived(title, when, date_from, place.place.name(script) if place else "", names, unregistered, script, notes)


def _title(text: str, place: PlaceMention | None) -> tuple[str, str]:
    """A title for a text without one, and how it was made."""
    start, stop = _sentences(text)[0]
    made = headline(text[start:stop], place if place is not None and start <= place.offset < stop else None)
    if made:
        return made, "made from the first sentence's subject and predicate"
    return title_from_text(text), "the first sentence, shortened"


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in SENTENCE_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _sentence_of(spans: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    return next((span for span in spans if span[0] <= offset < span[1] + 1), (0, 0))


def _score(text: str, mention: DateMention, spans: list[tuple[int, int]], places: list[PlaceMention]) -> int:
    start, stop = _sentence_of(spans, mention.offset)
    sentence = text[start:stop]
    score = 3 if _EVENT_WORD.search(sentence) else 0
    score += 2 if any(start <= place.offset < stop for place in places) else 0
    score -= 6 if _DEADLINE_BEFORE.search(text[max(start, mention.offset - 40) : mention.offset]) else 0
    score -= 1 if mention.precision == "month" else 0
    return score


def _date(text: str, item: Item, fallback: date, notes: list[str]) -> tuple[date, str, DateMention | None]:
    mentions = find_dates(text, item.published.year if item.published else None)
    if not mentions:
        if item.published:
            return item.published, "source", None
        notes.append("date: none in the text or the source; the file's date was taken")
        return fallback, "fallback", None
    spans, places = _sentences(text), gazetteer().find(text)
    score, best = max(((_score(text, mention, spans, places), mention) for mention in mentions), key=lambda pair: (pair[0], -pair[1].offset))
    if score < 0 and item.published:  # every date the text states is a deadline: not the event's
        return item.published, "source", None
    if best.end and best.end != best.start:
        notes.append(f"date: {best.text.strip()} is a range; its first day was taken")
    if best.precision == "month":
        notes.append(f"date: {best.text.strip()} names no day; the 1st was taken")
    when = best.start if best.year_stated or item.published is None else _nearest_year(best.start, item.published)
    if not best.year_stated:
        notes.append(f"date: {best.text.strip()} names no year; the publication's ({when.year}) was taken")
    elif not best.weekday_agrees:
        notes.append(f"date: {best.text.strip()} is not on the weekday the text names")
    return when, "text", best


def _nearest_year(day: date, published: date) -> date:
    """`day` in the year that puts it nearest the publication: a report of 3 January on an
    event of `28. decembra` means the December before."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(day.replace(year=year))
        except ValueError:  # 29 February
            continue
    return min(candidates, key=lambda candidate: abs((candidate - published).days), default=day)


def _place(text: str, chosen: DateMention | None, institutions: list[InstitutionMention], notes: list[str]) -> PlaceMention | None:
    mentions = gazetteer().find(text)
    outside = [place for place in mentions if not any(i.offset <= place.offset < i.stop for i in institutions)]
    if chosen is not None:
        start, stop = _sentence_of(_sentences(text), chosen.offset)
        beside = [place for place in outside if start <= place.offset < stop]
        if beside:
            return min(beside, key=lambda place: abs(place.offset - chosen.offset))
    after_preposition = [place for place in outside if place.before in PREPOSITIONS]
    if after_preposition:
        return after_preposition[0]
    if outside or mentions:
        notes.append("place: the first named, not said to be where it took place")
        return (outside or mentions)[0]
    notes.append("place: none found")
    return None
