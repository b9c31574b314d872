"""`ogpsite check`: everything a build reads and validates, and nothing written.

It is `build.load` (every source read, every problem collected) plus the output plan's
collision check, so check and build can never disagree about what is wrong.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from ..build.cache import BuildCache, scanned_while_loading
from ..build.incremental import Stopwatch
from ..build.pipeline import claim_outputs, load, plan_outputs
from ..core.errors import BuildError, Problem, Severity, errors_only


def check(site_dir: Path, overrides: dict[str, Any] | None = None, drafts: bool = False, today: date | None = None,
          clock: Stopwatch | None = None) -> list[Problem]:
    """Every problem the build would meet, sorted by file and line; `clock` times the stages
    under the names the build gives them (`--verbose`)."""
    clock = clock or Stopwatch()
    try:
        with clock.stage("read and check"):
            # The build cache's records, read and never saved (check writes nothing): a file unchanged
            # since the last build is not rendered again, as the site workflow checks before it builds.
            records = BuildCache(site_dir)
            loaded = load(site_dir, overrides, drafts, today, cache=records, scanned=scanned_while_loading(records))
    except BuildError as error:  # the configuration itself is broken: nothing else can be read
        return sorted(error.problems)
    problems = list(loaded.problems)
    try:
        with clock.stage("plan"):
            _, pages, assets = plan_outputs(loaded, site_dir)
            outputs = claim_outputs(loaded, pages, assets)
    except BuildError as error:
        problems.extend(error.problems)
    else:
        # A duplicate slug also collides in the output plan: say it once, as the slug problem.
        # An alias's collision is its own, at its line: always said.
        reported = {problem.path for problem in errors_only(problems)}
        problems.extend(problem for problem in outputs.problems if problem.path not in reported or problem.line)
    return sorted(set(problems))


FORMATS = ("text", "github", "json")


def format_problems(problems: list[Problem], style: str, site_dir: Path) -> list[str]:
    """The problems as lines for `style`: `file:line: message` (text), GitHub workflow
    commands (annotations on a pull request's diff), or one JSON document."""
    if style == "github":
        return [_github_annotation(problem, _shown_path(site_dir, problem.path)) for problem in problems]
    if style == "json":
        entries = [
            {"file": _shown_path(site_dir, problem.path), "line": problem.line or None, "severity": problem.severity.value, "message": problem.message}
            for problem in problems
        ]
        return [json.dumps({"problems": entries, "errors": len(errors_only(problems)), "warnings": len(problems) - len(errors_only(problems))}, ensure_ascii=False, indent=2)]
    return [str(problem) for problem in problems]


def _shown_path(site_dir: Path, path: str) -> str:
    """`path` (relative to the site) as seen from the current folder, which is the repository
    root in a workflow: GitHub places an annotation by its path from there."""
    try:
        return Path(os.path.relpath(site_dir / path)).as_posix()
    except ValueError:  # another drive (Windows)
        return path


def _github_annotation(problem: Problem, path: str) -> str:
    """`::error file=…,line=…,title=…::message`, escaped as GitHub's workflow commands require."""
    level = "warning" if problem.severity is Severity.WARNING else "error"
    properties = [f"file={_escape_property(path)}"]
    if problem.line:
        properties.append(f"line={problem.line}")
    properties.append("title=ogpsite check")
    return f"::{level} {','.join(properties)}::{_escape_data(problem.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
