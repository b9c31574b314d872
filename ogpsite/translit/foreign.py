"""Foreign-word judgement for Latin -> Cyrillic: which Latin words stay Latin in the Cyrillic
edition (letters Serbian lacks, mixed-case names, English words, runs, quotations, lines).
"""

from __future__ import annotations

import gzip
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache
from importlib import metadata, resources

from .letters import cyrillic_letters_to_latin, is_all_caps, LATIN_LETTER, LATIN_RUN, latin_word_to_cyrillic, SERBIAN_ONLY_LATIN
from .numerals import is_roman_numeral
from .wordlists import read_word_list
from .words import ENGLISH, FOREIGN, FOREIGN_ENGLISH, INTRODUCER, NEUTRAL, NUMERAL, OTHER, SERBIAN, Word


CAMEL_CASE = re.compile(r"[a-zčćđšž][A-ZČĆĐŠŽ]")
# Domestic mixed-case acronyms: the conjunction "i" inside capitals (BiH, FBiH, SiCG, KiM) and
# e-services (eUprava, eZUP).
DOMESTIC_MIXED_CASE = re.compile(r"[A-ZČĆĐŠŽ]+i[A-ZČĆĐŠŽ]+|e[A-ZČĆĐŠŽ](?:[a-zčćđšž]+|[A-ZČĆĐŠŽ]+)")
_QUOTE_OPEN = frozenset("„«‚")
_QUOTE_CLOSE = frozenset("“”»‘’")
_QUOTES = _QUOTE_OPEN | _QUOTE_CLOSE | {'"'}
# Between two words of one run: spaces, a hyphen or a dash.
_RUN_GAP = re.compile(r"[ \t\u00A0\-]*")


# Only a word wordfreq puts at Zipf >= 3 in English can be judged English (`lexicon_class`,
# `_classify`), so a table of those words with their English and Serbo-Croatian Zipf frequencies
# answers every lookup: any other word is not English. Made from wordfreq's tables it takes a
# quarter of a second (a tenth of a cold build at 1,000 reports, before any worker starts), so the
# package ships it (`data/english_lexicon.tsv.gz`, 150 KB, read in 0.015 s) for the wordfreq
# release its header names; another release makes it from wordfreq again. `make lexicon` writes
# it anew, and a test fails when it no longer matches the installed wordfreq.
ENGLISH_FLOOR = 3.0
EnglishLexicon = Mapping[str, tuple[float, float]]
LEXICON_FILE = "english_lexicon.tsv.gz"


def english_lexicon() -> dict[str, tuple[float, float]]:
    """Every word at English Zipf >= 3 -> (English, Serbo-Croatian) Zipf frequency, as
    `wordfreq.zipf_frequency` gives them: the shipped table when it was made from the installed
    wordfreq, else made from wordfreq (`lexicon_from_wordfreq`); empty without wordfreq."""
    release = wordfreq_release()
    if release is None:
        return {}
    shipped = _shipped_lexicon()
    if shipped is not None and shipped[0] == release:
        return shipped[1]
    return lexicon_from_wordfreq()


def wordfreq_release() -> str | None:
    """The installed wordfreq's version (from its metadata: importing wordfreq costs 0.05 s), or None."""
    try:
        return metadata.version("wordfreq")
    except metadata.PackageNotFoundError:
        return None


def lexicon_from_wordfreq() -> dict[str, tuple[float, float]]:
    """`english_lexicon` made from wordfreq's own tables (a quarter of a second)."""
    try:
        import wordfreq  # lazy: only Latin -> Cyrillic needs it
    except ImportError:
        return {}
    english, serbian = wordfreq.get_frequency_dict("en"), wordfreq.get_frequency_dict("sh")
    floor = 10 ** (ENGLISH_FLOOR - 9) * 0.99  # a little under: _zipf rounds
    lexicon = {}
    for word, frequency in english.items():
        if frequency >= floor and (zipf := _zipf(frequency)) >= ENGLISH_FLOOR and _is_lexicon_key(word):
            lexicon[word] = (zipf, _zipf(serbian.get(word, 0.0)))
    # wordfreq keeps its full tables (some 50 MB) for good; the lexicon is all we need of them,
    # and a streamed `ogpsite translit` stays small without them.
    wordfreq.get_frequency_dict.cache_clear()
    wordfreq.get_frequency_list.cache_clear()
    return lexicon


def lexicon_file_text(release: str, lexicon: EnglishLexicon) -> str:
    """The shipped table's text: a header naming the wordfreq release, then `word english serbian` lines, sorted."""
    lines = [f"# wordfreq {release}: English Zipf >= {ENGLISH_FLOOR}, word, English and Serbo-Croatian Zipf (`make lexicon`)"]
    lines += (f"{word}\t{english:.2f}\t{serbian:.2f}" for word, (english, serbian) in sorted(lexicon.items()))
    return "\n".join(lines) + "\n"


