"""`ogpsite import`: what it prints for each item and in the end; the work is ogpsite.importer's."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..importer.run import ImportOptions, run_import
from ..importer.writer import Outcome, write_csv


def import_sources(site_dir: Path, paths: list[Path], options: ImportOptions, report: Path | None, echo: Callable[[str], None]) -> list[Outcome]:
    """Import, print one line per item and a summary, write the CSV when asked."""
    outcomes = run_import(site_dir, paths, options)
    for outcome in outcomes:
        guessed = f"  ({'; '.join(outcome.derived.notes)})" if outcome.derived.notes else ""
        echo(f"{outcome.status}: {outcome.report}  <- {outcome.item.input}{guessed}")
    if report is not None:
        write_csv(report, outcomes)
    counts = Counter(outcome.status for outcome in outcomes)
    if outcomes and counts["unchanged"] == len(outcomes):
        echo(f"nothing to do: all {len(outcomes)} item(s) were imported before and are unchanged")
    else:
        echo(", ".join(f"{count} {status}" for status, count in sorted(counts.items())) or "no items found")
    return outcomes
