"""The fixture site and its golden output: `make golden` rewrites tests/golden/ from a build.

Run as `python -m tests.golden` after an intended change to the output; review the diff.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from ogpsite.build.incremental import build
from ogpsite.build.outdir import MARKER

TESTS = Path(__file__).resolve().parent
FIXTURE_SITE = TESTS / "fixture_site"
GOLDEN = TESTS / "golden"
TODAY = date(2024, 1, 1)  # fixed, so "a date in the future" does not depend on the calendar
EXCLUDED_DIRS = ("pagefind",)  # the search index is checked by its own tests
EXCLUDED_FILES = (MARKER,)  # it names its tree, new for every build (tests/build/test_output_safety.py checks it)


def build_fixture(output: Path) -> None:
    build(FIXTURE_SITE, output, today=TODAY)


def output_files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.relative_to(root).parts[0] not in EXCLUDED_DIRS and path.relative_to(root).as_posix() not in EXCLUDED_FILES
    }


def main() -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    build_fixture(GOLDEN)
    for excluded in EXCLUDED_DIRS:
        shutil.rmtree(GOLDEN / excluded, ignore_errors=True)
    for excluded in EXCLUDED_FILES:
        (GOLDEN / excluded).unlink(missing_ok=True)
    print(f"wrote {len(output_files(GOLDEN))} golden files to {GOLDEN}")


if __name__ == "__main__":
    main()
