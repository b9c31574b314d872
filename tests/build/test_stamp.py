"""A build with nothing changed since the last gives the last one's answer (`build/stamp.py`),
and only then: every input, option and the output folder itself count."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from ogpsite.build import incremental, stamp
from ogpsite.build.incremental import build, differences
from ogpsite.build.outdir import marker_id

from .test_incremental import REPORTS, TODAY, clean_build, make_site, replace_in, theme_override

UNCHANGED = "nothing changed"
REGISTRY = "- slug: beograd\n  name:\n    cyrillic: Град Београд\n    latin: Grad Beograd\n"


def age(site: Path, seconds: int = 60) -> None:
    """Every input file written `seconds` ago: no longer "racily clean" (`stamp.input_stamp`)."""
    then = time.time() - seconds
    for path in [site / "ogpsite.yml", *(site / "content").rglob("*"), *(site / "templates").rglob("*")]:
        os.utime(path, (then, then))


def warned_site(root: Path) -> Path:
    """The test site with a report whose institution is not in the registry: a warning on every build."""
    site = make_site(root)
    (site / "content" / "institutions.yml").write_text(REGISTRY, encoding="utf-8")
    return site


def test_a_second_build_with_nothing_changed_gives_the_first_ones_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = warned_site(tmp_path / "site")
    age(site)
    output = tmp_path / "out"
    first = build(site, output, today=TODAY)
    assert UNCHANGED not in first.timings and first.warnings
    tree = marker_id(output)
    monkeypatch.setattr(incremental, "load", lambda *args, **named: pytest.fail("a build with nothing changed read the site"))
    again = build(site, output, today=TODAY)
    assert list(again.timings) == [UNCHANGED]
    assert (again.files, again.reports, [str(problem) for problem in again.warnings]) == (first.files, first.reports, [str(problem) for problem in first.warnings])
    assert marker_id(output) == tree


EDITS: dict[str, Callable[[Path, Path], None]] = {
    "a report's body": lambda site, output: replace_in(site / REPORTS / "2019/podaci.md", "Objavljeni su", "Danas su objavljeni"),
    "a report of the same size": lambda site, output: replace_in(site / REPORTS / "2019/podaci.md", "Objavljeni", "Objavljenx"),
    "a new report": lambda site, output: (site / REPORTS / "2019/novi.md").write_text((site / REPORTS / "2019/podaci.md").read_text(encoding="utf-8"), encoding="utf-8"),
    "a deleted report": lambda site, output: (site / REPORTS / "2014/forum.md").unlink(),
    "a file beside the reports": lambda site, output: replace_in(site / "content" / "institutions.yml", "slug: beograd", "slug: grad-beograd"),
    "the config": lambda site, output: replace_in(site / "ogpsite.yml", "per_page: 2", "per_page: 3"),
    "a template": lambda site, output: theme_override(site),
    "an empty folder": lambda site, output: (site / "templates" / "partials").mkdir(parents=True),
    "the output deleted": lambda site, output: __import__("shutil").rmtree(output),
    "the output's marker": lambda site, output: (output / ".ogpsite-output").write_text("tree: somebody-else\n", encoding="utf-8"),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_any_change_to_what_a_build_reads_or_writes_builds_again(tmp_path: Path, edit: Callable[[Path, Path], None]) -> None:
    site = warned_site(tmp_path / "site")
    (site / "templates").mkdir()
    age(site)
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    edit(site, output)
    result = build(site, output, today=TODAY)
    assert UNCHANGED not in result.timings
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


OPTIONS: dict[str, dict[str, object]] = {
    "another day": {"today": date(2024, 6, 2)},
    "drafts": {"drafts": True},
    "another base url": {"overrides": {"base_url": "https://owner.github.io/archive/"}},
    "search off": {"overrides": {"search": False}},
}


@pytest.mark.parametrize("options", OPTIONS.values(), ids=OPTIONS.keys())
def test_other_options_build_again(tmp_path: Path, options: dict[str, object]) -> None:
    site = warned_site(tmp_path / "site")
    age(site)
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    assert UNCHANGED not in build(site, output, **{"today": TODAY, **options}).timings  # type: ignore[arg-type]
    assert UNCHANGED not in build(site, output, today=TODAY).timings  # and back: the last build's answer was for the others


def test_another_output_folder_builds_again(tmp_path: Path) -> None:
    site = warned_site(tmp_path / "site")
    age(site)
    build(site, tmp_path / "one", today=TODAY)
    assert UNCHANGED not in build(site, tmp_path / "two", today=TODAY).timings


def test_inputs_changed_just_now_are_not_trusted_by_their_stat(tmp_path: Path) -> None:
    """A file written in the clock tick its stat was taken in may change again and keep its mtime."""
    site = warned_site(tmp_path / "site")  # every file written just now
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    assert UNCHANGED not in build(site, output, today=TODAY).timings
    age(site)
    build(site, output, today=TODAY)
    assert list(build(site, output, today=TODAY).timings) == [UNCHANGED]


def slowed(monkeypatch: pytest.MonkeyPatch, seconds: float, meanwhile: Callable[[], None] = lambda: None) -> None:
    """Builds that spend `seconds` between reading the site and writing it, doing `meanwhile` then."""
    write = incremental.Builder._write

    def slow_write(self: incremental.Builder, *args: object) -> list[str]:
        time.sleep(seconds)
        meanwhile()
        return write(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(incremental.Builder, "_write", slow_write)


def edited_racily(root: Path) -> tuple[Path, Path, Path]:
    """A site built once, then a report edited 1.5 s ago: racy for the stamp taken as the next
    build begins (`RACY_NS`: 2 s), no longer once a build of a second has ended. Returns the
    site, the output and the report."""
    site = warned_site(root / "site")
    age(site)
    output = root / "out"
    build(site, output, today=TODAY)
    report = site / REPORTS / "2019/podaci.md"
    replace_in(report, "Objavljeni su", "Danas su objavljeni")
    then = time.time() - 1.5
    os.utime(report, (then, then))
    return site, output, report


def test_a_report_racy_as_the_build_began_is_trusted_once_the_build_shows_it_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit saved just before a build that outlasts its racy time: the next build answers at once."""
    site, output, _ = edited_racily(tmp_path)
    slowed(monkeypatch, 1.0)
    assert UNCHANGED not in build(site, output, today=TODAY).timings
    assert list(build(site, output, today=TODAY).timings) == [UNCHANGED]
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


