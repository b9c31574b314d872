"""The browser tests' site and browser: the repository's archive served locally, Debian's chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from ogpsite.build.incremental import build
from ogpsite.core import shards
from tests.conftest import require_tool

REPO = Path(__file__).resolve().parents[2]
# Debian's chromium by default; GitHub's Ubuntu runners set OGPSITE_CHROMIUM to their Chrome.
CHROMIUM = os.environ.get("OGPSITE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


def screenshot_folder(tmp_path: Path) -> Path:
    """Where the screenshot tests write: docs/screenshots/ (the README's) only when asked with
    OGPSITE_SCREENSHOTS=1, else a folder of the test's own, so a test run leaves the committed
    images as they are."""
    return REPO / "docs" / "screenshots" if os.environ.get("OGPSITE_SCREENSHOTS") == "1" else tmp_path / "screenshots"


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    folder = screenshot_folder(tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def require_chromium() -> None:
    require_tool(os.access(CHROMIUM, os.X_OK), f"no Chromium at {CHROMIUM}: apt-get install chromium, or set OGPSITE_CHROMIUM to a Chrome")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`http://127.0.0.1:PORT`, serving the archive built at `/` and at `/repo/`."""
    work = tmp_path_factory.mktemp("browser")
    site = work / "site"
    site.mkdir()
    shutil.copy(REPO / "ogpsite.yml", site / "ogpsite.yml")
    shutil.copytree(REPO / "content", site / "content")
    add_photo_report(site)
    www = work / "www"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shards, "SPLIT_YEAR_ABOVE", 2)  # 2014 and 2019 (three reports each) in months: shards of both kinds
        build(site, www, {"base_url": "http://127.0.0.1/"})
        build(site, www / "repo", {"base_url": "http://127.0.0.1/repo/"})  # after: the first build replaces `www` whole
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()  # a fresh localStorage for every test
    opened = context.new_page()
    yield opened
    context.close()


PHOTO_REPORT = "2019/05/radionica-trebinje/"


def add_photo_report(site: Path) -> None:
    """A report of the archive's kind with three photographs and a table wider than a phone:
    the archive itself publishes none."""
    from PIL import Image

    bundle = site / "content" / "reports" / "2019" / "radionica-trebinje"
    bundle.mkdir(parents=True)
    for name, size, colour in (("ucesnici.jpg", (1800, 1200), (70, 110, 150)), ("tabla.jpg", (1200, 900), (40, 120, 80)), ("pauza.png", (900, 600), (150, 90, 40))):
        image = Image.new("RGB", size, colour)
        for x in range(0, size[0], 60):
            image.paste((235, 235, 235), (x, 0, x + 12, size[1]))
        image.save(bundle / name)
    columns = ["Opština", "Januar", "Februar", "Mart", "April", "Maj", "Jun", "Jul", "Avgust", "Septembar"]
    table = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n" + "| Trebinje |" + " 12 |" * (len(columns) - 1) + "\n"
    (bundle / "index.md").write_text(
        "---\ntitle: Radionica o otvorenim podacima u Trebinju\ndate: 2019-05-28\ninstitutions: [CRTA]\ntags: [otvoreni podaci, radionica]\n"
        "place: Trebinje\n---\nU Trebinju je održana radionica o objavljivanju podataka lokalne samouprave.\n\n"
        "![Učesnici radionice u sali Skupštine grada](ucesnici.jpg)\n\n*Trebinje, 28.maj 2019.*\n\n"
        "![Rad u grupama](tabla.jpg \"Rad u grupama\")\n![Pauza za kafu](pauza.png)\n\n" + table,
        encoding="utf-8",
    )
