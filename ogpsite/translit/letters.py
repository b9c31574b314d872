"""Letters, digraphs and the two alphabets: the mechanical part of transliteration.

Cyrillic -> Latin letter by letter (the case of Љ Њ Џ decided by their neighbours), Latin ->
Cyrillic word by word, with the Latin nj / dž that are two letters taken from a stem list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Literal

from .wordlists import read_word_list


Script = Literal["latin", "cyrillic"]

_CYRILLIC_TO_LATIN = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Ђ": "Đ", "Е": "E", "Ж": "Ž", "З": "Z",
    "И": "I", "Ј": "J", "К": "K", "Л": "L", "Љ": "Lj", "М": "M", "Н": "N", "Њ": "Nj", "О": "O",
    "П": "P", "Р": "R", "С": "S", "Т": "T", "Ћ": "Ć", "У": "U", "Ф": "F", "Х": "H", "Ц": "C",
    "Ч": "Č", "Џ": "Dž", "Ш": "Š",
}
_CYRILLIC_TO_LATIN.update({cyr.lower(): lat.lower() for cyr, lat in list(_CYRILLIC_TO_LATIN.items())})
# A str.translate table indexed by code point, every character up to the Cyrillic block mapped
# (most to itself): much faster than a dict, which raises and clears a KeyError for each
# character it leaves alone. Characters past the table raise IndexError and stay as they are.
CYRILLIC_TO_LATIN_TABLE = tuple(_CYRILLIC_TO_LATIN.get(chr(code), code) for code in range(0x500))
# Inside an all-caps word, and at the end of one, the Latin digraph is all caps too.
_CYRILLIC_DIGRAPH_CAPS = {"Љ": "LJ", "Њ": "NJ", "Џ": "DŽ"}

_LATIN_TO_CYRILLIC = {
    lat: cyr for cyr, lat in _CYRILLIC_TO_LATIN.items() if len(lat) == 1
}
# Montenegrin ś ź: Cyrillic has no precomposed letters for them, only с з with a combining acute
# (which the Cyrillic -> Latin side composes back into ś ź, see `composed`).
_LATIN_TO_CYRILLIC.update({"ś": "с\u0301", "ź": "з\u0301", "Ś": "С\u0301", "Ź": "З\u0301"})
_LATIN_TO_CYRILLIC_TABLE = str.maketrans(_LATIN_TO_CYRILLIC)
_LATIN_DIGRAPH_TO_CYRILLIC = {"l": "љ", "n": "њ", "d": "џ", "L": "Љ", "N": "Њ", "D": "Џ"}
_LATIN_DIGRAPH = re.compile(r"[Ll][Jj]|[Nn][Jj]|[Dd][Žž]")

# The Latin letters of Serbian, Bosnian and Montenegrin (ś ź).
SERBIAN_LATIN_LETTERS = frozenset("abcčćdđefghijklmnoprsštuvzžśź" "ABCČĆDĐEFGHIJKLMNOPRSŠTUVZŽŚŹ")
SERBIAN_ONLY_LATIN = frozenset("čćđšžśźČĆĐŠŽŚŹ")

# Characters to_latin leaves alone in any text made of them only: Latin letters and punctuation
# without Ð and the ligatures. Every string of them is NFC (tests/translit/test_translit.py proves it),
# so every piece of such a text is too.
_STAYS_LATIN = "\x00-\u00CF\u00D1-\u01C3\u01CD-\u024F\u2010-\u205E\u20A0-\u20BF"
CHANGES_IN_LATIN = re.compile(f"[^{_STAYS_LATIN}]")
# Characters to_cyrillic leaves alone in any text made of them only: Serbian Cyrillic letters,
# digits, spaces and punctuation that begins no Markdown, HTML, URL or e-mail address
# (tests/translit/test_translit.py compares such texts with the full conversion).
_STAYS_CYRILLIC = "".join(sorted(_CYRILLIC_TO_LATIN)) + "0-9 \n.,;:!?()'\"„“”‘’«»…–—%+=/-"
CHANGES_IN_CYRILLIC = re.compile(f"[^{_STAYS_CYRILLIC}]")

LATIN_LETTER = "A-Za-z\u00C0-\u024F\u1E00-\u1EFF"
CYRILLIC_LETTER = "\u0400-\u04FF"
COMBINING_MARK = re.compile("[\u0300-\u036F]")
HAS_LATIN = re.compile(f"[{LATIN_LETTER}]")
HAS_CYRILLIC = re.compile(f"[{CYRILLIC_LETTER}]")
LATIN_RUN = re.compile(f"[{LATIN_LETTER}]+")
_CYRILLIC_RUN = re.compile(f"[{CYRILLIC_LETTER}]+")

# A word: letters (any script, with combining marks), an apostrophe allowed inside (don't).
_WORD = r"[^\W\d_]+(?:[\u0300-\u036F]+[^\W\d_]*)*(?:['’][^\W\d_]+)*"
WORD_RE = re.compile(_WORD)
WORD_SPLIT = re.compile(f"({_WORD})")


def is_all_caps(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def is_title_case(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:].islower()


def _latin_digraph_caps(match: re.Match[str]) -> str:
    text = match.string
    start, end = match.span()
    letter = match.group()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before.isupper() or after.isupper():
        return _CYRILLIC_DIGRAPH_CAPS[letter]
    return _CYRILLIC_TO_LATIN[letter]


def cyrillic_letters_to_latin(text: str) -> str:
    if "Љ" in text or "Њ" in text or "Џ" in text:
        text = re.sub("[ЉЊЏ]", _latin_digraph_caps, text)
    return text.translate(CYRILLIC_TO_LATIN_TABLE)


def composed(text: str) -> str:
    """NFC where converted letters are followed by combining marks: с́ is now s + U+0301, to be ś."""
    return unicodedata.normalize("NFC", text) if COMBINING_MARK.search(text) else text


def latin_word_to_cyrillic(word: str, stems: re.Pattern[str] | None) -> str:
    split_at: set[int] = set()
    if stems is not None:
        lower = word.lower()
        if "nj" in lower or "dž" in lower:
            for stem in stems.finditer(lower):
                for digraph in _LATIN_DIGRAPH.finditer(lower, stem.start(), stem.end()):
                    split_at.add(digraph.start())

    def digraph(match: re.Match[str]) -> str:
        if match.start() in split_at:
            return match.group().translate(_LATIN_TO_CYRILLIC_TABLE)
        return _LATIN_DIGRAPH_TO_CYRILLIC[match.group()[0]]

    return _LATIN_DIGRAPH.sub(digraph, word).translate(_LATIN_TO_CYRILLIC_TABLE)


BUILTIN_SPLIT_STEMS = read_word_list("split_stems.txt")
BUILTIN_SPLIT_NAMES = read_word_list("split_names.txt")


def split_pattern(stems: Iterable[str], names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for both lists: a stem matches anywhere in a lowercase word, a name only at
    its start (so that every inflected form is caught and no other word is)."""
    alternatives = []
    if ordered_names := _longest_first(names):
        alternatives.append("^(?:" + "|".join(ordered_names) + ")")
    if ordered_stems := _longest_first(stems):
        alternatives.append("|".join(ordered_stems))
    return re.compile("|".join(alternatives)) if alternatives else None


def _longest_first(words: Iterable[str]) -> list[str]:
    return [re.escape(word) for word in sorted(set(words), key=len, reverse=True)]


def detect_script(text: str) -> Script | None:
    """The script most letters of `text` are in; None when it has no letters."""
    cyrillic = sum(map(len, _CYRILLIC_RUN.findall(text)))  # by runs: a match per word, not per letter
    latin = sum(map(len, LATIN_RUN.findall(text)))
    if not cyrillic and not latin:
        return None
    return "cyrillic" if cyrillic >= latin else "latin"

