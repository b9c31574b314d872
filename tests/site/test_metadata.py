"""What every page tells search engines and link previews, and the ways onward it offers:
JSON-LD, OpenGraph and Twitter tags, descriptions, breadcrumbs, previous/next and related
reports, the numbered pager, tag feeds, the current menu entry, the 404 page and the sitemap."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest

from ogpsite.build.incremental import build
from tests.conftest import report, write_site
from tests.golden import build_fixture

ORIGIN = "https://example.org"


class _Page(HTMLParser):
    """The tags of a page this test reads: meta, JSON-LD, links, the h1, the canonical URL."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []  # (property or name, content), in order
        self.json_ld: list[Any] = []
        self.links: list[dict[str, str]] = []  # every <a>, with its text
        self.lang = ""
        self.h1 = ""
        self.canonical = ""
        self.times: list[str] = []
        self._in: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = values.get("lang", "")
        elif tag == "meta" and ("property" in values or "name" in values):
            self.meta.append((values.get("property") or values["name"], values.get("content", "")))
        elif tag == "link" and values.get("rel") == "canonical":
            self.canonical = values["href"]
        elif tag == "time" and not self.times:
            self.times.append(values.get("datetime", ""))
        elif tag == "a":
            self.links.append(values)
        if tag in ("script", "h1", "a"):
            self._in.append(tag if tag != "script" or values.get("type") == "application/ld+json" else "other-script")
            self._text = []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("script", "h1", "a") or not self._in:
            return
        kind = self._in.pop()
        text = "".join(self._text)
        if kind == "script":
            self.json_ld.extend(json.loads(text))
        elif kind == "h1" and not self.h1:
            self.h1 = " ".join(text.split())
        elif kind == "a" and self.links:
            self.links[-1]["text"] = " ".join(text.split())

    def first(self, name: str) -> str:
        return next((content for key, content in self.meta if key == name), "")

    def every(self, name: str) -> list[str]:
        return [content for key, content in self.meta if key == name]

    def of_type(self, kind: str) -> dict[str, Any]:
        return next(item for item in self.json_ld if item["@type"] == kind)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("metadata") / "out"
    build_fixture(output)
    return output