def _shipped_lexicon() -> tuple[str, dict[str, tuple[float, float]]] | None:
    """(wordfreq release, table) of the shipped file, or None when it is missing or damaged
    (the lexicon is then made from wordfreq)."""
    try:
        data = resources.files(__package__).joinpath("data", LEXICON_FILE).read_bytes()
        header, _, body = gzip.decompress(data).decode("utf-8").partition("\n")
        release = header.split()[2].rstrip(":")
        fields = body.split()  # word, English, Serbo-Croatian: no field holds a space (`_is_lexicon_key`)
        return release, {fields[at]: (float(fields[at + 1]), float(fields[at + 2])) for at in range(0, len(fields), 3)}
    except (OSError, EOFError, UnicodeDecodeError, IndexError, ValueError):  # gzip.BadGzipFile is an OSError
        return None


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
        if word.kind == NUMERAL and is_roman_numeral(line, index):
            word.keep_by("Roman numeral")
    _keep_codes(line)
    _keep_english_quotations(line)
    introducers = _keep_introduced_english(line)
    _keep_english_segments(line)
    _keep_english_runs(line)
    _keep_acronyms_of_phrases(line)
    for word in introducers:  # "eng." is Serbian: converted even inside a kept line
        word.keep, word.rule = False, ""


def _mark_quotations(line: list[Word]) -> None:
    if _QUOTES.isdisjoint("".join(word.gap_before for word in line)):
        return  # most lines: every word is outside quotes already
    quote = -1
    count = 0
    for word in line:
        for char in word.gap_before:
            if char in _QUOTE_OPEN or (char in "\"“" and quote < 0):
                quote, count = count, count + 1
            elif char in _QUOTE_CLOSE or char == '"':
                quote = -1
        word.quote = quote


_ENGLISH_LEANING = frozenset({ENGLISH, FOREIGN_ENGLISH})


def _is_english_leaning(word: Word) -> bool:
    return word.kind in _ENGLISH_LEANING


def _is_latin(word: Word) -> bool:
    return word.kind != OTHER


CODE_RULE = "code: a digit between letters"


def _keep_codes(line: list[Word]) -> None:
    """Codes with a digit between letters (EU4PAR, H2O) stay Latin whole. Letters only before
    or after the digits (G20, B92, 5G) are a word like any other: Г20, Б92, 5Г."""
    for before, after in zip(line, line[1:]):
        if after.gap_before.isdigit() and _is_latin(before) and _is_latin(after):
            before.keep_by(CODE_RULE)
            after.keep_by(CODE_RULE)


def _keep_english_quotations(line: list[Word]) -> None:
    quotations: dict[int, list[Word]] = {}
    for word in line:
        if word.quote >= 0:
            quotations.setdefault(word.quote, []).append(word)
    for words in quotations.values():
        _keep_if_mostly_english(words, minimum=1, rule="English quotation")


def _is_serbian_lowercase(word: Word) -> bool:
    """A Serbian word that is no name: lowercase, or all caps and longer than an acronym."""
    return word.kind == SERBIAN and (word.text.islower() or (len(word.text) > 3 and word.text.isupper()))


def _starts_serbian_clause(line: list[Word], index: int) -> bool:
    """Two Serbian words in a row, not both capitalised (names: Novi Sad), end an English
    stretch: "je inicijativa", "Tekst zakona"."""
    if index + 1 >= len(line):
        return False
    first, second = line[index], line[index + 1]
    return (
        first.kind == SERBIAN
        and second.kind == SERBIAN
        and (_is_serbian_lowercase(first) or _is_serbian_lowercase(second))
    )


def _keep_english_segments(line: list[Word]) -> None:
    """A stretch of a line mostly of English words outside quotations is English as a whole. The
    stretches are sentences, cut again at Serbian clauses, which are never kept: "Open data is a
    public good, rekao je ministar" keeps the English sentence and converts the rest."""
    if sum(1 for word in line if word.kind in _ENGLISH_LEANING) < 2:
        return  # the common case: no stretch can be mostly English
    segment: list[Word] = []
    in_clause = False
    for index, word in enumerate(line):
        if word.kind != SERBIAN:
            in_clause = False
        elif not in_clause:
            in_clause = _starts_serbian_clause(line, index)
        if in_clause or (len(word.gap_before) > 1 and _SENTENCE_END.search(word.gap_before)):
            _keep_english_sentence(segment)
            segment = []
        if not in_clause and word.quote < 0:
            segment.append(word)
    _keep_english_sentence(segment)


