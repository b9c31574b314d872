#!/usr/bin/env python3
"""Benchmark ogpsite against Hugo and Pelican on generated archives.

    .venv/bin/python bench/run.py [--sizes 1000,5000,20000] [--runs 3]
                                  [--peers-venv bench/.peers-venv]

For each size N it generates an archive (``bench/gen_archive.py``, seed 1) into
``bench/work/site-N``, converts it into a Hugo site and a Pelican site (``bench/peers.py``
says what each peer builds), and then, ``--runs`` times, builds it cold with every tool in
turn (the order rotates between runs), followed by ogpsite's rebuilds: no change, one
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

PAGE = os.sysconf("SC_PAGE_SIZE")
EDIT_SENTENCE = "Dodatni tekst unesen je naknadno radi provere izmena."


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


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


def measure(commands: list[tuple[list[str], Path]], log_path: Path) -> dict:
    """Run commands concurrently; wall, CPU (user+sys) and peak memory of the lot."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(log_path, "wb") as logf:
        t0 = time.perf_counter()
        procs = [subprocess.Popen(argv, cwd=cwd, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
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
    name = "ogpsite"

    def __init__(self, exe: str, search: bool):
        self.exe = exe
        # Hugo and Pelican build no search index, so by default neither does ogpsite here.
        self.flags = [] if search else ["--no-search"]

    def prepare(self, site, reports, work):
        self.site, self.out, self.work = site, work / "out-ogpsite", work

    def _cmd(self):
        return [([self.exe, "build", "--site", str(self.site), "--output", str(self.out), "--quiet", *self.flags], self.site)]

    def clean(self):
        shutil.rmtree(self.out, ignore_errors=True)
        for cache in (self.site / ".ogpsite-cache", self.out.parent / ".ogpsite-cache"):
            shutil.rmtree(cache, ignore_errors=True)

    def cold(self, work, tag):
        self.clean()
        return measure(self._cmd(), work / "logs" / f"ogpsite-{tag}.log")

    def rebuild(self, work, tag):
        return measure(self._cmd(), work / "logs" / f"ogpsite-{tag}.log")

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
    import hashlib
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
        "wall_s": round(median([r["wall_s"] for r in ok]), 3),
        "wall_min_s": min(r["wall_s"] for r in ok),
        "wall_max_s": max(r["wall_s"] for r in ok),
        "cpu_s": round(median([r["cpu_s"] for r in ok]), 3),
        "maxrss_mib": round(median([r["maxrss_mib"] for r in ok]), 1),
        "tree_rss_mib": round(median([r["tree_rss_mib"] for r in ok]), 1),
    }


def fmt(x, nd=2):
    return "–" if x is None else f"{x:.{nd}f}"


def ratio(a, b):
    return None if (a is None or not b) else a / b


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,5000,20000", help="comma-separated report counts")
    ap.add_argument("--runs", type=int, default=3, help="cold builds per tool and size")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--peers-venv", type=Path, default=HERE / ".peers-venv")
    ap.add_argument("--ogpsite", default=str(ROOT / ".venv" / "bin" / "ogpsite"), help="ogpsite executable")
    ap.add_argument("--tools", default="ogpsite,hugo,pelican")
    ap.add_argument("--with-search", action="store_true", help="let ogpsite build its Pagefind index too (the peers build none)")
    ap.add_argument("--work", type=Path, default=HERE / "work")
    ap.add_argument("--name", default=None, help="results file name (bench/results/NAME.json)")
    ap.add_argument("--no-peer-rebuilds", action="store_true", help="skip Hugo's rebuild timings")
    ap.add_argument("--ogpsite-sizes", default=None,
                    help="comma-separated sizes at which to run ogpsite (default: every size)")
    args = ap.parse_args(argv)

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    og_sizes = set(sizes) if args.ogpsite_sizes is None else {int(s) for s in args.ogpsite_sizes.split(",") if s}
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    name = args.name or ("n" + "-".join(str(s) for s in sizes) + f"-r{args.runs}")
    out_path = out_dir / f"{name}.json"
    wanted = [t.strip() for t in args.tools.split(",") if t.strip()]
    tools: list[Tool] = []
    skipped: dict[str, str] = {}
    if "ogpsite" in wanted:
        if Path(args.ogpsite).exists() or shutil.which(args.ogpsite):
            tools.append(Ogpsite(args.ogpsite, args.with_search))
        else:
            skipped["ogpsite"] = f"{args.ogpsite} not found (make build installs it)"
    if "hugo" in wanted:
        exe = peers.find_hugo(args.peers_venv)
        if exe:
            tools.append(Hugo(exe))
        else:
            skipped["hugo"] = f"not installed in {args.peers_venv} (run `make bench-peers`)"
    if "pelican" in wanted:
        exe = peers.find_pelican(args.peers_venv)
        if exe:
            tools.append(Pelican(exe))
        else:
            skipped["pelican"] = f"not installed in {args.peers_venv} (run `make bench-peers`)"
    for name, why in skipped.items():
        log(f"skipping {name}: {why}")
    if not tools:
        log("nothing to run")
        return 1

    results: dict = {
        "sizes": sizes, "runs": args.runs, "seed": args.seed,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "tools": [t.name for t in tools], "skipped": skipped, "per_size": {},
    }
    all_tools = tools
    for n in sizes:
        log(f"== N = {n}")
        tools = [t for t in all_tools if not isinstance(t, Ogpsite) or n in og_sizes]
        work = args.work / f"n{n}"
        site = args.work / f"site-{n}"
        ensure_site(site, n, args.seed)
        og = next((t for t in tools if isinstance(t, Ogpsite)), None)
        if og:
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

        size_res: dict = {"cold": {t.name: [] for t in tools}, "pages": {}, "rebuilds": {}, "expected": None}
        if reports:
            size_res["expected"] = peers.expected_counts(reports)
        og_re = {"no_change": [], "report_edit": [], "title_edit": [], "tag_edit": [], "template_edit": []}
        broken: set[str] = set()
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
                if isinstance(t, Ogpsite):
                    steps = [
                        ("no_change", None),
                        ("report_edit", lambda: append_sentence(edit_path)),
                        ("title_edit", lambda run=run: edit_title(edit_path, run + 1)),
                        ("tag_edit", lambda: toggle_tag(edit_path)),
                        ("template_edit", lambda run=run: write_template_override(site, run + 1)),
                    ]
                    for key, action in steps:
                        if action:
                            action()
                        rr = t.rebuild(work, f"{key}-{run}")
                        og_re[key].append(rr)
                        log(f"    ogpsite {key}: wall {rr['wall_s']:.2f} s  cpu {rr['cpu_s']:.2f} s"
                            f"  maxrss {rr['maxrss_mib']:.0f} MiB")
                elif isinstance(t, Hugo) and run == 0 and not args.no_peer_rebuilds and edit_rep:
                    hr = {}
                    hr["no_change"] = t.rebuild(work, "no_change")
                    append_sentence_both(peers.hugo_report_files(t.src, edit_rep))
                    hr["report_edit"] = t.rebuild(work, "report_edit")
                    size_res["rebuilds"]["hugo"] = hr
                    log(f"    hugo no_change {hr['no_change']['wall_s']:.2f} s, "
                        f"report_edit {hr['report_edit']['wall_s']:.2f} s")
        if og:
            size_res["rebuilds"]["ogpsite"] = og_re
        size_res["summary"] = {name: summarize(rs) for name, rs in size_res["cold"].items()}
        size_res["rebuild_summary"] = {
            "ogpsite": {k: summarize(v) for k, v in og_re.items() if v} if og else {},
            "hugo": {k: summarize([v]) for k, v in size_res["rebuilds"].get("hugo", {}).items()},
        }
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
    lines.append(f"### Cold builds ({results['runs']} runs each, medians; {m['cpus']} CPUs, Python {m['python']})")
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
            lines.append(f"| {n} | {t} | {fmt(s['wall_s'])} | {fmt(s['wall_min_s'])}–{fmt(s['wall_max_s'])} | "
                         f"{fmt(s['cpu_s'])} | {fmt(s['maxrss_mib'], 0)} | {fmt(s['tree_rss_mib'], 0)} | "
                         f"{fmt(1000 * s['wall_s'] / n, 3)} | {pages.get('html_pages', '–')} | "
                         f"{pages.get('report', '–')} |")
    peers_ = [t for t in tools if t != "ogpsite"]
    if "ogpsite" in tools and peers_:
        lines.append("")
        lines.append("### ogpsite ÷ peer (below 1 means ogpsite is faster / smaller)")
        lines.append("")
        lines.append("| N | peer | wall | CPU | ru_maxrss | tree RSS |")
        lines.append("|---:|---|---:|---:|---:|---:|")
        for n in sizes:
            sm = results["per_size"][str(n)]["summary"]
            o = sm.get("ogpsite", {})
            for p in peers_:
                q = sm.get(p, {})
                if not (o.get("ok") and q.get("ok")):
                    lines.append(f"| {n} | {p} | – | – | – | – |")
                    continue
                lines.append(f"| {n} | {p} | {fmt(ratio(o['wall_s'], q['wall_s']))} | "
                             f"{fmt(ratio(o['cpu_s'], q['cpu_s']))} | {fmt(ratio(o['maxrss_mib'], q['maxrss_mib']))} | "
                             f"{fmt(ratio(o['tree_rss_mib'], q['tree_rss_mib']))} |")
    if "ogpsite" in tools:
        lines.append("")
        lines.append("### Rebuilds (medians; whole CLI process)")
        lines.append("")
        lines.append("| N | tool | no change s | one report edited s | its title edited s | its tags edited s | one template edited s | no change ÷ Hugo cold |")
        lines.append("|---:|---|---:|---:|---:|---:|---:|---:|")
        for n in sizes:
            sr = results["per_size"][str(n)]
            rs = sr["rebuild_summary"]
            o = rs.get("ogpsite", {})
            hugo_cold = sr["summary"].get("hugo", {}).get("wall_s") if sr["summary"].get("hugo", {}).get("ok") else None

            def w(d, k):
                v = d.get(k, {})
                return v.get("wall_s") if v.get("ok") else None

            lines.append(f"| {n} | ogpsite | {fmt(w(o, 'no_change'))} | {fmt(w(o, 'report_edit'))} | {fmt(w(o, 'title_edit'))} | "
                         f"{fmt(w(o, 'tag_edit'))} | {fmt(w(o, 'template_edit'))} | {fmt(ratio(w(o, 'no_change'), hugo_cold))} |")
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