def report_pages(output: Path) -> list[Path]:
    return sorted(path for path in output.glob("*/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))


def test_every_report_page_has_its_news_article_opengraph_and_twitter_card(site: Path) -> None:
    pages = report_pages(site)
    assert len(pages) == 8  # four reports (a draft left out), two editions
    locales: dict[str, set[str]] = {"sr": set(), "bs": set()}
    for path in pages:
        page = parse(path)
        edition = path.relative_to(site).parts[0]
        where = path.relative_to(site).as_posix()
        article = page.of_type("NewsArticle")
        assert article["@context"] == "https://schema.org"
        assert article["headline"] == page.h1 == page.first("og:title") == page.first("twitter:title"), where
        assert article["datePublished"] == page.times[0] == page.first("article:published_time"), where
        language = page.lang.split("-")[0]  # sr, or the report's own (`language: bs`)
        assert article["inLanguage"] == page.lang == f"{language}-{'Cyrl' if edition == 'cyr' else 'Latn'}", where
        assert article["mainEntityOfPage"]["@id"] == article["url"] == page.canonical == page.first("og:url"), where
        assert page.canonical.startswith(f"{ORIGIN}/{edition}/")
        assert page.first("og:type") == "article"
        assert page.first("og:locale") == {"sr": "sr_RS", "bs": "bs_BA"}[language], where  # language_TERRITORY in both editions, never sr_Cyrl_RS
        locales[language].add(page.first("og:locale"))
        assert page.first("og:site_name") == ("Пробна архива" if edition == "cyr" else "Probna arhiva")
        assert page.first("description") == page.first("og:description") == article["description"] != "", where
        assert page.first("twitter:card") == ("summary_large_image" if page.first("og:image") else "summary")
        # The report's institutions are its authors, each an Organization with its page.
        institution_links = {link["text"]: ORIGIN + link["href"] for link in page.links if "/institutions/" in link.get("href", "") and link.get("text")}
        authors = {author["name"]: author["url"] for author in article["author"]}
        assert all(author["@type"] == "Organization" for author in article["author"])
        assert authors and authors.items() <= institution_links.items(), where
        assert article["publisher"]["@type"] == "Organization" and article["publisher"]["url"] == f"{ORIGIN}/{edition}/"
        tags = page.every("article:tag")
        assert tags == article.get("keywords", []) and tags, where
    assert locales == {"sr": {"sr_RS"}, "bs": {"bs_BA"}}  # one locale per language, whichever the edition


def test_a_summary_is_the_description_and_updated_is_the_modified_time(site: Path) -> None:
    meeting = parse(site / "lat" / "2014" / "03" / "sastanak-konjic" / "index.html")
    assert meeting.first("description") == "Sedmi sastanak radne grupe za komunikacije."
    assert "article:modified_time" not in dict(meeting.meta)
    assert meeting.of_type("NewsArticle")["dateModified"] == "2014-03-04" == meeting.of_type("NewsArticle")["datePublished"]
    day = parse(site / "cyr" / "2021" / "09" / "dan-prava-da-se-zna" / "index.html")
    assert day.first("article:modified_time") == "2021-10-04" == day.of_type("NewsArticle")["dateModified"]
    assert day.first("article:published_time") == "2021-09-28"


def test_breadcrumbs_lead_from_the_edition_through_year_and_month(site: Path) -> None:
    page = parse(site / "cyr" / "2014" / "03" / "radionica-konjic" / "index.html")
    crumbs = page.of_type("BreadcrumbList")["itemListElement"]
    assert [crumb["position"] for crumb in crumbs] == [1, 2, 3, 4]
    assert [crumb["item"] for crumb in crumbs] == [f"{ORIGIN}/cyr/", f"{ORIGIN}/cyr/2014/", f"{ORIGIN}/cyr/2014/03/", page.canonical]
    assert [crumb["name"] for crumb in crumbs][1:3] == ["2014", "март 2014."]
    html = (site / "cyr" / "2014" / "03" / "radionica-konjic" / "index.html").read_text(encoding="utf-8")
    trail = html[html.index('<nav class="breadcrumbs"') : html.index("</nav>", html.index('<nav class="breadcrumbs"'))]
    assert re.findall(r'href="([^"]+)"', trail) == ["/cyr/", "/cyr/2014/", "/cyr/2014/03/"]
    assert 'aria-current="page"' in trail
    month = parse(site / "lat" / "2014" / "03" / "index.html")
    assert [crumb["name"] for crumb in month.of_type("BreadcrumbList")["itemListElement"]] == ["Probna arhiva", "2014", "mart 2014."]


def test_previous_and_next_follow_the_date_order_and_related_reports_share_institutions_or_tags(site: Path) -> None:
    order = ["2021/09/dan-prava-da-se-zna/", "2019/06/otvoreni-podaci/", "2014/03/radionica-konjic/", "2014/03/sastanak-konjic/"]  # newest first
    for number, path in enumerate(order):
        html = (site / "lat" / path / "index.html").read_text(encoding="utf-8")
        steps = re.search(r'<nav class="report-steps".*?</nav>', html, re.S)
        assert steps, path
        previous = re.search(r'rel="prev" href="([^"]+)"', steps.group(0))
        following = re.search(r'rel="next" href="([^"]+)"', steps.group(0))
        assert (previous.group(1) if previous else None) == (f"/lat/{order[number + 1]}" if number + 1 < len(order) else None), path
        assert (following.group(1) if following else None) == (f"/lat/{order[number - 1]}" if number > 0 else None), path
    # The Konjic workshop shares GIZ, the statistics agency and OGP with the meeting, the agency
    # with the 2021 report; the 2019 report shares nothing with any.
    workshop = (site / "lat" / "2014" / "03" / "radionica-konjic" / "index.html").read_text(encoding="utf-8")
    related = re.search(r'<section class="related".*?</section>', workshop, re.S)
    assert related and re.findall(r'<a href="([^"]+)"', related.group(0)) == ["/lat/2021/09/dan-prava-da-se-zna/", "/lat/2014/03/sastanak-konjic/"]
    assert '<section class="related"' not in (site / "lat" / "2019" / "06" / "otvoreni-podaci" / "index.html").read_text(encoding="utf-8")


def test_the_current_menu_entry_and_page_number_are_marked(site: Path) -> None:
    archive = (site / "cyr" / "archive" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', archive) == ["/cyr/archive/"]
    report_page = (site / "cyr" / "2014" / "03" / "radionica-konjic" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<a href="([^"]+)" aria-current="true">', report_page) == ["/cyr/archive/"]  # within the archive, not its page
    second = (site / "cyr" / "page" / "2" / "index.html").read_text(encoding="utf-8")
    pager = second[second.index('<nav class="pager"') :]
    assert re.findall(r'<li><a href="([^"]+)"', pager) == ["/cyr/", "/cyr/page/2/"]
    assert '<a href="/cyr/page/2/" aria-current="page">2</a>' in pager


def test_each_tag_has_a_feed_of_its_reports(site: Path) -> None:
    for edition in ("cyr", "lat"):
        for tag_page in sorted((site / edition / "tags").glob("*/index.html")):
            feed = feedparser.parse((tag_page.parent / "feed.xml").read_bytes())
            assert not feed.bozo, tag_page
            listed = re.findall(r'<h2 class="report-item-title"><a href="([^"]+)"', tag_page.read_text(encoding="utf-8"))
            assert [entry.id.removeprefix(ORIGIN) for entry in feed.entries][: len(listed)] == listed, tag_page
            assert f'href="/{edition}/tags/{tag_page.parent.name}/feed.xml"' in tag_page.read_text(encoding="utf-8")


def test_the_404_page_has_a_search_box_and_the_latest_reports_of_each_edition(site: Path) -> None:
    page = (site / "404.html").read_text(encoding="utf-8")
    assert page.count('role="search"') == 1 and 'action="/cyr/search/"' in page and 'name="q"' in page
    assert '<a href="/cyr/" lang="sr-Cyrl">Најновији извештаји</a>' in page
    assert '<a href="/lat/" lang="sr-Latn">Najnoviji izveštaji</a>' in page


def test_list_pages_describe_themselves(site: Path) -> None:
    giz = parse(site / "lat" / "institutions" / "giz" / "index.html")
    assert giz.first("description") == "Njemačka razvojna agencija."  # the institution's own description
    assert giz.first("og:type") == "website" and giz.first("og:locale") == "sr_RS"
    home = parse(site / "cyr" / "index.html")
    assert home.first("description") == "Мала архива за тестове."
    assert not home.json_ld  # no breadcrumbs on the edition's home
    for path in (site / "cyr").rglob("index.html"):
        head = path.read_text(encoding="utf-8").split("</head>")[0]
        assert '<link rel="icon" href="/static/favicon.svg?v=' in head and '<meta name="theme-color" content="#' in head, path


def test_the_sitemap_gives_each_report_its_last_change(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    entries = dict(re.findall(r"<loc>([^<]+)</loc>\n    <lastmod>([^<]+)</lastmod>", sitemap))
    assert entries[f"{ORIGIN}/cyr/2021/09/dan-prava-da-se-zna/"] == "2021-10-04"  # updated:
    assert entries[f"{ORIGIN}/lat/2014/03/radionica-konjic/"] == "2014-03-05"  # its date
    assert entries[f"{ORIGIN}/lat/"] == "2021-10-04"  # a list: its newest change


def test_bosnian_and_croatian_sites_speak_their_own_language_in_both_scripts(tmp_path: Path) -> None:
    files = {"content/reports/2014/a.md": report("Sastanak", "2014-03-05", "institutions: [CRTA]\ntags: [ogp]", "Tekst.")}
    expected = {"bs": ("bs_BA", "Najnoviji izvještaji", "Најновији извјештаји", "5. mart 2014."),
                "hr": ("hr_HR", "Najnovija izvješća", "Најновија извјешћа", "5. ožujka 2014.")}
    for language, (locale, latin, cyrillic, day) in expected.items():
        site = write_site(tmp_path / language, files, f"title: Arhiva\nbase_url: https://example.org/\nlanguage: {language}\nsearch: false\n")
        output = tmp_path / f"out-{language}"
        build(site, output, cache=False)
        lat, cyr = (output / "lat" / "index.html").read_text(encoding="utf-8"), (output / "cyr" / "index.html").read_text(encoding="utf-8")
        assert f">{latin}</a>" in lat and f">{cyrillic}</a>" in cyr, language
        assert f'<meta property="og:locale" content="{locale}">' in lat and f'<meta property="og:locale" content="{locale}">' in cyr
        assert day in (output / "lat" / "2014" / "03" / "a" / "index.html").read_text(encoding="utf-8")
        assert "izveštaj" not in lat and "извештај" not in cyr, language
