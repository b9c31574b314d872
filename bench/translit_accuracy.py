"""Exact-match accuracy of the converter on the transliteration dev set, per case.

Each row's source goes through `Converter().convert(source, script)`, as `ogpsite translit`
does, both whole and line by line (`Converter.convert_lines`); a row counts only when both give
the expected text. With `--via-command`, each row's source goes on stdin of a real
`ogpsite translit --to SCRIPT` process instead (slow: one process per row). `--baseline`
adds the score of cyrtranslit, the library the project started on.

Usage: python bench/translit_accuracy.py [TSV] [--show-failures] [--via-command] [--baseline]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
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


def via_command(source: str, script: Script) -> str:
    """The text `ogpsite translit` prints for `source` on stdin (in an empty site: no dictionary)."""
    with tempfile.TemporaryDirectory() as empty_site:
        command = [sys.executable, "-m", "ogpsite", "translit", "--to", script, "--site", empty_site]
        return subprocess.run(command, input=source, capture_output=True, text=True, encoding="utf-8", check=True).stdout


def cyrtranslit_baseline(source: str, script: Script) -> str:
    import cyrtranslit  # a dev dependency: only this comparison uses it

    return cyrtranslit.to_latin(source, "sr") if script == "latin" else cyrtranslit.to_cyrillic(source, "sr")


def evaluate(path: Path, show_failures: bool = False, command: bool = False, baseline: bool = False) -> float:
    """Prints accuracy per case and overall; returns the overall exact-match accuracy."""
    converter = Converter()
    total: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    base_correct: Counter[str] = Counter()
    rows = read_rows(path)
    outputs: list[tuple[str, str]] = []
    for script, source, _, _ in rows:
        if command:
            printed = via_command(source, script)
            outputs.append((printed, printed))
        else:
            outputs.append((converter.convert(source, script), convert_line_by_line(converter, source, script)))
    for (script, source, expected, case), (whole, by_line) in zip(rows, outputs):
        total[case] += 1
        if baseline and cyrtranslit_baseline(source, script) == expected:
            base_correct[case] += 1
        if whole == expected and by_line == expected:
            correct[case] += 1
        elif show_failures:
            print(f"[{case}] {script}\n  source:   {source!r}\n  expected: {expected!r}\n  got:      {whole!r}")
            if by_line != whole:
                print(f"  by line:  {by_line!r}")
    def compare(counts: Counter[str], case: str) -> str:
        return f"   cyrtranslit {counts[case] / total[case]:.3f}" if baseline else ""

    for case in sorted(total, key=lambda name: (correct[name] / total[name], name)):
        print(f"{case:28} {correct[case]:3}/{total[case]:<3} {correct[case] / total[case]:.3f}{compare(base_correct, case)}")
    accuracy = sum(correct.values()) / sum(total.values())
    overall = Counter({"overall": sum(base_correct.values())})
    total["overall"] = sum(total.values())
    print(f"{'overall':28} {sum(correct.values()):3}/{total['overall']:<3} {accuracy:.3f}{compare(overall, 'overall')}")
    return accuracy


if __name__ == "__main__":
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    evaluate(
        Path(arguments[0]) if arguments else DEFAULT_TSV,
        show_failures="--show-failures" in sys.argv,
        command="--via-command" in sys.argv,
        baseline="--baseline" in sys.argv,
    )
