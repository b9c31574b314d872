"""Link audit: serve a built site the way GitHub Pages does and crawl every link in it.

The server mounts the output under a path (`/` or `/repo/`), answers `dir` with a redirect
to `dir/` and anything missing with `404.html` and status 404, like Pages. The crawler starts
at the mount root and at `robots.txt`, follows every `href`, `src` and `srcset` in HTML and
every link in feeds and sitemaps, and records what does not answer 200. Absolute links to the
site's public address are followed on the local server instead.

Run `python -m tests.audit` to build the fixture site and `content/` at `/` and under `/repo/`
and print what the audit saw.
"""

from __future__ import annotations

import tempfile
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit

from ogpsite.build.incremental import build
from ogpsite.sources.reader import discover, read_report

TESTS = Path(__file__).resolve().parent
SITES = {"fixture site": TESTS / "fixture_site", "content/": TESTS.parent}
TODAY = date(2024, 1, 1)
PROJECT_PAGES_URL = "https://example.org/repo/"
MISSING_PAGE = "cyr/2014/03/no-such-report/deeper/"  # a 404 at depth: its links must still work
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


class PagesHandler(SimpleHTTPRequestHandler):
    """Static files below `mount`, with GitHub Pages' 404 page and no directory listings."""

    mount = "/"

    def __init__(self, *args, mount: str, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.mount = mount
        super().__init__(*args, **kwargs)

    def send_head(self):  # type: ignore[no-untyped-def]
        if not unquote(urlsplit(self.path).path).startswith(self.mount):
            self.send_error(404)
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + urlsplit(path).path[len(self.mount):])

    def list_directory(self, path):  # type: ignore[no-untyped-def]
        self.send_error(404)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found_page = Path(self.directory) / "404.html"
        if code != 404 or not not_found_page.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found_page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Quiet: the audit reports what matters."""


@contextmanager
def serve(directory: Path, mount: str = "/") -> Iterator[str]:
    """Serve `directory` at `http://127.0.0.1:PORT{mount}`; yields the origin `http://127.0.0.1:PORT`."""
    handler = partial(PagesHandler, directory=str(directory), mount=mount)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class PageParser(HTMLParser):
    """What the audit needs from one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.lang = ""
        self.canonical = ""
        self.alternates: dict[str, str] = {}  # hreflang -> href
        self.switch = ""  # the script-switch link in the header
        self.refresh = ""  # a redirect page's `<meta http-equiv="refresh">` target
        self.robots = ""
        self.anchors: list[str] = []  # `<a href>`s: what a reader can follow by hand

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name])
        if tag == "a" and values.get("href"):
            self.anchors.append(values["href"])
        if values.get("srcset"):
            self.links.extend(candidate.split()[0] for candidate in values["srcset"].split(",") if candidate.strip())
        if tag == "html":
            self.lang = values.get("lang", "")
        rel = values.get("rel", "").split()
        if tag == "link" and "canonical" in rel:
            self.canonical = values.get("href", "")
        if tag == "link" and "alternate" in rel and "hreflang" in values:
            self.alternates[values["hreflang"]] = values.get("href", "")
        if tag == "a" and "script-switch" in values.get("class", "").split():
            self.switch = values.get("href", "")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.refresh = values.get("content", "").partition("url=")[2].strip()
            self.links.append(self.refresh)
        if tag == "meta" and values.get("name") == "robots":
            self.robots = values.get("content", "")


@dataclass
class Page:
    url: str
    lang: str
    canonical: str
    alternates: dict[str, str]
    switch: str
    ids: set[str]
    refresh: str = ""  # a redirect page's target (local URL)
    robots: str = ""
    anchors: list[str] = field(default_factory=list)  # local URLs


