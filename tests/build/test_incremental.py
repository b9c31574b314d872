"""Incremental builds equal clean builds, byte for byte, after every kind of edit."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

import ogpsite.core.sitemap
from ogpsite.build import incremental as incremental_module
from ogpsite.build import search
from ogpsite.build.incremental import Builder, FirstPages, StillToWrite, build, differences
from ogpsite.build.cache import BuildCache
from ogpsite.build.outdir import MARKER, write_marker
from ogpsite.build.swap import OutputTrees
from ogpsite.core import shards
from ogpsite.core.errors import BuildError, errors_only
from ogpsite.core.pages import sitemap_part

TODAY = date(2024, 6, 1)
CONFIG = "title: Архива\nbase_url: https://example.org/\nper_page: 2\n"


def report(title: str, day: str, institutions: list[str], tags: list[str], body: str) -> str:
    lines = ["---", f"title: {title}", f"date: {day}", "institutions:", *(f"  - {name}" for name in institutions), "tags:", *(f"  - {tag}" for tag in tags), "---", body]
    return "\n".join(lines) + "\n"


def make_site(root: Path) -> Path:
    (root / "content" / "reports" / "2014").mkdir(parents=True)
    (root / "content" / "reports" / "2019").mkdir(parents=True)
    (root / "ogpsite.yml").write_text(CONFIG, encoding="utf-8")
    reports = {
        "2014/radionica.md": report("Радионица у Коњицу", "2014-03-05", ["Општина Коњиц"], ["радионица"], "Први пасус о радионици.\n\n## Закључци\n\n- један\n- два\n"),
        "2014/sastanak.md": report("Sastanak u Konjicu", "2014-03-20", ["Opština Konjic", "Transparency International"], ["sastanak"], "Tekst sastanka, vidi [radionicu](radionica.md).\n"),
        "2014/forum.md": report("Форум о подацима", "2014-04-02", ["Transparency International"], ["подаци"], "Форум.\n"),
        "2019/podaci.md": report("Otvoreni podaci", "2019-06-10", ["Grad Beograd"], ["podaci", "sastanak"], "Objavljeni su skupovi podataka.\n").replace("tags:", "language: sr\ntags:"),
        "2019/dan.md": report("Дан права да се зна", "2019-09-28", ["Град Београд"], ["приступ информацијама"], "Обележен је дан.\n"),
    }
    for name, text in reports.items():
        (root / "content" / "reports" / name).write_text(text, encoding="utf-8")
    return root


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def theme_override(site: Path) -> None:
    """A site template overriding the theme's base: every page changes."""
    from ogpsite.build.render import PACKAGE_THEMES

    (site / "templates").mkdir(exist_ok=True)
    base = (PACKAGE_THEMES / "default" / "templates" / "base.html").read_text(encoding="utf-8")
    (site / "templates" / "base.html").write_text(base.replace("<body", "<!-- edited -->\n<body", 1), encoding="utf-8")


REPORTS = Path("content") / "reports"
EDITS: dict[str, Callable[[Path], None]] = {
    "body": lambda site: replace_in(site / REPORTS / "2019/podaci.md", "Objavljeni su", "Danas su objavljeni"),
    "title moves it in lists": lambda site: replace_in(site / REPORTS / "2014/forum.md", "title: Форум о подацима", "title: Аа форум"),
    "date moves it to another month": lambda site: replace_in(site / REPORTS / "2014/radionica.md", "2014-03-05", "2014-05-05"),
    "tag joins a list": lambda site: replace_in(site / REPORTS / "2014/radionica.md", "  - радионица", "  - радионица\n  - подаци"),
    "a tag's only report drops it": lambda site: replace_in(site / REPORTS / "2019/dan.md", "  - приступ информацијама", "  - podaci"),
    "institution change": lambda site: replace_in(site / REPORTS / "2019/dan.md", "Град Београд", "Општина Коњиц"),
    "language": lambda site: replace_in(site / REPORTS / "2019/podaci.md", "language: sr", "language: bs"),
    "updated": lambda site: replace_in(site / REPORTS / "2019/podaci.md", "date: 2019-06-10", "date: 2019-06-10\nupdated: 2019-07-01"),
    "new report": lambda site: (site / REPORTS / "2019/novi.md").write_text(report("Novi izveštaj", "2019-06-11", ["Grad Beograd"], ["novo"], "Novo.\n"), encoding="utf-8"),
    "new year": lambda site: (site / REPORTS / "2019/nova-godina.md").write_text(report("Нова година", "2021-01-02", ["Grad Beograd"], ["novo"], "Нови текст.\n"), encoding="utf-8"),
    "a year's only report deleted": lambda site: (site / REPORTS / "2019/nova-godina.md").unlink(),
    "deleted report": lambda site: (site / REPORTS / "2014/forum.md").unlink(),
    "date moves it to another year, past a list page": lambda site: replace_in(site / REPORTS / "2014/sastanak.md", "2014-03-20", "2019-03-20"),
    "deleted link target": lambda site: replace_in(site / REPORTS / "2014/sastanak.md", "(radionica.md)", "(https://example.org/)"),
    "translit dictionary": lambda site: replace_in(site / "ogpsite.yml", "per_page: 2", "per_page: 2\ntranslit:\n  dictionary:\n    - {cyrillic: права, latin: pravva}"),
    "template change": theme_override,
    "config change": lambda site: replace_in(site / "ogpsite.yml", "per_page: 2", "per_page: 3"),
    "base url": lambda site: replace_in(site / "ogpsite.yml", "https://example.org/", "https://owner.github.io/repo/"),
}


