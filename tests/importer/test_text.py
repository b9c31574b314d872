"""Plain-text import: headline, chrome, and the front matter derived from each fixture exactly."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from ogpsite.importer.derive import derive
from ogpsite.importer.text import parse_text, read_text

from .helpers import FIXTURES, import_site, matcher

EXPECTED = yaml.safe_load((FIXTURES / "text" / "expected.yml").read_text(encoding="utf-8"))
FALLBACK = date(2001, 2, 3)


@pytest.fixture(scope="module")
def site_matcher(tmp_path_factory: pytest.TempPathFactory):
    return matcher(import_site(tmp_path_factory.mktemp("site")))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_front_matter_derived_from_each_fixture(site_matcher, name: str) -> None:
    item = read_text(FIXTURES / "text" / f"{name}.txt", name)
    derived = derive(item, site_matcher, FALLBACK)
    expected = EXPECTED[name]
    assert derived.title == expected["title"]
    assert derived.date == (FALLBACK if expected["date"] == "fallback" else expected["date"])
    assert derived.place == expected["place"]
    assert derived.institutions == expected["institutions"]
    assert derived.unregistered == expected["unregistered"]
    assert derived.script == expected["script"]
    assert list(item.tags) == expected.get("tags", [])


def test_every_fixture_has_its_expected_fields() -> None:
    assert sorted(EXPECTED) == sorted(path.stem for path in (FIXTURES / "text").glob("*.txt"))


def test_chrome_above_the_headline_and_in_the_footer_is_dropped() -> None:
    item = parse_text(
        "Ime sajta Име сајта\nVijesti\n\nNaslov vijesti\n\nposted in: Arhiva | 0\n\nPrvi pasus teksta, dovoljno dug da bude pasus.\n\n"
        "Izradu ovog internet sajta omogućila je Evropska unija.\n",
        "x.txt",
    )
    assert item.title == "Naslov vijesti"
    assert item.body == "Prvi pasus teksta, dovoljno dug da bude pasus.\n"
    assert any("posted in" in note for note in item.notes)


def test_a_text_that_starts_with_a_paragraph_has_no_headline() -> None:
    item = parse_text("Sastanak je održan u Konjicu. Bio je dug.\n\nDrugi pasus.\n", "x.txt")
    assert item.title == ""
    assert item.body.startswith("Sastanak je održan u Konjicu.")


def test_plain_text_stays_plain_in_markdown() -> None:
    item = parse_text("Naslov\n\n# nije naslov, *nije* kurziv, <script>x</script> i [link]\n1. nije lista  \n", "x.txt")
    assert item.body == "\\# nije naslov, \\*nije\\* kurziv, &lt;script>x&lt;/script> i \\[link\\]\n1\\. nije lista\n"


def test_a_date_without_a_year_is_read_in_the_publication_s(site_matcher) -> None:
    item = parse_text("Tribina u Tuzli\n\nTribina je održana 28. decembra u Tuzli.\n", "x.txt")
    item.published = date(2020, 1, 3)
    derived = derive(item, site_matcher, FALLBACK)
    assert (derived.date, derived.place) == (date(2019, 12, 28), "Tuzla")
    assert "date: 28. decembra names no year; the publication's (2019) was taken" in derived.notes
    item.published = None
    assert derive(item, site_matcher, FALLBACK).date == FALLBACK
