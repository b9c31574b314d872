#!/usr/bin/env python3
"""Search index size and search time on a generated archive.

    .venv/bin/python bench/search_bench.py [--count 2000] [--seed 1] [--work bench/work/search]

Generates an archive with ``bench/gen_archive.py``, builds it with ogpsite (search on), and
reports: the time to write the Pagefind index; the bundle's size on disk and gzip-on-the-wire
(Pagefind's chunks are already gzipped) by part; what a reader downloads for a first search;
and search times in Debian's chromium (Playwright): the first query of a fresh page (loads
the WASM, the meta chunk, index chunks) and repeated queries, each including loading the
fragments of the first 10 results, as the search page does. Also the index size without the
per-script texts the excerpts come from, to show what they cost.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from ogpsite.build import search  # noqa: E402
from ogpsite.build.incremental import build  # noqa: E402
from ogpsite.build.pipeline import load  # noqa: E402

QUERIES = ("друштво", "društvo", "drustvo", "konsultacije", "отворени подаци", "Ђурђевац", "transparentnost budžeta", "obuka")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
SEARCH_ONCE = """async ([query, table]) => {
  const fold = (text) => { let out = ""; for (const c of text.normalize("NFC").toLowerCase()) out += c in table ? table[c] : c;
                           return out.normalize("NFKD").replace(/\\p{Mn}/gu, ""); };
  const pagefind = await import("/pagefind/pagefind.js");
  const start = performance.now();
  const response = await pagefind.search(fold(query));
  await Promise.all(response.results.slice(0, 10).map((result) => result.data()));
  return [performance.now() - start, response.results.length];
}"""


def size_of(paths: list[Path]) -> int:
    return sum(path.stat().st_size for path in paths)


def bundle_sizes(bundle: Path) -> dict[str, int]:
    files = [path for path in bundle.rglob("*") if path.is_file()]
    parts = {"index chunks": "index", "fragments": "fragment", "filters": "filter"}
    sizes = {name: size_of([path for path in files if path.parent.name == folder]) for name, folder in parts.items()}
    sizes["wasm + js + meta"] = size_of([path for path in files if path.parent == bundle])
    sizes["total"] = size_of(files)
    return sizes


def measure_search(output: Path) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    table = search.fold_table()
    first: list[float] = []
    repeated: list[float] = []
    counts: dict[str, int] = {}
    transferred: list[int] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        for query in QUERIES:
            context = browser.new_context()
            page = context.new_page()
            bytes_in: list[int] = []
            page.on("response", lambda response: bytes_in.append(len(response.body())) if "/pagefind/" in response.url else None)
            page.goto(f"{origin}/lat/search/")
            elapsed, count = page.evaluate(SEARCH_ONCE, [query, table])
            first.append(elapsed)
            transferred.append(sum(bytes_in))
            counts[query] = count
            for _ in range(5):
                elapsed, _ = page.evaluate(SEARCH_ONCE, [query, table])
                repeated.append(elapsed)
            context.close()
        browser.close()
    server.shutdown()
    return {
        "first query, fresh page (ms, median / max)": (round(statistics.median(first)), round(max(first))),
        "repeated query (ms, median / max)": (round(statistics.median(repeated), 1), round(max(repeated), 1)),
        "bytes fetched for a first query (median)": int(statistics.median(transferred)),
        "results per query": counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=BENCH / "work" / "search")
    args = parser.parse_args()
    site = args.work / f"site-{args.count}"
    if not site.is_dir():
        subprocess.run([sys.executable, str(BENCH / "gen_archive.py"), "--count", str(args.count), "--seed", str(args.seed), "--out", str(site)], check=True)
    loaded = load(site)
    records = search.records(loaded.site, loaded.bodies, loaded.converter)
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        search.write_index(records, Path(scratch) / "full")
        index_seconds = time.perf_counter() - started
        full = bundle_sizes(Path(scratch) / "full" / search.INDEX_DIR)
        lean = [search.SearchRecord(r.url, r.content, {k: v for k, v in r.meta.items() if not k.startswith("text_")}, r.filters) for r in records]
        search.write_index(lean, Path(scratch) / "lean")
        without_texts = bundle_sizes(Path(scratch) / "lean" / search.INDEX_DIR)
    output = args.work / f"output-{args.count}"
    build(site, output)
    print(f"# Search on {len(records)} reports (gen_archive --count {args.count} --seed {args.seed})\n")
    print(f"writing the Pagefind index: {index_seconds:.2f} s\n")
    print("| part | bytes (gzipped, as served) | without the per-script excerpt texts |")
    print("|---|---:|---:|")
    for name, value in full.items():
        print(f"| {name} | {value:,} | {without_texts[name]:,} |")
    print()
    for name, value in measure_search(output).items():
        print(f"- {name}: {value}")


if __name__ == "__main__":
    main()
