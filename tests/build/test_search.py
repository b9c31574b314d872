"""Search across scripts: folding (Python and the browser's JavaScript agree), records, the build step."""

from __future__ import annotations

import errno
import gzip
import json
import subprocess
from pathlib import Path
from typing import Any

import cbor2
import pytest

from ogpsite.build import search
from ogpsite.build.cache import BuildCache
from ogpsite.build.incremental import build
from ogpsite.build.swap import OutputTrees
from ogpsite.build.pipeline import load
from ogpsite.core import shards
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


def run_search_js(program: str, payload: object) -> object:
    """`program` run by node with search.js's exports in scope, `input` the JSON of `payload`; its JSON answer."""
    prelude = "const {makeFold, recordWords} = require(process.argv[1]); const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
    result = subprocess.run(["node", "-e", prelude + program, str(SEARCH_JS)], input=json.dumps(payload), capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def node_fold(words: list[str]) -> list[str]:
    """The browser's fold (search.js), run by node on `words`, with the table the build writes."""
    program = "process.stdout.write(JSON.stringify(input.words.map(makeFold(input.table))));"
    return run_search_js(program, {"table": search.fold_table(), "words": words})  # type: ignore[return-value]


def test_fold_makes_both_scripts_and_plain_ascii_one_word() -> None:
    assert {search.fold(word) for word in ("друштво", "društvo", "drustvo", "ДРУШТВО")} == {"drustvo"}
    assert search.fold("Ђорђевић") == search.fold("Đorđević") == "djordjevic"


def test_the_browser_folds_queries_exactly_as_python_folds_the_index() -> None:
    every_letter = [chr(code) for first, last in ((0x00C0, 0x024F), (0x0400, 0x04FF)) for code in range(first, last + 1)]
    words = WORDS + every_letter
    assert node_fold(words) == [search.fold(word) for word in words]


def test_records_are_folded_and_aligned_word_for_word_with_the_text_shown(make_site: MakeSite) -> None:
    site = make_site({
        "content/reports/2014/a.md": REPORT.format(title="Удружење грађана", institution="ГИЗ", body="Организације цивилног *друштва* из Ђурђевца."),
    })
    loaded = load(site)
    [record] = search.records(loaded.site, loaded.bodies, loaded.converter)
    folded = record.content.split(" ")
    assert folded[:5] == ["organizacije", "civilnog", "drustva", "iz", "djurdjevca."]
    shown = json.loads(gzip.decompress(record.words_file))
    assert len(shown["text"].split(" ")) == len(folded)
    assert shown["text"].startswith("Организације цивилног друштва")  # the text once, in Cyrillic, outside Pagefind's meta
    assert record.meta["words"].startswith("2014/text/") and record.meta["words"].endswith(".words")
    assert sorted(record.meta) == ["date_cyrillic", "date_latin", "title_cyrillic", "title_latin", "words"]
    assert record.meta["title_latin"] == "Udruženje građana" and record.meta["title_cyrillic"] == "Удружење грађана"
    assert record.url == "2014/03/a/" and record.filters == {"institution": ["giz"], "year": ["2014"]}


def test_the_browser_shows_each_edition_its_own_words_from_one_copy(make_site: MakeSite) -> None:
    """search.js makes a record's words in either script as the editions write them: Cyrillic as
    stored, Latin letter by letter but for the words the build lists (all caps digraphs, Latin spellings)."""
    bodies = {
        "a": "ЉУБЉАНА и Његош, Џеп у Ђурђевцу: *друштво* 3. март.",
        "b": "Djordje Balašević i Transparency International, Njegoš, LJUBLJANA, e-uprava, naïve café.",
        "c": "Ђорђе Балашевић и Transparency International о OGP-у.",
    }
    site = make_site({f"content/reports/2014/{name}.md": REPORT.format(title=name, institution="ГИЗ", body=body) for name, body in bodies.items()})
    loaded = load(site)
    made = search.records(loaded.site, loaded.bodies, loaded.converter)
    expected = {}
    for report in loaded.site.reports:
        words = search._aligned_words(loaded.site, report, search.converted_bodies(loaded.bodies[report.source], loaded.converter), loaded.converter)
        expected[report.path] = {"cyrillic": words["cyrillic"], "latin": words["latin"]}
    stored = [json.loads(gzip.decompress(record.words_file)) for record in made]
    program = "process.stdout.write(JSON.stringify(input.records.map(file => ({cyrillic: recordWords(file, 'cyrillic', input.latin), latin: recordWords(file, 'latin', input.latin)}))));"
    shown = run_search_js(program, {"records": stored, "latin": search.latin_table()})
    assert dict(zip([record.url for record in made], shown)) == expected  # type: ignore[arg-type]
    assert "LJUBLJANA" in expected["2014/03/a/"]["latin"] and "Djordje" in expected["2014/03/b/"]["latin"]
    exceptions = {record.url: file["latin"] for record, file in zip(made, stored)}
    assert "LJUBLJANA" in exceptions["2014/03/a/"] and "Njegoš" not in exceptions["2014/03/a/"]  # only what the letters miss


def test_the_index_is_a_shard_per_year_merged_into_an_empty_one_beside_the_script(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({
        "content/reports/2014/a.md": REPORT.format(title="Друштво", institution="ГИЗ", body="Текст."),
        "content/reports/2019/b.md": REPORT.format(title="Друштво", institution="ГИЗ", body="Текст.").replace("2014-03-05", "2019-03-05"),
    })
    build(site, tmp_path / "out")
    bundle = tmp_path / "out" / "pagefind"
    assert sorted(path.parent.name for path in bundle.glob("*/pagefind-entry.json")) == ["2014", "2019"]
    assert {path.name for path in bundle.iterdir() if path.is_file()} >= {"pagefind.js", "pagefind-worker.js", "wasm.sr.pagefind", "pagefind-entry.json"}
    assert not list(bundle.glob("*/pagefind.js")) and not list(bundle.rglob("wasm.unknown.pagefind"))
    primary = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]["sr"]
    assert primary["page_count"] == 0
    for year in ("2014", "2019"):
        assert json.loads((bundle / year / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]["sr"]["page_count"] == 1
        [words] = (bundle / year / "text").iterdir()
        assert json.loads(gzip.decompress(words.read_bytes()))["text"] == "Текст. ГИЗ"  # the body, then the institution
    form = (tmp_path / "out" / "lat" / "search" / "index.html").read_text(encoding="utf-8")
    assert 'data-shards="2019 2014"' in form


def test_pagefind_chunks_read_and_write_back_byte_for_byte_with_cbor2(make_site: MakeSite, tmp_path: Path) -> None:
    """The filters are put in order by decoding and encoding Pagefind's CBOR: an encoder that wrote
    other forms than Pagefind's would change every chunk it touched."""
    site = make_site({f"content/reports/2014/r{number}.md": REPORT.format(title=f"Извештај {number}", institution="ГИЗ, UNDP", body="Друштво.") for number in range(3)})
    build(site, tmp_path / "out")
    chunks = [*(tmp_path / "out" / "pagefind").rglob("*.pf_meta"), *(tmp_path / "out" / "pagefind").rglob("*.pf_filter"), *(tmp_path / "out" / "pagefind").rglob("*.pf_index")]
    assert len(chunks) >= 4
    for path in chunks:
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        assert cbor2.dumps(cbor2.loads(data)) == data, path.name


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

    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: the Pagefind binary died' >&2\nexit 1\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setattr(search, "_pagefind_binary", lambda: str(broken))
    (site / "content/reports/2014/a.md").write_text(REPORT.format(title="Друштво 2", institution="ГИЗ", body="Текст."), encoding="utf-8")
    with pytest.raises(search.BuildError, match="Pagefind could not write the search index: Error: the Pagefind binary died"):
        build(site, output)
    assert sorted(path.relative_to(output) for path in output.rglob("*")) == before
    assert not OutputTrees(output, BuildCache(site)).index_ahead.exists()  # the index begun ahead of the pages: removed
    with pytest.raises(search.BuildError, match="Pagefind could not write the search index: Error: the Pagefind binary died"):
        build(site, tmp_path / "clean", cache=False)  # a clean build's index, made after its pages
    assert not (tmp_path / "clean").exists()


def test_a_full_disk_while_an_edit_begins_its_index_stops_every_run_and_leaves_the_output(make_site: MakeSite, tmp_path: Path,
                                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shards, "SPLIT_YEAR_ABOVE", 1)  # an edit indexes its month and its year's directory: two runs
    site = make_site({f"content/reports/2014/{name}.md": REPORT.format(title=name, institution="ГИЗ", body="Текст.") for name in ("a", "b")})
    output = tmp_path / "out"
    build(site, output)
    before = sorted(path.relative_to(output) for path in output.rglob("*"))
    started: list[subprocess.Popen[str]] = []
    popen, write_pages = subprocess.Popen, search._Indexes.write_pages

    def recorded(*args: Any, **kwargs: Any) -> subprocess.Popen[str]:
        started.append(popen(*args, **kwargs))
        return started[-1]

    def full_after_one(indexes: Any, scratch: Path, name: str) -> str:
        if started:
            raise OSError(errno.ENOSPC, "No space left on device")
        return write_pages(indexes, scratch, name)

    monkeypatch.setattr(search.subprocess, "Popen", recorded)
    monkeypatch.setattr(search._Indexes, "write_pages", full_after_one)
    (site / "content/reports/2014/a.md").write_text(REPORT.format(title="a", institution="ГИЗ", body="Други текст."), encoding="utf-8")
    with pytest.raises(OSError, match="No space left"):
        build(site, output)
    assert len(started) == 1 and started[0].returncode is not None  # the run begun was stopped and waited for
    assert sorted(path.relative_to(output) for path in output.rglob("*")) == before
    assert not OutputTrees(output, BuildCache(site)).index_ahead.exists()


def test_search_false_builds_no_index_and_no_warning(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/reports/2014/a.md": REPORT.format(title="Друштво", institution="ГИЗ", body="Текст.")}, config="base_url: https://e.org/\nsearch: false\n")
    result = build(site, tmp_path / "out")
    assert search.MISSING_WARNING not in result.warnings
    assert not (tmp_path / "out" / "pagefind").exists() and not (tmp_path / "out" / "lat" / "search").exists()
    assert "site-search-query" not in (tmp_path / "out" / "lat" / "index.html").read_text(encoding="utf-8")


def test_a_year_above_the_threshold_is_split_into_months_newest_first(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shards, "SPLIT_YEAR_ABOVE", 2)
    days = ["2014-03-05", "2014-03-20", "2014-11-02", "2019-06-10", "2019-09-28"]
    site = make_site({f"content/reports/{day[:4]}/r{number}.md": REPORT.format(title=f"Извештај {number}", institution="ГИЗ", body="Текст.").replace("2014-03-05", day)
                      for number, day in enumerate(days)})
    loaded = load(site)
    found = {shard: [report.date.isoformat() for report in reports] for shard, reports in search.shards(loaded.site).items()}
    assert found == {"2019": ["2019-09-28", "2019-06-10"], "2014-11": ["2014-11-02"], "2014-03": ["2014-03-20", "2014-03-05"]}
    assert [record.meta["words"].split("/")[0] for record in search.records(loaded.site, loaded.bodies, loaded.converter)] == ["2019", "2019", "2014-11", "2014-03", "2014-03"]


def test_index_chunks_are_small_so_a_search_downloads_little_of_a_shard(make_site: MakeSite, tmp_path: Path) -> None:
    """A search fetches the chunk of each of its words from each shard it searches: Pagefind's own
    chunks (20,000 word locations) would hold this whole shard in one."""
    body = " ".join(f"reč{number}" for number in range(3000))
    site = make_site({"content/reports/2014/a.md": REPORT.format(title="Друштво", institution="ГИЗ", body=body)})
    build(site, tmp_path / "out")
    [meta] = (tmp_path / "out" / "pagefind" / "2014").glob("*.pf_meta")
    chunks = cbor2.loads(gzip.decompress(meta.read_bytes()).removeprefix(b"pagefind_dcd"))[2]
    assert len(chunks) >= 3, chunks


def test_records_made_from_the_rendered_bodies_equal_records_made_on_their_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build makes each record from the bodies it converted for the report pages (tables that
    scroll and responsive images come after): the index is the one records made apart would give."""
    import shutil

    from ogpsite.build import incremental
    from tests.site.conftest import REPO, add_photo_report

    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(REPO / "ogpsite.yml", site / "ogpsite.yml")
    shutil.copytree(REPO / "content", site / "content")
    add_photo_report(site)  # photographs and a wide table
    made_apart: list[str] = []
    records = search.records
    monkeypatch.setattr(search, "records", lambda site, bodies, converter, reports: made_apart.extend(r.source for r in reports) or records(site, bodies, converter, reports))
    build(site, tmp_path / "rendered", cache=False)
    assert made_apart == []  # every record came from the rendering (in the workers)
    monkeypatch.setattr(incremental, "_search_records_of", lambda *args: {})
    build(site, tmp_path / "apart", cache=False)
    assert len(made_apart) == 26

    def index(root: Path) -> dict[str, bytes]:
        return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted((root / "pagefind").rglob("*")) if path.is_file()}

    assert index(tmp_path / "rendered") == index(tmp_path / "apart")


def test_a_split_years_directory_holds_every_word_of_each_month_once(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """A month's page in its year's directory has the words of its records, titles too (Pagefind
    matches meta values), each once: a month the directory does not match cannot match either."""
    monkeypatch.setattr(shards, "SPLIT_YEAR_ABOVE", 2)
    days = {"r0": ("2014-03-05", "Друштво знања", "Текст о јавним набавкама."), "r1": ("2014-03-20", "Отворени подаци", "Текст о буџету."),
            "r2": ("2014-11-02", "Радионица", "Текст о буџету."), "r3": ("2019-06-10", "Форум", "Текст.")}
    site = make_site({f"content/reports/{day[:4]}/{name}.md": REPORT.format(title=title, institution="ГИЗ", body=body).replace("2014-03-05", day)
                      for name, (day, title, body) in days.items()})
    loaded = load(site)
    made = search.records(loaded.site, loaded.bodies, loaded.converter)
    by_shard: dict[str, list[search.SearchRecord]] = {}
    for record in made:
        by_shard.setdefault(record.meta["words"].split("/")[0], []).append(record)
    assert shards.year_directories(by_shard) == {"2014": ["2014-11", "2014-03"]}  # 2019 is one shard: no directory
    march = search.directory_page("2014-03", by_shard["2014-03"])
    words = march.split("<main data-pagefind-body>")[1].split("</main>")[0].split()
    assert len(words) == len(set(words)) and words == sorted(words)
    bare = {word.strip(".,") for word in words}  # as the records have them: Pagefind drops the punctuation
    assert {"javnim", "nabavkama", "budzetu", "tekst"} <= bare  # both reports' bodies, folded
    assert {"Društvo", "znanja", "Otvoreni"} <= bare  # their titles, as the meta gives them
    assert "radionica" not in march.lower() and 'data-pagefind-filter="month">2014-03<' in march


@pytest.mark.parametrize(
    ("cyrillic", "latin", "exceptions"),
    [
        (["Његош", "и", "ЊЕГОШ"], ["Njegoš", "i", "NJEGOŠ"], "2 NJEGOŠ"),  # letter by letter: `NjEGOŠ`
        (["Њ", "ReLOaD", "Ђорђе"], ["Nj", "ReLOaD", "Djordje"], "2 Djordje"),
        (["Београд", "и", "Нови", "Сад"], ["Beograd", "i", "Novi", "Sad"], ""),
        # A word with a space in it (a dictionary's rendering) is compared word by word too.
        (["Транспаренси Интернешнал", "ЉУ"], ["Transparency", "LJU"], "0 Transparency 1 LJU"),
    ],
)
def test_a_records_latin_words_are_listed_where_letters_alone_miss_them(cyrillic: list[str], latin: list[str], exceptions: str) -> None:
    assert search._latin_exceptions(cyrillic, latin) == exceptions
    by_word = " ".join(f"{index} {word}" for index, word in enumerate(latin) if search._letters_latin(cyrillic[index]) != word)
    assert exceptions == by_word
