"""Bounded YAML: aliases repeat a limited number of values, a key given twice is an error, values have their types."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ogpsite.commands.check import check
from tests.conftest import MakeSite, report

TODAY = date(2026, 1, 1)
# 276 bytes: nine levels of nine aliases, 387 million strings once expanded.
BOMB = "".join(f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]\n" for previous, name in zip("abcdefgh", "bcdefghi"))
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + BOMB


def problems_of(site: Path) -> list[str]:
    return [str(problem) for problem in check(site, today=TODAY)]


@pytest.mark.parametrize("where", ["front matter", "registry", "ogpsite.yml"])
def test_an_alias_bomb_is_an_error_at_its_line(make_site: MakeSite, where: str) -> None:
    files = {"content/reports/2014/a.md": report(extra=BOMB if where == "front matter" else "")}
    config = "title: Т\nbase_url: https://example.org/\n"
    if where == "registry":
        files["content/institutions.yml"] = "- slug: grad\n  name: Град\n  extra:\n" + "".join("    " + line + "\n" for line in BOMB.splitlines())
    if where == "ogpsite.yml":
        config += BOMB
    site = make_site(files, config)
    shown = {"front matter": "content/reports/2014/a.md", "registry": "content/institutions.yml", "ogpsite.yml": "ogpsite.yml"}[where]
    problems = problems_of(site)
    assert any(problem.startswith(f"{shown}:") and "aliases (`*name`) repeat more than 10,000 values" in problem for problem in problems), problems


def test_an_alias_to_itself_is_an_error(make_site: MakeSite) -> None:
    site = make_site({"content/reports/2014/a.md": report(extra="tags: &t [a, *t]")})
    assert any("content/reports/2014/a.md:4: invalid YAML: an alias refers to the value it is in" in problem for problem in problems_of(site))


def test_a_few_aliases_are_fine(make_site: MakeSite) -> None:
    site = make_site({"content/reports/2014/a.md": report(extra="tags: &t [a, b]\ninstitutions: *t")})
    assert problems_of(site) == []


@pytest.mark.parametrize("where", ["front matter", "registry", "ogpsite.yml"])
def test_a_key_given_twice_is_an_error_at_the_second(make_site: MakeSite, where: str) -> None:
    files = {"content/reports/2014/a.md": report(extra="place: Коњиц\nplace: Сарајево" if where == "front matter" else "")}
    config = "title: Т\nbase_url: https://example.org/\n" + ("title: Друго\n" if where == "ogpsite.yml" else "")
    if where == "registry":
        files["content/institutions.yml"] = "- slug: grad\n  name: Град\n  name: Општина\n"
    site = make_site(files, config)
    expected = {"front matter": "content/reports/2014/a.md:5: `place` is given twice (first on line 4): keep one",
                "registry": "content/institutions.yml:3: `name` is given twice (first on line 2): keep one",
                "ogpsite.yml": "ogpsite.yml:3: `title` is given twice (first on line 1): keep one"}[where]
    assert expected in problems_of(site)


@pytest.mark.parametrize("entry", ["  name: {cyrillic: 1}", "  name: Град\n  acronym: {latin: [GB]}", "  name: Град\n  aliases: [{a: b}]", "  name: Град\n  description: [a]"])
def test_registry_values_of_the_wrong_type_are_errors(make_site: MakeSite, entry: str) -> None:
    site = make_site({"content/reports/2014/a.md": report(), "content/institutions.yml": f"- slug: grad\n{entry}\n"})
    assert any(problem.startswith("content/institutions.yml:") and "must be" in problem for problem in problems_of(site)), entry
