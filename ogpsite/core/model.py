"""The in-memory content model: reports, institutions and the site. Pure: no I/O."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from .. import translit
from ..translit import Script

# Latin letters whose ASCII spelling is not what stripping the accent gives.
_ASCII_SPELLING = str.maketrans({"đ": "dj", "Đ": "Dj", "ð": "dj", "Ð": "Dj", "ß": "ss", "æ": "ae", "ø": "o", "ł": "l"})
_NON_WORD = re.compile(r"[^a-z0-9]+")


# Institution names and tags repeat across thousands of reports: these three are memoised.
@lru_cache(maxsize=65536)
def ascii_fold(text: str) -> str:
    """Latin transliteration of `text` with diacritics dropped: `Ђорђевић` -> `Djordjevic`."""
    latin = translit.to_latin(text).translate(_ASCII_SPELLING)
    decomposed = unicodedata.normalize("NFKD", latin)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """ASCII URL slug, the same whichever script `text` is in."""
    return _NON_WORD.sub("-", ascii_fold(text).lower()).strip("-")


@lru_cache(maxsize=65536)
def merge_key(name: str) -> str:
    """Script-, case- and diacritic-insensitive key: two spellings of one name share it."""
    return " ".join(_NON_WORD.split(ascii_fold(name).lower())).strip()


@dataclass(frozen=True)
class Bilingual:
    """A text in both scripts."""

    cyrillic: str
    latin: str

    def __getitem__(self, script: Script) -> str:
        return self.cyrillic if script == "cyrillic" else self.latin


@dataclass(frozen=True)
class Institution:
    slug: str
    name: Bilingual
    acronym: Bilingual | None = None
    description: Bilingual | None = None
    registered: bool = True


class FieldLines:
    """Front-matter line of each field, keyed like `("institutions", 0)`.

    Kept packed in one string: every build unpickles tens of thousands of reports, and the
    lines are wanted only for messages. Unpacked on first use.
    """

    __slots__ = ("_packed", "_lines")
    _ENTRY, _PART = "\x1e", "\x1f"

    def __init__(self, lines: Mapping[tuple[object, ...], int] | None = None) -> None:
        entries = []
        for key, line in (lines or {}).items():
            parts = [f"{'i' if type(part) is int else 's'}{part}" for part in key]
            if not any(self._ENTRY in part or self._PART in part for part in parts):  # else: its parent's line is used
                entries.append(self._PART.join([str(line), *parts]))
        self._packed = self._ENTRY.join(entries)
        self._lines: dict[tuple[object, ...], int] | None = None

    def get(self, key: tuple[object, ...]) -> int | None:
        if self._lines is None:
            self._lines = {}
            for entry in filter(None, self._packed.split(self._ENTRY)):
                line, *parts = entry.split(self._PART)
                self._lines[tuple(int(part[1:]) if part[0] == "i" else part[1:] for part in parts)] = int(line)
        return self._lines.get(key)

    def __contains__(self, key: tuple[object, ...]) -> bool:
        return self.get(key) is not None

    def __repr__(self) -> str:
        return f"FieldLines({self._packed!r})"

    def __getstate__(self) -> str:
        return self._packed

    def __setstate__(self, packed: str) -> None:
        self._packed, self._lines = packed, None


@dataclass(frozen=True)
class Report:
    """A report as read from its Markdown file, validated."""

    source: str  # path shown in messages, relative to the site: content/reports/2014/x.md
    title: str
    date: datetime.date  # the module, not `date`: in the class body that name is this field
    slug: str
    script: Script
    language: str
    body: str  # Markdown
    body_line: int  # line of the file the body starts on
    institutions: tuple[str, ...] = ()  # names as the editor wrote them
    tags: tuple[str, ...] = ()
    place: str = ""
    summary: str = ""
    source_url: str = ""
    draft: bool = False
    attachments: tuple[str, ...] = ()  # file names next to the report, published with it
    aliases: tuple[str, ...] = ()  # old addresses below the site root (`/2014/03/old-slug/`): redirect pages
    updated: datetime.date | None = None  # when the report was last revised, if the editor says so
    # Messages name the real line of a field.
    field_lines: FieldLines = field(default_factory=FieldLines, compare=False, hash=False)

    def line(self, *key: object) -> int:
        """Line of front-matter field `key` (or of its nearest ancestor); 1, the `---` line, when absent."""
        for end in range(len(key), 0, -1):
            line = self.field_lines.get(key[:end])
            if line is not None:
                return line
        return 1

    @cached_property  # asked for by every index a report is in
    def path(self) -> str:
        """Path below an edition's root: `2014/03/slug/`."""
        return f"{self.date.year:04d}/{self.date.month:02d}/{self.slug}/"  # strftime costs 10 µs a call

    @property
    def modified(self) -> datetime.date:
        """The day of the report's last change: `updated`, else its date."""
        return self.updated or self.date


def placement(report: Report) -> str:
    """What of a report shapes the site: where it is listed and under which institutions and
    tags (which also makes its neighbours and related reports), in which language and with
    which last change (`updated`) the sitemap lists its page, and what the site's checks say
    about it (their lines too). The site model and the page plan are made from these fields alone,
    holding the reports themselves by reference: an edit to any other field (title, summary,
    place) reaches only the pages that show the report, and leaves the site's shape as it was."""
    return repr((report.source, report.date, report.slug, report.language, report.institutions, report.tags, report.updated, report.field_lines))


@dataclass(frozen=True)
class Tag:
    slug: str
    name: str  # as first written; shown transliterated


@dataclass
class Site:
    """Everything a build renders, after reading and validating."""

    reports: list[Report]  # newest first
    institutions: dict[str, Institution] = field(default_factory=dict)  # by slug
    report_institutions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # report source -> slugs
    tags: dict[str, Tag] = field(default_factory=dict)  # by slug
    report_tags: dict[str, tuple[str, ...]] = field(default_factory=dict)  # report source -> tag slugs
