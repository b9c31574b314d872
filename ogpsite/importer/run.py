"""`ogpsite import`: read every input, derive each item's front matter, write the reports."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.errors import OgpsiteError
from ..sources.config import CONFIG_FILE
from ..sources.reader import read_registry
from ..translit import mixed_script_words
from ..translit.cleanup import clean
from .derive import derive
from .institutions import InstitutionMatcher, registered_from_entries
from .items import Item
from .text import read_text
from .writer import Outcome, SiteWriter

KINDS = ("auto", "wxr", "feed", "html", "text")
_TEXT_SUFFIXES = (".txt", ".text")
_HTML_SUFFIXES = (".html", ".htm")
_XML_SUFFIXES = (".xml", ".rss", ".atom")


@dataclass
class ImportOptions:
    kind: str = "auto"
    dry_run: bool = False
    add_unregistered: bool = False
    uploads: Path | None = None
    fetch: bool = True  # attachments not in `uploads` are downloaded from their URL


def _wxr(path: Path, shown: str, options: ImportOptions, downloads: Path) -> list[Item]:
    from .wxr import read_wxr

    return read_wxr(path, shown, options.uploads, downloads if options.fetch else None)


def _feed(path: Path, shown: str, options: ImportOptions, downloads: Path) -> list[Item]:
    from .feed import read_feed

    return read_feed(path, shown)


def _html(path: Path, shown: str, options: ImportOptions, downloads: Path) -> list[Item]:
    from .html import read_html

    return [read_html(path, shown)]


def _text(path: Path, shown: str, options: ImportOptions, downloads: Path) -> list[Item]:
    return [read_text(path, shown)]


_READERS: dict[str, Callable[[Path, str, ImportOptions, Path], list[Item]]] = {"wxr": _wxr, "feed": _feed, "html": _html, "text": _text}


def kind_of(path: Path) -> str | None:
    """What `--from auto` takes a file for: by its name, and for XML by its first kilobytes."""
    suffix = path.suffix.lower()
    if suffix in _TEXT_SUFFIXES:
        return "text"
    if suffix in _HTML_SUFFIXES:
        return "html"
    if suffix in _XML_SUFFIXES:
        head = path.read_bytes()[:4096]
        return "wxr" if b"wordpress.org/export" in head else "feed"
    return None


def _inputs(paths: list[Path], kind: str) -> Iterator[tuple[Path, str]]:
    """Every input file with the reader it takes; folders give the files in them that fit."""
    for path in paths:
        if not path.exists():
            raise OgpsiteError(f"{path}: no such file or folder")
        files = sorted(child for child in path.rglob("*") if child.is_file()) if path.is_dir() else [path]
        for file in files:
            chosen = kind if kind != "auto" else kind_of(file)
            if chosen is None:
                if not path.is_dir():
                    raise OgpsiteError(f"{file}: cannot tell what it is from its name: give --from wxr|feed|html|text")
                continue
            if not path.is_dir() or kind == "auto" or kind_of(file) in (kind, None):
                yield file, chosen


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # pasted from PDFs and old CMSs; check warns of them


def repaired(item: Item) -> Item:
    """The item with what `check` would warn about fixed once here: words that mix look-alike
    letters of both scripts (`ОGP` with a Cyrillic `О`) written in one, control characters
    dropped, Unicode composed."""
    mixed = [word for _, word in mixed_script_words(f"{item.title}\n{item.body}")]
    controls = len(_CONTROL.findall(item.title + item.body))
    item.title, item.body = clean(_CONTROL.sub("", item.title)), clean(_CONTROL.sub("", item.body))
    if mixed:
        item.notes.append(f"written in one script: {', '.join(dict.fromkeys(mixed))}")
    if controls:
        item.notes.append(f"dropped {controls} control character(s)")
    return item


def run_import(site_dir: Path, paths: list[Path], options: ImportOptions, today: date | None = None) -> list[Outcome]:
    """Import `paths` into the site at `site_dir`; one outcome per item, in input order."""
    if not (site_dir / CONFIG_FILE).is_file() and not (site_dir / "content").is_dir():
        raise OgpsiteError(f"{site_dir} is not a site (no {CONFIG_FILE}, no content/): run the import in the site's folder or give --site")
    entries, problems = read_registry(site_dir)
    if problems:
        raise OgpsiteError("the institution registry has problems: run `ogpsite check` first\n" + "\n".join(map(str, problems)))
    matcher = InstitutionMatcher(registered_from_entries(entries))
    writer = SiteWriter(site_dir, options.dry_run)
    outcomes = []
    # Downloaded attachments live until their reports are written, then go.
    with tempfile.TemporaryDirectory(prefix="ogpsite-import-") as downloads:
        for path, kind in _inputs(paths, options.kind):
            fallback = date.fromtimestamp(path.stat().st_mtime)
            for item in map(repaired, _READERS[kind](path, path.as_posix(), options, Path(downloads))):
                outcomes.append(writer.place(item, derive(item, matcher, min(fallback, today or fallback), options.add_unregistered)))
    return outcomes
