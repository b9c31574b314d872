"""The one exception root, and problems that name a file and a line."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the site's input, located at `path:line`."""

    path: str
    line: int
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}: {prefix}{self.message}"


class OgpsiteError(Exception):
    """Root of every error the CLI turns into an exit code instead of a traceback."""


class BuildError(OgpsiteError):
    """The site could not be built; `problems` lists every reason found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def nearest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The one of `choices` closest to `word`, or None when none is close (similarity below `cutoff`)."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return close[0] if close else None


def suggestion(word: str, choices: Iterable[str]) -> str:
    """' (did you mean `x`?)' for the nearest of `choices`, or '' when none is close."""
    close = nearest(word, choices)
    return f" (did you mean `{close}`?)" if close else ""


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity is Severity.ERROR]
