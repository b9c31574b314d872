"""The gazetteer: municipalities in any case and both scripts, back to the nominative."""

from __future__ import annotations

import pytest

from ogpsite.importer.places import declension, gazetteer


@pytest.mark.parametrize(
    ("written", "latin", "cyrillic"),
    [
        ("Коњицу", "Konjic", "Коњиц"),
        ("Ključu", "Ključ", "Кључ"),
        ("Нови Београд", "Novi Beograd", "Нови Београд"),
        ("Новом Београду", "Novi Beograd", "Нови Београд"),
        ("Sanskom Mostu", "Sanski Most", "Сански Мост"),
        ("Banjoj Luci", "Banja Luka", "Бања Лука"),
        ("Banjaluci", "Banja Luka", "Бања Лука"),
        ("Kragujevcu", "Kragujevac", "Крагујевац"),
        ("Tešnju", "Tešanj", "Тешањ"),
        ("Stocu", "Stolac", "Столац"),
        ("Palama", "Pale", "Пале"),
        ("Herceg Novom", "Herceg Novi", "Херцег Нови"),
        ("Petrovcu na Mlavi", "Petrovac na Mlavi", "Петровац на Млави"),
        ("Gornjem Milanovcu", "Gornji Milanovac", "Горњи Милановац"),
        ("Bačkoj Palanci", "Bačka Palanka", "Бачка Паланка"),
        ("Banovićima", "Banovići", "Бановићи"),
        ("Trebinju", "Trebinje", "Требиње"),
        ("Бијелом Пољу", "Bijelo Polje", "Бијело Поље"),
        ("Čačku", "Čačak", "Чачак"),
        ("Tivtu", "Tivat", "Тиват"),  # the fleeting a, found by bench/import_cases.yml
    ],
)
def test_every_case_form_gives_the_nominative(written: str, latin: str, cyrillic: str) -> None:
    place = gazetteer().lookup(written)
    assert place is not None
    assert (place.name("latin"), place.name("cyrillic")) == (latin, cyrillic)


def test_the_gazetteer_covers_three_countries() -> None:
    countries = {place.country for place in gazetteer().places}
    assert countries == {"RS", "BA", "ME"}
    assert len(gazetteer().places) > 300
    assert gazetteer().lookup("Podgorici").country == "ME"


def test_declension_of_an_adjective_and_a_noun() -> None:
    assert declension("Sanski Most") >= {"Sanski Most", "Sanskog Mosta", "Sanskom Mostu", "Sanskim Mostom"}
    assert declension("Nova Crnja") >= {"Nove Crnje", "Novoj Crnji", "Novu Crnju", "Novom Crnjom"}


def test_finding_places_in_a_text() -> None:
    text = "у хотелу „Хајат“, Милентија Поповића 5, Нови Београд, а претходно у Коњицу."
    found = gazetteer().find(text)
    assert [(mention.place.latin, mention.text, mention.before) for mention in found] == [
        ("Novi Beograd", "Нови Београд", "поповића"),
        ("Konjic", "Коњицу", "у"),
    ]


def test_a_name_that_is_also_a_word_needs_a_place_context() -> None:
    assert gazetteer().find("Bar je bio pun.") == []
    assert [mention.place.latin for mention in gazetteer().find("Sastanak u Baru.\nBar, 5. maj 2019. Bar je pun.")] == ["Bar", "Bar"]


def test_lowercase_words_are_not_places() -> None:
    assert gazetteer().find("ključ od sale je kod domara") == []
