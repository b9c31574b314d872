"""`ogpsite translit`: the site's converter on a file or stdin, streamed line by line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from ..translit import Converter, Script


def transliterate(converter: Converter, lines: Iterable[str], script: Script, out: TextIO) -> None:
    """Writes the converted lines as they come: memory stays flat whatever the input's size."""
    for chunk in converter.convert_lines(lines, script):
        out.write(chunk)


def explain(converter: Converter, lines: Iterable[str], out: TextIO) -> None:
    """Writes `LINE: WORD -> RENDERING: RULE` for every word the Cyrillic direction keeps Latin
    or splits (nj, dž as two letters), so an editor can see why and pin it if it is wrong."""
    for item in converter.explain_lines(lines):
        kept = "kept Latin" if item.rendering == item.word else item.rendering
        out.write(f"{item.line}: {item.word} -> {kept}: {item.rule}\n")
