"""Serbian Cyrillic <-> Latin transliteration.

Pure: no I/O at call time, imports nothing from the rest of ogpsite. Every text the site shows
goes through a `Converter`; the module-level functions use one with no site dictionary.

How a text is converted:

1. It is cut into *plain text* and *protected pieces*: Markdown code fences and spans, link
   targets and reference definitions, HTML tags (only `alt`/`title` values are converted),
   raw-text elements (`<code>`, `<pre>`, `<script>`, `<style>`), comments, entities, URLs,
   domain names, e-mail addresses, the site dictionary and the editor markup `{=…=}`.
2. Plain text is cleaned (NFC, `Ð`, ligature digraphs, mixed-script words) and converted word
   by word. Cyrillic -> Latin is mechanical apart from the case of digraphs. Latin -> Cyrillic
   decides per word and per line: digraph splits from a stem list, Roman numerals by context,
   foreign words (letters Serbian lacks, mixed-case acronyms, English runs judged by wordfreq)
   kept Latin.

Context never crosses a line break, so a text gives the same result whole or line by line
(fenced code and other multi-line blocks aside: `Converter.convert_lines` handles those).
"""

from __future__ import annotations

import math
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from importlib import resources
from typing import Literal

Script = Literal["latin", "cyrillic"]

# ---------------------------------------------------------------------------------------------
# Alphabets

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
_CYRILLIC_TO_LATIN_TABLE = tuple(_CYRILLIC_TO_LATIN.get(chr(code), code) for code in range(0x500))
# Inside an all-caps word, and at the end of one, the Latin digraph is all caps too.
_CYRILLIC_DIGRAPH_CAPS = {"Љ": "LJ", "Њ": "NJ", "Џ": "DŽ"}

_LATIN_TO_CYRILLIC = {
    lat: cyr for cyr, lat in _CYRILLIC_TO_LATIN.items() if len(lat) == 1
}
_LATIN_TO_CYRILLIC_TABLE = str.maketrans(_LATIN_TO_CYRILLIC)
_LATIN_DIGRAPH_TO_CYRILLIC = {"l": "љ", "n": "њ", "d": "џ", "L": "Љ", "N": "Њ", "D": "Џ"}
_LATIN_DIGRAPH = re.compile(r"[Ll][Jj]|[Nn][Jj]|[Dd][Žž]")

_SERBIAN_LATIN_LETTERS = frozenset("abcčćdđefghijklmnoprsštuvzž" "ABCČĆDĐEFGHIJKLMNOPRSŠTUVZŽ")
_SERBIAN_CYRILLIC_LETTERS = frozenset(_CYRILLIC_TO_LATIN)
_SERBIAN_ONLY_LATIN = frozenset("čćđšžČĆĐŠŽ")

# Clean-up applied to every converted text: the Icelandic Eth typed for Đ, and the Unicode
# ligature digraphs, which fonts and search do not treat as two letters.
_CLEANUP_TABLE = str.maketrans({
    "Ð": "Đ", "Ǆ": "DŽ", "ǅ": "Dž", "ǆ": "dž", "Ǉ": "LJ", "ǈ": "Lj", "ǉ": "lj",
    "Ǌ": "NJ", "ǋ": "Nj", "ǌ": "nj",
})
_NEEDS_CLEANUP = re.compile("[ÐǄ-ǌ]")
# Characters to_latin leaves alone in any text made of them only: Latin letters and punctuation
# without Ð and the ligatures. Every string of them is NFC (tests/test_translit.py proves it),
# so every piece of such a text is too.
_STAYS_LATIN = "\x00-\u00CF\u00D1-\u01C3\u01CD-\u024F\u2010-\u205E\u20A0-\u20BF"
_CHANGES_IN_LATIN = re.compile(f"[^{_STAYS_LATIN}]")
# Characters to_cyrillic leaves alone in any text made of them only: Serbian Cyrillic letters,
# digits, spaces and punctuation that begins no Markdown, HTML, URL or e-mail address
# (tests/test_translit.py compares such texts with the full conversion).
_STAYS_CYRILLIC = "".join(sorted(_CYRILLIC_TO_LATIN)) + "0-9 \n.,;:!?()'\"„“”‘’«»…–—%+=/-"
_CHANGES_IN_CYRILLIC = re.compile(f"[^{_STAYS_CYRILLIC}]")

# Letters that look alike in the two scripts, for words typed with a letter of the wrong one.
_LATIN_LOOKALIKE_TO_CYRILLIC = dict(zip("ABCEHKMOPTXYJaceopxyj", "АВСЕНКМОРТХУЈасеорхуј"))
_CYRILLIC_LOOKALIKE_TO_LATIN = {cyr: lat for lat, cyr in _LATIN_LOOKALIKE_TO_CYRILLIC.items()}
_CYRILLIC_LOOKALIKE_TO_LATIN.update({"І": "I", "і": "i", "Ѕ": "S", "ѕ": "s"})
_LATIN_LOOKALIKE_TABLE = str.maketrans(_LATIN_LOOKALIKE_TO_CYRILLIC)
_CYRILLIC_LOOKALIKE_TABLE = str.maketrans(_CYRILLIC_LOOKALIKE_TO_LATIN)

