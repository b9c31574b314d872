"""Clean-up before conversion: NFC, the Eth typed for Đ, ligature digraphs, and words typed with
look-alike letters of the other script (also listed for `ogpsite check`).
"""

from __future__ import annotations

import re
import unicodedata

from .letters import CYRILLIC_LETTER, HAS_CYRILLIC, HAS_LATIN, LATIN_LETTER, WORD_RE
from .numerals import cyrillic_x_in_numerals
from .protected import protected_spans


# Clean-up applied to every converted text: the Icelandic Eth typed for Đ, and the Unicode
# ligature digraphs, which fonts and search do not treat as two letters.
_CLEANUP_TABLE = str.maketrans({
    "Ð": "Đ", "Ǆ": "DŽ", "ǅ": "Dž", "ǆ": "dž", "Ǉ": "LJ", "ǈ": "Lj", "ǉ": "lj",
    "Ǌ": "NJ", "ǋ": "Nj", "ǌ": "nj",
})
_NEEDS_CLEANUP = re.compile("[ÐǄ-ǌ]")

# Letters that look alike in the two scripts, for words typed with a letter of the wrong one.
_LATIN_LOOKALIKE_TO_CYRILLIC = dict(zip("ABCEHKMOPTXYJaceopxyj", "АВСЕНКМОРТХУЈасеорхуј"))
_CYRILLIC_LOOKALIKE_TO_LATIN = {cyr: lat for lat, cyr in _LATIN_LOOKALIKE_TO_CYRILLIC.items()}
_CYRILLIC_LOOKALIKE_TO_LATIN.update({"І": "I", "і": "i", "Ѕ": "S", "ѕ": "s"})
_LATIN_LOOKALIKE_TABLE = str.maketrans(_LATIN_LOOKALIKE_TO_CYRILLIC)
_CYRILLIC_LOOKALIKE_TABLE = str.maketrans(_CYRILLIC_LOOKALIKE_TO_LATIN)

# A word mixing scripts always has a Latin letter next to a Cyrillic one.
_SCRIPTS_ADJACENT = re.compile(f"[{LATIN_LETTER}][{CYRILLIC_LETTER}]|[{CYRILLIC_LETTER}][{LATIN_LETTER}]")
_LATIN_BEFORE_CYRILLIC = re.compile(f"[{LATIN_LETTER}][{CYRILLIC_LETTER}]")
# A word (letters.WORD_RE) mixing scripts has a Latin letter and, after it, a Cyrillic one with only
# other letters, combining marks and apostrophes between them (take the Latin letter nearest to
# a Cyrillic one); searched in the reversed text too, for a Cyrillic letter before a Latin one.
_LATIN_THEN_CYRILLIC = re.compile(
    f"[{LATIN_LETTER}](?:[^\\W\\d_{LATIN_LETTER}{CYRILLIC_LETTER}]|[\u0300-\u036F'’])*[{CYRILLIC_LETTER}]"
)


def _fix_lookalikes(word: str) -> str:
    """A word mixing scripts, rewritten in the script its unambiguous letters are in."""
    latin = cyrillic = 0
    for char in word:
        if char in _LATIN_LOOKALIKE_TO_CYRILLIC or char in _CYRILLIC_LOOKALIKE_TO_LATIN:
            continue
        if HAS_CYRILLIC.match(char):
            cyrillic += 1
        elif HAS_LATIN.match(char):
            latin += 1
    if latin == cyrillic:  # only look-alikes (or a tie): the script most letters are in
        latin = len(HAS_LATIN.findall(word))
        cyrillic = len(HAS_CYRILLIC.findall(word))
    if latin > cyrillic:
        return word.translate(_CYRILLIC_LOOKALIKE_TABLE)
    return word.translate(_LATIN_LOOKALIKE_TABLE)


def _fix_mixed_words(text: str) -> str:
    """`text` with every word that mixes scripts rewritten in one script."""
    pieces: list[str] = []
    position = 0
    for adjacent in _SCRIPTS_ADJACENT.finditer(text):
        if adjacent.start() < position:
            continue
        start, end = adjacent.start(), adjacent.end()
        while start > position and _is_word_char(text[start - 1]):
            start -= 1
        while end < len(text) and _is_word_char(text[end]):
            end += 1
        pieces += [text[position:start], _fix_lookalikes(text[start:end])]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _is_word_char(char: str) -> bool:
    return char.isalpha() or unicodedata.combining(char) > 0


def clean(text: str) -> str:
    """NFC, Ð, ligatures, mixed-script words and Cyrillic Х typed in numerals."""
    if text.isascii():  # ASCII is NFC and has none of the letters below
        return text
    return cyrillic_x_in_numerals(_repaired(text))


def _repaired(text: str) -> str:
    """NFC, Ð, ligatures and mixed-script words (all rare)."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _NEEDS_CLEANUP.search(text):
        text = text.translate(_CLEANUP_TABLE)
    if _has_scripts_adjacent(text):
        text = _fix_mixed_words(text)
    return text


def needs_repair(text: str) -> bool:
    """Whether _repaired changes `text`: its three tests on `text` as it is, the slowest last."""
    return bool(_NEEDS_CLEANUP.search(text)) or _has_scripts_adjacent(text) or not unicodedata.is_normalized("NFC", text)


def _has_scripts_adjacent(text: str) -> bool:
    """_SCRIPTS_ADJACENT.search(text), faster: searches start at Latin letters only (rare in
    Cyrillic text), for a Cyrillic letter after one in the text and in the reversed text."""
    if not HAS_CYRILLIC.search(text):
        return False
    return bool(_LATIN_BEFORE_CYRILLIC.search(text) or _LATIN_BEFORE_CYRILLIC.search(text[::-1]))


def mixed_script_words(text: str) -> list[tuple[int, str]]:
    """(offset in `text`, word) for every word mixing Latin and Cyrillic letters, outside code,
    URLs, e-mail addresses and tags; `ogpsite check` reports them."""
    if not _may_mix_scripts(text):  # the common case, without walking every word
        return []
    protected = [
        item if isinstance(item, tuple) else item.span()
        for item in protected_spans(text, markdown=True, phrases=None)
    ]
    found: list[tuple[int, str]] = []
    for match in WORD_RE.finditer(text):
        word = match.group()
        if not (HAS_LATIN.search(word) and HAS_CYRILLIC.search(word)):
            continue
        if any(start <= match.start() < end for start, end in protected):
            continue
        found.append((match.start(), word))
    return found


def _may_mix_scripts(text: str) -> bool:
    """False only when no word of `text` mixes Latin and Cyrillic letters. Searches start at
    Latin letters only (rare in Cyrillic text), and Latin text without Cyrillic is ruled out first."""
    if not HAS_CYRILLIC.search(text):
        return False
    return bool(_LATIN_THEN_CYRILLIC.search(text) or _LATIN_THEN_CYRILLIC.search(text[::-1]))

