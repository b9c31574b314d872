"""`ogpsite init`: a new site that builds with no warning, passes `check --strict`, and is never written over."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ogpsite.build.incremental import build
from ogpsite.commands.check import check
from ogpsite.commands.cli import main
from ogpsite.commands.init import SITE_FILES
from ogpsite.sources.config import load_config
from ogpsite.sources.reader import SourceFile, read_report

TODAY = date(2026, 1, 1)


def init(*args: str):
    return CliRunner().invoke(main, ["init", *args])


def test_init_writes_a_site_that_builds_without_a_warning_and_passes_strict_check(tmp_path: Path) -> None:
    site = tmp_path / "mysite"
    result = init(str(site))
    assert result.exit_code == 0, result.output
    assert sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()) == sorted(SITE_FILES)
    assert result.stdout.splitlines() == [f"wrote {site.as_posix()}/{name}" for name in SITE_FILES]
    assert check(site, today=TODAY) == []
    built = build(site, site / "output", today=TODAY)
    assert built.warnings == [] and built.reports == 2
    scripts = sorted(read_report(SourceFile(str(path), path.relative_to(site).as_posix(), (), False), TODAY)[0].script
                     for path in (site / "content/reports").rglob("*.md"))
    assert scripts == ["cyrillic", "latin"]  # one sample in each script
    assert (site / ".gitignore").read_text(encoding="utf-8").splitlines()[1:] == ["output/", ".ogpsite-cache/"]


def test_the_settings_given_are_the_site_settings(tmp_path: Path) -> None:
    site = tmp_path / "s"
    result = init(str(site), "--title", "Arhiva: izveštaji #1", "--language", "bs", "--default-script", "latin", "--base-url", "https://example.org/arhiva/")
    assert result.exit_code == 0, result.output
    config = load_config(site)
    assert (config.title, config.language, config.default_script, config.base_url) == ("Arhiva: izveštaji #1", "bs", "latin", "https://example.org/arhiva/")
    assert (site / "README.md").read_text(encoding="utf-8").startswith("# Arhiva: izveštaji #1\n")
    assert check(site, today=TODAY) == []


def test_the_settings_file_is_commented(tmp_path: Path) -> None:
    assert init(str(tmp_path / "s")).exit_code == 0
    lines = (tmp_path / "s/ogpsite.yml").read_text(encoding="utf-8").splitlines()
    settings = [line.split(":")[0] for line in lines if line and not line.startswith(("#", " "))]
    assert settings == ["title", "description", "base_url", "language", "default_script", "per_page", "feed_entries", "search", "theme"]
    for number, line in enumerate(lines):
        if line.split(":")[0] in ("title", "base_url", "language", "default_script", "theme"):
            assert lines[number - 1].startswith("#"), f"no comment above `{line}`"


def test_a_folder_that_is_not_empty_is_refused_unless_forced_and_no_file_is_overwritten(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("our own\n", encoding="utf-8")
    refused = init(str(tmp_path))
    assert refused.exit_code == 1
    assert "is not empty: give a new folder, or --force" in refused.output
    assert [path.name for path in tmp_path.iterdir()] == ["README.md"]
    forced = init(str(tmp_path), "--force")
    assert forced.exit_code == 0, forced.output
    assert f"kept {tmp_path.as_posix()}/README.md (it was there)" in forced.stdout
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "our own\n"
    assert (tmp_path / "ogpsite.yml").is_file()


def test_a_bad_base_url_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    result = init(str(tmp_path / "s"), "--base-url", "example.org")
    assert result.exit_code == 1
    assert "base_url `example.org` must be an absolute http(s) URL" in result.output
    assert not (tmp_path / "s").exists()


def test_the_site_workflow_installs_the_ogpsite_that_wrote_it(tmp_path: Path) -> None:
    from ogpsite import __version__

    assert init(str(tmp_path / "s")).exit_code == 0
    workflow = yaml.safe_load((tmp_path / "s/.github/workflows/pages.yml").read_text(encoding="utf-8"))
    runs = [step.get("run") for step in workflow["jobs"]["build"]["steps"]]
    assert f"pip install 'ogpsite[search]=={__version__}'" in runs


@pytest.mark.parametrize("language", ["sr", "bs", "hr", "cnr"])
def test_every_language_gives_a_clean_site(tmp_path: Path, language: str) -> None:
    assert init(str(tmp_path / language), "--language", language).exit_code == 0
    assert check(tmp_path / language, today=TODAY) == []
