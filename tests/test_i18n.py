"""Serbian dates and plurals, in each script (CLDR through Babel)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.dates import format_date as babel_format_date

from ogpsite.i18n import DATE_PATTERN, _locale, format_date, month_name, ui_text
from ogpsite.reader import LANGUAGES


def test_dates_are_written_the_serbian_way_in_each_script() -> None:
    assert format_date(date(2014, 3, 5), "sr", "cyrillic") == "5. март 2014."
    assert format_date(date(2014, 3, 5), "sr", "latin") == "5. mart 2014."
    assert format_date(date(2016, 10, 24), "bs", "latin") == "24. oktobar 2016."
    assert month_name(12, "sr", "cyrillic") == "децембар"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("script", ["cyrillic", "latin"])
def test_dates_are_written_as_babel_writes_the_pattern(language: str, script: str) -> None:
    """`format_date` writes the pattern out itself, for speed: every day of a leap year, and
    days of other centuries, as Babel formats `DATE_PATTERN` in the same locale."""
    days = [date(2024, 1, 1) + timedelta(days=offset) for offset in range(366)] + [date(1999, 12, 31), date(2100, 2, 28)]
    for day in days:
        assert format_date(day, language, script) == babel_format_date(day, DATE_PATTERN, locale=_locale(language, script))  # type: ignore[arg-type]


@pytest.mark.parametrize(("count", "noun"), [(1, "извештај"), (3, "извештаја"), (5, "извештаја"), (21, "извештај"), (22, "извештаја"), (11, "извештаја")])
def test_plural_forms_follow_cldr(count: int, noun: str) -> None:
    assert ui_text("reports", count) == noun
