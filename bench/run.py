#!/usr/bin/env python3
"""Benchmark ogpsite against Hugo and Pelican on generated archives.

    .venv/bin/python bench/run.py [--sizes 1000,5000,20000] [--runs 3]
                                  [--peers-venv bench/.peers-venv]

For each size N it generates an archive (``bench/gen_archive.py``, seed 1) into
``bench/work/site-N``, converts it into a Hugo site and a Pelican site (``bench/peers.py``
says what each peer builds), and then, ``--runs`` times, builds it cold with every tool in
turn (the order rotates between runs). The tools: ``ogpsite`` (``--no-search``), Hugo and
Pelican (no search), and the builds with search: ``ogpsite-search`` (ogpsite's default) and
``hugo+pagefind`` (Hugo, then Pagefind over Hugo's output, whose report pages carry
``data-pagefind-body``; Pagefind from the peers' venv). For the two search builds it also
records the index's bytes on disk and what a reader downloads for a first search (in
Debian's chromium: ogpsite's search page with its first ten results, which loads the
newest shards of the index only, as far back as those need, or Pagefind's API loading the
5 results its default UI shows). Each ogpsite build is followed by its rebuilds: no change, one
report edited (a sentence appended), then its title (a word added), then its tags (it
joins or leaves the `OGP` tag's list, whose later pages all shift by one report), one
template edited (a comment in the site's ``templates/base.html``, which extends
``theme/base.html``). Hugo's no-change and one-edit rebuilds are timed too, once per size,
for reference.

Each build runs as a child process that we wait for with ``os.wait4``: its rusage gives
the CPU time (user + sys, including the worker processes it waited for) and ru_maxrss, the
peak RSS of the largest single process in its tree. Because a process pool's memory is the
sum of its processes, a sampler also adds up the RSS of the whole process tree every
50 ms and keeps the peak ("tree RSS", an over-estimate for forked workers, which share
pages). Pelican runs as two processes at once, one per edition: its wall time is until
both end, CPU and ru_maxrss are summed.

Markdown tables go to stdout (progress to stderr) and everything measured to
``bench/results/<name>.json`` (default name from sizes and runs; no dates in names).
A tool that is not installed is skipped with a message.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import gen_archive  # noqa: E402
import peers  # noqa: E402

SEARCH_QUERIES = ("drustvo", "konsultacije", "obuka", "transparentnost budzeta")

PAGE = os.sysconf("SC_PAGE_SIZE")
EDIT_SENTENCE = "Dodatni tekst unesen je naknadno radi provere izmena."


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def ogpsite_package(exe: str) -> Path | None:
    """The folder of the `ogpsite` package that `exe` (a console script) imports, or None."""
    script = Path(shutil.which(exe) or exe)
    try:
        first = script.read_bytes().split(b"\n", 1)[0]
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    found = subprocess.run([*first[2:].decode().split(), "-c", "import ogpsite, os; print(os.path.dirname(ogpsite.__file__))"],
                           capture_output=True, text=True)
    return Path(found.stdout.strip()) if found.returncode == 0 and found.stdout.strip() else None


def source_digest(package: Path) -> str:
    """ogpsite's source as its cache's code fingerprint reads it (every file of the package but
    compiled ones): when it changes, the next build makes every page, record and index again.
    Editing the checkout the benchmark runs from during a run would time such a build as an
    edit (session 35's 1,000-report title edit with search: 6.02 s, everything made again)."""
    whole = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix != ".pyc" and "__pycache__" not in path.parts:
            whole.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return whole.hexdigest()


# ---------------------------------------------------------------------------
# Measuring one build
# ---------------------------------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split(None, 2)[1])
        kids.setdefault(ppid, []).append(int(name))
    return kids


def _tree_rss(roots: list[int]) -> int:
    kids = _children_map()
    total = 0
    stack = list(roots)
    seen: set[int] = set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
        stack.extend(kids.get(pid, ()))
    return total


class _Sampler(threading.Thread):
    def __init__(self, pids: list[int], interval: float = 0.05):
        super().__init__(daemon=True)
        self.pids, self.interval = pids, interval
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, _tree_rss(self.pids))
            self.done.wait(self.interval)


# The tools run as on a user's machine, where Python keeps the bytecode of the modules it
# compiles (`pip install` compiles an installed package's; an editable install's on first
# import): a machine set to write none would charge every run of a Python tool (ogpsite,
# Pelican) its modules' compiling, 0.07 s of each ogpsite command.
TOOL_ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


