"""Sitemap files: alternates for both editions, and an index above the URL limit."""

from __future__ import annotations

import pytest

import ogpsite.core.sitemap
from ogpsite.core.sitemap import SitemapPage, file_names, sitemap_files


def pages(count: int) -> list[SitemapPage]:
    return [
        SitemapPage([("sr-Cyrl", f"https://e.org/cyr/{n}/"), ("sr-Latn", f"https://e.org/lat/{n}/")], f"https://e.org/cyr/{n}/")
        for n in range(count)
    ]


def test_each_edition_url_lists_both_alternates_and_x_default() -> None:
    (content,) = sitemap_files(pages(1), lambda name: f"https://e.org/{name}").values()
    assert content.count("<url>") == 2
    assert content.count('hreflang="x-default"') == 2
    assert content.count('hreflang="sr-Latn" href="https://e.org/lat/0/"') == 2


def test_splits_into_an_index_above_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ogpsite.core.sitemap, "MAX_URLS", 4)
    files = sitemap_files(pages(3), lambda name: f"https://e.org/{name}")
    assert list(files) == file_names(6) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]
    assert "<sitemapindex" in files["sitemap.xml"] and "https://e.org/sitemap-2.xml" in files["sitemap.xml"]
    assert files["sitemap-1.xml"].count("<url>") == 4 and files["sitemap-2.xml"].count("<url>") == 2


def test_file_names_match_the_files_written_at_every_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ogpsite.core.sitemap, "MAX_URLS", 4)
    for count in range(0, 7):
        assert list(sitemap_files(pages(count), lambda name: f"https://e.org/{name}")) == file_names(2 * count)
