"""The reader's experience in a real browser: Debian's chromium driven by Playwright.

The repository's own archive is built once per session (`conftest.origin`), at the site root
and under a `/repo/` base path (as GitHub project pages serve it), into one folder served by a
local `http.server`: `/cyr/...` is the root build, `/repo/cyr/...` the project-pages build.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from ogpsite.build.search import fold as search_fold

# Each group must find one and the same set of reports. Pagefind's Serbian stemmer already maps
# Cyrillic to Latin and dj to đ; `Inðija`, typed with the look-alike Ð (U+00D0), is found only
# because the browser folds the query as the index was folded.
QUERY_GROUPS = (("друштво", "društvo", "drustvo"), ("Инђија", "Inđija", "Indjija", "Inðija"))
REPORT = "2014/03/radionica-ogp-konjic/"
# One of each kind of page the script switch must map to its twin.
SWITCH_PAGES = (REPORT, "institutions/giz/", "2014/03/", "page/2/")
NARROW_PAGES = ("", REPORT, "archive/", "institutions/", "institutions/giz/", "tags/", "page/2/", "search/?q=drustvo")
BASE_PATHS = ("/", "/repo/")


def search(page: Page, url: str, query: str, institution: str = "") -> list[str]:
    """Result links (hrefs) on the search page at `url` for `query`."""
    page.goto(url)
    page.wait_for_selector("#search-form")
    if institution:
        page.select_option("#search-institution", institution)
    page.fill("#search-query", query)
    page.wait_for_function(
        "query => document.getElementById('search-form').dataset.state === 'done'"
        " && new URLSearchParams(location.search).get('q') === query",
        arg=query,
    )
    while page.is_visible("#search-more"):  # every result, ten at a time
        page.click("#search-more")
        page.wait_for_function("document.getElementById('search-form').dataset.state === 'done'")
    return [link.get_attribute("href") or "" for link in page.query_selector_all("#search-results h2 a")]


@pytest.mark.parametrize("path", SWITCH_PAGES)
def test_script_switch_lands_on_the_same_page_in_the_other_script(page: Page, origin: str, path: str) -> None:
    page.goto(f"{origin}/cyr/{path}")
    page.click("header .script-switch")
    page.wait_for_url(f"{origin}/lat/{path}")
    assert page.locator("html").get_attribute("lang", timeout=2000).endswith("-Latn")
    page.click("header .script-switch")
    page.wait_for_url(f"{origin}/cyr/{path}")
    assert page.locator("html").get_attribute("lang").endswith("-Cyrl")


def test_chooser_sends_a_first_visit_to_the_default_edition_and_a_returning_reader_to_their_choice(page: Page, origin: str) -> None:
    page.goto(f"{origin}/")
    page.wait_for_url(f"{origin}/cyr/")  # ogpsite.yml: default_script: cyrillic
    page.click("header .script-switch")
    page.wait_for_url(f"{origin}/lat/")
    assert page.evaluate("localStorage.getItem('ogpsite-edition')") == "lat"
    page.goto(f"{origin}/")
    page.wait_for_url(f"{origin}/lat/")
    page.click("header .script-switch")
    page.wait_for_url(f"{origin}/cyr/")
    page.goto(f"{origin}/")
    page.wait_for_url(f"{origin}/cyr/")


@pytest.mark.parametrize("queries", QUERY_GROUPS, ids=lambda group: group[-1])
@pytest.mark.parametrize("base", BASE_PATHS)
def test_search_finds_the_same_reports_whatever_the_script_of_the_query(page: Page, origin: str, base: str, queries: tuple[str, ...]) -> None:
    found: dict[tuple[str, str], list[str]] = {}
    for edition in ("cyr", "lat"):
        for query in queries:
            links = search(page, f"{origin}{base}{edition}/search/", query)
            assert links, f"no results for {query} in {edition}"
            assert all(link.startswith(f"{base}{edition}/") for link in links), links
            found[edition, query] = sorted(link.removeprefix(f"{base}{edition}/") for link in links)
    assert len({tuple(paths) for paths in found.values()}) == 1, found
    # Titles are shown in the page's script.
    page.goto(f"{origin}{base}cyr/search/?q=drustvo")
    page.wait_for_function("document.getElementById('search-form').dataset.state === 'done'")
    first_title = page.inner_text("#search-results h2 a >> nth=0")
    assert any("\u0400" <= char <= "\u04ff" for char in first_title), first_title


def shown_links(page: Page) -> list[str]:
    return [link.get_attribute("href") or "" for link in page.query_selector_all("#search-results h2 a")]


def requested_shards(page: Page) -> list[str]:
    """Where the page's requests below `/pagefind/<shard>/` go, in order, each shard once; filled as the page runs."""
    shards: list[str] = []

    def note(url: str) -> None:
        parts = url.split("/pagefind/", 1)[-1].split("/")
        if len(parts) > 1 and parts[0] not in shards:
            shards.append(parts[0])

    page.on("request", lambda request: note(request.url) if "/pagefind/" in request.url else None)
    return shards


