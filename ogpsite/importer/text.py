"""Plain text pasted from a web page: headline, body, and the page's chrome dropped.

The headline is the last short line before the first paragraph (lines above it are the site's
name and menus); a text that starts with a paragraph has none, and its title is made from the
first sentence. Lines like WordPress's `posted in: Arhiva | 0` and a footer about the web
site's funding are chrome, dropped with a note.
"""

from __future__ import annotations

import re
from pathlib import Path

from .dates import find_dates
from .items import Item, plain_to_markdown
from .places import gazetteer

_CHROME_LINE = re.compile(
    r"^\s*(?:posted in:.*\|\s*\d+|objavljeno u:.*|објављено у:.*|(?:tags|oznake|ознаке|kategorije|категорије)\s*:.*"
    r"|(?:share|podijeli|podeli|подели|подијели)(?: (?:this|ovo|ово))?\s*:?|leave a comment|ostavite komentar|оставите коментар"
    r"|donation of .*|.*(?:©|copyright|sva prava zadržana|сва права задржана).*)\s*$",
    re.IGNORECASE,
)
# A footer paragraph about the web site itself (who made it, who funded it).
_SITE_FOOTER = re.compile(
    r"(?:interne[tn] ?(?:sajt|сајт|stranic|страниц)|web ?(?:sajt|site|stranic)|website|интернет сајт|веб сајт)\w*"
    r".*(?:omogući|омогући|possible|responsibility|odgovornost|одговорност|finansir|финансир)",
    re.IGNORECASE | re.DOTALL,
)
_TAGS_LINE = re.compile(r"^\s*(?:tags|oznake|ознаке)\s*:\s*(?P<tags>.+?)\s*$", re.IGNORECASE | re.MULTILINE)
HEADLINE_MAX = 200
TITLE_MAX = 110
# A sentence ends at `.`, `!`, `?` or `…` after a word (not after `5.` or `2019.`), before a capital.
SENTENCE_BREAK = re.compile(r"(?<=[^\d\s][.!?…])\s+(?=[\"„“”«»(]?[A-ZČĆĐŠŽА-ЯЂЈЉЊЋЏ])|\n\s*\n")


def read_text(path: Path, shown: str) -> Item:
    """One plain-text file as an item (title "" when it has no headline)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
        notes = []
    except UnicodeDecodeError:
        text, notes = raw.decode("cp1250", errors="replace"), ["not UTF-8: read as Windows-1250"]
    return parse_text(text.removeprefix("\ufeff"), shown, notes)


def parse_text(text: str, shown: str, notes: list[str] | None = None) -> Item:
    notes = list(notes or [])
    blocks = _blocks(text)
    kept = [block for block in blocks if not _is_chrome(block)]
    if len(kept) < len(blocks):
        notes.append(f"dropped page chrome: {'; '.join(_shorten(block, 40) for block in blocks if block not in kept)}")
    title, body = _headline(kept, notes)
    tags = [tag.strip() for match in _TAGS_LINE.finditer(text) for tag in match["tags"].split(",") if tag.strip()]
    return Item(input=shown, title=title, body=plain_to_markdown(body) if body else "", tags=tuple(dict.fromkeys(tags)), notes=notes)


def _blocks(text: str) -> list[str]:
    """Paragraphs separated by blank lines, spaces tidied (runs of spaces are typing slips)."""
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return [block.strip("\n") for block in "\n".join(lines).split("\n\n") if block.strip()]


def _is_chrome(block: str) -> bool:
    lines = block.split("\n")
    return all(_CHROME_LINE.match(line) for line in lines) or bool(_SITE_FOOTER.search(block) and len(block) < 600)


def _is_short(block: str) -> bool:
    return len(block) <= HEADLINE_MAX and block.count("\n") < 3 and not re.search(r"[.:;]$", block.rstrip("\"“”»’ "))


def _is_dateline(block: str) -> bool:
    """`Trebinje, 28.maj 2019.`: a place and a date, nothing more."""
    dates = find_dates(block)
    rest = block
    for mention in reversed(dates):
        rest = rest[: mention.offset] + rest[mention.stop :]
    for mention in reversed(gazetteer().find(rest)):
        rest = rest[: mention.offset] + rest[mention.stop :]
    return bool(dates) and not re.sub(r"[\W\d_]", "", rest)


def _headline(blocks: list[str], notes: list[str]) -> tuple[str, list[str]]:
    """The headline (or "") and the body's paragraphs."""
    leading = 0
    while leading < len(blocks) and _is_short(blocks[leading]) and not _is_dateline(blocks[leading]):
        leading += 1
    if leading == len(blocks) and leading > 1:  # short blocks only: the first is the headline
        leading = 1
    if leading == 0 or leading == len(blocks):
        return "", blocks
    if leading > 1:
        notes.append(f"dropped {leading - 1} line(s) above the headline as page chrome: {_shorten(blocks[0], 40)}")
    return " ".join(blocks[leading - 1].split("\n")), blocks[leading:]


def title_from_text(text: str) -> str:
    """A title for a text with no headline: its first sentence, shortened at a word."""
    first = SENTENCE_BREAK.split(" ".join(text.split()), maxsplit=1)[0].rstrip(".")
    return _shorten(first, TITLE_MAX)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:–—-")
    return cut + "…"
