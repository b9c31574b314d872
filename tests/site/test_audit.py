"""Every URL a build emits works when served for real, at `/` and under a `/repo/` base path.

Each site is built once per base path (module-scoped fixture), served by a local HTTP server
that behaves like GitHub Pages, and crawled from its root (see tests/audit.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.audit import SITES, Audit, alternate_problems, built_and_served, crawl, old_addresses, redirect_problems, serve, unreached_files

MOUNTS = ("/", "/repo/")


@dataclass
class Crawled:
    audit: Audit
    origin: str
    output: Path
    old_addresses: dict[str, str]  # local URL -> path below an edition of the report it names


@pytest.fixture(scope="module", params=[(name, mount) for name in SITES for mount in MOUNTS], ids=lambda param: f"{param[0]} at {param[1]}")
def crawled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    name, mount = request.param
    with built_and_served(SITES[name], mount, tmp_path_factory.mktemp("audit")) as (origin, public_url, output):
        expected = old_addresses(SITES[name], origin, mount)
        audit = crawl(origin, mount, public_url, tuple(expected))
        print(f"\naudit of {name}: {audit.summary()}")
        yield Crawled(audit, origin, output, expected)


def test_every_link_answers_200_and_every_fragment_exists(crawled: Crawled) -> None:
    assert crawled.audit.failures == []


def test_hreflang_alternates_and_script_switch_pair_up(crawled: Crawled) -> None:
    assert alternate_problems(crawled.audit, crawled.origin) == []


def test_every_page_feed_and_sitemap_is_reached(crawled: Crawled) -> None:
    assert crawled.audit.pages, "the crawl found no page at all"
    assert unreached_files(crawled.audit, crawled.output, crawled.origin) == []


def test_every_page_is_an_edition_page_but_the_root_ones(crawled: Crawled) -> None:
    """The crawl saw both editions: all pages but the chooser carry a script switch."""
    root = crawled.origin + crawled.audit.mount
    without_switch = sorted(url for url, page in crawled.audit.pages.items() if not page.switch and (not page.refresh or url == root))
    assert without_switch == [root]
    assert {page.lang.rpartition("-")[2] for page in crawled.audit.pages.values() if page.switch} == {"Cyrl", "Latn"}


def test_every_old_address_redirects_to_its_report(crawled: Crawled) -> None:
    assert redirect_problems(crawled.audit, crawled.origin, crawled.old_addresses) == []


def test_the_project_content_has_old_addresses_to_follow() -> None:
    """The audit of content/ crosses redirect pages, at `/` and under `/repo/`."""
    assert len(old_addresses(SITES["content/"], "http://x", "/")) >= 2


# The audit itself must be able to fail: a hand-made broken site.

BROKEN_PAGE = """<!DOCTYPE html><html lang="sr-Latn"><head>
<link rel="canonical" href="/repo/lat/">
<link rel="alternate" hreflang="sr-Latn" href="/repo/lat/">
<link rel="alternate" hreflang="sr-Cyrl" href="/repo/cyr/">
<link rel="alternate" hreflang="x-default" href="/repo/cyr/">
</head><body>
<a class="script-switch" href="/repo/cyr/">Ћирилица</a>
<a href="/repo/lat/missing/">gone</a>
<a href="/repo/lat/sub">no trailing slash</a>
<a href="/lat/">outside the base path</a>
<a href="#nowhere">no such id</a>
<img src="pic.png" srcset="pic.png 1x, pic-2x.png 2x" alt="">
</body></html>
"""
COUNTERPART = """<!DOCTYPE html><html lang="sr-Cyrl"><head>
<link rel="canonical" href="/repo/cyr/">
<link rel="alternate" hreflang="sr-Cyrl" href="/repo/cyr/">
<link rel="alternate" hreflang="sr-Latn" href="/repo/lat/">
</head><body><a class="script-switch" href="/repo/">Latinica</a></body></html>
"""


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_the_audit_reports_what_is_broken(tmp_path: Path) -> None:
    files = {
        "index.html": '<!DOCTYPE html><html lang="sr"><body><a href="lat/">lat</a> <a href="cyr/">cyr</a></body></html>',
        "lat/index.html": BROKEN_PAGE,
        "lat/sub/index.html": "<!DOCTYPE html><html><body></body></html>",
        "lat/pic.png": "",
        "cyr/index.html": COUNTERPART,
        "404.html": '<!DOCTYPE html><html><body><a href="lat/">relative: broken at depth</a></body></html>',
        "robots.txt": "User-agent: *\n",
    }
    write_files(tmp_path, files)
    with serve(tmp_path, "/repo/") as origin:
        audit = crawl(origin, "/repo/", "https://example.org/repo/")
        alternates = alternate_problems(audit, origin)
    failures = "\n".join(audit.failures)
    assert "/repo/lat/missing/ answered 404" in failures
    assert "/repo/lat/sub answered 301" in failures
    assert f"{origin}/lat/ answered 404" in failures
    assert "/repo/lat/pic-2x.png answered 404" in failures
    assert "no element with id `nowhere`" in failures
    assert "/repo/cyr/2014/03/no-such-report/deeper/lat/ answered 404" in failures
    assert any("x-default" in problem for problem in alternates)  # the Cyrillic page lacks it
    assert any("script switch" in problem for problem in alternates)


def test_the_audit_reports_a_broken_redirect(tmp_path: Path) -> None:
    report = '<!DOCTYPE html><html lang="sr-Cyrl"><head><link rel="canonical" href="/cyr/r/"></head><body></body></html>'
    files = {
        "index.html": '<!DOCTYPE html><html lang="sr"><body><a href="cyr/r/">r</a></body></html>',
        "cyr/r/index.html": report,
        "gone/index.html": '<html><head><meta name="robots" content="noindex"><meta http-equiv="refresh" content="0; url=/cyr/missing/"></head></html>',
        "wrong/index.html": '<html><head><link rel="canonical" href="/"><meta http-equiv="refresh" content="0; url=/cyr/r/"></head></html>',
        "robots.txt": "User-agent: *\n",
    }
    write_files(tmp_path, files)
    with serve(tmp_path, "/") as origin:
        starts = {origin + "/gone/": "r/", origin + "/wrong/": "other/", origin + "/never/": "r/"}
        audit = crawl(origin, "/", origin + "/", tuple(starts))
    problems = "\n".join(redirect_problems(audit, origin, starts))
    assert "/gone/: redirects to " + origin + "/cyr/missing/, which was not crawled as a page" in problems
    assert "/wrong/: canonical " + origin + "/, refresh " in problems
    assert "/wrong/: a redirect page without `noindex`" in problems
    assert "/wrong/: no visible link to" in problems
    assert "/wrong/: redirects to " + origin + "/cyr/r/, not to the report other/" in problems
    assert "/never/: no redirect page answers at this old address" in problems
