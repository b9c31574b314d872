"""Protected spans: pieces of a text that are never converted (HTML, Markdown code and link
targets, URLs, e-mail addresses, domain and file names), and how each affects word context.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .dictionary import MARKUP_PATTERN


_TLDS = (
    "com|org|net|edu|gov|int|info|biz|io|eu|rs|ba|me|hr|si|mk|al|bg|ro|hu|at|de|ch|fr|it|uk|us"
    "|ru|ua|pl|cz|sk|nl|be|se|no|dk|fi|es|pt|gr|tr|xk|cg|yu|co|tv|app|dev|online|site"
    "|срб|мкд|бг|рф|укр"
    # file names, which read like domain names and must stay as typed too
    "|html?|pdf|md|ya?ml|json|csv|txt|xml|docx?|xlsx?|odt|ods|jpe?g|png|gif|svg|zip"
)
_URL_CHAR = r"[^\s()<>\"'«»„“”]"
_URL_END = r"[^\s()<>\"'«»„“”.,;:!?’]"
_URL_BODY = rf"(?:\({_URL_CHAR}*\)|{_URL_CHAR})*(?:\({_URL_CHAR}*\)|{_URL_END})"
_DOMAIN_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
# URLs, e-mail addresses and domain names are looked for only where a token has ".", "@" or
# ":" inside it (_ADDRESS_HINT), from the token's start: scanning every position of the text
# with these patterns would cost more than the whole conversion.
_ADDRESS = re.compile(
    rf"(?:[A-Za-z][A-Za-z0-9+.-]*://|mailto:|www\.){_URL_BODY}"
    rf"|[\w.+-]+@(?:{_DOMAIN_LABEL}\.)+[^\W\d_]{{2,}}(?![\w-])"
    rf"|(?:{_DOMAIN_LABEL}\.)+(?i:{_TLDS})(?![\w-])(?:[/?#]{_URL_BODY}|/)?"
)
# No address holds "<" or ends in "." or ":", so neither of those before "<" is a hint (a sentence
# ending before a tag); "@" can end a URL. Each alternative starts with its literal, for speed.
_ADDRESS_HINT = re.compile(r"\.[^\s.,;:!?)\]>\"'“”»<]|:[^\s.,;:!?)\]>\"'“”»<]|@[^\s.,;:!?)\]>\"'“”»]")
_TOKEN_DELIMITERS = frozenset(" \t\n\r\u00A0()<>[]\"'«»„“”")
# Each alternative starts with a literal character outside its group, so that the regex engine
# skips at once to the places where a protected construct can start (searching the text is then
# cheaper than trying only those places one by one). The group names the kind; the whole match
# is the construct.
_HTML_PATTERNS = (
    r"<(?P<comment>!--.*?-->)",
    r"<(?P<raw>(?P<rawname>(?i:pre|code|script|style|textarea))\b[^>]*>.*?</(?P=rawname)\s*>)",
    r"<(?P<autolink>(?:[A-Za-z][\w+.-]*:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>)",
    r"<(?P<tag>/?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|![A-Za-z][^>]*>|\?.*?\?>)",
    r"&(?P<entity>(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)",
)
_MARKDOWN_PATTERNS = (
    r"`(?P<codespan>(?P<ticks>`*)(?!`).*?(?<!`)`(?P=ticks)(?!`))",
    r"\](?P<linktarget>\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*\))",
    r"\[(?P<refdef>[^\]\n]+\]:[ \t]*\S.*$)",  # only at a line start: see _starts_token
    r"\](?P<reflabel>\[[^\]\n]*\])",
)
ALT_TITLE_ATTRIBUTE = re.compile(
    r"""(?P<lead>\s(?i:alt|title)\s*=\s*)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+))"""
)
_TAG_NAME = re.compile(r"</?([A-Za-z][\w:-]*)")
# Inline elements keep the words around them in one context (a run of English words can span
# <em>); any other tag ends a line of context, like a line break.
_INLINE_TAGS = frozenset(
    "a abbr b bdi bdo br cite data del dfn em i img ins kbd mark q s samp small span strong sub"
    " sup time u var wbr".split()
)

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")


class Protected:
    """A piece of text that is emitted as `text`; `flow` says how it affects word context."""

    __slots__ = ("text", "flow")
    SOFT = ""  # transparent: inline tags, entities (the words around it stay neighbours)
    OPAQUE = "\x00"  # a non-word between neighbours: code spans, URLs, pinned text
    HARD = "\n"  # ends the line of context: block tags, fences, comments

    def __init__(self, text: str, flow: str) -> None:
        self.text = text
        self.flow = flow


@lru_cache(maxsize=4096)  # most tags of a body are repeated: <p>, </p>, <li>…
def kept_tag(tag: str) -> Protected | None:
    """The tag as a protected piece, None when it may have `alt`/`title` text to convert. The
    piece is shared: protected pieces are never changed."""
    lower = tag.lower()
    if "alt" in lower or "title" in lower:
        return None
    return Protected(tag, tag_flow(tag))


def tag_flow(tag: str) -> str:
    name_match = _TAG_NAME.match(tag)
    inline = name_match is not None and name_match.group(1).lower() in _INLINE_TAGS
    return Protected.SOFT if inline else Protected.HARD


def _protection_pattern(markdown: bool) -> re.Pattern[str]:
    """HTML, editor markup and (with `markdown`) Markdown code and link targets."""
    alternatives = [*_HTML_PATTERNS, MARKUP_PATTERN]
    if markdown:
        alternatives += _MARKDOWN_PATTERNS
    return re.compile("|".join(alternatives), re.DOTALL | re.MULTILINE)


_PROTECTION_PATTERNS = {markdown: _protection_pattern(markdown) for markdown in (True, False)}


def _markup_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of `pattern`, in order and none overlapping, each where its kind may start."""
    position = 0
    while match := pattern.search(text, position):
        if match.lastgroup != "refdef" or _starts_token(text, match.start(), "refdef"):
            yield match
            position = match.end()
        else:
            position = match.start() + 1


