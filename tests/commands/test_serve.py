"""`ogpsite serve`, driven for real: a subprocess on a free port, fetched over HTTP, edited on disk."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from ogpsite.build.incremental import StillToWrite
from ogpsite.commands.serve import SERVE_OUTPUT, Preview, resolve_request

REPORT = "---\ntitle: Radionica u Konjicu\ndate: 2014-03-05\ntags: [OGP]\n---\n\nPrvi tekst izveštaja.\n"
BROKEN = "---\ntitle: Radionica u Konjicu\ndate: 2014-03-05\ntags: [OGP\n---\n\nPokvaren tekst.\n"
PAGE = "lat/2014/03/radionica/"


class Server:
    """A running `ogpsite serve` subprocess and what it printed."""

    def __init__(self, site: Path, *args: str, interrupts_ignored: bool = False) -> None:
        """`interrupts_ignored`: started as `&` starts it in a script, with SIGINT ignored."""
        ignore = "import signal; signal.signal(signal.SIGINT, signal.SIG_IGN); " if interrupts_ignored else ""
        command = [sys.executable, "-c", f"{ignore}from ogpsite.commands.cli import main; main()", "serve", "--port", "0", "--site", str(site), *args]
        environment = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=environment)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self._wait_for_address()
        self.host, port = self.url.split("//")[1].split("/")[0].split(":")
        self.port = int(port)

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))

    def _wait_for_address(self) -> str:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            if line.startswith("serving "):
                return line.split()[1]
        raise AssertionError("ogpsite serve did not start")

    def get(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=5)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8", errors="replace")
        connection.close()
        return response.status, body

    def events(self, page: str = "") -> "EventStream":
        return EventStream(self.host, self.port, page)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=10)


class EventStream:
    """A server-sent-event client on its own thread: (event, data) pairs arrive in `received`."""

    def __init__(self, host: str, port: int, page: str = "") -> None:
        """`page`: the path of the page this stream is opened from, as the reload script sends it."""
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.connection.request("GET", "/__ogpsite/events" + (f"?page={quote(page)}" if page else ""))
        self.response = self.connection.getresponse()
        assert self.response.getheader("Content-Type", "").startswith("text/event-stream")
        self.received: queue.Queue[tuple[str, str]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        name, data = "message", []
        try:
            for raw in self.response:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    name = line[len("event: "):]
                elif line.startswith("data: "):
                    data.append(line[len("data: "):])
                elif not line and data:
                    self.received.put((name, "\n".join(data)))
                    name, data = "message", []
        except OSError:
            return

    def next(self, wanted: str, within: float) -> str:
        """Data of the next `wanted` event, skipping others; fails after `within` seconds."""
        deadline = time.monotonic() + within
        while (left := deadline - time.monotonic()) > 0:
            try:
                name, data = self.received.get(timeout=left)
            except queue.Empty:
                break
            if name == wanted:
                return data
        raise AssertionError(f"no `{wanted}` event within {within} s")

    def close(self) -> None:
        self.connection.close()


def make_site(root: Path, base_url: str = "http://127.0.0.1:8000/") -> Path:
    (root / "ogpsite.yml").write_text(f"base_url: {base_url}\ndefault_script: latin\n", encoding="utf-8")
    report = root / "content/reports/2014/radionica.md"
    report.parent.mkdir(parents=True)
    report.write_text(REPORT, encoding="utf-8")
    return root


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Server]:
    server = Server(make_site(tmp_path))
    yield server
    server.stop()


def until(condition: Callable[[], bool], within: float) -> float:
    """Seconds until `condition()` held; fails after `within` seconds."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        if condition():
            return time.monotonic() - started
        time.sleep(0.02)
    raise AssertionError(f"condition not met within {within} s")


def test_an_edit_is_served_within_two_seconds_with_a_reload_event(served: Server, tmp_path: Path) -> None:
    status, page = served.get("/" + PAGE)
    assert status == 200 and "Prvi tekst izveštaja." in page
    stream = served.events()
    generation = stream.next("hello", within=5)
    (tmp_path / "content/reports/2014/radionica.md").write_text(REPORT.replace("Prvi tekst", "Novi tekst"), encoding="utf-8")
    took = until(lambda: "Novi tekst izveštaja." in served.get("/" + PAGE)[1], within=2)
    assert int(stream.next("reload", within=2 - took)) == int(generation) + 1
    stream.close()


