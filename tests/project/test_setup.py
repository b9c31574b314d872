"""Honest set-up: a test that needs Chromium or Java skips without it, with the reason, except on CI."""

from __future__ import annotations

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
