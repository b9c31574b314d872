"""Report images published for the web with Pillow: a few widths in WebP and the original
format, EXIF orientation applied and every bit of metadata (GPS positions included) dropped;
`<img>` tags rewritten to offer them (`responsive`).

Each image's files are made once and kept in the build cache under a key of the image's
bytes and the image settings (`.ogpsite-cache/images/<key>/`). The store's index remembers
each source file's stat and key and each key's image: a warm build neither reads, digests,
decodes nor encodes an unchanged image (a file whose stat differs, as in a fresh clone, is
digested again: the key goes by bytes). Folders no build of the site used last are removed.
"""

from __future__ import annotations

import html
import os
import pickle
import posixpath
import re
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..core.errors import Problem, Severity
from ..core.model import Report
from ..core.settings import ImagesConfig
from ..sources.markup import EDITION_ROOT
from .cache import FileStat, digest, file_stat, trusted_stat
from .parallel import map_chunks

FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}  # what is resized; other files are copied as they are
MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_VERSION = "2"  # bump when the files made for an image change
_MANIFEST = "image.pickle"
_INDEX = "index.pickle"  # beside the image folders: {"stats": {source: (stat, key)}, "images": {key: image}}
# A relative image in a rendered body, after links are resolved: src is the report's attachment.
_IMG = re.compile(r'<img ([^>]*?)src="' + re.escape(EDITION_ROOT) + r'([^"]+)"([^>]*)>')
SIZES = "(min-width: 48rem) 46rem, 100vw"  # the theme's text column


@dataclass(frozen=True)
class Variant:
    """One published file of an image."""

    name: str  # beside the report page: `photo-480.webp`
    width: int
    height: int
    format: str  # Pillow's name: JPEG, PNG, WEBP
    digest: str  # of its bytes


@dataclass(frozen=True)
class PublishedImage:
    """An image as published: the file at its own name, and its smaller sizes."""

    key: str  # the store's: image bytes and settings
    name: str  # the attachment's file name
    width: int  # upright (EXIF orientation applied)
    height: int
    original: Variant  # at `name`: re-encoded without metadata, or the file itself (`keep_originals`)
    variants: tuple[Variant, ...]  # smaller widths, each in the original format and in WebP, narrowest first

    def widest(self, minimum: int) -> Variant:
        """The narrowest file of the original format at least `minimum` wide, else the widest (for `og:image`)."""
        own = [variant for variant in (*self.variants, self.original) if variant.format == self.original.format]
        return next((variant for variant in own if variant.width >= minimum), own[-1])


def is_image(name: str) -> bool:
    return posixpath.splitext(name)[1].lower() in FORMATS


def settings_key(config: ImagesConfig) -> str:
    """What an image's files are made with besides its bytes: the settings, Pillow's version."""
    return digest(_VERSION, metadata.version("pillow"), repr(config.widths), str(config.quality), str(config.keep_originals))