def test_search_in_the_preview_follows_an_edit(served: Server, tmp_path: Path) -> None:
    """Each edit indexes its report's year again: the preview's search finds the new words."""
    def indexed(word: str) -> bool:
        fragments = (tmp_path / SERVE_OUTPUT / "pagefind" / "2014" / "fragment").glob("*.pf_fragment")
        return any(word in gzip.decompress(path.read_bytes()).decode("utf-8", "replace") for path in fragments)

    until(lambda: indexed("prvi tekst"), within=10)
    (tmp_path / "content/reports/2014/radionica.md").write_text(REPORT.replace("Prvi tekst", "Zadruzni tekst"), encoding="utf-8")
    until(lambda: indexed("zadruzni tekst"), within=10)
    assert not indexed("prvi tekst")


def test_an_open_page_is_written_before_the_others_and_then_reloaded(served: Server, tmp_path: Path) -> None:
    stream = served.events("/" + PAGE)
    stream.next("hello", within=5)
    (tmp_path / "content/reports/2014/radionica.md").write_text(REPORT.replace("Prvi tekst", "Novi tekst"), encoding="utf-8")
    stream.next("reload", within=3)
    assert "Novi tekst izveštaja." in served.get("/" + PAGE)[1]  # no waiting: it was written before the reload
    until(lambda: any("reloading open pages after" in line for line in list(served.lines.queue)), within=2)
    stream.close()


def test_a_request_for_a_page_still_to_be_written_waits_for_it(tmp_path: Path) -> None:
    preview = Preview(make_site(tmp_path), tmp_path / "out", {}, drafts=False, log=lambda line: None)
    preview.page_opened("/lat/tags/ogp/")
    preview.page_opened("/lat/2014/%C5%A1ta/")
    assert preview.rebuild()  # a first build: nothing open is written early
    preview.first_written(StillToWrite(frozenset({"lat/tags/ogp/index.html"}), ("pagefind/2014/",)))
    served = [threading.Event(), threading.Event()]
    waiting = [threading.Thread(target=lambda number=number, path=path: (preview.wait_until_written(path), served[number].set()))
               for number, path in enumerate(["/lat/tags/ogp/", "/pagefind/2014/pagefind-entry.json"])]  # a search shard indexed again
    for thread in waiting:
        thread.start()
    preview.wait_until_written("/lat/2014/")  # not pending: no wait
    preview.wait_until_written("/pagefind/2019/pagefind-entry.json")  # another shard: no wait
    assert not any(event.wait(0.3) for event in served)
    preview.all_written()
    assert all(event.wait(2) for event in served)
    for thread in waiting:
        thread.join()


def test_a_quiet_preview_says_its_problems_and_nothing_else(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "content/reports/2090/buducnost.md").parent.mkdir()
    (site / "content/reports/2090/buducnost.md").write_text(REPORT.replace("2014-03-05", "2090-01-01"), encoding="utf-8")  # a warning
    said: list[str] = []
    preview = Preview(site, tmp_path / "out", {}, drafts=False, log=said.append, quiet=True)
    assert preview.rebuild()
    assert said == []
    (site / "content/reports/2014/radionica.md").write_text(BROKEN, encoding="utf-8")
    assert not preview.rebuild()
    assert said == [
        "content/reports/2014/radionica.md:4: invalid YAML: a `[` list opened on this line is not closed: end it with `]`",
        "the last good build is still being served",
    ]


def test_a_verbose_preview_says_the_seconds_of_each_stage_of_every_rebuild(tmp_path: Path) -> None:
    said: list[str] = []
    preview = Preview(make_site(tmp_path), tmp_path / "out", {}, drafts=False, log=said.append, verbose=True)
    assert preview.rebuild() and preview.rebuild()
    stages = [line.split(":")[0].strip() if re.fullmatch(r" *[a-z ]+: +\d+\.\d{3} s", line) else line.split(" in ")[0]
              for line in said if not line.startswith("reloading open pages")]
    assert stages == ["cache records", "read and check", "images", "plan", "render", "other files", "search index", "built 1 reports",
                      "cache records", "read and check", "images", "plan", "built 1 reports"]  # the second finds nothing to write


