"""Honest set-up: a test that needs Chromium or Java skips without it, with the reason, except on
CI; a test run leaves the committed screenshots alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import require_tool


def test_a_missing_tool_skips_with_its_reason_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="^no java: install it$"):
        require_tool(None, "no java: install it")


def test_a_missing_tool_fails_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"^no java: install it \(CI=true"):
        require_tool(None, "no java: install it")


def test_a_present_tool_lets_the_test_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    require_tool("/usr/bin/java", "never said")


def test_screenshots_are_written_into_docs_only_when_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tests.site.conftest import REPO, screenshot_folder

    monkeypatch.delenv("OGPSITE_SCREENSHOTS", raising=False)
    assert screenshot_folder(tmp_path) == tmp_path / "screenshots"
    monkeypatch.setenv("OGPSITE_SCREENSHOTS", "0")
    assert screenshot_folder(tmp_path) == tmp_path / "screenshots"
    monkeypatch.setenv("OGPSITE_SCREENSHOTS", "1")
    assert screenshot_folder(tmp_path) == REPO / "docs" / "screenshots"
