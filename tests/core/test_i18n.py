"""Serbian dates and plurals, in each script (CLDR through Babel)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.dates import format_date as babel_format_date
from babel.plural import PluralRule

from ogpsite.core import i18n
from ogpsite.core.i18n import DATE_PATTERN, _locale, format_date, locale_data, month_name, ui_text
from ogpsite.sources.reader import LANGUAGES


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


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("script", ["cyrillic", "latin"])
def test_kept_locale_data_is_babels(language: str, script: str) -> None:
    """What a build keeps of CLDR (`locale_data`) gives what Babel gives: every month name in
    every context and width, and every plural category."""
    data = locale_data(language, script)
    locale = _locale(language, script)  # type: ignore[arg-type]
    for context in ("format", "stand-alone"):
        for width in ("abbreviated", "narrow", "wide"):
            assert data.months[context][width] == {month: locale.months[context][width][month] for month in range(1, 13)}
    rule = PluralRule(data.plural_rules)
    assert [rule(count) for count in range(1000)] == [locale.plural_form(count) for count in range(1000)]


def test_locale_data_handed_over_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker inherits the data its build loaded (`use_locale_data`) instead of asking Babel."""
    monkeypatch.setattr(i18n, "_known", {})
    monkeypatch.setattr(i18n, "_locale", None)  # Babel is not asked
    months = {context: {width: {month: f"m{month}" for month in range(1, 13)} for width in ("abbreviated", "narrow", "wide")} for context in ("format", "stand-alone")}
    i18n.use_locale_data({("sr", "latin"): i18n.LocaleData(months, {"one": "n is 1"})})
    assert format_date(date(2014, 3, 5), "sr", "latin") == "5. m3 2014."
    assert month_name(4, "sr", "latin", "abbreviated") == "m4"


def test_a_build_keeps_locale_data_in_its_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ogpsite.build.cache import kept_locale_data

    first = kept_locale_data(tmp_path, LANGUAGES)
    assert first == {(language, script): locale_data(language, script) for language in LANGUAGES for script in ("cyrillic", "latin")}
    monkeypatch.setattr(i18n, "locale_data", None)  # the second build reads the file
    assert kept_locale_data(tmp_path, LANGUAGES) == first
