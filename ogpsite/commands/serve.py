"""`ogpsite serve`: build, serve the output under the base path, rebuild on change, reload open pages.

Threads and who does what:
- watchdog's observer thread only records changed paths and sets a flag (`ChangeWatcher`);
- ONE rebuild loop waits for the flag, lets a burst of saves settle, and calls the session's
  `incremental.Builder` (which re-renders only what the change touches);
- the HTTP server's request threads serve files and hold server-sent-event streams open.

Fast render (as Hugo's): each open page names itself on its event stream, so a rebuild puts
the open pages in place first and sends the reload then, while it renders the rest (on a
large archive, a report that joins a tag shifts hundreds of list pages). A request for a
file the rebuild has still to write waits for it, the files of a search shard it indexes
again too: a search made during the rebuild waits for the index that has the edit, instead
of answering from the old one.

The preview never dies: a failed rebuild keeps the last good output on disk and served, and
pushes its `file:line: message` lines to open pages, which show them as an overlay. Reload
machinery is injected into HTML responses only; the files in the output directory never
carry it.

The output goes to `.ogpsite-cache/serve-output`, not `output/`: a preview (with drafts, or
with a half-edited file) must never replace what `ogpsite build` made for deployment.
"""

from __future__ import annotations

import errno
import json
import mimetypes
import re
import signal
import threading
import time
import traceback
import webbrowser
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..build.incremental import Builder, FirstPages, StillToWrite
from ..build.lock import WAITING
from ..core.errors import BuildError, OgpsiteError
from ..sources.config import CONFIG_FILE, load_config
from ..sources.reader import REPORTS_DIR
from .build import stage_lines

SERVE_OUTPUT = Path(".ogpsite-cache") / "serve-output"
WATCHED_DIRS = ("content", "templates", "themes")
EVENTS_PATH = "/__ogpsite/events"
PENDING_WAIT_SECONDS = 60.0  # a request for a file the rebuild has still to write waits this long at most
SETTLE_SECONDS = 0.05  # a save is often several file events: wait for this much quiet
KEEPALIVE_SECONDS = 15.0  # a comment line this often lets a closed browser tab end its thread
IDLE_SECONDS = 30.0  # longer than KEEPALIVE_SECONDS: an open event stream writes before it times out
NEEDED = ("content", CONFIG_FILE)  # deleted while serving, they are a problem shown, not an empty site built
_IGNORED_NAME = re.compile(r"(^|/)(\.[^/]*|[^/]*~|[^/]*\.sw[a-p]|4913)$")  # dotfiles, editor backups and probes

# Injected before </body> of every HTML response (never into the output files).
LIVE_RELOAD_SCRIPT = """<script>/* ogpsite serve: live reload */(function () {
  var seen = null, box = null;
  function clear() { if (box) { box.remove(); box = null; } }
  function show(lines) {
    clear();
    box = document.createElement("div");
    box.id = "ogpsite-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2em;" +
      "background:rgba(40,0,0,.92);color:#fff;font:15px/1.5 monospace;white-space:pre-wrap";
    var title = document.createElement("strong");
    title.textContent = "ogpsite: the last change could not be built; the page shows the last good build.\\n\\n";
    box.appendChild(title);
    box.appendChild(document.createTextNode(lines.join("\\n")));
    document.body.appendChild(box);
  }
  var events = new EventSource("__EVENTS__?page=" + encodeURIComponent(location.pathname));
  events.addEventListener("hello", function (e) {
    if (seen !== null && seen !== e.data) { location.reload(); }
    seen = e.data;
  });
  events.addEventListener("reload", function () { clear(); location.reload(); });
  events.addEventListener("problems", function (e) { show(JSON.parse(e.data)); });
  events.addEventListener("clear", clear);
})();</script>
""".replace("__EVENTS__", EVENTS_PATH)
# Served for a miss when no build has succeeded yet: enough page to carry the overlay.
EMPTY_PAGE = "<!doctype html><html><head><meta charset=utf-8><title>ogpsite</title></head><body></body></html>"


