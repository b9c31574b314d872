"""The command line as an editor meets it: help, finding the site from inside it, how much it says."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ogpsite.commands import serve as serve_module
from ogpsite.commands.cli import main
from tests.conftest import MakeSite, report

COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_dash_h_is_help_everywhere(command: str) -> None:
    result = CliRunner().invoke(main, [command, "-h"] if command else ["-h"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: main {command}".rstrip() + " ")
    assert "-h, --help" in result.output


def test_build_from_deep_inside_a_site_builds_that_site(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({"content/reports/2014/a.md": report()})
    monkeypatch.chdir(site / "content/reports/2014")
    result = CliRunner().invoke(main, ["build", "--no-search"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("built 1 reports into ../../../output (")
    assert (site / "output/lat/2014/03/a/index.html").is_file()
    assert not (site / "content/reports/2014/output").exists()


def test_site_wins_over_the_folder_found_above(make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outer = make_site({"content/reports/2014/a.md": report()}, name="outer")
    other = make_site({"content/reports/2015/b.md": report(date="2015-01-02")}, name="other")
    monkeypatch.chdir(outer / "content")
    result = CliRunner().invoke(main, ["build", "--no-search", "--site", str(other)])
    assert result.exit_code == 0, result.output
    assert (other / "output/lat/2015").is_dir() and not (outer / "output").exists()


def test_outside_any_site_the_message_suggests_init(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "ogpsite", "build"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    assert "not a site: no ogpsite.yml and no content/ folder here (use --site DIR, or `ogpsite init DIR` to start a site)" in result.stderr
    assert list(tmp_path.iterdir()) == []


def future_report_site(make_site: MakeSite) -> Path:
    return make_site({"content/reports/2014/a.md": report(), "content/reports/2090/b.md": report(date="2090-01-01")})


def test_build_prints_its_warnings_and_a_summary(make_site: MakeSite) -> None:
    result = CliRunner().invoke(main, ["build", "--no-search", "--site", str(future_report_site(make_site))])
    assert result.exit_code == 0, result.output
    assert "content/reports/2090/b.md:3: warning: date 2090-01-01 is in the future" in result.stderr
    assert result.stdout.startswith("built 2 reports into ")


def test_quiet_build_prints_nothing_at_all_when_nothing_is_wrong_enough_to_stop_it(make_site: MakeSite) -> None:
    result = CliRunner().invoke(main, ["build", "--quiet", "--no-search", "--site", str(future_report_site(make_site))])
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == ("", "")


def test_verbose_build_prints_seconds_per_stage(make_site: MakeSite) -> None:
    result = CliRunner().invoke(main, ["build", "--verbose", "--no-search", "--site", str(make_site({"content/reports/2014/a.md": report()}))])
    assert result.exit_code == 0, result.output
    stages = [line.split(":")[0].strip() for line in result.stderr.splitlines() if line.endswith(" s")]
    assert stages == ["cache records", "read and check", "images", "plan", "render", "other files"]
    assert CliRunner().invoke(main, ["build", "-q", "-v"]).exit_code == 2  # they contradict each other


def test_verbose_check_prints_seconds_per_stage_as_build_does(make_site: MakeSite) -> None:
    site = future_report_site(make_site)
    result = CliRunner().invoke(main, ["check", "--verbose", "--format", "json", "--site", str(site)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["warnings"] == 1  # stdout stays one JSON document
    *stages, summary = result.stderr.splitlines()
    assert [re.fullmatch(r" *([a-z ]+): +\d+\.\d{3} s", line).group(1) for line in stages] == ["read and check", "plan"]  # type: ignore[union-attr]
    assert summary == "ogpsite check: 0 error(s), 1 warning(s)"
    assert CliRunner().invoke(main, ["check", "-q", "-v", "--site", str(site)]).exit_code == 2  # they contradict each other


def serve_until_opened(site: Path, monkeypatch: pytest.MonkeyPatch, *flags: str) -> tuple[Result, list[str]]:
    """`ogpsite serve --open --port 0 FLAGS`, stopped as Ctrl-C would once it opens the browser:
    what it printed, and the address it opened."""
    opened: list[str] = []

    def fake_open(url: str) -> bool:
        opened.append(url)
        raise KeyboardInterrupt  # as Ctrl-C would: serve stops cleanly

    monkeypatch.setattr(serve_module.webbrowser, "open", fake_open)
    return CliRunner().invoke(main, ["serve", "--open", "--port", "0", "--site", str(site), *flags]), opened


def test_serve_open_opens_the_served_address(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({"content/reports/2014/a.md": report()}, config="title: T\nbase_url: https://example.org/repo/\nsearch: false\n")
    result, opened = serve_until_opened(site, monkeypatch)
    assert result.exit_code == 0, result.output
    (url,) = opened
    host, _, rest = url.removeprefix("http://").partition(":")
    port, _, path = rest.partition("/")
    assert (host, path) == ("127.0.0.1", "repo/") and int(port) > 0
    assert f"serving {url} (Ctrl-C to stop)" in result.stderr


def test_quiet_serve_says_only_where_it_serves_when_nothing_is_wrong(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    site = future_report_site(make_site)  # a warning, which a quiet serve leaves out as a quiet build does
    result, (url,) = serve_until_opened(site, monkeypatch, "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"serving {url} (Ctrl-C to stop)\n"


def test_verbose_serve_prints_seconds_per_stage_of_its_build(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({"content/reports/2014/a.md": report()}, config="title: T\nbase_url: https://example.org/\nsearch: false\n")
    result, _ = serve_until_opened(site, monkeypatch, "--verbose")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    built = next(index for index, line in enumerate(lines) if line.startswith("built 1 reports in "))
    stages = [match.group(1) for line in lines[:built] if (match := re.fullmatch(r" *([a-z ]+): +\d+\.\d{3} s", line))]
    assert stages == ["cache records", "read and check", "images", "plan", "render", "other files"]
    assert CliRunner().invoke(main, ["serve", "-q", "-v", "--site", str(site)]).exit_code == 2  # they contradict each other


def test_make_serve_takes_a_port() -> None:
    root = Path(__file__).resolve().parents[2]

    def dry_run(*args: str) -> str:
        """The last command `make` would run (an outer `make test` must not add its own lines)."""
        env = {name: value for name, value in os.environ.items() if name not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
        result = subprocess.run(["make", "--no-print-directory", "-n", *args, "VENV=/nonexistent-venv"], cwd=root, capture_output=True, text=True, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()[-1].rstrip()

    assert dry_run("serve", "PORT=8123") == "/nonexistent-venv/bin/ogpsite serve --port 8123"
    assert dry_run("serve") == "/nonexistent-venv/bin/ogpsite serve"
