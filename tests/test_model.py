"""Slugs and merge keys: the same in both scripts, ASCII, diacritic-insensitive."""

from __future__ import annotations

import pytest

from ogpsite.model import merge_key, slugify


@pytest.mark.parametrize(
    ("cyrillic", "latin", "slug"),
    [
        ("Ђорђевић", "Đorđević", "djordjevic"),
        ("Радионица у Коњицу", "Radionica u Konjicu", "radionica-u-konjicu"),
        ("Џеп и љиљан", "Džep i ljiljan", "dzep-i-ljiljan"),
        ("Шабац — „Чачак“", "Šabac — „Čačak“", "sabac-cacak"),
    ],
)
def test_slug_is_the_same_in_both_scripts(cyrillic: str, latin: str, slug: str) -> None:
    assert slugify(cyrillic) == slugify(latin) == slug


def test_merge_key_ignores_script_case_diacritics_and_punctuation() -> None:
    spellings = ["Агенција за статистику БиХ", "Agencija za statistiku BiH", "AGENCIJA ZA STATISTIKU BIH", "Agencija za statistiku, BiH"]
    assert len({merge_key(name) for name in spellings}) == 1
    assert merge_key("Агенција за статистику БиХ") != merge_key("Агенција за државну службу БиХ")
