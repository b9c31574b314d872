"""What every reader makes of one input item, before any front matter is derived."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from ..sources.reader import alias_path


@dataclass
class Item:
    """One report-to-be: its text and what the source itself says about it."""

    input: str  # as shown in the CSV: the path, or `path#n` for the n-th item of an export or feed
    title: str  # "" when the source has none: derived from the text
    body: str  # Markdown
    published: date | None = None  # the source's publication date
    slug: str = ""  # the source's own (WordPress post_name), when ASCII-clean
    tags: tuple[str, ...] = ()
    source_url: str = ""
    aliases: tuple[str, ...] = ()  # old addresses, as paths below the site root
    draft: bool = False
    language: str = ""  # only when the source says so
    attachments: dict[str, Path] = field(default_factory=dict)  # file name in the bundle -> local file
    notes: list[str] = field(default_factory=list)


# What would start a heading, quote or list: `#`, `>`, `-`, `+`, `*`, or the `.` of `1.`.
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+*-])(?=\s)|^(\s*\d+)([.)])(?=\s)")
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]])")


def plain_to_markdown(paragraphs: list[str]) -> str:
    """Plain-text paragraphs as Markdown that renders as the same text: markup characters escaped,
    `<` written as an entity, lines' trailing spaces (a Markdown line break) dropped."""
    out = []
    for paragraph in paragraphs:
        lines = []
        for line in paragraph.split("\n"):
            line = _MARKDOWN_INLINE.sub(r"\\\1", line.rstrip()).replace("<", "&lt;")
            lines.append(_MARKDOWN_LINE_START.sub(lambda m: f"{m[1] or m[3] or ''}\\{m[2] or m[4]}", line))
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def aliases_of(address: str, notes: list[str]) -> tuple[str, ...]:
    """The path of an item's old address as its alias, when a static site can answer it (else
    a note says why not)."""
    if not address:
        return ()
    parts = urlsplit(address)
    alias, problem = alias_path(parts.path + (f"?{parts.query}" if parts.query else ""))
    if alias is None:
        notes.append(f"old address {address} gets no redirect: it {problem}")
        return ()
    return (alias,)


def free_name(name: str, taken: Mapping[str, object]) -> str:
    """`name`, or `name-2.ext`, `name-3.ext` … when a bundle already has a file of that name."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{stem}-{number}{dot}{suffix}", number + 1
    return candidate
