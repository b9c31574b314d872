"""`sitemap.xml` with both editions as `xhtml:link` alternates. Pure: returns file contents."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

MAX_URLS = 50_000  # the sitemap protocol's limit per file
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
    # A large site's sitemap is rewritten whenever a list page's date moves (a tag edit at
    # 20,000 reports: 70,000 URLs): each URL is escaped once, for the attributes, and that
    # serves as its `<loc>` text too unless escaping changed it; the few language tags are memoised.
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


def file_names(url_count: int) -> list[str]:
    """The files `sitemap_files` writes for `url_count` URLs: `sitemap.xml` last."""
    parts = -(-url_count // MAX_URLS)
    return ["sitemap.xml"] if parts <= 1 else [*(f"sitemap-{number}.xml" for number in range(1, parts + 1)), "sitemap.xml"]


def sitemap_files(pages: Sequence[SitemapPage], absolute: Callable[[str], str]) -> dict[str, str]:
    """File name -> content: one `sitemap.xml`, or an index over numbered parts above `MAX_URLS`."""
    urls = [element for page in pages for element in _url_elements(page)]
    *parts, index_name = file_names(len(urls))
    if not parts:
        return {index_name: _HEAD + _URLSET + "".join(urls) + "</urlset>\n"}
    files = {}
    for name, start in zip(parts, range(0, len(urls), MAX_URLS)):
        files[name] = _HEAD + _URLSET + "".join(urls[start : start + MAX_URLS]) + "</urlset>\n"
    index = "".join(f"  <sitemap><loc>{escape(absolute(name))}</loc></sitemap>\n" for name in files)
    files[index_name] = _HEAD + '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + index + "</sitemapindex>\n"
    return files