def clean_build(site: Path, output: Path, drafts: bool = False) -> None:
    build(site, output, today=TODAY, cache=False, drafts=drafts)


def search_shards(output: Path) -> list[str]:
    return sorted(path.parent.name for path in (output / "pagefind").glob("*/pagefind-entry.json"))


def test_each_edit_rebuilds_to_the_bytes_of_a_clean_build(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    incremental = tmp_path / "incremental"
    build(site, incremental, today=TODAY)
    for name, edit in EDITS.items():
        edit(site)
        build(site, incremental, today=TODAY)
        clean = tmp_path / f"clean-{len(name)}"
        clean_build(site, clean)
        assert differences(incremental, clean) == [], f"after edit: {name}"
        # The search index is part of what is compared: a shard per year of reports.
        assert search_shards(incremental) == search_shards(clean) and "2019" in search_shards(clean), f"after edit: {name}"
    assert search_shards(clean) == ["2014", "2019"]  # `new year` made 2021's shard, its deletion removed it


def test_a_one_report_edit_reindexes_only_its_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    shard_files = {year: {path: path.stat().st_mtime_ns for path in (output / "pagefind" / year).rglob("*") if path.is_file()} for year in ("2014", "2019")}
    replace_in(site / REPORTS / "2019/dan.md", "Обележен је дан.", "Обележен је дан задругара.")
    made: list[str] = []
    record = search.record
    monkeypatch.setattr(search, "record", lambda site, report, *rest: made.append(report.source) or record(site, report, *rest))
    build(site, output, today=TODAY)
    assert made == ["content/reports/2019/dan.md"]  # its year's other records come from the cache
    made.clear()
    theme_override(site)
    build(site, output, today=TODAY)
    assert made == []  # a template makes no search record: nothing is indexed again
    after = {year: {path: path.stat().st_mtime_ns for path in (output / "pagefind" / year).rglob("*") if path.is_file()} for year in ("2014", "2019")}
    assert after["2014"] == shard_files["2014"]  # not indexed again: the same files, untouched
    assert after["2019"].keys() != shard_files["2019"].keys()  # new chunks (their names are content hashes)
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


def test_an_edit_digests_again_only_its_search_shards_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A shard's key is a digest of its reports' digests: an edit that places no report anew
    makes again its report's shard's key only, also when the build that digested the report
    failed before it made the keys; one that places a report anew, every shard's."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    keyed: list[str] = []
    make_digest = incremental_module.digest
    monkeypatch.setattr(incremental_module, "digest", lambda *parts: keyed.append(parts[1] if len(parts) > 1 else "") or make_digest(*parts))
    replace_in(site / REPORTS / "2019/dan.md", "Обележен је дан.", "Обележен је дан задругара.")
    with monkeypatch.context() as failing:
        failing.setattr(Builder, "_output_state", lambda self: (_ for _ in ()).throw(OSError(5, "Input/output error")))
        with pytest.raises(OSError):
            build(site, output, today=TODAY)  # the report's new digest is kept: it was digested
    keyed.clear()
    build(site, output, today=TODAY)
    assert [part for part in keyed if part in ("2014", "2019")] == ["2019"]
    keyed.clear()
    EDITS["date moves it to another month"](site)
    build(site, output, today=TODAY)
    assert sorted(part for part in keyed if part in ("2014", "2019")) == ["2014", "2019"]
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


def test_a_build_says_which_index_files_its_output_holds_as_a_search_for_them_finds_them(tmp_path: Path) -> None:
    """A build tells `search` the index files of the output it leaves (`remember_index_files`),
    so that the next build of a `serve` need not look for them among every output path: what it
    says is what looking finds, after edits that index a year again, add one, and remove one."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    builder = Builder(site, output)
    builder.build(TODAY)
    open_pages = FirstPages(lambda: {"lat/index.html", "cyr/2019/index.html"}, lambda pending: None)
    for name in ["body", "new year", "a year's only report deleted", "date moves it to another year, past a list page"]:
        EDITS[name](site)
        builder.build(TODAY, first=open_pages)
        state = builder.cache.output_state(output)  # type: ignore[union-attr]
        assert search._known_index is not None and search._known_index[0] is state.files, name  # told, not looked for
        told = search.index_files(state.files)
        assert told == search.index_files(dict(state.files)), name  # a copy of the paths: looked for
        assert {path for files in told.values() for path in files} == {path for path in state.files if path.startswith("pagefind/")}
        clean = tmp_path / f"clean-{len(name)}"
        clean_build(site, clean)
        assert differences(output, clean) == [], f"after edit: {name}"


def test_an_edit_begins_its_search_index_before_its_pages_and_many_new_records_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit's build starts Pagefind before it renders anything (`search.IndexAhead`): its run
    overlaps the rest of the build. A build with many records to make leaves them to the
    rendering, which makes them from the bodies it converts anyway; both give a clean build."""
    events: list[str] = []
    index_ahead, render = search.IndexAhead, incremental_module._render
    monkeypatch.setattr(search, "IndexAhead", lambda *args: events.append("index begun") or index_ahead(*args))
    monkeypatch.setattr(incremental_module, "_render", lambda *args, **kwargs: events.append("render") or render(*args, **kwargs))
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    assert events == ["render"]  # a clean build's records come from its rendering
    for name in ("body", "date moves it to another month"):
        EDITS[name](site)
        events.clear()
        build(site, output, today=TODAY)
        assert events == ["index begun", "render"], name
        clean_build(site, tmp_path / f"clean-{len(name)}")
        assert differences(output, tmp_path / f"clean-{len(name)}") == [], name
    monkeypatch.setattr(incremental_module, "MIN_PARALLEL_ITEMS", 1)  # one record to make is then many
    replace_in(site / REPORTS / "2019/dan.md", "Обележен је дан.", "Обележен је дан задругара.")
    events.clear()
    build(site, output, today=TODAY)
    assert events == ["render"]
    clean_build(site, tmp_path / "clean-many")
    assert differences(output, tmp_path / "clean-many") == []


def test_a_large_year_is_indexed_by_month_and_its_edits_rebuild_to_a_clean_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above `SPLIT_YEAR_ABOVE` reports a year's index is a shard per month: an edit re-indexes its
    month alone, and the year's directory (its months' words); a year crossing the threshold (either
    way) is indexed again whole, once."""
    monkeypatch.setattr(shards, "SPLIT_YEAR_ABOVE", 2)  # 2014's three reports in months; 2019's two in one shard
    indexed: set[str] = set()
    command = search._command  # each index's Pagefind run, begun ahead of the pages or not
    monkeypatch.setattr(search, "_command", lambda binary, site, bundle, name: indexed.add(name) or command(binary, site, bundle, name))
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    assert search_shards(output) == ["2014", "2014-03", "2014-04", "2019"]  # 2014's directory of months beside them
    steps: list[tuple[str, Callable[[Path], None], list[str], set[str]]] = [
        # (edit, shards after it, shards indexed again)
        ("body in a split year", lambda site: replace_in(site / REPORTS / "2014/radionica.md", "Први пасус", "Први дужи пасус"), ["2014", "2014-03", "2014-04", "2019"], {"2014-03", "2014"}),
        ("to another month of a split year", lambda site: replace_in(site / REPORTS / "2014/radionica.md", "2014-03-05", "2014-04-05"), ["2014", "2014-03", "2014-04", "2019"], {"2014-03", "2014-04", "2014"}),
        ("a year crosses the threshold", EDITS["new report"], ["2014", "2014-03", "2014-04", "2019", "2019-06", "2019-09"], {"2019-06", "2019-09", "2019"}),
        ("and back", lambda site: (site / REPORTS / "2019/novi.md").unlink(), ["2014", "2014-03", "2014-04", "2019"], {"2019"}),
        ("a year's only report in a month", lambda site: replace_in(site / REPORTS / "2014/forum.md", "2014-04-02", "2014-11-02"), ["2014", "2014-03", "2014-04", "2014-11", "2019"], {"2014-04", "2014-11", "2014"}),
    ]
    for name, edit, expected, reindexed in steps:
        edit(site)
        indexed.clear()
        build(site, output, today=TODAY)
        assert indexed == reindexed, f"after edit: {name}"
        clean = tmp_path / f"clean-{len(name)}"
        clean_build(site, clean)
        assert differences(output, clean) == [], f"after edit: {name}"
        assert search_shards(output) == expected, f"after edit: {name}"


def test_one_report_edit_rewrites_only_the_pages_that_show_it(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    before = {path: path.stat().st_mtime_ns for path in output.rglob("*") if path.is_file()}
    build(site, output, today=TODAY)  # no change: nothing is written
    assert {path: path.stat().st_mtime_ns for path in output.rglob("*") if path.is_file()} == before
    replace_in(site / REPORTS / "2019/dan.md", "Обележен је дан.", "Обележен је дан права.")
    build(site, output, today=TODAY)
    rewritten = sorted(path.relative_to(output).as_posix() for path in output.rglob("*") if path.is_file() and path.stat().st_mtime_ns != before.get(path))
    assert "cyr/2019/09/dan/index.html" in rewritten and "lat/2019/09/dan/index.html" in rewritten
    assert "cyr/2014/03/radionica/index.html" not in rewritten
    assert "cyr/2014/index.html" not in rewritten  # a list the report is not in


def test_drafts_toggle_and_stale_cache_files_stay_correct(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    replace_in(site / REPORTS / "2019/podaci.md", "tags:", "draft: true\ntags:")
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    build(site, output, today=TODAY, drafts=True)
    clean_build(site, tmp_path / "clean", drafts=True)
    assert differences(output, tmp_path / "clean") == []
    for shard in (site / ".ogpsite-cache" / "reports").iterdir():
        shard.write_bytes(b"not a pickle")  # a damaged cache is a miss, never an error
    build(site, output, today=TODAY, drafts=True)
    assert differences(output, tmp_path / "clean") == []


def test_a_failed_rebuild_leaves_the_output_and_the_next_build_is_right(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    snapshot = {path: path.read_bytes() for path in output.rglob("*") if path.is_file()}
    replace_in(site / REPORTS / "2014/forum.md", "date: 2014-04-02", "date: 2014-13-02")
    with pytest.raises(BuildError):
        build(site, output, today=TODAY)
    assert {path: path.read_bytes() for path in output.rglob("*") if path.is_file()} == snapshot
    replace_in(site / REPORTS / "2014/forum.md", "date: 2014-13-02", "date: 2014-04-03")
    build(site, output, today=TODAY)
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


def test_a_page_that_fails_to_render_leaves_the_output_and_nothing_staged(tmp_path: Path) -> None:
    """The failure comes while pages are rendered, after the changed ones were staged beside
    the files they replace: those staged files go, the pages stay as they were."""
    site = make_site(tmp_path / "site")
    (site / "templates").mkdir()
    from ogpsite.build.render import PACKAGE_THEMES

    template = (PACKAGE_THEMES / "default" / "templates" / "report.html").read_text(encoding="utf-8")
    (site / "templates" / "report.html").write_text("{% if report.title == 'Пропаст' %}{{ no_such_value }}{% endif %}\n" + template, encoding="utf-8")
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    snapshot = {path: path.read_bytes() for path in output.rglob("*") if path.is_file()}
    replace_in(site / REPORTS / "2014/forum.md", "title: Форум о подацима", "title: Пропаст")  # its page and four list pages change
    with pytest.raises(BuildError, match="no_such_value"):
        build(site, output, today=TODAY)
    assert {path: path.read_bytes() for path in output.rglob("*") if path.is_file()} == snapshot
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out", "site"]  # no staging folder either
    replace_in(site / REPORTS / "2014/forum.md", "title: Пропаст", "title: Форум")
    build(site, output, today=TODAY)
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


def test_a_twin_left_half_changed_is_made_again(tmp_path: Path) -> None:
    """A build killed while it brought the twin up to date leaves the twin unrecorded: the next
    build makes it again from the output instead of publishing what it half holds."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    work = next((site / ".ogpsite-cache" / "outputs").iterdir())
    twin = work / "twin"
    (twin / "cyr" / "index.html").unlink()
    (twin / "cyr" / "index.html").write_text("half-written", encoding="utf-8")
    (twin / "cyr" / "stray.html").write_text("written, never recorded", encoding="utf-8")
    write_marker(twin)  # unnamed, as the update leaves it until it is whole
    replace_in(site / REPORTS / "2019/dan.md", "Обележен је дан.", "Обележен је дан права.")
    build(site, output, today=TODAY)
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


