"""WordPress exports: posts, pages and drafts, WordPress's HTML, attachments, permalinks."""

from __future__ import annotations

import http.server
import threading
from datetime import date
from functools import partial
from pathlib import Path

import pytest
import yaml

from ogpsite.importer.derive import derive
from ogpsite.importer.html_markdown import html_to_markdown
from ogpsite.importer.wxr import read_wxr, wordpress_html

from .helpers import FIXTURES, import_site, matcher

WXR = FIXTURES / "wxr"
EXPECTED = yaml.safe_load((WXR / "expected.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def items():
    return {item.input.rpartition("#")[2]: item for item in read_wxr(WXR / "export.xml", "export.xml", WXR / "uploads")}


def test_posts_pages_and_drafts_but_no_revisions_menus_trash_or_attachments(items) -> None:
    assert sorted(items) == [str(number) for number in range(101, 125)]
    assert [number for number, item in items.items() if item.draft] == ["123"]


def test_title_date_slug_tags_source_and_permalink_alias(items) -> None:
    item = items["101"]
    assert (item.title, item.published, item.slug) == ("Radionica o Partnerstvu za otvorenu vlast u Konjicu", date(2014, 3, 6), "radionica-ogp-konjic")
    assert item.tags == ("Vijesti", "OGP", "radionica")
    assert item.source_url == "https://stara-arhiva.example.org/2014/03/radionica-ogp-konjic/"
    assert item.aliases == ("/2014/03/radionica-ogp-konjic/",)
    assert item.language == "bs"  # the export's <language>bs-BA</language>
    assert items["122"].tags == ()  # `Uncategorized` is no topic


def test_a_cyrillic_permalink_is_decoded_and_the_slug_is_ascii(items) -> None:
    assert items["103"].aliases == ("/2015/02/обука-у-бањој-луци/",)
    assert items["103"].slug == "obuka-u-banjoj-luci"


def test_a_plain_permalink_gets_no_alias_and_a_note(items) -> None:
    assert items["121"].aliases == ()
    assert any("?p=121 gets no redirect" in note for note in items["121"].notes)


def test_attachments_in_their_original_size_with_links_rewritten(items) -> None:
    item = items["101"]
    assert sorted(item.attachments) == ["radionica-konjic.png"]
    assert item.attachments["radionica-konjic.png"].read_bytes() == (WXR / "uploads/2014/03/radionica-konjic.png").read_bytes()
    assert item.body.startswith("![Učesnici radionice u Konjicu](radionica-konjic.png)\n\n*Učesnici radionice u Konjicu*\n\n")
    kotor = items["106"]
    assert sorted(kotor.attachments) == ["ucesnici-kotor.png", "vodic-otvoreni-podaci.pdf"]
    assert "[водич (PDF)](vodic-otvoreni-podaci.pdf)" in kotor.body
    assert "wp-content" not in kotor.body


def test_paragraphs_and_line_breaks_as_wordpress_makes_them() -> None:
    html = wordpress_html("Prvi red\ndrugi red\n\n<ul>\n<li>stavka</li>\n</ul>\n\nPasus [gallery ids=\"1,2\"] dalje.")
    assert html == "<p>Prvi red<br />\ndrugi red</p>\n<ul>\n<li>stavka</li>\n</ul>\n<p>Pasus  dalje.</p>"
    assert html_to_markdown(html) == "Prvi red  \ndrugi red\n\n- stavka\n\nPasus dalje.\n"


def test_a_caption_shortcode_becomes_a_figure_with_its_caption() -> None:
    html = wordpress_html('[caption id="a1" width="300"]<img src="x.png" alt="" /> Potpis slike[/caption]')
    assert html == '<figure><img src="x.png" alt="" /><figcaption>Potpis slike</figcaption></figure>'
    assert html_to_markdown(html) == "![Potpis slike](x.png)\n\n*Potpis slike*\n"


def test_a_missing_attachment_is_a_note_and_the_link_stays(tmp_path: Path) -> None:
    (item,) = [item for item in read_wxr(WXR / "export.xml", "x", tmp_path) if item.input.endswith("#106")]
    assert item.attachments == {}
    assert "attachment not found: https://stara-arhiva.example.org/wp-content/uploads/2019/06/vodic-otvoreni-podaci.pdf" in item.notes
    assert "https://stara-arhiva.example.org/wp-content/uploads/2019/06/vodic-otvoreni-podaci.pdf" in item.body


def test_an_attachment_not_in_uploads_is_fetched_from_its_address(tmp_path: Path) -> None:
    served = tmp_path / "served/wp-content/uploads/2019/06"
    served.mkdir(parents=True)
    (served / "vodic-otvoreni-podaci.pdf").write_bytes(b"%PDF-1.4 fetched\n")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "served"))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        (tmp_path / "downloads").mkdir()
        export = (WXR / "export.xml").read_text(encoding="utf-8").replace("https://stara-arhiva.example.org", f"http://127.0.0.1:{server.server_port}")
        (tmp_path / "export.xml").write_text(export, encoding="utf-8")
        (item,) = [item for item in read_wxr(tmp_path / "export.xml", "x", tmp_path / "empty", downloads=tmp_path / "downloads") if item.input.endswith("#106")]
    finally:
        server.shutdown()
        server.server_close()
    assert item.attachments["vodic-otvoreni-podaci.pdf"].read_bytes() == b"%PDF-1.4 fetched\n"
    assert item.attachments["vodic-otvoreni-podaci.pdf"].is_relative_to(tmp_path / "downloads")
    assert "ucesnici-kotor.png" not in item.attachments  # not served: noted, not invented
    assert any(note.startswith("attachment not found:") for note in item.notes)


@pytest.fixture(scope="module")
def site_matcher(tmp_path_factory: pytest.TempPathFactory):
    return matcher(import_site(tmp_path_factory.mktemp("site")))


@pytest.mark.parametrize("post", sorted(EXPECTED))
def test_front_matter_of_each_post(items, site_matcher, post: int) -> None:
    derived = derive(items[str(post)], site_matcher, date(2000, 1, 1))
    expected = EXPECTED[post]
    assert (derived.date.isoformat(), derived.place, derived.institutions) == (str(expected["date"]), expected["place"], expected["institutions"])
