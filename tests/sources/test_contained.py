"""Inputs stay inside the site: links out of it, and loops, are problems; build and check agree."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ogpsite.build.incremental import build
from ogpsite.commands.check import check
from ogpsite.core.errors import BuildError
from tests.conftest import MakeSite, report

TODAY = date(2026, 1, 1)
SECRET = "root:$6$not-for-the-web"


def site_with_bundle(make_site: MakeSite, tmp_path: Path) -> Path:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "shadow").write_text(SECRET, encoding="utf-8")
    (tmp_path / "elsewhere" / "other.md").write_text(report("Туђи"), encoding="utf-8")
    return make_site({"content/reports/2014/bundle/index.md": report(body="Прилог."), "content/reports/2014/b.md": report("Друго")})


LINKS = {
    "attachment": ("content/reports/2014/bundle/shadow", "elsewhere/shadow"),
    "report": ("content/reports/2014/c.md", "elsewhere/other.md"),
    "folder of reports": ("content/reports/2015", "elsewhere"),
    "registry": ("content/institutions.yml", "elsewhere/shadow"),
    "templates": ("templates", "elsewhere"),
    "a template": ("templates/base.html", "elsewhere/shadow"),
}


@pytest.mark.parametrize("kind", list(LINKS))
def test_a_link_out_of_the_site_is_an_error_at_the_link_and_nothing_is_published(make_site: MakeSite, tmp_path: Path, kind: str) -> None:
    site = site_with_bundle(make_site, tmp_path)
    link, target = LINKS[kind]
    (site / link).parent.mkdir(parents=True, exist_ok=True)
    (site / link).symlink_to(tmp_path / target)
    expected = f"{link}: symlink points outside the site"
    assert any(str(problem).startswith(expected) for problem in check(site, today=TODAY)), kind
    with pytest.raises(BuildError) as raised:
        build(site, tmp_path / "out", today=TODAY)
    assert expected in str(raised.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind", ["folder to its parent", "file to itself", "to nothing"])
def test_loops_and_dangling_links_are_messages(make_site: MakeSite, tmp_path: Path, kind: str) -> None:
    site = site_with_bundle(make_site, tmp_path)
    link = site / "content/reports/2014/loop"
    if kind == "folder to its parent":
        link.symlink_to(site / "content/reports", target_is_directory=True)
    elif kind == "file to itself":
        link.symlink_to(link)
    else:
        link.symlink_to(tmp_path / "nothing")
    expected = "points to nothing" if kind == "to nothing" else "is a loop"
    problems = [str(problem) for problem in check(site, today=TODAY)]
    assert any(problem.startswith("content/reports/2014/loop: symlink") and expected in problem for problem in problems), problems
    with pytest.raises(BuildError, match=expected):
        build(site, tmp_path / "out", today=TODAY)


def test_a_link_that_stays_inside_the_site_is_followed(make_site: MakeSite, tmp_path: Path) -> None:
    site = site_with_bundle(make_site, tmp_path)
    (site / "content/files").mkdir()
    (site / "content/files/shadow").write_text("a public table", encoding="utf-8")
    (site / "content/reports/2014/bundle/shadow").symlink_to(site / "content/files/shadow")
    build(site, tmp_path / "out", today=TODAY)
    published = list((tmp_path / "out").rglob("shadow"))
    assert published and all(path.read_text(encoding="utf-8") == "a public table" and not path.is_symlink() for path in published)


def test_the_site_theme_may_not_reach_out(make_site: MakeSite, tmp_path: Path) -> None:
    site = site_with_bundle(make_site, tmp_path)
    from ogpsite.build.render import PACKAGE_THEMES

    import shutil

    shutil.copytree(PACKAGE_THEMES / "default", site / "themes" / "mine")
    (site / "ogpsite.yml").write_text((site / "ogpsite.yml").read_text(encoding="utf-8") + "theme: mine\n", encoding="utf-8")
    (site / "themes/mine/static/secret.txt").symlink_to(tmp_path / "elsewhere/shadow")
    with pytest.raises(BuildError, match="themes/mine/static/secret.txt: symlink points outside the site"):
        build(site, tmp_path / "out", today=TODAY)