@dataclass
class Audit:
    """What a crawl saw: pages, every link checked, and every failure."""

    mount: str
    pages: dict[str, Page] = field(default_factory=dict)  # local URL (no fragment) -> HTML page
    statuses: dict[str, int] = field(default_factory=dict)  # local URL -> HTTP status
    links_checked: int = 0
    failures: list[str] = field(default_factory=list)
    fragments: list[tuple[str, str]] = field(default_factory=list)  # (linking page, local URL with fragment)

    def summary(self) -> str:
        return f"{self.mount}: {len(self.pages)} pages crawled, {self.links_checked} links checked, {len(self.statuses)} distinct URLs"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is a failure: every link must name its target exactly (`dir/`, not `dir`)."""

    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def fetch(url: str) -> tuple[int, str, bytes]:
    """(status, content type, body) of a GET."""
    try:
        with _OPENER.open(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read()


class Crawler:
    def __init__(self, origin: str, mount: str, public_url: str, starts: tuple[str, ...] = ()) -> None:
        self.origin = origin
        self.starts = starts
        self.mount = mount
        self.public_origin = _origin_of(public_url)
        self.audit = Audit(mount)
        self._queue: list[tuple[str, str]] = []  # (URL, page that links to it)

    def local(self, url: str) -> str:
        """The URL on the local server for a link to the site's public address."""
        if url.startswith(self.public_origin + "/"):
            return self.origin + url[len(self.public_origin):]
        return url

    def run(self) -> Audit:
        self._queue = [(self.origin + self.mount, "(start)"), (self.origin + self.mount + "robots.txt", "(start)")]
        self._queue += [(url, "(an old address)") for url in self.starts]
        while self._queue:
            url, source = self._queue.pop()
            self._visit(url, source)
        self._check_not_found_page()
        self._check_fragments()
        return self.audit

    def _follow(self, target: str, base: str) -> None:
        """Queue a link found on `base`; links that leave the site are not ours to check."""
        url = self.local(urljoin(base, target))
        if _origin_of(url) != self.origin:
            return
        self.audit.links_checked += 1
        document, fragment = urldefrag(url)
        if fragment:
            self.audit.fragments.append((base, url))
        if document not in self.audit.statuses:
            self.audit.statuses[document] = 0  # queued
            self._queue.append((document, base))

    def _visit(self, url: str, source: str) -> None:
        status, content_type, body = fetch(url)
        self.audit.statuses[url] = status
        if status != 200:
            self.audit.failures.append(f"{url} answered {status} (linked from {source})")
            return
        if content_type == "text/html":
            self._read_html(url, body)
        elif content_type in ("application/xml", "text/xml", "application/atom+xml") or url.endswith(".xml"):
            self._read_xml(url, body)
        elif url.endswith("robots.txt"):
            for line in body.decode("utf-8").splitlines():
                if line.lower().startswith("sitemap:"):
                    self._follow(line.split(":", 1)[1].strip(), url)

    def _read_html(self, url: str, body: bytes) -> None:
        parser = PageParser()
        parser.feed(body.decode("utf-8"))
        absolute = lambda link: self.local(urljoin(url, link)) if link else ""  # noqa: E731
        alternates = {lang: absolute(href) for lang, href in parser.alternates.items()}
        self.audit.pages[url] = Page(
            url, parser.lang, absolute(parser.canonical), alternates, absolute(parser.switch), parser.ids,
            absolute(parser.refresh), parser.robots, [absolute(href) for href in parser.anchors],
        )
        for link in parser.links:
            self._follow(link, url)

    def _read_xml(self, url: str, body: bytes) -> None:
        try:
            root = ET.fromstring(body)
        except ET.ParseError as error:
            self.audit.failures.append(f"{url} is not well-formed XML: {error}")
            return
        for element in root.iter():
            if element.tag in (f"{ATOM}link", f"{XHTML}link") and element.get("href"):
                self._follow(element.get("href", ""), url)
            elif element.tag in (f"{ATOM}id", f"{SITEMAP}loc") and (element.text or "").strip():
                self._follow(element.text.strip(), url)

    def _check_not_found_page(self) -> None:
        """A missing URL deep in the site answers 404 with a page whose links all work there."""
        url = self.origin + self.mount + MISSING_PAGE
        status, content_type, body = fetch(url)
        if status != 404 or content_type != "text/html":
            self.audit.failures.append(f"{url} answered {status} {content_type}, not the 404 page")
            return
        parser = PageParser()
        parser.feed(body.decode("utf-8"))
        before = set(self.audit.statuses)
        for link in parser.links:
            self._follow(link, url)
        for document in sorted(set(self.audit.statuses) - before):
            self._visit(document, url)

    def _check_fragments(self) -> None:
        for source, url in self.audit.fragments:
            document, fragment = urldefrag(url)
            page = self.audit.pages.get(document)
            if page is not None and unquote(fragment) not in page.ids:
                self.audit.failures.append(f"{url} (linked from {source}): no element with id `{unquote(fragment)}`")


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def crawl(origin: str, mount: str, public_url: str, starts: tuple[str, ...] = ()) -> Audit:
    """Crawl the site served at `origin + mount` whose public address is `public_url`, from its
    root and from `starts` (old addresses: nothing links to them)."""
    return Crawler(origin, mount, public_url, starts).run()


def old_addresses(site_dir: Path, origin: str, mount: str) -> dict[str, str]:
    """Every report's aliases as local URLs, with the path below an edition of the report they name."""
    found = {}
    for source in discover(site_dir):
        report, _ = read_report(source, TODAY)
        if report is not None:
            found.update((origin + mount + quote(alias[1:]), report.path) for alias in report.aliases)
    return found


