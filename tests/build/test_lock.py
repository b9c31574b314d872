"""One build of a site at a time (`build.lock`): a second waits for the first, and says so."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from ogpsite.build.incremental import build
from ogpsite.build.lock import site_lock
from tests.build.test_crash import ENV, generated_site, tree


def command(site: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "ogpsite", "build", "--site", str(site), *extra]


def test_a_build_waits_while_another_holds_the_site_and_says_so(tmp_path: Path) -> None:
    site = generated_site(tmp_path / "site", 20, seed=5)
    with site_lock(site):
        process = subprocess.Popen(command(site), env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        assert process.poll() is None, "the build ran while another held the site"
        assert not (site / "output").exists()
    out, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors
    assert "another build of this site is running" in errors
    assert "built 20 reports" in out


def test_a_quiet_build_waits_without_a_word(tmp_path: Path) -> None:
    site = generated_site(tmp_path / "site", 5, seed=5)
    with site_lock(site):
        process = subprocess.Popen(command(site, "--quiet"), env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1)
        assert process.poll() is None
    out, errors = process.communicate(timeout=120)
    assert (process.returncode, out, errors) == (0, "", "")


def test_the_lock_is_taken_again_by_its_own_process_and_let_go_at_the_end(tmp_path: Path) -> None:
    site = generated_site(tmp_path / "site", 5, seed=5)
    told: list[str] = []
    with site_lock(site, lambda: told.append("outer")):
        with site_lock(site, lambda: told.append("inner")):  # `build --clean`: the build inside takes it again
            build(site, site / "output")
    assert told == []
    # Let go: another process takes it at once.
    probe = "import sys; from pathlib import Path; from ogpsite.build.lock import site_lock\n" \
            "with site_lock(Path(sys.argv[1]), lambda: print('waited')): pass"
    assert subprocess.run([sys.executable, "-c", probe, str(site)], env=ENV, capture_output=True, text=True, timeout=60).stdout == ""


def test_two_builds_started_together_both_succeed_and_leave_one_whole_build(tmp_path: Path) -> None:
    site = generated_site(tmp_path / "site", 300, seed=5)
    clean = tmp_path / "clean"
    build(site, clean, cache=False)
    expected = tree(clean)
    # Clean builds both: each makes the same fresh tree and twin in the cache folder.
    processes = [subprocess.Popen(command(site, "--quiet"), env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(process.wait(timeout=300), process.stderr.read()) for process in processes]  # type: ignore[union-attr]
    assert [code for code, _ in results] == [0, 0], results
    assert tree(site / "output") == {**expected, ".ogpsite-output": "marker"}
    assert sorted(path.name for path in site.iterdir()) == [".ogpsite-cache", "content", "ogpsite.yml", "output"]
