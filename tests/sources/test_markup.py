"""Report bodies: sanitised HTML, resolved links, derived summaries."""

from __future__ import annotations

import random

import markdown
import pytest

from ogpsite.core.model import slugify
from ogpsite.sources import markup
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


def _stock_markdown(text: str) -> str:
    """`MarkdownRenderer.render` as Python-Markdown does it with every inline pattern and the whole `toc` extension."""
    renderer = MarkdownRenderer()
    converter = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists", "toc"],
                                  extension_configs={"toc": {"slugify": lambda text, separator: slugify(text) or "section"}}, output_format="html")
    return markup.figures(markup.nh3.clean(converter.convert(text), tags=set(renderer._tags), attributes=renderer._attributes,
                                           url_schemes=set(markup.URL_SCHEMES), link_rel=None, strip_comments=True))


_EDGE_BODIES = [
    "# A & B\n\ntext", "## Naslov `kod` i *isticanje*\n\n## Naslov `kod` i *isticanje*", "line one  \nline two",
    "tab\tline\nnext", "windows  \r\nline", "[TOC]\n\n# One\n\n## Two", "## <b>raw</b> heading\n", "## a \\* b\n",
    "### Š đ Ђорђе\n\n### Š đ Ђорђе", "# x\n\n<h2 id=x>y</h2>\n\n# x", "## &amp; entity\n", "## 1 > 2\n",
    "Setext\n======\n\nSub\n---\n", "two  \x02\nspaces", "[\x02TOC]\n\n# A", "<https://a.b> and x@y.z, `code` [l](http://a)",
    # A pattern that matched, then has nothing left to match in its text, before one that does.
    "Portal <https://a.b/x> i `kod` ovde.", "- `a` <b@c.d>\n- [l](http://a) & *i*\n- plain\n\n|`a`|<https://b.c>|\n|-|-|\n|*1*|&amp;|",
]
_TOKENS = ["# ", "## ", "Naslov", " ", "  ", "\n", "\n\n", "\t", "\r\n", "`", "*", "_", "&", "&amp;", "<", ">", "<b>", "</b>", "[", "]",
           "[TOC]", "\\", "Ђорђе", "š", "x@y.z", "<https://a.b>", "---", "===", "- ", "1. ", "|a|b|\n|-|-|\n|1|2|", "```\ncode\n```",
           "![i](p.png)", "[l](http://a)", "\x02"]


@pytest.mark.parametrize("body", _EDGE_BODIES + ["".join(random.Random(seed).choices(_TOKENS, k=30)) for seed in range(300)])
def test_a_body_converts_as_with_every_pattern_and_the_whole_toc_extension(body: str) -> None:
    """The renderer leaves out the inline patterns a body's text cannot match (and passes over
    those each text in it cannot) and, without a `[TOC]` marker, the `toc` extension's table:
    the HTML is the same."""
    assert MarkdownRenderer().render(body) == _stock_markdown(body)
