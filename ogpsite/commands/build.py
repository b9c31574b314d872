"""`ogpsite build`: one run of the incremental builder, its warnings and the progress bar."""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import click

from ..build.incremental import Builder
from ..build.incremental import verify_incremental as verify
from ..build.lock import WAITING, site_lock
from ..core.errors import Problem


def build_site(site_dir: Path, output_dir: Path | None, base_url: str | None, drafts: bool, no_search: bool, quiet: bool, clean: bool,
               verify_incremental: bool, shown_warnings: int, verbose: bool = False) -> Builder:
    """Build, print the first `shown_warnings` warnings and a summary (nothing but errors when
    `quiet`; seconds per stage too when `verbose`); exit 1 if a verified incremental build
    differs from a clean one. Returns the builder (the caller keeps it to the exit)."""
    output_dir = output_dir or site_dir / "output"
    waiting = None if quiet else _say_waiting
    with site_lock(site_dir, waiting):  # the cache is not removed under another build
        if clean:
            shutil.rmtree(site_dir / ".ogpsite-cache", ignore_errors=True)
        overrides = {"base_url": base_url, "search": False if no_search else None}
        builder = Builder(site_dir, output_dir, overrides, drafts=drafts, progress=_progress_bar(quiet), waiting=waiting)
        result = builder.build()
    if not quiet:
        _show_warnings(result.warnings, shown_warnings)
    if verbose:
        for line in stage_lines(result.timings):
            click.echo(line, err=True)
    if not quiet:
        click.echo(f"built {result.reports} reports into {output_dir} ({result.files} files)")
    if verify_incremental:
        differing = verify(site_dir, output_dir, overrides, drafts)
        for name in differing:
            click.echo(f"{name}: differs from a clean build", err=True)
        if differing:
            click.echo(f"ogpsite: {len(differing)} file(s) differ from a clean build: run `ogpsite build --clean` and report it", err=True)
            sys.exit(1)
        if not quiet:
            click.echo("incremental output is identical to a clean build")
    return builder


def _say_waiting() -> None:
    click.echo(f"ogpsite: {WAITING}", err=True)


def stage_lines(timings: Mapping[str, float]) -> list[str]:
    """`--verbose`'s lines, one per stage in the order they ran; build, check and serve print the same."""
    return [f"{stage:>16}: {seconds:7.3f} s" for stage, seconds in timings.items()]


def _show_warnings(warnings: list[Problem], shown: int) -> None:
    for warning in warnings[:shown]:
        click.echo(str(warning), err=True)
    if len(warnings) > shown:
        click.echo(f"… and {len(warnings) - shown} more warnings: `ogpsite check` lists them all", err=True)


def _progress_bar(quiet: bool) -> Callable[[str, int], Callable[[int], None]] | None:
    """Progress on stderr for a phase still running after a second; none with --quiet or off a terminal (CI logs)."""
    if quiet or not sys.stderr.isatty():
        return None
    started = time.monotonic()

    def phase(label: str, total: int) -> Callable[[int], None]:
        bar: Any = None
        done = 0

        def advance(count: int) -> None:
            nonlocal bar, done
            done += count
            if bar is None and time.monotonic() - started < 1:
                return
            if bar is None:
                bar = click.progressbar(length=total, label=label, file=sys.stderr)
                count = done
            bar.update(count)
            if done >= total:
                bar.render_finish()

        return advance

    return phase
