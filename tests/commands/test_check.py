"""`ogpsite check`: one test per mistake an editor can make, each at its exact `path:line`."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from ogpsite.commands.check import check, format_problems
from ogpsite.commands.cli import main
from ogpsite.core.errors import Problem

TODAY = date(2024, 6, 1)
REGISTRY = """\
- slug: giz
  name:
    cyrillic: Њемачко друштво за међународну сарадњу
    latin: Njemačko društvo za međunarodnu saradnju
  acronym:
    cyrillic: ГИЗ
    latin: GIZ
- slug: agencija-za-statistiku-bih
  name:
    cyrillic: Агенција за статистику БиХ
    latin: Agencija za statistiku BiH
"""


def write(site: Path, relative: str, content: str | bytes) -> Path:
    path = site / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def report(title: str = "Radionica u Konjicu", day: str = "2014-03-05", extra: str = "", body: str = "Tekst izveštaja.\n") -> str:
    return f"---\ntitle: {title}\ndate: {day}\n{extra}---\n\n{body}"


def site_with(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    write(tmp_path, "ogpsite.yml", "base_url: https://example.org/\n")
    for relative, content in files.items():
        write(tmp_path, relative, content)
    return tmp_path


def problems(site: Path) -> list[str]:
    return [str(problem) for problem in check(site, today=TODAY)]


def test_a_clean_site_has_no_problems(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"content/reports/2014/a.md": report()})
    assert problems(site) == []


def test_malformed_yaml_is_reported_at_the_line_to_fix(tmp_path: Path) -> None:
    text = "---\ntitle: Radionica\ndate: 2014-03-05\ntags: [OGP, radionica\nplace: Konjic\n---\nTekst.\n"
    site = site_with(tmp_path, {"content/reports/2014/a.md": text})
    assert problems(site) == ["content/reports/2014/a.md:4: invalid YAML: a `[` list opened on this line is not closed: end it with `]`"]


def test_a_colon_in_an_unquoted_value_is_reported_with_the_fix(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"content/reports/2014/a.md": report(extra="place: Konjic\nsummary: OGP: prvi korak\n")})
    assert problems(site) == [
        'content/reports/2014/a.md:5: invalid YAML: a `:` inside a value: put the whole value in quotes (title: "A: B") or fix the indentation'
    ]


def test_missing_title_and_date(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"content/reports/2014/a.md": "---\nplace: Konjic\n---\nTekst.\n"})
    assert problems(site) == [
        "content/reports/2014/a.md:1: missing `date:` in the front matter (write it as YYYY-MM-DD)",
        "content/reports/2014/a.md:1: missing `title:` in the front matter",
    ]


def test_impossible_date(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"content/reports/2014/a.md": report(day="2014-02-30")})
    assert problems(site) == ["content/reports/2014/a.md:3: date 2014-02-30 does not exist: check the day and the month (YYYY-MM-DD)"]


def test_unknown_front_matter_key_suggests_the_nearest(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"content/reports/2014/a.md": report(extra="place: Konjic\ninstitutons:\n  - GIZ\n")})
    assert problems(site) == ["content/reports/2014/a.md:5: unknown front-matter field `institutons` (did you mean `institutions`?)"]


def test_a_date_in_the_future_is_a_warning(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"content/reports/2030/a.md": report(day="2030-01-15")})
    assert problems(site) == ["content/reports/2030/a.md:3: warning: date 2030-01-15 is in the future: check the year"]


def test_duplicate_slug_is_reported_at_the_slug_line(tmp_path: Path) -> None:
    site = site_with(tmp_path, {
        "content/reports/2014/a.md": report(extra="slug: radionica\n"),
        "content/reports/2015/b.md": report(day="2015-01-10", extra="place: Konjic\nslug: radionica\n"),
    })
    assert problems(site) == ["content/reports/2015/b.md:5: slug `radionica` is already used by content/reports/2014/a.md: choose another `slug:`"]


def test_two_file_names_with_one_url(tmp_path: Path) -> None:
    site = site_with(tmp_path, {
        "content/reports/2014/Radionica Konjic.md": report(),
        "content/reports/2014/radionica-konjic.md": report(),
    })
    assert problems(site) == [
        "content/reports/2014/radionica-konjic.md:1: this file gets the URL slug `radionica-konjic`, "
        "as content/reports/2014/Radionica Konjic.md does: rename the file or add a `slug:` line"
    ]


def test_an_attachment_and_a_page_with_one_url(tmp_path: Path) -> None:
    site = site_with(tmp_path, {
        "content/reports/2014/radionica/index.md": report(),
        "content/reports/2014/radionica/index.html": "<p>stara verzija</p>",
    })
    assert problems(site) == [
        "content/reports/2014/radionica/index.html: `cyr/2014/03/radionica/index.html` is also produced by "
        "content/reports/2014/radionica/index.md: two sources for one URL",
        "content/reports/2014/radionica/index.html: `lat/2014/03/radionica/index.html` is also produced by "
        "content/reports/2014/radionica/index.md: two sources for one URL",
    ]


def test_a_slug_that_leaves_its_folder(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"content/reports/2014/a.md": report(extra="slug: ../../x\n")})
    assert problems(site) == [
        "content/reports/2014/a.md:4: slug `../../x` must be lowercase ASCII letters, digits and single hyphens, like `radionica-konjic`"
    ]


def test_a_slug_that_is_not_plain_ascii(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"content/reports/2014/a.md": report(extra="slug: радионица\n")})
    assert problems(site) == [
        "content/reports/2014/a.md:4: slug `радионица` must be lowercase ASCII letters, digits and single hyphens, like `radionica-konjic`"
    ]


def test_non_utf8_bytes_name_the_byte_offset(tmp_path: Path) -> None:
    latin2 = report(body="Radionica je održana u Konjicu.\n").encode("cp1250")
    site = site_with(tmp_path, {"content/reports/2014/a.md": latin2})
    offset = latin2.index("ž".encode("cp1250"))
    assert problems(site) == [f"content/reports/2014/a.md:6: not valid UTF-8 at byte {offset}: save the file as UTF-8"]


def test_a_bom_and_crlf_line_endings_are_accepted_silently(tmp_path: Path) -> None:
    windows = ("\ufeff" + report(body="Prvi red.\nDrugi red.\n")).replace("\n", "\r\n").encode("utf-8")
    site = site_with(tmp_path, {"content/reports/2014/a.md": windows})
    assert problems(site) == []


def test_an_empty_file(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"content/reports/2014/a.md": "\n"})
    assert problems(site) == ["content/reports/2014/a.md:1: the file is empty: start it with front matter between `---` lines (see `ogpsite new`)"]


def test_an_unregistered_institution_suggests_the_registry_name_in_its_script(tmp_path: Path) -> None:
    site = site_with(tmp_path, {
        "content/institutions.yml": REGISTRY,
        "content/reports/2014/a.md": report(extra="institutions:\n  - ГИЗ\n  - Агенција за статистку БиХ\n"),
        "content/reports/2014/b.md": report(title="Sastanak", extra="institutions:\n  - Agencija za statistku BiH\n"),
    })
    assert problems(site) == [
        "content/reports/2014/a.md:6: warning: institution `Агенција за статистку БиХ` is not in content/institutions.yml "
        "(did you mean `Агенција за статистику БиХ`?)",
        "content/reports/2014/b.md:5: warning: institution `Agencija za statistku BiH` is not in content/institutions.yml "
        "(did you mean `Agencija za statistiku BiH`?)",
    ]


def test_mixed_script_words_are_reported(tmp_path: Path) -> None:
    # "ОGP" with a Cyrillic О, as a seed report really has it.
    site = site_with(tmp_path, {"content/reports/2014/a.md": report(body="Radionica o \u041eGP inicijativi.\n")})
    assert problems(site) == ["content/reports/2014/a.md:6: warning: `\u041eGP` mixes Cyrillic and Latin letters"]


def test_a_link_to_a_missing_report_suggests_the_nearest(tmp_path: Path) -> None:
    site = site_with(tmp_path, {
        "content/reports/2014/radionica-konjic.md": report(),
        "content/reports/2015/sastanak.md": report(
            title="Sastanak", day="2015-01-10", body="Uvod.\n\nVidi [radionicu](../2014/radionica-konic.md).\n"
        ),
    })
    assert problems(site) == [
        "content/reports/2015/sastanak.md:8: link `../2014/radionica-konic.md` points to no report or attachment "
        "(did you mean `../2014/radionica-konjic.md`?)"
    ]


def test_every_problem_is_collected_in_one_run(tmp_path: Path) -> None:
    site = site_with(tmp_path, {
        "content/reports/2014/a.md": report(day="2014-02-30"),
        "content/reports/2014/b.md": "",
    })
    assert [problem.split(":")[0] for problem in problems(site)] == ["content/reports/2014/a.md", "content/reports/2014/b.md"]


def test_config_errors_are_problems_too(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"content/reports/2014/a.md": report()})
    write(site, "ogpsite.yml", "base_url: https://example.org/\nper_pag: 5\n")
    assert problems(site) == ["ogpsite.yml:2: unknown setting `per_pag` (did you mean `per_page`?)"]


def test_a_static_file_the_theme_lacks_is_a_problem_as_in_the_build(tmp_path: Path) -> None:
    site = site_with(tmp_path, {
        "content/reports/2014/a.md": report(),
        "templates/report.html": '{% extends "theme/report.html" %}\n{% block content %}<link href="{{ static("print.css") }}">{% endblock %}',
    })
    assert [problem.split(": ", 1)[0] for problem in problems(site)] == ["templates/report.html:2"]


def test_cli_exit_codes_and_strict(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"content/reports/2030/a.md": report(day="2030-01-15")})
    runner = CliRunner()
    relaxed = runner.invoke(main, ["check", "--site", str(site)])
    strict = runner.invoke(main, ["check", "--strict", "--site", str(site)])
    assert relaxed.exit_code == 0
    assert strict.exit_code == 1
    assert "content/reports/2030/a.md:3: warning: date 2030-01-15 is in the future" in strict.output
    write(site, "content/reports/2014/b.md", report(day="2014-13-01"))
    broken = runner.invoke(main, ["check", "--site", str(site)])
    assert broken.exit_code == 1
    assert "content/reports/2014/b.md:3: date 2014-13-01 does not exist" in broken.output


def test_check_writes_nothing(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"content/reports/2014/a.md": report()})
    before = sorted(path.relative_to(site) for path in site.rglob("*"))
    assert CliRunner().invoke(main, ["check", "--site", str(site)]).exit_code == 0
    assert sorted(path.relative_to(site) for path in site.rglob("*")) == before


def test_an_alias_that_collides_is_reported_at_its_line(tmp_path: Path) -> None:
    write(tmp_path, "ogpsite.yml", "base_url: https://example.org/\n")
    write(tmp_path, "content/reports/2014/a.md", report(extra="aliases:\n  - /stara/adresa/\n  - /cyr/2014/03/b/\n  - /404.html\n  - /cyr/\n  - /lat/2014/03/a/\n"))
    write(tmp_path, "content/reports/2014/b.md", report(title="Drugi", day="2014-03-06", extra="aliases: [/stara/adresa/]\n"))
    problems = [str(problem) for problem in check(tmp_path, today=TODAY)]
    assert problems == [
        "content/reports/2014/a.md:5: alias `/stara/adresa/` (`stara/adresa/index.html`) is also produced by content/reports/2014/b.md: two sources for one URL",
        "content/reports/2014/a.md:6: alias `/cyr/2014/03/b/` (`cyr/2014/03/b/index.html`) is also produced by content/reports/2014/b.md: two sources for one URL",
        "content/reports/2014/a.md:7: alias `/404.html` (`404.html`) is also produced by the 404 page: two sources for one URL",
        "content/reports/2014/a.md:8: alias `/cyr/` (`cyr/index.html`) is also produced by home page: two sources for one URL",
        "content/reports/2014/a.md:9: alias `/lat/2014/03/a/` (`lat/2014/03/a/index.html`) is also produced by content/reports/2014/a.md: two sources for one URL",
    ]


def test_an_alias_collision_is_said_even_in_a_file_with_other_errors(tmp_path: Path) -> None:
    write(tmp_path, "ogpsite.yml", "base_url: https://example.org/\n")
    write(tmp_path, "content/reports/2014/a.md", report(extra="aliases: [/x/]\nlanguage: xx\n"))
    write(tmp_path, "content/reports/2014/b.md", report(title="Drugi", day="2014-03-06", extra="aliases: [/x/]\n"))
    messages = [problem.message for problem in check(tmp_path, today=TODAY)]
    assert any(message.startswith("alias `/x/`") for message in messages)
    assert any("`language: xx`" in message for message in messages)


def two_mistakes(tmp_path: Path) -> Path:
    """One error and one warning, in two reports."""
    return site_with(tmp_path, {
        "content/reports/2014/b.md": report(day="2014-13-01"),
        "content/reports/2030/a.md": report(day="2030-01-15"),
    })


def test_github_format_prints_one_annotation_per_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(two_mistakes(tmp_path))  # a workflow runs at the repository root
    result = CliRunner().invoke(main, ["check", "--strict", "--format", "github"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=content/reports/2014/b.md,line=3,title=ogpsite check::date 2014-13-01 does not exist: check the day and the month (YYYY-MM-DD)",
        "::warning file=content/reports/2030/a.md,line=3,title=ogpsite check::date 2030-01-15 is in the future: check the year",
    ]


def test_github_annotations_name_files_from_the_current_folder_and_escape_what_they_must(tmp_path: Path) -> None:
    site = tmp_path / "sites" / "main"
    (line,) = format_problems([Problem("content/a,b.md", 0, "50% done\nnext: line")], "github", site)
    assert os.path.relpath(site) in line  # `--site` below the repository root: the path from there
    expected_path = Path(os.path.relpath(site / "content/a,b.md")).as_posix().replace(",", "%2C").replace(":", "%3A")
    assert line == f"::error file={expected_path},title=ogpsite check::50%25 done%0Anext: line"  # no line 0


def test_json_format_is_one_document_with_the_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(two_mistakes(tmp_path))
    result = CliRunner().invoke(main, ["check", "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "problems": [
            {"file": "content/reports/2014/b.md", "line": 3, "severity": "error", "message": "date 2014-13-01 does not exist: check the day and the month (YYYY-MM-DD)"},
            {"file": "content/reports/2030/a.md", "line": 3, "severity": "warning", "message": "date 2030-01-15 is in the future: check the year"},
        ],
        "errors": 1,
        "warnings": 1,
    }


def test_quiet_check_prints_errors_only(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--quiet", "--site", str(two_mistakes(tmp_path))])
    assert result.exit_code == 1
    assert result.stdout == "content/reports/2014/b.md:3: date 2014-13-01 does not exist: check the day and the month (YYYY-MM-DD)\n"
    assert result.stderr == ""


def test_check_reads_only_the_reports_changed_since_the_last_build_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The site workflow checks before it builds: with the build cache restored, an unchanged
    report is taken from its record (not read and rendered again), and the cache stays as it was;
    what check says is what it says without the cache."""
    from ogpsite.build import cache
    from ogpsite.build.incremental import build

    site = site_with(tmp_path, {f"content/reports/2014/r{number}.md": report(title=f"Radionica {number}") for number in range(6)})
    build(site, site / "output", today=TODAY)
    write(site, "content/reports/2014/r3.md", report(title="Radionica 3", day="2030-01-01"))
    kept = {path: path.read_bytes() for path in (site / ".ogpsite-cache").rglob("*") if path.is_file()}
    read: list[str] = []
    read_one = cache._read_one
    monkeypatch.setattr(cache, "_read_one", lambda source, *rest: read.append(source.shown) or read_one(source, *rest))
    found = problems(site)
    assert read == ["content/reports/2014/r3.md"]
    assert {path: path.read_bytes() for path in (site / ".ogpsite-cache").rglob("*") if path.is_file()} == kept
    monkeypatch.setattr(cache, "_read_one", read_one)
    (site / ".ogpsite-cache").rename(tmp_path / "aside")
    assert problems(site) == found and any("future" in problem for problem in found), found
