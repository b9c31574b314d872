"""WordPress exports (WXR): posts and pages, their attachments, and their old permalinks.

The XML is read with lxml (namespaced, large exports, errors with their line); the HTML with
markdownify, extended where WordPress's HTML needs it: paragraphs made from blank lines as
WordPress's `wpautop` makes them, `[caption]` shortcodes as figures with their caption, images
in the original size rather than the `-1024x683` variant, links to uploads rewritten to the
report's own copies.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from ..core.errors import OgpsiteError
from ..core.model import slugify
from .feed import source_language
from .html_markdown import html_to_markdown, needs
from .items import Item, aliases_of, free_name

_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_POST_TYPES = ("post", "page")
_DRAFT_STATUSES = ("draft", "pending", "private", "future")
_NO_CATEGORY = frozenset({"uncategorized", "bez-kategorije", "nekategorisano", "без-категорије"})
_SIZE_VARIANT = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
_UPLOADS = "/wp-content/uploads/"
_BLOCK_START = re.compile(r"^\s*<(?:p|div|ul|ol|li|h[1-6]|blockquote|table|figure|pre|hr|dl|address|section|form)[\s>/]", re.IGNORECASE)
_CAPTION = re.compile(r"\[caption[^\]]*\](?P<inner>.*?)\[/caption\]", re.DOTALL)
_CAPTION_PARTS = re.compile(r"^\s*(?P<media>(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(?P<text>.*)$", re.DOTALL)
_SHORTCODE = re.compile(r"\[/?(?:gallery|embed|audio|video|playlist|wp_[a-z_]+|vc_[a-z_]+)[^\]]*\]")
_UPLOAD_LINK = re.compile(r"""(?P<attr>\b(?:src|href)=["'])(?P<url>[^"']*?/wp-content/uploads/[^"']+)(?P<end>["'])""")
FETCH_TIMEOUT = 10


@dataclass
class Export:
    """What the whole export says that each item needs: its language, attachments by post."""

    language: str  # the site's, when it is one the archive knows (WordPress says `en-US` by default)
    attachments: dict[str, str] = field(default_factory=dict)  # attachment post id -> URL
    children: dict[str, list[str]] = field(default_factory=dict)  # post id -> its attachments' URLs


def _wp(tag: str, namespace: str) -> str:
    return f"{{{namespace}}}{tag}"


def _parse(path: Path) -> Any:
    needs("lxml")
    from lxml import etree

    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True, strip_cdata=False)
    try:
        return etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as error:
        raise OgpsiteError(f"{path}:{error.lineno}: not a readable WordPress export: {error.msg}") from None


def _namespace(root: Any, path: Path) -> str:
    for uri in root.nsmap.values():
        if uri and re.fullmatch(r"http://wordpress\.org/export/\d+\.\d+/", uri):
            return uri
    raise OgpsiteError(f"{path}: not a WordPress export (no wp: namespace); try --from feed")


def read_wxr(path: Path, shown: str, uploads: Path | None, downloads: Path | None = None) -> list[Item]:
    """Every post and page of the export (not revisions, menus or trash), in the export's order.
    Attachments not below `uploads` are downloaded into `downloads` (with None: not at all)."""
    root = _parse(path)
    wp = _namespace(root, path)
    channel = root.find("channel")
    if channel is None:
        raise OgpsiteError(f"{path}: no <channel> in the export")
    export = Export(source_language(channel.findtext("language") or ""))
    elements = channel.findall("item")
    for element in elements:
        if element.findtext(_wp("post_type", wp)) == "attachment":
            url = element.findtext(_wp("attachment_url", wp)) or ""
            export.attachments[element.findtext(_wp("post_id", wp)) or ""] = url
            export.children.setdefault(element.findtext(_wp("post_parent", wp)) or "0", []).append(url)
    items = []
    for element in elements:
        status = element.findtext(_wp("status", wp)) or ""
        if element.findtext(_wp("post_type", wp)) in _POST_TYPES and (status == "publish" or status in _DRAFT_STATUSES):
            items.append(_item(element, wp, export, shown, uploads, downloads))
    return items


