"""`sitemap.xml` with both editions as `xhtml:link` alternates. Pure: returns file contents."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

MAX_URLS = 50_000  # the sitemap protocol's limit per file
INDEX_FILE = "sitemap.xml"  # what robots.txt names: the one file, or the index of a large site's
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
# Our own escaping: xml.sax.saxutils pulls in urllib.request and http.client, a tenth of a warm build's imports.
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
_URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'


def escape(text: str) -> str:
    return text.translate(_TEXT)


def quoteattr(value: str) -> str:
    return f'"{value.translate(_ATTRIBUTE)}"'


@dataclass(frozen=True)
class SitemapPage:
    """One page in every edition: (hreflang, absolute URL) pairs, plus the x-default URL."""

    alternates: Sequence[tuple[str, str]]
    x_default: str
    lastmod: str = ""  # W3C date of the page's last change; "" when unknown


def _url_elements(page: SitemapPage) -> list[str]:
    # A sitemap file is rewritten whenever a page's date in it moves (up to `MAX_URLS` URLs):
    # each URL is escaped once, for the attributes, and that serves as its `<loc>` text too
    # unless escaping changed it; the few language tags are memoised.
    escaped = {url: url.translate(_ATTRIBUTE) for _, url in page.alternates}
    if page.x_default not in escaped:
        escaped[page.x_default] = page.x_default.translate(_ATTRIBUTE)
    links = "".join(
        f"    <xhtml:link rel=\"alternate\" hreflang={_quoted_language(lang)} href=\"{escaped[url]}\"/>\n"
        for lang, url in [*page.alternates, ("x-default", page.x_default)]
    )
    lastmod = f"    <lastmod>{page.lastmod}</lastmod>\n" if page.lastmod else ""
    return [f"  <url>\n    <loc>{url if escaped[url] == url else escape(url)}</loc>\n{lastmod}{links}  </url>\n" for _, url in page.alternates]


_quoted_language = lru_cache(maxsize=None)(quoteattr)  # a site has a few language tags


def layout(parts: Sequence[str], editions: int) -> dict[str, list[int]]:
    """Which pages each sitemap file lists, by their numbers in `parts` (each page's part, in
    site order; a page is a URL in each of `editions`): `sitemap.xml` lists all up to `MAX_URLS`
    URLs. Above, each part has files of its own (`sitemap-2014.xml`, `sitemap-2014-2.xml` past
    `MAX_URLS`) and `sitemap.xml` is their index, listing no page: an edit rewrites the files of
    the parts whose pages it changes (a tag edit at 20,000 reports, 70,000 URLs: the tags' part)."""
    if len(parts) * editions <= MAX_URLS:
        return {INDEX_FILE: list(range(len(parts)))}
    grouped: dict[str, list[int]] = {}
    for number, part in enumerate(parts):
        grouped.setdefault(part, []).append(number)
    per_file = MAX_URLS // editions  # a page's URLs stay in one file
    files = {}
    for part, numbers in grouped.items():
        for count, start in enumerate(range(0, len(numbers), per_file), 1):
            files[f"sitemap-{part}.xml" if count == 1 else f"sitemap-{part}-{count}.xml"] = numbers[start : start + per_file]
    files[INDEX_FILE] = []
    return files


def urlset(pages: Sequence[SitemapPage]) -> str:
    """A sitemap file listing `pages`."""
    return _HEAD + _URLSET + "".join([element for page in pages for element in _url_elements(page)]) + "</urlset>\n"


def index_of(names: Sequence[str], absolute: Callable[[str], str]) -> str:
    """`sitemap.xml` naming the files `names` (below the site root; `absolute` makes their URLs)."""
    listed = "".join(f"  <sitemap><loc>{escape(absolute(name))}</loc></sitemap>\n" for name in names)
    return _HEAD + '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + listed + "</sitemapindex>\n"
