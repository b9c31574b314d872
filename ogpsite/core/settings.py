"""The typed site configuration: what `ogpsite.yml` may say, with its defaults. Pure: no I/O.

`sources.config` reads the file into these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

Script = Literal["latin", "cyrillic"]


@dataclass(frozen=True)
class DictionaryEntry:
    """A fixed rendering: this Cyrillic text is always this Latin text, and back."""

    cyrillic: str
    latin: str


@dataclass(frozen=True)
class TranslitConfig:
    dictionary: tuple[DictionaryEntry, ...] = ()
    split_stems: tuple[str, ...] = ()  # extra stems where Latin n+j / d+ž are two letters
    split_names: tuple[str, ...] = ()  # extra foreign names where Latin n+j / d+ž are two letters


@dataclass(frozen=True)
class SanitizeConfig:
    """Widens the allow-list of raw HTML kept in report bodies."""

    tags: tuple[str, ...] = ()
    attributes: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class EditionPaths:
    latin: str = "lat"
    cyrillic: str = "cyr"


@dataclass(frozen=True)
class ImagesConfig:
    """How report images are published (`build.images`)."""

    widths: tuple[int, ...] = (480, 960, 1600)  # never wider than the original
    quality: int = 82  # JPEG and WebP
    keep_originals: bool = False  # publish the original file byte for byte (metadata and all)
    max_kb: int = 2048  # `check` warns about an image file larger than this


@dataclass(frozen=True)
class Config:
    title: str = "Архива извештаја"
    description: str = ""
    base_url: str = "http://127.0.0.1:8000/"
    language: str = "sr"
    default_script: Script = "cyrillic"
    editions: EditionPaths = field(default_factory=EditionPaths)
    theme: str = "default"
    per_page: int = 10
    feed_entries: int = 20
    cname: str = ""
    search: bool = True  # a Pagefind index and search page, when Pagefind is installed
    translit: TranslitConfig = field(default_factory=TranslitConfig)
    sanitize: SanitizeConfig = field(default_factory=SanitizeConfig)
    images: ImagesConfig = field(default_factory=ImagesConfig)
    # Who publishes the archive (schema.org `publisher`; a report's `author` when it names no institution).
    publisher: str = ""
    theme_color: str = ""  # `<meta name="theme-color">`; empty: the theme's own

    @property
    def base_path(self) -> str:
        """The path every site URL starts with: `/` or `/repo/`."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def origin(self) -> str:
        """`https://host` of `base_url`, for absolute URLs in feeds and sitemaps."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def absolute(self, site_path: str) -> str:
        """Absolute URL of a root-relative path that already carries the base path."""
        return self.origin + site_path
