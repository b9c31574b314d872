"""ogpsite's own build times: cold, no-change, one-report edit, one-template edit.

    .venv/bin/python bench/ogpsite_only.py --count 1000 5000 20000 [--runs 3] [--no-search]

Each scenario runs the whole CLI in a fresh process (as an editor or CI would) and prints
the median wall time, CPU time (user+sys of the children) and peak RSS, with the load
average before the run (the machine may be shared). `--no-search` hides Pagefind from
the build, to time ogpsite itself: the search index is rebuilt whole whenever any report
changes.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
NO_SEARCH = "import sys; import ogpsite.search as s; s.available = lambda: False; from ogpsite.cli import main; sys.exit(main())"


def run_build(site: Path, output: Path, search: bool) -> tuple[float, float, int]:
    command = [sys.executable, "-m", "ogpsite"] if search else [sys.executable, "-c", NO_SEARCH]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([*command, "build", "-q", "--site", str(site), "--output", str(output)], check=True, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss // 1024  # MB; ru_maxrss is the largest child so far


def edit_report(site: Path, round_number: int) -> None:
    reports = sorted((site / "content" / "reports").rglob("*.md"))
    with reports[len(reports) // 2].open("a", encoding="utf-8") as stream:
        stream.write(f"\nДодатак {round_number}.\n")


def edit_template(site: Path, round_number: int) -> None:
    templates = site / "templates"
    templates.mkdir(exist_ok=True)
    theme_base = HERE.parent / "themes" / "default" / "templates" / "base.html"
    text = theme_base.read_text(encoding="utf-8")
    (templates / "base.html").write_text(text.replace("<body", f"<!-- edit {round_number} -->\n<body", 1), encoding="utf-8")


def measure(count: int, runs: int, search: bool) -> None:
    site = WORK / f"archive-{count}"
    if not site.exists():
        subprocess.run([sys.executable, str(HERE / "gen_archive.py"), "--count", str(count), "--seed", "1", "--out", str(site)], check=True)
    shutil.rmtree(site / "templates", ignore_errors=True)
    output = WORK / f"output-{count}"
    results: dict[str, list[tuple[float, float, int, float]]] = {name: [] for name in ("cold", "no change", "one-report edit", "template edit")}
    for round_number in range(runs):
        shutil.rmtree(site / ".ogpsite-cache", ignore_errors=True)
        shutil.rmtree(output, ignore_errors=True)
        steps = [("cold", None), ("no change", None), ("one-report edit", edit_report), ("template edit", edit_template)]
        for name, edit in steps:
            if edit:
                edit(site, round_number)
            load = os.getloadavg()[0]
            results[name].append((*run_build(site, output, search), load))
    print(f"N = {count} ({'with' if search else 'without'} search), medians of {runs}:")
    for name, samples in results.items():
        wall = statistics.median(sample[0] for sample in samples)
        cpu = statistics.median(sample[1] for sample in samples)
        print(f"  {name:16} wall {wall:7.2f} s  cpu {cpu:7.2f} s  {1000 * wall / count:6.2f} ms/report  load before {[round(s[3], 1) for s in samples]}")
    print(f"  peak RSS of any build process: {max(sample[2] for samples in results.values() for sample in samples)} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-search", action="store_true")
    arguments = parser.parse_args()
    for count in arguments.count:
        measure(count, arguments.runs, not arguments.no_search)


if __name__ == "__main__":
    main()