@dataclass
class PreviewState:
    """What open pages are told: the number of the last good build and the current problems."""

    generation: int = 0
    problems: list[str] = field(default_factory=list)
    closing: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def built(self) -> None:
        with self.changed:
            self.generation += 1
            self.problems = []
            self.changed.notify_all()

    def failed(self, problems: list[str]) -> None:
        with self.changed:
            self.problems = problems
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closing = True
            self.changed.notify_all()

    def events(self) -> Iterator[str]:
        """Server-sent events for one client: the state now, then every change, keep-alives between."""
        with self.changed:
            generation, problems = self.generation, self.problems
        yield _event("hello", str(generation))
        if problems:
            yield _event("problems", json.dumps(problems, ensure_ascii=False))
        while True:
            with self.changed:
                self.changed.wait_for(lambda: self.closing or (self.generation, self.problems) != (generation, problems), KEEPALIVE_SECONDS)
                if self.closing:
                    return
                news = (self.generation, self.problems) != (generation, problems)
                old_generation, generation, problems = generation, self.generation, self.problems
            if not news:
                yield ": keep-alive\n\n"
            elif generation != old_generation:
                yield _event("reload", str(generation))
            else:
                yield _event("problems", json.dumps(problems, ensure_ascii=False)) if problems else _event("clear", "")


def _event(name: str, data: str) -> str:
    lines = "".join(f"data: {line}\n" for line in data.split("\n"))
    return f"event: {name}\n{lines}\n"


_REPORTS_PREFIX = REPORTS_DIR.as_posix() + "/"


