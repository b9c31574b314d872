"""Sitemap files: alternates for both editions, and an index above the URL limit."""

from __future__ import annotations

import pytest

import ogpsite.core.sitemap
from ogpsite.core.sitemap import SitemapPage, index_of, layout, urlset


def pages(count: int) -> list[SitemapPage]:
    return [
        SitemapPage([("sr-Cyrl", f"https://e.org/cyr/{n}/"), ("sr-Latn", f"https://e.org/lat/{n}/")], f"https://e.org/cyr/{n}/")
        for n in range(count)
    ]


def test_each_edition_url_lists_both_alternates_and_x_default() -> None:
    content = urlset(pages(1))
    assert content.count("<url>") == 2
    assert content.count('hreflang="x-default"') == 2
    assert content.count('hreflang="sr-Latn" href="https://e.org/lat/0/"') == 2


def test_one_file_lists_every_page_up_to_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ogpsite.core.sitemap, "MAX_URLS", 6)
    assert layout(["home", "2014", "2014"], 2) == {"sitemap.xml": [0, 1, 2]}
    assert layout([], 2) == {"sitemap.xml": []}


def test_above_the_limit_each_part_has_files_of_its_own_and_an_index_names_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ogpsite.core.sitemap, "MAX_URLS", 4)
    parts = ["home", "2014", "2014", "2014", "2013", "tags"]
    files = layout(parts, 2)
    assert files == {"sitemap-home.xml": [0], "sitemap-2014.xml": [1, 2], "sitemap-2014-2.xml": [3], "sitemap-2013.xml": [4],
                     "sitemap-tags.xml": [5], "sitemap.xml": []}
    index = index_of(list(files)[:-1], lambda name: f"https://e.org/{name}")
    assert "<sitemapindex" in index and index.count("<sitemap>") == 5 and "https://e.org/sitemap-2014-2.xml" in index
    assert urlset(pages(2)).count("<url>") == 4  # a file of two pages holds the limit's four URLs
