"""Search across scripts: folding (Python and the browser's JavaScript agree), records, the build step."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from ogpsite.build import search
from ogpsite.build.incremental import build
from ogpsite.build.pipeline import load
from tests.conftest import MakeSite

SEARCH_JS = Path(__file__).resolve().parents[2] / "ogpsite" / "themes" / "default" / "static" / "search.js"
WORDS = [
    "друштво", "društvo", "drustvo", "ДРУШТВО", "Ђорђевић", "Đorđević", "ЉУБЉАНА", "Njegoš", "џемпер", "Džep",
    "Ćuprija", "ćevap", "Чачак", "Шабац", "Žabalj", "Јавне консултације", "ОGP", "naïve café", "Straße", "ﬁnale",
    "Транспаренси Интернешнал", "e-uprava", "3. март 2014.",
]
REPORT = """\
    ---
    title: {title}
    date: 2014-03-05
    institutions: [{institution}]
    ---
    {body}
    """


def node_fold(words: list[str]) -> list[str]:
    """The browser's fold (search.js), run by node on `words`, with the table the build writes."""
    program = (
        "const {makeFold} = require(process.argv[1]);"
        "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "const fold = makeFold(input.table);"
        "process.stdout.write(JSON.stringify(input.words.map(fold)));"
    )
    payload = json.dumps({"table": search.fold_table(), "words": words})
    result = subprocess.run(["node", "-e", program, str(SEARCH_JS)], input=payload, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_fold_makes_both_scripts_and_plain_ascii_one_word() -> None:
    assert {search.fold(word) for word in ("друштво", "društvo", "drustvo", "ДРУШТВО")} == {"drustvo"}
    assert search.fold("Ђорђевић") == search.fold("Đorđević") == "djordjevic"


def test_the_browser_folds_queries_exactly_as_python_folds_the_index() -> None:
    every_letter = [chr(code) for first, last in ((0x00C0, 0x024F), (0x0400, 0x04FF)) for code in range(first, last + 1)]
    words = WORDS + every_letter
    assert node_fold(words) == [search.fold(word) for word in words]


def test_records_are_folded_and_aligned_word_for_word_with_both_scripts(make_site: MakeSite) -> None:
    site = make_site({
        "content/reports/2014/a.md": REPORT.format(title="Удружење грађана", institution="ГИЗ", body="Организације цивилног *друштва* из Ђурђевца."),
    })
    loaded = load(site)
    [record] = search.records(loaded.site, loaded.bodies, loaded.converter)
    folded = record.content.split(" ")
    assert folded[:5] == ["organizacije", "civilnog", "drustva", "iz", "djurdjevca."]
    for script in ("cyrillic", "latin"):
        assert len(record.meta[f"text_{script}"].split(" ")) == len(folded)
    assert record.meta["text_latin"].startswith("Organizacije civilnog društva")
    assert record.meta["title_latin"] == "Udruženje građana" and record.meta["title_cyrillic"] == "Удружење грађана"
    assert record.url == "2014/03/a/" and record.filters == {"institution": ["giz"], "year": ["2014"]}


def test_two_builds_write_identical_search_indexes(make_site: MakeSite, tmp_path: Path) -> None:
    institutions = ["ГИЗ", "UNDP", "Транспаренси", "CRTA", "Општина Ђурђевац", "KCD"]
    site = make_site({
        f"content/reports/2014/r{number}.md": REPORT.format(title=f"Извештај {number}", institution=", ".join(institutions[: number % 6 + 1]), body="Друштво.")
        for number in range(12)
    })
    for name in ("one", "two", "three"):
        build(site, tmp_path / name)
    indexes = [{p.relative_to(tmp_path / name).as_posix(): p.read_bytes() for p in sorted((tmp_path / name / "pagefind").rglob("*")) if p.is_file()} for name in ("one", "two", "three")]
    assert indexes[0] == indexes[1] == indexes[2]


def test_without_pagefind_the_build_warns_and_publishes_no_search_page(make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "available", lambda: False)
    site = make_site({"content/reports/2014/a.md": REPORT.format(title="Друштво", institution="ГИЗ", body="Текст.")})
    result = build(site, tmp_path / "out")
    assert search.MISSING_WARNING in result.warnings
    assert "pip install 'ogpsite[search]'" in str(search.MISSING_WARNING)
    assert not (tmp_path / "out" / "cyr" / "search").exists() and not (tmp_path / "out" / "pagefind").exists()
    assert "search/" not in (tmp_path / "out" / "cyr" / "index.html").read_text(encoding="utf-8")


def test_with_pagefind_every_page_links_to_the_search_page(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/reports/2014/a.md": REPORT.format(title="Друштво", institution="ГИЗ", body="Текст.")})
    build(site, tmp_path / "out")
    for page in ("cyr/index.html", "lat/2014/03/a/index.html", "lat/institutions/index.html"):
        html = (tmp_path / "out" / page).read_text(encoding="utf-8")
        edition = page.split("/")[0]
        assert f'href="/{edition}/search/"' in html and 'id="site-search-query"' in html
    assert (tmp_path / "out" / "pagefind" / "pagefind.js").is_file()


def test_a_failing_index_leaves_the_previous_output_alone(make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({"content/reports/2014/a.md": REPORT.format(title="Друштво", institution="ГИЗ", body="Текст.")})
    output = tmp_path / "out"
    build(site, output)
    before = sorted(path.relative_to(output) for path in output.rglob("*"))

    def broken(command: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 1, "", "Error: the Pagefind binary died\n")

    monkeypatch.setattr(search.subprocess, "run", broken)
    (site / "content/reports/2014/a.md").write_text(REPORT.format(title="Друштво 2", institution="ГИЗ", body="Текст."), encoding="utf-8")
    with pytest.raises(search.BuildError, match="Pagefind could not write the search index: Error: the Pagefind binary died"):
        build(site, output)
    assert sorted(path.relative_to(output) for path in output.rglob("*")) == before


def test_search_false_builds_no_index_and_no_warning(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/reports/2014/a.md": REPORT.format(title="Друштво", institution="ГИЗ", body="Текст.")}, config="base_url: https://e.org/\nsearch: false\n")
    result = build(site, tmp_path / "out")
    assert search.MISSING_WARNING not in result.warnings
    assert not (tmp_path / "out" / "pagefind").exists() and not (tmp_path / "out" / "lat" / "search").exists()
    assert "site-search-query" not in (tmp_path / "out" / "lat" / "index.html").read_text(encoding="utf-8")


def test_a_builder_that_keeps_the_index_leaves_it_until_a_refreshing_build(make_site: MakeSite, tmp_path: Path) -> None:
    from ogpsite.build.incremental import Builder

    site_dir = make_site({"content/reports/2014/a.md": REPORT.format(title="Друштво", institution="ГИЗ", body="Текст.")})
    output = tmp_path / "out"
    previewer = Builder(site_dir, output, refresh_search=False)
    previewer.build()  # the first build writes the index
    first = {p.name: p.read_bytes() for p in (output / "pagefind").rglob("*.pf_meta")}
    assert first
    (site_dir / "content/reports/2014/a.md").write_text(REPORT.format(title="Друштво", institution="ГИЗ", body="Нови текст о задругама."), encoding="utf-8")
    previewer.build()
    assert {p.name: p.read_bytes() for p in (output / "pagefind").rglob("*.pf_meta")} == first  # kept while previewing
    assert "задругама" in (output / "cyr/2014/03/a/index.html").read_text(encoding="utf-8")  # the page itself is fresh
    Builder(site_dir, output).build()  # an ordinary build sees the index is stale and rewrites it
    assert {p.name: p.read_bytes() for p in (output / "pagefind").rglob("*.pf_meta")} != first
