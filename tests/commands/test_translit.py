"""`ogpsite translit`: streaming, --explain, and the site's word lists."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner

from ogpsite.commands.cli import main
from ogpsite.commands.translit import transliterate
from ogpsite.translit import Converter


def _site(tmp_path: Path, config: str = "") -> Path:
    (tmp_path / "ogpsite.yml").write_text(config, encoding="utf-8")
    return tmp_path


def test_output_is_written_before_the_input_ends() -> None:
    out = io.StringIO()

    def lines() -> Iterator[str]:
        for number in range(100):
            # every line read so far but the last is already written
            assert out.getvalue().count("\n") >= number - 1
            yield f"Red {number}\n"

    transliterate(Converter(), lines(), "cyrillic", out)
    assert out.getvalue().splitlines()[-1] == "Ред 99"


def test_the_command_gives_what_convert_gives(tmp_path: Path) -> None:
    text = "Uvod EU4ME\n```\nkod\n```\n<!-- a\nb -->\nAccess to information is a right, kaže zakon.\n" * 50
    source = tmp_path / "in.md"
    source.write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "ogpsite", "translit", "--to", "cyrillic", "--site", str(_site(tmp_path)), str(source)]
    printed = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", check=True).stdout
    assert printed == Converter().convert(text, "cyrillic")


def test_explain_names_the_rule_for_each_word_kept_latin_or_split(tmp_path: Path) -> None:
    text = "Program EU4ME i WhatsApp\nZakon (engl. Freedom of Informaton Act) za Benjamina\nDonjon i injekcija\n"
    site = _site(tmp_path, "translit:\n  split_names: [Donjon]\n")
    result = CliRunner().invoke(main, ["translit", "--to", "cyrillic", "--explain", "--site", str(site)], input=text)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "1: EU4ME -> kept Latin: code: a digit between letters",
        "1: WhatsApp -> kept Latin: letters Serbian Latin does not have (q, w, x, y, ä…)",
        "2: Freedom -> kept Latin: introduced as English (eng., na engleskom…)",
        "2: of -> kept Latin: introduced as English (eng., na engleskom…)",
        "2: Informaton -> kept Latin: introduced as English (eng., na engleskom…)",
        "2: Act -> kept Latin: introduced as English (eng., na engleskom…)",
        "2: Benjamina -> Бенјамина: foreign name “benjamin” (split_names): nj / dž as two letters",
        "3: Donjon -> Донјон: foreign name “donjon” (split_names): nj / dž as two letters",
        "3: injekcija -> инјекција: stem “injek” (split_stems): nj / dž as two letters",
    ]


def test_a_site_split_name_reaches_the_converted_text(tmp_path: Path) -> None:
    site = _site(tmp_path, "translit:\n  split_names: [Donjon]\n")
    result = CliRunner().invoke(main, ["translit", "--to", "cyrillic", "--site", str(site)], input="Donjona\n")
    assert result.output == "Донјона\n"


def test_explain_is_for_the_cyrillic_direction_only(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["translit", "--to", "latin", "--explain", "--site", str(_site(tmp_path))], input="x\n")
    assert result.exit_code == 2
    assert "use it with --to cyrillic" in result.output


def test_explain_names_the_dictionary_and_the_markup_that_keep_latin(tmp_path: Path) -> None:
    site = _site(tmp_path, "translit:\n  dictionary:\n    - {cyrillic: ReLOaD, latin: ReLOaD}\n")
    text = "Projekat ReLOaD i {=Hamburg=}\nu {=Њујорк|New York=} i {=XYZ=}\n"
    result = CliRunner().invoke(main, ["translit", "--to", "cyrillic", "--explain", "--site", str(site)], input=text)
    assert result.output.splitlines() == [
        "1: ReLOaD -> kept Latin: site dictionary (translit.dictionary)",
        "1: Hamburg -> kept Latin: pinned with {=…=}",
        "2: XYZ -> kept Latin: pinned with {=…=}",
    ]