def _item(element: Any, wp: str, export: Export, shown: str, uploads: Path | None, downloads: Path | None) -> Item:
    post_id = element.findtext(_wp("post_id", wp)) or ""
    notes: list[str] = []
    permalink = (element.findtext("link") or "").strip()
    attachments = _Attachments(uploads, downloads, notes)
    html = attachments.rewrite(wordpress_html(element.findtext(_CONTENT) or ""))
    for url in export.children.get(post_id, []):
        attachments.add(url)
    thumbnail = _meta(element, wp, "_thumbnail_id")
    if thumbnail in export.attachments:
        attachments.add(export.attachments[thumbnail])
    return Item(
        input=f"{shown}#{post_id}",
        title=" ".join((element.findtext("title") or "").split()),
        body=html_to_markdown(html),
        published=_post_date(element.findtext(_wp("post_date", wp)) or ""),
        slug=slugify(unquote(element.findtext(_wp("post_name", wp)) or ""))[:60].strip("-"),
        tags=_tags(element),
        source_url=permalink if urlsplit(permalink).scheme in ("http", "https") else "",
        aliases=aliases_of(permalink, notes),
        draft=(element.findtext(_wp("status", wp)) or "") != "publish",
        language=export.language,
        attachments=attachments.files,
        notes=notes,
    )


def _meta(element: Any, wp: str, key: str) -> str:
    for meta in element.findall(_wp("postmeta", wp)):
        if meta.findtext(_wp("meta_key", wp)) == key:
            return meta.findtext(_wp("meta_value", wp)) or ""
    return ""


def _post_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None  # `0000-00-00 00:00:00`, as WordPress writes for a draft never dated


def _tags(element: Any) -> tuple[str, ...]:
    tags = []
    for category in element.findall("category"):
        name = " ".join((category.text or "").split())
        if category.get("domain") in ("category", "post_tag") and name and slugify(name) not in _NO_CATEGORY and name.lower() not in _NO_CATEGORY:
            tags.append(name)
    return tuple(dict.fromkeys(tags))


def wordpress_html(content: str) -> str:
    """Post content as WordPress shows it: `[caption]` as a figure, other shortcodes dropped,
    paragraphs from blank lines and line breaks from single newlines (`wpautop`)."""
    content = _CAPTION.sub(_figure, content.replace("\r\n", "\n"))
    content = _SHORTCODE.sub("", content)
    blocks = []
    for block in re.split(r"\n\s*\n", content.strip()):
        if not block.strip():
            continue
        blocks.append(block if _BLOCK_START.match(block) else "<p>" + block.strip().replace("\n", "<br />\n") + "</p>")
    return "\n".join(blocks)


def _figure(match: re.Match[str]) -> str:
    parts = _CAPTION_PARTS.match(match["inner"])
    if parts is None:
        return match["inner"]
    return f"<figure>{parts['media']}<figcaption>{parts['text'].strip()}</figcaption></figure>\n\n"


class _Attachments:
    """An item's files: found below `uploads` by their path there, else fetched; named in the
    report's folder by their original file name (`slika.jpg`, not `slika-1024x683.jpg`)."""

    def __init__(self, uploads: Path | None, downloads: Path | None, notes: list[str]) -> None:
        self.uploads = uploads
        self.downloads = downloads
        self.notes = notes
        self.files: dict[str, Path] = {}
        self._names: dict[str, str | None] = {}  # URL -> name in the bundle (None: not found)

    def rewrite(self, html: str) -> str:
        def local(match: re.Match[str]) -> str:
            name = self.add(match["url"])
            return f"{match['attr']}{name}{match['end']}" if name else match.group(0)

        return _UPLOAD_LINK.sub(local, html)

    def add(self, url: str) -> str | None:
        original = _SIZE_VARIANT.sub("", url)
        if original in self._names:
            return self._names[original]
        name = self._found(original) or (self._found(url) if url != original else None)
        self._names[original] = name
        return name

    def _found(self, url: str) -> str | None:
        relative = unquote(urlsplit(url).path).partition(_UPLOADS)[2]
        if not relative or ".." in PurePosixPath(relative).parts:
            return None
        name = free_name(PurePosixPath(relative).name, self.files)
        if self.uploads is not None and (self.uploads / relative).is_file():
            self.files[name] = self.uploads / relative
            return name
        if self.downloads is not None and urlsplit(url).scheme in ("http", "https"):
            fetched = _fetch(url, self.downloads)
            if fetched is not None:
                self.files[name] = fetched
                return name
        self.notes.append(f"attachment not found: {url}")
        return None


def _fetch(url: str, downloads: Path) -> Path | None:
    """The file at `url`, downloaded into a new folder below `downloads`; None when it cannot be had."""
    import tempfile

    try:
        with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT) as response:  # noqa: S310 - http(s) only, checked above
            data = response.read()
    except (urllib.error.URLError, OSError, ValueError):
        return None
    target = Path(tempfile.mkdtemp(dir=downloads)) / (PurePosixPath(urlsplit(url).path).name or "download")
    target.write_bytes(data)
    return target
