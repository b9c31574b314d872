"""Saved HTML pages: the article found among the menus and footers (trafilatura), its title
and date from the page's metadata (htmldate), its old address from the canonical link or the
browser's `saved from url` comment."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .feed import source_language
from .html_markdown import html_to_markdown, needs
from .items import Item, aliases_of, free_name

_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(?P<url>\S+?)\s*-->", re.IGNORECASE)
_HTML_LANG = re.compile(r"<html[^>]*\blang=[\"']?(?P<lang>[\w-]+)", re.IGNORECASE)


def read_html(path: Path, shown: str) -> Item:
    """One saved page as an item; the files it links from beside it (`Page_files/photo.jpg`,
    as a browser saves them) become the report's attachments."""
    needs("trafilatura", "htmldate", "lxml")
    import trafilatura
    from htmldate import find_date
    from lxml import html as lxml_html

    page = path.read_bytes().decode("utf-8", errors="replace")
    notes: list[str] = []
    metadata = trafilatura.extract_metadata(page)
    address = (metadata.url if metadata and metadata.url else "") or _saved_from(page)
    # No `url=`: trafilatura would make links absolute, and the files saved beside the page
    # are found by their relative links.
    article = trafilatura.extract(page, output_format="html", include_images=True, include_links=True,
                                  include_comments=False, favor_precision=True)
    if not article:
        notes.append("no article found on the page: its whole text was taken")
        article = trafilatura.html2txt(page)
    found = find_date(page, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    language = _HTML_LANG.search(page)
    attachments: dict[str, Path] = {}
    tree = _without_title(article, metadata.title if metadata else "")
    _attach_saved_files(tree, path.parent, attachments)
    return Item(
        input=shown,
        title=" ".join((metadata.title if metadata and metadata.title else "").split()),
        body=html_to_markdown(lxml_html.tostring(tree, encoding="unicode")),
        attachments=attachments,
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


def _without_title(article: str, title: str | None) -> Any:
    """The article (as a tree) without a first heading that repeats the title: the front matter has it."""
    from lxml import html as lxml_html

    if not article.strip():  # a page with no text at all: lxml refuses an empty document
        return lxml_html.fragment_fromstring("<div></div>")
    tree = lxml_html.fromstring(article)
    heading = next(iter(tree.xpath("(//h1|//h2|//h3)[1]")), None)
    if title and heading is not None and " ".join(heading.text_content().split()) == " ".join(title.split()):
        heading.drop_tree()
    return tree


def _attach_saved_files(tree: Any, folder: Path, attachments: dict[str, Path]) -> None:
    """Links to files saved beside the page, taken along and linked by their name in the bundle."""
    for element, attribute in [(img, "src") for img in tree.iter("img")] + [(a, "href") for a in tree.iter("a")]:
        link = element.get(attribute) or ""
        parts = urlsplit(link)
        if not link or parts.scheme or parts.netloc or link.startswith(("/", "#")):
            continue
        file = (folder / unquote(parts.path)).resolve()
        if not file.is_file() or not file.is_relative_to(folder.resolve()):
            continue
        name = next((taken for taken, source in attachments.items() if source == file), None) or free_name(file.name, attachments)
        attachments[name] = file
        element.set(attribute, name)
