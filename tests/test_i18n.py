"""Serbian dates and plurals, in each script (CLDR through Babel)."""

from __future__ import annotations

from datetime import date

import pytest

from ogpsite.i18n import format_date, month_name, ui_text


def test_dates_are_written_the_serbian_way_in_each_script() -> None:
    assert format_date(date(2014, 3, 5), "sr", "cyrillic") == "5. март 2014."
    assert format_date(date(2014, 3, 5), "sr", "latin") == "5. mart 2014."
    assert format_date(date(2016, 10, 24), "bs", "latin") == "24. oktobar 2016."
    assert month_name(12, "sr", "cyrillic") == "децембар"


@pytest.mark.parametrize(("count", "noun"), [(1, "извештај"), (3, "извештаја"), (5, "извештаја"), (21, "извештај"), (22, "извештаја"), (11, "извештаја")])
def test_plural_forms_follow_cldr(count: int, noun: str) -> None:
    assert ui_text("reports", count) == noun