@pytest.mark.parametrize("moved", [False, True], ids=["same-folder", "another-folder"])
def test_a_fresh_clone_with_the_cache_restored_builds_warm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moved: bool) -> None:
    """The site workflow: each run a new checkout (no output folder, every file with a new
    mtime) with the cache folder restored, as a copy (new inodes), in the same folder as the
    last run's or another (a runner's workspace is not promised). The build takes the twin the
    cache holds as what was built, so it renders what changed since, not every page; and it
    leaves the cache a twin for the next run."""
    import shutil

    from ogpsite.build import incremental

    site = make_site(tmp_path / ("run-0" if moved else "checkout"))
    build(site, site / "output", today=TODAY)
    rendered: list[str] = []
    render = incremental._render
    monkeypatch.setattr(incremental, "_render", lambda root, pages, *rest, **named: rendered.extend(page.output_file for page in pages) or render(root, pages, *rest, **named))
    edits = [("2019/dan.md", "Обележен је дан.", "Обележен је дан права."), ("2014/forum.md", "Форум.", "Форум о подацима.")]
    for run, (report, old, new) in enumerate(edits, start=1):
        shutil.rmtree(site / "output")  # a fresh clone has none
        checkout = tmp_path / (f"run-{run}" if moved else "checkout")
        shutil.copytree(site, checkout.with_name("copy"), symlinks=True)  # every file anew: new inodes
        shutil.rmtree(site)
        site = checkout.with_name("copy").rename(checkout)
        later = 2_000_000_000 + run
        for path in (site / "content").rglob("*"):
            os.utime(path, (later, later))  # a checkout's new mtimes
        replace_in(site / REPORTS / report, old, new)
        rendered.clear()
        build(site, site / "output", today=TODAY)
        assert 0 < len(rendered) < 20, (run, rendered)  # the edited report's page and its lists, of 30 (in both editions)
        clean_build(site, tmp_path / "clean")
        assert differences(site / "output", tmp_path / "clean") == []
        shutil.rmtree(tmp_path / "clean")


