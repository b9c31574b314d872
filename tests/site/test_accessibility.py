"""Accessibility and layout in the browser: axe-core on every kind of page, both editions, at
1280 and 360 px, light and dark; no sideways scrolling; the focus ring's contrast; print."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.site.conftest import PHOTO_REPORT

REPORT = "2014/03/radionica-ogp-konjic/"
# One page of every kind: home, a later list page, report pages (one with photographs and a
# wide table), year, month, archive, institutions, an institution, tags, a tag, search.
PAGES = ("", "page/2/", REPORT, PHOTO_REPORT, "2019/", "2019/05/", "archive/", "institutions/", "institutions/giz/", "tags/", "tags/ogp/", "search/?q=drustvo")
WIDTHS = (1280, 360)
SCHEMES = ("light", "dark")
_axe = Axe()


def _open(page: Page, url: str) -> None:
    page.goto(url)
    if "/search/" in url:
        page.wait_for_function("document.getElementById('search-form').dataset.state === 'done'")


def _violations(page: Page) -> list[str]:
    results = _axe.run(page)
    return [f"{item['id']}: {node['target']} {node.get('failureSummary', '')}" for item in results.response["violations"] for node in item["nodes"]]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation_on_any_kind_of_page(page: Page, origin: str, width: int, scheme: str) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    found = {}
    for edition in ("cyr", "lat"):
        for path in PAGES:
            _open(page, f"{origin}/{edition}/{path}")
            violations = _violations(page)
            if violations:
                found[f"/{edition}/{path}"] = violations
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"/{edition}/{path} is {overflow}px wider than the {width} px screen"
    for path in ("404.html",):
        _open(page, f"{origin}/{path}")
        if _violations(page):
            found[path] = _violations(page)
    assert found == {}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_focus_ring_stands_out_at_least_3_to_1_on_every_background(page: Page, origin: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(f"{origin}/lat/{REPORT}")
    ratios = page.evaluate("""() => {
        const luminance = (rgb) => {
            const [r, g, b] = rgb.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(v => v / 255)
                .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
        const background = (element) => {
            for (let node = element; node; node = node.parentElement) {
                const colour = getComputedStyle(node).backgroundColor;
                if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") return colour;
            }
            return getComputedStyle(document.documentElement).backgroundColor;
        };
        const targets = [".brand", ".site-nav a", "main a", "#site-search-query", ".script-switch", ".site-footer a"];
        return targets.map(selector => {
            const element = document.querySelector(selector);
            element.focus({focusVisible: true});
            const ring = getComputedStyle(element).outlineColor;
            return [selector, getComputedStyle(element).outlineStyle, contrast(ring, background(element.parentElement))];
        });
    }""")
    for selector, style, ratio in ratios:
        assert style == "solid" and ratio >= 3, f"{scheme}: focus ring of {selector} is {ratio:.2f}:1"


def test_the_archive_overview_fits_1280_px_and_shows_every_month_on_a_phone(page: Page, origin: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{origin}/cyr/archive/")
        boxes = page.evaluate("""() => [...document.querySelectorAll('.archive-months')].map(list => {
            const last = list.lastElementChild.getBoundingClientRect();
            return [list.scrollWidth - list.clientWidth, last.right, list.children.length];
        })""")
        assert boxes, "no years"
        for overflow, right, months in boxes:
            assert overflow <= 0 and right <= width and months == 12, (width, overflow, right, months)
        years = page.locator(".archive-year-title a").all_inner_texts()
        assert "2013" in years and "2021" in years


def test_a_wide_table_scrolls_in_a_focusable_labelled_region_with_a_hint(page: Page, origin: str) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{origin}/lat/{PHOTO_REPORT}")
    region = page.locator(".table-scroll")
    assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-label") == "Tabela"
    assert "scrolls" in (region.get_attribute("class") or "")  # the hint is shown: the table is wider than the phone
    hint = page.evaluate("getComputedStyle(document.querySelector('.table-scroll'), '::before').content")
    assert "pomerite" in hint
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.table-scroll').scrollLeft > 0")


def test_the_search_page_has_one_search_landmark(page: Page, origin: str) -> None:
    page.goto(f"{origin}/cyr/search/")
    assert page.locator("[role=search], search").count() == 1
    page.goto(f"{origin}/cyr/{REPORT}")
    assert page.locator("[role=search]").count() == 1


def test_print_shows_the_report_alone_from_the_top_with_link_addresses(page: Page, origin: str) -> None:
    page.goto(f"{origin}/lat/{REPORT}")
    page.emulate_media(media="print")
    hidden = page.evaluate("['.site-header', '.site-nav', '.site-search', '.site-footer', '.report-steps'].map(s => getComputedStyle(document.querySelector(s)).display)")
    assert hidden == ["none"] * 5
    top = page.evaluate("document.querySelector('article.report h1').getBoundingClientRect().top")
    assert top < 200  # the report starts on the first page, at its top
    after = page.evaluate("getComputedStyle(document.querySelector('article.report a[href]'), '::after').content")
    assert "/lat/" in after or "http" in after


def test_photographs_load_their_size_and_the_first_one_eagerly(page: Page, origin: str) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{origin}/cyr/{PHOTO_REPORT}")
    page.wait_for_function("[...document.images].filter(i => i.loading === 'eager').every(i => i.complete && i.naturalWidth > 0)")
    images = page.evaluate("[...document.querySelectorAll('.body img')].map(i => [i.loading, i.currentSrc, i.width <= 360])")
    assert [loading for loading, _, _ in images] == ["eager", "lazy", "lazy"]
    assert images[0][1].endswith(".webp") and "-480" in images[0][1]  # the phone gets the small WebP
    assert all(fits for _, _, fits in images)
    assert page.locator("figcaption").first.inner_text() == "Требиње, 28.мај 2019."


def test_screenshots_in_light_dark_on_a_phone_and_printed(page: Page, origin: str, screenshots: Path) -> None:
    """For the README: docs/screenshots/*.png (with OGPSITE_SCREENSHOTS=1)."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{origin}/cyr/{PHOTO_REPORT}")
    page.screenshot(path=screenshots / "report-light.png")
    page.emulate_media(color_scheme="dark")
    page.goto(f"{origin}/lat/archive/")
    page.screenshot(path=screenshots / "archive-dark.png")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{origin}/cyr/archive/")
    page.screenshot(path=screenshots / "archive-phone.png")
    page.set_viewport_size({"width": 800, "height": 1100})
    page.goto(f"{origin}/lat/{REPORT}")
    page.emulate_media(media="print")
    page.screenshot(path=screenshots / "report-print.png")
    for name in ("report-light.png", "archive-dark.png", "archive-phone.png", "report-print.png"):
        assert (screenshots / name).stat().st_size > 10_000
