"""`sitemap.xml` with both editions as `xhtml:link` alternates. Pure: returns file contents."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

MAX_URLS = 50_000  # the sitemap protocol's limit per file
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'


@dataclass(frozen=True)
class SitemapPage:
    """One page in every edition: (hreflang, absolute URL) pairs, plus the x-default URL."""

    alternates: Sequence[tuple[str, str]]
    x_default: str


def _url_elements(page: SitemapPage) -> list[str]:
    links = "".join(
        f"    <xhtml:link rel=\"alternate\" hreflang={quoteattr(lang)} href={quoteattr(url)}/>\n"
        for lang, url in [*page.alternates, ("x-default", page.x_default)]
    )
    return [f"  <url>\n    <loc>{escape(url)}</loc>\n{links}  </url>\n" for _, url in page.alternates]


def sitemap_files(pages: Sequence[SitemapPage], absolute: Callable[[str], str], max_urls: int = MAX_URLS) -> dict[str, str]:
    """File name -> content: one `sitemap.xml`, or an index over numbered parts above `max_urls`."""
    urls = [element for page in pages for element in _url_elements(page)]
    if len(urls) <= max_urls:
        return {"sitemap.xml": _HEAD + _URLSET + "".join(urls) + "</urlset>\n"}
    files = {}
    for number, start in enumerate(range(0, len(urls), max_urls), 1):
        files[f"sitemap-{number}.xml"] = _HEAD + _URLSET + "".join(urls[start : start + max_urls]) + "</urlset>\n"
    index = "".join(f"  <sitemap><loc>{escape(absolute(name))}</loc></sitemap>\n" for name in files)
    files["sitemap.xml"] = _HEAD + '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + index + "</sitemapindex>\n"
    return files
