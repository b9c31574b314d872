#!/usr/bin/env python3
"""Per-field accuracy of the front matter `ogpsite import` derives (date, place, institutions).

    .venv/bin/python bench/import_accuracy.py

Three sets, each against the fields checked by hand: the plain-text fixtures and the
WordPress export of tests/importer/fixtures (the tests assert these exactly, so they show
what the tests hold), and bench/import_cases.yml, cases written apart and never tuned on.
Every miss is listed with what was derived and what was expected.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from ogpsite.importer.derive import derive  # noqa: E402  (the bench runs from a checkout)
from ogpsite.importer.institutions import InstitutionMatcher, registered_from_entries  # noqa: E402
from ogpsite.importer.items import Item  # noqa: E402
from ogpsite.importer.text import parse_text, read_text  # noqa: E402
from ogpsite.importer.wxr import read_wxr  # noqa: E402
from ogpsite.sources.reader import read_registry  # noqa: E402

FIXTURES = REPO / "tests/importer/fixtures"
FALLBACK = date(2000, 1, 1)
FIELDS = ("date", "place", "institutions")


def matcher() -> InstitutionMatcher:
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "content").mkdir()
        shutil.copyfile(FIXTURES / "registry.yml", Path(work) / "content/institutions.yml")
        entries, _ = read_registry(Path(work))
    return InstitutionMatcher(registered_from_entries(entries))


def text_fixtures() -> Iterator[tuple[str, Item, dict]]:
    expected = yaml.safe_load((FIXTURES / "text/expected.yml").read_text(encoding="utf-8"))
    for name, fields in sorted(expected.items()):
        yield name, read_text(FIXTURES / f"text/{name}.txt", name), {**fields, "date": FALLBACK if fields["date"] == "fallback" else fields["date"]}


def wxr_fixture() -> Iterator[tuple[str, Item, dict]]:
    expected = yaml.safe_load((FIXTURES / "wxr/expected.yml").read_text(encoding="utf-8"))
    for item in read_wxr(FIXTURES / "wxr/export.xml", "export.xml", FIXTURES / "wxr/uploads"):
        fields = expected[int(item.input.rpartition("#")[2])]
        yield item.input, item, {**fields, "date": date.fromisoformat(str(fields["date"]))}


def held_out() -> Iterator[tuple[str, Item, dict]]:
    for number, case in enumerate(yaml.safe_load((REPO / "bench/import_cases.yml").read_text(encoding="utf-8")), 1):
        yield f"case {number}", parse_text(case["text"], f"case {number}"), case


def score(name: str, cases: Iterator[tuple[str, Item, dict]], found: InstitutionMatcher) -> None:
    hits = dict.fromkeys(FIELDS, 0)
    misses, total = [], 0
    for label, item, expected in cases:
        total += 1
        derived = derive(item, found, FALLBACK)
        got = {"date": derived.date, "place": derived.place, "institutions": derived.institutions}
        for field in FIELDS:
            if got[field] == expected[field]:
                hits[field] += 1
            else:
                misses.append(f"  {label}: {field} {got[field]!r}, expected {expected[field]!r}")
    shown = ", ".join(f"{field} {hits[field]}/{total} ({100 * hits[field] / total:.0f}%)" for field in FIELDS)
    print(f"{name}: {shown}")
    print("\n".join(misses) if misses else "  no misses")


def main() -> None:
    found = matcher()
    score("plain-text fixtures", text_fixtures(), found)
    score("WordPress export fixture", wxr_fixture(), found)
    score("held-out cases (bench/import_cases.yml)", held_out(), found)


if __name__ == "__main__":
    main()