# `--drop-caches`: the kernel's page, dentry and inode caches emptied before every timed build.
# On this machine a build gets slower the longer the machine has been building (eight 1,000-report
# builds in a row rendered in 2.1 s, then 2.4, 2.6 ... 4.1 s, 40-48 % of it system time, with 1.3
# million dentries cached; 2.6-2.8 s again once the caches were dropped). Every tool then reads
# its sources and its own binary from the disk, as after a reboot. Needs root.
DROP_CACHES = False
OGPSITE_PACKAGE: Path | None = None  # the package the ogpsite executable runs (`ogpsite_package`)
SOURCE_AT_START: str | None = None  # its `source_digest` when the run began


def _drop_caches() -> None:
    with open("/proc/sys/vm/drop_caches", "w", encoding="ascii") as control:
        control.write("3\n")


def measure(commands: list[tuple[list[str], Path]], log_path: Path) -> dict:
    """Run commands concurrently; wall, CPU (user+sys) and peak memory of the lot."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # Nothing an earlier step wrote or deleted is left for this one's time: the page cache's
    # writeback of the last build's files, and the journal commit of a cold run's deleted
    # output and cache (on this machine's ext4, mounted with `discard`, a build right after
    # deleting the last one's 10,000 files spent 1.5-3 s in the kernel instead of 0.6 s).
    # Every tool gets the same (`hyperfine --prepare sync` does as much).
    os.sync()
    if DROP_CACHES:
        _drop_caches()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(log_path, "wb") as logf:
        t0 = time.perf_counter()
        procs = [subprocess.Popen(argv, cwd=cwd, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=TOOL_ENVIRONMENT)
                 for argv, cwd in commands]
        sampler = _Sampler([p.pid for p in procs])
        sampler.start()
        cpu = maxrss = 0.0
        codes = []
        for p in procs:
            _pid, status, ru = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
            codes.append(p.returncode)
            cpu += ru.ru_utime + ru.ru_stime
            maxrss += ru.ru_maxrss * 1024  # KiB on Linux
        wall = time.perf_counter() - t0
        sampler.done.set()
        sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    children_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    ok = all(c == 0 for c in codes)
    res = {"ok": ok, "exit_codes": codes, "wall_s": round(wall, 4), "cpu_s": round(cpu, 4),
           "children_cpu_s": round(children_cpu, 4), "maxrss_mib": round(maxrss / 2**20, 1),
           "tree_rss_mib": round(max(sampler.peak, 0) / 2**20, 1)}
    if not ok:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        res["log_tail"] = tail
        log(f"    FAILED (exit {codes}); log {log_path}:\n{tail}")
    return res


# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------


class Tool:
    name = ""

    def prepare(self, site: Path, reports: list[dict] | None, work: Path) -> None: ...

    def cold(self, work: Path, tag: str) -> dict: ...

    def output(self) -> Path: ...


class Ogpsite(Tool):
    def __init__(self, exe: str, search: bool):
        self.exe = exe
        self.search = search
        # `ogpsite` is compared with Hugo and Pelican, which build no search index; `ogpsite-search`
        # (ogpsite's default) with Hugo followed by Pagefind.
        self.name = "ogpsite-search" if search else "ogpsite"
        self.flags = [] if search else ["--no-search"]

    def prepare(self, site, reports, work):
        self.site, self.out, self.work = site, work / f"out-{self.name}", work

    def _cmd(self):
        return [([self.exe, "build", "--site", str(self.site), "--output", str(self.out), "--quiet", *self.flags], self.site)]

    def _measure(self, log_path: Path) -> dict:
        """`measure`, the result marked `code_changed` when ogpsite's source differs from what it
        was when the run began (`SOURCE_AT_START`), so the tables can say so."""
        result = measure(self._cmd(), log_path)
        if OGPSITE_PACKAGE is not None and source_digest(OGPSITE_PACKAGE) != SOURCE_AT_START:
            result["code_changed"] = True
            log(f"    WARNING: ogpsite's source ({OGPSITE_PACKAGE}) changed since the run began: not the code measured before"
                " (and the first build after the change makes everything again)")
        return result

    def clean(self):
        shutil.rmtree(self.out, ignore_errors=True)
        for cache in (self.site / ".ogpsite-cache", self.out.parent / ".ogpsite-cache"):
            shutil.rmtree(cache, ignore_errors=True)

    def cold(self, work, tag):
        self.clean()
        return self._measure(work / "logs" / f"ogpsite-{tag}.log")

    def rebuild(self, work, tag):
        return self._measure(work / "logs" / f"ogpsite-{tag}.log")

    def output(self):
        return self.out


class Hugo(Tool):
    name = "hugo"

    def __init__(self, exe: str):
        self.exe = exe

    def prepare(self, site, reports, work):
        self.src = work / "hugo-site"
        self.out = work / "out-hugo"
        self.cache = work / "hugo-cache"
        peers.write_hugo_site(reports, self.src)

    def _cmd(self):
        return [(peers.hugo_command(self.exe, self.src, self.out, self.cache), self.src)]

    def cold(self, work, tag):
        shutil.rmtree(self.out, ignore_errors=True)
        shutil.rmtree(self.cache, ignore_errors=True)
        shutil.rmtree(self.src / "resources", ignore_errors=True)
        return measure(self._cmd(), work / "logs" / f"hugo-{tag}.log")

    def rebuild(self, work, tag):
        return measure(self._cmd(), work / "logs" / f"hugo-{tag}.log")

    def output(self):
        return self.out


class HugoPagefind(Hugo):
    """Hugo, then Pagefind over its output: two processes one after the other, their times added."""

    name = "hugo+pagefind"
    search = True

    def __init__(self, exe: str, pagefind: str):
        super().__init__(exe)
        self.pagefind = pagefind

    def prepare(self, site, reports, work):
        super().prepare(site, reports, work)
        self.out = work / "out-hugo-pagefind"
        self.cache = work / "hugo-pagefind-cache"

    def cold(self, work, tag):
        built = super().cold(work, tag)
        if not built["ok"]:
            return built
        indexed = measure([(peers.pagefind_command(self.pagefind, self.out), self.src)], work / "logs" / f"pagefind-{tag}.log")
        both = {key: round(built[key] + indexed[key], 4) for key in ("wall_s", "cpu_s", "children_cpu_s")}
        both.update(ok=indexed["ok"], exit_codes=built["exit_codes"] + indexed["exit_codes"], hugo_wall_s=built["wall_s"],
                    pagefind_wall_s=indexed["wall_s"], maxrss_mib=max(built["maxrss_mib"], indexed["maxrss_mib"]),
                    tree_rss_mib=max(built["tree_rss_mib"], indexed["tree_rss_mib"]))
        return both


class Pelican(Tool):
    name = "pelican"

    def __init__(self, exe: str):
        self.exe = exe

    def prepare(self, site, reports, work):
        self.src = work / "pelican-site"
        self.out = work / "out-pelican"
        peers.write_pelican_site(reports, self.src)

    def cold(self, work, tag):
        shutil.rmtree(self.out, ignore_errors=True)
        for ed in peers.EDITIONS:
            shutil.rmtree(self.src / ed / "cache", ignore_errors=True)
        return measure(peers.pelican_commands(self.exe, self.src, self.out), work / "logs" / f"pelican-{tag}.log")

    def output(self):
        return self.out


# ---------------------------------------------------------------------------
# Search: the index on disk, and what a first search downloads
# ---------------------------------------------------------------------------

# Pagefind's own API as its default UI uses it: the first 5 results' fragments are loaded.
_PAGEFIND_FIRST_SEARCH = """async (query) => {
  const pagefind = await import("/pagefind/pagefind.js");
  const response = await pagefind.search(query);
  await Promise.all(response.results.slice(0, 5).map((result) => result.data()));
  return response.results.length;
}"""


def index_bytes(output: Path) -> int:
    return sum(path.stat().st_size for path in (output / "pagefind").rglob("*") if path.is_file())


def first_search(output: Path, ogpsite: bool) -> dict:
    """Bytes fetched below /pagefind/ by a fresh page for its first search, per query (and the median)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "playwright is not installed"}
    import functools
    import http.server

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
    per_query: dict[str, dict] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
            for query in SEARCH_QUERIES:
                context = browser.new_context()
                page = context.new_page()
                fetched: list[int] = []
                page.on("response", lambda response: fetched.append(len(response.body())) if "/pagefind/" in response.url else None)
                if ogpsite:
                    page.goto(f"{origin}/lat/search/?q={query}")
                    page.wait_for_function("document.getElementById('search-form').dataset.state === 'done'", timeout=120_000)
                    results = len(page.query_selector_all("#search-results li"))
                else:
                    page.goto(f"{origin}/lat/")
                    results = min(5, page.evaluate(_PAGEFIND_FIRST_SEARCH, query))
                page.wait_for_load_state("networkidle")
                per_query[query] = {"bytes": sum(fetched), "requests": len(fetched), "results_loaded": results}
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return {"bytes_median": median([q["bytes"] for q in per_query.values()]), "per_query": per_query}