def test_a_serve_style_builder_keeps_state_between_builds(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    builder = Builder(site, output)
    builder.build(TODAY)
    replace_in(site / REPORTS / "2014/sastanak.md", "Tekst sastanka", "Novi tekst sastanka")
    builder.build(TODAY)
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


@pytest.mark.parametrize("known", [False, True], ids=["walked", "watched"])
def test_a_serve_style_builder_follows_every_edit(tmp_path: Path, known: bool) -> None:
    """One Builder for all edits, as `serve` keeps: its site model and plan in memory must follow
    each edit (a title edit keeps the site's shape, so the model in memory is kept, with the new report).
    `watched`: each build is told which report file changed, as the file watcher tells it."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    builder = Builder(site, output)
    builder.build(TODAY)
    report_edits = {"body": "2019/podaci.md", "title moves it in lists": "2014/forum.md", "date moves it to another month": "2014/radionica.md",
                    "institution change": "2019/dan.md", "language": "2019/podaci.md", "deleted link target": "2014/sastanak.md"}
    for name, edit in EDITS.items():
        edit(site)
        edited = frozenset([(REPORTS / report_edits[name]).as_posix()]) if known and name in report_edits else None
        builder.build(TODAY, edited=edited)
        clean = tmp_path / f"clean-{len(name)}"
        clean_build(site, clean)
        assert differences(output, clean) == [], f"after edit: {name}"


OPEN_PAGES = {"lat/index.html", "cyr/tags/podaci/index.html", "lat/2014/03/radionica/index.html", "cyr/2019/09/dan/index.html", "lat/2014/page/2/index.html"}


def test_a_serve_style_builder_after_a_build_failing_midway_writes_the_pages_it_digested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A watched edit whose build fails once its pages are digested (a disk error reading the
    output's record): the next build, told of no new change, still writes those pages."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    builder = Builder(site, output)
    builder.build(TODAY)
    edited = frozenset([(REPORTS / "2019/podaci.md").as_posix()])
    builder.build(TODAY, edited=edited)  # the plan is kept from here on
    replace_in(site / REPORTS / "2019/podaci.md", "Objavljeni su", "Danas su objavljeni")
    with monkeypatch.context() as failing:
        failing.setattr(Builder, "_output_state", lambda self: (_ for _ in ()).throw(OSError(5, "Input/output error")))
        with pytest.raises(OSError):
            builder.build(TODAY, edited=edited)
    builder.build(TODAY, edited=frozenset())
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


def test_open_pages_are_written_first_and_the_others_are_announced(tmp_path: Path) -> None:
    """`serve`'s fast render: when `written` is called, the open pages show the edit, and every
    other page that does not yet is among the pages announced as still to come; so is every
    search index file that is not yet as the build leaves it (its shard's folder is held)."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    builder = Builder(site, output)
    builder.build(TODAY)
    early_writes = held_shards = 0
    for name, edit in EDITS.items():
        edit(site)
        clean = tmp_path / f"clean-{len(name)}"
        clean_build(site, clean)
        calls: list[StillToWrite] = []
        before = {path: (output / path).read_bytes() for path in OPEN_PAGES if (output / path).is_file()}

        def written(pending: StillToWrite) -> None:
            calls.append(pending)
            for path in sorted(clean.rglob("*")):
                shown = path.relative_to(clean).as_posix()
                if (shown.split("/")[0] in ("cyr", "lat") and path.suffix in (".html", ".xml") or shown.startswith("pagefind/") and path.is_file()) and not pending.holds(shown):
                    assert (output / shown).is_file() and (output / shown).read_bytes() == path.read_bytes(), f"{name}: {shown} is stale"
            stale_index = [shown for shown in (path.relative_to(output).as_posix() for path in output.glob("pagefind/**/*") if path.is_file())
                           if not (clean / shown).is_file()]
            assert all(pending.holds(shown) for shown in stale_index), f"{name}: {stale_index}"  # a file the index loses is held too
            assert not before.keys() & pending.files, name  # open pages already there are written first

        builder.build(TODAY, first=FirstPages(lambda: OPEN_PAGES, written))
        assert len(calls) == 1, name
        held_shards += len(calls[0].folders)
        early_writes += sum((output / path).is_file() and (output / path).read_bytes() != content for path, content in before.items())
        assert differences(output, clean) == [], f"after edit: {name}"
    assert early_writes >= len(EDITS)  # open pages changed (and were written early) on most edits
    assert held_shards >= len(EDITS) - 1  # most edits index a shard again


def test_parallel_build_equals_a_single_process_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "site")
    for number in range(70):  # past parallel.MIN_PARALLEL_ITEMS, so workers are forked
        (site / REPORTS / "2014" / f"r{number}.md").write_text(report(f"Izveštaj {number}", f"2014-0{1 + number % 9}-1{number % 10}", ["Grad Beograd"], [f"t{number % 7}"], f"Tekst {number}.\n"), encoding="utf-8")
    build(site, tmp_path / "parallel", today=TODAY, cache=False)
    monkeypatch.setenv("OGPSITE_JOBS", "1")
    build(site, tmp_path / "serial", today=TODAY, cache=False)
    assert differences(tmp_path / "parallel", tmp_path / "serial") == []


def test_the_site_named_by_another_path_is_not_written_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "site")
    theme_override(site)  # a site with templates of its own
    output = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    build(Path("site"), output, today=TODAY)
    files = {path: path.stat().st_ino for path in output.rglob("*") if path.is_file()}
    build(site.resolve(), output, today=TODAY)
    assert {path: path.stat().st_ino for path in output.rglob("*") if path.is_file()} == files  # no file replaced


