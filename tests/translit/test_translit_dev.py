"""The dev set through the command path: accuracy on tests/data/translit_dev.tsv."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ogpsite.translit import Converter

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from translit_accuracy import convert_line_by_line, evaluate, read_rows  # noqa: E402

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "translit_dev.tsv"


def test_dev_set_accuracy_is_at_least_098(capsys: pytest.CaptureFixture[str]) -> None:
    accuracy = evaluate(DEV_SET)
    report = capsys.readouterr().out
    assert accuracy >= 0.98, report


def test_rows_without_blocks_convert_the_same_line_by_line_with_plain_convert() -> None:
    """The CLI may call `convert` per line: outside fences that gives the whole-text result."""
    converter = Converter()
    for script, source, _expected, _case in read_rows(DEV_SET):
        if "```" in source or "~~~" in source:
            continue
        per_line = "".join(converter.convert(line, script) for line in source.splitlines(keepends=True))
        assert per_line == converter.convert(source, script)


def test_fenced_rows_convert_the_same_through_convert_lines() -> None:
    converter = Converter()
    for script, source, _expected, _case in read_rows(DEV_SET):
        assert convert_line_by_line(converter, source, script) == converter.convert(source, script)
