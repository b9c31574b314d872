"""End to end: the archive builds both editions with every index; failures write nothing."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from ogpsite.build import incremental, render
from ogpsite.build.incremental import build
from ogpsite.build.outdir import MARKER
from ogpsite.build.pipeline import load
from ogpsite.core.errors import BuildError
from tests.conftest import MakeSite, report

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2026, 1, 1)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own archive, built once for this module."""
    output = tmp_path_factory.mktemp("archive") / "output"
    build(REPO, output, today=TODAY)
    return output


def html_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_every_report_is_published_in_both_editions(archive: Path) -> None:
    loaded = load(REPO, today=TODAY)
    assert len(loaded.site.reports) >= 20
    for item in loaded.site.reports:
        cyrillic = html_of(archive / "cyr" / item.path / "index.html")
        latin = html_of(archive / "lat" / item.path / "index.html")
        assert f'<html lang="{item.language}-Cyrl">' in cyrillic and f'<html lang="{item.language}-Latn">' in latin
        assert f'href="/lat/{item.path}"' in cyrillic and f'href="/cyr/{item.path}"' in latin  # the script switch
        assert not re.search("[А-Яа-яЂ-џ]", re.sub(r'lang="\w+-Cyrl"[^>]*>[^<]*', "", latin.split("<main", 1)[1])), item.source


def test_every_index_exists_in_both_editions(archive: Path) -> None:
    for edition in ("cyr", "lat"):
        for page in ("index.html", "page/2/index.html", "archive/index.html", "institutions/index.html", "tags/index.html", "feed.xml", "2014/index.html", "2014/03/index.html", "institutions/giz/index.html", "institutions/giz/feed.xml", "tags/ogp/index.html"):
            assert (archive / edition / page).is_file(), f"{edition}/{page}"
    for name in ("index.html", "404.html", "sitemap.xml", "robots.txt", ".nojekyll", "static/style.css"):
        assert (archive / name).is_file(), name


def test_institution_counts_add_up(archive: Path) -> None:
    loaded = load(REPO, today=TODAY)
    listed = re.findall(r'<a href="/lat/institutions/([a-z0-9-]+)/">[^<]*</a> <span class="count">(\d+) ', html_of(archive / "lat/institutions/index.html"))
    counts = {slug: int(number) for slug, number in listed}
    assert sum(counts.values()) == sum(len(slugs) for slugs in loaded.site.report_institutions.values())
    assert set(counts) == set(loaded.site.institutions)


def test_institution_written_in_both_scripts_has_one_page(archive: Path) -> None:
    loaded = load(REPO, today=TODAY)
    spellings = {name for item in loaded.site.reports for name in item.institutions if "statisti" in name.lower() or "статисти" in name.lower()}
    assert {"Агенција за статистику БиХ", "Agencija za statistiku BiH"} <= spellings
    page = html_of(archive / "cyr/institutions/bhas/index.html")
    for item in loaded.site.reports:
        if spellings & set(item.institutions):
            assert f'href="/cyr/{item.path}"' in page
    assert not [path for path in (archive / "cyr/institutions").iterdir() if "statistik" in path.name and path.name != "bhas"]


def test_dates_and_counts_are_serbian_in_each_script(archive: Path) -> None:
    cyrillic = html_of(archive / "cyr/2014/03/radionica-ogp-konjic/index.html")
    latin = html_of(archive / "lat/2014/03/radionica-ogp-konjic/index.html")
    assert "5. март 2014." in cyrillic and "5. mart 2014." in latin
    assert re.search(r"\b2 извештаја\b", html_of(archive / "cyr/2014/03/index.html"))


