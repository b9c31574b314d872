"""Report bodies are content: Jinja never evaluates them and raw HTML is sanitised."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ogpsite.build.incremental import build

BODY = """\
Prvi pasus sa {{ config.title }} i {{ 7 * 7 }} i {% for x in range(3) %}petlja{% endfor %}.

<script>alert("x")</script>

<p onclick="steal()">Klik</p> <a href="javascript:alert(1)">veza</a>

<iframe src="https://evil.example/"></iframe><img src="slika.png" onerror="alert(2)" alt="slika">

<kbd>Ctrl</kbd> <mark>označeno</mark>
"""


def build_site(tmp_path: Path, config: str = "") -> Path:
    (tmp_path / "ogpsite.yml").write_text("base_url: https://example.org/\ndefault_script: latin\n" + config, encoding="utf-8")
    report = tmp_path / "content/reports/2014/a.md"
    report.parent.mkdir(parents=True)
    report.write_text(f"---\ntitle: Radionica\ndate: 2014-03-05\n---\n\n{BODY}", encoding="utf-8")
    (report.parent / "slika.png").write_bytes(b"\x89PNG")
    build(tmp_path, tmp_path / "output", today=date(2024, 1, 1))
    return tmp_path / "output/lat/2014/03/a/index.html"


def test_jinja_syntax_in_a_body_is_text(tmp_path: Path) -> None:
    page = build_site(tmp_path).read_text(encoding="utf-8")
    first_paragraph = page[page.index("<p>Prvi pasus") : page.index("</p>", page.index("<p>Prvi pasus"))]
    assert first_paragraph == "<p>Prvi pasus sa {{ config.title }} i {{ 7 * 7 }} i {% for x in range(3) %}petlja{% endfor %}."


def test_script_and_event_handlers_are_removed(tmp_path: Path) -> None:
    page = build_site(tmp_path).read_text(encoding="utf-8")
    body = page[page.index("Prvi pasus") :]
    assert "<script>alert" not in body
    assert "onclick" not in body
    assert "onerror" not in body
    assert "javascript:" not in body
    assert "<iframe" not in body
    assert "<p>Klik</p>" in body
    assert '<img src="/lat/2014/03/a/slika.png" alt="slika">' in body


def test_the_allow_list_keeps_harmless_markup(tmp_path: Path) -> None:
    body = build_site(tmp_path).read_text(encoding="utf-8")
    assert "<kbd>Ctrl</kbd>" in body
    assert "<mark>označeno</mark>" in body


def test_ogpsite_yml_can_widen_the_allow_list(tmp_path: Path) -> None:
    config = "sanitize:\n  tags: [iframe]\n  attributes:\n    iframe: [src]\n"
    body = build_site(tmp_path, config).read_text(encoding="utf-8")
    assert '<iframe src="https://evil.example/"></iframe>' in body
    assert "<script>alert" not in body
