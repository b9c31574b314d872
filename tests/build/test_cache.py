"""The build cache: which files a warm build opens, and damaged or lost cache files."""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path
from shutil import rmtree

import pytest

import ogpsite.build.cache
import ogpsite.build.incremental
from ogpsite.build.cache import BuildCache, file_stat
from ogpsite.build.incremental import Builder, build, differences
from ogpsite.build.outdir import MARKER
from ogpsite.build.swap import OutputTrees
from ogpsite.core.errors import BuildError

from .test_incremental import REPORTS, TODAY, clean_build, make_site, replace_in, report, theme_override


def age_sources(site: Path, seconds: int = 3600) -> None:
    """Files last written an hour ago: their stat can vouch for their bytes (not racily clean)."""
    past = time.time() - seconds
    for path in (site / REPORTS).rglob("*.md"):
        os.utime(path, (past, past))


def count_report_opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    opened: list[str] = []
    read_whole = ogpsite.build.cache.read_whole

    def counting_read(path: str) -> tuple[os.stat_result, bytes]:
        if path.endswith(".md"):
            opened.append(os.path.basename(path))
        return read_whole(path)

    monkeypatch.setattr(ogpsite.build.cache, "read_whole", counting_read)
    return opened


def test_a_file_with_an_old_unchanged_stat_is_not_opened_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "site")
    age_sources(site)
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    opened = count_report_opens(monkeypatch)
    build(site, output, today=TODAY)
    assert opened == []
    replace_in(site / REPORTS / "2019/dan.md", "Обележен је дан.", "Обележен је дан права.")
    build(site, output, today=TODAY)
    assert opened == ["dan.md"]
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


def test_a_racily_clean_file_is_read_again(tmp_path: Path) -> None:
    """Written just before the build read it: an edit in the same clock tick could keep its
    stat, so the stat index vouches only for files older than that when they were read."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    assert BuildCache.stat_index(site) == {}
    age_sources(site)
    build(site, output, today=TODAY)
    index = BuildCache.stat_index(site)
    assert sorted(index) == sorted(path.relative_to(site).as_posix() for path in (site / REPORTS).rglob("*.md"))
    assert all(stat == file_stat(site / shown) for shown, (stat, _) in index.items())


def test_new_stats_with_the_same_bytes_cost_a_hash_not_a_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh clone with the cache restored: every file has a new stat, none is parsed again."""
    site = make_site(tmp_path / "site")
    age_sources(site)
    build(site, tmp_path / "out", today=TODAY)
    records = {path.name: path.read_bytes() for path in (site / ".ogpsite-cache" / "reports").iterdir()}
    age_sources(site, 7200)  # new mtimes (and ctimes), the same bytes
    parsed: list[str] = []
    real_read_one = ogpsite.build.cache._read_one
    monkeypatch.setattr(ogpsite.build.cache, "_read_one", lambda source, *args: parsed.append(source.shown) or real_read_one(source, *args))
    build(site, tmp_path / "out", today=TODAY)
    assert parsed == []
    assert {path.name: path.read_bytes() for path in (site / ".ogpsite-cache" / "reports").iterdir()} == records
    assert all(stat == file_stat(site / shown) for shown, (stat, _) in BuildCache.stat_index(site).items())


