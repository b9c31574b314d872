"""Characters XML and HTML cannot carry: found with their place, and removed.

C0 controls but tab, line feed and carriage return; DEL and the C1 controls; the
noncharacters U+FFFE and U+FFFF; lone surrogates (a YAML escape such as "\\ud800" makes
one). One of them in a title makes every feed that shows it ill-formed XML; in a body it
reaches the HTML. They are removed where the site's text is read, each one a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def unsafe_lines(text: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """(line, character) of each unsafe character of `text`, once per line and character."""
    seen: set[tuple[int, str]] = set()
    for match in UNSAFE.finditer(text):
        place = (first_line + text.count("\n", 0, match.start()), match.group())
        if place not in seen:
            seen.add(place)
            yield place


def cleaned(value: Any) -> Any:
    """`value` (text, or lists and mappings of it, as YAML gives them) without unsafe characters."""
    if isinstance(value, str):
        return UNSAFE.sub("", value) if UNSAFE.search(value) else value
    if isinstance(value, list):
        return [cleaned(item) for item in value]
    if isinstance(value, dict):
        return {cleaned(key): cleaned(item) for key, item in value.items()}
    return value


def described(character: str) -> str:
    """How a warning names the character: its code point, which an editor can search for."""
    return f"U+{ord(character):04X}"


def removal_message(character: str) -> str:
    return f"control character {described(character)} removed: XML and HTML cannot carry it (delete it from the file)"
