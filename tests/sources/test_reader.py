"""Reading reports: every user mistake becomes a Problem at the right file:line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ogpsite.core.errors import Severity
from ogpsite.sources.reader import discover, read_registry, read_report
from tests.conftest import MakeSite, report

TODAY = date(2024, 1, 1)


def read_one(site: Path) -> tuple:
    (source,) = discover(site)
    return read_report(source, TODAY)


def messages(problems: list) -> list[str]:
    return [str(problem) for problem in problems]


def test_reads_front_matter_and_body(make_site: MakeSite) -> None:
    site = make_site({"content/reports/2014/radionica.md": report(extra="institutions: [ГИЗ, GIZ]\ntags: OGP\nlanguage: bs")})
    parsed, problems = read_one(site)
    assert problems == []
    assert (parsed.title, parsed.date, parsed.slug, parsed.script) == ("Наслов", date(2014, 3, 5), "radionica", "cyrillic")
    assert parsed.institutions == ("ГИЗ", "GIZ")
    assert parsed.tags == ("OGP",)
    assert parsed.language == "bs"
    assert parsed.body_line == 8 and parsed.body.startswith("Текст")


def test_bad_yaml_is_reported_at_its_line(make_site: MakeSite) -> None:
    text = "---\ntitle: Наслов\ndate: 2014-03-05\ntags: [OGP, радионица\nplace: Коњиц\n---\nТекст\n"
    parsed, problems = read_one(make_site({"content/reports/2014/x.md": text}))
    assert parsed is None
    assert len(problems) == 1
    assert str(problems[0]).startswith("content/reports/2014/x.md:4: invalid YAML")


def test_missing_title_is_an_error(make_site: MakeSite) -> None:
    text = "---\ndate: 2014-03-05\n---\nТекст\n"
    _, problems = read_one(make_site({"content/reports/2014/x.md": text}))
    assert messages(problems) == ["content/reports/2014/x.md:1: missing `title:` in the front matter"]


def test_impossible_date_names_its_line(make_site: MakeSite) -> None:
    _, problems = read_one(make_site({"content/reports/2014/x.md": report(date="2014-02-30")}))
    assert messages(problems) == ["content/reports/2014/x.md:3: date 2014-02-30 does not exist: check the day and the month (YYYY-MM-DD)"]


def test_badly_written_date(make_site: MakeSite) -> None:
    _, problems = read_one(make_site({"content/reports/2014/x.md": report(date="5. 3. 2014")}))
    assert messages(problems) == ["content/reports/2014/x.md:3: date `5. 3. 2014` is not written as YYYY-MM-DD, e.g. 2014-03-05"]


def test_unknown_key_suggests_the_nearest(make_site: MakeSite) -> None:
    _, problems = read_one(make_site({"content/reports/2014/x.md": report(extra="instituions: [ГИЗ]")}))
    assert messages(problems) == ["content/reports/2014/x.md:4: unknown front-matter field `instituions` (did you mean `institutions`?)"]


def test_future_date_is_a_warning(make_site: MakeSite) -> None:
    parsed, problems = read_one(make_site({"content/reports/2030/x.md": report(date="2030-01-01")}))
    assert parsed is not None
    assert [(problem.line, problem.severity) for problem in problems] == [(3, Severity.WARNING)]


@pytest.mark.parametrize("slug", ["../../x", "Radionica", "radionica konjic", "радионица"])
def test_unsafe_slug_is_refused(make_site: MakeSite, slug: str) -> None:
    parsed, problems = read_one(make_site({"content/reports/2014/x.md": report(extra=f'slug: "{slug}"')}))
    assert [problem.line for problem in problems] == [4]
    assert "must be lowercase ASCII" in problems[0].message


def test_non_utf8_bytes_give_the_byte_offset(make_site: MakeSite) -> None:
    data = report().encode("utf-8").replace("Текст".encode(), b"Tekst \xe8")
    _, problems = read_one(make_site({"content/reports/2014/x.md": data}))
    offset = data.index(b"\xe8")
    assert messages(problems) == [f"content/reports/2014/x.md:5: not valid UTF-8 at byte {offset}: save the file as UTF-8"]


def test_bom_and_crlf_are_accepted(make_site: MakeSite) -> None:
    data = ("\ufeff" + report()).replace("\n", "\r\n").encode("utf-8")
    parsed, problems = read_one(make_site({"content/reports/2014/x.md": data}))
    assert problems == [] and parsed.title == "Наслов"


def test_empty_file_and_missing_front_matter(make_site: MakeSite) -> None:
    site = make_site({"content/reports/2014/a.md": "", "content/reports/2014/b.md": "Само текст\n", "content/reports/2014/c.md": "---\ntitle: x\n"})
    found = [read_report(source, TODAY)[1][0] for source in discover(site)]
    assert [(problem.path, problem.line) for problem in found] == [
        ("content/reports/2014/a.md", 1), ("content/reports/2014/b.md", 1), ("content/reports/2014/c.md", 1)
    ]
    assert "empty" in found[0].message and "first line must be `---`" in found[1].message and "not closed" in found[2].message


def test_bundle_slug_and_attachments(make_site: MakeSite) -> None:
    site = make_site({"content/reports/2019/vodic/index.md": report(), "content/reports/2019/vodic/slika.svg": "<svg/>"})
    parsed, problems = read_one(site)
    assert problems == [] and parsed.slug == "vodic" and parsed.attachments == ("slika.svg",)


def test_registry_problems_are_located(make_site: MakeSite) -> None:
    registry = "- slug: giz\n  name: GIZ\n  acronim: G\n- slug: Bad Slug\n  name: X\n"
    entries, problems = read_registry(make_site({"content/institutions.yml": registry}))
    assert [entry.slug for entry in entries] == ["giz"]
    assert messages(problems) == [
        "content/institutions.yml:3: unknown field `acronim` (did you mean `acronym`?)",
        "content/institutions.yml:4: institution slug `Bad Slug` must be lowercase ASCII letters, digits and hyphens",
    ]


def test_aliases_are_clean_paths_below_the_site_root(make_site: MakeSite) -> None:
    extra = "aliases:\n  - /2014/03/radionica-konjic/\n  - /stara/strana.html\n  - /bez/kose/crte\n  - /%D1%80%D0%B0%D0%B4/\n  - /2014/03/radionica-konjic/"
    parsed, problems = read_one(make_site({"content/reports/2014/x.md": report(extra=extra)}))
    assert problems == []
    assert parsed.aliases == ("/2014/03/radionica-konjic/", "/stara/strana.html", "/bez/kose/crte/", "/рад/")


@pytest.mark.parametrize(
    ("alias", "message"),
    [
        ("https://stari.example.org/2014/x/", "is a full address: write only its path, `/2014/x/`"),
        ("/?p=12", "has a query or fragment"),
        ("2014/x/", "must be a path below the site root, starting with `/`"),
        ("/", "is the site root"),
        ("/a/../b/", "is not a clean path"),
        ("/a//b/", "is not a clean path"),
        ("/a b/", "is not a clean path"),
        ("/index.php", "only folders (`/old/`) and `.html` pages can redirect"),
    ],
)
def test_an_alias_that_cannot_be_a_redirect_names_its_line(make_site: MakeSite, alias: str, message: str) -> None:
    extra = f"aliases:\n  - /dobar/\n  - '{alias}'"
    parsed, problems = read_one(make_site({"content/reports/2014/x.md": report(extra=extra)}))
    (problem,) = problems
    assert (problem.path, problem.line) == ("content/reports/2014/x.md", 6)
    assert message in problem.message
    assert parsed.aliases == ("/dobar/",)
