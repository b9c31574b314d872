"""Institutions of the site's registry named in a text, in any grammatical case and script.

`представнике Агенције за државну службу БиХ` names the registry's `Агенција за државну
службу БиХ`: the words of a name are compared by stem (the case ending cut off, the text
folded to ASCII Latin), so every case of every spelling the registry gives (name, acronym,
aliases, both scripts) is found. Names that look like an institution's but are not in the
registry are returned as candidates, with their head word in the nominative.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .. import translit
from ..core.model import ascii_fold

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")  # `ОЕБС-а` is two words: the acronym and its ending
# Case endings of nouns and adjectives, longest first; a stem keeps at least three letters.
_ENDINGS = ("ima", "ama", "ega", "oga", "emu", "omu", "om", "em", "og", "eg", "oj", "ih", "im", "a", "e", "i", "o", "u")
_VOWELS = frozenset("aeiou")
_SIBILANT_BACK = str.maketrans({"c": "k", "z": "g"})  # `statistici` and `statistika` share a stem


@dataclass(frozen=True)
class Registered:
    """A registry entry as the matcher needs it."""

    slug: str
    cyrillic: str
    latin: str
    spellings: tuple[str, ...]  # names, acronyms and aliases, as the registry writes them
    acronyms: tuple[str, ...] = ()

    def name(self, script: str) -> str:
        return self.cyrillic if script == "cyrillic" else self.latin


@dataclass(frozen=True)
class InstitutionMention:
    slug: str
    offset: int
    stop: int
    text: str


@lru_cache(maxsize=65536)
def stems(word: str) -> frozenset[str]:
    """The word in ASCII Latin lowercase with each case ending it may have cut off: `Програма`
    -> `programa`, `program`, `progr`. Two forms of one word share a stem (`Програм` gives
    `program`); the fleeting a and sibilarisation are undone (`Centar`/`Centra`, `statistici`)."""
    folded = ascii_fold(word).lower()
    if len(folded) < 4:
        return frozenset((folded,))
    cuts = {folded} | {folded[: -len(ending)] for ending in _ENDINGS if folded.endswith(ending) and len(folded) - len(ending) >= 3}
    return frozenset(map(_normalised, cuts))


def _normalised(cut: str) -> str:
    if len(cut) >= 5 and cut[-2] == "a" and cut[-1] not in _VOWELS and cut[-3] not in _VOWELS:
        cut = cut[:-2] + cut[-1]  # the fleeting a: `Centar` and `Centra` share a stem
    return cut[:-1] + cut[-1].translate(_SIBILANT_BACK)


def _same_word(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a.isdisjoint(b) or any(_close(x, y) for x in a for y in b)


def _key(word: str) -> str:
    """What a word is looked up by: its first three letters, folded (every stem keeps them)."""
    return ascii_fold(word).lower()[:3]


def _close(a: str, b: str) -> bool:
    """Equal stems, or long ones a single typing slip apart (`srednj`, `sredn`)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1 or a[:3] != b[:3]:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    shorter, longer = sorted((a, b), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


@dataclass(frozen=True)
class _Spelling:
    slug: str
    key: str
    stems: tuple[frozenset[str], ...]
    exact: tuple[str, ...] | None  # acronyms: compared letter for letter (folded), not by stem
    capitals: tuple[int, ...]  # which words start with a capital: one of them must in the text too


def _spelling(slug: str, text: str, acronym: bool) -> _Spelling | None:
    words = _WORD.findall(text)
    if not words:
        return None
    capitals = tuple(index for index, word in enumerate(words) if word[0].isupper())
    exact = tuple(ascii_fold(word) for word in words) if acronym else None
    return _Spelling(slug, _key(words[0]), tuple(stems(word) for word in words), exact, capitals)


class InstitutionMatcher:
    """Finds the registry's institutions in texts; made once per import."""

    def __init__(self, registry: Iterable[Registered]) -> None:
        self.registry = {entry.slug: entry for entry in registry}
        self._by_first: dict[str, list[_Spelling]] = {}
        for entry in self.registry.values():
            spellings = {(text, False) for text in entry.spellings} | {(text, True) for text in entry.acronyms}
            for text, acronym in sorted(spellings):
                spelling = _spelling(entry.slug, text, acronym)
                if spelling is not None:
                    self._by_first.setdefault(spelling.key, []).append(spelling)
        for spellings in self._by_first.values():
            spellings.sort(key=lambda spelling: -len(spelling.stems))  # the longest name first

    def find(self, text: str) -> list[InstitutionMention]:
        """Every registry institution named in `text`, in order of first mention."""
        words = list(_WORD.finditer(text))
        word_stems = [stems(word.group(0)) for word in words]
        mentions, index = [], 0
        while index < len(words):
            spelling = self._match_at(words, word_stems, index)
            if spelling is None:
                index += 1
                continue
            last = words[index + len(spelling.stems) - 1]
            mentions.append(InstitutionMention(spelling.slug, words[index].start(), last.end(), text[words[index].start() : last.end()]))
            index += len(spelling.stems)
        return mentions

    def _match_at(self, words: list[re.Match[str]], word_stems: list[frozenset[str]], index: int) -> _Spelling | None:
        candidates = self._by_first.get(_key(words[index].group(0)), ())
        for spelling in candidates:
            end = index + len(spelling.stems)
            if end > len(words):
                continue
            if spelling.exact is not None:
                if all(ascii_fold(words[index + k].group(0)) == part for k, part in enumerate(spelling.exact)):
                    return spelling
                continue
            if not all(_same_word(word_stems[index + k], part) for k, part in enumerate(spelling.stems)):
                continue
            if not spelling.capitals or any(words[index + k].group(0)[0].isupper() for k in spelling.capitals):
                return spelling
        return None


def registered_from_entries(entries: Iterable) -> list[Registered]:
    """`Registered` from the reader's registry entries (names in one script or both)."""
    result = []
    for entry in entries:
        written = entry.names.get("") or entry.names.get("latin") or entry.names["cyrillic"]
        cyrillic = entry.names.get("cyrillic") or translit.to_cyrillic(written)
        latin = entry.names.get("latin") or translit.to_latin(written)
        acronyms = tuple(dict.fromkeys(entry.acronyms.values()))
        result.append(Registered(entry.slug, cyrillic, latin, (cyrillic, latin, *entry.aliases), acronyms))
    return result


# Head nouns of institutions' names, by stem, with the ending of their nominative.
_HEADS = {
    "agencij": "a", "ministarstv": "o", "kancelarij": "a", "ured": "", "direkcij": "a", "savez": "",
    "misij": "a", "mrez": "a", "udruzenj": "e", "fondacij": "a", "zavod": "", "institut": "", "komisij": "a",
    "savjet": "", "savet": "", "vlad": "a", "skupstin": "a", "sekretarijat": "", "centr": "", "fond": "",
    "uprav": "a", "inspektorat": "", "ombudsman": "", "povjerenik": "", "poverenik": "",
}
_NAME_JOINERS = frozenset({"za", "i", "u", "sa", "s", "od", "o", "iz", "na", "и", "у", "за", "са", "с", "од", "о", "из", "на"})
_VERBISH = re.compile(r"(?:ava|iva|uje|ira|ao|la|lo|li|le|ti|ci)$|^(?:je|su|ce|bi|se|biti)$")
_STATE_WORDS = frozenset({"bih", "srbije", "republike", "srpske", "crne", "gore", "bosne", "hercegovine", "federacije"})
_MAX_CANDIDATE_WORDS = 10


def candidates(text: str, known: list[InstitutionMention]) -> list[str]:
    """Names in `text` that read as an institution's (`Министарства правде`, `Savez …`) and are
    not the registry's: head word in the nominative, the rest as written."""
    taken = [(mention.offset, mention.stop) for mention in known]
    words = list(_WORD.finditer(text))
    found: list[str] = []
    index = 0
    while index < len(words):
        head = words[index].group(0)
        if not head[0].isupper() or _head(head) is None or any(a <= words[index].start() < b for a, b in taken):
            index += 1
            continue
        end = _candidate_end(text, words, index)
        if end > index + 1:
            phrase = " ".join([_nominative(head)] + [word.group(0) for word in words[index + 1 : end]])
            if phrase not in found:
                found.append(phrase)
        index = end
    return found


def _head(word: str) -> str | None:
    """The head noun `word` is a form of (`Агенције` -> `agencij`), or None."""
    return next((cut for cut in sorted(stems(word)) if cut in _HEADS), None)


def _candidate_end(text: str, words: list[re.Match[str]], index: int) -> int:
    """One past the last word of the name starting at `index`: lowercase genitives and joiners,
    state names and acronyms, ending before punctuation or a word that reads as a verb."""
    end = index + 1
    while end < len(words) and end - index < _MAX_CANDIDATE_WORDS:
        gap = text[words[end - 1].end() : words[end].start()]
        word = words[end].group(0)
        folded = ascii_fold(word).lower()
        if gap.strip() or (_VERBISH.search(folded) and folded not in _STATE_WORDS):
            break
        if word[0].isupper() and folded not in _STATE_WORDS and not word.isupper():
            break
        end += 1
    while end > index + 1 and words[end - 1].group(0).lower() in _NAME_JOINERS:
        end -= 1
    return end


def _nominative(head: str) -> str:
    """`Агенције` -> `Агенција`, `Ministarstva` -> `Ministarstvo`, `Centra` -> `Centar`."""
    cyrillic = translit.detect_script(head) == "cyrillic"
    found = _head(head) or ""
    latin = (translit.to_latin(head) if cyrillic else head)[: len(found)]  # heads have no `đ`: folding keeps the length
    nominative = latin[:-1] + "ar" if found == "centr" else latin + _HEADS[found]
    return translit.to_cyrillic(nominative) if cyrillic else nominative