def test_cli_verify_incremental(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    command = [sys.executable, "-m", "ogpsite", "build", "--site", str(site), "--verify-incremental"]
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    first = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert first.returncode == 0, first.stderr
    assert "identical to a clean build" in first.stdout
    (site / "output" / "cyr" / "index.html").write_text("tampered", encoding="utf-8")
    second = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert second.returncode == 1
    assert "cyr/index.html: differs from a clean build" in second.stderr


def test_a_large_sites_sitemap_files_are_made_again_only_for_the_parts_an_edit_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above the URL limit the sitemap is an index over a file per part (`sitemap.layout`): a
    tag joined makes the tags' file again, not the reports' years; every build equals a clean one."""
    monkeypatch.setattr(ogpsite.core.sitemap, "MAX_URLS", 10)
    site = make_site(tmp_path / "site")
    incremental = tmp_path / "incremental"
    build(site, incremental, today=TODAY)
    EDITS["body"](site)
    build(site, incremental, today=TODAY)  # the first build that writes fills the twin tree: every file
    assert {"sitemap-2014.xml", "sitemap-tags.xml"} <= {path.name for path in incremental.glob("sitemap-*.xml")}
    made: list[set[str]] = []
    make = incremental_module.sitemap
    monkeypatch.setattr(incremental_module, "sitemap", lambda renderer, pages, dates: made.append({sitemap_part(page) for page in pages}) or make(renderer, pages, dates))
    for name in ["tag joins a list", "date moves it to another month", "new report", "deleted report"]:
        made.clear()
        EDITS[name](site)
        build(site, incremental, today=TODAY)
        if name == "tag joins a list":
            assert made and all(parts == {"tags"} for parts in made)  # the tags' files (a second one, here) and the index
        clean = tmp_path / f"clean-{len(name)}"
        clean_build(site, clean)
        assert differences(incremental, clean) == [], f"after edit: {name}"


def test_the_sitemap_is_planned_again_only_when_a_report_is_placed_anew(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each `ogpsite build` (a Builder of its own) plans the sitemap's files only when reports
    were placed anew: a body edit takes the plan its last build kept, and so does a body edit
    after a placement the saved site model predates (placed again, it gets the same version)."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    planned: list[int] = []
    plan_sitemap = incremental_module._sitemap_plan
    monkeypatch.setattr(incremental_module, "_sitemap_plan", lambda *args: planned.append(1) or plan_sitemap(*args))
    build(site, output, today=TODAY)
    # As on a large site, where placing a report costs a fraction of saving the model: every
    # build after the date edit places the report again in the model saved before it.
    monkeypatch.setattr(BuildCache, "owe_site_model", lambda self, seconds: False)
    for name, placing in [("body", False), ("date moves it to another month", True), ("deleted link target", False)]:
        planned.clear()
        EDITS[name](site)
        build(site, output, today=TODAY)
        assert len(planned) == placing, name
        clean = tmp_path / f"clean-{len(name)}"
        clean_build(site, clean)
        assert differences(output, clean) == [], f"after edit: {name}"


def test_many_tag_joins_and_leaves_in_a_row_build_as_clean_builds_do(tmp_path: Path) -> None:
    """Each build places the toggled reports anew in the model as last saved, or saves it
    (`pipeline.keep_model`): either way it equals a clean build."""
    site = make_site(tmp_path / "site")
    incremental = tmp_path / "incremental"
    build(site, incremental, today=TODAY)
    reports = site / REPORTS
    toggles = [("2014/radionica.md", "  - радионица"), ("2019/dan.md", "  - приступ информацијама"), ("2014/forum.md", "  - подаци")]
    for step in range(24):
        name, line = toggles[step % len(toggles)]
        text = (reports / name).read_text(encoding="utf-8")
        joined = f"{line}\n  - OGP"
        (reports / name).write_text(text.replace(joined, line) if joined in text else text.replace(line, joined), encoding="utf-8")
        build(site, incremental, today=TODAY)
        if step % 8 == 7:
            clean = tmp_path / f"clean-{step}"
            clean_build(site, clean)
            assert differences(incremental, clean) == [], f"after toggle {step}"


def test_only_a_build_with_records_scans_the_site_beside_loading_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scan hashes every report file in a second process so that records can be taken by
    their bytes; a clean build, with no records, reads and hashes every file itself anyway, and
    would only wait for the scan."""
    from ogpsite.build import cache as cache_module

    scans: list[Path] = []
    for module in (incremental_module, cache_module):
        original = module.scan_started
        monkeypatch.setattr(module, "scan_started", lambda site_dir, original=original: scans.append(site_dir) or original(site_dir))
    site = make_site(tmp_path / "site")
    build(site, site / "output", today=TODAY)
    assert scans == []
    replace_in(site / REPORTS / "2019/dan.md", "Обележен је дан.", "Обележен је дан права.")
    build(site, site / "output", today=TODAY)
    assert scans == [site]
    clean_build(site, tmp_path / "clean")
    assert differences(site / "output", tmp_path / "clean") == []


def test_a_build_that_changes_most_files_leaves_a_twin_of_links_to_them(tmp_path: Path) -> None:
    """After a build that rewrote most files (a template edited, ogpsite upgraded), the tree it
    swapped out would hold an old file at nearly every path, for the next build, an edit, to
    replace one by one: the twin is made again of links to the new output instead."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    EDITS["body"](site)
    build(site, output, today=TODAY)  # the output and its twin: both known, the twin one edit behind
    theme_override(site)
    build(site, output, today=TODAY)
    twin = OutputTrees(output, BuildCache(site)).twin
    published = sorted(path.relative_to(output) for path in output.rglob("*") if path.is_file() and path.name != MARKER)
    assert sorted(path.relative_to(twin) for path in twin.rglob("*") if path.is_file() and path.name != MARKER) == published
    assert all(os.stat(twin / path).st_ino == os.stat(output / path).st_ino for path in published)
    replace_in(site / REPORTS / "2019/dan.md", "Обележен је дан.", "Обележен је дан задругара.")
    build(site, output, today=TODAY)
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


def test_a_serve_style_edit_compares_only_the_paths_it_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A body edit in `serve` (the same pages, the same placements) digests again only the pages
    showing the report, found without a pass in Python over every page; the plan kept names
    the paths it may have changed, and the twin is brought up to date by comparing those (and
    the paths where the twin and the output may differ) instead of every path. The output is
    the clean build's all the same."""
    from ogpsite.build import swap

    compared: list[tuple[int, int, bool]] = []  # (candidates, every path, found by them)
    whole = swap._differences

    def spy(wanted, held, candidates, exact=False):  # type: ignore[no-untyped-def]
        found = whole(wanted, held, candidates, exact)
        full = whole(wanted, held, None)
        compared.append((-1 if candidates is None else len(candidates), len(wanted), [sorted(paths) for paths in found] == [sorted(paths) for paths in full]))
        return found

    monkeypatch.setattr(swap, "_differences", spy)
    renewals: list[int] = []  # pages digested again by the pass over the reports shown alone (`_Digests._renew`)
    renew = incremental_module._Digests._renew
    monkeypatch.setattr(incremental_module._Digests, "_renew", lambda memo, *args: renewals.append(len(found := renew(memo, *args))) or found)
    site = make_site(tmp_path / "site")
    for number in range(30):  # enough paths that a few are worth comparing alone
        (site / REPORTS / "2019" / f"r{number}.md").write_text(report(f"Izveštaj {number}", f"2019-02-{number % 28 + 1:02}", ["Grad Beograd"], ["podaci"], "Tekst.\n"), encoding="utf-8")
    output = tmp_path / "out"
    builder = Builder(site, output)
    builder.build(TODAY)
    podaci = site / REPORTS / "2019/podaci.md"
    edited = frozenset([(REPORTS / "2019/podaci.md").as_posix()])
    original = podaci.read_text(encoding="utf-8")
    for number in range(3):
        podaci.write_text(original.replace("skupovi podataka", f"skupovi podataka ({number})"), encoding="utf-8")
        builder.build(TODAY, edited=edited)
    assert [found for _, _, found in compared] == [True] * len(compared)
    quick = [(candidates, paths) for candidates, paths, _ in compared if 0 <= candidates]
    assert len(quick) == 3 and all(candidates * 2 < paths for candidates, paths in quick)
    assert renewals == [renewals[0]] * 3 and renewals[0] > 1  # the report's own page, and the lists showing it
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


def test_a_watched_edit_patches_the_last_load_into_what_reading_the_site_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve`'s load told which files changed starts from its last load and goes through those
    files alone: the same problems in the same order as a load reading every file, and the output
    of a clean build, through edits that add and remove warnings, make a report a draft and back,
    break a file and mend it, and change a report equal to the one held and then not."""
    from ogpsite.build import pipeline

    patches: list[bool] = []  # whether each watched load patched the last one
    patched = pipeline.ReportTables.patched
    monkeypatch.setattr(pipeline.ReportTables, "patched", lambda tables, *args: patches.append((found := patched(tables, *args)) is not None) or found)
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    builder = Builder(site, output)
    builder.build(TODAY)
    sastanak, dan = site / REPORTS / "2014/sastanak.md", site / REPORTS / "2019/dan.md"
    edits = [
        (sastanak, "Tekst sastanka", "Tekst sastanka ![](slika.png)"),  # a warning (no alt text) where there was none
        (dan, "Обележен је дан.", "Обележен је дан, Beогpад."),  # another, before it in the files' order
        (sastanak, "Tekst sastanka ![](slika.png)", "Tekst sastanka"),  # the first one gone
        (sastanak, "Tekst sastanka", "Nov tekst sastanka"),  # a report equal to the one held (the body is not kept)
        (sastanak, "title: Sastanak u Konjicu", "title: Drugi sastanak u Konjicu"),  # then one that is not: its pages change
        (dan, "title: Дан", "draft: true\ntitle: Дан"),  # a report gone
        (dan, "draft: true\n", ""),  # and back
        (dan, "date: 2019-09-28", "date: 2019-09-28\ndate: x"),  # a file broken
        (dan, "date: 2019-09-28\ndate: x", "date: 2019-09-28"),  # and mended
    ]
    for number, (path, old, new) in enumerate(edits):
        replace_in(path, old, new)
        try:
            builder.build(TODAY, edited=frozenset([path.relative_to(site).as_posix()]))
        except BuildError:
            pass
        read_whole_site = pipeline.load(site, today=TODAY)
        assert [str(problem) for problem in builder._resident.problems] == [str(problem) for problem in read_whole_site.problems], f"edit {number}"
        if not errors_only(read_whole_site.problems):
            clean_build(site, tmp_path / f"clean-{number}")
            assert differences(output, tmp_path / f"clean-{number}") == [], f"edit {number}"
    assert patches == [True] * 5 + [False] * 4  # a report made a draft, or a file broken, and back: every file is gone through
    # The next day, future dates may be past: the last load is not started from.
    replace_in(dan, "Обележен је дан", "Обележен је тај дан")
    builder.build(date(2024, 6, 2), edited=frozenset([dan.relative_to(site).as_posix()]))
    assert len(patches) == 9
    build(site, tmp_path / "clean-next-day", today=date(2024, 6, 2), cache=False)
    assert differences(output, tmp_path / "clean-next-day") == []


def test_a_serve_style_edit_after_a_build_failing_in_its_write_writes_both_edits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kept plan names the paths it changed since a build from it last finished (`_Plan.touched`):
    an edit whose build failed while writing (a full disk) is written by the next build, which
    edits another report, and the twin is compared with the output at those paths alone."""
    from ogpsite.build import swap

    covered: list[bool] = []  # each comparison: whether the candidates held every difference
    whole = swap._differences

    def spy(wanted, held, candidates, exact=False):  # type: ignore[no-untyped-def]
        removed, stale = whole(wanted, held, None)
        covered.append(candidates is not None and candidates.issuperset([*removed, *stale]))
        return whole(wanted, held, candidates, exact)

    monkeypatch.setattr(swap, "_differences", spy)
    site = make_site(tmp_path / "site")
    for number in range(30):  # enough paths that the trees' records are kept as changes
        (site / REPORTS / "2019" / f"r{number}.md").write_text(report(f"Izveštaj {number}", f"2019-02-{number % 28 + 1:02}", ["Grad Beograd"], ["podaci"], "Tekst.\n"), encoding="utf-8")
    output = tmp_path / "out"
    builder = Builder(site, output)
    builder.build(TODAY)
    podaci, dan = site / REPORTS / "2019/podaci.md", site / REPORTS / "2019/dan.md"
    replace_in(podaci, "Objavljeni su", "Danas su objavljeni")
    builder.build(TODAY, edited=frozenset([podaci.relative_to(site).as_posix()]))  # the plan is kept from here on
    forum = site / REPORTS / "2014/forum.md"  # a report no build has changed yet
    replace_in(forum, "Форум.", "Форум о отвореним подацима.")
    with monkeypatch.context() as failing:
        failing.setattr(swap.OutputTrees, "update", lambda *args, **kwargs: (_ for _ in ()).throw(OSError(28, "No space left on device")))
        with pytest.raises(OSError):
            builder.build(TODAY, edited=frozenset([forum.relative_to(site).as_posix()]))
    replace_in(dan, "Обележен је дан.", "Обележен је дан отворених података.")
    builder.build(TODAY, edited=frozenset([dan.relative_to(site).as_posix()]))
    assert covered[-1]  # the failed build's paths were among the last one's
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []
    assert "отвореним подацима" in (output / "cyr/2014/04/forum/index.html").read_text(encoding="utf-8")