# ---------------------------------------------------------------------------
# Site preparation and edits
# ---------------------------------------------------------------------------


def ensure_site(site: Path, count: int, seed: int) -> None:
    stamp = site / ".bench-gen.json"
    want = {"count": count, "seed": seed, "generator": _file_hash(HERE / "gen_archive.py")}
    if stamp.exists() and json.loads(stamp.read_text()) == want:
        return
    if site.exists():
        shutil.rmtree(site)
    t0 = time.perf_counter()
    gen_archive.generate(count, seed, site)
    log(f"  generated {count} reports in {time.perf_counter() - t0:.1f} s -> {site}")
    stamp.write_text(json.dumps(want))


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


TEMPLATE_OVERRIDE = '{%% extends "theme/base.html" %%}\n{# bench: template edit %d #}\n'


def write_template_override(site: Path, n: int) -> Path:
    path = site / "templates" / "base.html"
    path.parent.mkdir(exist_ok=True)
    path.write_text(TEMPLATE_OVERRIDE % n, encoding="utf-8")
    return path


def append_sentence(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    cyr = any("\u0400" <= c <= "\u04ff" for c in text[:400])
    sentence = gen_archive.to_cyrillic(EDIT_SENTENCE) if cyr else EDIT_SENTENCE
    path.write_text(text.rstrip("\n") + " " + sentence + "\n", encoding="utf-8")


def edit_title(path: Path, n: int) -> None:
    """A word added to the report's title: a front-matter edit that moves the report nowhere."""
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    line = lines[number]
    lines[number] = f'{line[:-1]} {n}"' if line.endswith('"') else f"{line} {n}"
    path.write_text("\n".join(lines), encoding="utf-8")


def toggle_tag(path: Path, tag: str = "OGP") -> None:
    """The report joins the tag's list, or leaves it (the line count stays): every later page of
    that list shifts by one report, and the tag's count changes on the tags page. `OGP` is
    written the same in both scripts and is on about one report in seven."""
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("tags: ["))
    tags = [name for name in lines[number][len("tags: ["):-1].split(", ") if name]
    tags = [name for name in tags if name != tag] if tag in tags else [tag, *tags]
    lines[number] = f"tags: [{', '.join(tags)}]"
    path.write_text("\n".join(lines), encoding="utf-8")


