"""Serbian Cyrillic <-> Latin transliteration.

Pure: no I/O, imports nothing from the rest of ogpsite. Every text the site shows goes
through a `Converter`; the module-level functions use one with no site dictionary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Literal

import cyrtranslit

Script = Literal["latin", "cyrillic"]

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
# Tags, comments and entities pass through the HTML variant untouched.
_HTML_TOKEN = re.compile(r"(<!--.*?-->|<[^>]*>|&[#\w]+;)", re.S)
_RAW_TEXT_TAGS = ("code", "pre", "script", "style")


class Converter:
    """Transliterates text and HTML; `dictionary` maps Cyrillic renderings to Latin ones."""

    def __init__(self, dictionary: Mapping[str, str] | None = None, split_stems: Iterable[str] = ()) -> None:
        self.dictionary = dict(dictionary or {})
        self.split_stems = tuple(split_stems)

    def to_latin(self, text: str) -> str:
        return cyrtranslit.to_latin(unicodedata.normalize("NFC", text), "sr")

    def to_cyrillic(self, text: str) -> str:
        return cyrtranslit.to_cyrillic(unicodedata.normalize("NFC", text), "sr")

    def convert(self, text: str, script: Script) -> str:
        return self.to_latin(text) if script == "latin" else self.to_cyrillic(text)

    def convert_html(self, html: str, script: Script) -> str:
        out: list[str] = []
        raw_depth = 0
        for index, piece in enumerate(_HTML_TOKEN.split(html)):
            if index % 2:
                out.append(piece)
                name = piece[1:].split(None, 1)[0].rstrip("/>").lower() if piece.startswith("<") else ""
                if name in _RAW_TEXT_TAGS:
                    raw_depth += 1
                elif name.lstrip("/") in _RAW_TEXT_TAGS and name.startswith("/"):
                    raw_depth = max(0, raw_depth - 1)
            else:
                out.append(piece if raw_depth else self.convert(piece, script))
        return "".join(out)

    def to_latin_html(self, html: str) -> str:
        return self.convert_html(html, "latin")

    def to_cyrillic_html(self, html: str) -> str:
        return self.convert_html(html, "cyrillic")


def detect_script(text: str) -> Script | None:
    """The script most letters of `text` are in; None when it has no letters."""
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    if not cyrillic and not latin:
        return None
    return "cyrillic" if cyrillic >= latin else "latin"


_default = Converter()
to_latin = _default.to_latin
to_cyrillic = _default.to_cyrillic
to_latin_html = _default.to_latin_html
to_cyrillic_html = _default.to_cyrillic_html
