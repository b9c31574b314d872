"""Dates, plural forms and UI strings in Serbian (or Bosnian), in either script.

CLDR data (through Babel) gives month names and plural rules; UI strings are written once,
in Cyrillic, and transliterated for the Latin edition by the caller's converter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from babel import Locale
from babel.plural import PluralRule

from ..translit import Script

# Written once. Plural entries map CLDR categories (one/few/other) to the noun form.
UI: dict[str, str | dict[str, str]] = {
    "archive": "Архива",
    "latest": "Најновији извештаји",
    "institutions": "Институције",
    "institution": "Институција",
    "tags": "Ознаке",
    "tag": "Ознака",
    "years": "Године",
    "year": "Година",
    "navigation": "Главни мени",
    "pages": "Странице",
    "place": "Место",
    "source": "Извор",
    "summary": "Сажетак",
    "search": "Претрага",
    "search_label": "Шта тражите",
    "all_institutions": "Све институције",
    "all_years": "Све године",
    "no_results": "Ниједан извештај не одговара претрази.",
    "more_results": "Још резултата",
    "search_needs_script": "Претрага ради само у прегледачу са укљученим скриптама.",
    "feed": "Атом фид",
    "skip": "Пређи на садржај",
    "page": "Страна",
    "next": "Следећа страна",
    "previous": "Претходна страна",
    "not_found": "Страница није пронађена",
    "not_found_text": "Тражена страница не постоји. Изаберите издање архиве:",
    "choose": "Изаберите писмо",
    "cyrillic": "Ћирилица",
    "latin": "Латиница",
    "month": "Месец",
    "total": "Укупно",
    "attachments": "Прилози",
    "reports": {"one": "извештај", "few": "извештаја", "other": "извештаја"},
    "institutions_count": {"one": "институција", "few": "институције", "other": "институција"},
}


def locale_id(language: str, script: Script) -> str:
    """Babel locale: `sr` is Cyrillic in CLDR and `bs` Latin; the other script is a variant."""
    native_cyrillic = language in ("sr",)
    if (script == "cyrillic") == native_cyrillic:
        return language
    return f"{language}_{'Cyrl' if script == 'cyrillic' else 'Latn'}"


@lru_cache(maxsize=None)
def _locale(language: str, script: Script) -> Locale:
    try:
        return Locale.parse(locale_id(language, script))
    except (ValueError, LookupError):
        return Locale.parse(locale_id("sr", script))


@dataclass(frozen=True)
class LocaleData:
    """What pages take from CLDR for one language in one script. Babel loads a whole locale
    to give it (a twentieth of a second per process that renders), so a build keeps it
    (`use_locale_data`) and worker processes inherit it."""

    months: dict[str, dict[str, dict[int, str]]]  # context (`format`, `stand-alone`) -> width -> month -> name
    plural_rules: dict[str, str]  # CLDR plural category -> its rule (`other` for the rest)


_known: dict[tuple[str, Script], LocaleData] = {}


def locale_data(language: str, script: Script) -> LocaleData:
    data = _known.get((language, script))
    if data is None:
        locale = _locale(language, script)
        months = {context: {width: dict(names.items()) for width, names in widths.items()} for context, widths in locale.months.items()}
        data = _known[(language, script)] = LocaleData(months, dict(locale.plural_form.rules))
    return data


def use_locale_data(known: Mapping[tuple[str, Script], LocaleData]) -> None:
    """Take `known` (made by `locale_data`, maybe in another process) instead of asking Babel."""
    _known.update(known)


DATE_PATTERN = "d. MMMM y."  # CLDR pattern of `format_date`


def format_date(value: date, language: str, script: Script) -> str:
    """`5. март 2014.` / `5. mart 2014.`: `DATE_PATTERN`, written out here because list pages
    show thousands of dates and Babel takes 20 µs to format one."""
    return f"{value.day}. {locale_data(language, script).months['format']['wide'][value.month]} {value.year}."


def month_name(month: int, language: str, script: Script, width: str = "wide") -> str:
    """Stand-alone month name, for archive headings: `март` (`мар` abbreviated)."""
    return locale_data(language, script).months["stand-alone"][width][month]


def month_year(year: int, month: int, language: str, script: Script) -> str:
    """`март 2014.`"""
    return f"{month_name(month, language, script)} {year}."


def plural_category(count: int, language: str) -> str:
    return _plural_rule(language)(count)


@lru_cache(maxsize=None)
def _plural_rule(language: str) -> PluralRule:
    return PluralRule(locale_data(language, "cyrillic").plural_rules)


def ui_text(key: str, count: int | None = None, language: str = "sr") -> str:
    """A UI string in Cyrillic; plural entries take `count` (the caller transliterates)."""
    entry = UI[key]
    if isinstance(entry, dict):
        if count is None:
            raise ValueError(f"UI string {key!r} needs a count")
        return entry.get(plural_category(count, language), entry["other"])
    return entry