class ImageStore:
    """The cache folder of processed images, keyed by image bytes and settings."""

    def __init__(self, root: Path, config: ImagesConfig) -> None:
        self.root = root
        self.config = config
        self.settings = settings_key(config)
        self.made = 0  # images decoded and encoded for this store's builds (0 on a warm build)
        self.digested = 0  # image files read and digested (0 on a warm build)
        self._index = self._load_index()  # as the last build kept it: rewritten only when this one differs
        self._stats: dict[str, tuple[FileStat, str]] = dict(self._index.get("stats", {}))
        self._images: dict[str, PublishedImage | str] = self._index.get("images", {})

    def folder(self, key: str) -> Path:
        return self.root / key

    def key(self, source: Path) -> str:
        """The key of the image file `source`: by its bytes and the settings, or by the index
        when the file's stat is the one its key was made from (and not racily recent)."""
        stat = file_stat(source)
        remembered = self._stats.get(str(source))
        if remembered is not None and remembered[0] == stat:
            return remembered[1]
        read_at = time.time_ns()
        key = digest(self.settings, source.read_bytes())
        self.digested += 1
        trusted = trusted_stat(stat, read_at)
        if trusted is not None:
            self._stats[str(source)] = (trusted, key)
        return key

    def known(self, key: str) -> PublishedImage | str | None:
        """What `make` gave for `key`: the image, or why it could not be read; None if not made."""
        image = self._images.get(key)
        if image is not None and (self.folder(key) / _MANIFEST).is_file():
            return image
        try:
            with (self.folder(key) / _MANIFEST).open("rb") as stream:
                image = pickle.load(stream)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
            return None
        return image if isinstance(image, (PublishedImage, str)) else None

    def keep(self, used: dict[Path, str], images: dict[str, PublishedImage | str]) -> None:
        """Remember `used` (source file -> key) and `images` (key -> what `make` gave) for the
        next build, and remove every image folder this build does not use."""
        stats = {str(source): self._stats[str(source)] for source in used if str(source) in self._stats}
        index = {"settings": self.settings, "stats": stats, "images": images}
        if self.root.is_dir():
            for entry in os.scandir(self.root):
                if not entry.name.startswith(".") and entry.name != _INDEX and entry.name not in images:
                    shutil.rmtree(entry.path, ignore_errors=True)
        if index == self._index or (not images and not self.root.is_dir()):
            return
        self.root.mkdir(parents=True, exist_ok=True)
        work = self.root / f".{_INDEX}.{os.getpid()}.tmp"
        with work.open("wb") as stream:
            pickle.dump(index, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(work, self.root / _INDEX)

    def _load_index(self) -> dict[str, dict]:
        """The index the last build kept, if it was made with these settings."""
        try:
            with (self.root / _INDEX).open("rb") as stream:
                index = pickle.load(stream)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
            return {}
        return index if isinstance(index, dict) and index.get("settings") == self.settings else {}

    def make(self, key: str, name: str, source: Path) -> PublishedImage | str:
        """Process one image into its folder (written aside, then renamed into place); a file
        Pillow cannot read gives the reason instead, kept as well (it is not tried again)."""
        from PIL import Image

        folder = self.folder(key)
        work = folder.with_name(f".{key}.{os.getpid()}.tmp")
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        try:
            image: PublishedImage | str
            try:
                image = _process(source, key, name, work, self.config)
            except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:  # Pillow's ways of saying "not an image I can read"
                image = f"{type(error).__name__}: {error}"
            with (work / _MANIFEST).open("wb") as stream:
                pickle.dump(image, stream, protocol=pickle.HIGHEST_PROTOCOL)
            shutil.rmtree(folder, ignore_errors=True)
            os.replace(work, folder)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return image


def _process(source: Path, key: str, name: str, folder: Path, config: ImagesConfig) -> PublishedImage:
    from PIL import Image, ImageOps  # here: only builds with images pay for importing Pillow

    stem, extension = posixpath.splitext(name)
    image_format = FORMATS[extension.lower()]
    with Image.open(source) as opened:
        upright = ImageOps.exif_transpose(opened)  # a copy, turned as the camera meant; metadata is not carried into what is saved below
        upright.load()
    icc = upright.info.get("icc_profile")  # colour, not private: kept
    variants = []
    for width in sorted(set(config.widths)):
        if width >= upright.width:
            continue  # never upscaled
        height = max(1, round(upright.height * width / upright.width))
        resized = upright.resize((width, height), Image.Resampling.LANCZOS)
        for variant_format, suffix in ((image_format, extension.lower()), ("WEBP", ".webp")):
            variants.append(_save(resized, folder, f"{stem}-{width}{suffix}", variant_format, config.quality, icc))
    if config.keep_originals:
        shutil.copyfile(source, folder / name)
        original = Variant(name, upright.width, upright.height, image_format, digest((folder / name).read_bytes()))
    else:
        original = _save(upright, folder, name, image_format, config.quality, icc)
    return PublishedImage(key, name, upright.width, upright.height, original, tuple(variants))


def _save(image: object, folder: Path, name: str, image_format: str, quality: int, icc: bytes | None) -> Variant:
    """Save `image` as `name` with no metadata but its colour profile."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    options: dict[str, object] = {"quality": quality} if image_format in ("JPEG", "WEBP") else {"optimize": True}
    if image_format == "JPEG":
        options["progressive"] = True
    if image_format == "WEBP":
        # libwebp's effort 2 of 6 instead of Pillow's 4: at 1600 px a third of the time
        # (0.06 s against 0.14 s) for files about 5% larger; WebP encoding was half of an image's cost.
        options["method"] = 2
    if icc:
        options["icc_profile"] = icc
    path = folder / name
    image.save(path, image_format, **options)
    return Variant(name, image.width, image.height, image_format, digest(path.read_bytes()))


@dataclass(frozen=True)
class _Job:
    key: str
    name: str
    source: Path


def publish(reports: Sequence[Report], attachments: dict[str, set[str]], site_dir: Path,
            store: ImageStore) -> tuple[dict[str, dict[str, PublishedImage]], list[Problem]]:
    """Every image the reports publish, by report source and file name: from the store, or
    made now (on every core) for images it has not seen; and a warning for each image file
    that cannot be read (it is published as it is). `reports`: those that attach files
    (`LoadedSite.attaching`), in site order."""
    published: dict[str, dict[str, PublishedImage]] = {}
    jobs: dict[str, _Job] = {}
    wanted: list[tuple[Report, str, str]] = []  # (report, name, key)
    used: dict[Path, str] = {}  # image file -> key
    for report in reports:
        for name in sorted(name for name in attachments[report.source] if is_image(name)):
            source = site_dir / posixpath.dirname(report.source) / name
            key = store.key(source)
            used[source] = key
            wanted.append((report, name, key))
            if key not in jobs:
                jobs[key] = _Job(key, name, source)
    known = {key: store.known(key) for key in jobs}
    missing = [job for key, job in jobs.items() if known[key] is None or (isinstance(known[key], PublishedImage) and known[key].name != job.name)]  # type: ignore[union-attr]

    def make_chunk(chunk: Sequence[_Job]) -> list[tuple[str, PublishedImage | str]]:
        return [(job.key, store.make(job.key, job.name, job.source)) for job in chunk]

    for _, made in map_chunks(make_chunk, missing):
        for key, image in made:
            known[key] = image
    store.made += len(missing)
    store.keep(used, known)  # type: ignore[arg-type]  # every key is known by now
    problems = []
    for report, name, key in wanted:
        image = known[key]
        if isinstance(image, PublishedImage):
            published.setdefault(report.source, {})[name] = image
        else:
            message = f"image `{name}` cannot be read ({image}): published as it is, in one size"
            problems.append(Problem(report.source, report.body_line, message, Severity.WARNING))
    return published, problems


def files(published: dict[str, dict[str, PublishedImage]], reports: Sequence[Report], store: ImageStore) -> dict[str, tuple[Path, str]]:
    """Edition-relative output path -> (file in the store, digest) of every published image file
    of `reports` (those that attach files, in site order)."""
    result = {}
    for report in reports:
        for image in published.get(report.source, {}).values():
            for variant in (image.original, *image.variants):
                result[report.path + variant.name] = (store.folder(image.key) / variant.name, variant.digest)
    return result


def responsive(body_html: str, images: dict[str, PublishedImage], report_path: str) -> str:
    """`<img>` tags of published images as `<picture>`: WebP and original-format `srcset`s,
    `width` and `height` (no layout shift), lazy loading but for the first image."""
    first = True

    def replace(match: re.Match[str]) -> str:
        nonlocal first
        before, target, after = match.groups()
        directory, _, name = target.rpartition("/")
        image = images.get(name)
        if image is None or directory + "/" != report_path:
            return match.group(0)
        loading = "eager" if first else "lazy"
        first = False
        base = EDITION_ROOT + report_path
        own = [variant for variant in (*image.variants, image.original) if variant.format == image.original.format]
        webp = [variant for variant in image.variants if variant.format == "WEBP"]
        attributes = f'{before}src="{base}{html.escape(image.original.name)}"{after}'.replace(" />", "").rstrip(" /")
        srcset = ", ".join(f"{base}{html.escape(variant.name)} {variant.width}w" for variant in own)
        tag = (f'<img {attributes} srcset="{srcset}" sizes="{SIZES}" width="{image.width}" height="{image.height}" '
               f'loading="{loading}" decoding="async">')
        if not webp or image.original.format == "WEBP":
            return tag
        webp_set = ", ".join(f"{base}{html.escape(variant.name)} {variant.width}w" for variant in webp)
        return f'<picture><source type="image/webp" srcset="{webp_set}" sizes="{SIZES}">{tag}</picture>'

    return _IMG.sub(replace, body_html) if images else body_html


def oversized(reports: Sequence[Report], attachments: dict[str, set[str]], site_dir: Path, config: ImagesConfig,
              line_of: Callable[[Report, str], int]) -> list[Problem]:
    """A warning for each published image file larger than the site allows (`images.max_kb`),
    at the line `line_of` finds the image's name on. `reports`: those that attach files."""
    problems = []
    for report in reports:
        for name in sorted(attachments[report.source]):
            if not is_image(name):
                continue
            size = (site_dir / posixpath.dirname(report.source) / name).stat().st_size
            if size > config.max_kb * 1024:
                message = f"image `{name}` is {size // 1024} KB, over the site's {config.max_kb} KB (images.max_kb): make it smaller before publishing"
                problems.append(Problem(report.source, line_of(report, name), message, Severity.WARNING))
    return problems