def _keep_english_sentence(words: list[Word]) -> None:
    """Keeps a mostly English stretch, all but the Serbian words at its edges ("šetuna Read
    the full report" is a Serbian word before an English sentence)."""
    if len(words) < 2:
        return
    first, last = 0, len(words)
    while first < last and words[first].kind == SERBIAN:
        first += 1
    while last > first and words[last - 1].kind == SERBIAN:
        last -= 1
    _keep_if_mostly_english(words[first:last], minimum=3, rule="English sentence", sentence=True)


def _keep_if_mostly_english(words: list[Word], minimum: int, rule: str, sentence: bool = False) -> None:
    """Keeps the Latin words when most are English. A `sentence` must read as one too:
    capitalised names side by side ("Regional Cooperation Council (RCC) i Open Society Fund")
    are phrases for `_keep_english_runs`, and the "i" between them is Serbian."""
    english = sum(1 for word in words if _is_english_leaning(word))
    if english >= minimum and 2 * english > len(words) and (not sentence or _reads_as_english_sentence(words)):
        for word in words:
            if _is_latin(word):
                word.keep_by(rule)


def _reads_as_english_sentence(words: list[Word]) -> bool:
    """A lowercase English word outside names in it (or all caps), and few lowercase Serbian
    ones: one in four at most, as a misspelt or rare word in an English sentence."""
    if not _mostly_all_caps(words) and not any(_is_sentence_word(words, index) for index in range(len(words))):
        return False
    return 4 * sum(1 for word in words if _is_serbian_lowercase(word)) <= len(words)


def _is_sentence_word(words: list[Word], index: int) -> bool:
    """A lowercase English word outside a name: "to" in "Access to information", not "of" in
    "Freedom of Information Act"."""
    word = words[index]
    if not _is_english_leaning(word) or word.text[:1].isupper():
        return False
    neighbours = words[max(index - 1, 0) : index] + words[index + 1 : index + 2]
    return len(neighbours) < 2 or not all(neighbour.text[:1].isupper() for neighbour in neighbours)


def _is_acronym(word: Word) -> bool:
    """An all-caps word of Serbian Latin letters (SAD, OGP, UNDP): Serbian or English by context."""
    return word.text.isupper() and len(word.text) > 1 and word.kind in (SERBIAN, NEUTRAL, ENGLISH)


def _is_lone_acronym(line: list[Word], index: int) -> bool:
    """An acronym between words that are not all caps: in an all-caps stretch every word looks
    like one."""
    return _is_acronym(line[index]) and not any(
        0 <= position < len(line) and is_all_caps(line[position].text) for position in (index - 1, index + 1)
    )


def _mostly_all_caps(line: list[Word]) -> bool:
    latin = [word for word in line if _is_latin(word)]
    return 2 * sum(1 for word in latin if is_all_caps(word.text)) > len(latin)


def _keep_english_runs(line: list[Word]) -> None:
    """Runs of English-leaning, neutral and foreign words joined by spaces or hyphens; a lone
    acronym inside one belongs to it (the OGP Summit), and at its start when the run is a name."""
    run: list[Word] = []
    for index, word in enumerate(line):
        joined = run and _RUN_GAP.fullmatch(word.gap_before)
        if (
            word.kind in (ENGLISH, NEUTRAL, FOREIGN, FOREIGN_ENGLISH)
            or (word.kind == NUMERAL and word.keep)
            or (word.kind == SERBIAN and word.text.isupper() and _is_lone_acronym(line, index))
        ):
            if not joined:
                _keep_run(run)
                run = []
            run.append(word)
        elif run:
            _keep_run(run)
            run = []
    _keep_run(run)


def _keep_run(run: list[Word]) -> None:
    if run and _is_acronym(run[0]) and not all(word.text[:1].isupper() for word in run[1:]):
        run = run[1:]  # "OGP Global Summit" is a name; in "SKGO Read the report" SKGO is no part
    if len(run) < 2:
        return
    english = sum(1 for word in run if _is_english_leaning(word))
    capitalised = all(word.text[:1].isupper() for word in run)
    if english >= 2 or (english >= 1 and capitalised):
        for word in run:
            word.keep_by("English phrase: a run of English words")


def _keep_acronyms_of_phrases(line: list[Word]) -> None:
    """An acronym next to a kept English phrase whose initials it spells is the phrase's own:
    "Open Government Partnership (OGP)", "OGP – Open Government Partnership"."""
    for index, word in enumerate(line):
        if word.keep or not word.text.isupper() or not _is_acronym(word):
            continue
        if not (index and line[index - 1].keep) and not (index + 1 < len(line) and line[index + 1].keep):
            continue
        before = _kept_phrase(line, index, -1) if _ACRONYM_GAP.fullmatch(word.gap_before) else []
        after = _kept_phrase(line, index, 1) if _ACRONYM_GAP.fullmatch(word.gap_after) else []
        if any(_spells_initials(word.text, phrase) for phrase in (before[::-1], after)):
            word.keep_by("acronym of the English phrase next to it")