def wait_done(page: Page) -> None:
    page.wait_for_function("document.getElementById('search-form').dataset.state === 'done'")


def test_results_come_ten_at_a_time(page: Page, origin: str) -> None:
    page.goto(f"{origin}/lat/search/?q=a")
    wait_done(page)
    so_far = int(page.inner_text("#search-status").split()[0])
    assert so_far > 10 and len(shown_links(page)) == 10
    page.click("#search-more")
    page.wait_for_function("document.querySelectorAll('#search-results h2 a').length > 10")
    wait_done(page)
    total = int(page.inner_text("#search-status").split()[0])  # older shards may have been searched meanwhile
    assert total >= so_far and len(shown_links(page)) == min(20, total)
    assert len(set(shown_links(page))) == min(20, total)


def test_a_search_loads_the_newest_shards_first_and_older_ones_when_asked(page: Page, origin: str) -> None:
    """The first page of results needs the newest shards alone; the count says how far back it
    went; "more" searches the older ones, and the count grows to the number of results."""
    requested = requested_shards(page)
    page.goto(f"{origin}/lat/search/?q=a")
    wait_done(page)
    shards = (page.get_attribute("#search-form", "data-shards") or "").split()
    assert "2019-06" in shards and "2014-03" in shards and "2012" in shards  # years, and months of (here) large years
    loaded = [name for name in requested if name in shards]  # the rest: directories of split years
    assert 0 < len(loaded) < len(shards) and loaded == shards[: len(loaded)]
    status = page.inner_text("#search-status")
    oldest = loaded[-1].split("-")[0]
    assert f"unazad do {oldest}" in status, status
    assert all(link.split("/")[2] >= oldest for link in shown_links(page))  # /lat/<year>/...: no older report yet
    while page.is_visible("#search-more"):
        page.click("#search-more")
        wait_done(page)
    assert [name for name in requested if name in shards] == shards
    assert sorted(name for name in requested if name not in shards) == ["2014", "2019"]  # each split year's directory
    links = shown_links(page)
    assert any(link.startswith("/lat/2012/") for link in links)
    years = [link.split("/")[2] for link in links]
    assert years == sorted(years, reverse=True)  # newest shard first
    status = page.inner_text("#search-status")
    assert status.split()[0] == str(len(links)) and "unazad" not in status, status


def test_a_word_of_the_oldest_report_is_found_once_older_shards_load(page: Page, origin: str) -> None:
    """`једнодневну` is in one report, of 2012, the oldest shard (newer shards answer with
    Pagefind's nearest words, which fill the first page): "more" reaches it, in either script."""
    for edition in ("lat", "cyr"):
        requested = requested_shards(page)
        links = search(page, f"{origin}/{edition}/search/", "једнодневну")
        assert f"/{edition}/2012/11/obuka-sluzbenika-pristup-informacijama/" in links
        assert "2012" in requested


def test_a_word_of_one_month_loads_that_month_alone_of_its_year(page: Page, origin: str) -> None:
    """A year in months has a directory of its months' words: a search looks there first and
    loads only the months that can match, in either script; a phrase too."""
    shards = None
    for edition, query in (("lat", "helsinski"), ("cyr", "Хелсиншки"), ("lat", '"helsinski parlament"')):
        requested = requested_shards(page)
        links = search(page, f"{origin}/{edition}/search/", query)
        shards = shards or (page.get_attribute("#search-form", "data-shards") or "").split()
        assert [link for link in links if link.startswith(f"/{edition}/2019/")] == [f"/{edition}/2019/06/sogrs-obuke-ikt-saradnja-reload/"], (query, links)
        assert "2019" in requested and "2019-06" in requested, requested
        assert not [name for name in requested if name.startswith("2019-") and name != "2019-06"], requested
    assert [name for name in shards if name.startswith("2019-")] != ["2019-06"]  # the year has other months


