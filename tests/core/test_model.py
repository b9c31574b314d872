"""Slugs and merge keys: the same in both scripts, ASCII, diacritic-insensitive."""

from __future__ import annotations

import pickle

import pytest

from ogpsite.core.model import FieldLines, merge_key, slugify


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


def test_field_lines_survive_pickling_and_fall_back_to_the_parent_field() -> None:
    lines = FieldLines({("title",): 2, ("institutions",): 4, ("institutions", 1): 6, ("odd\x1fkey",): 9})
    restored = pickle.loads(pickle.dumps(lines))
    assert restored.get(("institutions", 1)) == 6 and restored.get(("title",)) == 2
    assert ("institutions", 0) not in restored and restored.get(("odd\x1fkey",)) is None  # a key it cannot pack is left out
    assert repr(restored) == repr(lines)
