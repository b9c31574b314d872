"""The Serbian date reader: every case form of the months in both scripts, numeric forms, ranges."""

from __future__ import annotations

from datetime import date

import pytest

from ogpsite.importer.dates import find_dates, parse_date


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("одржана је 5. марта 2014. године у Коњицу", date(2014, 3, 5), None),
        ("održan je u utorak, 4. marta 2014. godine u Konjicu", date(2014, 3, 4), None),
        ("u Ključu se od 24.10.-27.10.2016. godine održava trening", date(2016, 10, 24), date(2016, 10, 27)),
        ("од 11-17. марта 2019. године одржава се Недеља", date(2019, 3, 11), date(2019, 3, 17)),
        ("Trebinje, 28.maj 2019.", date(2019, 5, 28), None),
        ("Bijeljina, 30.maj 2019", date(2019, 5, 30), None),
        ("15. juna 2023.", date(2023, 6, 15), None),
        ("15. lipnja 2023.", date(2023, 6, 15), None),  # Croatian month names
        ("5. мај 2016. године", date(2016, 5, 5), None),  # nominative
        ("у јулу, 3. јула 2020.", date(2020, 7, 3), None),
        ("od 7. do 9. novembra 2017.", date(2017, 11, 7), date(2017, 11, 9)),
        ("28. i 29. septembra 2022. godine", date(2022, 9, 28), date(2022, 9, 29)),
        ("од 30. новембра – 2. децембра 2015.", date(2015, 11, 30), date(2015, 12, 2)),
        ("24.-27.10.2016.", date(2016, 10, 24), date(2016, 10, 27)),
        ("30.12.2016.-2.1.2017.", date(2016, 12, 30), date(2017, 1, 2)),
        ("у четвртак, 16.05.2019. године", date(2019, 5, 16), None),
        ("objavljeno 2014-03-05", date(2014, 3, 5), None),
        ("ДЕЦЕМБРА: 1. ДЕЦЕМБРА 2018.", date(2018, 12, 1), None),
    ],
)
def test_a_stated_date_is_read_with_its_range(text: str, first: date, last: date | None) -> None:
    mentions = [mention for mention in find_dates(text) if mention.precision == "day"]
    assert [(mention.start, mention.end) for mention in mentions] == [(first, last)]


def test_the_words_of_the_date_are_its_span() -> None:
    text = "održan je u utorak, 4. marta 2014. godine u Konjicu"
    (mention,) = find_dates(text)
    assert text[mention.offset : mention.stop] == "4. marta 2014. godine"
    assert mention.weekday_stated == 1 and mention.weekday_agrees


def test_a_weekday_that_does_not_fit_the_date_is_noticed() -> None:
    (mention,) = find_dates("у понедељак, 4. марта 2014.")  # 4 March 2014 was a Tuesday
    assert mention.weekday_stated == 0
    assert not mention.weekday_agrees


@pytest.mark.parametrize("text", ["31. aprila 2019.", "30. februara 2020.", "13.13.2016.", "u periodu maj-jun", "5. marta"])
def test_impossible_or_incomplete_dates_are_not_read(text: str) -> None:
    assert [mention for mention in find_dates(text) if mention.precision == "day"] == []
    assert parse_date(text) is None


def test_a_month_with_a_year_and_no_day_is_read_as_a_month() -> None:
    (mention,) = find_dates("радионице у марту 2019. године")
    assert (mention.start, mention.precision) == (date(2019, 3, 1), "month")
    assert parse_date("u martu 2019.") is None


def test_several_dates_in_order() -> None:
    text = "Trebinje, 28.maj 2019.\n\nBijeljina, 30.maj 2019\n\n12.jun 2019."
    assert [mention.start for mention in find_dates(text)] == [date(2019, 5, 28), date(2019, 5, 30), date(2019, 6, 12)]


def test_a_date_without_its_year_takes_the_year_given() -> None:
    assert find_dates("održana je u petak, 15. marta u Tuzli") == []
    (mention,) = find_dates("održana je u petak, 15. marta u Tuzli", year=2019)
    assert (mention.start, mention.year_stated, mention.weekday_agrees) == (date(2019, 3, 15), False, True)
    (stated,) = find_dates("15. marta 2018.", year=2019)
    assert (stated.start, stated.year_stated) == (date(2018, 3, 15), True)
