"""Report bodies: Markdown to sanitised HTML, with links to reports and attachments resolved.

Report bodies are never Jinja templates: `{{ … }}` in a body is text. Raw HTML is cleaned by
nh3 (ammonia) against an allow-list the site can widen.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from xml.etree import ElementTree as etree

import markdown
import nh3
from markdown import treeprocessors, util
from markdown.extensions.toc import TocExtension, TocTreeprocessor, remove_fnrefs, render_inner_html, strip_tags, unique
from markdown.inlinepatterns import Pattern

from ..core.model import slugify

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "dfn",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
})
ALLOWED_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "*": frozenset({"id", "title", "lang", "class"}),
    "a": frozenset({"href"}),
    "abbr": frozenset({"title"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "ol": frozenset({"start"}),
    "time": frozenset({"datetime"}),
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Placeholder for "the current edition's root"; the render stage replaces it per edition.
EDITION_ROOT = "ogpsite-edition:"

# Only relative targets: absolute URLs, site paths and fragments are left as written.
_URL_ATTRIBUTE = re.compile(r'\b(href|src)="(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^"]+)"')
_ABSOLUTE = re.compile(r'[a-zA-Z][a-zA-Z0-9+.-]*:|/|#|"')  # a value start that needs no resolving (or is empty)
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//|^#|^/")


# Python-Markdown tries each inline pattern on every text node of a body; a pattern that needs
# a text the body lacks can never match there. Each is listed with the texts it needs (any one
# of them); the other patterns (an extension's) are always kept. A line break is two spaces
# at a line's end, or what Markdown makes one of: a tab (spaces to the next tab stop) or a
# carriage return (a newline).
_INLINE_TRIGGERS = {
    "backtick": ("`",), "escape": ("\\",), "autolink": ("<",), "automail": ("<",), "html": ("<",), "entity": ("&",),
    "reference": ("[",), "link": ("[",), "image_link": ("[",), "image_reference": ("[",), "short_reference": ("[",), "short_image_ref": ("[",),
    "em_strong": ("*", "_"), "em_strong2": ("_",), "not_strong": ("*", "_"), "linebreak": ("  \n", "  \r", "\t"),
}
# The table of contents marker: only a body with one needs the `toc` extension's whole work.
_TOC_MARKER = "[TOC]"
_TOC_PRIORITY = 5  # where the `toc` extension registers its tree processor: after the inline one (20), before unescaping (0)
_TRIGGERS = tuple(sorted({*(text for texts in _INLINE_TRIGGERS.values() for text in texts), _TOC_MARKER}))


class _TextInline(treeprocessors.InlineProcessor):
    """Python-Markdown's inline processor, trying on each text only the patterns that can match
    it: one that needs a text (`_INLINE_TRIGGERS`) the text lacks is passed over, as one the
    whole body lacks is left out of its converter. Inline processing tries every pattern on
    every paragraph, list item and cell; most hold no link, code or emphasis, and the bodies
    convert in about a quarter less time (1,000 of the benchmark's: 1.05 s against 1.42 s).

    The loop is `InlineProcessor.__handleInline`'s (Python-Markdown 3.5-3.11), which the class
    reaches by its private name; where a version has none, `_converter` keeps the stock one.
    A pattern passed over leaves the search start at 0, as a pattern that found nothing does."""

    def __init__(self, md: markdown.Markdown, needs: dict[Pattern, tuple[str, ...]]) -> None:
        super().__init__(md)
        self._needs = needs  # pattern -> the texts it needs (any one); a pattern not here is always tried
        self._order: list[tuple[Pattern, tuple[str, ...]]] = []  # the patterns in the order tried, each with its needs

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        # The registry as a list, once a body: indexing the registry sorts it (or checks that it is) each time.
        self._order = [(pattern, self._needs.get(pattern, ())) for pattern in self.inlinePatterns]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803 (the name it overrides)
        if isinstance(data, util.AtomicString):
            return data
        order, apply = self._order, self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        start, count = 0, len(order)
        while patternIndex < count:
            pattern, needed = order[patternIndex]
            if needed:
                for text in needed:
                    if text in data:
                        break
                else:
                    patternIndex, start = patternIndex + 1, 0
                    continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


# Whether this Python-Markdown's inline processor has the loop `_TextInline` replaces.
_TEXT_INLINE = all(hasattr(treeprocessors.InlineProcessor, name) for name in ("_InlineProcessor__handleInline", "_InlineProcessor__applyPattern"))
_INLINE_PRIORITY = 20  # where Python-Markdown registers its inline processor


class _HeadingIds(TocTreeprocessor):
    """The `toc` extension's heading ids, and nothing else of its work, for a body with no table
    of contents marker: its table of contents (made, serialised and kept for every body) and the
    inner HTML of each heading, serialised to find the heading's text, cost an eighth of converting
    a body. A heading of plain text is its text; any other is read as `toc` reads it."""

    def run(self, doc: etree.Element) -> None:
        used_ids = {element.attrib["id"] for element in doc.iter() if "id" in element.attrib}
        counters: dict[str, int] = {}
        for element in doc.iter():
            if isinstance(element.tag, str) and self.header_rgx.match(element.tag):
                self.set_level(element)
                if element.attrib.get("id"):
                    continue
                text = element.text or ""
                if len(element) or _SERIALISED_DIFFERENTLY.search(text):
                    text = strip_tags(render_inner_html(remove_fnrefs(element), self.md))
                name = html.unescape(" ".join(text.split()))
                element.attrib["id"] = unique(self.slugify(name, self.sep), used_ids, counters)


# What the serialiser escapes, and Markdown's placeholders (stashed HTML, escapes, `&`).
_SERIALISED_DIFFERENTLY = re.compile("[&<>\x02\x03]")


class MarkdownRenderer:
    """Configured Markdown converters, reused across reports (reset between them): one per set
    of inline-pattern characters a body has, holding only the patterns that can match it.
    Output is the same as with every pattern; the benchmark archive's bodies (links, code, no
    emphasis) are rendered and sanitised in about a tenth less time. Bodies fall into a handful
    of such sets."""

    def __init__(self, extra_tags: frozenset[str] = frozenset(), extra_attributes: Mapping[str, frozenset[str]] | None = None) -> None:
        self._converters: dict[str, markdown.Markdown] = {}  # the trigger characters present -> converter
        self._tags = ALLOWED_TAGS | extra_tags
        self._attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
        for tag, names in (extra_attributes or {}).items():
            self._attributes.setdefault(tag, set()).update(names)

    def _converter(self, text: str) -> markdown.Markdown:
        if "\x02" in text or "\x03" in text:
            text = text.replace("\x02", "").replace("\x03", "")  # as Markdown's first step does: they are its placeholders' ends
        present = tuple([trigger for trigger in _TRIGGERS if trigger in text])
        converter = self._converters.get(present)
        if converter is None:
            toc = TocExtension(slugify=lambda text, separator: slugify(text) or "section")
            converter = self._converters[present] = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists", toc], output_format="html")
            for name, needed in _INLINE_TRIGGERS.items():
                if name in converter.inlinePatterns and not any(trigger in present for trigger in needed):
                    converter.inlinePatterns.deregister(name)
            if _TEXT_INLINE:
                needs = {converter.inlinePatterns[name]: needed for name, needed in _INLINE_TRIGGERS.items() if name in converter.inlinePatterns}
                converter.treeprocessors.register(_TextInline(converter, needs), "inline", _INLINE_PRIORITY)
            if _TOC_MARKER not in present:
                converter.treeprocessors.register(_HeadingIds(converter, toc.getConfigs()), "toc", _TOC_PRIORITY)
        return converter

    def render(self, text: str) -> str:
        converter = self._converter(text)
        converter.reset()
        return figures(nh3.clean(
            converter.convert(text),
            tags=set(self._tags),
            attributes=self._attributes,
            url_schemes=set(URL_SCHEMES),
            link_rel=None,
            strip_comments=True,
        ))


# Sanitised HTML, as nh3 writes it: a paragraph of images alone (one per line), and the
# paragraph that follows one image when it is one italic line (its caption).
_IMAGE = r'<img [^>]*>'
_IMAGE_PARAGRAPH = re.compile(rf'<p>((?:{_IMAGE}\n?)+)</p>(?:\n<p><em>((?:[^<]|<(?!/?(?:p|em)>))*)</em></p>)?')
_ONE_IMAGE = re.compile(_IMAGE)
_TITLE = re.compile(r' title="([^"]*)"')


def figures(body_html: str) -> str:
    """Images alone in their paragraph become figures: captioned by the image's title or by an
    italic line right after it; several such images in one paragraph (a run of image lines)
    become a gallery of figures."""
    if "<p><img " not in body_html:
        return body_html

    def figure(image: str, caption: str) -> str:
        title = _TITLE.search(image)
        if title:
            image, caption = image.replace(title.group(0), ""), caption or title.group(1)
        return f"<figure>{image}<figcaption>{caption}</figcaption></figure>" if caption else f"<figure>{image}</figure>"

    def replace(match: re.Match[str]) -> str:
        images, caption = _ONE_IMAGE.findall(match.group(1)), match.group(2) or ""
        if len(images) == 1:
            if not caption and not _TITLE.search(images[0]):
                return match.group(0)  # a plain picture: no caption to give it
            return figure(images[0], caption)
        gallery = "\n".join(figure(image, "") for image in images)
        after = f"\n<p><em>{caption}</em></p>" if match.group(2) is not None else ""
        return f'<div class="gallery">\n{gallery}\n</div>{after}'

    return _IMAGE_PARAGRAPH.sub(replace, body_html)


# Elements ammonia removes with their content; allowing one of them makes nh3 panic.
REMOVED_WHOLE = frozenset({"script", "style"})


def sanitizer_refusal(tags: Iterable[str], attributes: Mapping[str, Iterable[str]]) -> str | None:
    """Why nh3 would refuse these widened settings (it panics at the first body), or None."""
    if not tags and not attributes:
        return None  # the default allow-list
    unsafe = sorted(REMOVED_WHOLE.intersection(tags))
    if unsafe:
        return f"`{unsafe[0]}` elements cannot be allowed: ogpsite removes them with their content (they would run in readers' browsers)"
    try:
        MarkdownRenderer(frozenset(tags), {tag: frozenset(names) for tag, names in attributes.items()}).render("x")
    except BaseException as error:  # pyo3's PanicException derives from BaseException
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            raise
        return f"the HTML sanitiser refuses these settings: {str(error).splitlines()[0] if str(error) else type(error).__name__}"
    return None


def resolve_links(body_html: str, resolve: Callable[[str], str | None]) -> tuple[str, list[str]]:
    """Rewrite relative `href`/`src` targets with `resolve`; returns HTML and targets it could not resolve."""
    broken: list[str] = []
    if not has_relative_target(body_html):
        return body_html, broken  # most bodies: a quick scan instead of the regex

    def replace(match: re.Match[str]) -> str:
        target = html.unescape(match.group(2))
        if not target or _SCHEME.match(target):
            return match.group(0)
        resolved = resolve(target)
        if resolved is None:
            broken.append(target)
            return match.group(0)
        return f'{match.group(1)}="{html.escape(resolved)}"'

    return _URL_ATTRIBUTE.sub(replace, body_html), broken


def has_relative_target(body_html: str) -> bool:
    """Whether any href/src value is relative; `str.find` is far cheaper than the regex on long bodies."""
    for attribute in ('href="', 'src="'):
        start = body_html.find(attribute)
        while start >= 0:
            value_start = start + len(attribute)
            if not _ABSOLUTE.match(body_html, value_start):
                return True
            start = body_html.find(attribute, value_start)
    return False


def first_paragraph_text(body_html: str, limit: int = 280) -> str:
    """Plain text of the first paragraph, cut at a word boundary: the derived summary."""
    match = _FIRST_PARAGRAPH.search(body_html)
    if not match:
        return ""
    text = " ".join(html.unescape(_TAG.sub("", match.group(1))).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:–-") + " …"
