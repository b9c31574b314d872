#!/usr/bin/env python3
"""Edit-to-reload latency of `ogpsite serve` on a generated archive.

    python bench/serve_latency.py --count 2000 --seed 1 --edits 5

Generates the archive with bench/gen_archive.py (unless --site names an existing one),
starts `ogpsite serve` on a free port, opens the live-reload event stream as the report's
page does in a browser (naming the page, which serve then writes first), then edits one
report's body (or, with `--edit title`, its title; with `--edit tag`, its tags) several
times, each once the rebuild of the one before has ended. For each edit it measures, from
the moment the file is written:
- reload: until the `reload` event arrives (what makes an open page reload);
- served: until the report's page, fetched over HTTP as the reloading browser does once the
  event arrived, has been read (it must show the new text);
- with `--search` (body edits): until a reader searching the preview (a fresh Chromium page
  on the Latin search page, asked again every 0.2 s) finds the report by a word only the
  edit added.
The page is not polled during the rebuild: a browser does not, and requests served meanwhile
would compete with the rebuild for the interpreter. Serve's log, printed too, gives each
rebuild's own time, and when the open page was written (the reload goes out then, while the
pages nobody has open are still being written).
"""

from __future__ import annotations

import argparse
import http.client
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent


def generate(count: int, seed: int, out: Path) -> None:
    subprocess.run([sys.executable, str(HERE / "gen_archive.py"), "--count", str(count), "--seed", str(seed), "--out", str(out)], check=True)


def start_server(site: Path, verbose: bool = False) -> tuple[subprocess.Popen[str], "queue.Queue[str]", str, int, str]:
    """The serve process, its log lines, and host, port and base path it serves."""
    command = [sys.executable, "-c", "from ogpsite.commands.cli import main; main()", "serve", "--port", "0", "--site", str(site), *(["--verbose"] if verbose else [])]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, encoding="utf-8", env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    while True:
        line = lines.get(timeout=600)
        print(f"  serve: {line}")
        if line.startswith("serving "):
            address = line.split()[1].split("//", 1)[1]
            host_port, _, path = address.partition("/")
            host, port = host_port.split(":")
            return process, lines, host, int(port), "/" + path


def reload_events(host: str, port: int, page: str) -> "queue.Queue[float]":
    """Arrival times of `reload` events on the event stream of the open page `page`."""
    arrivals: queue.Queue[float] = queue.Queue()
    connection = http.client.HTTPConnection(host, port, timeout=600)
    connection.request("GET", f"/__ogpsite/events?page={quote(page)}")
    response = connection.getresponse()

    def read() -> None:
        for raw in response:
            if raw.startswith(b"event: reload"):
                arrivals.put(time.perf_counter())

    threading.Thread(target=read, daemon=True).start()
    return arrivals


def fetch(host: str, port: int, path: str) -> str:
    connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.request("GET", path)
    body = connection.getresponse().read().decode("utf-8", errors="replace")
    connection.close()
    return body


def page_of(report: Path, base_path: str) -> str:
    """The Latin-edition URL of a generated report: /lat/YYYY/MM/slug/ (dates come from its front matter)."""
    text = report.read_text(encoding="utf-8")
    day = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("date:"))
    return f"{base_path}lat/{day[:4]}/{day[5:7]}/{report.stem}/"


def marker_word(number: int) -> str:
    """A word no report has, letters only (Pagefind splits words at digits): `probnarecb` for 1."""
    return "probnarec" + "".join(chr(ord("a") + int(digit)) for digit in str(number))


class SearchProbe:
    """A reader on the preview's Latin search page, in Debian's Chromium (no download)."""

    FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]

    def __init__(self, origin: str) -> None:
        from playwright.sync_api import sync_playwright

        self.origin = origin
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path="/usr/bin/chromium", args=self.FLAGS)

    def finds(self, word: str, report_url: str) -> bool:
        """Whether a fresh search page's results for `word` link to `report_url`."""
        context = self._browser.new_context()
        try:
            page = context.new_page()
            page.goto(f"{self.origin}lat/search/?q={word}")
            page.wait_for_function("['done', 'failed'].includes(document.getElementById('search-form').dataset.state)", timeout=30_000)
            links = page.eval_on_selector_all("#search-results a", "links => links.map(link => new URL(link.href).pathname)")
            return report_url in links
        finally:
            context.close()

    def wait_until_found(self, word: str, report_url: str, since: float, limit: float = 30.0, verbose: bool = False) -> float:
        """Seconds from `since` until a search finds the report; at most `limit`. `verbose`: each
        search's start and end (a search takes a second here, and finds the edit when the index
        is swapped in before it fetches the shard's files)."""
        while time.perf_counter() - since < limit:
            began = time.perf_counter() - since
            found = self.finds(word, report_url)
            if verbose:
                print(f"  search {began:.3f}-{time.perf_counter() - since:.3f} s: {'found' if found else 'not found'}")
            if found:
                return time.perf_counter() - since
            time.sleep(0.2)
        raise SystemExit(f"search did not find {word!r} in {limit:.0f} s")

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()


