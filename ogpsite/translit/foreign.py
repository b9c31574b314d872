"""Foreign-word judgement for Latin -> Cyrillic: which Latin words stay Latin in the Cyrillic
edition (letters Serbian lacks, mixed-case names, English words, runs, quotations, lines).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache

from .letters import LATIN_RUN, SERBIAN_ONLY_LATIN
from .numerals import is_roman_numeral
from .words import ENGLISH, FOREIGN, FOREIGN_ENGLISH, NEUTRAL, NUMERAL, OTHER, SERBIAN, Word


CAMEL_CASE = re.compile(r"[a-zčćđšž][A-ZČĆĐŠŽ]")
# Domestic mixed-case acronyms: the conjunction "i" inside capitals (BiH, FBiH, SiCG, KiM) and
# e-services (eUprava, eZUP).
DOMESTIC_MIXED_CASE = re.compile(r"[A-ZČĆĐŠŽ]+i[A-ZČĆĐŠŽ]+|e[A-ZČĆĐŠŽ](?:[a-zčćđšž]+|[A-ZČĆĐŠŽ]+)")
_QUOTE_OPEN = frozenset("„«‚")
_QUOTE_CLOSE = frozenset("“”»‘’")
# Between two words of one run: spaces, a hyphen or a dash.
_RUN_GAP = re.compile(r"[ \t\u00A0\-]*")


# Only a word wordfreq puts at Zipf >= 3 in English can be judged English (`lexicon_class`,
# `_classify`), so a table of those words with their English and Serbo-Croatian Zipf frequencies
# answers every lookup: any other word is not English. The table loads in a hundredth of a
# second where wordfreq's own tables take a quarter: a build cache installs a loader that keeps
# it between builds (`use_english_lexicon`).
ENGLISH_FLOOR = 3.0
EnglishLexicon = Mapping[str, tuple[float, float]]


def english_lexicon() -> dict[str, tuple[float, float]]:
    """Every word at English Zipf >= 3 -> (English, Serbo-Croatian) Zipf frequency, as
    `wordfreq.zipf_frequency` gives them; empty without wordfreq."""
    try:
        from wordfreq import get_frequency_dict  # lazy: only Latin -> Cyrillic needs it
    except ImportError:
        return {}
    english, serbian = get_frequency_dict("en"), get_frequency_dict("sh")
    floor = 10 ** (ENGLISH_FLOOR - 9) * 0.99  # a little under: _zipf rounds
    lexicon = {}
    for word, frequency in english.items():
        if frequency >= floor and (zipf := _zipf(frequency)) >= ENGLISH_FLOOR and _is_lexicon_key(word):
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


def english_and_serbian_frequency(word: str) -> tuple[float, float]:
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
    return bool(word.isalpha() and word == word.casefold() and LATIN_RUN.fullmatch(word) and unicodedata.is_normalized("NFC", word))


@lru_cache(maxsize=1024)
def _wordfreq_frequencies(word: str) -> tuple[float, float]:
    """wordfreq's own lookup, for the rare word it might cut or fold first."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return 0.0, 0.0
    return zipf_frequency(word, "en"), zipf_frequency(word, "sh")


def lexicon_class(word: str) -> int:
    """ENGLISH, NEUTRAL or SERBIAN for a word of Serbian Latin letters."""
    if len(word) < 2 or not SERBIAN_ONLY_LATIN.isdisjoint(word):
        return SERBIAN
    if word.isupper() and len(word) <= 3:  # short all-caps words are domestic acronyms (SAD, MUP)
        return SERBIAN
    english, serbian = english_and_serbian_frequency(word.lower())
    if english >= ENGLISH_FLOOR and english - serbian >= 1.0:
        return ENGLISH
    if english >= ENGLISH_FLOOR and english >= serbian:
        return NEUTRAL
    return SERBIAN


def decide_in_context(line: list[Word]) -> None:
    """Sets `keep` on the words of one line of context that stay Latin."""
    _mark_quotations(line)
    for index, word in enumerate(line):
        if word.kind == NUMERAL:
            word.keep = is_roman_numeral(line, index)
    _keep_english_quotations(line)
    _keep_english_line(line)
    _keep_english_runs(line)


def _mark_quotations(line: list[Word]) -> None:
    quote = -1
    count = 0
    for word in line:
        for char in word.gap_before:
            if char in _QUOTE_OPEN or (char in "\"“" and quote < 0):
                quote, count = count, count + 1
            elif char in _QUOTE_CLOSE or char == '"':
                quote = -1
        word.quote = quote


def _is_english_leaning(word: Word) -> bool:
    return word.kind in (ENGLISH, FOREIGN_ENGLISH)


def _keep_english_quotations(line: list[Word]) -> None:
    quotations: dict[int, list[Word]] = {}
    for word in line:
        if word.quote >= 0:
            quotations.setdefault(word.quote, []).append(word)
    for words in quotations.values():
        _keep_if_mostly_english(words, minimum=1)


def _keep_english_line(line: list[Word]) -> None:
    """A line mostly of English words outside quotations is English as a whole."""
    _keep_if_mostly_english([word for word in line if word.quote < 0], minimum=2)


def _keep_if_mostly_english(words: list[Word], minimum: int) -> None:
    english = sum(1 for word in words if _is_english_leaning(word))
    if english >= minimum and 2 * english > len(words):
        for word in words:
            if word.kind != OTHER:
                word.keep = True


def _keep_english_runs(line: list[Word]) -> None:
    run: list[Word] = []
    for word in line:
        joined = run and _RUN_GAP.fullmatch(word.gap_before)
        if word.kind in (ENGLISH, NEUTRAL, FOREIGN, FOREIGN_ENGLISH) or (word.kind == NUMERAL and word.keep):
            if not joined:
                _keep_run(run)
                run = []
            run.append(word)
        else:
            _keep_run(run)
            run = []
    _keep_run(run)


def _keep_run(run: list[Word]) -> None:
    if len(run) < 2:
        return
    english = sum(1 for word in run if _is_english_leaning(word))
    capitalised = all(word.text[:1].isupper() for word in run)
    if english >= 2 or (english >= 1 and capitalised):
        for word in run:
            word.keep = True


