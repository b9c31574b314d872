"""The tool as an adopter gets it: a wheel, installed into a clean venv outside the repository.

From an empty folder: `ogpsite init`, a build run from deep inside the new site, `check
--strict`, `serve`, and a search that finds each sample report from the other script.
Slow (it installs the wheel's dependencies from the package index), and part of `make test`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.request
import zipfile
from urllib.parse import urlsplit
from collections.abc import Iterator
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
PROJECT_FILES = ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md")
STARTUP_SECONDS = 300
REPOSITORY = "https://github.com/ogpsite/ogpsite"
# The labels PyPI shows with an icon of their own, each pointing into the repository.
PROJECT_URLS = {"Homepage", "Documentation", "Changelog", "Issues", "Source"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the files the package is made of (no repository around it)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT / "ogpsite", source / "ogpsite", ignore=shutil.ignore_patterns("__pycache__"))
    for name in PROJECT_FILES:
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", work / "dist", source], check=True)
    (built,) = (work / "dist").glob("ogpsite-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `bin/` of a new venv with `ogpsite[search]` installed from the wheel, and nothing else."""
    folder = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", folder], check=True)
    subprocess.run([folder / "bin/python", "-m", "pip", "install", "--quiet", f"{wheel}[search]"], check=True, env=clean_env(folder / "bin"))
    return folder / "bin"


def clean_env(bin_dir: Path) -> dict[str, str]:
    """The environment with the venv first on PATH and nothing pointing back into this repository."""
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


def ogpsite(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([bin_dir / "ogpsite", *args], cwd=cwd, env=clean_env(bin_dir), capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def site(venv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`ogpsite init mysite` in an empty folder, then `ogpsite build` run from content/reports/2014/."""
    empty = tmp_path_factory.mktemp("adopter")
    made = ogpsite(venv, empty, "init", "mysite")
    assert made.returncode == 0, made.stderr
    site = empty / "mysite"
    built = ogpsite(venv, site / "content/reports/2014", "build")
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""  # not one warning
    assert built.stdout.startswith("built 2 reports into ../../../output (")
    return site


def test_the_wheel_carries_the_theme_the_site_templates_and_its_metadata(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    theme = ROOT / "ogpsite/themes/default"
    assert {f"ogpsite/themes/default/{path.relative_to(theme).as_posix()}" for path in theme.rglob("*") if path.is_file()} <= set(names)
    assert {"ogpsite/data/site/pages.yml", "ogpsite/data/site/ogpsite.yml", "ogpsite/data/site/gitignore"} <= set(names)
    translit_data = ROOT / "ogpsite/translit/data"
    assert {f"ogpsite/translit/data/{path.name}" for path in translit_data.iterdir()} <= set(names)  # the English lexicon too
    (metadata,) = [name for name in names if name.endswith(".dist-info/METADATA")]
    text = zipfile.ZipFile(wheel).read(metadata).decode("utf-8")
    assert "License-Expression: MIT" in text.splitlines()
    assert "Classifier: Programming Language :: Python :: 3.13" in text.splitlines()
    urls = project_urls()
    assert {f"Project-URL: {label}, {url}" for label, url in urls.items()} <= set(text.splitlines())


def project_urls() -> dict[str, str]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]["urls"]


def test_the_project_urls_are_https_addresses_in_its_repository() -> None:
    urls = project_urls()
    assert set(urls) == PROJECT_URLS
    for label, url in urls.items():
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == ("https", "github.com"), label
        assert url == REPOSITORY or url.startswith((f"{REPOSITORY}/", f"{REPOSITORY}#")), label
        assert not any(character.isspace() for character in url), label
    assert urls["Changelog"] == f"{REPOSITORY}/blob/main/CHANGELOG.md"
    assert urls["Issues"] == f"{REPOSITORY}/issues"
    assert urlsplit(urls["Documentation"]).fragment == "readme"


def test_the_installed_ogpsite_is_the_venvs_own(venv: Path, tmp_path: Path) -> None:
    where = subprocess.run([venv / "python", "-c", "import ogpsite; print(ogpsite.__file__)"], cwd=tmp_path, env=clean_env(venv), capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(venv.parent)


def test_the_new_site_builds_from_inside_it_and_passes_check_strict(venv: Path, site: Path) -> None:
    assert (site / "output/cyr/2014/03/radionica-otvoreni-podaci/index.html").is_file()
    assert (site / "output/lat/2014/06/javne-konsultacije-akcioni-plan/index.html").is_file()
    checked = ogpsite(venv, site, "check", "--strict")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stderr == "ogpsite check: 0 error(s), 0 warning(s)\n"


@pytest.fixture(scope="module")
def served(venv: Path, site: Path) -> Iterator[str]:
    """`ogpsite serve --port 0` in the new site: the address it serves at."""
    server = subprocess.Popen([venv / "ogpsite", "serve", "--port", "0"], cwd=site, env=clean_env(venv), stderr=subprocess.PIPE, text=True)
    hung = threading.Timer(STARTUP_SECONDS, server.kill)  # reading its log blocks: a serve that never starts is ended
    hung.start()
    try:
        assert server.stderr is not None
        address = None
        for line in server.stderr:  # the first build comes first, then the address
            found = re.match(r"serving (http://127\.0\.0\.1:\d+/) ", line)
            if found:
                address = found.group(1)
                break
        hung.cancel()
        assert address, f"serve did not start within {STARTUP_SECONDS} s"
        yield address
    finally:
        hung.cancel()
        server.terminate()
        server.wait(timeout=30)


def test_serve_serves_the_new_site(served: str) -> None:
    with urllib.request.urlopen(f"{served}lat/", timeout=30) as response:
        page = response.read().decode("utf-8")
    assert response.status == 200
    assert "Javne konsultacije o akcionom planu" in page and "Radionica o otvorenim podacima u Kragujevcu" in page


@pytest.mark.parametrize(("edition", "query", "found"), [
    ("lat", "podacima", "/lat/2014/03/radionica-otvoreni-podaci/"),  # written in Cyrillic, looked for in Latin
    ("cyr", "консултације", "/cyr/2014/06/javne-konsultacije-akcioni-plan/"),  # written in Latin, looked for in Cyrillic
])
def test_search_finds_each_sample_report_from_the_other_script(served: str, edition: str, query: str, found: str) -> None:
    from playwright.sync_api import sync_playwright

    from tests.site.conftest import CHROMIUM, CHROMIUM_FLAGS, require_chromium
    from tests.site.test_browser import search

    require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            results = search(browser.new_page(), f"{served}{edition}/search/", query)
        finally:
            browser.close()
    assert [urlsplit(href).path for href in results] == [found]