def _kept_phrase(line: list[Word], index: int, step: int) -> list[Word]:
    """The kept words next to line[index] on one side, nearest first, as far as they are
    joined by run gaps."""
    phrase: list[Word] = []
    position = index + step
    while 0 <= position < len(line) and line[position].keep:
        phrase.append(line[position])
        inner_gap = line[position].gap_before if step < 0 else line[position].gap_after
        if not _RUN_GAP.fullmatch(inner_gap):
            break
        position += step
    return phrase


def _spells_initials(acronym: str, phrase: list[Word]) -> bool:
    """Whether the acronym's letters are initials of the phrase's words, in order."""
    initials = iter(word.text[0].lower() for word in phrase)
    return len(phrase) >= 2 and all(letter in initials for letter in acronym.lower())


def _keep_introduced_english(line: list[Word]) -> list[Word]:
    """Keeps the Latin words introduced as English ("eng. Open Govrnment Partnership");
    returns the introducing words, which stay Serbian."""
    introducers = []
    for index, word in enumerate(line):
        punctuation = _introducer_punctuation(line, index) if word.kind == INTRODUCER else None
        if punctuation is None:
            continue
        introducers.append(word)
        scope = index + 1
        if _INTRODUCTION_END.search(word.gap_after[len(punctuation):]):
            continue
        if scope >= len(line) or not _may_open_introduction(line[scope]):
            continue
        while scope < len(line):
            current = line[scope]
            if not _is_latin(current) or _starts_serbian_clause(line, scope):
                break
            current.keep_by("introduced as English (eng., na engleskom…)")
            if _INTRODUCTION_END.search(current.gap_after):
                break
            scope += 1
    return introducers


def _may_open_introduction(word: Word) -> bool:
    """An introduced phrase starts with a capital, a foreign or an English word, not "se"."""
    return _is_latin(word) and word.kind != INTRODUCER and not _is_serbian_lowercase(word)


def _introducer_punctuation(line: list[Word], index: int) -> str | None:
    """The "." or ":" (or "") after the introducer that line[index] ends; None when it ends none."""
    for words, punctuation in _INTRODUCERS.get(line[index].text.lower(), ()):
        first = index - len(words) + 1
        if first < 0 or not line[index].gap_after.startswith(punctuation):
            continue
        previous = line[first:index]
        if all(word.text.lower() == expected for word, expected in zip(previous, words)) and all(
            not word.gap_after.strip() for word in previous
        ):
            return punctuation
    return None


def _load_introducers() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Last word -> (the introducer's words, the punctuation after it), in both scripts."""
    introducers: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for entry in read_word_list("english_introducers.txt"):
        punctuation = entry[-1] if entry[-1] in ".:" else ""
        words = entry.rstrip(".:").split()
        latin = tuple(cyrillic_letters_to_latin(word) for word in words)
        for form in {latin, tuple(latin_word_to_cyrillic(word, None) for word in latin)}:
            introducers.setdefault(form[-1], []).append((form, punctuation))
    return introducers


# A code: a digit between letters, the words of the line then need their neighbours.
HAS_CODE = re.compile(f"[{LATIN_LETTER}][0-9]+[^\\W\\d_]")
_INTRODUCERS = _load_introducers()
INTRODUCER_WORDS = frozenset(_INTRODUCERS)
# Between an acronym and its phrase: spaces, a dash, a bracket or a comma.
_ACRONYM_GAP = re.compile(r"[ \t\u00A0]*[(–—\-,]?[ \t\u00A0]*")
# Between two sentences: their end, maybe a closing quote or bracket, and a space.
_SENTENCE_END = re.compile(r"[.!?…][)\]”“»\"’]*\s")
# What ends an introduced phrase after one of its words: a closing bracket or quote, a comma or
# semicolon, or the end of a sentence.
_INTRODUCTION_END = re.compile(r"[)\]};,”“»\"]|[.!?](?:\s|$)")


def write_shipped_lexicon() -> None:
    """`make lexicon`: the shipped table made anew from the installed wordfreq."""
    release = wordfreq_release()
    if release is None:
        raise SystemExit("wordfreq is not installed")
    path = resources.files(__package__).joinpath("data", LEXICON_FILE)
    with open(str(path), "wb") as stream:
        stream.write(gzip.compress(lexicon_file_text(release, lexicon_from_wordfreq()).encode("utf-8"), 9, mtime=0))
