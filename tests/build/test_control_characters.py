"""Text that XML and HTML cannot carry never reaches them: removed with a warning at its line."""

from __future__ import annotations

import shutil
import tempfile
import xml.etree.ElementTree as ElementTree
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ogpsite.build.incremental import build
from ogpsite.commands.check import check
from ogpsite.core.controls import UNSAFE
from tests.conftest import MakeSite, report, write_site

TODAY = date(2026, 1, 1)
CONFIG = "title: Архива\nbase_url: https://example.org/\nsearch: false\n"
# Any text a file can hold, control characters made likely. (Lone surrogates cannot reach a
# site: UTF-8 files cannot hold them, and YAML refuses their escapes.)
TEXT = st.text(st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from("\x00\x01\x0b\x0c\x1f\x7f\x85\x9f\ufffe\uffff<&>\"'")),
               min_size=1, max_size=24)


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar, every character below U+10000 escaped as YAML reads it."""
    return '"' + "".join(character if ord(character) > 0xFFFF else f"\\u{ord(character):04x}" for character in text) + '"'



def assert_every_output_is_clean(output: Path) -> None:
    xml_files = sorted(output.rglob("*.xml"))
    assert xml_files
    for path in xml_files:
        ElementTree.parse(path)  # well-formed, or ParseError
    for path in output.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not UNSAFE.search(text), f"{path}: {UNSAFE.search(text)!r}"


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, summary=TEXT, institution=TEXT, place=TEXT, tag=TEXT, body=TEXT)
def test_any_text_in_any_field_keeps_every_output_well_formed(title: str, summary: str, institution: str, place: str, tag: str, body: str) -> None:
    root = Path(tempfile.mkdtemp(prefix="ogpsite-controls-"))
    try:
        fields = "\n".join([f"summary: {quoted(summary)}", f"place: {quoted(place)}", f"institutions: [{quoted(institution)}]", f"tags: [{quoted(tag)}]"])
        site = write_site(root / "site", {"content/reports/2014/a.md": report(quoted("Наслов " + title), extra=fields, body=f"Текст {body}\n"),
                                          "content/reports/2014/b.md": report("Друго", "2014-03-06")}, CONFIG)
        build(site, root / "out", today=TODAY, cache=False)
        assert_every_output_is_clean(root / "out")
    finally:
        shutil.rmtree(root)


def test_each_control_character_is_a_warning_at_its_line(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/reports/2014/a.md": report("Наслов\x01", extra='summary: "Сажетак\\x0b"\ninstitutions: ["Град\\u001f"]', body="Први ред.\n\nДруги\x85 ред.\n"),
                      "content/institutions.yml": "- slug: grad\n  name: \"Град\\x01\"\n"}, CONFIG)
    warnings = [str(problem) for problem in check(site, today=TODAY)]
    assert "content/reports/2014/a.md:2: warning: control character U+0001 removed: XML and HTML cannot carry it (delete it from the file)" in warnings
    assert any(warning.startswith("content/reports/2014/a.md:4: warning: control character U+000B") for warning in warnings), warnings
    assert any(warning.startswith("content/reports/2014/a.md:5: warning: control character U+001F") for warning in warnings), warnings
    assert any(warning.startswith("content/reports/2014/a.md:9: warning: control character U+0085") for warning in warnings), warnings
    assert any(warning.startswith("content/institutions.yml:2: warning: control character U+0001") for warning in warnings), warnings
    build(site, tmp_path / "out", today=TODAY)
    assert_every_output_is_clean(tmp_path / "out")
    page = (tmp_path / "out" / "cyr" / "2014" / "03" / "a" / "index.html").read_text(encoding="utf-8")
    assert "Наслов</h1>" in page or ">Наслов<" in page
