"""The Latin -> Cyrillic rules for codes, English stretches, acronyms, introduced English,
foreign names with two-letter nj / dž, and the Montenegrin letters (docs/transliteration.md)."""

from __future__ import annotations

import pytest

from ogpsite.translit import Converter, to_cyrillic, to_latin


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        # a digit between letters: a code, kept whole
        ("Program EU4ME podržava opštine, a C2C mreža okuplja gradove.",
         "Програм EU4ME подржава општине, а C2C мрежа окупља градове."),
        ("Formula H2O2 i oznaka R2D2.", "Формула H2O2 и ознака R2D2."),
        # letters only before or after the digits: converted like a word
        ("Samit G7 i televizija N1 izvještavaju o mreži 5G.", "Самит Г7 и телевизија Н1 извјештавају о мрежи 5Г."),
    ],
)
def test_codes_with_a_digit_between_letters_stay_latin(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Open Contracting Partnership je mreža.", "Open Contracting Partnership је мрежа."),
        ("Global Integrity Report je objavljen.", "Global Integrity Report је објављен."),
        ("Access to information is a right, kaže zakon.", "Access to information is a right, каже закон."),
        # a Serbian word right before an English sentence is Serbian
        ("Pročitajte Read the full report in English.", "Прочитајте Read the full report in English."),
        # names side by side are no English sentence: the "i" between them is Serbian
        ("Open Contracting Partnership i Open Data Charter rade zajedno.",
         "Open Contracting Partnership и Open Data Charter раде заједно."),
    ],
)
def test_an_english_stretch_ends_where_the_serbian_words_begin(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


def test_an_english_sentence_keeps_a_rare_word_inside_it() -> None:
    assert to_cyrillic("Citizens can read the full budgett online.") == "Citizens can read the full budgett online."


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Mreža Open Contracting Partnership (OCP) objavila je izvještaj.",
         "Мрежа Open Contracting Partnership (OCP) објавила је извјештај."),
        ("OCP – Open Contracting Partnership objavila je izvještaj.",
         "OCP – Open Contracting Partnership објавила је извјештај."),
        ("Organizacija je učestvovala na OGP Global Summit konferenciji.",
         "Организација је учествовала на OGP Global Summit конференцији."),
        # an acronym that does not spell the phrase, or follows a Serbian one, is converted
        ("Open Contracting Partnership (SKGO) i Stalna konferencija gradova (SKG).",
         "Open Contracting Partnership (СКГО) и Стална конференција градова (СКГ)."),
        # in an all-caps line every word looks like an acronym: none joins an English run
        ("OPEN DATA WEEK U OPŠTINI", "OPEN DATA WEEK У ОПШТИНИ"),
    ],
)
def test_an_acronym_belongs_to_the_english_phrase_it_spells(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(
    ("source", "cyrillic"),
    [
        ("Zakon o slobodnom pristupu (engl. Freedom of Informaton Act) usvojen je 2004.",
         "Закон о слободном приступу (енгл. Freedom of Informaton Act) усвојен је 2004."),
        ("Стратегија (на енглеском: Smart Sity Stratgy) је усвојена.",
         "Стратегија (на енглеском: Smart Sity Stratgy) је усвојена."),
        ("Projekat, na engleskom jeziku Clean Govrnment Initiative, traje dvije godine.",
         "Пројекат, на енглеском језику Clean Govrnment Initiative, траје двије године."),
        ("Mreža (eng. Budget Transparncy Network – BTN) okuplja udruženja.",
         "Мрежа (енг. Budget Transparncy Network – BTN) окупља удружења."),
        # the phrase ends at two Serbian words in a row, and needs a phrase to begin with
        ("Na engleskom Open Gov Hub je centar u Vašingtonu.", "На енглеском Open Gov Hub је центар у Вашингтону."),
        ("Na engleskom se kaže drugačije.", "На енглеском се каже другачије."),
        ("Skraćenica eng označava jezik.", "Скраћеница енг означава језик."),
    ],
)
def test_text_introduced_as_english_stays_latin(source: str, cyrillic: str) -> None:
    assert to_cyrillic(source) == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Razgovarali smo s Benjaminom.", "Разговарали смо с Бенјамином."),
        ("INJESTA je dao gol.", "ИНЈЕСТА је дао гол."),
        # the name is matched at a word's start only; other nj stay digraphs
        ("Konjanik i Benjak", "Коњаник и Бењак"),
    ],
)
def test_listed_foreign_names_split_nj(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


def test_a_site_adds_foreign_names_in_either_script() -> None:
    converter = Converter(split_names=["Donjon", "Кенџ"])
    assert converter.to_cyrillic("Donjona, DONJON i Kendža") == "Донјона, ДОНЈОН и Кенджа"
    assert Converter().to_cyrillic("Donjona i Kendža") == "Доњона и Кенџа"


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Śekira i źenica", "С\u0301екира и з\u0301еница"),
        ("ŚEKIRA, Źenica", "С\u0301ЕКИРА, З\u0301еница"),
        ("Iśeći ćemo đubre", "Ис\u0301ећи ћемо ђубре"),
    ],
)
def test_montenegrin_letters_convert_both_ways(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic
    assert to_latin(cyrillic) == latin
    assert to_cyrillic("S\u0301ekira") == "С\u0301екира"  # a decomposed ś too


def test_the_public_interface_is_importable_from_the_package() -> None:
    import ogpsite.translit as translit

    for name in ("Converter", "Script", "Explanation", "detect_script", "mixed_script_words", "english_lexicon", "use_english_lexicon"):
        assert name in translit.__all__ and hasattr(translit, name)
    assert translit.convert_html("<p title='Ljubljana'>Ljubljana</p>", "cyrillic") == "<p title='Љубљана'>Љубљана</p>"
