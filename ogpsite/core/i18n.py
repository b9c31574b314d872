"""Dates, plural forms and UI strings in Serbian, Bosnian, Croatian or Montenegrin, in either script.

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

from .. import translit
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
    "search_so_far": "до сада (претражено уназад до #; старије године уз „Још резултата”)",
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
    "breadcrumbs": "Путања",
    "previous_report": "Претходни извештај",
    "next_report": "Следећи извештај",
    "related": "Сродни извештаји",
    "first_page": "Прва страна",
    "last_page": "Последња страна",
    "table": "Табела",
    "table_hint": "Табела је шира од екрана: померите је у страну.",
    "gallery": "Галерија",
    "search_archive": "Претражите архиву",
    "reports": {"one": "извештај", "few": "извештаја", "other": "извештаја"},
    "institutions_count": {"one": "институција", "few": "институције", "other": "институција"},
}
# Where Bosnian, Croatian and Montenegrin say it otherwise: ijekavian forms and each language's
# own words. Written once, in Latin (each language's usual script), transliterated like the rest.
_IJEKAVIAN = {
    "latest": "Najnoviji izvještaji",
    "place": "Mjesto",
    "search_label": "Šta tražite",
    "no_results": "Nijedan izvještaj ne odgovara pretrazi.",
    "next": "Sljedeća strana",
    "not_found_text": "Tražena stranica ne postoji. Izaberite izdanje arhive:",
    "month": "Mjesec",
    "previous_report": "Prethodni izvještaj",
    "next_report": "Sljedeći izvještaj",
    "related": "Srodni izvještaji",
    "table_hint": "Tabela je šira od ekrana: pomjerite je u stranu.",
    "search_archive": "Pretražite arhivu",
    "reports": {"one": "izvještaj", "few": "izvještaja", "other": "izvještaja"},
}
UI_LANGUAGES: dict[str, dict[str, str | dict[str, str]]] = {
    "bs": {**_IJEKAVIAN, "search": "Pretraga", "search_needs_script": "Pretraga radi samo u pregledniku s uključenim skriptama.",
           "table": "Tabela"},
    "cnr": {**_IJEKAVIAN, "search_needs_script": "Pretraga radi samo u pregledaču sa uključenim skriptama."},
    "hr": {
        **_IJEKAVIAN,
        "latest": "Najnovija izvješća",
        "tags": "Oznake",
        "years": "Godine",
        "navigation": "Glavni izbornik",
        "pages": "Stranice",
        "source": "Izvor",
        "summary": "Sažetak",
        "search": "Pretraživanje",
        "search_label": "Što tražite",
        "all_years": "Sve godine",
        "no_results": "Nijedno izvješće ne odgovara pretraživanju.",
        "search_needs_script": "Pretraživanje radi samo u pregledniku s uključenim skriptama.",
        "feed": "Atom feed",
        "skip": "Prijeđi na sadržaj",
        "page": "Stranica",
        "next": "Sljedeća stranica",
        "previous": "Prethodna stranica",
        "not_found": "Stranica nije pronađena",
        "not_found_text": "Tražena stranica ne postoji. Odaberite izdanje arhive:",
        "choose": "Odaberite pismo",
        "month": "Mjesec",
        "total": "Ukupno",
        "attachments": "Prilozi",
        "breadcrumbs": "Putanja",
        "previous_report": "Prethodno izvješće",
        "next_report": "Sljedeće izvješće",
        "related": "Srodna izvješća",
        "first_page": "Prva stranica",
        "last_page": "Posljednja stranica",
        "table": "Tablica",
        "table_hint": "Tablica je šira od zaslona: pomaknite je u stranu.",
        "search_archive": "Pretražite arhiv",
        "archive": "Arhiv",
        "reports": {"one": "izvješće", "few": "izvješća", "other": "izvješća"},
    },
}


# CLDR's locale for a language in a script; None where CLDR has none (Croatian in Cyrillic):
# the Latin one's names are transliterated (`locale_data`).
_LOCALES: dict[tuple[str, Script], str | None] = {
    ("sr", "cyrillic"): "sr", ("sr", "latin"): "sr_Latn",
    ("bs", "cyrillic"): "bs_Cyrl", ("bs", "latin"): "bs",
    ("hr", "cyrillic"): None, ("hr", "latin"): "hr",
    ("cnr", "cyrillic"): "sr_Cyrl_ME", ("cnr", "latin"): "sr_Latn_ME",
}


def locale_id(language: str, script: Script) -> str:
    """Babel locale: `sr` is Cyrillic in CLDR and `bs` Latin; the other script is a variant;
    Montenegrin is CLDR's Serbian of Montenegro. A locale CLDR lacks is named by its script's
    variant (`hr_Cyrl`), which `_locale` does not find."""
    known = _LOCALES.get((language, script))
    if known:
        return known
    native_cyrillic = language in ("sr",)
    if (script == "cyrillic") == native_cyrillic:
        return language
    return f"{language}_{'Cyrl' if script == 'cyrillic' else 'Latn'}"


def transliterated(language: str, script: Script) -> bool:
    """Whether CLDR has no locale of `language` in `script`: the other script's is transliterated."""
    return (language, script) in _LOCALES and _LOCALES[(language, script)] is None


@lru_cache(maxsize=None)
def _locale(language: str, script: Script) -> Locale:
    if transliterated(language, script):
        return _locale(language, "latin" if script == "cyrillic" else "cyrillic")
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
        spell = translit.to_cyrillic if script == "cyrillic" else translit.to_latin
        if not transliterated(language, script):
            spell = str
        months = {context: {width: {month: spell(name) for month, name in names.items()} for width, names in widths.items()}
                  for context, widths in locale.months.items()}
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
    """A UI string of `language`, as written (Serbian in Cyrillic, the others in Latin: the
    caller transliterates); plural entries take `count`."""
    entry = UI_LANGUAGES.get(language, {}).get(key) or UI[key]
    if isinstance(entry, dict):
        if count is None:
            raise ValueError(f"UI string {key!r} needs a count")
        return entry.get(plural_category(count, language), entry["other"])
    return entry
