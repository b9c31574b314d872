"""Writing imported reports into the site, never over anything, and the import's CSV.

A report goes to `content/reports/YYYY/slug.md`, or `YYYY/slug/index.md` with its attachments
beside it. A file already there with the same text is this import's own from an earlier run:
left as it is and said so. A file there with other text keeps its place; the new report
takes the next free slug (`slug-2`).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import OgpsiteError
from ..core.model import slugify
from ..sources.reader import REPORTS_DIR, discover
from .derive import Derived
from .items import Item

SLUG_MAX = 60
_SLUG_LINE = re.compile(r"^slug:\s*[\"']?(?P<slug>[a-z0-9-]+)", re.MULTILINE)
CSV_COLUMNS = ("input", "report", "status", "title", "date", "date_from", "place", "institutions", "unregistered", "script", "tags", "aliases", "notes")


@dataclass
class Outcome:
    item: Item
    derived: Derived
    report: str  # relative to the site; "" when nothing was written
    status: str  # written, unchanged, would write (dry run)


def report_text(item: Item, derived: Derived) -> str:
    front = yaml.safe_dump(derived.front_matter(item), allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    return f"---\n{front}---\n\n{item.body.strip()}\n"


def slug_for(item: Item, derived: Derived) -> str:
    slug = item.slug or slugify(derived.title) or "report"
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0]
    return slug


class SiteWriter:
    """Places reports in a site's content/reports, keeping every slug unique."""

    def __init__(self, site_dir: Path, dry_run: bool = False) -> None:
        self.site_dir = site_dir
        self.dry_run = dry_run
        self.taken = {_slug_of(Path(source.path)) for source in discover(site_dir)}

    def place(self, item: Item, derived: Derived) -> Outcome:
        text = report_text(item, derived)
        base = slug_for(item, derived)
        for number in range(1, 1000):
            slug = base if number == 1 else f"{base}-{number}"
            target = self._target(derived, slug, bool(item.attachments))
            if target.exists() and _same(target, text, item):
                return Outcome(item, derived, self._shown(target), "unchanged")
            if slug in self.taken or target.exists():
                continue
            self.taken.add(slug)
            if not self.dry_run:
                _write(target, text, item.attachments)
            return Outcome(item, derived, self._shown(target), "would write" if self.dry_run else "written")
        raise OgpsiteError(f"{item.input}: the site has a thousand reports named `{base}` already: give the item another title")

    def _target(self, derived: Derived, slug: str, bundle: bool) -> Path:
        folder = self.site_dir / REPORTS_DIR / f"{derived.date.year:04d}"
        return folder / slug / "index.md" if bundle else folder / f"{slug}.md"

    def _shown(self, target: Path) -> str:
        return target.relative_to(self.site_dir).as_posix()


def _slug_of(path: Path) -> str:
    """The URL slug of an existing report: its `slug:` line, else its file or folder name."""
    with path.open(encoding="utf-8", errors="replace") as report:
        head = report.read(4096)
    written = _SLUG_LINE.search(head.partition("\n---")[0])
    if written:
        return written["slug"]
    return path.parent.name if path.name == "index.md" else path.stem


def _same(target: Path, text: str, item: Item) -> bool:
    if target.read_text(encoding="utf-8") != text:
        return False
    return all((target.parent / name).exists() for name in item.attachments)


def _write(target: Path, text: str, attachments: dict[str, Path]) -> None:
    """The report (and its attachments) written whole or not at all: to a temporary file, then
    moved into place; `x` mode refuses a file that appeared meanwhile."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for name, source in sorted(attachments.items()):
        if not (target.parent / name).exists():
            shutil.copyfile(source, target.parent / name)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".import-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)
    try:
        with target.open("x"):
            pass
        os.replace(temporary, target)
    except FileExistsError:
        os.unlink(temporary)
        raise


def csv_row(outcome: Outcome) -> dict[str, Any]:
    item, derived = outcome.item, outcome.derived
    return {
        "input": item.input,
        "report": outcome.report if outcome.status != "would write" else "",
        "status": outcome.status,
        "title": derived.title,
        "date": derived.date.isoformat(),
        "date_from": derived.date_from,
        "place": derived.place,
        "institutions": "; ".join(derived.institutions),
        "unregistered": "; ".join(derived.unregistered),
        "script": derived.script,
        "tags": "; ".join(item.tags),
        "aliases": " ".join(item.aliases),
        "notes": "; ".join(derived.notes),
    }


def write_csv(path: Path, outcomes: Iterable[Outcome]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(csv_row(outcome) for outcome in outcomes)
