"""Roman numerals: kept Latin in Cyrillic text when the context says numeral (`XIV vijek`)."""

from __future__ import annotations

import re

from .letters import CYRILLIC_TO_LATIN_TABLE, is_all_caps, is_title_case
from .words import NUMERAL, Word


ROMAN_NUMERAL = re.compile(r"(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
# Roman numerals that are also Serbian words or initials: I (and), V (an initial), VI (you).
_AMBIGUOUS_NUMERALS = frozenset({"I", "V", "VI"})
# Nouns a Roman numeral is counted with: "XIV vijek", "VI sjednica", "DI stoljeće"...
_NUMERAL_NOUN = re.compile(
    r"(?:vij?ek|stolj?eć|stolet|milenij|kvartal|sj?ednic|sazi[vv]|konferencij|kongres|razred"
    r"|poglavlj|dinastij|festival|forum|samit|faz|etap|tom|dio|deo|stepen|kategorij|korpus)",
)
# A Cyrillic Х run typed for X in a numeral: "ХХ вијек" (a single Х stays the letter).
CYRILLIC_X_NUMERAL = re.compile(r"ХХ+(?![^\W\d_])")  # preceded by a non-letter: see _cyrillic_numeral_x

_NUMERAL_FOLLOWER = re.compile(r"\s*[–—\-)]")


def _cyrillic_numeral_x(match: re.Match[str]) -> str:
    start = match.start()
    if start and (match.string[start - 1].isalpha()):
        return match.group()
    return "X" * len(match.group())


def cyrillic_x_in_numerals(text: str) -> str:
    return CYRILLIC_X_NUMERAL.sub(_cyrillic_numeral_x, text) if "Х" in text else text


def _latin_lower(word: str) -> str:
    return word.translate(CYRILLIC_TO_LATIN_TABLE).lower()


def is_roman_numeral(line: list[Word], index: int) -> bool:
    word = line[index]
    numeral = word.text
    following = line[index + 1] if index + 1 < len(line) else None
    if "X" in numeral:
        return True
    if following is not None and _NUMERAL_NOUN.match(_latin_lower(following.text)):
        return True
    if not set(numeral).isdisjoint("LCDM"):  # CD, DIM, LI, MI, vitamin C: letters and words
        return False
    if numeral not in _AMBIGUOUS_NUMERALS:
        return True
    if _in_all_caps_context(line, index):
        return False
    if numeral == "VI":  # an all-caps VI in mixed-case text
        return True
    if _NUMERAL_FOLLOWER.match(word.gap_after):  # "I – transparentnost", "(II)"
        return True
    if word.gap_after.startswith(".") and following is not None and following.text[:1].isupper():
        return False  # an initial: "V. Petrović"
    previous = line[index - 1] if index else None
    return previous is not None and is_title_case(previous.text) and word.gap_before.strip() == ""


def _in_all_caps_context(line: list[Word], index: int) -> bool:
    """Whether the nearest words that are not numerals, on either side, are all caps."""
    neighbours = []
    for step in (-1, 1):
        position = index + step
        while 0 <= position < len(line) and line[position].kind == NUMERAL:
            position += step
        if 0 <= position < len(line):
            neighbours.append(line[position].text)
    return all(is_all_caps(neighbour) for neighbour in neighbours)


