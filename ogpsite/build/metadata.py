"""What a page tells search engines and link previews: its description, OpenGraph and Twitter
card tags, and schema.org JSON-LD (`NewsArticle` for a report, `BreadcrumbList` for every page
with breadcrumbs). Made in Python from edition-ready values; templates only write them out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from markupsafe import Markup

# `og:locale` wants language_TERRITORY (Facebook's list): the script is not part of it.
TERRITORY = {"sr": "sr_RS", "bs": "bs_BA", "hr": "hr_HR", "cnr": "cnr_ME"}
DESCRIPTION_LIMIT = 200  # characters; search engines cut longer ones
OG_IMAGE_WIDTH = 1200  # the width link previews ask for


class Meta(NamedTuple):
    description: str
    properties: list[tuple[str, str, str]]  # (attribute, name, content): `<meta property="og:…">`, `<meta name="twitter:…">`
    json_ld: Markup  # a JSON array for `<script type="application/ld+json">`


@dataclass(frozen=True)
class PageFacts:
    """What the tags are made of, in the page's edition."""

    title: str
    description: str
    url: str  # absolute, canonical
    site_name: str
    language: str  # `sr`, `bs`…: the page's
    lang_tag: str  # `sr-Cyrl`
    crumbs: Sequence[tuple[str, str]] = ()  # (text, absolute URL), the page last
    article: "ArticleFacts | None" = None


@dataclass(frozen=True)
class ArticleFacts:
    published: date
    modified: date | None  # `updated:`, when the report has it
    tags: Sequence[str]
    authors: Sequence[tuple[str, str]]  # (name, absolute URL) of the report's institutions, else the publisher
    publisher: str
    publisher_url: str
    image: tuple[str, int, int, str] | None = None  # (absolute URL, width, height, alt)


def shorten(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """`text` cut at a word boundary to `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:–-") + " …"


def page_meta(facts: PageFacts) -> Meta:
    description = shorten(facts.description)
    article = facts.article
    properties = [
        ("property", "og:type", "article" if article else "website"),
        ("property", "og:title", facts.title),
        ("property", "og:url", facts.url),
        ("property", "og:site_name", facts.site_name),
        ("property", "og:locale", TERRITORY.get(facts.language, "sr_RS")),
    ]
    if description:
        properties.append(("property", "og:description", description))
    image = article.image if article else None
    if image:
        url, width, height, alt = image
        properties += [("property", "og:image", url), ("property", "og:image:width", str(width)), ("property", "og:image:height", str(height))]
        if alt:
            properties.append(("property", "og:image:alt", alt))
    if article:
        properties.append(("property", "article:published_time", article.published.isoformat()))
        if article.modified:
            properties.append(("property", "article:modified_time", article.modified.isoformat()))
        properties += [("property", "article:tag", tag) for tag in article.tags]
    properties += [("name", "twitter:card", "summary_large_image" if image else "summary"), ("name", "twitter:title", facts.title)]
    if description:
        properties.append(("name", "twitter:description", description))
    if image:
        properties.append(("name", "twitter:image", image[0]))
    graph: list[dict[str, Any]] = []
    if article:
        graph.append(_news_article(facts, article, description))
    if facts.crumbs:
        graph.append(_breadcrumbs(facts.crumbs))
    return Meta(description, properties, json_ld(graph) if graph else Markup(""))


def _news_article(facts: PageFacts, article: ArticleFacts, description: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": facts.title,
        "datePublished": article.published.isoformat(),
        "dateModified": (article.modified or article.published).isoformat(),
        "inLanguage": facts.lang_tag,
        "mainEntityOfPage": {"@type": "WebPage", "@id": facts.url},
        "url": facts.url,
        "author": [{"@type": "Organization", "name": name, "url": url} for name, url in article.authors],
        "publisher": {"@type": "Organization", "name": article.publisher, "url": article.publisher_url},
    }
    if description:
        data["description"] = description
    if article.tags:
        data["keywords"] = list(article.tags)
    if article.image:
        data["image"] = [article.image[0]]
    return data


def _breadcrumbs(crumbs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": text, "item": url}
            for position, (text, url) in enumerate(crumbs, 1)
        ],
    }


def json_ld(data: object) -> Markup:
    """JSON safe inside a `<script>` element: no `</script>` or `<!--` can end it early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
