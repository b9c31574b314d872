"""Places: the gazetteer of municipalities and cities, and finding them in a text in any case.

`data/places.tsv` lists each municipality once, in the Latin nominative. Its case forms are
made here by the rules of Serbian declension (a noun by its ending, an adjective in front of
it agreeing: `Sanski Most` -> `Sanskom Mostu`), the file giving the forms where the rules
fail (fleeting a in `Tešanj` -> `Tešnju`, plurals like `Pale` -> `Palama`); the Cyrillic forms
are the transliteration. A mention found in any form gives the nominative: `у Коњицу` ->
`Коњиц`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .. import translit

# Case forms in a fixed order: nominative, genitive, dative/locative, accusative, instrumental.
_CASES = 5
_SOFT = ("c", "č", "ć", "dž", "đ", "j", "lj", "nj", "š", "ž")
_SIBILARIZED = {"k": "c", "g": "z", "h": "s"}
# Words before a place that say a text is about being there: `u Konjicu`, `iz Ključa`.
PREPOSITIONS = frozenset({"u", "na", "iz", "sa", "kod", "у", "на", "из", "са", "код"})
# Words after which a name is a municipality's, whatever its case: `općine Ključ`.
MUNICIPALITY_WORDS = re.compile(r"^(?:op[sš]tin|op[cć]in|grad|оп[шћ]тин|опћин|град)\w*$", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_MAX_WORDS = 4


@dataclass(frozen=True)
class Place:
    latin: str  # the nominative
    cyrillic: str
    country: str  # ISO 3166: RS, BA, ME
    kind: str
    common: bool  # also a common word: read only where the context says it is a place

    def name(self, script: str) -> str:
        return self.cyrillic if script == "cyrillic" else self.latin


@dataclass(frozen=True)
class PlaceMention:
    place: Place
    offset: int
    stop: int
    text: str  # as written: `Коњицу`
    before: str  # the word before it, lowercased: `у`


def _noun(word: str) -> list[list[str]]:
    """The case forms of a noun, by its ending: feminine -a, neuter -o/-e, masculine plural -i,
    masculine in a consonant (with the fleeting a of -ac: `Bratunac` -> `Bratunca`)."""
    stem = word[:-1]
    if word.endswith("a"):
        dative = [stem + "i"] + ([stem[:-1] + _SIBILARIZED[stem[-1]] + "i"] if stem[-1:] in _SIBILARIZED else [])
        return [[word], [stem + "e"], dative, [stem + "u"], [stem + "om"]]
    if word.endswith(("o", "e")):
        return [[word], [stem + "a"], [stem + "u"], [word], [stem + "om", stem + "em"]]
    if word.endswith("i"):
        return [[word], [stem + "a"], [stem + "ima"], [stem + "e"], [stem + "ima"]]
    stem = word[:-2] + "c" if word.endswith("ac") and len(word) > 3 else word
    instrumental = stem + ("em" if stem.endswith(_SOFT) else "om")
    return [[word], [stem + "a"], [stem + "u"], [word], [instrumental]]


def _adjective(word: str) -> list[list[str]]:
    """An adjective before the noun, agreeing with it: `Novi`, `Nova`, `Novo`, `Gornji`."""
    stem = word[:-1]
    if word.endswith("a"):
        return [[word], [stem + "e"], [stem + "oj"], [stem + "u"], [stem + "om"]]
    if stem.endswith(_SOFT):  # `Gornji` -> `Gornjeg`, `Gornjem`
        return [[word], [stem + "eg", stem + "ega"], [stem + "em", stem + "emu"], [word], [stem + "im"]]
    return [[word], [stem + "og", stem + "oga"], [stem + "om", stem + "ome", stem + "omu"], [word], [stem + "im"]]


def declension(name: str) -> set[str]:
    """Every case form of a place's Latin name: `Sanski Most` -> `Sanskog Mosta`, `Sanskom Mostu`, …"""
    head, sep, tail = name.partition(" na ")  # `Petrovac na Mlavi`: only the head declines
    words = head.split(" ")
    columns = [
        _noun(word) if index == len(words) - 1 else _adjective(word) if word[-1] in "aeio" else [[word]] * _CASES
        for index, word in enumerate(words)
    ]
    forms = {name}
    for case in range(_CASES):
        combined = [""]
        for column in columns:
            combined = [f"{left} {right}".strip() for left in combined for right in column[case]]
        forms.update(form + sep + tail for form in combined)
    return forms


class Gazetteer:
    """Every form of every place in both scripts, looked up word by word."""

    def __init__(self, places: list[tuple[Place, set[str]]]) -> None:
        self.places = [place for place, _ in places]
        self._forms: dict[str, Place] = {}
        for place, latin_forms in places:
            for form in latin_forms:
                self._forms.setdefault(form, place)
                self._forms.setdefault(translit.to_cyrillic(form), place)

    def lookup(self, text: str) -> Place | None:
        """The place `text` names in any case and script, e.g. `Новом Београду`."""
        return self._forms.get(" ".join(text.split()))

    def find(self, text: str) -> list[PlaceMention]:
        """Every place named in `text`, in order; the longest name wins (`Novi Grad`, not `Grad`)."""
        tokens = list(_TOKEN.finditer(text))
        mentions, index = [], 0
        while index < len(tokens):
            found = self._longest_at(text, tokens, index)
            if found is None:
                index += 1
                continue
            place, count = found
            start, stop = tokens[index].start(), tokens[index + count - 1].end()
            before = tokens[index - 1].group(0).lower() if index else ""
            mention = PlaceMention(place, start, stop, text[start:stop], before)
            if not place.common or _said_as_place(text, mention, tokens[index - 1].group(0) if index else ""):
                mentions.append(mention)
            index += count
        return mentions

    def _longest_at(self, text: str, tokens: list[re.Match[str]], index: int) -> tuple[Place, int] | None:
        for count in range(min(_MAX_WORDS, len(tokens) - index), 0, -1):
            words = tokens[index : index + count]
            # The words of one name are separated by single spaces, not by punctuation.
            if any(text[a.end() : b.start()] != " " for a, b in zip(words, words[1:])):
                continue
            place = self._forms.get(" ".join(word.group(0) for word in words))
            if place is not None:
                return place, count
        return None


def _said_as_place(text: str, mention: PlaceMention, before: str) -> bool:
    """A name that is also a common word counts after a preposition, after `opština`/`grad`,
    or at the start of a line followed by a comma (a dateline: `Bar, 5. maj 2019.`)."""
    if mention.before in PREPOSITIONS or MUNICIPALITY_WORDS.match(before):
        return True
    line_start = text.rfind("\n", 0, mention.offset) + 1
    return not text[line_start : mention.offset].strip() and text[mention.stop : mention.stop + 1] == ","


def _read_rows() -> list[tuple[Place, set[str]]]:
    text = resources.files(__package__).joinpath("data/places.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        country, kind, name, forms, variants, flags = (line.split("\t") + [""] * 6)[:6]
        place = Place(name, translit.to_cyrillic(name), country, kind, "common" in flags.split(","))
        latin = declension(name) if not forms else {name, *_listed(forms)}
        for variant in _listed(variants):
            latin |= declension(variant)
        rows.append((place, latin))
    return rows


def _listed(column: str) -> list[str]:
    return [item.strip() for item in column.split(",") if item.strip()]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shipped gazetteer (read once)."""
    return Gazetteer(_read_rows())
