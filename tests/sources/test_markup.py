"""Report bodies: sanitised HTML, resolved links, derived summaries."""

from __future__ import annotations

from ogpsite.sources.markup import MarkdownRenderer, first_paragraph_text, resolve_links


def test_raw_script_and_event_handlers_are_removed() -> None:
    html = MarkdownRenderer().render('Текст <script>alert(1)</script> <img src="x.png" onerror="alert(1)"> <a href="javascript:alert(1)">a</a>')
    assert "<script" not in html and "alert" not in html and "onerror" not in html and "javascript:" not in html


def test_template_syntax_in_a_body_is_plain_text() -> None:
    assert "{{ config }} {% if x %}" in MarkdownRenderer().render("{{ config }} {% if x %}")


def test_site_can_widen_the_allow_list() -> None:
    source = '<iframe src="https://example.org/map"></iframe>'
    assert "<iframe" not in MarkdownRenderer().render(source)
    assert '<iframe src="https://example.org/map">' in MarkdownRenderer(frozenset({"iframe"}), {"iframe": frozenset({"src"})}).render(source)


def test_heading_ids_are_ascii_and_script_independent() -> None:
    renderer = MarkdownRenderer()
    assert '<h2 id="zakljucci">' in renderer.render("## Закључци")
    assert '<h2 id="zakljucci">' in renderer.render("## Zaključci")


def test_relative_links_are_resolved_and_broken_ones_collected() -> None:
    html = '<a href="../2014/a.md#x">a</a> <a href="https://e.org/">e</a> <img src="nowhere.png">'
    resolved, broken = resolve_links(html, lambda target: "R:" + target if target.endswith("#x") else None)
    assert 'href="R:../2014/a.md#x"' in resolved and 'href="https://e.org/"' in resolved
    assert broken == ["nowhere.png"]


def test_summary_is_the_first_paragraph_cut_at_a_word() -> None:
    assert first_paragraph_text("<h1>H</h1><p>Прва <b>реченица</b>.</p><p>Друга.</p>") == "Прва реченица."
    long_text = "<p>" + "реч " * 100 + "</p>"
    summary = first_paragraph_text(long_text, limit=50)
    assert summary.endswith(" …") and len(summary) <= 52
