"""Saved HTML pages: the article found among the menus and footers (trafilatura), its title
and date from the page's metadata (htmldate), its old address from the canonical link or the
browser's `saved from url` comment."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from .feed import source_language
from .html_markdown import html_to_markdown, needs
from .items import Item, aliases_of

_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(?P<url>\S+?)\s*-->", re.IGNORECASE)
_HTML_LANG = re.compile(r"<html[^>]*\blang=[\"']?(?P<lang>[\w-]+)", re.IGNORECASE)


def read_html(path: Path, shown: str) -> Item:
    needs("trafilatura", "htmldate")
    import trafilatura
    from htmldate import find_date

    page = path.read_bytes().decode("utf-8", errors="replace")
    notes: list[str] = []
    metadata = trafilatura.extract_metadata(page)
    address = (metadata.url if metadata and metadata.url else "") or _saved_from(page)
    article = trafilatura.extract(page, url=address or None, output_format="html", include_images=True, include_links=True,
                                  include_comments=False, favor_precision=True)
    if not article:
        notes.append("no article found on the page: its whole text was taken")
        article = trafilatura.html2txt(page)
    found = find_date(page, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    language = _HTML_LANG.search(page)
    return Item(
        input=shown,
        title=" ".join((metadata.title if metadata and metadata.title else "").split()),
        body=html_to_markdown(_without_title(article, metadata.title if metadata else "")),
        published=date.fromisoformat(found) if found else None,
        tags=tuple(metadata.tags) if metadata and metadata.tags else (),
        source_url=address if address.startswith(("http://", "https://")) else "",
        aliases=aliases_of(address, notes),
        language=source_language(language["lang"]) if language else "",
        notes=notes,
    )


def _saved_from(page: str) -> str:
    match = _SAVED_FROM.search(page[:2000])
    return match["url"] if match else ""


def _without_title(article: str, title: str | None) -> str:
    """The article without a first heading that repeats the title (the front matter has it)."""
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(article)
    heading = next(iter(tree.xpath("(//h1|//h2|//h3)[1]")), None)
    if title and heading is not None and " ".join(heading.text_content().split()) == " ".join(title.split()):
        heading.drop_tree()
    return lxml_html.tostring(tree, encoding="unicode")
