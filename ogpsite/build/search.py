"""Static search across scripts: one Pagefind index for both editions.

Pagefind (like lunr) keeps one index per language tag, so a Latin query would miss
Cyrillic pages. Instead every report is indexed once, as *folded* text: Latin, lower
case, diacritics dropped (`Друштво` and `Društvo` both become `drustvo`). The search page
folds the reader's query the same way in the browser (`ogpsite/themes/default/static/search.js`,
driven by `fold_table()`), so `друштво`, `društvo` and `drustvo` find the same reports.

The folded text is only for matching. Each record also carries its text in both scripts,
word for word aligned with the folded text, so the page shows titles and excerpts in the
reader's script and links into the reader's edition.

Pagefind is optional (`pip install 'ogpsite[search]'`): without it the build warns and
publishes no search page.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core import i18n
from ..core.errors import BuildError, Problem, Severity
from ..core.model import Report, Site, ascii_fold
from ..core.settings import Config
from ..translit import Converter, Script
from .parallel import map_chunks

INDEX_DIR = "pagefind"  # below the output root, shared by both editions
# One index for both editions. Serbian, whatever the site's language: Pagefind's Serbian
# stemmer works on the folded Latin text, so `drustvo` also finds `drustva`, `drustvu`.
INDEX_LANGUAGE = "sr"
SCRIPTS: tuple[Script, ...] = ("cyrillic", "latin")
MISSING_WARNING = Problem(
    "ogpsite.yml", 0,
    "search is off: Pagefind is not installed, so no search page was built (install it with `pip install 'ogpsite[search]'`)",
    Severity.WARNING,
)

# Block-level tags separate words; inline tags (`<em>`, `<a>`) do not.
_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|h[1-6]|br|hr|div|blockquote|pre|table|thead|tbody|tr|td|th|figure|figcaption|dd|dt|dl)\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[^>]*>")
# Characters whose fold the browser must know: Cyrillic, and Latin with diacritics.
_FOLDED_RANGES = ((0x00C0, 0x024F), (0x0400, 0x04FF), (0x1E00, 0x1EFF))
_PAGEFIND_MAGIC = b"pagefind_dcd"
_META_FILTERS = 3  # position of the filter list in Pagefind's meta chunk
# Pagefind's ready-made interfaces: the search page has its own, so they are not published.
_UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                 "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


def enabled(config: Config) -> bool:
    """Whether this build writes a search index: the site wants one and Pagefind is installed."""
    return config.search and available()


def available() -> bool:
    """Whether Pagefind's Python API (and with it the binary) is installed."""
    return importlib.util.find_spec("pagefind") is not None


def fold(text: str) -> str:
    """The search form of `text`: Latin, lower case, no diacritics. `Ђорђе` -> `djordje`."""
    return ascii_fold(text.lower())  # lower case first, as the browser does: `Æ` -> `æ` -> `ae`


def fold_table() -> dict[str, str]:
    """Each lower-case letter whose fold is not itself, for the browser's copy of `fold`."""
    table: dict[str, str] = {}
    for first, last in _FOLDED_RANGES:
        for code in range(first, last + 1):
            char = chr(code)
            if char == char.lower() and fold(char) != char:
                table[char] = fold(char)
    return table


@dataclass(frozen=True)
class SearchRecord:
    """One report as Pagefind stores it: folded words to match, both scripts to show."""

    url: str  # the report's path below an edition root: the search page prefixes its own edition
    content: str
    meta: dict[str, str]
    filters: dict[str, list[str]]


def plain_text(body_html: str) -> str:
    """Words of an HTML body, one space between them."""
    return " ".join(html.unescape(_ANY_TAG.sub("", _BLOCK_TAG.sub(" ", body_html))).split())


def records(site: Site, bodies: dict[str, str], converter: Converter) -> list[SearchRecord]:
    """A record per report, in the site's order (newest first), so the index is the same every build.

    Each record transliterates its report's body into both scripts: the costly part, so it
    runs on every core.
    """

    def make(reports: Sequence[Report]) -> dict[str, SearchRecord]:
        return {report.source: _record(site, report, bodies[report.source], converter) for report in reports}

    by_source: dict[str, SearchRecord] = {}
    for _, made in map_chunks(make, site.reports):
        by_source.update(made)
    return [by_source[report.source] for report in site.reports]


def _record(site: Site, report: Report, body_html: str, converter: Converter) -> SearchRecord:
    slugs = site.report_institutions[report.source]
    words = _aligned_words(site, report, body_html, converter)
    meta = {"title": fold(report.title)}
    for script in SCRIPTS:
        meta[f"title_{script}"] = converter.convert(report.title, script)
        meta[f"date_{script}"] = i18n.format_date(report.date, report.language, script)
        meta[f"text_{script}"] = " ".join(words[script])
    content = " ".join(fold(word) or "-" for word in words["latin"])
    return SearchRecord(report.path, content, meta, {"institution": list(slugs), "year": [str(report.date.year)]})


def _aligned_words(site: Site, report: Report, body_html: str, converter: Converter) -> dict[Script, list[str]]:
    """The searchable words (body, place, institutions, tags) in each script, word for word aligned."""
    extra = [report.place, *(site.institutions[slug].name.latin for slug in site.report_institutions[report.source]), *report.tags]
    words: dict[Script, list[str]] = {}
    for script in SCRIPTS:
        text = plain_text(converter.convert_html(body_html, script))
        words[script] = [*text.split(), *" ".join(converter.convert(item, script) for item in extra).split()]
    if len(words["cyrillic"]) != len(words["latin"]):
        # A dictionary rendering changed the word count: convert word by word instead.
        words["cyrillic"] = [converter.to_cyrillic(word) for word in words["latin"]]
    return words