class ChangeWatcher(FileSystemEventHandler):
    """Runs on watchdog's thread: records what changed and raises the flag, nothing more."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir.resolve()
        self.flag = threading.Event()
        self._lock = threading.Lock()
        self._changed: set[str] = set()
        self._all_in_place = True  # every change since the last `take` was a report file written in place
        self._observer: Any = None

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        paths = [path for path in (event.src_path, getattr(event, "dest_path", "")) if path]
        relevant = [shown for shown in map(self._shown, paths) if shown and not _IGNORED_NAME.search(shown)]
        for shown in relevant:
            if shown in WATCHED_DIRS and event.is_directory and self._observer is not None:  # `templates/` made just now
                self._observer.schedule(self, str(self.site_dir / shown), recursive=True)
        if relevant:
            # A report file written in place keeps the list of files: the build need not look at the others.
            in_place = event.event_type in ("modified", "closed") and not event.is_directory and all(
                shown.startswith(_REPORTS_PREFIX) and shown.endswith(".md") for shown in relevant)
            with self._lock:
                self._changed.update(relevant)
                self._all_in_place = self._all_in_place and in_place
            self.flag.set()

    def _shown(self, path: str | bytes) -> str:
        text = path.decode() if isinstance(path, bytes) else path
        try:
            shown = Path(text).resolve().relative_to(self.site_dir).as_posix()
        except ValueError:
            return ""
        return shown if shown == CONFIG_FILE or shown.split("/", 1)[0] in WATCHED_DIRS else ""

    def take(self) -> tuple[list[str], frozenset[str] | None]:
        """The paths changed since the last call, and the same as report files edited in place
        (None if anything else happened: a file made, deleted or moved, a template...); lowers the flag."""
        with self._lock:
            changed, edited = sorted(self._changed), frozenset(self._changed) if self._all_in_place else None
            self._changed, self._all_in_place = set(), True
            self.flag.clear()
        return changed, edited

    def watch(self, observer: Any) -> None:
        self._observer = observer
        for name in WATCHED_DIRS:
            if (self.site_dir / name).is_dir():
                observer.schedule(self, str(self.site_dir / name), recursive=True)
        observer.schedule(self, str(self.site_dir), recursive=False)  # ogpsite.yml (filtered in _shown)


class Preview:
    """One preview session: the site's builder, and the state shown to pages.

    `log` gets problems always; warnings, changes and each build's summary unless `quiet`;
    seconds per stage of each build too when `verbose`."""

    def __init__(self, site_dir: Path, output_dir: Path, overrides: dict[str, Any], drafts: bool, log: Any = print,
                 quiet: bool = False, verbose: bool = False) -> None:
        self.site_dir = site_dir
        self.overrides = overrides
        self.output_dir = output_dir
        self.base_path = "/"  # until a build has read ogpsite.yml
        self._needed = [name for name in NEEDED if (site_dir / name).exists()]  # what the site had when the preview began
        # One Builder for the whole session: it keeps the parsed site between rebuilds and
        # redoes only the outputs an edit touches (a template or config change redoes all).
        # An edit re-indexes search for its report's year only (`search.shards`), after the
        # open pages are in place: search in the preview stays current.
        self.builder = Builder(site_dir, output_dir, overrides, drafts, waiting=lambda: log(WAITING))
        self.state = PreviewState()
        self.log = log
        self.quiet = quiet
        self.verbose = verbose
        self._warned: set[str] = set()
        self._open: dict[str, int] = {}  # URL path of each page with an event stream open -> how many
        self._pending = StillToWrite()  # what the running rebuild has still to write
        self._written = threading.Condition()  # guards `_open` and `_pending`
        self._started = 0.0  # when the running rebuild started

    def page_opened(self, url_path: str) -> None:
        with self._written:
            self._open[url_path] = self._open.get(url_path, 0) + 1

    def page_closed(self, url_path: str) -> None:
        with self._written:
            self._open[url_path] -= 1
            if not self._open[url_path]:
                del self._open[url_path]

    def open_files(self) -> set[str]:
        """The output files of the open pages (`lat/tags/ogp/index.html` for `/base/lat/tags/ogp/`)."""
        with self._written:
            paths = list(self._open)
        return {output_path for output_path in map(self.output_path, paths) if output_path}

    def output_path(self, url_path: str) -> str:
        """The output file a request path names (not checked: only compared with planned paths)."""
        if not url_path.startswith(self.base_path):
            return ""
        shown = unquote(url_path[len(self.base_path):])
        return shown + "index.html" if shown == "" or shown.endswith("/") else shown

    def first_written(self, pending: StillToWrite) -> None:
        """The open pages are in place: reload them; requests for what `pending` holds wait
        (`FirstPages`): a search made now waits for the index that has the edit."""
        with self._written:
            self._pending = pending
        self.tell(f"reloading open pages after {time.perf_counter() - self._started:.2f} s ({len(pending.files)} files still to write)")
        self.state.built()

    def all_written(self) -> None:
        with self._written:
            self._pending = StillToWrite()
            self._written.notify_all()

    def wait_until_written(self, url_path: str) -> None:
        """Returns once the running rebuild (if any) has written the file `url_path` names."""
        output_path = self.output_path(url_path)
        with self._written:
            self._written.wait_for(lambda: not self._pending.holds(output_path), PENDING_WAIT_SECONDS)

    def rebuild(self, edited: frozenset[str] | None = None) -> bool:
        """One build (the builder decides how much to redo; `edited` as `Builder.build` takes it); never raises."""
        started = self._started = time.perf_counter()
        generation = self.state.generation
        gone = [name for name in self._needed if not (self.site_dir / name).exists()]
        if gone:
            self.all_written()
            return self._failed([f"{name}: deleted or moved while serving; put it back (nothing is built without it)" for name in gone])
        try:
            self.base_path = load_config(self.site_dir, self.overrides).base_path  # ogpsite.yml may have changed it
            result = self.builder.build(edited=edited, first=FirstPages(self.open_files, self.first_written))
        except BuildError as error:
            return self._failed([str(problem) for problem in error.problems])
        except OgpsiteError as error:
            return self._failed([str(error)])
        except Exception:  # a bug must not end the preview: show it like any other problem
            return self._failed(["ogpsite: internal error while building (please report it):", *traceback.format_exc().splitlines()])
        finally:
            self.all_written()
        warnings = {str(warning) for warning in result.warnings}
        for warning in sorted(warnings - self._warned):  # each warning once per session, not on every save
            self.tell(warning)
        self._warned = warnings
        if self.verbose:
            for line in stage_lines(result.timings):
                self.log(line)
        self.tell(f"built {result.reports} reports in {time.perf_counter() - started:.2f} s")
        if self.state.generation == generation:  # no reload was sent early (see `FirstPages`)
            self.state.built()
        return True

    def tell(self, line: str) -> None:
        """A line that is not a problem: left out with `--quiet`."""
        if not self.quiet:
            self.log(line)

    def _failed(self, lines: list[str]) -> bool:
        for line in lines:
            self.log(line)
        self.log("the last good build is still being served")
        self.state.failed(lines)
        return False

    def rebuild_loop(self, watcher: ChangeWatcher, stop: threading.Event) -> None:
        """The one thread that builds: waits for the flag, lets the burst settle, rebuilds."""
        while not stop.is_set():
            if not watcher.flag.wait(0.5):
                continue
            while not stop.is_set():  # settle: rebuild once after the last of several quick events
                watcher.flag.clear()
                if not watcher.flag.wait(SETTLE_SECONDS):
                    break
            changed, edited = watcher.take()
            if changed and not stop.is_set():
                self.tell(f"changed: {', '.join(changed[:5])}{' …' if len(changed) > 5 else ''}")
                self.rebuild(edited)


def resolve_request(output_dir: Path, base_path: str, url_path: str) -> Path | None:
    """The file a request path names below `output_dir`, or None for anything outside it.

    `url_path` is still percent-encoded; it is decoded once, then every segment is checked, so
    `..`, `%2e%2e`, backslashes, empty segments (`//etc`) and NUL never reach the file system,
    and a symlink resolving out of the output directory is refused too.
    """
    if not url_path.startswith(base_path):
        return None
    decoded = unquote(url_path[len(base_path):], errors="strict")
    segments = decoded.split("/")
    if any(segment in (".", "..") or "\\" in segment or "\0" in segment for segment in segments):
        return None
    if any(segment == "" for segment in segments[:-1]):
        return None
    root = output_dir.resolve()
    target = root.joinpath(*[segment for segment in segments if segment])
    try:
        resolved = target.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if resolved != root and not resolved.is_relative_to(root):
        return None
    return target


def inject_reload(html: bytes) -> bytes:
    """The live-reload script before the last `</body>` (or at the end)."""
    script = LIVE_RELOAD_SCRIPT.encode("utf-8")
    index = html.lower().rfind(b"</body>")
    return html + script if index < 0 else html[:index] + script + html[index:]


class PreviewHandler(BaseHTTPRequestHandler):
    """Serves the output directory under the base path, and the event stream."""

    server: "PreviewServer"
    protocol_version = "HTTP/1.0"  # one response per connection: the event stream ends by closing
    timeout = IDLE_SECONDS  # a connection that sends nothing (or reads nothing) is closed

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(send_body=False)

    def _respond(self, send_body: bool) -> None:
        url_path = urlsplit(self.path).path
        preview = self.server.preview
        if url_path == EVENTS_PATH:
            self._stream_events(preview, urlsplit(self.path).query)
            return
        preview.wait_until_written(url_path)
        base_path = preview.base_path
        if url_path in ("", "/") and base_path != "/":
            self._redirect(base_path)
            return
        try:
            target = resolve_request(preview.output_dir, base_path, url_path)
        except UnicodeDecodeError:
            target = None
        if target is not None and target.is_dir():
            if not url_path.endswith("/"):
                self._redirect(url_path + "/")
                return
            target = target / "index.html"
        try:
            body = target.read_bytes() if target is not None else None
        except OSError:  # a directory without index.html, or swapped away by a rebuild just now
            body = None
        if target is None or body is None:
            self._not_found(send_body)
            return
        self._send(body, target.name, HTTPStatus.OK, send_body)

    def _send(self, body: bytes, name: str, status: HTTPStatus, send_body: bool) -> None:
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if content_type == "text/html":
            body = inject_reload(body)
        if content_type.startswith("text/") or content_type in ("application/xml", "application/javascript", "application/json"):
            content_type += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _not_found(self, send_body: bool) -> None:
        """The site's own 404 page, as GitHub Pages serves it; a bare page before any good build."""
        try:
            body = (self.server.preview.output_dir / "404.html").read_bytes()
        except OSError:
            body = EMPTY_PAGE.encode("utf-8")
        self._send(body, "404.html", HTTPStatus.NOT_FOUND, send_body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _stream_events(self, preview: Preview, query: str) -> None:
        """The page's event stream; the page (`?page=` its path) counts as open while it lasts."""
        page = parse_qs(query).get("page", [""])[0]
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if page:
            preview.page_opened(page)
        try:
            self.wfile.write(b"retry: 500\n\n")
            for message in preview.state.events():
                self.wfile.write(message.encode("utf-8"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the page was closed or reloaded
        finally:
            if page:
                preview.page_closed(page)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        """Requests are not logged: the terminal is for build results and problems."""


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not keep the process alive after Ctrl-C

    def __init__(self, address: tuple[str, int], preview: Preview) -> None:
        self.preview = preview
        super().__init__(address, PreviewHandler)


def _listening(host: str, port: int, preview: Preview) -> PreviewServer:
    """The server bound to HOST:PORT; a port in use or an address not ours is a message."""
    try:
        return PreviewServer((host, port), preview)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise OgpsiteError(f"port {port} on {host} is in use (another server?): stop it, or use --port {port + 1} or --port 0 (any free port)") from None
        if error.errno in (errno.EADDRNOTAVAIL, errno.EACCES):
            raise OgpsiteError(f"cannot listen on {host}:{port} ({error.strerror}): use --host 127.0.0.1, or a port above 1023") from None
        raise


def _interrupt(number: int, frame: Any) -> None:
    raise KeyboardInterrupt


def serve(site_dir: Path, host: str, port: int, overrides: dict[str, Any], drafts: bool, log: Any = print, open_browser: bool = False,
          quiet: bool = False, verbose: bool = False) -> None:
    """Build, then serve and watch until Ctrl-C; a site broken from the start is served as its
    problems. `open_browser`: open the address in the default browser once it is served.
    `quiet` and `verbose` as `Preview` takes them; the address is said even when `quiet`
    (with `--port 0` nothing else tells it)."""
    preview = Preview(site_dir, site_dir / SERVE_OUTPUT, overrides, drafts, log=log, quiet=quiet, verbose=verbose)
    server = _listening(host, port, preview)  # before the build: a busy port is said at once
    preview.rebuild()
    watcher = ChangeWatcher(site_dir)
    observer = Observer()
    watcher.watch(observer)
    stop = threading.Event()
    loop = threading.Thread(target=preview.rebuild_loop, args=(watcher, stop), name="ogpsite-rebuild", daemon=True)
    observer.start()
    loop.start()
    bound_host, bound_port = server.server_address[:2]
    address = f"http://{bound_host}:{bound_port}{preview.base_path}"
    try:  # from the first line that says it serves, a signal stops it cleanly
        # Ctrl-C too: Python leaves SIGINT ignored when it starts ignored, as `ogpsite serve &` in a script does.
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # and `kill`, a closed terminal: stop as Ctrl-C does
            signal.signal(number, _interrupt)
        log(f"serving {address} (Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(address)  # returns at once; the socket is already listening
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        preview.tell("stopping")
    finally:
        stop.set()
        preview.state.close()
        observer.stop()
        server.server_close()
        observer.join(timeout=2)
        loop.join(timeout=5)
