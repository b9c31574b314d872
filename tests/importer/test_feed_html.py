"""RSS/Atom feeds and saved HTML pages: full content, metadata, the article without the menus."""

from __future__ import annotations

from datetime import date

import pytest

from ogpsite.importer.derive import derive
from ogpsite.importer.feed import read_feed
from ogpsite.importer.html import read_html

from .helpers import FIXTURES, import_site, matcher


@pytest.fixture(scope="module")
def site_matcher(tmp_path_factory: pytest.TempPathFactory):
    return matcher(import_site(tmp_path_factory.mktemp("site")))


def test_an_rss_feed_gives_each_item_with_its_full_content() -> None:
    items = read_feed(FIXTURES / "feeds/vijesti.rss", "vijesti.rss")
    assert [item.input for item in items] == ["vijesti.rss#1", "vijesti.rss#2", "vijesti.rss#3"]
    first = items[0]
    assert (first.title, first.published, first.tags, first.language) == (
        "Radionica o otvorenim podacima u Tuzli", date(2019, 6, 14), ("Vijesti", "otvoreni podaci"), "bs",
    )
    assert first.source_url == "https://mreza.example.org/vijesti/radionica-tuzla/"
    assert first.body == "Radionica o otvorenim podacima održana je 13. juna 2019. godine u Tuzli. Radionicu je vodio **Centar za istraživačko novinarstvo**.\n\nUčesnici su izradili popis skupova podataka.\n"
    assert first.notes == [] and first.aliases == ()
    assert items[2].notes == ["the feed gives only a summary of this item"]


def test_an_atom_feed_and_its_language(site_matcher) -> None:
    (item,) = read_feed(FIXTURES / "feeds/novosti.atom", "novosti.atom")
    assert (item.title, item.published, item.tags, item.language) == ("Обука у Херцег Новом", date(2021, 6, 4), ("обука",), "sr")
    derived = derive(item, site_matcher, date(2000, 1, 1))
    assert (derived.date, derived.place, derived.institutions) == (date(2021, 6, 3), "Херцег Нови", ["Заједница општина Црне Горе"])


@pytest.mark.parametrize(
    ("name", "event", "place", "institutions"),
    [
        ("vijesti.rss#1", date(2019, 6, 13), "Tuzla", ["Centar za istraživačko novinarstvo"]),
        ("vijesti.rss#2", date(2019, 8, 30), "Бања Лука", ["Савез општина и градова Републике Српске"]),
        ("vijesti.rss#3", date(2019, 10, 1), "Mostar", []),  # only a deadline in the text: the publication date
    ],
)
def test_front_matter_of_each_feed_item(site_matcher, name: str, event: date, place: str, institutions: list[str]) -> None:
    items = {item.input: item for item in read_feed(FIXTURES / "feeds/vijesti.rss", "vijesti.rss")}
    derived = derive(items[name], site_matcher, date(2000, 1, 1))
    assert (derived.date, derived.place, derived.institutions) == (event, place, institutions)


def test_a_saved_page_gives_its_article_not_its_menus() -> None:
    item = read_html(FIXTURES / "pages/sastanak-zenica.html", "sastanak-zenica.html")
    assert item.title == "Sastanak o budžetu za građane u Zenici"
    assert item.published == date(2018, 3, 22)
    assert item.language == "bs"
    assert item.source_url == "https://udruzenje.example.org/novosti/2018/sastanak-zenica.html"
    assert item.aliases == ("/novosti/2018/sastanak-zenica.html",)
    assert item.body.startswith("Sastanak o budžetu za građane održan je 21. marta 2018. godine u Zenici.")
    for chrome in ("Početna", "Kategorije", "Tribina u Visokom", "Sva prava zadržana", "Impresum"):
        assert chrome not in item.body


def test_files_saved_beside_a_page_are_its_attachments() -> None:
    item = read_html(FIXTURES / "pages/sastanak-zenica.html", "sastanak-zenica.html")
    saved = FIXTURES / "pages/sastanak-zenica_files"
    assert item.attachments == {"ucesnici.png": saved / "ucesnici.png", "prijedlozi.pdf": saved / "prijedlozi.pdf"}
    assert "![Učesnici sastanka](ucesnici.png)" in item.body
    assert "[dokumentu](prijedlozi.pdf)" in item.body
    assert "[stranici o budžetu](https://udruzenje.example.org/budzet/)" in item.body  # not a saved file: as it was


def test_a_saved_page_with_a_canonical_address(site_matcher) -> None:
    item = read_html(FIXTURES / "pages/tribina-kraljevo.html", "tribina-kraljevo.html")
    assert item.aliases == ("/vesti/tribina-kraljevo/",)
    assert "Почетна" not in item.body and "Европска унија" not in item.body
    derived = derive(item, site_matcher, date(2000, 1, 1))
    assert (derived.title, derived.date, derived.place, derived.institutions) == (
        "Трибина о учешћу младих у Краљеву", date(2020, 10, 10), "Краљево", ["Стална конференција градова и општина"],
    )


def test_a_saved_page_with_no_text_gives_an_empty_report_not_a_traceback(tmp_path) -> None:
    page = tmp_path / "prazna.html"
    page.write_text("<html><body></body></html>", encoding="utf-8")
    item = read_html(page, "prazna.html")
    assert item.body.strip() == ""
    assert "no article found on the page: its whole text was taken" in item.notes