def write_index(search_records: list[SearchRecord], output_root: Path) -> None:
    """Write the Pagefind bundle to `output_root/pagefind/`; a failure is a BuildError.

    Each record becomes a small HTML page in a scratch folder, indexed by Pagefind's command
    line in one run. (Its Python API answers one record per 0.1 s poll: 200 s for 2,000.)
    """
    target = output_root / INDEX_DIR
    if not search_records:
        return  # nothing to index (Pagefind refuses an empty site); the search page finds nothing
    with tempfile.TemporaryDirectory(prefix="ogpsite-search-") as scratch:
        for record in search_records:
            page = Path(scratch, record.url, "index.html")
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(_record_html(record), encoding="utf-8")
        command = [sys.executable, "-m", "pagefind", "--site", scratch, "--output-path", str(target), "--force-language", INDEX_LANGUAGE, "--silent"]
        run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode or not (target / "pagefind-entry.json").is_file():
        detail = (run.stderr or run.stdout).strip().splitlines()[-1:] or [f"exit status {run.returncode}"]
        raise BuildError([Problem("search index", 0, f"Pagefind could not write the search index: {detail[0]}")])
    canonicalise_filters(target)
    for name in _UNUSED_FILES:
        (target / name).unlink(missing_ok=True)


def _record_html(record: SearchRecord) -> str:
    """A page Pagefind reads as one record: the folded words are the body, the rest meta and filters."""
    escape = html.escape
    meta = "".join(f'<p data-pagefind-meta="{escape(key)}">{escape(value)}</p>' for key, value in record.meta.items())
    filters = "".join(f'<p data-pagefind-filter="{escape(key)}">{escape(value)}</p>' for key, values in record.filters.items() for value in values)
    return f'<!DOCTYPE html><html lang="{INDEX_LANGUAGE}"><body><main data-pagefind-body>{escape(record.content)}</main>{meta}{filters}</body></html>'


# ---------------------------------------------------------------------------
# Identical bytes from two builds: Pagefind writes filters and each filter's values in
# hash-map order, which changes from run to run. Rewrite the filter files with sorted values
# and the meta chunk with sorted filters; their names (content hashes) change with them, and
# so does the entry file that names the meta chunk.
# ---------------------------------------------------------------------------


def canonicalise_filters(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        old_meta = bundle / f"pagefind.{language['hash']}.pf_meta"
        # The meta chunk is CBOR `[version, fragments, index chunks, [[filter, chunk]...], sorts, fields]`.
        meta = _cbor_load(_read_chunk(old_meta))
        for pair in meta[_META_FILTERS]:
            pair[1] = _rewrite_chunk(bundle / "filter" / f"{pair[1]}.pf_filter", _sorted_filter, 7)
        meta[_META_FILTERS].sort()
        encoded = _cbor_dump(meta)
        old_meta.unlink()
        new_hash = f"{language['hash'].split('_')[0]}_{_digest(encoded, 10)}"
        _write_chunk(bundle / f"pagefind.{new_hash}.pf_meta", encoded)
        language["hash"] = new_hash
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _sorted_filter(data: bytes) -> bytes:
    """A filter chunk is CBOR `[name, [[value, [page...]], ...]]`: sort the value entries."""
    name, values = _cbor_load(data)
    return _cbor_dump([name, sorted(values, key=lambda item: item[0])])


def _rewrite_chunk(path: Path, transform, digest_length: int) -> str:
    data = transform(_read_chunk(path))
    prefix = path.stem.split("_")[0]
    new_name = f"{prefix}_{_digest(data, digest_length)}"
    path.unlink()
    _write_chunk(path.with_name(new_name + path.suffix), data)
    return new_name


def _digest(data: bytes, length: int) -> str:
    return hashlib.sha1(data).hexdigest()[:length]


def _read_chunk(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_PAGEFIND_MAGIC):
        raise BuildError([Problem("search index", 0, f"unexpected Pagefind file format in {path.name}")])
    return data[len(_PAGEFIND_MAGIC):]


def _write_chunk(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(_PAGEFIND_MAGIC + data, mtime=0))


# The few CBOR types the filter and meta chunks hold: unsigned integers, text strings, arrays.
def _cbor_load(data: bytes):
    value, _ = _cbor_item(data, 0)
    return value


def _cbor_item(data: bytes, offset: int):
    major, argument, offset = _cbor_head(data, offset)
    if major == 0:
        return argument, offset
    if major == 3:
        return data[offset:offset + argument].decode("utf-8"), offset + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, offset = _cbor_item(data, offset)
            items.append(item)
        return items, offset
    raise BuildError([Problem("search index", 0, f"unexpected CBOR type {major} in a Pagefind filter file")])


def _cbor_head(data: bytes, offset: int) -> tuple[int, int, int]:
    initial = data[offset]
    major, info = initial >> 5, initial & 0x1F
    offset += 1
    if info < 24:
        return major, info, offset
    size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
    return major, int.from_bytes(data[offset:offset + size], "big"), offset + size


def _cbor_dump(value) -> bytes:
    if isinstance(value, int):
        return _cbor_encode_head(0, value)
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _cbor_encode_head(3, len(encoded)) + encoded
    return _cbor_encode_head(4, len(value)) + b"".join(_cbor_dump(item) for item in value)


def _cbor_encode_head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise ValueError(argument)
