"""Dates written the Serbian, Bosnian, Croatian and Montenegrin way, in either script.

`5. марта 2014. године`, `u utorak, 4. marta 2014. godine`, `24.10.-27.10.2016.`,
`11-17. марта 2019.`, `Trebinje, 28.maj 2019.`, `15. lipnja 2023.`: no date library reads
these (they know the nominative month names only), so the grammar is ours; the calendar
(is 31 April a date? which weekday is it?) is `datetime`'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .. import translit

# Every case form of each month's name (Serbian and Bosnian first, then Croatian), in Latin;
# the Cyrillic forms are their transliteration.
_MONTH_FORMS = {
    1: "januar januara januaru januarom siječanj siječnja siječnju siječnjem",
    2: "februar februara februaru februarom veljača veljače veljači veljaču veljačom",
    3: "mart marta martu martom ožujak ožujka ožujku ožujkom",
    4: "april aprila aprilu aprilom travanj travnja travnju travnjem",
    5: "maj maja maju majem majom svibanj svibnja svibnju svibnjem",
    6: "jun juni juna junu junom lipanj lipnja lipnju lipnjem",
    7: "jul juli jula julu julom srpanj srpnja srpnju srpnjem",
    8: "avgust avgusta avgustu avgustom august augusta augustu augustom kolovoz kolovoza kolovozu kolovozom",
    9: "septembar septembra septembru septembrom rujan rujna rujnu rujnom",
    10: "oktobar oktobra oktobru oktobrom listopad listopada listopadu listopadom",
    11: "novembar novembra novembru novembrom studeni studenoga studenog studenom",
    12: "decembar decembra decembru decembrom prosinac prosinca prosincu prosincem",
}
# Weekdays in the forms a date is prefixed with (`u utorak,`, `до среде,`), ekavian and ijekavian.
_WEEKDAY_FORMS = {
    0: "ponedjeljak ponedeljak ponedjeljka ponedeljka",
    1: "utorak utorka",
    2: "srijeda sreda srijedu sredu srijede srede",
    3: "četvrtak četvrtka",
    4: "petak petka",
    5: "subota subotu subote",
    6: "nedjelja nedelja nedjelju nedelju nedjelje nedelje",
}


def _both_scripts(forms: dict[int, str]) -> dict[str, int]:
    table = {}
    for number, words in forms.items():
        for word in words.split():
            table[word] = number
            table[translit.to_cyrillic(word)] = number
    return table


MONTHS = _both_scripts(_MONTH_FORMS)
WEEKDAYS = _both_scripts(_WEEKDAY_FORMS)


def _alternation(words: dict[str, int]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_MONTH = rf"(?:{_alternation(MONTHS)})(?![^\W\d_])"
_DAY = r"(?<!\d)[0-3]?\d"
_YEAR = r"(?:1[89]|20)\d\d(?!\d)"
_NUM_MONTH = r"[01]?\d"
_DASH = r"\s*(?:[-–—]|(?:do|до|i|и)\s)\s*"  # `11-17.`, `od 11. do 17.`, `28. i 29.`
# `godine`, `god.`, `године`, `год.`: consumed with the date so that it is not read again.
# A day and a month may come without the year (`održana je 5. marta`): the caller's year.
_OPTIONAL_YEAR = rf"(?:\s*,?\s*(?P<y>{_YEAR}))?"
_YEAR_WORD = r"(?:\.?\s*(?:godine|године|god\.|год\.))?"
_WEEKDAY_BEFORE = re.compile(rf"(?:^|[^\w])(?P<weekday>{_alternation(WEEKDAYS)})\s*,?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """A date stated in a text: `start`, the last day of a range (`end`), where it was found."""

    start: date
    end: date | None
    offset: int
    stop: int
    text: str
    precision: str = "day"  # or "month": `u martu 2019.` names no day
    year_stated: bool = True  # False: `5. marta`, the year is the one `find_dates` was given
    weekday_stated: int | None = None  # 0 = Monday, when the text names one

    @property
    def weekday_agrees(self) -> bool:
        return self.weekday_stated is None or self.weekday_stated == self.start.weekday()


def _month(name: str) -> int:
    return MONTHS[name.lower()]


# Each pattern with how its match becomes (start, end) as (year, month, day) triples.
_Triple = tuple[int, int, int]
_Reader = Callable[[re.Match[str], int], tuple[_Triple, _Triple | None]]


def _pattern(regex: str) -> re.Pattern[str]:
    return re.compile(regex + _YEAR_WORD, re.IGNORECASE)


def _names_one_month(m: re.Match[str], year: int) -> tuple[_Triple, _Triple | None]:
    month = _month(m["m"])
    return (year, month, int(m["d1"])), (year, month, int(m["d2"]))


def _names_two_months(m: re.Match[str], year: int) -> tuple[_Triple, _Triple | None]:
    return (year, _month(m["m1"]), int(m["d1"])), (year, _month(m["m2"]), int(m["d2"]))


def _name_single(m: re.Match[str], year: int) -> tuple[_Triple, _Triple | None]:
    return (year, _month(m["m"]), int(m["d"])), None


def _numeric_range(m: re.Match[str], year: int) -> tuple[_Triple, _Triple | None]:
    first_month = int(m["m1"]) if m["m1"] else int(m["m2"])
    return (int(m["y1"] or year), first_month, int(m["d1"])), (year, int(m["m2"]), int(m["d2"]))


def _numeric_single(m: re.Match[str], year: int) -> tuple[_Triple, _Triple | None]:
    return (year, int(m["m"]), int(m["d"])), None


def _month_year(m: re.Match[str], year: int) -> tuple[_Triple, _Triple | None]:
    return (year, _month(m["m"]), 1), None


_READERS: tuple[tuple[re.Pattern[str], _Reader, str], ...] = (
    # 11-17. марта 2019., od 11. do 17. marta 2019., 28. i 29. septembra 2022.
    (_pattern(rf"(?P<d1>{_DAY})\.?{_DASH}(?P<d2>{_DAY})\.?\s*(?P<m>{_MONTH}){_OPTIONAL_YEAR}"), _names_one_month, "day"),
    # 30. maja - 2. juna 2019.
    (_pattern(rf"(?P<d1>{_DAY})\.?\s*(?P<m1>{_MONTH}){_DASH}(?P<d2>{_DAY})\.?\s*(?P<m2>{_MONTH}){_OPTIONAL_YEAR}"), _names_two_months, "day"),
    # 5. марта 2014., 28.maj 2019, 5 marta 2014
    (_pattern(rf"(?P<d>{_DAY})\.?\s*(?P<m>{_MONTH}){_OPTIONAL_YEAR}"), _name_single, "day"),
    # 24.10.-27.10.2016., 24.-27.10.2016., 30.12.2016.-2.1.2017.
    (_pattern(
        rf"(?P<d1>{_DAY})\.\s?(?:(?P<m1>{_NUM_MONTH})\.\s?(?:(?P<y1>{_YEAR})\.?)?)?{_DASH}"
        rf"(?P<d2>{_DAY})\.\s?(?P<m2>{_NUM_MONTH})\.\s?(?P<y>{_YEAR})"
    ), _numeric_range, "day"),
    # 24.10.2016., 5. 3. 2014.
    (_pattern(rf"(?P<d>{_DAY})\.\s?(?P<m>{_NUM_MONTH})\.\s?(?P<y>{_YEAR})"), _numeric_single, "day"),
    # 2014-03-05
    (re.compile(rf"(?<!\d)(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)"), _numeric_single, "day"),
    # u martu 2019., марта 2019. године
    (_pattern(rf"(?<![\w.])(?P<m>{_MONTH})\s*,?\s*(?P<y>{_YEAR})"), _month_year, "month"),
)


def find_dates(text: str, year: int | None = None) -> list[DateMention]:
    """Every valid date stated in `text`, in the order they appear; a longer reading of the
    same words wins (`24.10.-27.10.2016.` is one range, not two dates). With `year`, a day and
    month written without a year (`5. marta`) are read in that year."""
    found = sorted(_candidates(text, year), key=lambda mention: (mention.offset, -mention.stop))
    kept: list[DateMention] = []
    for mention in found:
        if not kept or mention.offset >= kept[-1].stop:
            kept.append(mention)
    return kept


def _candidates(text: str, year: int | None) -> Iterator[DateMention]:
    for pattern, read, precision in _READERS:
        for match in pattern.finditer(text):
            mention = _mention(text, match, read, precision, year)
            if mention is not None:
                yield mention


def _mention(text: str, match: re.Match[str], read: _Reader, precision: str, year: int | None) -> DateMention | None:
    stated = match["y"] is not None
    if not stated and year is None:
        return None
    first, last = read(match, int(match["y"]) if stated else year)  # type: ignore[arg-type]  # one of them is there
    if precision == "month" and re.search(r"\d\.?\s*$", text[max(0, match.start() - 4) : match.start()]):
        return None  # `31. aprila 2019.`: a day was written, and it does not exist
    start, end = _valid(first), _valid(last) if last else None
    if start is None or (last is not None and (end is None or end < start)):
        return None  # `31. aprila`, `13.13.2016.`, a range that ends before it begins
    weekday = _WEEKDAY_BEFORE.search(text, max(0, match.start() - 30), match.start())
    return DateMention(
        start, end, match.start(), match.end(), match.group(0), precision, stated,
        WEEKDAYS[weekday["weekday"].lower()] if weekday and precision == "day" else None,
    )


def _valid(triple: _Triple) -> date | None:
    try:
        return date(*triple)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def parse_date(text: str) -> date | None:
    """The first day of the one date `text` states, or None: `"5. марта 2014. године"` -> 2014-03-05."""
    mentions = find_dates(text)
    return mentions[0].start if mentions and mentions[0].precision == "day" else None
