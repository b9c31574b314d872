"""The Converter: cuts a text into protected and plain pieces and converts the plain ones."""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from .cleanup import clean, needs_repair
from .dictionary import markup_rendering, phrase_pattern, with_upper_variants
from .foreign import (
    CAMEL_CASE,
    CODE_RULE,
    decide_in_context,
    INTRODUCER_WORDS,
    DOMESTIC_MIXED_CASE,
    english_and_serbian_frequency,
    ENGLISH_FLOOR,
    HAS_CODE,
    lexicon_class,
)
from .letters import (
    BUILTIN_SPLIT_NAMES,
    BUILTIN_SPLIT_STEMS,
    CHANGES_IN_CYRILLIC,
    CHANGES_IN_LATIN,
    COMBINING_MARK,
    composed,
    cyrillic_letters_to_latin,
    HAS_CYRILLIC,
    HAS_LATIN,
    latin_word_to_cyrillic,
    Script,
    SERBIAN_LATIN_LETTERS,
    split_pattern,
    WORD_SPLIT,
)
from .numerals import cyrillic_x_in_numerals, CYRILLIC_X_NUMERAL, ROMAN_NUMERAL
from .protected import (
    ALT_TITLE_ATTRIBUTE,
    kept_tag,
    OpenBlocks,
    Protected,
    protected_spans,
    split_fences,
    tag_flow,
)
from .words import (
    CONTEXT_KINDS,
    FOREIGN,
    FOREIGN_ENGLISH,
    INTRODUCER,
    NUMERAL,
    OTHER,
    SERBIAN,
    Word,
    word_needs_context,
    WordInfo,
)


def _cyrillic_text_to_latin(text: str) -> str:
    text = clean(text)
    if not HAS_CYRILLIC.search(text):
        return text
    return composed(cyrillic_letters_to_latin(text))


class Explanation(NamedTuple):
    """A word of the Cyrillic direction kept Latin (`rendering` is the word) or with nj / dž
    split, and the rule that decided it."""

    line: int
    word: str
    rendering: str
    rule: str


def _class_rule(word: str) -> str:
    """The rule of a word kept Latin by its letters alone."""
    if ROMAN_NUMERAL.fullmatch(word):
        return "Roman numeral"
    if not SERBIAN_LATIN_LETTERS.issuperset(word):
        return "letters Serbian Latin does not have (q, w, x, y, ä…)"
    return "mixed-case name"


# The protected pieces --explain reports when they keep Latin letters in the Cyrillic edition.
_PINNED_RULES = {"phrase": "site dictionary (translit.dictionary)", "markup": "pinned with {=…=}"}

# convert_lines holds at most this many characters of an open comment or raw-text element.
_LARGEST_BLOCK = 1_000_000
# The words whose class and rendering a Converter remembers (they are worked out again after).
_WORD_CACHE_SIZE = 50_000


def _latin_entries(entries: Iterable[str]) -> tuple[str, ...]:
    """A site's stems or names (Latin or Cyrillic) as the lowercase Latin the lists hold."""
    return tuple(_cyrillic_text_to_latin(entry.strip()).lower() for entry in entries if entry.strip())


def _texts_to_latin(texts: list[str]) -> list[str]:
    """_cyrillic_text_to_latin of each text, converted as one text (the many short pieces of a
    body cost much less so). A NUL between two texts ends them for every rule as a text's edge
    does: it is not a letter, nor cased, nor a combining mark, and NFC neither composes nor
    reorders across it (so the joined text needs a repair only where a text does). Texts that
    need a repair of clean (rare) are converted one by one, so that it touches only the texts
    that need it; NFC after the conversion stays per text too."""
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1 or needs_repair(joined):  # or a text has a NUL of its own
        return [_cyrillic_text_to_latin(text) for text in texts]
    cleaned = cyrillic_x_in_numerals(joined)  # all clean does to text needing no repair
    if not HAS_CYRILLIC.search(cleaned):
        return cleaned.split("\x00")
    converted = cyrillic_letters_to_latin(cleaned)
    if not COMBINING_MARK.search(converted):
        return converted.split("\x00")
    # NFC stays per text, for the texts that had Cyrillic letters, as in _cyrillic_text_to_latin.
    pairs = zip(cleaned.split("\x00"), converted.split("\x00"))
    return [composed(text) if HAS_CYRILLIC.search(before) else text for before, text in pairs]