def test_the_open_pages_are_named_by_their_output_files(tmp_path: Path) -> None:
    preview = Preview(make_site(tmp_path), tmp_path / "out", {}, drafts=False, log=lambda line: None)
    preview.base_path = "/repo/"
    for page in ("/repo/lat/tags/ogp/", "/repo/cyr/2014/%D1%88%D1%82%D0%B0/", "/repo/lat/feed.xml", "/repo/", "/elsewhere/", "/repo/lat/tags/ogp/"):
        preview.page_opened(page)
    preview.page_closed("/repo/lat/tags/ogp/")
    assert preview.open_files() == {"lat/tags/ogp/index.html", "cyr/2014/шта/index.html", "lat/feed.xml", "index.html"}
    preview.page_closed("/repo/lat/tags/ogp/")
    assert "lat/tags/ogp/index.html" not in preview.open_files()


def test_pages_carry_the_reload_script_but_the_output_files_do_not(served: Server, tmp_path: Path) -> None:
    assert "/__ogpsite/events" in served.get("/" + PAGE)[1]
    written = (tmp_path / SERVE_OUTPUT / PAGE / "index.html").read_text(encoding="utf-8")
    assert "Prvi tekst izveštaja." in written
    assert "__ogpsite" not in written
    assert not (tmp_path / "output").exists()  # the deployable output is never touched


def test_a_broken_file_shows_its_error_while_the_last_good_build_stays_served(served: Server, tmp_path: Path) -> None:
    source = tmp_path / "content/reports/2014/radionica.md"
    stream = served.events()
    stream.next("hello", within=5)
    source.write_text(BROKEN, encoding="utf-8")
    problems = json.loads(stream.next("problems", within=3))
    assert problems == ["content/reports/2014/radionica.md:4: invalid YAML: a `[` list opened on this line is not closed: end it with `]`"]
    status, page = served.get("/" + PAGE)
    assert status == 200 and "Prvi tekst izveštaja." in page and "Pokvaren" not in page
    late = served.events()  # a page opened while the site is broken gets the overlay at once
    late.next("hello", within=2)
    assert json.loads(late.next("problems", within=2)) == problems
    source.write_text(REPORT.replace("Prvi tekst", "Popravljen tekst"), encoding="utf-8")
    stream.next("reload", within=3)
    assert "Popravljen tekst izveštaja." in served.get("/" + PAGE)[1]
    fresh = served.events()
    fresh.next("hello", within=2)
    with pytest.raises(AssertionError):
        fresh.next("problems", within=0.5)  # the overlay is gone
    for client in (stream, late, fresh):
        client.close()


def test_a_broken_template_is_an_overlay_not_a_crash(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "templates").mkdir()
    server = Server(site)
    try:
        stream = server.events()
        stream.next("hello", within=5)
        (site / "templates/report.html").write_text("{{ report.title | nosuchfilter }}", encoding="utf-8")
        problems = json.loads(stream.next("problems", within=10))  # a loaded CI machine is slow; a missed change never comes
        assert len(problems) == 1
        assert "templates/report.html:1: No filter named 'nosuchfilter'." in problems[0]
        assert server.get("/" + PAGE)[0] == 200
        assert server.process.poll() is None
        stream.close()
    finally:
        server.stop()


@pytest.mark.parametrize("path", [
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/lat/..%2f..%2f..%2fetc/passwd",
    "//etc/passwd",
    "/lat/%5c..%5c..%5cetc%5cpasswd",
    "/escape/passwd",
    "/outside.txt",
])
def test_requests_outside_the_output_directory_get_404(served: Server, tmp_path: Path, path: str) -> None:
    output = tmp_path / SERVE_OUTPUT
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (output / "escape").symlink_to("/etc", target_is_directory=True)
    (output / "outside.txt").symlink_to(secret)
    status, body = served.get(path)
    assert status == 404
    assert "root:" not in body and "secret" not in body


def test_resolve_request_decodes_once_and_stays_inside(tmp_path: Path) -> None:
    (tmp_path / "lat").mkdir()
    (tmp_path / "lat/index.html").write_text("x", encoding="utf-8")
    assert resolve_request(tmp_path, "/repo/", "/repo/lat/index.html") == tmp_path.resolve() / "lat/index.html"
    assert resolve_request(tmp_path, "/repo/", "/lat/index.html") is None  # outside the base path
    assert resolve_request(tmp_path, "/repo/", "/repo/lat/%2e%2e/lat/index.html") is None
    assert resolve_request(tmp_path, "/repo/", "/repo/lat/%252e%252e/index.html") is None  # no second decoding


