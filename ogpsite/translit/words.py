"""A Latin word of one line of context, and the classes the Latin -> Cyrillic rules give words."""

from __future__ import annotations

import operator


SERBIAN = 0  # converted
FOREIGN = 1  # kept Latin: letters Serbian lacks, mixed-case acronyms
ENGLISH = 2  # an English-leaning word: kept when its line context says English
NEUTRAL = 3  # as common in English as in Serbian: kept only inside an English run
NUMERAL = 4  # could be a Roman numeral: decided by context
OTHER = 5  # not a Latin word (Cyrillic already): passes through
FOREIGN_ENGLISH = 6  # kept Latin like FOREIGN, and an English word (year, you, show)
INTRODUCER = 7  # the last word of "eng.", "na engleskom"...: converted, keeps what follows

# A Latin word's Cyrillic rendering, its class, and whether the class needs the word's line.
WordInfo = tuple[str, int, bool]
CONTEXT_KINDS = frozenset({FOREIGN, FOREIGN_ENGLISH, ENGLISH, NUMERAL, INTRODUCER})
word_needs_context = operator.itemgetter(2)


class Word:
    """A word of one line of context, for the Latin -> Cyrillic decisions that need neighbours."""

    __slots__ = ("infos", "position", "text", "kind", "gap_before", "gap_after", "quote", "keep", "rule")

    def __init__(self, infos: list[WordInfo], position: int, text: str, kind: int, gap_before: str) -> None:
        self.infos = infos  # the infos of the word's text piece; infos[position] is this word's
        self.position = position
        self.text = text
        self.kind = kind
        self.gap_before = gap_before
        self.gap_after = ""
        self.quote = -1  # index of the quotation the word is in, -1 outside quotes
        self.keep = kind in (FOREIGN, FOREIGN_ENGLISH)
        self.rule = ""  # the context rule that kept the word Latin ("" when its class did)

    def keep_by(self, rule: str) -> None:
        """Keeps the word Latin, naming the first rule that did (for `ogpsite translit --explain`)."""
        if not self.keep:
            self.keep, self.rule = True, rule


