"""`ogpsite import`: reports written into a site that then checks strictly and builds; a second
run changes nothing; nothing is ever overwritten."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from PIL import Image

from ogpsite.sources.reader import discover, read_report
from tests.audit import TODAY, built_and_served, crawl, redirect_problems
from tests.importer.helpers import FIXTURES, import_site, ogpsite

COLUMNS = ["input", "report", "status", "title", "date", "date_from", "place", "institutions", "unregistered", "script", "tags", "aliases", "notes"]


def texts(tmp_path: Path) -> Path:
    folder = tmp_path / "pasted"
    shutil.copytree(FIXTURES / "text", folder, ignore=shutil.ignore_patterns("*.yml"))
    return folder


def test_text_import_writes_reports_that_check_and_build(tmp_path: Path) -> None:
    site, pasted = import_site(tmp_path / "site"), texts(tmp_path)
    result = ogpsite("import", "--from", "text", str(pasted), "--report", str(tmp_path / "r.csv"), "--site", str(site))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "11 written"
    written = sorted(path.relative_to(site).as_posix() for path in (site / "content/reports").rglob("*.md"))
    assert "content/reports/2019/radionica-o-otvorenim-podacima-u-kotoru.md" in written and len(written) == 11
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8")))
    assert list(rows[0]) == COLUMNS
    kotor = next(row for row in rows if row["input"].endswith("kotor-radionica.txt"))
    assert (kotor["report"], kotor["date"], kotor["place"], kotor["date_from"]) == (
        "content/reports/2019/radionica-o-otvorenim-podacima-u-kotoru.md", "2019-06-12", "Котор", "text",
    )
    assert kotor["institutions"] == "Министарство јавне управе; Заједница општина Црне Горе; Институт алтернатива; Програм Уједињених нација за развој"
    assert "posted in" in kotor["notes"]
    text = (site / kotor["report"]).read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Радионица о отвореним подацима у Котору\ndate: 2019-06-12\ninstitutions:\n- Министарство јавне управе\n")
    assert "posted in" not in text

    check = ogpsite("check", "--strict", "--site", str(site))
    assert check.exit_code == 0, check.output
    build = ogpsite("build", "--no-search", "--quiet", "--site", str(site))
    assert build.exit_code == 0, build.output
    page = site / "output/cyr/2019/06/radionica-o-otvorenim-podacima-u-kotoru/index.html"
    assert "Институт алтернатива" in page.read_text(encoding="utf-8")


def test_a_second_run_changes_nothing_and_says_so(tmp_path: Path) -> None:
    site, pasted = import_site(tmp_path / "site"), texts(tmp_path)
    assert ogpsite("import", str(pasted), "--site", str(site)).exit_code == 0
    before = {path: path.read_bytes() for path in (site / "content").rglob("*") if path.is_file()}
    again = ogpsite("import", str(pasted), "--site", str(site))
    assert again.exit_code == 0
    assert again.output.splitlines()[-1] == "nothing to do: all 11 item(s) were imported before and are unchanged"
    assert {path: path.read_bytes() for path in (site / "content").rglob("*") if path.is_file()} == before


def test_an_existing_report_is_never_overwritten(tmp_path: Path) -> None:
    site = import_site(tmp_path / "site")
    mine = site / "content/reports/2019/radionica-o-otvorenim-podacima-u-kotoru.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("---\ntitle: Моја\ndate: 2019-06-12\n---\nМој текст.\n", encoding="utf-8")
    result = ogpsite("import", str(FIXTURES / "text/kotor-radionica.txt"), "--site", str(site))
    assert result.exit_code == 0, result.output
    assert mine.read_text(encoding="utf-8").endswith("Мој текст.\n")
    assert (mine.parent / "radionica-o-otvorenim-podacima-u-kotoru-2.md").exists()
    assert ogpsite("check", "--strict", "--site", str(site)).exit_code == 0


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    site = import_site(tmp_path / "site")
    result = ogpsite("import", "--dry-run", str(FIXTURES / "text/kotor-radionica.txt"), "--report", str(tmp_path / "r.csv"), "--site", str(site))
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "1 would write"
    assert not (site / "content/reports").exists()
    (row,) = csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8"))
    assert (row["report"], row["place"]) == ("", "Котор")


def test_an_input_of_unknown_kind_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    site = import_site(tmp_path / "site")
    (tmp_path / "notes.doc").write_bytes(b"x")
    result = ogpsite("import", str(tmp_path / "notes.doc"), "--site", str(site))
    assert result.exit_code == 1
    assert "cannot tell what it is from its name: give --from wxr|feed|html|text" in result.output


WXR = FIXTURES / "wxr"


@pytest.mark.parametrize("mount", ["/", "/repo/"])
def test_a_wordpress_export_builds_and_every_old_permalink_redirects_to_its_report(tmp_path: Path, mount: str) -> None:
    site = import_site(tmp_path / "site")
    result = ogpsite("import", str(WXR / "export.xml"), "--uploads", str(WXR / "uploads"), "--no-fetch", "--report", str(tmp_path / "r.csv"), "--site", str(site))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "24 written"
    check = ogpsite("check", "--strict", "--site", str(site))
    assert check.exit_code == 0, check.output
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8")))
    bundle = site / "content/reports/2014/radionica-ogp-konjic"
    assert sorted(path.name for path in bundle.iterdir()) == ["index.md", "radionica-konjic.png"]
    with built_and_served(site, mount, tmp_path / "served") as (origin, public_url, output):
        expected = {}
        sources = {source.shown: source for source in discover(site)}
        for row in rows:
            report, _ = read_report(sources[row["report"]], TODAY)
            if row["aliases"] and not report.draft:
                expected.update((origin + mount + quote(alias[1:]), report.path) for alias in row["aliases"].split())
        audit = crawl(origin, mount, public_url, tuple(expected))
    assert len(expected) == 22  # 24 items, less a `?p=121` permalink and a draft
    assert audit.failures == []
    assert redirect_problems(audit, origin, expected) == []
    # The upload is published as the same picture (re-encoded without its metadata: build.images).
    with Image.open(output / "cyr/2014/03/radionica-ogp-konjic/radionica-konjic.png") as published, Image.open(WXR / "uploads/2014/03/radionica-konjic.png") as upload:
        assert published.size == upload.size and published.convert("RGBA").tobytes() == upload.convert("RGBA").tobytes()


def test_a_missing_library_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: None if name == "lxml" else real(name, *args))
    result = ogpsite("import", str(WXR / "export.xml"), "--site", str(import_site(tmp_path / "site")))
    assert result.exit_code == 1
    assert "this kind of import needs lxml: install it with pip install 'ogpsite[import]'" in result.output


def test_feeds_and_saved_pages_import_check_strictly_and_build(tmp_path: Path) -> None:
    site = import_site(tmp_path / "site")
    result = ogpsite("import", str(FIXTURES / "feeds"), str(FIXTURES / "pages"), "--report", str(tmp_path / "r.csv"), "--site", str(site))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "6 written"
    rows = {row["input"].rpartition("/")[2]: row for row in csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8"))}
    assert sorted(rows) == ["novosti.atom#1", "sastanak-zenica.html", "tribina-kraljevo.html", "vijesti.rss#1", "vijesti.rss#2", "vijesti.rss#3"]
    assert rows["sastanak-zenica.html"]["aliases"] == "/novosti/2018/sastanak-zenica.html"
    assert ogpsite("check", "--strict", "--site", str(site)).exit_code == 0
    assert ogpsite("build", "--no-search", "--quiet", "--site", str(site)).exit_code == 0
    assert (site / "output/novosti/2018/sastanak-zenica.html").read_text(encoding="utf-8").count("/cyr/2018/03/") >= 2


def test_a_word_mixing_scripts_is_written_in_one(tmp_path: Path) -> None:
    site = import_site(tmp_path / "site")
    pasted = tmp_path / "x.txt"
    pasted.write_text("Недеља ОГП у Котору\n\nИницијатива (енг. Open Government Partnership – \u041eGP) одржана је 5. марта 2019. у Котору.\n", encoding="utf-8")
    result = ogpsite("import", str(pasted), "--report", str(tmp_path / "r.csv"), "--site", str(site))
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8"))
    assert "written in one script: \u041eGP" in row["notes"]
    assert "Partnership – OGP)" in (site / row["report"]).read_text(encoding="utf-8")
    assert ogpsite("check", "--strict", "--site", str(site)).exit_code == 0


def test_unregistered_institutions_join_the_front_matter_only_when_asked(tmp_path: Path) -> None:
    site = import_site(tmp_path / "site")
    source = FIXTURES / "text/mostar-konferencija.txt"
    assert ogpsite("import", str(source), "--dry-run", "--report", str(tmp_path / "a.csv"), "--site", str(site)).exit_code == 0
    (row,) = csv.DictReader((tmp_path / "a.csv").open(encoding="utf-8"))
    assert (row["institutions"], row["unregistered"]) == ("Transparency International", "Ministarstvo finansija i trezora BiH")
    assert ogpsite("import", str(source), "--add-unregistered", "--site", str(site)).exit_code == 0
    text = (site / "content/reports/2020/konferencija-o-transparentnosti-budzeta-u-mostaru.md").read_text(encoding="utf-8")
    assert "institutions:\n- Transparency International\n- Ministarstvo finansija i trezora BiH\n" in text


def test_a_folder_that_is_no_site_is_refused(tmp_path: Path) -> None:
    result = ogpsite("import", str(FIXTURES / "text/kotor-radionica.txt"), "--site", str(tmp_path))
    assert result.exit_code == 1
    assert "is not a site (no ogpsite.yml, no content/)" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_slug_an_existing_report_chose_is_not_taken_again(tmp_path: Path) -> None:
    site = import_site(tmp_path / "site")
    mine = site / "content/reports/2019/moj-izvjestaj.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("---\ntitle: Моја\ndate: 2019-06-12\nslug: radionica-o-otvorenim-podacima-u-kotoru\n---\nМој текст.\n", encoding="utf-8")
    assert ogpsite("import", str(FIXTURES / "text/kotor-radionica.txt"), "--site", str(site)).exit_code == 0
    assert (mine.parent / "radionica-o-otvorenim-podacima-u-kotoru-2.md").exists()
    assert ogpsite("check", "--strict", "--site", str(site)).exit_code == 0


def test_control_characters_pasted_in_are_dropped(tmp_path: Path) -> None:
    site = import_site(tmp_path / "site")
    pasted = tmp_path / "x.txt"
    pasted.write_text("Tribina u Tuzli\n\nTribina je održana\x0c 5. marta 2019.\x07 u Tuzli.\n", encoding="utf-8")
    result = ogpsite("import", str(pasted), "--report", str(tmp_path / "r.csv"), "--site", str(site))
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8"))
    assert "dropped 2 control character(s)" in row["notes"]
    assert "Tribina je održana 5. marta 2019. u Tuzli." in (site / row["report"]).read_text(encoding="utf-8")
    check = ogpsite("check", "--strict", "--site", str(site))
    assert check.exit_code == 0, check.output


def test_downloaded_attachments_are_written_and_their_copies_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import http.server
    import tempfile
    import threading
    from functools import partial

    served = tmp_path / "served"
    shutil.copytree(WXR / "uploads", served / "wp-content/uploads")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    try:
        export = (WXR / "export.xml").read_text(encoding="utf-8").replace("https://stara-arhiva.example.org", f"http://127.0.0.1:{server.server_port}")
        (tmp_path / "export.xml").write_text(export, encoding="utf-8")
        site = import_site(tmp_path / "site")
        result = ogpsite("import", str(tmp_path / "export.xml"), "--site", str(site))
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    bundle = site / "content/reports/2019/radionica-kotor"
    assert (bundle / "vodic-otvoreni-podaci.pdf").read_bytes() == (WXR / "uploads/2019/06/vodic-otvoreni-podaci.pdf").read_bytes()
    assert list((tmp_path / "tmp").iterdir()) == []