def redirect_problems(audit: Audit, origin: str, expected: dict[str, str] | None = None) -> list[str]:
    """Every redirect page: noindex, its canonical, refresh and visible link all name one crawled
    report page (that page's own canonical), in an edition; with `expected`, the right one."""
    problems = []
    chooser = origin + audit.mount  # it refreshes to the default edition too, and is no redirect page
    for url, page in sorted(audit.pages.items()):
        if not page.refresh or url == chooser:
            continue
        target = audit.pages.get(page.refresh)
        if target is None:
            problems.append(f"{url}: redirects to {page.refresh}, which was not crawled as a page")
            continue
        if page.canonical != page.refresh or target.canonical != page.refresh:
            problems.append(f"{url}: canonical {page.canonical}, refresh {page.refresh}, target's canonical {target.canonical}")
        if "noindex" not in page.robots:
            problems.append(f"{url}: a redirect page without `noindex`")
        if page.refresh not in page.anchors:
            problems.append(f"{url}: no visible link to {page.refresh}")
        if expected is not None and edition_path(page.refresh, origin, audit.mount)[1] != expected.get(url):
            problems.append(f"{url}: redirects to {page.refresh}, not to the report {expected.get(url)}")
    missing = sorted(set(expected or ()) - {url for url, page in audit.pages.items() if page.refresh and url != chooser})
    problems += [f"{url}: no redirect page answers at this old address" for url in missing]
    return problems


def edition_path(page_url: str, origin: str, mount: str) -> tuple[str, str]:
    """(edition code, path below the edition) of a page URL."""
    below_mount = page_url[len(origin + mount):]
    code, _, rest = below_mount.partition("/")
    return code, rest


def alternate_problems(audit: Audit, origin: str) -> list[str]:
    """Every edition page: both hreflang alternates, pointing at each other; switch lands on the counterpart."""
    problems = []
    for url, page in sorted(audit.pages.items()):
        if not page.switch:
            continue  # the chooser and 404 pages live outside the editions
        languages = [lang for lang in page.alternates if lang != "x-default"]
        if len(languages) != 2 or "x-default" not in page.alternates:
            problems.append(f"{url}: hreflang alternates {sorted(page.alternates)}, expected both scripts and x-default")
            continue
        if page.alternates.get(page.lang) != url or page.canonical != url:
            problems.append(f"{url}: its own alternate/canonical is {page.alternates.get(page.lang)} / {page.canonical}")
        (other_lang,) = [lang for lang in languages if lang != page.lang]
        counterpart = audit.pages.get(page.alternates[other_lang])
        if counterpart is None:
            problems.append(f"{url}: alternate {page.alternates[other_lang]} was not crawled as a page")
            continue
        if counterpart.alternates != page.alternates:
            problems.append(f"{url}: alternates differ from its counterpart's {counterpart.url}")
        if page.switch != counterpart.url or counterpart.switch != url:
            problems.append(f"{url}: script switch goes to {page.switch}, counterpart {counterpart.url} switches to {counterpart.switch}")
        code, rest = edition_path(url, origin, audit.mount)
        other_code, other_rest = edition_path(counterpart.url, origin, audit.mount)
        if code == other_code or rest != other_rest or counterpart.lang != other_lang:
            problems.append(f"{url}: counterpart {counterpart.url} ({counterpart.lang}) is not the same page in the other script")
    return problems


def unreached_files(audit: Audit, output: Path, origin: str) -> list[str]:
    """Pages and XML files in the output that no link leads to (404.html is reached by failing)."""
    reached = {url[len(origin + audit.mount):] for url, status in audit.statuses.items() if status == 200}
    unreached = []
    for path in sorted(output.rglob("*")):
        name = path.relative_to(output).as_posix()
        if path.suffix not in (".html", ".xml") or name == "404.html" or name.startswith("pagefind/"):
            continue
        url_path = name.removesuffix("index.html")
        if url_path not in reached:
            unreached.append(name)
    return unreached


@contextmanager
def built_and_served(site_dir: Path, mount: str, workdir: Path) -> Iterator[tuple[str, str, Path]]:
    """Build `site_dir` for `mount` and serve it; yields (origin, public URL, output directory).

    At `/` the public address is the local server itself; under `/repo/` it is
    PROJECT_PAGES_URL, whose links the crawler follows on the local server.
    """
    output = workdir / "output"
    with serve(output, mount) as origin:
        public_url = origin + "/" if mount == "/" else PROJECT_PAGES_URL
        build(site_dir, output, {"base_url": public_url}, today=TODAY)
        yield origin, public_url, output


def main() -> None:
    for name, site_dir in SITES.items():
        for mount in ("/", urlsplit(PROJECT_PAGES_URL).path):
            with tempfile.TemporaryDirectory() as workdir, built_and_served(site_dir, mount, Path(workdir)) as (origin, public_url, output):
                expected = old_addresses(site_dir, origin, mount)
                audit = crawl(origin, mount, public_url, tuple(expected))
                problems = audit.failures + alternate_problems(audit, origin) + unreached_files(audit, output, origin)
                problems += redirect_problems(audit, origin, expected)
                print(f"{name}: {audit.summary()}, {len(problems)} problems")
                for problem in problems:
                    print("  " + problem)


if __name__ == "__main__":
    main()