def test_language_bs_sets_the_lang_of_the_report(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/reports/2014/kljuc.md": report("Trening u Ključu", extra="language: bs")})
    build(site, tmp_path / "out", today=TODAY)
    page = html_of(tmp_path / "out/cyr/2014/03/kljuc/index.html")
    assert '<html lang="bs-Cyrl">' in page and 'hreflang="bs-Latn"' in page


def test_base_url_prefixes_every_site_link(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/reports/2014/a.md": report(extra="institutions: [ГИЗ]")})
    build(site, tmp_path / "out", {"base_url": "https://owner.github.io/repo/"}, today=TODAY)
    page = html_of(tmp_path / "out/lat/2014/03/a/index.html")
    hrefs = re.findall(r'(?:href|src)="([^"]+)"', page)
    assert hrefs and all(href.startswith(("/repo/", "https://owner.github.io/repo/", "#")) for href in hrefs), hrefs
    assert '<link rel="canonical" href="https://owner.github.io/repo/lat/2014/03/a/">' in page


def test_failed_build_lists_every_error_and_leaves_output_untouched(make_site: MakeSite, tmp_path: Path) -> None:
    output = tmp_path / "out"
    good = make_site({"content/reports/2014/a.md": report()}, name="good")
    build(good, output, today=TODAY)
    before = {path: path.read_bytes() for path in output.rglob("*") if path.is_file()}
    bad = make_site({
        "content/reports/2014/a.md": report(date="2014-02-30"),
        "content/reports/2014/b.md": "---\ntitle: [\n---\n",
        "content/reports/2014/c.md": report(body="[веза](../2099/nema.md)"),
    }, name="bad")
    with pytest.raises(BuildError) as raised:
        build(bad, output, today=TODAY)
    assert [(problem.path, problem.line) for problem in raised.value.problems] == [
        ("content/reports/2014/a.md", 3), ("content/reports/2014/b.md", 3), ("content/reports/2014/c.md", 5)
    ]
    assert {path: path.read_bytes() for path in output.rglob("*") if path.is_file()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bad", "good", "out"]  # no temporary directory left


def test_two_sources_for_one_url_are_refused(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/reports/2014/a/index.md": report(), "content/reports/2014/a/index.html": "<p>x</p>"})
    with pytest.raises(BuildError) as raised:
        build(site, tmp_path / "out", today=TODAY)
    assert any("two sources for one URL" in problem.message for problem in raised.value.problems)


def test_two_sources_for_one_url_are_refused_after_a_good_build(make_site: MakeSite, tmp_path: Path) -> None:
    """The paths of a plan without collisions are not checked again; new paths are."""
    site = make_site({"content/reports/2014/a/index.md": report()})
    build(site, tmp_path / "out", today=TODAY)
    (site / "content/reports/2014/a/index.html").write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        build(site, tmp_path / "out", today=TODAY)
    assert any("two sources for one URL" in problem.message for problem in raised.value.problems)


def test_drafts_are_left_out_unless_asked_for(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/reports/2014/a.md": report(extra="draft: true")})
    build(site, tmp_path / "out", today=TODAY)
    assert not (tmp_path / "out/cyr/2014/03/a").exists()
    build(site, tmp_path / "out", drafts=True, today=TODAY)
    assert (tmp_path / "out/cyr/2014/03/a/index.html").is_file()


def test_theme_override_can_extend_the_original(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({
        "content/reports/2014/a.md": report(),
        "templates/report.html": '{% extends "theme/report.html" %}{% block content %}<p id="over">{{ ui("archive") }}</p>{{ super() }}{% endblock %}',
    })
    build(site, tmp_path / "out", today=TODAY)
    page = html_of(tmp_path / "out/lat/2014/03/a/index.html")
    assert '<p id="over">Arhiva</p>' in page and "<h1>Naslov</h1>" in page


def test_a_site_theme_of_the_same_name_overrides_the_packaged_one(make_site: MakeSite, tmp_path: Path) -> None:
    packaged = render.PACKAGE_THEMES / "default"
    assert (packaged / "templates" / "report.html").is_file()  # the wheel's copy, inside the package
    site = make_site({"content/reports/2014/a.md": report()})
    shutil.copytree(packaged, site / "themes/default")
    (site / "themes/default/templates/report.html").write_text("<p id=own>{{ report.title }}</p>\n", encoding="utf-8")
    build(site, tmp_path / "out", today=TODAY)
    assert html_of(tmp_path / "out/lat/2014/03/a/index.html") == "<p id=own>Naslov</p>\n"


def test_a_missing_theme_names_its_setting_and_where_it_looked(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/reports/2014/a.md": report()}, config="title: T\nbase_url: https://example.org/\ntheme: defualt\n")
    with pytest.raises(BuildError) as caught:
        build(site, tmp_path / "out", today=TODAY)
    assert [str(problem) for problem in caught.value.problems] == [
        f"ogpsite.yml:3: theme `defualt` not found (looked in {site}/themes/defualt/ and {render.PACKAGE_THEMES}/defualt/)"
        " (did you mean `default`?); themes available: default"
    ]


def test_without_ogpsite_yml_a_missing_theme_does_not_blame_it(make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({"content/reports/2014/a.md": report()})
    (site / "ogpsite.yml").unlink()
    monkeypatch.setattr(render, "PACKAGE_THEMES", tmp_path / "no-themes")
    with pytest.raises(BuildError) as caught:
        build(site, tmp_path / "out", today=TODAY)
    message = str(caught.value)
    assert message == f"themes/default/: theme `default` not found (looked in {site}/themes/default/ and {tmp_path}/no-themes/default/)"


def own_theme(site: Path, static: tuple[str, ...]) -> Path:
    """The packaged theme copied to the site as `themes/mine/` (chosen in ogpsite.yml) with only
    the `static` files kept (and no static/ folder when none is)."""
    theme = site / "themes/mine"
    shutil.copytree(render.PACKAGE_THEMES / "default", theme)
    for path in (theme / "static").iterdir():
        if path.name not in static:
            path.unlink()
    if not static:
        (theme / "static").rmdir()
    (site / "ogpsite.yml").write_text("title: T\nbase_url: https://example.org/\ntheme: mine\n", encoding="utf-8")
    return theme


def line_of(path: Path, needle: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_a_static_file_the_theme_lacks_is_named_at_the_template_line_that_links_to_it(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/reports/2014/a.md": report()})
    theme = own_theme(site, static=("style.css", "script.js", "search.js"))
    with pytest.raises(BuildError) as caught:
        build(site, tmp_path / "out", today=TODAY)
    line = line_of(theme / "templates/_icons.html", "static('favicon.svg')")
    assert [str(problem) for problem in caught.value.problems] == [
        f"themes/mine/templates/_icons.html:{line}: the theme folder themes/mine/ has no static/favicon.svg,"
        " which this template links to: add the file, or take `static('favicon.svg')` out of the template"
    ]
    assert not (tmp_path / "out").exists()


def test_a_theme_without_static_folder_says_so_for_each_file_its_templates_link_to(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/reports/2014/a.md": report()})
    theme = own_theme(site, static=())
    with pytest.raises(BuildError) as caught:
        build(site, tmp_path / "out", today=TODAY)
    line = line_of(theme / "templates/base.html", "static('style.css')")
    assert f"themes/mine/templates/base.html:{line}: the theme folder themes/mine/ has no static/ folder," \
        " so no static/style.css, which this template links to: add the file, or take `static('style.css')` out of the template" \
        in [str(problem) for problem in caught.value.problems]
    assert {problem.path for problem in caught.value.problems} == {"themes/mine/templates/_icons.html", "themes/mine/templates/_root.html",
                                                                  "themes/mine/templates/base.html", "themes/mine/templates/search.html"}


def test_a_theme_without_static_files_builds_when_its_templates_link_to_none(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/reports/2014/a.md": report()})
    theme = own_theme(site, static=())
    for path in (theme / "templates").iterdir():
        text = path.read_text(encoding="utf-8")
        # A call left in a comment or a raw block is text, not a link: it asks for nothing.
        path.write_text(re.sub(r"\{\{ static\(('[^']+')\) \}\}", r"{# static(\1) #}{% raw %}static(\1){% endraw %}", text), encoding="utf-8")
    build(site, tmp_path / "out", today=TODAY)
    assert "<h1>Naslov</h1>" in html_of(tmp_path / "out/lat/2014/03/a/index.html")
    assert not (tmp_path / "out/static").exists()


def test_a_site_template_linking_to_a_file_no_theme_has_is_named(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({
        "content/reports/2014/a.md": report(),
        "templates/report.html": '{% extends "theme/report.html" %}\n{% block content %}<link href="{{ static("print.css") }}">{% endblock %}',
    })
    with pytest.raises(BuildError) as caught:
        build(site, tmp_path / "out", today=TODAY)
    assert [(problem.path, problem.line) for problem in caught.value.problems] == [("templates/report.html", 2)]
    assert "has no static/print.css" in caught.value.problems[0].message


def test_cli_exit_code_and_messages(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/reports/2014/a.md": report(date="2014-02-30")})
    result = subprocess.run([sys.executable, "-m", "ogpsite", "build", "--site", str(site), "--output", str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 1
    assert "content/reports/2014/a.md:3: date 2014-02-30 does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_folder_that_is_not_a_site_is_refused_and_output_kept(tmp_path: Path) -> None:
    output = tmp_path / "out"
    (output / "keep.html").parent.mkdir()
    (output / "keep.html").write_text("old", encoding="utf-8")
    (output / MARKER).write_text("an earlier build's", encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        build(tmp_path / "missing", output, today=TODAY)
    assert "not a site: no ogpsite.yml and no content/ folder here" in str(raised.value)
    assert (output / "keep.html").read_text(encoding="utf-8") == "old"


def test_translit_works_outside_a_site(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "ogpsite", "translit", "--to", "latin", "--site", str(tmp_path)], input="Љубљана\n", capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "Ljubljana\n")


def test_a_report_body_is_let_go_once_its_chunk_of_pages_is_written(make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker rendering a large archive would otherwise hold every body it rendered, in both
    scripts, to the end: the build's largest process (issue 22, 100,000 reports)."""
    site = make_site({
        "content/reports/2014/old.md": report("Стари", "2014-03-05", "institutions: [Влада]", "Стари текст о буџету."),
        "content/reports/2014/new.md": report("Нови", "2014-04-05", "institutions: [Влада]", "Нови текст о буџету."),
    }, config="title: Т\nbase_url: https://example.org/\nfeed_entries: 1\nsearch: false\n")
    made: list[list[render.EditionRenderer]] = []
    real = incremental._renderers

    def kept(*args: object) -> list[render.EditionRenderer]:
        made.append(real(*args))  # type: ignore[arg-type]
        return made[-1]

    monkeypatch.setattr(incremental, "_renderers", kept)
    build(site, tmp_path / "out", today=TODAY)
    (renderers,) = made
    for renderer in renderers:
        held = {source: [name for name in render.ReportView.BODY_PROPERTIES if name in view.__dict__] for source, view in renderer._views.items()}
        assert held == {"content/reports/2014/old.md": [], "content/reports/2014/new.md": []}
    feed = (tmp_path / "out" / "lat" / "feed.xml").read_text(encoding="utf-8")
    assert "Novi tekst o budžetu." in feed