def _starts_token(text: str, start: int, kind: str | None) -> bool:
    if kind == "phrase":
        return start == 0 or not text[start - 1].isalnum() and text[start - 1] != "_"
    if kind == "refdef":
        line_start = text.rfind("\n", 0, start) + 1
        return start - line_start <= 3 and not text[line_start:start].strip(" ")
    return True


def _address_spans(text: str) -> list[tuple[int, int]]:
    """Spans of URLs, e-mail addresses and domain names in `text`."""
    spans: list[tuple[int, int]] = []
    search_from = 0
    while hint := _ADDRESS_HINT.search(text, search_from):
        start = hint.start()
        while start > 0 and text[start - 1] not in _TOKEN_DELIMITERS:
            start -= 1
        address = _ADDRESS.match(text, start) if start < hint.start() else None
        if address and address.end() > hint.start():
            spans.append(address.span())
            search_from = address.end()
        else:
            search_from = hint.start() + 1
    return spans


def protected_spans(
    text: str, markdown: bool, phrases: re.Pattern[str] | None
) -> list[re.Match[str] | tuple[int, int]]:
    """Protected matches (markup, dictionary phrases) and address spans, in order, none
    overlapping: where two overlap, the one starting first wins."""
    found: list[re.Match[str] | tuple[int, int]] = list(_markup_matches(_PROTECTION_PATTERNS[markdown], text))
    if phrases is not None:
        found += [match for match in phrases.finditer(text) if _starts_token(text, match.start(), "phrase")]
    addresses = _address_spans(text) if "." in text or "@" in text or ":" in text else []
    if not addresses and phrases is None:
        return found
    ordered = sorted([*found, *addresses], key=_span_start)
    merged: list[re.Match[str] | tuple[int, int]] = []
    covered_to = 0
    for item in ordered:
        start, end = item if isinstance(item, tuple) else item.span()
        if start >= covered_to:
            merged.append(item)
            covered_to = end
    return merged


def _span_start(item: re.Match[str] | tuple[int, int]) -> int:
    return item[0] if isinstance(item, tuple) else item.start()


def split_fences(text: str) -> list[tuple[str, bool]]:
    """The text cut into (chunk, is fenced code) pieces; a fence runs to its closing fence or
    the end of the text."""
    if "```" not in text and "~~~" not in text:
        return [(text, False)]
    chunks: list[tuple[str, bool]] = []
    current: list[str] = []
    fence = ""
    for line in text.splitlines(keepends=True):
        if fence:
            current.append(line)
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]) and _indent(line) <= 3:
                chunks.append(("".join(current), True))
                current, fence = [], ""
            continue
        opening = _FENCE_OPEN.match(line)
        if opening:
            if current:
                chunks.append(("".join(current), False))
            current, fence = [line], opening.group(1)
        else:
            current.append(line)
    if current:
        chunks.append(("".join(current), bool(fence)))
    return chunks


class OpenBlocks:
    """What a stream of lines (`Converter.convert_lines`) is inside of: a code fence, an HTML
    comment, raw-text elements. Fed one line at a time, it decides as `split_fences` and the
    protection patterns would on the whole text, without holding it."""

    __slots__ = ("fence", "comment", "raw")

    def __init__(self) -> None:
        self.fence = ""  # the opening fence's backticks or tildes, "" outside a fence
        self.comment = False
        self.raw = 0  # raw-text elements opened minus closed

    def opens_fence(self, line: str) -> bool:
        """Whether `line` (outside a fence) opens one; from then on `fence` is set."""
        opening = _FENCE_OPEN.match(line)
        if opening:
            self.fence = opening.group(1)
        return opening is not None

    def closes_fence(self, line: str) -> bool:
        """Whether `line` (inside a fence) closes it, as `split_fences` decides."""
        stripped = line.strip()
        closes = stripped.startswith(self.fence) and not stripped.strip(self.fence[0]) and _indent(line) <= 3
        if closes:
            self.fence = ""
        return closes

    def inside_after(self, line: str) -> bool:
        """Takes in a line outside fences; whether a comment or raw-text element is open after it."""
        if "<" in line or "-->" in line:
            opened, closed = line.rfind("<!--"), line.rfind("-->")
            if opened != closed:  # both -1 (neither) leaves the comment as it was
                self.comment = opened > closed
            self.raw += len(_RAW_OPEN.findall(line)) - len(_RAW_CLOSE.findall(line))
        return self.comment or self.raw > 0

    def reset(self) -> None:
        self.comment, self.raw = False, 0


def _indent(line: str) -> int:
    return line[: len(line) - len(line.lstrip(" "))].count(" ")


_RAW_OPEN = re.compile(r"<(?i:pre|code|script|style|textarea)\b")
_RAW_CLOSE = re.compile(r"</(?i:pre|code|script|style|textarea)\s*>")
