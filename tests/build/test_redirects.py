"""Redirect pages at old addresses: what jekyll-redirect-from writes, pointing at the report."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from ogpsite.build.incremental import Builder, build, differences
from tests.conftest import MakeSite, report

TODAY = date(2024, 1, 1)
ALIASES = "aliases:\n  - /2014/03/radionica-konjic/\n  - /arhiva/radionica.html"


def built(site: Path, base_url: str = "https://example.org/") -> Path:
    output = site / "output"
    build(site, output, {"base_url": base_url}, today=TODAY)
    return output


def test_each_alias_answers_with_a_redirect_to_the_report(make_site: MakeSite) -> None:
    output = built(make_site({"content/reports/2014/radionica.md": report(title="Радионица у Коњицу", extra=ALIASES)}))
    page = (output / "2014/03/radionica-konjic/index.html").read_text(encoding="utf-8")
    assert (output / "arhiva/radionica.html").read_text(encoding="utf-8") == page
    assert '<link rel="canonical" href="https://example.org/cyr/2014/03/radionica/">' in page
    assert '<meta http-equiv="refresh" content="0; url=/cyr/2014/03/radionica/">' in page
    assert '<script>location.replace("/cyr/2014/03/radionica/" + location.search + location.hash)</script>' in page
    assert '<meta name="robots" content="noindex">' in page
    assert re.search(r'<a href="/cyr/2014/03/radionica/">Радионица у Коњицу</a>', page)
    assert '<html lang="sr-Cyrl">' in page


def test_under_a_base_path_in_the_default_latin_edition(make_site: MakeSite) -> None:
    site = make_site(
        {"content/reports/2014/radionica.md": report(title="Радионица у Коњицу", extra=ALIASES + "\nlanguage: bs")},
        config="title: T\nbase_url: https://example.org/\ndefault_script: latin\n",
    )
    page = (built(site, "https://owner.github.io/repo/") / "2014/03/radionica-konjic/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://owner.github.io/repo/lat/2014/03/radionica/">' in page
    assert '<meta http-equiv="refresh" content="0; url=/repo/lat/2014/03/radionica/">' in page
    assert ">Radionica u Konjicu</a>" in page and "Preusmeravanje" in page
    assert '<html lang="bs-Latn">' in page


def test_an_alias_removed_takes_its_redirect_page_with_it(make_site: MakeSite) -> None:
    site = make_site({"content/reports/2014/radionica.md": report(extra=ALIASES)})
    output = built(site)
    (site / "content/reports/2014/radionica.md").write_text(report(extra="aliases: [/arhiva/radionica.html]"), encoding="utf-8")
    built(site)
    assert not (output / "2014/03/radionica-konjic/index.html").exists()
    assert (output / "arhiva/radionica.html").exists()


def test_no_redirect_page_for_a_draft(make_site: MakeSite) -> None:
    output = built(make_site({"content/reports/2014/radionica.md": report(extra=ALIASES + "\ndraft: true")}))
    assert not (output / "arhiva/radionica.html").exists()


@pytest.mark.parametrize(("old", "new"), [("aliases: [/arhiva/radionica.html]", "aliases: [/arhiva/radionica-2014.html]"),
                                          ("title: Наслов", "title: Радионица у Мостару")], ids=["alias changed", "title changed"])
def test_a_watched_edit_of_a_report_with_aliases_writes_its_redirect_pages_again(make_site: MakeSite, tmp_path: Path, old: str, new: str) -> None:
    """`serve`'s builder, told which report changed, keeps its plan of the site's other files:
    the redirect pages are made from a report's title and aliases, which place it nowhere anew."""
    source = "content/reports/2014/radionica.md"
    site = make_site({source: report(extra="aliases: [/arhiva/radionica.html]")})
    builder = Builder(site, site / "output", {"base_url": "https://example.org/"})
    builder.build(TODAY)
    builder.build(TODAY, edited=frozenset())  # from here on the plan of the other files is kept
    text = (site / source).read_text(encoding="utf-8")
    assert old in text
    (site / source).write_text(text.replace(old, new), encoding="utf-8")  # on the same line: the report is placed as it was
    builder.build(TODAY, edited=frozenset({source}))
    Builder(site, tmp_path / "clean", {"base_url": "https://example.org/"}, cache=False).build(TODAY)
    assert differences(site / "output", tmp_path / "clean") == []