def test_lost_or_damaged_cache_files_give_the_clean_output(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    age_sources(site)
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    cache = site / ".ogpsite-cache"
    for shard in (cache / "html").iterdir():
        shard.unlink()  # every body must be rendered again from its file
    for name in ("digests.pickle", "site.pickle", "english.pickle"):
        (cache / name).write_bytes(b"not a pickle")
    theme_override(site)  # every page is rendered again
    build(site, output, today=TODAY)
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


def test_a_watchers_list_of_edited_files_spares_opening_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written just now are normally read again (racily clean); the watcher's word spares them."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    builder = Builder(site, output)
    builder.build(TODAY)
    opened = count_report_opens(monkeypatch)
    replace_in(site / REPORTS / "2019/dan.md", "Обележен је дан.", "Обележен је дан права.")
    builder.build(TODAY, edited=frozenset({"content/reports/2019/dan.md"}))
    assert opened == ["dan.md"]
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


def test_edits_seen_by_failed_builds_still_reach_the_output(tmp_path: Path) -> None:
    """The watcher names each save once: a report saved while the site has errors must still be
    rebuilt when the last error is fixed, though that build's watcher names only the fix."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    builder = Builder(site, output)
    builder.build(TODAY)
    broken, other = "content/reports/2019/dan.md", "content/reports/2019/podaci.md"
    replace_in(site / broken, "Обележен је дан.", "Обележен је [дан](nema.md).")
    with pytest.raises(BuildError):
        builder.build(TODAY, edited=frozenset({broken}))
    replace_in(site / other, "Objavljeni su", "Danas su objavljeni")
    with pytest.raises(BuildError):
        builder.build(TODAY, edited=frozenset({other}))
    replace_in(site / broken, "[дан](nema.md)", "дан")
    builder.build(TODAY, edited=frozenset({broken}))
    assert "Danas su objavljeni" in (output / "lat" / "2019" / "06" / "podaci" / "index.html").read_text(encoding="utf-8")
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


def test_a_clean_build_neither_reads_nor_writes_another_sites_cache(tmp_path: Path) -> None:
    """The English lexicon's loader is the last Builder's: a clean build installs its own."""
    cached = make_site(tmp_path / "cached")
    Builder(cached, tmp_path / "cached-out")  # installs a loader for its cache folder, builds nothing
    build(make_site(tmp_path / "other"), tmp_path / "other-out", today=TODAY, cache=False)  # has Latin reports
    assert not (cached / ".ogpsite-cache" / "english.pickle").exists()
    assert (tmp_path / "other-out" / "cyr" / "index.html").is_file()


def test_the_site_model_is_saved_again_once_placing_in_it_cost_what_saving_it_did(tmp_path: Path) -> None:
    cache = ogpsite.build.cache.BuildCache(tmp_path)
    cache.save_site_model("key", ["a model"])
    stamp, _, owed = cache.value("site-debt")  # type: ignore[misc]
    assert owed == 0.0
    cache.store_value("site-debt", (stamp, 1.0, 0.0))  # as if the save took a second
    assert not cache.owe_site_model(0.4) and not cache.owe_site_model(0.4)
    assert cache.owe_site_model(0.3)
    cache.save_site_model("key", ["a model saved again"])  # what was owed goes with the model saved before
    assert cache.value("site-debt")[2] == 0.0  # type: ignore[index]


def test_html_a_build_replaces_whole_is_never_loaded_and_a_partial_one_keeps_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After ogpsite's code changed every report is read again: the HTML the cache kept is all
    stale, and loading it only to free it cost the build its memory. An edit still keeps the
    HTML of the reports that share the edited one's shard (one shard here: all five)."""
    monkeypatch.setattr(ogpsite.build.cache, "_HTML_SHARDS", 1)
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    loaded: list[str] = []
    real_load = BuildCache._load
    monkeypatch.setattr(BuildCache, "_load", staticmethod(lambda path: loaded.append(path.parent.name) or real_load(path)))

    def kept_html() -> dict[str, str | None]:
        cache = BuildCache(site)
        cache.load_records()
        return {shown: cache.html(shown) for shown in cache.records}

    before = kept_html()
    code = ogpsite.build.cache.code_fingerprint()
    monkeypatch.setattr(ogpsite.build.cache, "code_fingerprint", lambda: code + "-upgraded")  # every record stale
    loaded.clear()
    build(site, output, today=TODAY)
    assert "html" not in loaded
    assert kept_html() == before  # made again, the same, under the new records' keys
    assert len(before) == 5 and None not in before.values()

    replace_in(site / REPORTS / "2019/podaci.md", "Objavljeni su", "Danas su objavljeni")
    loaded.clear()
    build(site, output, today=TODAY)
    assert loaded.count("html") == 1  # the edited report's shard, merged with what it held
    after = kept_html()
    assert "Danas su objavljeni" in (after.pop("content/reports/2019/podaci.md") or "")
    assert after == {shown: html for shown, html in before.items() if shown != "content/reports/2019/podaci.md"}
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


def test_search_records_and_digests_of_other_code_are_not_even_unpickled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After ogpsite's code changed, the kept search records and page digests are all stale:
    read only as far as the line that says what they were made with."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    assert sorted(path.name for path in (site / ".ogpsite-cache").glob("search-*.pickle")) == ["search-2014.pickle", "search-2019.pickle"]
    unpickled: list[str] = []
    real_load = pickle.load
    monkeypatch.setattr(pickle, "load", lambda stream, *args, **kwargs: unpickled.append(Path(stream.name).relative_to(site / ".ogpsite-cache").as_posix()) or real_load(stream, *args, **kwargs))
    code = ogpsite.build.incremental.code_fingerprint()
    monkeypatch.setattr(ogpsite.build.incremental, "code_fingerprint", lambda: code + "-upgraded")
    build(site, output, today=TODAY)
    assert not [name for name in unpickled if name.startswith("search-") or name == "digests.pickle"]
    assert any(name.startswith("reports/") for name in unpickled)  # the report records: read as before

    replace_in(site / REPORTS / "2019/podaci.md", "Objavljeni su", "Danas su objavljeni")
    unpickled.clear()
    build(site, output, today=TODAY)  # the same code as the last build's: its records and digests serve
    assert "search-2019.pickle" in unpickled and "digests.pickle" in unpickled
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


def test_a_value_is_read_only_when_made_with_what_is_asked(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    cache.store_value("memo", {"a": 1}, made_with="code-1")
    assert cache.value("memo", made_with="code-1") == {"a": 1}
    assert cache.value("memo", made_with="code-2") is None
    assert cache.value("missing", made_with="code-1") is None
    cache.store_value("plain", [1, 2])
    assert cache.value("plain") == [1, 2]
    assert cache.value("plain", made_with="code-1") is None  # stored without: another format
    (tmp_path / ".ogpsite-cache" / "memo.pickle").write_bytes(b"ogpsite value damaged\n")
    assert cache.value("memo", made_with="code-1") is None


def _records(cache: BuildCache, output: Path) -> dict[str, tuple[int, object]]:
    """Each record of the output's trees: its size in bytes, and what it holds as unpickled."""
    return {path.stem: (path.stat().st_size, pickle.loads(path.read_bytes())[1]) for path in cache.output_folder(output).glob("*.pickle")}


def test_an_edit_keeps_its_trees_records_as_changes_to_a_whole_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a clean build the output's record is whole; the records of the edits after it are
    the changes since (a few paths), all to that one, until a build changes more than
    `MOST_TREE_CHANGES` of the files: its record is whole, and the next ones are changes to
    it. Each build loads what the trees hold from them, and equals a clean build."""
    site = make_site(tmp_path / "site")
    for number in range(60):  # an edit changes a few of many files
        (site / REPORTS / "2014" / f"r{number}.md").write_text(report(f"Izveštaj {number}", f"20{10 + number % 4}-0{1 + number % 9}-1{number % 10}", ["Grad Beograd"], [f"t{number % 7}"], f"Tekst {number}.\n"), encoding="utf-8")
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    cache = BuildCache(site)
    (whole_name, (_, whole)), = _records(cache, output).items()
    assert isinstance(whole, ogpsite.build.cache.OutputState)
    edits = [("2019/podaci.md", "Objavljeni su", "Danas su objavljeni"), ("2014/forum.md", "Форум.", "Форум о подацима."),
             ("2019/podaci.md", "Danas su objavljeni", "Juče su objavljeni"), ("2014/r7.md", "Tekst 7.", "Novi tekst 7."),
             ("2014/r8.md", "Tekst 8.", "Novi tekst 8."), ("2014/r9.md", "Tekst 9.", "Novi tekst 9.")]
    for number, (source, old, new) in enumerate(edits):
        replace_in(site / REPORTS / source, old, new)
        with monkeypatch.context() as context:
            if number == 3:  # this edit's record is whole
                context.setattr(ogpsite.build.cache, "MOST_TREE_CHANGES", 0.0)
            builder = Builder(site, output)
            builder.build(TODAY)
        records = _records(cache, output)
        wholes = [name for name, (_, record) in records.items() if isinstance(record, ogpsite.build.cache.OutputState)]
        if number == 3:
            whole_name, = set(wholes) - {whole_name}
        changes = {name: record for name, (_, record) in records.items() if name not in wholes}
        assert {record.base for record in changes.values()} == {whole_name} or number == 3, number  # then the twin's base is the old one
        assert all(records[name][0] < records[whole_name][0] // 4 for name in changes)
        assert len(records) <= 3  # the output's and the twin's records, and the whole one (which may be the twin's)
        # A cache that has seen none of it knows what both trees hold: what the build knew.
        fresh = BuildCache(site)
        for tree in (output, OutputTrees(output, fresh).twin):
            state = fresh.tree_state(output, tree)
            assert state is not None and set(state.files) == {path.relative_to(tree).as_posix() for path in tree.rglob("*") if path.is_file() and path.name != MARKER}
        assert fresh.tree_state(output, output) == builder.cache.tree_state(output, output)  # type: ignore[union-attr]
        clean_build(site, tmp_path / "clean")
        assert differences(output, tmp_path / "clean") == []
        rmtree(tmp_path / "clean")


def test_a_tree_whose_base_record_is_lost_is_unknown_and_the_next_build_is_right(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    replace_in(site / REPORTS / "2019/podaci.md", "Objavljeni su", "Danas su objavljeni")
    build(site, output, today=TODAY)
    cache = BuildCache(site)
    for name, (_, record) in _records(cache, output).items():
        if isinstance(record, ogpsite.build.cache.OutputState):
            (cache.output_folder(output) / f"{name}.pickle").unlink()
    assert BuildCache(site).tree_state(output, output) is None
    replace_in(site / REPORTS / "2014/forum.md", "Форум.", "Форум о подацима.")
    build(site, output, today=TODAY)
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


def test_the_digests_memo_is_saved_once_a_share_of_the_pages_was_digested_since(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit that digests a few pages again leaves the memo as saved before it; the builds
    from that older memo are as right (they digest those pages again); a build that digests
    more than `SAVE_DIGESTS_AFTER` of the pages saves it."""
    monkeypatch.setattr(ogpsite.build.incremental, "SAVE_DIGESTS_AFTER", 0.25)
    site = make_site(tmp_path / "site")
    for number in range(60):  # an edit digests a few of many pages
        (site / REPORTS / "2014" / f"r{number}.md").write_text(report(f"Izveštaj {number}", f"20{10 + number % 4}-0{1 + number % 9}-1{number % 10}", ["Grad Beograd"], [f"t{number % 7}"], f"Tekst {number}.\n"), encoding="utf-8")
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    memo = site / ".ogpsite-cache" / "digests.pickle"
    saved = memo.read_bytes()
    edits = [("2019/podaci.md", "Objavljeni su", "Danas su objavljeni"), ("2014/forum.md", "Форум.", "Форум о подацима."),
             ("2019/podaci.md", "Danas su objavljeni", "Objavljeni su")]  # back as the memo knows it
    for source, old, new in edits:
        replace_in(site / REPORTS / source, old, new)
        build(site, output, today=TODAY)
        assert memo.read_bytes() == saved, source
        clean_build(site, tmp_path / "clean")
        assert differences(output, tmp_path / "clean") == [], source
        rmtree(tmp_path / "clean")
    theme_override(site)  # every page digested again
    build(site, output, today=TODAY)
    assert memo.read_bytes() != saved
