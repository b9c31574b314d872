"""A build with nothing changed since the last gives the last one's answer (`build/stamp.py`),
and only then: every input, option and the output folder itself count."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from ogpsite.build import incremental
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