def append_sentence_both(paths: list[Path]) -> None:
    for p in paths:
        append_sentence(p)


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def summarize(runs: list[dict]) -> dict:
    ok = [r for r in runs if r["ok"]]
    if not ok:
        return {"ok": False}
    return {
        "ok": True,
        "runs": len(ok),
        "code_changed": any(r.get("code_changed") for r in ok),
        "wall_s": round(median([r["wall_s"] for r in ok]), 3),
        "wall_min_s": min(r["wall_s"] for r in ok),
        "wall_max_s": max(r["wall_s"] for r in ok),
        "cpu_s": round(median([r["cpu_s"] for r in ok]), 3),
        "maxrss_mib": round(median([r["maxrss_mib"] for r in ok]), 1),
        "tree_rss_mib": round(median([r["tree_rss_mib"] for r in ok]), 1),
    }


def fmt(x, nd=2):
    return "–" if x is None else f"{x:.{nd}f}"


CODE_CHANGED_MARK = " (code changed)"  # after a time measured with ogpsite's source changed since the run began


def work_filesystem(path: Path, mounts: Path = Path("/proc/mounts"), ext4_info: Path = Path("/sys/fs/ext4")) -> dict:
    """The file system the builds write to: its mount point, type, and for ext4 whether it has a
    journal. Without one, ext4 skips over the inodes freed in the last minute or more, one at a
    time, for every inode it allocates (`recently_deleted` in fs/ext4/ialloc.c): a cold build
    that follows the removal of a tree pays for it in kernel time, whichever tool it is (on
    this machine's root file system, a 5,000-report build's system time grew from 2.4 s to
    10-12 s over six builds in a row; 1.2-1.7 s each on a journaled ext4)."""
    path = path.resolve()
    best = None
    try:
        with open(mounts, encoding="utf-8") as listed:
            for line in listed:
                device, mount_point, fs_type = line.split()[:3]
                mount_point = mount_point.replace("\\040", " ")
                if (path == Path(mount_point) or Path(mount_point) in path.parents) and (best is None or len(mount_point) > len(best[1])):
                    best = (device, mount_point, fs_type)
    except OSError:
        return {}
    if best is None:
        return {}
    device, mount_point, fs_type = best
    found: dict = {"mount_point": mount_point, "type": fs_type}
    journal = ext4_info / Path(os.path.realpath(device)).name / "journal_task"
    if fs_type == "ext4" and journal.exists():
        found["journal"] = journal.read_text(encoding="utf-8").strip() != "<none>"
    return found


