"""Registry institutions found in any grammatical case and script; candidates outside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogpsite.importer.institutions import candidates, stems

from .helpers import import_site, matcher


@pytest.fixture(scope="module")
def find(tmp_path_factory: pytest.TempPathFactory):
    found = matcher(import_site(tmp_path_factory.mktemp("site")))
    return lambda text: [mention.slug for mention in found.find(text)]


@pytest.mark.parametrize(
    ("text", "slugs"),
    [
        ("окупио је представнике Агенције за статистику БиХ", ["bhas"]),
        ("sa predstavnicima Agencije za statistiku BiH", ["bhas"]),
        ("у Агенцији за статистику БиХ и Agenciji za statistiku BiH", ["bhas", "bhas"]),
        ("podatke objavljuje BHAS, a ne БХАС-ов сајт", ["bhas", "bhas"]),
        ("организовао Институт алтернатива уз подршку Програма Уједињених нација за развој – УНДП", ["institut-alternativa", "undp", "undp"]),
        ("у сарадњи са Сталном конференцијом градова и општина", ["skgo"]),
        ("predstavnici Ureda ombudsmena za ljudska prava BiH", ["ombudsmen-bih"]),  # an alias
        ("Транспаренси Интернешнал и Transparency International BiH", ["ti", "ti"]),
        ("Centra za istraživačko novinarstvo", ["cin"]),  # the fleeting a of `Centar`
        ("Njemačkog društva za međunarodnu saradnju (GIZ)", ["giz", "giz"]),
    ],
)
def test_registry_names_in_any_case_and_script(find, text: str, slugs: list[str]) -> None:
    assert find(text) == slugs


def test_a_single_typing_slip_in_a_long_word_still_matches(find) -> None:
    assert find("представнике Агенције за статистику БиХ") == ["bhas"]
    assert stems("средне").isdisjoint(stems("средње"))
    assert find("Агенција за статистку БиХ") == ["bhas"]  # `statistku`: one letter left out


def test_common_words_are_not_names(find) -> None:
    assert find("агенција за статистику у некој другој земљи и један центар") == []
    assert find("cin je jedna riječ, kao i giz") == []  # acronyms are matched in capitals only


def test_candidates_outside_the_registry_are_named_in_the_nominative(tmp_path: Path) -> None:
    text = "Састанку су присуствовали представници Министарства правде БиХ и Дирекције за економско планирање, а Агенције за статистику БиХ није било."
    known = matcher(import_site(tmp_path)).find(text)
    assert candidates(text, known) == ["Министарство правде БиХ", "Дирекција за економско планирање"]
