"""Fault injection: `kill -9` a build at every phase boundary and at random moments.

On a generated archive of 1,000 reports, a build is killed while it writes an edit (or takes
it back); `output/` must then hold exactly the files of one whole build, the old one or the
new one (no staged, temporary or half-written file), nothing may be left beside it, and the
next build must give what a clean build gives.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from pathlib import Path

import pytest

from ogpsite.build.cache import BuildCache
from ogpsite.build.incremental import build
from ogpsite.build.outdir import MARKER
from ogpsite.build.swap import OutputTrees
from tests.build.test_incremental import TODAY, make_site, replace_in, theme_override

REPO = Path(__file__).resolve().parents[2]
REPORTS = 1000
PHASES = ("twin-unrecorded", "twin-pruned", "twin-linked", "twin-written", "twin-filled", "twin-swapped")
CLEAN_PHASES = ("twin-ahead-begun", "fresh-filled", "fresh-swapped", "twin-linked-whole")
RENEWAL_PHASES = ("twin-ahead-begun", "twin-stale-aside", "twin-linked-whole")  # a build that rewrote most files makes its twin again
RANDOM_KILLS = 4

Tree = dict[str, str]  # path -> digest of the bytes


def tree(root: Path) -> Tree:
    """Every file below `root`, hidden ones too; a link or anything but a file fails the test.
    The marker counts by being there: the name it gives depends on the cache, not the site."""
    found: Tree = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = Path(folder, name)
            assert path.is_file() and not path.is_symlink(), path
            found[path.relative_to(root).as_posix()] = "marker" if path == root / MARKER else hashlib.sha1(path.read_bytes()).hexdigest()
    return found


@dataclass
class Archive:
    site: Path
    report: Path  # the report edited back and forth
    original: str
    trees: dict[int, Tree]  # variant of the report -> the output of a whole build

    def edit(self, variant: int) -> None:
        """Three variants of one report's title (each moves it in the lists): with three, a twin
        that wrongly kept its record would hold a variant the next build does not want."""
        self.report.write_text(self.original.replace("title: ", ("title: ", "title: Aaa ", "title: Bbb ")[variant], 1), encoding="utf-8")
        os.utime(self.report, (time.time() - 10, time.time() - 10))  # not "racily clean": the stat alone tells

    def command(self, *extra: str) -> list[str]:
        return [sys.executable, "-m", "ogpsite", "build", "--site", str(self.site), "--quiet", *extra]

    def assert_whole(self, when: str) -> int:
        """`output/` is one whole build (returns which variant's); nothing stray beside it."""
        found = tree(self.site / "output")
        assert found in self.trees.values(), f"{when}: output/ is no whole build: {sorted(set(found.items()) ^ set(self.trees[0].items()))[:6]}"
        assert sorted(path.name for path in self.site.iterdir()) == [".ogpsite-cache", "content", "ogpsite.yml", "output"], when
        return next(variant for variant, whole in self.trees.items() if whole == found)


ENV = {**os.environ, "PYTHONPATH": str(REPO), "OGPSITE_JOBS": "2"}


def generated_site(site: Path, count: int, seed: int) -> Path:
    """A site of `count` reports from the bench's generator, without search: Pagefind's index has
    tests of its own; here it would only take time."""
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_archive.py"), "--count", str(count), "--seed", str(seed), "--out", str(site)],
                   check=True, capture_output=True)
    with (site / "ogpsite.yml").open("a", encoding="utf-8") as config:
        config.write("search: false\n")
    return site


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    site = generated_site(tmp_path_factory.mktemp("crash") / "site", REPORTS, seed=3)
    report = sorted((site / "content" / "reports").rglob("*.md"))[REPORTS // 2]
    found = Archive(site, report, report.read_text(encoding="utf-8"), {})
    for variant in range(3):  # the output then holds variant 2, its twin variant 1
        found.edit(variant)
        build(site, site / "output")
        found.trees[variant] = tree(site / "output")
    assert len({tuple(sorted(whole.items())) for whole in found.trees.values()}) == 3
    yield found


def killed_build(archive: Archive, variant: int, *, at: str | None = None, after: float | None = None, extra: tuple[str, ...] = ()) -> None:
    """Run a build towards `variant` and kill it: at the phase `at` (it kills itself) or `after` seconds."""
    archive.edit(variant)
    environment = {**ENV, "OGPSITE_KILL_AT": at} if at else ENV
    process = subprocess.Popen(archive.command(*extra), env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if after is not None:
        time.sleep(after)
        process.send_signal(signal.SIGKILL)
    _, errors = process.communicate(timeout=120)
    if at:
        assert process.returncode == -signal.SIGKILL, f"the build never reached {at}: {errors.decode()[-400:]}"


def recover(archive: Archive, variant: int, when: str) -> None:
    """The next build, uninterrupted, towards `variant`: the whole build of the site as it is."""
    archive.edit(variant)
    build(archive.site, archive.site / "output")
    assert tree(archive.site / "output") == archive.trees[variant], f"after {when}: the next build is not the clean one"
    archive.assert_whole(f"after {when}")


class Course:
    """What the output and its twin hold (variants): the fixture's three builds leave 2 and 1."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.output, self.twin = 2, 1

    def killed_then_recovered(self, when: str, **kill: Any) -> int:
        """Kill a build towards the variant neither tree holds, then build the twin's variant:
        a twin that kept its record while the killed build wrote into it would give a wrong site.
        Returns the variant the killed build left in the output."""
        target = 3 - self.output - self.twin
        killed_build(self.archive, target, **kill)
        left = self.archive.assert_whole(when)
        assert left in (self.output, target), when
        recover(self.archive, self.twin, when)
        self.output, self.twin = self.twin, left
        return left


def test_a_build_killed_at_each_phase_leaves_one_whole_build(archive: Archive) -> None:
    """Each phase of an incremental write: before the swap the output is the old build, from the swap on the new one."""
    course = Course(archive)
    for phase in PHASES:
        before = course.output
        left = course.killed_then_recovered(phase, at=phase)
        assert (left != before) == (phase == "twin-swapped"), f"{phase}: the swap is the moment the output changes"


def test_builds_killed_at_random_moments_leave_one_whole_build(archive: Archive) -> None:
    chance = random.Random(18)
    course = Course(archive)
    recover(archive, course.output, "the setup")
    started = time.monotonic()
    recover(archive, course.twin, "the measure")  # in this process: the command takes its start-up besides
    took = time.monotonic() - started + 0.5
    course.output, course.twin = course.twin, course.output
    for _ in range(RANDOM_KILLS):
        delay = chance.uniform(0.2, took)
        course.killed_then_recovered(f"a kill after {delay:.2f} s", after=delay)


@pytest.mark.parametrize("phase", CLEAN_PHASES)
def test_a_clean_build_killed_at_each_phase_leaves_one_whole_build(tmp_path: Path, phase: str) -> None:
    """A clean build (here of a small site: the phases are the same) replaces the output whole or not at all."""
    site = make_site(tmp_path / "site")
    build(site, site / "output", today=TODAY)
    before = tree(site / "output")
    replace_in(site / "content" / "reports" / "2019" / "dan.md", "Обележен је дан.", "Обележен је дан права.")
    killed = subprocess.run([sys.executable, "-m", "ogpsite", "build", "--site", str(site), "--clean", "--quiet"], env={**ENV, "OGPSITE_KILL_AT": phase},
                            capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-400:]
    assert tree(site / "output") == before or phase not in ("twin-ahead-begun", "fresh-filled")
    assert sorted(path.name for path in site.iterdir()) == [".ogpsite-cache", "content", "ogpsite.yml", "output"]
    build(site, site / "output", today=TODAY)
    build(site, tmp_path / "clean", today=TODAY, cache=False)
    assert tree(site / "output") == tree(tmp_path / "clean")


def test_an_edit_killed_while_its_search_index_is_made_ahead_leaves_the_output(tmp_path: Path) -> None:
    """An edit's search index is begun before its pages, in a folder beside the trees
    (`search.IndexAhead`): a kill then leaves the output as it was, and the next build removes
    the half-made index and gives what a clean build gives."""
    site = make_site(tmp_path / "site")
    build(site, site / "output", today=TODAY)
    before = tree(site / "output")
    replace_in(site / "content" / "reports" / "2019" / "dan.md", "Обележен је дан.", "Обележен је дан права.")
    killed = subprocess.run([sys.executable, "-m", "ogpsite", "build", "--site", str(site), "--quiet"], env={**ENV, "OGPSITE_KILL_AT": "index-ahead-begun"},
                            capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-400:]
    assert tree(site / "output") == before
    index_ahead = OutputTrees(site / "output", BuildCache(site)).index_ahead
    assert index_ahead.is_dir()  # what the kill left
    build(site, site / "output", today=TODAY)
    assert not index_ahead.exists()
    build(site, tmp_path / "clean", today=TODAY, cache=False)
    assert tree(site / "output") == tree(tmp_path / "clean")


@pytest.mark.parametrize("phase", RENEWAL_PHASES)
def test_a_build_killed_while_it_makes_its_twin_again_leaves_the_new_output(tmp_path: Path, phase: str) -> None:
    """A build that rewrites most files (a template edited) links a twin anew as it writes them,
    swaps its tree in, and removes the tree it swapped out while it finishes the twin
    (`OutputTrees.update`): a kill leaves the old output (while it writes) or the new one whole
    and nothing beside it, and the next build, an edit, gives what a clean build gives."""
    site = make_site(tmp_path / "site")
    command = [sys.executable, "-m", "ogpsite", "build", "--site", str(site), "--quiet"]
    subprocess.run(command, env=ENV, check=True)
    replace_in(site / "content" / "reports" / "2019" / "dan.md", "Обележен је дан.", "Обележен је дан права.")
    subprocess.run(command, env=ENV, check=True)  # the output and its twin both known
    before = tree(site / "output")
    theme_override(site)  # every page changes
    killed = subprocess.run(command, env={**ENV, "OGPSITE_KILL_AT": phase}, capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-400:]
    build(site, tmp_path / "clean", cache=False)
    assert tree(site / "output") == (before if phase == "twin-ahead-begun" else tree(tmp_path / "clean"))  # swapped in after that phase
    assert sorted(path.name for path in site.iterdir()) == [".ogpsite-cache", "content", "ogpsite.yml", "output", "templates"]
    replace_in(site / "content" / "reports" / "2019" / "dan.md", "Обележен је дан права.", "Обележен је дан задругара.")
    subprocess.run(command, env=ENV, check=True)
    trees = OutputTrees(site / "output", BuildCache(site))
    assert not trees.stale.exists() and not trees.ahead.exists()  # what the kill left is removed
    build(site, tmp_path / "clean-after", cache=False)
    assert tree(site / "output") == tree(tmp_path / "clean-after")