def filesystem_text(found: dict) -> str:
    if not found:
        return "file system unknown"
    journal = {True: ", journaled", False: ", without a journal"}.get(found.get("journal"), "")
    return f"{found['type']}{journal} at {found['mount_point']}"


def ratio(a, b):
    return None if (a is None or not b) else a / b


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,5000,20000", help="comma-separated report counts")
    ap.add_argument("--runs", type=int, default=3, help="cold builds per tool and size")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--peers-venv", type=Path, default=HERE / ".peers-venv")
    ap.add_argument("--ogpsite", default=str(ROOT / ".venv" / "bin" / "ogpsite"), help="ogpsite executable")
    ap.add_argument("--tools", default="ogpsite,ogpsite-search,hugo,hugo+pagefind,pelican")
    ap.add_argument("--work", type=Path, default=HERE / "work")
    ap.add_argument("--name", default=None, help="results file name (bench/results/NAME.json)")
    ap.add_argument("--no-peer-rebuilds", action="store_true", help="skip Hugo's rebuild timings")
    ap.add_argument("--ogpsite-sizes", default=None,
                    help="comma-separated sizes at which to run ogpsite (default: every size)")
    ap.add_argument("--drop-caches", action="store_true",
                    help="empty the kernel's caches before every timed build (root only; see DROP_CACHES)")
    args = ap.parse_args(argv)
    if args.drop_caches:
        global DROP_CACHES
        try:
            _drop_caches()
        except OSError as error:
            ap.error(f"--drop-caches: cannot write /proc/sys/vm/drop_caches ({error.strerror}); it needs root")
        DROP_CACHES = True

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    og_sizes = set(sizes) if args.ogpsite_sizes is None else {int(s) for s in args.ogpsite_sizes.split(",") if s}
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    name = args.name or ("n" + "-".join(str(s) for s in sizes) + f"-r{args.runs}")
    out_path = out_dir / f"{name}.json"
    wanted = [t.strip() for t in args.tools.split(",") if t.strip()]
    tools: list[Tool] = []
    skipped: dict[str, str] = {}
    for name, search in (("ogpsite", False), ("ogpsite-search", True)):
        if name not in wanted:
            continue
        if Path(args.ogpsite).exists() or shutil.which(args.ogpsite):
            tools.append(Ogpsite(args.ogpsite, search))
        else:
            skipped[name] = f"{args.ogpsite} not found (make build installs it)"
    hugo = peers.find_hugo(args.peers_venv)
    pagefind = peers.find_pagefind(args.peers_venv)
    if "hugo" in wanted:
        if hugo:
            tools.append(Hugo(hugo))
        else:
            skipped["hugo"] = f"not installed in {args.peers_venv} (run `make bench-peers`)"
    if "hugo+pagefind" in wanted:
        if hugo and pagefind:
            tools.append(HugoPagefind(hugo, pagefind))
        else:
            skipped["hugo+pagefind"] = f"Hugo or Pagefind not installed in {args.peers_venv} (run `make bench-peers`)"
    if "pelican" in wanted:
        exe = peers.find_pelican(args.peers_venv)
        if exe:
            tools.append(Pelican(exe))
        else:
            skipped["pelican"] = f"not installed in {args.peers_venv} (run `make bench-peers`)"
    for name, why in skipped.items():
        log(f"skipping {name}: {why}")
    if any(isinstance(t, Ogpsite) for t in tools):
        global OGPSITE_PACKAGE, SOURCE_AT_START
        OGPSITE_PACKAGE = ogpsite_package(args.ogpsite)
        SOURCE_AT_START = source_digest(OGPSITE_PACKAGE) if OGPSITE_PACKAGE else None
    if not tools:
        log("nothing to run")
        return 1

    results: dict = {
        "sizes": sizes, "runs": args.runs, "seed": args.seed,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "work_fs": work_filesystem(args.work)},
        "tools": [t.name for t in tools], "skipped": skipped, "per_size": {},
    }
    if results["machine"]["work_fs"].get("journal") is False:
        log(f"WARNING: {args.work} is on ext4 without a journal: a build after a tree was removed pays kernel time"
            " for it (`work_filesystem`); --work on a journaled file system gives steadier times")
    all_tools = tools
    for n in sizes:
        log(f"== N = {n}")
        tools = [t for t in all_tools if not isinstance(t, Ogpsite) or n in og_sizes]
        work = args.work / f"n{n}"
        site = args.work / f"site-{n}"
        ensure_site(site, n, args.seed)
        ogs = [t for t in tools if isinstance(t, Ogpsite)]
        if ogs:
            write_template_override(site, 0)
        reports = None
        if any(not isinstance(t, Ogpsite) for t in tools):
            t0 = time.perf_counter()
            reports = peers.read_archive(site)
            log(f"  read archive for peers in {time.perf_counter() - t0:.1f} s")
        for t in tools:
            t0 = time.perf_counter()
            t.prepare(site, reports, work)
            if not isinstance(t, Ogpsite):
                log(f"  wrote {t.name} site in {time.perf_counter() - t0:.1f} s")
        # A report to edit: the middle one, in path order.
        report_files = sorted((site / "content" / "reports").glob("*/*.md"))
        edit_path = report_files[len(report_files) // 2]
        edit_rep = next((r for r in reports if r["path"] == edit_path), None) if reports else None

        size_res: dict = {"cold": {t.name: [] for t in tools}, "pages": {}, "rebuilds": {}, "expected": None, "search": {}}
        if reports:
            size_res["expected"] = peers.expected_counts(reports)
        og_re = {t.name: {"no_change": [], "report_edit": [], "title_edit": [], "tag_edit": [], "template_edit": []} for t in ogs}
        broken: set[str] = set()
        edits = itertools.count(1)  # each title and template edit differs from every earlier one, whichever tool makes it
        for run in range(args.runs):
            order = tools[run % len(tools):] + tools[:run % len(tools)]
            for t in order:
                if t.name in broken:
                    continue
                log(f"  run {run + 1}/{args.runs}: {t.name} cold ...")
                r = t.cold(work, f"cold-{run}")
                size_res["cold"][t.name].append(r)
                log(f"    wall {r['wall_s']:.2f} s  cpu {r['cpu_s']:.2f} s  maxrss {r['maxrss_mib']:.0f} MiB"
                    f"  tree {r['tree_rss_mib']:.0f} MiB")
                if not r["ok"]:
                    broken.add(t.name)
                    continue
                if t.name not in size_res["pages"]:
                    size_res["pages"][t.name] = peers.count_output(t.output())
                    log(f"    pages: {size_res['pages'][t.name]}")
                if getattr(t, "search", False) and t.name not in size_res["search"]:
                    found = {"index_bytes": index_bytes(t.output()), "first_search": first_search(t.output(), isinstance(t, Ogpsite))}
                    size_res["search"][t.name] = found
                    log(f"    search index {found['index_bytes']:,} bytes; first search {found['first_search'].get('bytes_median')} bytes")
                if isinstance(t, Ogpsite):
                    steps = [
                        ("no_change", None),
                        ("report_edit", lambda: append_sentence(edit_path)),
                        ("title_edit", lambda: edit_title(edit_path, next(edits))),
                        ("tag_edit", lambda: toggle_tag(edit_path)),
                        ("template_edit", lambda: write_template_override(site, next(edits))),
                    ]
                    for key, action in steps:
                        if action:
                            action()
                        rr = t.rebuild(work, f"{t.name}-{key}-{run}")
                        og_re[t.name][key].append(rr)
                        log(f"    {t.name} {key}: wall {rr['wall_s']:.2f} s  cpu {rr['cpu_s']:.2f} s"
                            f"  maxrss {rr['maxrss_mib']:.0f} MiB")
                elif type(t) is Hugo and run == 0 and not args.no_peer_rebuilds and edit_rep:
                    hr = {}
                    hr["no_change"] = t.rebuild(work, "no_change")
                    append_sentence_both(peers.hugo_report_files(t.src, edit_rep))
                    hr["report_edit"] = t.rebuild(work, "report_edit")
                    size_res["rebuilds"]["hugo"] = hr
                    log(f"    hugo no_change {hr['no_change']['wall_s']:.2f} s, "
                        f"report_edit {hr['report_edit']['wall_s']:.2f} s")
        size_res["rebuilds"].update(og_re)
        size_res["summary"] = {name: summarize(rs) for name, rs in size_res["cold"].items()}
        size_res["rebuild_summary"] = {name: {k: summarize(v) for k, v in steps.items() if v} for name, steps in og_re.items()}
        size_res["rebuild_summary"]["hugo"] = {k: summarize([v]) for k, v in size_res["rebuilds"].get("hugo", {}).items()}
        results["per_size"][str(n)] = size_res
        # Saved after every size, so an interrupted run keeps what it measured.
        out_path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")

    report = markdown(results)
    print(report)
    results["markdown"] = report
    out_path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    log(f"results: {out_path}")
    return 0


def markdown(results: dict) -> str:
    lines: list[str] = []
    sizes = results["sizes"]
    tools = results["tools"]
    m = results["machine"]
    lines.append(f"### Cold builds ({results['runs']} runs each, medians; {m['cpus']} CPUs, Python {m['python']}; "
                 f"{filesystem_text(m.get('work_fs', {}))})")
    lines.append("")
    lines.append("| N | tool | wall s | wall min–max | CPU s | ru_maxrss MiB | tree RSS MiB | ms/report | HTML pages | report pages |")
    lines.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        sr = results["per_size"][str(n)]
        for t in tools:
            s = sr["summary"].get(t)
            pages = sr["pages"].get(t, {})
            if s is None:
                lines.append(f"| {n} | {t} | not run | | | | | | | |")
                continue
            if not s.get("ok"):
                lines.append(f"| {n} | {t} | failed | | | | | | | |")
                continue
            lines.append(f"| {n} | {t} | {fmt(s['wall_s'])}{CODE_CHANGED_MARK if s.get('code_changed') else ''} | {fmt(s['wall_min_s'])}–{fmt(s['wall_max_s'])} | "
                         f"{fmt(s['cpu_s'])} | {fmt(s['maxrss_mib'], 0)} | {fmt(s['tree_rss_mib'], 0)} | "
                         f"{fmt(1000 * s['wall_s'] / n, 3)} | {pages.get('html_pages', '–')} | "
                         f"{pages.get('report', '–')} |")
    # Each ogpsite build against the peers that do the same work: without search, and with it.
    pairs = [(ours, peer) for ours, theirs in (("ogpsite", ("hugo", "pelican")), ("ogpsite-search", ("hugo+pagefind",)))
             if ours in tools for peer in theirs if peer in tools]
    if pairs:
        lines.append("")
        lines.append("### ogpsite ÷ peer (below 1 means ogpsite is faster / smaller)")
        lines.append("")
        lines.append("| N | ogpsite build | peer | wall | CPU | ru_maxrss | tree RSS |")
        lines.append("|---:|---|---|---:|---:|---:|---:|")
        for n in sizes:
            sm = results["per_size"][str(n)]["summary"]
            for ours, p in pairs:
                o, q = sm.get(ours, {}), sm.get(p, {})
                if not (o.get("ok") and q.get("ok")):
                    lines.append(f"| {n} | {ours} | {p} | – | – | – | – |")
                    continue
                lines.append(f"| {n} | {ours} | {p} | {fmt(ratio(o['wall_s'], q['wall_s']))} | "
                             f"{fmt(ratio(o['cpu_s'], q['cpu_s']))} | {fmt(ratio(o['maxrss_mib'], q['maxrss_mib']))} | "
                             f"{fmt(ratio(o['tree_rss_mib'], q['tree_rss_mib']))} |")
    searching = [t for t in ("ogpsite-search", "hugo+pagefind") if t in tools]
    if searching:
        lines.append("")
        lines.append("### Search index (first cold build)")
        lines.append("")
        lines.append("| N | tool | index on disk bytes | first search: bytes downloaded (median of queries) | results loaded |")
        lines.append("|---:|---|---:|---:|---:|")
        for n in sizes:
            found = results["per_size"][str(n)].get("search", {})
            for t in searching:
                f = found.get(t)
                if not f:
                    lines.append(f"| {n} | {t} | – | – | – |")
                    continue
                fs = f["first_search"]
                loaded = sorted({q["results_loaded"] for q in fs.get("per_query", {}).values()})
                lines.append(f"| {n} | {t} | {f['index_bytes']:,} | {fs.get('bytes_median') or '–'} | {'/'.join(map(str, loaded)) or '–'} |")
    ours_built = [t for t in ("ogpsite", "ogpsite-search") if t in tools]
    if ours_built:
        lines.append("")
        lines.append("### Rebuilds (medians; whole CLI process)")
        lines.append("")
        lines.append("| N | tool | no change s | one report edited s | its title edited s | its tags edited s | one template edited s | no change ÷ Hugo cold |")
        lines.append("|---:|---|---:|---:|---:|---:|---:|---:|")
        for n in sizes:
            sr = results["per_size"][str(n)]
            rs = sr["rebuild_summary"]
            hugo_cold = sr["summary"].get("hugo", {}).get("wall_s") if sr["summary"].get("hugo", {}).get("ok") else None

            def w(d, k):
                v = d.get(k, {})
                return v.get("wall_s") if v.get("ok") else None

            def shown(d, k):
                return fmt(w(d, k)) + (CODE_CHANGED_MARK if d.get(k, {}).get("code_changed") else "")

            for ours in ours_built:
                o = rs.get(ours, {})
                lines.append(f"| {n} | {ours} | {shown(o, 'no_change')} | {shown(o, 'report_edit')} | {shown(o, 'title_edit')} | "
                             f"{shown(o, 'tag_edit')} | {shown(o, 'template_edit')} | {fmt(ratio(w(o, 'no_change'), hugo_cold))} |")
            h = rs.get("hugo", {})
            if h:
                lines.append(f"| {n} | hugo | {fmt(w(h, 'no_change'))} | {fmt(w(h, 'report_edit'))} | – | – | – | "
                             f"{fmt(ratio(w(h, 'no_change'), hugo_cold))} |")
    if len(sizes) > 1:
        lines.append("")
        lines.append("### Time per report (cold wall ms / report; flat is good)")
        lines.append("")
        lines.append("| tool | " + " | ".join(f"N={n}" for n in sizes) + " | largest ÷ smallest N |")
        lines.append("|---|" + "---:|" * (len(sizes) + 1))
        for t in tools:
            vals = []
            for n in sizes:
                s = results["per_size"][str(n)]["summary"].get(t, {})
                vals.append(1000 * s["wall_s"] / n if s.get("ok") else None)
            lines.append(f"| {t} | " + " | ".join(fmt(v, 3) for v in vals) + f" | {fmt(ratio(vals[-1], vals[0]))} |")
    lines.append("")
    lines.append("### Pages produced (first cold build; both editions)")
    lines.append("")
    kinds = ["html_pages", "report", "home", "year", "month", "institution", "tag", "other_html", "redirects",
             "feeds", "files"]
    lines.append("| N | tool | " + " | ".join(kinds) + " |")
    lines.append("|---:|---|" + "---:|" * len(kinds))
    for n in sizes:
        sr = results["per_size"][str(n)]
        for t in tools:
            p = sr["pages"].get(t)
            if p:
                lines.append(f"| {n} | {t} | " + " | ".join(str(p.get(k, "–")) for k in kinds) + " |")
        e = sr.get("expected")
        if e:
            lines.append(f"| {n} | expected (×2 editions) | | {2 * e['reports']} | {2 * e['home_pages']} | "
                         f"≥{2 * e['years']} | ≥{2 * e['months']} | {2 * e['institution_pages']} | "
                         f"{2 * e['tag_pages']} | | | {2 + 2 * e['institutions']} | |")
    if results["skipped"]:
        lines.append("")
        for name, why in results["skipped"].items():
            lines.append(f"- skipped {name}: {why}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
