"""A headline for a text that has none, made from its first sentence the way a news headline is.

`Радионица о „Партнерству за отворену власт“ за представнике … одржана је 5. марта 2014.
године у Коњицу.` gives `Радионица о „Партнерству за отворену власт“ у Коњицу`: the subject
before the predicate, cut before its first `za`/`u okviru`/`koji` clause (outside quotes), and
the place. With an active predicate (`Savez … održao je 4 obuke, …`) the subject, the verb and
its object make it: `Savez opština i gradova Republike Srpske održao 4 obuke`.
"""

from __future__ import annotations

import re

from .places import PREPOSITIONS, PlaceMention

TITLE_MAX = 110
_AUXILIARY = r"(?:je|su|će|ће|је|су|biće|биће|bit će)"
_PASSIVE = r"(?:održan|одржан|organizovan|организован|realizovan|реализован|upriličen|уприличен)[aoiеаои]?"
_ACTIVE = r"(?:održa|одржа|organizova|организова|realizova|реализова|upriliči|уприличи)(?:o|la|lo|li|ла|ло|ли|о)"
_PREDICATE = re.compile(
    rf"\s(?:{_AUXILIARY}\s+)?(?P<verb>(?P<passive>{_PASSIVE})|(?P<active>{_ACTIVE}))(?:\s+{_AUXILIARY})?(?=[\s,.])", re.IGNORECASE
)
# Where a subject's own complements start: `… radne grupe | za komunikacije …`.
_CUT = re.compile(r"\s(?:za|u okviru|u sklopu|u periodu|tokom|koji|koja|koje|koga|за|у оквиру|у склопу|у периоду|током|који|која|које|кога)\s", re.IGNORECASE)
_QUOTED = re.compile(r"[„“\"«][^„“”\"«»]*[“”\"»]")
_CLAUSE_END = re.compile(r"[,;:(]|\s[–—-]\s")


def _masked(text: str) -> str:
    """`text` with quoted spans blanked out (same length): a cut never falls inside a quotation."""
    return _QUOTED.sub(lambda match: "_" * len(match.group(0)), text)


def _subject(text: str) -> str:
    masked = _masked(text)
    for cut in _CUT.finditer(masked):
        if len(masked[: cut.start()].split()) >= 2:
            return text[: cut.start()]
    return text


def headline(sentence: str, place: PlaceMention | None) -> str | None:
    """The headline of a first sentence, or None when it has no predicate to cut at."""
    sentence = " ".join(sentence.split()).rstrip(".")
    predicate = _PREDICATE.search(_masked(sentence))
    if predicate is None or predicate.start() == 0:
        return None
    subject = _subject(sentence[: predicate.start()]).strip()
    if predicate["active"]:
        rest = sentence[predicate.end() :]
        clause = _CLAUSE_END.search(_masked(rest))
        obj = rest[: clause.start()] if clause else rest
        title = f"{subject} {sentence[predicate.start('verb') : predicate.end('verb')]} {obj.strip()}".strip()
    else:
        title = subject
        if place is not None and place.before in PREPOSITIONS and place.text not in subject:
            title += f" {place.before} {place.text}"
    return title if len(title) <= TITLE_MAX else None
