"""The output folder is ogpsite's or it is refused; a build changes nothing but it and the cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ogpsite.build.incremental import build
from ogpsite.build.outdir import MARKER, OutputRefused, exchange
from tests.build.test_incremental import EDITS, TODAY, clean_build, make_site

REPO = Path(__file__).resolve().parents[2]


def snapshot(root: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes | str]:
    """Every entry below `root` (files by bytes, links by target, folders by name), but those below
    `skip` and the cache; the marker by being there (the name it gives depends on the cache)."""
    found: dict[str, bytes | str] = {}
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(folder, name)
            shown = path.relative_to(root).as_posix()
            if shown.split("/")[0] in skip or ".ogpsite-cache" in shown.split("/"):  # the cache is the build's own
                continue
            found[shown] = os.readlink(path) if path.is_symlink() else "marker" if shown == MARKER else path.read_bytes() if path.is_file() else "folder"
    return found


@pytest.mark.parametrize("where", ["site root", "around the site", "content", "inside content", "templates", "cache"])
def test_an_output_that_is_the_site_or_its_sources_is_refused(tmp_path: Path, where: str) -> None:
    site = make_site(tmp_path / "site")
    (site / "templates").mkdir()
    output = {"site root": site, "around the site": tmp_path, "content": site / "content", "inside content": site / "content" / "reports" / "out",
              "templates": site / "templates", "cache": site / ".ogpsite-cache"}[where]
    before = snapshot(tmp_path)
    with pytest.raises(OutputRefused, match="site"):
        build(site, output, today=TODAY)
    assert snapshot(tmp_path) == before


def test_a_folder_of_someone_elses_files_is_refused_and_kept(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    other = tmp_path / "somefolder"
    (other / "notes").mkdir(parents=True)
    (other / "notes" / "thesis.txt").write_text("years of work", encoding="utf-8")
    before = snapshot(tmp_path)
    with pytest.raises(OutputRefused, match="holds files ogpsite did not write"):
        build(site, other, today=TODAY)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("kind", ["file", "pipe", "link to a folder", "link to a file"])
def test_an_output_that_is_not_a_folder_is_refused_and_kept(tmp_path: Path, kind: str) -> None:
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    (tmp_path / "target").mkdir()
    (tmp_path / "target.txt").write_text("kept", encoding="utf-8")
    if kind == "file":
        output.write_text("a file", encoding="utf-8")
    elif kind == "pipe":
        os.mkfifo(output)  # a device behaves the same: not a folder, refused before anything is touched
    else:
        output.symlink_to(tmp_path / ("target" if kind == "link to a folder" else "target.txt"))
    before = snapshot(tmp_path)
    with pytest.raises(OutputRefused, match="symbolic link" if "link" in kind else "not a folder"):
        build(site, output, today=TODAY)
    assert snapshot(tmp_path) == before


def test_an_empty_folder_is_taken_and_marked(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    (tmp_path / "out").mkdir()
    build(site, tmp_path / "out", today=TODAY)
    assert (tmp_path / "out" / MARKER).is_file() and (tmp_path / "out" / "cyr" / "index.html").is_file()
    build(site, tmp_path / "out", today=TODAY, cache=False)  # marked: a build may replace it, with or without a cache


def test_builds_change_nothing_but_the_output_and_the_cache(tmp_path: Path) -> None:
    """Clean, incremental and failing builds: every other file and folder beside them stays as it was."""
    site = make_site(tmp_path / "site")
    (tmp_path / "neighbour.txt").write_text("kept", encoding="utf-8")
    output = site / "output"
    build(site, output, today=TODAY)
    for name in ("body", "new report", "deleted report", "template change"):
        EDITS[name](site)
        before = snapshot(tmp_path, skip=("site",)), snapshot(site, skip=("output", ".ogpsite-cache"))
        build(site, output, today=TODAY)
        assert (snapshot(tmp_path, skip=("site",)), snapshot(site, skip=("output", ".ogpsite-cache"))) == before, name
        clean_build(site, tmp_path / "clean")
        assert snapshot(output) == snapshot(tmp_path / "clean"), name
    assert sorted(path.name for path in tmp_path.iterdir()) == ["clean", "neighbour.txt", "site"]


def test_the_swap_leaves_no_moment_without_the_output(tmp_path: Path) -> None:
    """RENAME_EXCHANGE where Linux has it: both folders are there before and after, exchanged."""
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "a").write_text("new", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a").write_text("old", encoding="utf-8")
    assert exchange(tmp_path / "new", tmp_path / "out", tmp_path / "aside")
    assert (tmp_path / "out" / "a").read_text(encoding="utf-8") == "new"
    assert (tmp_path / "new" / "a").read_text(encoding="utf-8") == "old"
    assert not (tmp_path / "aside").exists()


def test_the_command_says_why_and_writes_nothing(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    before = snapshot(tmp_path)
    result = subprocess.run([sys.executable, "-m", "ogpsite", "build", "--site", str(site), "--output", str(site)], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 1
    assert "is the site folder" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before
