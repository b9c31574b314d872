"""RSS and Atom feeds (feedparser, every dialect): one item per entry, with its full content
where the feed carries it (`content:encoded`, Atom `content`), else its summary, said in a note."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ..core.errors import OgpsiteError
from ..sources.reader import LANGUAGES
from .html_markdown import html_to_markdown, needs
from .items import Item, plain_to_markdown


def read_feed(path: Path, shown: str) -> list[Item]:
    needs("feedparser")
    import feedparser

    parsed = feedparser.parse(path.read_bytes())
    if not parsed.entries:
        reason = f": {parsed.bozo_exception}" if parsed.get("bozo") else ""
        raise OgpsiteError(f"{path}: no entries found in it as a feed{reason}")
    language = source_language(parsed.feed.get("language", ""))
    return [_item(entry, f"{shown}#{index}", language) for index, entry in enumerate(parsed.entries, 1)]


def source_language(code: str) -> str:
    """`sr-Latn`, `bs-BA`, `hr` -> a language the site knows, or "" (the source does not say)."""
    language = code.replace("_", "-").split("-")[0].lower()
    return language if language in LANGUAGES else ""


def _item(entry: Any, shown: str, language: str) -> Item:
    notes = []
    if entry.get("content"):
        content = entry.content[0]
    else:
        content = entry.get("summary_detail") or {"value": entry.get("summary", ""), "type": "text/html"}
        notes.append("the feed gives only a summary of this item")
    text = content.get("value", "")
    body = plain_to_markdown(text.split("\n\n")) if content.get("type") == "text/plain" else html_to_markdown(text)
    return Item(
        input=shown,
        title=" ".join(entry.get("title", "").split()),
        body=body,
        published=_date(entry.get("published_parsed") or entry.get("updated_parsed")),
        tags=tuple(dict.fromkeys(tag.term for tag in entry.get("tags", []) if tag.get("term"))),
        source_url=entry.get("link", ""),
        language=source_language(entry.get("language", "")) or language,
        notes=notes,
    )


def _date(parsed: Any) -> date | None:
    return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday) if parsed else None
