"""Serbian dates and plurals, in each script (CLDR through Babel)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.dates import format_date as babel_format_date
from babel.plural import PluralRule

from ogpsite import translit
from ogpsite.core import i18n
from ogpsite.core.i18n import DATE_PATTERN, _locale, format_date, locale_data, month_name, ui_text
from ogpsite.sources.reader import LANGUAGES


def _spelt(text: str, language: str, script: str) -> str:
    """Babel's text, transliterated where CLDR has no locale of the language in the script (Croatian in Cyrillic)."""
    return translit.to_cyrillic(text) if i18n.transliterated(language, script) else text  # type: ignore[arg-type]


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
        assert format_date(day, language, script) == _spelt(babel_format_date(day, DATE_PATTERN, locale=_locale(language, script)), language, script)  # type: ignore[arg-type]


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
            assert data.months[context][width] == {month: _spelt(locale.months[context][width][month], language, script) for month in range(1, 13)}
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


def test_croatian_in_cyrillic_is_croatian_transliterated_and_montenegrin_is_cldrs_serbian_of_montenegro() -> None:
    assert format_date(date(2014, 3, 5), "hr", "cyrillic") == "5. ожујка 2014."
    assert format_date(date(2014, 3, 5), "hr", "latin") == "5. ožujka 2014."
    assert i18n.locale_id("cnr", "latin") == "sr_Latn_ME" and i18n.locale_id("cnr", "cyrillic") == "sr_Cyrl_ME"
    assert not any(i18n.transliterated(language, script) for language in ("sr", "bs", "cnr") for script in ("cyrillic", "latin"))


@pytest.mark.parametrize(("language", "latest", "search", "one_report"), [
    ("sr", "Najnoviji izveštaji", "Pretraga", "izveštaj"),
    ("bs", "Najnoviji izvještaji", "Pretraga", "izvještaj"),
    ("cnr", "Najnoviji izvještaji", "Pretraga", "izvještaj"),
    ("hr", "Najnovija izvješća", "Pretraživanje", "izvješće"),
])
def test_each_language_has_its_own_ui_words(language: str, latest: str, search: str, one_report: str) -> None:
    """Compared in Latin: Serbian's strings are written in Cyrillic, the others' in Latin."""
    assert translit.to_latin(ui_text("latest", language=language)) == latest
    assert translit.to_latin(ui_text("search", language=language)) == search
    assert translit.to_latin(ui_text("reports", 21, language)) == one_report


def test_every_language_gives_every_ui_string_and_no_ekavian_reaches_the_ijekavian_ones() -> None:
    """A key a language leaves out falls back to Serbian; the fallbacks of the ijekavian
    languages must not be the ekavian forms that differ (`izveštaj`, `sledeći`, `mesto`)."""
    ekavian = ("izveštaj", "sledeć", "mesto", "mesec", "pomerite")
    for language in ("bs", "hr", "cnr"):
        for key in i18n.UI:
            counts = (1, 2, 5) if isinstance(i18n.UI[key], dict) else (None,)
            for count in counts:
                text = translit.to_latin(ui_text(key, count, language)).lower()
                assert not any(form in text for form in ekavian), (language, key, text)
