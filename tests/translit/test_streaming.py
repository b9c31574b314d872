"""Converter.convert_lines: the same text as convert, produced as the lines come."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ogpsite.translit import Converter, Script

TEXTS = [
    "Jedan red\nDrugi red bez kraja",
    "Uvod\n```python\nprint('nije tekst')\n```\nPosle koda Open Government Partnership je inicijativa.\n",
    # a fence closed only by its own kind of fence: "~~~" inside a ``` fence is code
    "```\nkod\n~~~\njoš kod\n```\nTekst posle\n",
    "Tekst\n```\nnezatvoren kod do kraja\nPodžupan\n",
    "<!-- komentar\nu dva reda -->\nPodžupan i injekcija\n",
    "<pre>\nprvi red\n  drugi red\n</pre>\nTekst <code>x\ny</code> i dalje\n",
    "<!-- nezatvoren komentar\nred\nred\n",
    "<!-- a --> <!-- b\nc -->\n<pre><pre>\n</pre>\nx\n</pre>\nkraj\n",
    "Red sa \u2028 separatorom\r\nи ћирилица\n",
    "Ispred <!--\n```\nkod\n```\n--> iza\n",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("script", ["latin", "cyrillic"])
def test_convert_lines_gives_what_convert_gives(text: str, script: Script) -> None:
    converter = Converter()
    assert "".join(converter.convert_lines(text.splitlines(keepends=True), script)) == converter.convert(text, script)


def _fence_then_endless_code(consumed: list[int]) -> Iterator[str]:
    yield "Tekst\n"
    yield "```\n"
    for number in range(1000):
        consumed.append(number)
        yield f"kod {number}\n"
    raise AssertionError("the whole fence was read before anything came out")


def test_fenced_code_is_passed_on_as_it_comes() -> None:
    """A fence that never closes is not gathered up: each line comes out before the next is read."""
    consumed: list[int] = []
    stream = Converter().convert_lines(_fence_then_endless_code(consumed), "cyrillic")
    assert [next(stream) for _ in range(5)] == ["Текст\n", "```\n", "kod 0\n", "kod 1\n", "kod 2\n"]
    assert len(consumed) == 3


def test_an_open_comment_is_held_only_up_to_a_megabyte() -> None:
    lines = ["<!-- nezatvoren\n"] + ["red komentara\n"] * 200_000
    chunks = Converter().convert_lines(lines, "cyrillic")
    first = next(chunks)
    assert 1_000_000 < len(first) < 1_000_100
    assert first.startswith("<!-- незатворен\nред коментара\n")
