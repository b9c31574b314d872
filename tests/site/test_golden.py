"""The fixture site's output equals the committed golden files, byte for byte."""

from __future__ import annotations

import difflib
from pathlib import Path

from tests.golden import GOLDEN, build_fixture, output_files


def test_fixture_site_matches_golden_output(tmp_path: Path) -> None:
    build_fixture(tmp_path / "out")
    built = output_files(tmp_path / "out")
    golden = output_files(GOLDEN)
    assert sorted(built) == sorted(golden), "the set of output files changed: run `make golden` if intended"
    for name, content in built.items():
        if content != golden[name]:
            diff = difflib.unified_diff(
                golden[name].decode("utf-8", "replace").splitlines(),
                content.decode("utf-8", "replace").splitlines(),
                f"golden/{name}", f"built/{name}", lineterm="", n=1,
            )
            raise AssertionError(f"{name} differs (run `make golden` if intended):\n" + "\n".join(list(diff)[:40]))


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build_fixture(tmp_path / "one")
    build_fixture(tmp_path / "two")
    assert output_files(tmp_path / "one") == output_files(tmp_path / "two")
