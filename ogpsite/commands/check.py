"""`ogpsite check`: everything a build reads and validates, and nothing written.

It is `build.load` (every source read, every problem collected) plus the output plan's
collision check, so check and build can never disagree about what is wrong.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ..build.pipeline import claim_outputs, load, plan_outputs
from ..core.errors import BuildError, Problem, errors_only


def check(site_dir: Path, overrides: dict[str, Any] | None = None, drafts: bool = False, today: date | None = None) -> list[Problem]:
    """Every problem the build would meet, sorted by file and line."""
    try:
        loaded = load(site_dir, overrides, drafts, today)
    except BuildError as error:  # the configuration itself is broken: nothing else can be read
        return sorted(error.problems)
    problems = list(loaded.problems)
    try:
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
