"""Redirect pages at a report's old addresses (its `aliases`), as jekyll-redirect-from writes
them for GitHub Pages: a canonical link to the report in the site's default edition, a script
that keeps the old address's `?query` and `#fragment`, an instant meta refresh for browsers
without scripts, `noindex`, and a visible link for whoever is left on the page.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from html import escape

from ..core.model import Report
from ..core.settings import Config
from ..translit import Converter, Script
from .render import editions

_TEXT = "Извештај је премештен на нову адресу:"  # written once in Cyrillic, like the UI strings
_TITLE = "Преусмеравање"


def alias_file(alias: str) -> str:
    """The output file of an alias: `/2014/03/old/` -> `2014/03/old/index.html`."""
    path = alias.lstrip("/")
    return path + "index.html" if alias.endswith("/") else path


def redirect_files(config: Config, reports: Iterable[Report], converter: Converter) -> dict[str, str]:
    """Output path -> redirect page, for every alias of every report."""
    edition = editions(config)[0]
    files = {}
    for report in reports:
        if not report.aliases:
            continue
        target = f"{config.base_path}{edition.code}/{report.path}"
        page = redirect_page(target, config.absolute(target), edition.lang(report.language), converter.convert(report.title, edition.script), converter, edition.script)
        files.update((alias_file(alias), page) for alias in report.aliases)
    return files


def redirect_page(target: str, canonical: str, lang: str, title: str, converter: Converter, script: Script) -> str:
    link = escape(target)
    # `<` never reaches the script as itself: the address cannot close the element.
    script_target = json.dumps(target).replace("<", "\\u003c")
    text = converter.convert(_TEXT, script)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(converter.convert(_TITLE, script))}</title>\n"
        f'<link rel="canonical" href="{escape(canonical)}">\n'
        '<meta name="robots" content="noindex">\n'
        f"<script>location.replace({script_target} + location.search + location.hash)</script>\n"
        f'<meta http-equiv="refresh" content="0; url={link}">\n'
        "</head>\n<body>\n"
        f'<p>{escape(text)} <a href="{link}">{escape(title)}</a></p>\n'
        "</body>\n</html>\n"
    )
