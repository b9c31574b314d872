"""Shared helpers: inline mini-sites written into tmp_path."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

MakeSite = Callable[..., Path]


def require_tool(present: object, reason: str) -> None:
    """Skip the test when a tool outside Python it needs (Chromium, Java) is missing, with a
    one-line `reason` saying how to get it; on CI (`CI=true`, as GitHub Actions sets it) fail
    instead, so a run without the tool can never pass."""
    if present:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: a missing tool fails the run)", pytrace=False)
    pytest.skip(reason)


def write_site(root: Path, files: dict[str, str | bytes], config: str = "title: Тест\nbase_url: https://example.org/\n") -> Path:
    """Write `ogpsite.yml` and `files` (path -> text, dedented; bytes as they are) below `root`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "ogpsite.yml").write_text(config, encoding="utf-8")
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    def make(files: dict[str, str | bytes], config: str | None = None, name: str = "site") -> Path:
        if config is None:
            return write_site(tmp_path / name, files)
        return write_site(tmp_path / name, files, config)

    return make


def report(title: str = "Наслов", date: str = "2014-03-05", extra: str = "", body: str = "Текст извјештаја.") -> str:
    """A report file's text; `extra` adds front-matter lines."""
    lines = ["---", f"title: {title}", f"date: {date}", *([extra.strip()] if extra.strip() else []), "---", body, ""]
    return "\n".join(lines)
