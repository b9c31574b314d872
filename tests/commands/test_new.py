"""`ogpsite new`: a report scaffold that builds as it is, and never overwrites a file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from ogpsite.commands.check import check
from ogpsite.commands.cli import main
from ogpsite.sources.reader import SourceFile, read_report


def new(site: Path, *args: str):
    """`ogpsite new` in `site`, made a site first (an empty ogpsite.yml) when it is not one."""
    if not (site / "ogpsite.yml").exists():
        (site / "ogpsite.yml").write_text("", encoding="utf-8")
    return CliRunner().invoke(main, ["new", *args, "--site", str(site)])


def test_new_writes_a_report_with_filled_front_matter(tmp_path: Path) -> None:
    result = new(tmp_path, "Радионица о ОГП: Коњиц", "--institution", "ГИЗ", "--institution", "Зашто не", "--date", "2014-03-05")
    assert result.exit_code == 0, result.output
    path = tmp_path / "content/reports/2014/radionica-o-ogp-konjic.md"
    assert result.output.strip() == path.as_posix()
    source = SourceFile(str(path), "content/reports/2014/radionica-o-ogp-konjic.md", (), False)
    report, problems = read_report(source, date(2024, 1, 1))
    assert problems == []
    assert report is not None
    assert (report.title, report.date, report.institutions, report.script) == (
        "Радионица о ОГП: Коњиц", date(2014, 3, 5), ("ГИЗ", "Зашто не"), "cyrillic"
    )


def test_the_scaffold_passes_check_as_written(tmp_path: Path) -> None:
    (tmp_path / "ogpsite.yml").write_text("base_url: https://example.org/\n", encoding="utf-8")
    assert new(tmp_path, "Sastanak radne grupe", "--date", "2020-10-01").exit_code == 0
    text = (tmp_path / "content/reports/2020/sastanak-radne-grupe.md").read_text(encoding="utf-8")
    assert "script: latin" in text
    assert check(tmp_path, today=date(2024, 1, 1)) == []


def test_script_can_be_given(tmp_path: Path) -> None:
    assert new(tmp_path, "OGP", "--date", "2020-10-01", "--script", "cyrillic").exit_code == 0
    assert "script: cyrillic" in (tmp_path / "content/reports/2020/ogp.md").read_text(encoding="utf-8")


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    assert new(tmp_path, "Sastanak", "--date", "2020-10-01").exit_code == 0
    path = tmp_path / "content/reports/2020/sastanak.md"
    path.write_text("edited by hand", encoding="utf-8")
    again = new(tmp_path, "Састанак", "--date", "2021-02-02")
    assert again.exit_code == 1
    assert "content/reports/2020/sastanak.md already exists" in again.output
    assert path.read_text(encoding="utf-8") == "edited by hand"
    assert not (tmp_path / "content/reports/2021").exists()


def test_a_title_without_letters_is_refused(tmp_path: Path) -> None:
    result = new(tmp_path, "„…“", "--date", "2020-10-01")
    assert result.exit_code == 1
    assert "has no letters or digits" in result.output


def test_a_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    result = new(tmp_path, "Sastanak", "--date", "2020-13-01")
    assert result.exit_code == 2
    assert not (tmp_path / "content").exists()


def test_new_outside_a_site_says_so_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["new", "Sastanak", "--date", "2020-10-01"])
    assert result.exit_code == 1
    assert result.output == "ogpsite: .: not a site: no ogpsite.yml and no content/ folder here (use --site DIR, or `ogpsite init DIR` to start a site)\n"
    assert list(tmp_path.iterdir()) == []


def test_new_inside_a_site_writes_at_its_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ogpsite.yml").write_text("", encoding="utf-8")
    (tmp_path / "content/reports/2014").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "content/reports/2014")
    result = CliRunner().invoke(main, ["new", "Sastanak", "--date", "2020-10-01"])
    assert result.exit_code == 0, result.output
    assert result.output == "../../../content/reports/2020/sastanak.md\n"
    assert (tmp_path / "content/reports/2020/sastanak.md").is_file()
