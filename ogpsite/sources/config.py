"""`ogpsite.yml` read into the typed configuration (`core.settings`); unknown keys are errors with a suggestion."""

from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from ..core.errors import BuildError, Problem, suggestion
from ..core.settings import Config
from . import yamltext
from .markup import sanitizer_refusal

CONFIG_FILE = "ogpsite.yml"
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def find_site(start: Path) -> Path | None:
    """The nearest of `start` and the folders above it that holds `ogpsite.yml`, as git finds
    `.git`: every command works from anywhere inside a site (`content/reports/2014/`, say)."""
    start = start.absolute()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return None


NOT_A_SITE = f"not a site: no {CONFIG_FILE} and no content/ folder here (use --site DIR, or `ogpsite init DIR` to start a site)"


def is_site(site_dir: Path) -> bool:
    """A site has `ogpsite.yml` (every setting is optional) or at least a `content/` folder."""
    return (site_dir / CONFIG_FILE).is_file() or (site_dir / "content").is_dir()


def load_config(site_dir: Path, overrides: dict[str, Any] | None = None) -> Config:
    """Read `ogpsite.yml` (optional) and apply command-line overrides; raise BuildError."""
    config_path = site_dir / CONFIG_FILE
    if not config_path.exists():
        return parse_config("", overrides)
    try:
        text = config_path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise BuildError([Problem(CONFIG_FILE, 0, f"not UTF-8 (byte {error.start})")]) from None
    return parse_config(text, overrides)


def parse_config(text: str, overrides: dict[str, Any] | None = None) -> Config:
    """`ogpsite.yml`'s text (may be empty) with command-line overrides applied; raise BuildError."""
    shown = CONFIG_FILE
    raw: dict[str, Any] = {}
    lines = yamltext.YamlDocument({}, {})
    if text:
        try:
            lines = yamltext.parse(text)
        except yamltext.YamlSyntaxError as error:
            raise BuildError([Problem(shown, error.line, error.message)]) from None
        if lines.data is None:
            lines.data = {}
        if not isinstance(lines.data, dict):
            raise BuildError([Problem(shown, 1, "expected a mapping of settings")])
        raw = dict(lines.data)
    raw.update({key: value for key, value in (overrides or {}).items() if value is not None})
    problems: list[Problem] = []
    config = _build(Config, raw, (), lines, shown, problems)
    problems.extend(_check_values(config, lines, shown))
    if problems:
        raise BuildError(problems)
    return config


def _check_values(config: Config, lines: yamltext.YamlDocument, shown: str) -> list[Problem]:
    problems = []
    parts = urlsplit(config.base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problems.append(
            Problem(shown, lines.line("base_url"), f"base_url `{config.base_url}` must be an absolute http(s) URL, like https://example.org/repo/")
        )
    if config.per_page < 1:
        problems.append(Problem(shown, lines.line("per_page"), "per_page must be at least 1"))
    images = config.images
    if not images.widths or min(images.widths) < 16:
        problems.append(Problem(shown, lines.line("images", "widths"), "images.widths must list widths of at least 16 pixels"))
    if not 1 <= images.quality <= 100:
        problems.append(Problem(shown, lines.line("images", "quality"), "images.quality must be between 1 and 100"))
    if config.theme_color and not _COLOR.match(config.theme_color):
        problems.append(Problem(shown, lines.line("theme_color"), f"theme_color `{config.theme_color}` must be a hex colour like #0b5394"))
    refusal = sanitizer_refusal(config.sanitize.tags, config.sanitize.attributes)
    if refusal:
        problems.append(Problem(shown, lines.line("sanitize", "tags"), refusal))
    if config.editions.latin == config.editions.cyrillic:
        problems.append(Problem(shown, lines.line("editions"), "the two editions need different paths"))
    return problems


def _build(cls: type, raw: Any, path: tuple, lines: yamltext.YamlDocument, shown: str, problems: list[Problem]) -> Any:
    """Instantiate dataclass `cls` from `raw`, collecting a Problem per bad or unknown key."""
    if not isinstance(raw, dict):
        problems.append(Problem(shown, lines.line(*path), f"`{'.'.join(map(str, path))}` must be a mapping"))
        return cls()
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            problems.append(Problem(shown, lines.line(*path, key), f"unknown setting `{key}`{suggestion(str(key), known)}"))
            continue
        try:
            values[key] = _coerce(hints[key], value, path + (key,), lines, shown, problems)
        except (TypeError, ValueError) as error:
            problems.append(Problem(shown, lines.line(*path, key), f"`{'.'.join(map(str, path + (key,)))}`: {error}"))
    return cls(**values)


def _coerce(hint: Any, value: Any, path: tuple, lines: yamltext.YamlDocument, shown: str, problems: list[Problem]) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, path, lines, shown, problems)
    if origin is Literal:
        if value not in args:
            raise ValueError(f"expected one of {', '.join(map(str, args))}, got `{value}`")
        return value
    if origin is tuple:
        if not isinstance(value, list):
            raise TypeError("expected a list")
        return tuple(_coerce(args[0], item, path + (index,), lines, shown, problems) for index, item in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise TypeError("expected a mapping")
        return {str(key): _coerce(args[1], item, path + (key,), lines, shown, problems) for key, item in value.items()}
    if hint is bool:
        if not isinstance(value, bool):
            raise TypeError(f"expected true or false, got `{value}`")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"expected a whole number, got `{value}`")
        return value
    if hint is str:
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise TypeError(f"expected text, got `{value}`")
        return str(value)
    return value