def test_an_input_written_while_a_racy_build_runs_is_built_next_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build shows only its racy inputs unchanged; another input written while it runs (a
    report, the config) gives the next build another stamp all the same: it builds the change."""
    site, output, _ = edited_racily(tmp_path)
    other = site / REPORTS / "2014/radionica.md"
    with monkeypatch.context() as slow:
        slowed(slow, 1.0, lambda: replace_in(other, "title: ", "title: Nova "))
        build(site, output, today=TODAY)
    assert UNCHANGED not in build(site, output, today=TODAY).timings
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []


def test_a_racy_report_rewritten_with_its_stat_kept_is_built_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bytes changed after the build read them, in a way the stat cannot tell (the same size and
    mtime; inode and ctime left out of the stamp here, as a coarse clock would leave them): the
    bytes are compared, no stamp is stored, and the next build builds the new text."""
    monkeypatch.setattr(stamp, "stat_fields", lambda info: (info.st_mtime_ns, info.st_size, 0, 0))
    site, output, report = edited_racily(tmp_path)

    def same_stat_other_bytes() -> None:
        mtime = report.stat().st_mtime_ns
        replace_in(report, "Danas su objavljeni", "Danas su objavljenx")
        os.utime(report, ns=(mtime, mtime))

    with monkeypatch.context() as slow:
        slowed(slow, 1.0, same_stat_other_bytes)
        build(site, output, today=TODAY)
    assert UNCHANGED not in build(site, output, today=TODAY).timings  # the stamp still blind to inode and ctime
    clean_build(site, tmp_path / "clean")
    assert differences(output, tmp_path / "clean") == []
    assert "objavljenx" in (output / "lat" / "2019" / "06" / "podaci" / "index.html").read_text(encoding="utf-8")


def test_a_symbolic_link_among_the_inputs_makes_no_stamp(tmp_path: Path) -> None:
    """A link's own stat does not change when what it points to does."""
    site = warned_site(tmp_path / "site")
    (site / "content" / "notes.txt").symlink_to(site / "content" / "institutions.yml")
    age(site)
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    assert UNCHANGED not in build(site, output, today=TODAY).timings


def test_a_failed_build_is_not_taken_for_the_last_good_one(tmp_path: Path) -> None:
    site = warned_site(tmp_path / "site")
    age(site)
    output = tmp_path / "out"
    build(site, output, today=TODAY)
    replace_in(site / REPORTS / "2019/podaci.md", "title: Otvoreni podaci", "title:")
    age(site)
    for _ in range(2):
        with pytest.raises(incremental.BuildError):
            build(site, output, today=TODAY)