def edited(original: str, marker: str, part: str) -> str:
    """The report with `marker` added to its body (a new last paragraph) or to its title; for
    `tag`, the report with the `OGP` tag added or, when it has it, taken away."""
    if part == "body":
        return original.rstrip("\n") + f"\n\n{marker}\n"
    lines = original.split("\n")
    if part == "tag":
        number = next(i for i, line in enumerate(lines) if line.startswith("tags: ["))
        tags = [name for name in lines[number][len("tags: ["):-1].split(", ") if name]
        lines[number] = f"tags: [{', '.join([name for name in tags if name != 'OGP'] if 'OGP' in tags else ['OGP', *tags])}]"
        return "\n".join(lines)
    number = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    line = lines[number]
    lines[number] = f'{line[:-1]} {marker}"' if line.endswith('"') else f"{line} {marker}"
    return "\n".join(lines)


def measure(site: Path, edits: int, part: str, search: bool = False, verbose: bool = False) -> None:
    reports = sorted((site / "content" / "reports").rglob("*.md"))
    report = reports[len(reports) // 2]
    original = report.read_text(encoding="utf-8")
    process, log, host, port, base_path = start_server(site, verbose)
    reloads, served, found = [], [], []
    probe = SearchProbe(f"http://{host}:{port}{base_path}") if search else None
    try:
        url = page_of(report, base_path)
        arrivals = reload_events(host, port, url)
        time.sleep(0.5)  # let the stream connect
        current = original
        for number in range(1, edits + 1):
            marker = f"Izmena broj {number} za merenje: {marker_word(number)}."
            current = edited(current if part == "tag" else original, marker, part)
            written = time.perf_counter()
            report.write_text(current, encoding="utf-8")
            reloads.append(arrivals.get(timeout=60) - written)
            page = fetch(host, port, url)
            served.append(time.perf_counter() - written)
            shown = ("/tags/ogp/" in page) == ("OGP" in current.split("tags: [", 1)[1].split("]", 1)[0]) if part == "tag" else marker in page
            if not shown:
                raise SystemExit(f"edit {number}: the page served after the reload event does not show the edit")
            if probe is not None:
                found.append(probe.wait_until_found(marker_word(number), url, written, verbose=verbose))
            while not (line := log.get(timeout=600)).startswith("built "):  # the rebuild has written every page
                print(f"  serve: {line}")
            print(f"  serve: {line}")
            time.sleep(0.3)  # let the watcher go quiet before the next edit
    finally:
        if probe is not None:
            probe.close()
        report.write_text(original, encoding="utf-8")
        process.send_signal(2)  # SIGINT, as Ctrl-C
        process.wait(timeout=30)
    print(f"report edited ({part}): {report.relative_to(site)} ({len(reports)} reports)")
    for name, values in (("reload event", reloads), ("new text served", served), ("search finds it", found)):
        if values:
            print(f"{name}: median {statistics.median(values):.3f} s, max {max(values):.3f} s, all {[round(v, 3) for v in values]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--site", type=Path, help="An existing archive to use instead of generating one.")
    parser.add_argument("--edit", choices=("body", "title", "tag"), default="body",
                        help="What of the report each edit changes (tag: it joins or leaves the `OGP` tag's list).")
    parser.add_argument("--search", action="store_true", help="Also time until a search in the preview finds the edited text (body edits).")
    parser.add_argument("--verbose", action="store_true", help="Serve prints the seconds of each stage of each rebuild; with --search, each search's start and end.")
    args = parser.parse_args()
    if args.site:
        measure(args.site, args.edits, args.edit, args.search, args.verbose)
        return
    with tempfile.TemporaryDirectory(prefix="ogpsite-serve-latency-") as work:
        site = Path(work) / f"site-{args.count}"
        generate(args.count, args.seed, site)
        measure(site, args.edits, args.edit, args.search, args.verbose)


if __name__ == "__main__":
    main()