_LATIN_LETTER = "A-Za-z\u00C0-\u024F\u1E00-\u1EFF"
_CYRILLIC_LETTER = "\u0400-\u04FF"
_COMBINING_MARK = re.compile("[\u0300-\u036F]")
_HAS_LATIN = re.compile(f"[{_LATIN_LETTER}]")
_HAS_CYRILLIC = re.compile(f"[{_CYRILLIC_LETTER}]")
_LATIN_RUN = re.compile(f"[{_LATIN_LETTER}]+")
_CYRILLIC_RUN = re.compile(f"[{_CYRILLIC_LETTER}]+")
# A word mixing scripts always has a Latin letter next to a Cyrillic one.
_SCRIPTS_ADJACENT = re.compile(f"[{_LATIN_LETTER}][{_CYRILLIC_LETTER}]|[{_CYRILLIC_LETTER}][{_LATIN_LETTER}]")
_LATIN_BEFORE_CYRILLIC = re.compile(f"[{_LATIN_LETTER}][{_CYRILLIC_LETTER}]")
# A word (_WORD below) mixing scripts has a Latin letter and, after it, a Cyrillic one with only
# other letters, combining marks and apostrophes between them (take the Latin letter nearest to
# a Cyrillic one); searched in the reversed text too, for a Cyrillic letter before a Latin one.
_LATIN_THEN_CYRILLIC = re.compile(
    f"[{_LATIN_LETTER}](?:[^\\W\\d_{_LATIN_LETTER}{_CYRILLIC_LETTER}]|[\u0300-\u036F'’])*[{_CYRILLIC_LETTER}]"
)

# A word: letters (any script, with combining marks), an apostrophe allowed inside (don't).
_WORD = r"[^\W\d_]+(?:[\u0300-\u036F]+[^\W\d_]*)*(?:['’][^\W\d_]+)*"
_WORD_RE = re.compile(_WORD)
_WORD_SPLIT = re.compile(f"({_WORD})")

# ---------------------------------------------------------------------------------------------
# Roman numerals