def test_the_site_is_served_under_its_base_path(tmp_path: Path) -> None:
    server = Server(make_site(tmp_path, "https://owner.github.io/repo/"))
    try:
        assert server.url.endswith(":%d/repo/" % server.port)
        assert server.get("/repo/" + PAGE)[0] == 200
        assert server.get("/" + PAGE)[0] == 404  # a link missing the /repo/ prefix breaks here as on GitHub Pages
        status, page = server.get("/repo/lat/")
        assert status == 200 and 'href="/repo/lat/2014/03/radionica/"' in page
    finally:
        server.stop()


def test_ctrl_c_exits_cleanly_with_an_event_stream_open(served: Server) -> None:
    stream = served.events()
    stream.next("hello", within=5)
    assert served.stop() == 0
    stream.close()


def test_a_site_broken_at_start_still_serves_the_overlay(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "content/reports/2014/radionica.md").write_text(BROKEN, encoding="utf-8")
    server = Server(site)
    try:
        status, page = server.get("/" + PAGE)
        assert status == 404 and "/__ogpsite/events" in page
        stream = server.events()
        assert "content/reports/2014/radionica.md:4:" in stream.next("problems", within=3)
        (site / "content/reports/2014/radionica.md").write_text(REPORT, encoding="utf-8")
        stream.next("reload", within=3)
        assert server.get("/" + PAGE)[0] == 200
        stream.close()
    finally:
        server.stop()



def test_a_templates_folder_made_while_serving_is_watched(served: Server, tmp_path: Path) -> None:
    stream = served.events()
    stream.next("hello", within=5)
    (tmp_path / "templates").mkdir()
    stream.next("reload", within=3)  # the new folder alone is a change
    (tmp_path / "templates/report.html").write_text("<p>{{ report.title }} iz šablona sajta</p>", encoding="utf-8")
    until(lambda: "iz šablona sajta" in served.get("/" + PAGE)[1], within=3)
    stream.close()


def test_a_broken_config_at_start_is_an_overlay_and_the_base_path_follows_the_fix(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "ogpsite.yml").write_text("base_url: https://owner.github.io/repo/\nper_pag: 5\n", encoding="utf-8")
    server = Server(site)
    try:
        stream = server.events()
        assert json.loads(stream.next("problems", within=3)) == ["ogpsite.yml:2: unknown setting `per_pag` (did you mean `per_page`?)"]
        (site / "ogpsite.yml").write_text("base_url: https://owner.github.io/repo/\nper_page: 5\n", encoding="utf-8")
        stream.next("reload", within=3)
        assert server.get("/repo/" + PAGE)[0] == 200
        stream.close()
    finally:
        server.stop()


def test_the_watcher_tells_report_edits_in_place_from_other_changes(tmp_path: Path) -> None:
    from watchdog.events import FileCreatedEvent, FileModifiedEvent

    from ogpsite.commands.serve import ChangeWatcher

    (tmp_path / "content" / "reports" / "2014").mkdir(parents=True)
    watcher = ChangeWatcher(tmp_path)
    report = str(tmp_path / "content" / "reports" / "2014" / "a.md")
    watcher.on_any_event(FileModifiedEvent(report))
    assert watcher.take() == (["content/reports/2014/a.md"], frozenset({"content/reports/2014/a.md"}))
    watcher.on_any_event(FileModifiedEvent(report))
    watcher.on_any_event(FileCreatedEvent(str(tmp_path / "content" / "reports" / "2014" / "b.md")))
    assert watcher.take() == (["content/reports/2014/a.md", "content/reports/2014/b.md"], None)  # a new file: look at every file
    watcher.on_any_event(FileModifiedEvent(str(tmp_path / "content" / "institutions.yml")))
    assert watcher.take()[1] is None


def test_a_rebuild_waits_for_another_build_of_the_site_and_says_so(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", "import sys; from pathlib import Path; from ogpsite.build.lock import site_lock\n"
                               "with site_lock(Path(sys.argv[1])):\n    print('held', flush=True); sys.stdin.readline()", str(site)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        said: list[str] = []
        preview = Preview(site, tmp_path / "out", {}, drafts=False, log=said.append)
        rebuilt: list[bool] = []
        rebuilding = threading.Thread(target=lambda: rebuilt.append(preview.rebuild()))
        rebuilding.start()
        rebuilding.join(timeout=2)
        assert rebuilding.is_alive() and not (tmp_path / "out").exists()
        assert said == ["another build of this site is running (`ogpsite serve`, or a build in another terminal): waiting for it to finish"]
    finally:
        holder.communicate("\n", timeout=30)  # lets go of the lock
    rebuilding.join(timeout=60)
    assert rebuilt == [True] and (tmp_path / "out" / "index.html").is_file()
