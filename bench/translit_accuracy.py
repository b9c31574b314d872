"""Exact-match accuracy of the converter on the transliteration dev set, per case.

Each row's source goes through `Converter().convert(source, script)`, as `ogpsite translit`
does, both whole and line by line (`Converter.convert_lines`); a row counts only when both give
the expected text. Usage: python bench/translit_accuracy.py [TSV] [--show-failures]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from ogpsite.translit import Converter, Script

DEFAULT_TSV = Path(__file__).resolve().parent.parent / "tests" / "data" / "translit_dev.tsv"
_UNESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}


def unescape(field: str) -> str:
    """Decodes the \\n \\t \\r \\\\ escapes of the dev-set format."""
    out: list[str] = []
    chars = iter(field)
    for char in chars:
        if char == "\\":
            escaped = next(chars, "")
            out.append(_UNESCAPES.get(escaped, "\\" + escaped))
        else:
            out.append(char)
    return "".join(out)


def read_rows(path: Path) -> list[tuple[Script, str, str, str]]:
    """(script, source, expected, case) for every row of a dev-set file."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    rows = []
    for line in lines:
        direction, source, expected, case = line.split("\t")
        script: Script = "latin" if direction == "to_latin" else "cyrillic"
        rows.append((script, unescape(source), unescape(expected), case))
    return rows


def convert_line_by_line(converter: Converter, source: str, script: Script) -> str:
    return "".join(converter.convert_lines(source.splitlines(keepends=True), script))


def evaluate(path: Path, show_failures: bool = False) -> float:
    """Prints accuracy per case and overall; returns the overall exact-match accuracy."""
    converter = Converter()
    total: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for script, source, expected, case in read_rows(path):
        whole = converter.convert(source, script)
        by_line = convert_line_by_line(converter, source, script)
        total[case] += 1
        if whole == expected and by_line == expected:
            correct[case] += 1
        elif show_failures:
            print(f"[{case}] {script}\n  source:   {source!r}\n  expected: {expected!r}\n  got:      {whole!r}")
            if by_line != whole:
                print(f"  by line:  {by_line!r}")
    for case in sorted(total, key=lambda name: (correct[name] / total[name], name)):
        print(f"{case:28} {correct[case]:3}/{total[case]:<3} {correct[case] / total[case]:.3f}")
    accuracy = sum(correct.values()) / sum(total.values())
    print(f"{'overall':28} {sum(correct.values()):3}/{sum(total.values()):<3} {accuracy:.3f}")
    return accuracy


if __name__ == "__main__":
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    evaluate(Path(arguments[0]) if arguments else DEFAULT_TSV, show_failures="--show-failures" in sys.argv)