_ROMAN_NUMERAL = re.compile(r"(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
# Roman numerals that are also Serbian words or initials: I (and), V (an initial), VI (you).
_AMBIGUOUS_NUMERALS = frozenset({"I", "V", "VI"})
# Nouns a Roman numeral is counted with: "XIV vijek", "VI sjednica", "DI stoljeće"...
_NUMERAL_NOUN = re.compile(
    r"(?:vij?ek|stolj?eć|stolet|milenij|kvartal|sj?ednic|sazi[vv]|konferencij|kongres|razred"
    r"|poglavlj|dinastij|festival|forum|samit|faz|etap|tom|dio|deo|stepen|kategorij|korpus)",
)
# A Cyrillic Х run typed for X in a numeral: "ХХ вијек" (a single Х stays the letter).
_CYRILLIC_X_NUMERAL = re.compile(r"ХХ+(?![^\W\d_])")  # preceded by a non-letter: see _cyrillic_numeral_x

# ---------------------------------------------------------------------------------------------
# Protected pieces of text

_TLDS = (
    "com|org|net|edu|gov|int|info|biz|io|eu|rs|ba|me|hr|si|mk|al|bg|ro|hu|at|de|ch|fr|it|uk|us"
    "|ru|ua|pl|cz|sk|nl|be|se|no|dk|fi|es|pt|gr|tr|xk|cg|yu|co|tv|app|dev|online|site"
    "|срб|мкд|бг|рф|укр"
    # file names, which read like domain names and must stay as typed too
    "|html?|pdf|md|ya?ml|json|csv|txt|xml|docx?|xlsx?|odt|ods|jpe?g|png|gif|svg|zip"
)
_URL_CHAR = r"[^\s()<>\"'«»„“”]"
_URL_END = r"[^\s()<>\"'«»„“”.,;:!?’]"
_URL_BODY = rf"(?:\({_URL_CHAR}*\)|{_URL_CHAR})*(?:\({_URL_CHAR}*\)|{_URL_END})"
_DOMAIN_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
# URLs, e-mail addresses and domain names are looked for only where a token has ".", "@" or
# ":" inside it (_ADDRESS_HINT), from the token's start: scanning every position of the text
# with these patterns would cost more than the whole conversion.
_ADDRESS = re.compile(
    rf"(?:[A-Za-z][A-Za-z0-9+.-]*://|mailto:|www\.){_URL_BODY}"
    rf"|[\w.+-]+@(?:{_DOMAIN_LABEL}\.)+[^\W\d_]{{2,}}(?![\w-])"
    rf"|(?:{_DOMAIN_LABEL}\.)+(?i:{_TLDS})(?![\w-])(?:[/?#]{_URL_BODY}|/)?"
)
# No address holds "<" or ends in "." or ":", so neither of those before "<" is a hint (a sentence
# ending before a tag); "@" can end a URL. Each alternative starts with its literal, for speed.
_ADDRESS_HINT = re.compile(r"\.[^\s.,;:!?)\]>\"'“”»<]|:[^\s.,;:!?)\]>\"'“”»<]|@[^\s.,;:!?)\]>\"'“”»]")
_TOKEN_DELIMITERS = frozenset(" \t\n\r\u00A0()<>[]\"'«»„“”")
# Each alternative starts with a literal character outside its group, so that the regex engine
# skips at once to the places where a protected construct can start (searching the text is then
# cheaper than trying only those places one by one). The group names the kind; the whole match
# is the construct.
_HTML_PATTERNS = (
    r"<(?P<comment>!--.*?-->)",
    r"<(?P<raw>(?P<rawname>(?i:pre|code|script|style|textarea))\b[^>]*>.*?</(?P=rawname)\s*>)",
    r"<(?P<autolink>(?:[A-Za-z][\w+.-]*:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>)",
    r"<(?P<tag>/?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|![A-Za-z][^>]*>|\?.*?\?>)",
    r"&(?P<entity>(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)",
)
_MARKDOWN_PATTERNS = (
    r"`(?P<codespan>(?P<ticks>`*)(?!`).*?(?<!`)`(?P=ticks)(?!`))",
    r"\](?P<linktarget>\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*\))",
    r"\[(?P<refdef>[^\]\n]+\]:[ \t]*\S.*$)",  # only at a line start: see _starts_token
    r"\](?P<reflabel>\[[^\]\n]*\])",
)
# Editor markup: {=pinned text=} is never converted; {=Ћирилица|Latinica=} gives both renderings
# (`\|` is accepted too, for Markdown table cells).
_MARKUP_PATTERN = r"\{(?P<markup>=(?P<markup_body>[^\n]+?)=\})"
_MARKUP_SPLIT = re.compile(r"\\?\|")

_ALT_TITLE_ATTRIBUTE = re.compile(
    r"""(?P<lead>\s(?i:alt|title)\s*=\s*)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+))"""
)
_TAG_NAME = re.compile(r"</?([A-Za-z][\w:-]*)")
# Inline elements keep the words around them in one context (a run of English words can span
# <em>); any other tag ends a line of context, like a line break.
_INLINE_TAGS = frozenset(
    "a abbr b bdi bdo br cite data del dfn em i img ins kbd mark q s samp small span strong sub"
    " sup time u var wbr".split()
)

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")

# ---------------------------------------------------------------------------------------------
# Word classes for Latin -> Cyrillic

_SERBIAN = 0  # converted
_FOREIGN = 1  # kept Latin: letters Serbian lacks, mixed-case acronyms
_ENGLISH = 2  # an English-leaning word: kept when its line context says English
_NEUTRAL = 3  # as common in English as in Serbian: kept only inside an English run
_NUMERAL = 4  # could be a Roman numeral: decided by context
_OTHER = 5  # not a Latin word (Cyrillic already): passes through
_FOREIGN_ENGLISH = 6  # kept Latin like _FOREIGN, and an English word (year, you, show)

_CAMEL_CASE = re.compile(r"[a-zčćđšž][A-ZČĆĐŠŽ]")
# Domestic mixed-case acronyms: the conjunction "i" inside capitals (BiH, FBiH, SiCG, KiM) and
# e-services (eUprava, eZUP).
_DOMESTIC_MIXED_CASE = re.compile(r"[A-ZČĆĐŠŽ]+i[A-ZČĆĐŠŽ]+|e[A-ZČĆĐŠŽ](?:[a-zčćđšž]+|[A-ZČĆĐŠŽ]+)")
_QUOTE_OPEN = frozenset("„«‚")
_QUOTE_CLOSE = frozenset("“”»‘’")
# Between two words of one run: spaces, a hyphen or a dash.
_RUN_GAP = re.compile(r"[ \t\u00A0\-]*")
_NUMERAL_FOLLOWER = re.compile(r"\s*[–—\-)]")


def _load_split_stems() -> tuple[str, ...]:
    text = resources.files("ogpsite").joinpath("data/translit_split_stems.txt").read_text("utf-8")
    lines = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return tuple(line for line in lines if line)


_BUILTIN_SPLIT_STEMS = _load_split_stems()


# Only a word wordfreq puts at Zipf >= 3 in English can be judged English (`_lexicon_class`,
# `_classify`), so a table of those words with their English and Serbo-Croatian Zipf frequencies
# answers every lookup: any other word is not English. The table loads in a hundredth of a
# second where wordfreq's own tables take a quarter: a build cache installs a loader that keeps
# it between builds (`use_english_lexicon`).
_ENGLISH_FLOOR = 3.0
EnglishLexicon = Mapping[str, tuple[float, float]]


def english_lexicon() -> dict[str, tuple[float, float]]:
    """Every word at English Zipf >= 3 -> (English, Serbo-Croatian) Zipf frequency, as
    `wordfreq.zipf_frequency` gives them; empty without wordfreq."""
    try:
        from wordfreq import get_frequency_dict  # lazy: only Latin -> Cyrillic needs it
    except ImportError:
        return {}
    english, serbian = get_frequency_dict("en"), get_frequency_dict("sh")
    floor = 10 ** (_ENGLISH_FLOOR - 9) * 0.99  # a little under: _zipf rounds
    lexicon = {}
    for word, frequency in english.items():
        if frequency >= floor and (zipf := _zipf(frequency)) >= _ENGLISH_FLOOR and _is_lexicon_key(word):
            lexicon[word] = (zipf, _zipf(serbian.get(word, 0.0)))
    return lexicon


def _zipf(frequency: float) -> float:
    """wordfreq's rounding: the frequency to 3 significant digits, its Zipf value to 0.01."""
    if frequency <= 0.0:
        return 0.0
    rounded = round(frequency, math.floor(-math.log10(frequency)) + 3)
    return round(math.log10(rounded) + 9, 2)


_lexicon_loader: Callable[[], EnglishLexicon] = english_lexicon
_lexicon: EnglishLexicon | None = None


def use_english_lexicon(loader: Callable[[], EnglishLexicon]) -> None:
    """Load the English lexicon with `loader` (called once, when first needed) from now on."""
    global _lexicon_loader, _lexicon
    _lexicon_loader, _lexicon = loader, None


def _english_and_serbian_frequency(word: str) -> tuple[float, float]:
    """Zipf frequencies of a lowercase word in English and Serbo-Croatian; (0, 0) for a word
    below Zipf 3 in English (or without wordfreq)."""
    if not _is_lexicon_key(word):
        return _wordfreq_frequencies(word)
    global _lexicon
    if _lexicon is None:
        _lexicon = _lexicon_loader()
    return _lexicon.get(word, (0.0, 0.0))


def _is_lexicon_key(word: str) -> bool:
    """Whether wordfreq looks `word` up as it is, one token: Latin letters, lowercase, NFC."""
    if word.isascii():
        return word.isalpha()
    return bool(word.isalpha() and word == word.casefold() and _LATIN_RUN.fullmatch(word) and unicodedata.is_normalized("NFC", word))


@lru_cache(maxsize=1024)
def _wordfreq_frequencies(word: str) -> tuple[float, float]:
    """wordfreq's own lookup, for the rare word it might cut or fold first."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return 0.0, 0.0
    return zipf_frequency(word, "en"), zipf_frequency(word, "sh")


def _lexicon_class(word: str) -> int:
    """_ENGLISH, _NEUTRAL or _SERBIAN for a word of Serbian Latin letters."""
    if len(word) < 2 or not _SERBIAN_ONLY_LATIN.isdisjoint(word):
        return _SERBIAN
    if word.isupper() and len(word) <= 3:  # short all-caps words are domestic acronyms (SAD, MUP)
        return _SERBIAN
    english, serbian = _english_and_serbian_frequency(word.lower())
    if english >= _ENGLISH_FLOOR and english - serbian >= 1.0:
        return _ENGLISH
    if english >= _ENGLISH_FLOOR and english >= serbian:
        return _NEUTRAL
    return _SERBIAN


def _is_all_caps(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _is_title_case(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:].islower()


def _fix_lookalikes(word: str) -> str:
    """A word mixing scripts, rewritten in the script its unambiguous letters are in."""
    latin = cyrillic = 0
    for char in word:
        if char in _LATIN_LOOKALIKE_TO_CYRILLIC or char in _CYRILLIC_LOOKALIKE_TO_LATIN:
            continue
        if _HAS_CYRILLIC.match(char):
            cyrillic += 1
        elif _HAS_LATIN.match(char):
            latin += 1
    if latin == cyrillic:  # only look-alikes (or a tie): the script most letters are in
        latin = len(_HAS_LATIN.findall(word))
        cyrillic = len(_HAS_CYRILLIC.findall(word))
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


def _cyrillic_numeral_x(match: re.Match[str]) -> str:
    start = match.start()
    if start and (match.string[start - 1].isalpha()):
        return match.group()
    return "X" * len(match.group())


def _clean(text: str) -> str:
    """NFC, Ð, ligatures, mixed-script words and Cyrillic Х typed in numerals."""
    if text.isascii():  # ASCII is NFC and has none of the letters below
        return text
    return _cyrillic_x_in_numerals(_repaired(text))


def _repaired(text: str) -> str:
    """NFC, Ð, ligatures and mixed-script words (all rare)."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _NEEDS_CLEANUP.search(text):
        text = text.translate(_CLEANUP_TABLE)
    if _has_scripts_adjacent(text):
        text = _fix_mixed_words(text)
    return text


def _needs_repair(text: str) -> bool:
    """Whether _repaired changes `text`: its three tests on `text` as it is, the slowest last."""
    return bool(_NEEDS_CLEANUP.search(text)) or _has_scripts_adjacent(text) or not unicodedata.is_normalized("NFC", text)


def _has_scripts_adjacent(text: str) -> bool:
    """_SCRIPTS_ADJACENT.search(text), faster: searches start at Latin letters only (rare in
    Cyrillic text), for a Cyrillic letter after one in the text and in the reversed text."""
    if not _HAS_CYRILLIC.search(text):
        return False
    return bool(_LATIN_BEFORE_CYRILLIC.search(text) or _LATIN_BEFORE_CYRILLIC.search(text[::-1]))


def _cyrillic_x_in_numerals(text: str) -> str:
    return _CYRILLIC_X_NUMERAL.sub(_cyrillic_numeral_x, text) if "Х" in text else text


def _latin_digraph_caps(match: re.Match[str]) -> str:
    text = match.string
    start, end = match.span()
    letter = match.group()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before.isupper() or after.isupper():
        return _CYRILLIC_DIGRAPH_CAPS[letter]
    return _CYRILLIC_TO_LATIN[letter]


def _cyrillic_text_to_latin(text: str) -> str:
    text = _clean(text)
    if not _HAS_CYRILLIC.search(text):
        return text
    return _composed(_cyrillic_letters_to_latin(text))


def _texts_to_latin(texts: list[str]) -> list[str]:
    """_cyrillic_text_to_latin of each text, converted as one text (the many short pieces of a
    body cost much less so). A NUL between two texts ends them for every rule as a text's edge
    does: it is not a letter, nor cased, nor a combining mark, and NFC neither composes nor
    reorders across it (so the joined text needs a repair only where a text does). Texts that
    need a repair of _clean (rare) are converted one by one, so that it touches only the texts
    that need it; NFC after the conversion stays per text too."""
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1 or _needs_repair(joined):  # or a text has a NUL of its own
        return [_cyrillic_text_to_latin(text) for text in texts]
    cleaned = _cyrillic_x_in_numerals(joined)  # all _clean does to text needing no repair
    if not _HAS_CYRILLIC.search(cleaned):
        return cleaned.split("\x00")
    converted = _cyrillic_letters_to_latin(cleaned)
    if not _COMBINING_MARK.search(converted):
        return converted.split("\x00")
    # NFC stays per text, for the texts that had Cyrillic letters, as in _cyrillic_text_to_latin.
    pairs = zip(cleaned.split("\x00"), converted.split("\x00"))
    return [_composed(text) if _HAS_CYRILLIC.search(before) else text for before, text in pairs]


def _cyrillic_letters_to_latin(text: str) -> str:
    if "Љ" in text or "Њ" in text or "Џ" in text:
        text = re.sub("[ЉЊЏ]", _latin_digraph_caps, text)
    return text.translate(_CYRILLIC_TO_LATIN_TABLE)


def _composed(text: str) -> str:
    """NFC where converted letters are followed by combining marks: с́ is now s + U+0301, to be ś."""
    return unicodedata.normalize("NFC", text) if _COMBINING_MARK.search(text) else text


def _latin_word_to_cyrillic(word: str, stems: re.Pattern[str] | None) -> str:
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


# A Latin word's Cyrillic rendering, its class, and whether the class needs the word's line.
_WordInfo = tuple[str, int, bool]
_CONTEXT_KINDS = frozenset({_FOREIGN, _FOREIGN_ENGLISH, _ENGLISH, _NUMERAL})
_needs_context = operator.itemgetter(2)


class _Word:
    """A word of one line of context, for the Latin -> Cyrillic decisions that need neighbours."""

    __slots__ = ("infos", "position", "text", "kind", "gap_before", "gap_after", "quote", "keep")

    def __init__(self, infos: list[_WordInfo], position: int, text: str, kind: int, gap_before: str) -> None:
        self.infos = infos  # the infos of the word's text piece; infos[position] is this word's
        self.position = position
        self.text = text
        self.kind = kind
        self.gap_before = gap_before
        self.gap_after = ""
        self.quote = -1  # index of the quotation the word is in, -1 outside quotes
        self.keep = kind in (_FOREIGN, _FOREIGN_ENGLISH)


class _Protected:
    """A piece of text that is emitted as `text`; `flow` says how it affects word context."""

    __slots__ = ("text", "flow")
    SOFT = ""  # transparent: inline tags, entities (the words around it stay neighbours)
    OPAQUE = "\x00"  # a non-word between neighbours: code spans, URLs, pinned text
    HARD = "\n"  # ends the line of context: block tags, fences, comments

    def __init__(self, text: str, flow: str) -> None:
        self.text = text
        self.flow = flow


class Converter:
    """Transliterates text and HTML; `dictionary` maps Cyrillic renderings to Latin ones."""

    def __init__(self, dictionary: Mapping[str, str] | None = None, split_stems: Iterable[str] = ()) -> None:
        self.dictionary = dict(dictionary or {})
        extra_stems = tuple(_cyrillic_text_to_latin(stem.strip()).lower() for stem in split_stems if stem.strip())
        self.split_stems = _BUILTIN_SPLIT_STEMS + extra_stems
        self._stems = _alternation(self.split_stems)
        to_latin_phrases = _with_upper_variants(self.dictionary)
        to_cyrillic_phrases = _with_upper_variants({lat: cyr for cyr, lat in self.dictionary.items()})
        self._phrases: dict[Script, dict[str, str]] = {"latin": to_latin_phrases, "cyrillic": to_cyrillic_phrases}
        self._phrase_patterns = {script: _phrase_pattern(phrases) for script, phrases in self._phrases.items()}
        self._word_info: dict[str, _WordInfo] = {}

    # -- public API ---------------------------------------------------------------------------

    def to_latin(self, text: str) -> str:
        return self.convert(text, "latin")

    def to_cyrillic(self, text: str) -> str:
        return self.convert(text, "cyrillic")

    def convert(self, text: str, script: Script) -> str:
        """Plain or Markdown text (inline HTML allowed) into `script`."""
        return "".join(self._convert_block(chunk, script, is_code) for chunk, is_code in _split_fences(text))

    def convert_lines(self, lines: Iterable[str], script: Script) -> Iterator[str]:
        """Streams `convert` over lines (with their line ends); yields one converted string per
        line, or per group of lines that belong to one fence, comment or raw HTML element."""
        pending: list[str] = []
        for line in lines:
            pending.append(line)
            chunk = "".join(pending)
            if _ends_inside_block(chunk):
                continue
            pending.clear()
            yield self.convert(chunk, script)
        if pending:
            yield self.convert("".join(pending), script)

    def convert_html(self, html: str, script: Script) -> str:
        """Rendered HTML into `script`: only text and `alt`/`title` values change."""
        return self._convert_inline(html, script, markdown=False)

    def to_latin_html(self, html: str) -> str:
        return self.convert_html(html, "latin")

    def to_cyrillic_html(self, html: str) -> str:
        return self.convert_html(html, "cyrillic")

    # -- protected pieces ---------------------------------------------------------------------

    def _convert_block(self, text: str, script: Script, is_code: bool) -> str:
        return text if is_code else self._convert_inline(text, script, markdown=True)

    def _convert_inline(self, text: str, script: Script, markdown: bool) -> str:
        if self._phrase_patterns[script] is None and "{=" not in text and self._stays(text, script):
            return text  # nothing in it converts or normalises (alt and title values included)
        pieces: list[str | _Protected] = []
        position = 0
        for item in _protected_spans(text, markdown, self._phrase_patterns[script]):
            start, end = item if isinstance(item, tuple) else item.span()
            if start > position:
                pieces.append(text[position:start])
            if isinstance(item, tuple):
                pieces.append(_Protected(text[start:end], _Protected.OPAQUE))
            else:
                pieces.append(self._protect(item, script))
            position = end
        if position < len(text):
            pieces.append(text[position:])
        if script == "latin":
            converted = iter(_texts_to_latin([piece for piece in pieces if isinstance(piece, str)]))
            return "".join(piece.text if isinstance(piece, _Protected) else next(converted) for piece in pieces)
        return self._pieces_to_cyrillic(pieces)

    @staticmethod
    def _stays(text: str, script: Script) -> bool:
        """Whether every character of `text` is one `script` leaves alone (and, for Cyrillic, no Х is
        typed in a Roman numeral, which `_clean` makes Latin)."""
        if script == "latin":
            return not _CHANGES_IN_LATIN.search(text)
        return not _CHANGES_IN_CYRILLIC.search(text) and ("Х" not in text or not _CYRILLIC_X_NUMERAL.search(text))

    def _protect(self, match: re.Match[str], script: Script) -> _Protected:
        kind = match.lastgroup
        text = match.group()
        if kind == "tag":
            return self._protect_tag(text, script)
        if kind == "raw":
            name = match.group("rawname").lower()
            return _Protected(text, _Protected.OPAQUE if name == "code" else _Protected.HARD)
        if kind == "entity":
            return _Protected(text, _Protected.SOFT)
        if kind == "comment":
            return _Protected(text, _Protected.HARD)
        if kind == "markup":
            return _Protected(_markup_rendering(match.group("markup_body"), script), _Protected.OPAQUE)
        if kind == "phrase":
            return _Protected(self._phrases[script][text], _Protected.OPAQUE)
        return _Protected(text, _Protected.OPAQUE)

    def _protect_tag(self, tag: str, script: Script) -> _Protected:
        kept = _kept_tag(tag)
        if kept is not None:
            return kept

        def convert_value(attribute: re.Match[str]) -> str:
            for group, quote in (("dq", '"'), ("sq", "'"), ("bare", "")):
                value = attribute.group(group)
                if value is not None:
                    return f"{attribute.group('lead')}{quote}{self.convert_html(value, script)}{quote}"
            return attribute.group()

        return _Protected(_ALT_TITLE_ATTRIBUTE.sub(convert_value, tag), _tag_flow(tag))

    # -- Latin -> Cyrillic ----------------------------------------------------------------------

    def _pieces_to_cyrillic(self, pieces: list[str | _Protected]) -> str:
        output: list[str] = []
        line: list[str | _Protected] = []
        for piece in pieces:
            if isinstance(piece, _Protected):
                if piece.flow == _Protected.HARD:
                    self._line_to_cyrillic(line, output)
                    line = []
                    output.append(piece.text)
                else:
                    line.append(piece)
                continue
            first, *later_lines = _clean(piece).split("\n")
            line.append(first)
            for text in later_lines:
                self._line_to_cyrillic(line, output)
                output.append("\n")
                line = [text]
        self._line_to_cyrillic(line, output)
        return "".join(output)

    def _line_to_cyrillic(self, line: list[str | _Protected], output: list[str]) -> None:
        """Converts one line of context, its text pieces and the protected pieces inside it."""
        if not any(line):  # empty, or only empty text between block tags and line breaks
            return
        # A text piece without Latin letters has only words that pass through unchanged (_OTHER,
        # never kept or converted in context): it stays whole, and is split into words only when
        # another word of the line needs its neighbours.
        split_pieces: list[str | tuple[list[str], list[_WordInfo]] | _Protected] = []
        needs_context = False
        for piece in line:
            if isinstance(piece, _Protected) or not _HAS_LATIN.search(piece):
                split_pieces.append(piece)
                continue
            parts_and_infos = self._split_words(piece)
            needs_context = needs_context or any(map(_needs_context, parts_and_infos[1]))
            split_pieces.append(parts_and_infos)
        if needs_context:
            self._convert_in_context([self._split_words(item) if isinstance(item, str) else item for item in split_pieces])
        for item in split_pieces:
            if isinstance(item, str):
                output.append(item)
            elif isinstance(item, _Protected):
                output.append(item.text)
            else:
                parts, infos = item
                parts[1::2] = [info[0] for info in infos]
                output.extend(parts)

    def _split_words(self, piece: str) -> tuple[list[str], list[_WordInfo]]:
        """The piece cut into [gap, word, gap, …, gap], and each word's info."""
        word_info = self._word_info
        parts = _WORD_SPLIT.split(piece)
        return parts, [word_info.get(word) or self._remember(word) for word in parts[1::2]]

    def _convert_in_context(self, split_pieces: list[tuple[list[str], list[_WordInfo]] | _Protected]) -> None:
        """Decides the words that need their neighbours; replaces the infos of those kept Latin."""
        words: list[_Word] = []
        gap: list[str] = []
        for item in split_pieces:
            if isinstance(item, _Protected):
                gap.append(item.flow)
                continue
            parts, infos = item
            for index, part in enumerate(parts):
                if index % 2 == 0:
                    gap.append(part)
                    continue
                joined_gap = "".join(gap)
                if words:
                    words[-1].gap_after = joined_gap
                words.append(_Word(infos, index // 2, part, infos[index // 2][1], joined_gap))
                gap = []
        if words:
            words[-1].gap_after = "".join(gap)
        _decide_in_context(words)
        for word in words:
            if word.keep:
                word.infos[word.position] = (word.text, _FOREIGN, False)

    def _remember(self, word: str) -> _WordInfo:
        converted, kind = self._classify(word)
        info = self._word_info[word] = (converted, kind, kind in _CONTEXT_KINDS)
        return info

    def _classify(self, word: str) -> tuple[str, int]:
        """The word's Cyrillic rendering when converted, and its class."""
        if not _HAS_LATIN.search(word):
            return word, _OTHER
        converted = _latin_word_to_cyrillic(word, self._stems)
        if not _SERBIAN_LATIN_LETTERS.issuperset(word):
            english, serbian = _english_and_serbian_frequency(word.lower())
            return converted, _FOREIGN_ENGLISH if english >= _ENGLISH_FLOOR and english > serbian else _FOREIGN
        if _ROMAN_NUMERAL.fullmatch(word):
            return converted, _NUMERAL
        if _CAMEL_CASE.search(word):
            if _DOMESTIC_MIXED_CASE.fullmatch(word) and _lexicon_class(word[1:]) == _SERBIAN:
                return converted, _SERBIAN
            return converted, _FOREIGN
        return converted, _lexicon_class(word)


@lru_cache(maxsize=4096)  # most tags of a body are repeated: <p>, </p>, <li>…
def _kept_tag(tag: str) -> _Protected | None:
    """The tag as a protected piece, None when it may have `alt`/`title` text to convert. The
    piece is shared: protected pieces are never changed."""
    lower = tag.lower()
    if "alt" in lower or "title" in lower:
        return None
    return _Protected(tag, _tag_flow(tag))


def _tag_flow(tag: str) -> str:
    name_match = _TAG_NAME.match(tag)
    inline = name_match is not None and name_match.group(1).lower() in _INLINE_TAGS
    return _Protected.SOFT if inline else _Protected.HARD


def _alternation(stems: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(set(stems), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


def _with_upper_variants(phrases: Mapping[str, str]) -> dict[str, str]:
    variants = dict(phrases)
    for source, target in phrases.items():
        variants.setdefault(source.upper(), target.upper())
    return variants


def _protection_pattern(markdown: bool) -> re.Pattern[str]:
    """HTML, editor markup and (with `markdown`) Markdown code and link targets."""
    alternatives = [*_HTML_PATTERNS, _MARKUP_PATTERN]
    if markdown:
        alternatives += _MARKDOWN_PATTERNS
    return re.compile("|".join(alternatives), re.DOTALL | re.MULTILINE)


_PROTECTION_PATTERNS = {markdown: _protection_pattern(markdown) for markdown in (True, False)}


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(phrases, key=len, reverse=True)
    if not ordered:
        return None
    return re.compile(r"(?P<phrase>(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w))")


def _markup_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of `pattern`, in order and none overlapping, each where its kind may start."""
    position = 0
    while match := pattern.search(text, position):
        if match.lastgroup != "refdef" or _starts_token(text, match.start(), "refdef"):
            yield match
            position = match.end()
        else:
            position = match.start() + 1


def _starts_token(text: str, start: int, kind: str | None) -> bool:
    if kind == "phrase":
        return start == 0 or not text[start - 1].isalnum() and text[start - 1] != "_"
    if kind == "refdef":
        line_start = text.rfind("\n", 0, start) + 1
        return start - line_start <= 3 and not text[line_start:start].strip(" ")
    return True


def _address_spans(text: str) -> list[tuple[int, int]]:
    """Spans of URLs, e-mail addresses and domain names in `text`."""
    spans: list[tuple[int, int]] = []
    search_from = 0
    while hint := _ADDRESS_HINT.search(text, search_from):
        start = hint.start()
        while start > 0 and text[start - 1] not in _TOKEN_DELIMITERS:
            start -= 1
        address = _ADDRESS.match(text, start) if start < hint.start() else None
        if address and address.end() > hint.start():
            spans.append(address.span())
            search_from = address.end()
        else:
            search_from = hint.start() + 1
    return spans


def _protected_spans(
    text: str, markdown: bool, phrases: re.Pattern[str] | None
) -> list[re.Match[str] | tuple[int, int]]:
    """Protected matches (markup, dictionary phrases) and address spans, in order, none
    overlapping: where two overlap, the one starting first wins."""
    found: list[re.Match[str] | tuple[int, int]] = list(_markup_matches(_PROTECTION_PATTERNS[markdown], text))
    if phrases is not None:
        found += [match for match in phrases.finditer(text) if _starts_token(text, match.start(), "phrase")]
    addresses = _address_spans(text) if "." in text or "@" in text or ":" in text else []
    if not addresses and phrases is None:
        return found
    ordered = sorted([*found, *addresses], key=_span_start)
    merged: list[re.Match[str] | tuple[int, int]] = []
    covered_to = 0
    for item in ordered:
        start, end = item if isinstance(item, tuple) else item.span()
        if start >= covered_to:
            merged.append(item)
            covered_to = end
    return merged


def _span_start(item: re.Match[str] | tuple[int, int]) -> int:
    return item[0] if isinstance(item, tuple) else item.start()


def _markup_rendering(body: str, script: Script) -> str:
    renderings = _MARKUP_SPLIT.split(body, maxsplit=1)
    if len(renderings) == 1:
        return body
    cyrillic, latin = renderings
    return cyrillic if script == "cyrillic" else latin


def _split_fences(text: str) -> list[tuple[str, bool]]:
    """The text cut into (chunk, is fenced code) pieces; a fence runs to its closing fence or
    the end of the text."""
    if "```" not in text and "~~~" not in text:
        return [(text, False)]
    chunks: list[tuple[str, bool]] = []
    current: list[str] = []
    fence = ""
    for line in text.splitlines(keepends=True):
        if fence:
            current.append(line)
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]) and line[: len(line) - len(line.lstrip(" "))].count(" ") <= 3:
                chunks.append(("".join(current), True))
                current, fence = [], ""
            continue
        opening = _FENCE_OPEN.match(line)
        if opening:
            if current:
                chunks.append(("".join(current), False))
            current, fence = [line], opening.group(1)
        else:
            current.append(line)
    if current:
        chunks.append(("".join(current), bool(fence)))
    return chunks


def _ends_inside_block(text: str) -> bool:
    """Whether `text` stops inside a code fence, an HTML comment or a raw-text element."""
    chunks = _split_fences(text)
    if chunks and chunks[-1][1] and not _FENCE_CLOSED.search(chunks[-1][0]):
        return True
    if text.rfind("<!--") > text.rfind("-->"):
        return True
    opened = _RAW_OPEN.findall(text)
    closed = _RAW_CLOSE.findall(text)
    return len(opened) > len(closed)


_FENCE_CLOSED = re.compile(r"\n {0,3}(`{3,}|~{3,})\s*\Z")
_RAW_OPEN = re.compile(r"<(?i:pre|code|script|style|textarea)\b")
_RAW_CLOSE = re.compile(r"</(?i:pre|code|script|style|textarea)\s*>")


# ---------------------------------------------------------------------------------------------
# Context decisions for Latin -> Cyrillic


def _decide_in_context(line: list[_Word]) -> None:
    """Sets `keep` on the words of one line of context that stay Latin."""
    _mark_quotations(line)
    for index, word in enumerate(line):
        if word.kind == _NUMERAL:
            word.keep = _is_roman_numeral(line, index)
    _keep_english_quotations(line)
    _keep_english_line(line)
    _keep_english_runs(line)


def _latin_lower(word: str) -> str:
    return word.translate(_CYRILLIC_TO_LATIN_TABLE).lower()


def _is_roman_numeral(line: list[_Word], index: int) -> bool:
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
    return previous is not None and _is_title_case(previous.text) and word.gap_before.strip() == ""


def _in_all_caps_context(line: list[_Word], index: int) -> bool:
    """Whether the nearest words that are not numerals, on either side, are all caps."""
    neighbours = []
    for step in (-1, 1):
        position = index + step
        while 0 <= position < len(line) and line[position].kind == _NUMERAL:
            position += step
        if 0 <= position < len(line):
            neighbours.append(line[position].text)
    return all(_is_all_caps(neighbour) for neighbour in neighbours)


def _mark_quotations(line: list[_Word]) -> None:
    quote = -1
    count = 0
    for word in line:
        for char in word.gap_before:
            if char in _QUOTE_OPEN or (char in "\"“" and quote < 0):
                quote, count = count, count + 1
            elif char in _QUOTE_CLOSE or char == '"':
                quote = -1
        word.quote = quote


def _is_english_leaning(word: _Word) -> bool:
    return word.kind in (_ENGLISH, _FOREIGN_ENGLISH)


def _keep_english_quotations(line: list[_Word]) -> None:
    quotations: dict[int, list[_Word]] = {}
    for word in line:
        if word.quote >= 0:
            quotations.setdefault(word.quote, []).append(word)
    for words in quotations.values():
        _keep_if_mostly_english(words, minimum=1)


def _keep_english_line(line: list[_Word]) -> None:
    """A line mostly of English words outside quotations is English as a whole."""
    _keep_if_mostly_english([word for word in line if word.quote < 0], minimum=2)


def _keep_if_mostly_english(words: list[_Word], minimum: int) -> None:
    english = sum(1 for word in words if _is_english_leaning(word))
    if english >= minimum and 2 * english > len(words):
        for word in words:
            if word.kind != _OTHER:
                word.keep = True


def _keep_english_runs(line: list[_Word]) -> None:
    run: list[_Word] = []
    for word in line:
        joined = run and _RUN_GAP.fullmatch(word.gap_before)
        if word.kind in (_ENGLISH, _NEUTRAL, _FOREIGN, _FOREIGN_ENGLISH) or (word.kind == _NUMERAL and word.keep):
            if not joined:
                _keep_run(run)
                run = []
            run.append(word)
        else:
            _keep_run(run)
            run = []
    _keep_run(run)


def _keep_run(run: list[_Word]) -> None:
    if len(run) < 2:
        return
    english = sum(1 for word in run if _is_english_leaning(word))
    capitalised = all(word.text[:1].isupper() for word in run)
    if english >= 2 or (english >= 1 and capitalised):
        for word in run:
            word.keep = True


# ---------------------------------------------------------------------------------------------
# Module-level helpers


def detect_script(text: str) -> Script | None:
    """The script most letters of `text` are in; None when it has no letters."""
    cyrillic = sum(map(len, _CYRILLIC_RUN.findall(text)))  # by runs: a match per word, not per letter
    latin = sum(map(len, _LATIN_RUN.findall(text)))
    if not cyrillic and not latin:
        return None
    return "cyrillic" if cyrillic >= latin else "latin"


def mixed_script_words(text: str) -> list[tuple[int, str]]:
    """(offset in `text`, word) for every word mixing Latin and Cyrillic letters, outside code,
    URLs, e-mail addresses and tags; `ogpsite check` reports them."""
    if not _may_mix_scripts(text):  # the common case, without walking every word
        return []
    protected = [
        item if isinstance(item, tuple) else item.span()
        for item in _protected_spans(text, markdown=True, phrases=None)
    ]
    found: list[tuple[int, str]] = []
    for match in _WORD_RE.finditer(text):
        word = match.group()
        if not (_HAS_LATIN.search(word) and _HAS_CYRILLIC.search(word)):
            continue
        if any(start <= match.start() < end for start, end in protected):
            continue
        found.append((match.start(), word))
    return found


def _may_mix_scripts(text: str) -> bool:
    """False only when no word of `text` mixes Latin and Cyrillic letters. Searches start at
    Latin letters only (rare in Cyrillic text), and Latin text without Cyrillic is ruled out first."""
    if not _HAS_CYRILLIC.search(text):
        return False
    return bool(_LATIN_THEN_CYRILLIC.search(text) or _LATIN_THEN_CYRILLIC.search(text[::-1]))


_default = Converter()
to_latin = _default.to_latin
to_cyrillic = _default.to_cyrillic
to_latin_html = _default.to_latin_html
to_cyrillic_html = _default.to_cyrillic_html
