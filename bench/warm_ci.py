#!/usr/bin/env python3
"""A deploy in the site workflow after a one-report edit: a new checkout with the cache restored.

    python bench/warm_ci.py --count 20000 --runs 3 --work /tmp/warm-ci

What `.github/workflows/pages.yml` does on every push, run by hand: a git repository of a
generated archive (bench/gen_archive.py); a first run clones it and builds cold; each later
run edits one report (a new last paragraph, committed), clones the repository afresh (new
files, new mtimes), restores what the last run saved as `actions/cache` does (a tar archive
of `.ogpsite-cache` and `output`, hard links kept; every restored file then gets a new mtime
too, the harder case), and times `ogpsite check` and `ogpsite build`, as the workflow runs
them, with the same `--base-url`. `--cache-only` saves and restores `.ogpsite-cache` alone
(the workflow before it cached `output/`); `--moved` clones each run into a new folder (a
runner's workspace path is not promised). Prints each command's wall and CPU time and how
many pages the build rendered.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OGPSITE = [sys.executable, "-m", "ogpsite"]
BASE_URL = "https://owner.github.io/archive/"
GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org"]


def run(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds (user + sys of the process and its children) of `command`, and its stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.stderr


def touch_all(root: Path) -> None:
    """Every file below `root` gets a new mtime, as files unpacked by a runner may."""
    now = time.time()
    for folder, _, files in os.walk(root):
        for name in files:
            os.utime(os.path.join(folder, name), (now, now), follow_symlinks=False)


def edit_one_report(origin: Path, number: int) -> str:
    reports = sorted((origin / "content" / "reports").rglob("*.md"))
    report = reports[(len(reports) * (number + 1)) // 7 % len(reports)]
    with report.open("a", encoding="utf-8") as stream:
        stream.write(f"\n\nDodatni tekst broj {number}, unesen naknadno radi provere izmena.\n")
    subprocess.run([*GIT, "commit", "-qam", f"edit {number}"], cwd=origin, check=True)
    return report.relative_to(origin).as_posix()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="Warm runs after the cold one.")
    parser.add_argument("--work", type=Path, required=True, help="A folder for the repository, checkouts and saved caches (emptied).")
    parser.add_argument("--cache-only", action="store_true", help="Save and restore .ogpsite-cache alone, not output/.")
    parser.add_argument("--moved", action="store_true", help="Clone each run into a folder of its own.")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    origin = args.work / "origin"
    subprocess.run([sys.executable, str(HERE / "gen_archive.py"), "--count", str(args.count), "--seed", str(args.seed), "--out", str(origin)],
                   check=True, capture_output=True)
    subprocess.run(["git", "init", "-q"], cwd=origin, check=True)
    subprocess.run(["git", "add", "-A"], cwd=origin, check=True)
    subprocess.run([*GIT, "commit", "-qm", "archive"], cwd=origin, check=True)
    saved = args.work / "saved-cache.tar"
    saved_paths = [".ogpsite-cache"] if args.cache_only else [".ogpsite-cache", "output"]
    for number in range(args.runs + 1):
        checkout = args.work / (f"checkout-{number}" if args.moved else "checkout")
        shutil.rmtree(checkout, ignore_errors=True)
        edited = edit_one_report(origin, number) if number else "-"
        subprocess.run(["git", "clone", "-q", str(origin), str(checkout)], check=True)
        if saved.exists():
            subprocess.run(["tar", "-xf", str(saved)], cwd=checkout, check=True)
            for name in saved_paths:
                touch_all(checkout / name)
        check_wall, check_cpu, _ = run([*OGPSITE, "check", "--base-url", BASE_URL], checkout)
        build_wall, build_cpu, log = run([*OGPSITE, "build", "--verbose", "--base-url", BASE_URL], checkout)
        rendered = next((line.strip() for line in log.splitlines() if "render" in line), "")
        kind = "cold" if number == 0 else "warm"
        print(f"run {number} ({kind}, edited {edited}): check {check_wall:.2f} s wall / {check_cpu:.2f} s CPU; "
              f"build {build_wall:.2f} s wall / {build_cpu:.2f} s CPU; {rendered}", flush=True)
        saved.unlink(missing_ok=True)
        subprocess.run(["tar", "-cf", str(saved), *saved_paths], cwd=checkout, check=True)
        if args.moved:
            shutil.rmtree(checkout)


if __name__ == "__main__":
    main()
