"""Typed configuration: defaults, overrides, and located errors with suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogpsite.core.errors import BuildError
from ogpsite.sources.config import load_config


def write_config(tmp_path: Path, text: str) -> Path:
    (tmp_path / "ogpsite.yml").write_text(text, encoding="utf-8")
    return tmp_path


def config_errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(BuildError) as raised:
        load_config(write_config(tmp_path, text))
    return [str(problem) for problem in raised.value.problems]


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert (config.default_script, config.per_page, config.base_path) == ("cyrillic", 10, "/")


def test_base_url_gives_path_and_absolute_urls(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, "base_url: https://owner.github.io/repo\n"))
    assert config.base_path == "/repo/"
    assert config.absolute(config.base_path + "lat/") == "https://owner.github.io/repo/lat/"


def test_command_line_override_wins(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, "base_url: https://a.org/\n"), {"base_url": "https://b.org/x/", "title": None})
    assert config.base_url == "https://b.org/x/" and config.base_path == "/x/"


def test_nested_settings_are_typed(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, "translit:\n  dictionary:\n    - {cyrillic: Ћ, latin: Ć}\n  split_stems: [injek]\n  split_names: [Donjon]\n"))
    assert config.translit.dictionary[0].latin == "Ć"
    assert config.translit.split_stems == ("injek",)
    assert config.translit.split_names == ("Donjon",)


def test_unknown_and_mistyped_settings_are_all_reported(tmp_path: Path) -> None:
    text = "title: X\nper_pag: 3\ntranslit:\n  splitstems: [x]\ndefault_script: lat\nper_page: many\n"
    assert config_errors(tmp_path, text) == [
        "ogpsite.yml:2: unknown setting `per_pag` (did you mean `per_page`?)",
        "ogpsite.yml:4: unknown setting `splitstems` (did you mean `split_stems`?)",
        "ogpsite.yml:5: `default_script`: expected one of latin, cyrillic, got `lat`",
        "ogpsite.yml:6: `per_page`: expected a whole number, got `many`",
    ]


def test_relative_base_url_is_refused(tmp_path: Path) -> None:
    assert config_errors(tmp_path, "base_url: /repo/\n") == [
        "ogpsite.yml:1: base_url `/repo/` must be an absolute http(s) URL, like https://example.org/repo/"
    ]


def test_config_yaml_syntax_error(tmp_path: Path) -> None:
    assert config_errors(tmp_path, "title: X\nper_page: [1\n")[0].startswith("ogpsite.yml:2: invalid YAML")
