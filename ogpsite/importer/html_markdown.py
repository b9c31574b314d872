"""HTML of other sites' posts as Markdown (markdownify), with what report bodies need on top:
a figure's caption in italics below its picture, and the picture's alt text from the caption
when it has none."""

from __future__ import annotations

from typing import Any

from ..core.errors import OgpsiteError

INSTALL_HINT = "pip install 'ogpsite[import]'"


def needs(*modules: str) -> None:
    """Raise a message saying what to install when an import reader's library is missing."""
    import importlib.util

    missing = [module for module in modules if importlib.util.find_spec(module) is None]
    if missing:
        raise OgpsiteError(f"this kind of import needs {', '.join(missing)}: install it with {INSTALL_HINT}")


def html_to_markdown(html: str) -> str:
    needs("markdownify", "bs4")
    from markdownify import MarkdownConverter

    class _ReportConverter(MarkdownConverter):
        def convert_figcaption(self, el: Any, text: str, parent_tags: set[str]) -> str:
            caption = " ".join(text.split())
            return f"\n\n*{caption}*\n\n" if caption else ""

        def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
            if not el.get("alt") and el.parent is not None and el.find_parent("figure") is not None:
                caption = el.find_parent("figure").find("figcaption")
                if caption is not None:
                    el["alt"] = " ".join(caption.get_text().split())
            return super().convert_img(el, text, parent_tags)

    markdown = _ReportConverter(heading_style="ATX", bullets="-").convert(html)
    return "\n".join(_tidy(line) for line in markdown.strip().splitlines()) + "\n"


def _tidy(line: str) -> str:
    """Trailing spaces dropped, but for the two that make a `<br>` line break."""
    stripped = line.rstrip()
    return stripped + "  " if line.endswith("  ") and stripped else stripped