def test_a_year_filter_loads_only_that_years_shards(page: Page, origin: str) -> None:
    requested = requested_shards(page)
    page.goto(f"{origin}/lat/search/?q=a&year=2019")
    wait_done(page)
    links = shown_links(page)
    assert links and all(link.startswith("/lat/2019/") for link in links)
    shards = (page.get_attribute("#search-form", "data-shards") or "").split()
    months = [shard for shard in shards if shard.startswith("2019-")]
    assert len(months) >= 2 and requested == ["2019", *months]  # its directory, its months (a large year here), newest first, and no other shard
    assert "unazad" not in page.inner_text("#search-status")


def test_excerpts_are_in_the_pages_script_with_the_match_marked(page: Page, origin: str) -> None:
    """The words shown come from one Cyrillic copy per report: the Latin page makes its own."""
    marked = {}
    for edition in ("cyr", "lat"):
        search(page, f"{origin}/{edition}/search/", "drustvo")
        marked[edition] = page.eval_on_selector_all("#search-results mark", "marks => marks.map(mark => mark.textContent)")
        excerpts = page.eval_on_selector_all("#search-results .summary", "items => items.map(item => item.textContent)")
        assert marked[edition] and all(excerpts), edition
    assert all(any("\u0400" <= char <= "\u04ff" for char in word) for word in marked["cyr"]), marked["cyr"]
    assert not any("\u0400" <= char <= "\u04ff" for word in marked["lat"] for char in word), marked["lat"]
    assert all(search_fold(word).startswith("drustv") for word in marked["cyr"] + marked["lat"]), marked


@pytest.mark.parametrize("base", BASE_PATHS)
def test_an_institution_filter_narrows_the_results(page: Page, origin: str, base: str) -> None:
    everything = search(page, f"{origin}{base}lat/search/", "drustvo")
    narrowed = search(page, f"{origin}{base}lat/search/", "drustvo", institution="kcd")
    assert narrowed and len(narrowed) < len(everything)
    assert set(narrowed) <= set(everything)
    for link in narrowed:  # every result is a report of that institution
        page.goto(origin + link)
        assert page.locator(f"a[href='{base}lat/institutions/kcd/']").count() >= 1, link


@pytest.mark.parametrize("path", NARROW_PAGES)
def test_no_page_scrolls_sideways_at_360_px(page: Page, origin: str, path: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    for edition in ("cyr", "lat"):
        page.goto(f"{origin}/{edition}/{path}")
        if "search/" in path:
            page.wait_for_function("document.getElementById('search-form').dataset.state === 'done'")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"/{edition}/{path} is {overflow}px wider than the screen"


def test_keyboard_alone_reaches_the_search_box_and_the_script_switch(page: Page, origin: str) -> None:
    page.goto(f"{origin}/cyr/{REPORT}")
    reached: set[str] = set()
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id || document.activeElement.className"))
    assert "site-search-query" in reached and "script-switch" in reached, reached
    page.focus("#site-search-query")
    page.keyboard.type("drustvo")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{origin}/cyr/search/?q=drustvo")
    page.wait_for_function("document.getElementById('search-form').dataset.state === 'done'")
    assert page.query_selector_all("#search-results h2 a")


def test_404_links_to_both_editions(page: Page, origin: str) -> None:
    page.goto(f"{origin}/404.html")
    hrefs = {link.get_attribute("href") for link in page.query_selector_all("a[data-edition]")}
    assert hrefs == {"/cyr/", "/lat/"}


def test_screenshots_of_a_report_in_each_edition_and_of_a_search(page: Page, origin: str, screenshots: Path) -> None:
    """For the README: docs/screenshots/*.png (with OGPSITE_SCREENSHOTS=1)."""
    page.set_viewport_size({"width": 900, "height": 900})
    for edition in ("cyr", "lat"):
        page.goto(f"{origin}/{edition}/{REPORT}")
        page.screenshot(path=screenshots / f"report-{edition}.png")
    search(page, f"{origin}/lat/search/", "друштво")
    page.screenshot(path=screenshots / "search-lat.png")
    for name in ("report-cyr.png", "report-lat.png", "search-lat.png"):
        assert (screenshots / name).stat().st_size > 10_000