class Converter:
    """Transliterates text and HTML; `dictionary` maps Cyrillic renderings to Latin ones."""

    def __init__(
        self,
        dictionary: Mapping[str, str] | None = None,
        split_stems: Iterable[str] = (),
        split_names: Iterable[str] = (),
    ) -> None:
        self.dictionary = dict(dictionary or {})
        self.split_stems = BUILTIN_SPLIT_STEMS + _latin_entries(split_stems)
        self.split_names = BUILTIN_SPLIT_NAMES + _latin_entries(split_names)
        self._stems = split_pattern(self.split_stems, self.split_names)
        to_latin_phrases = with_upper_variants(self.dictionary)
        to_cyrillic_phrases = with_upper_variants({lat: cyr for cyr, lat in self.dictionary.items()})
        self._phrases: dict[Script, dict[str, str]] = {"latin": to_latin_phrases, "cyrillic": to_cyrillic_phrases}
        self._phrase_patterns = {script: phrase_pattern(phrases) for script, phrases in self._phrases.items()}
        self._word_info: dict[str, WordInfo] = {}
        self._explained: list[Explanation] | None = None  # collected while explain_lines runs

    # -- public API ---------------------------------------------------------------------------

    def to_latin(self, text: str) -> str:
        return self.convert(text, "latin")

    def to_cyrillic(self, text: str) -> str:
        return self.convert(text, "cyrillic")

    def convert(self, text: str, script: Script) -> str:
        """Plain or Markdown text (inline HTML allowed) into `script`."""
        return "".join(self._convert_block(chunk, script, is_code) for chunk, is_code in split_fences(text))

    def convert_lines(self, lines: Iterable[str], script: Script) -> Iterator[str]:
        """Streams `convert` over lines (with their line ends), in constant memory: yields each
        line converted, fenced code as it comes, and the lines of an HTML comment or raw-text
        element (`<pre>`…) converted together once it closes. A comment or element left open
        for more than a megabyte of text is converted in pieces."""
        blocks = OpenBlocks()
        pending: list[str] = []
        size = 0
        for line in lines:
            for part in line.splitlines(keepends=True):  # the line breaks split_fences sees
                if blocks.fence:
                    blocks.closes_fence(part)
                    yield part  # code: shown as typed
                    continue
                if blocks.opens_fence(part):
                    if pending:  # what came before converts alone, as convert cuts at fences
                        yield self.convert("".join(pending), script)
                        pending, size = [], 0
                        blocks.reset()
                    yield part
                    continue
                pending.append(part)
                size += len(part)
                if not blocks.inside_after(part) or size > _LARGEST_BLOCK:
                    yield self.convert("".join(pending), script)
                    pending, size = [], 0
                    blocks.reset()
        if pending:
            yield self.convert("".join(pending), script)

    def explain_lines(self, lines: Iterable[str]) -> Iterator[Explanation]:
        """Why, in the Cyrillic direction, each word of `lines` stays Latin or has its nj / dž
        split: the rule that decided it, with the word's line number (from 1)."""
        self._explained = []
        try:
            number = 1
            for chunk in self.convert_lines(lines, "cyrillic"):
                ordered = sorted(self._explained, key=operator.attrgetter("line"))  # pinned pieces come first
                yield from (explanation._replace(line=number + explanation.line) for explanation in ordered)
                self._explained.clear()
                number += chunk.count("\n")
        finally:
            self._explained = None

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
        pieces: list[str | Protected] = []
        position = 0
        for item in protected_spans(text, markdown, self._phrase_patterns[script]):
            start, end = item if isinstance(item, tuple) else item.span()
            if start > position:
                pieces.append(text[position:start])
            if isinstance(item, tuple):
                pieces.append(Protected(text[start:end], Protected.OPAQUE))
            else:
                pieces.append(self._protect(item, script))
                if self._explained is not None and item.lastgroup in _PINNED_RULES:
                    self._explain_pinned(item, pieces[-1])
            position = end
        if position < len(text):
            pieces.append(text[position:])
        if script == "latin":
            converted = iter(_texts_to_latin([piece for piece in pieces if isinstance(piece, str)]))
            return "".join(piece.text if isinstance(piece, Protected) else next(converted) for piece in pieces)
        return self._pieces_to_cyrillic(pieces)

    @staticmethod
    def _stays(text: str, script: Script) -> bool:
        """Whether every character of `text` is one `script` leaves alone (and, for Cyrillic, no Х is
        typed in a Roman numeral, which `clean` makes Latin)."""
        if script == "latin":
            return not CHANGES_IN_LATIN.search(text)
        return not CHANGES_IN_CYRILLIC.search(text) and ("Х" not in text or not CYRILLIC_X_NUMERAL.search(text))

    def _protect(self, match: re.Match[str], script: Script) -> Protected:
        kind = match.lastgroup
        text = match.group()
        if kind == "tag":
            return self._protect_tag(text, script)
        if kind == "raw":
            name = match.group("rawname").lower()
            return Protected(text, Protected.OPAQUE if name == "code" else Protected.HARD)
        if kind == "entity":
            return Protected(text, Protected.SOFT)
        if kind == "comment":
            return Protected(text, Protected.HARD)
        if kind == "markup":
            return Protected(markup_rendering(match.group("markup_body"), script), Protected.OPAQUE)
        if kind == "phrase":
            return Protected(self._phrases[script][text], Protected.OPAQUE)
        return Protected(text, Protected.OPAQUE)

    def _protect_tag(self, tag: str, script: Script) -> Protected:
        kept = kept_tag(tag)
        if kept is not None:
            return kept

        def convert_value(attribute: re.Match[str]) -> str:
            for group, quote in (("dq", '"'), ("sq", "'"), ("bare", "")):
                value = attribute.group(group)
                if value is not None:
                    return f"{attribute.group('lead')}{quote}{self.convert_html(value, script)}{quote}"
            return attribute.group()

        return Protected(ALT_TITLE_ATTRIBUTE.sub(convert_value, tag), tag_flow(tag))

    # -- Latin -> Cyrillic ----------------------------------------------------------------------

    def _pieces_to_cyrillic(self, pieces: list[str | Protected]) -> str:
        output: list[str] = []
        line: list[str | Protected] = []
        for piece in pieces:
            if isinstance(piece, Protected):
                if piece.flow == Protected.HARD:
                    self._line_to_cyrillic(line, output)
                    line = []
                    output.append(piece.text)
                else:
                    line.append(piece)
                continue
            first, *later_lines = clean(piece).split("\n")
            line.append(first)
            for text in later_lines:
                self._line_to_cyrillic(line, output)
                output.append("\n")
                line = [text]
        self._line_to_cyrillic(line, output)
        return "".join(output)

    def _line_to_cyrillic(self, line: list[str | Protected], output: list[str]) -> None:
        """Converts one line of context, its text pieces and the protected pieces inside it."""
        if not any(line):  # empty, or only empty text between block tags and line breaks
            return
        # A text piece without Latin letters has only words that pass through unchanged (OTHER,
        # never kept or converted in context): it stays whole, and is split into words only when
        # another word of the line needs its neighbours.
        split_pieces: list[str | tuple[list[str], list[WordInfo]] | Protected] = []
        needs_context = False
        for piece in line:
            if isinstance(piece, Protected) or not HAS_LATIN.search(piece):
                split_pieces.append(piece)
                continue
            parts_and_infos = self._split_words(piece)
            needs_context = needs_context or any(map(word_needs_context, parts_and_infos[1])) or bool(HAS_CODE.search(piece))
            split_pieces.append(parts_and_infos)
        if needs_context or self._explained is not None:
            words = self._convert_in_context([self._split_words(item) if isinstance(item, str) else item for item in split_pieces])
            if self._explained is not None:
                self._explain(words, sum(text.count("\n") for text in output))
        for item in split_pieces:
            if isinstance(item, str):
                output.append(item)
            elif isinstance(item, Protected):
                output.append(item.text)
            else:
                parts, infos = item
                parts[1::2] = [info[0] for info in infos]
                output.extend(parts)

    def _split_words(self, piece: str) -> tuple[list[str], list[WordInfo]]:
        """The piece cut into [gap, word, gap, …, gap], and each word's info."""
        word_info = self._word_info
        parts = WORD_SPLIT.split(piece)
        return parts, [word_info.get(word) or self._remember(word) for word in parts[1::2]]

    def _convert_in_context(self, split_pieces: list[tuple[list[str], list[WordInfo]] | Protected]) -> list[Word]:
        """Decides the words that need their neighbours; replaces the infos of those kept Latin.
        Returns the line's words."""
        words: list[Word] = []
        gap: list[str] = []
        for item in split_pieces:
            if isinstance(item, Protected):
                gap.append(item.flow)
                continue
            parts, infos = item
            gaps = parts[0::2]
            gap.append(gaps[0])
            for position, (text, info) in enumerate(zip(parts[1::2], infos)):
                joined_gap = gap[0] if len(gap) == 1 else "".join(gap)
                if words:
                    words[-1].gap_after = joined_gap
                words.append(Word(infos, position, text, info[1], joined_gap))
                gap = [gaps[position + 1]]
        if words:
            words[-1].gap_after = "".join(gap)
        decide_in_context(words)
        for word in words:
            if word.keep:
                word.infos[word.position] = (word.text, FOREIGN, False)
        return words

    def _explain(self, words: list[Word], line: int) -> None:
        """Records why each word of a line was kept Latin or had nj / dž split."""
        explained = self._explained
        assert explained is not None
        for index, word in enumerate(words):
            if word.kind == OTHER:
                continue
            if word.keep:
                if word.rule == CODE_RULE and word.gap_before.isdigit() and words[index - 1].rule == CODE_RULE:  # EU4ME: one code
                    code = explained.pop().word + word.gap_before + word.text
                    explained.append(Explanation(line, code, code, word.rule))
                else:
                    explained.append(Explanation(line, word.text, word.text, word.rule or _class_rule(word.text)))
                continue
            rendering = word.infos[word.position][0]
            if rendering != latin_word_to_cyrillic(word.text, None):
                explained.append(Explanation(line, word.text, rendering, self._split_rule(word.text)))

    def _explain_pinned(self, match: re.Match[str], piece: Protected) -> None:
        """Records a dictionary phrase or `{=…=}` markup whose rendering keeps Latin letters."""
        assert self._explained is not None and match.lastgroup is not None
        if HAS_LATIN.search(piece.text):
            line = match.string.count("\n", 0, match.start())
            written = piece.text if match.lastgroup == "markup" else match.group()  # shown without {= =}
            self._explained.append(Explanation(line, written, piece.text, _PINNED_RULES[match.lastgroup]))

    def _split_rule(self, word: str) -> str:
        assert self._stems is not None  # a word split its digraph: some entry matched
        entry = next(self._stems.finditer(word.lower())).group()
        if entry in self.split_names:
            return f"foreign name “{entry}” (split_names): nj / dž as two letters"
        return f"stem “{entry}” (split_stems): nj / dž as two letters"

    def _remember(self, word: str) -> WordInfo:
        if len(self._word_info) >= _WORD_CACHE_SIZE:  # a long stream of new words: memory stays flat
            self._word_info.clear()
        converted, kind = self._classify(word)
        info = self._word_info[word] = (converted, kind, kind in CONTEXT_KINDS)
        return info

    def _classify(self, word: str) -> tuple[str, int]:
        """The word's Cyrillic rendering when converted, and its class."""
        if word.lower() in INTRODUCER_WORDS:
            return latin_word_to_cyrillic(word, self._stems), INTRODUCER
        if not HAS_LATIN.search(word):
            return word, OTHER
        converted = latin_word_to_cyrillic(word, self._stems)
        if not SERBIAN_LATIN_LETTERS.issuperset(word):
            english, serbian = english_and_serbian_frequency(word.lower())
            return converted, FOREIGN_ENGLISH if english >= ENGLISH_FLOOR and english > serbian else FOREIGN
        if ROMAN_NUMERAL.fullmatch(word):
            return converted, NUMERAL
        if CAMEL_CASE.search(word):
            if DOMESTIC_MIXED_CASE.fullmatch(word) and lexicon_class(word[1:]) == SERBIAN:
                return converted, SERBIAN
            return converted, FOREIGN
        return converted, lexicon_class(word)


