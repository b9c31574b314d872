"""Static search across scripts: a Pagefind index per year of reports, merged in the browser.

Pagefind (like lunr) keeps one index per language tag, so a Latin query would miss
Cyrillic pages. Instead every report is indexed once, as *folded* text: Latin, lower
case, diacritics dropped (`Друштво` and `Društvo` both become `drustvo`). The search page
folds the reader's query the same way in the browser (`ogpsite/themes/default/static/search.js`,
driven by `fold_table()`), so `друштво`, `društvo` and `drustvo` find the same reports.

The folded text is only for matching. The words the page shows around a match come from a
file of our own beside the index (`<shard>/text/<hash>.words`, gzipped JSON, named in the record's
`words` meta): the report's text once, in Cyrillic, word for word aligned with the folded
text. A Latin reader's words are made from it in the browser, letter by letter
(`latin_table()`: Cyrillic -> Latin is mechanical), but for the few words where that differs
from the Latin edition (all-caps digraphs, Latin spellings such as `Djordje`), listed in the
file beside it. Not in Pagefind's meta: Pagefind (1.5) indexes every meta value's words,
which made the texts cost more to index than the folded text itself, and a bigger index.

The index is in *shards* (`pagefind/<shard>/`): a year's (`2014`), or in a year of more than
`core.shards.SPLIT_YEAR_ABOVE` reports a month's (`2024-05`). An edit re-indexes its report's
shard and no other. `pagefind/` holds Pagefind's script and WebAssembly once and an empty index
of its own (the primary one Pagefind needs). The search page merges no shard up front: it merges
and searches them newest first (Pagefind's `mergeIndex`, each tagged with its name by a
`mergeFilter` so that one is searched alone), until it has a page of results, and older ones when
the reader asks for more; a chosen year loads that year's shards alone. A year in months also has
a *directory* (`pagefind/<year>/`), indexed like a shard: a page per month with the month's
words, each once (`directory_page`); the search page asks it which months can match and loads
those alone, so a rare word downloads a year's directory, not its twelve months (at 20,000
reports a word no report has loaded 208 shards, 590 requests, in 2.8 s; 77 requests in 0.75 s
with directories). An edit re-indexes its month and its year's directory. Results come newest
shard first, best match first within one. Index chunks are small (`_INDEX_CHUNK_SIZE`): a search
downloads the chunk of each word from each shard it searches. Pagefind indexes the shards side
by side, one per core.

Pagefind is optional (`pip install 'ogpsite[search]'`): without it the build warns and
publishes no search page.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2

from ..core import i18n
from ..core.errors import BuildError, Problem, Severity
from ..core.model import Report, Site, ascii_fold
from ..core.settings import Config
from ..core.shards import search_shards, shard_among
from ..translit import Converter, Script
from ..translit.letters import CYRILLIC_TO_LATIN_TABLE
from .parallel import map_chunks, worker_count
from .outdir import remove_tree
from .writer import Writer, write_bytes

INDEX_DIR = "pagefind"  # below the output root, shared by both editions
TEXT_DIR = "text"  # below a shard: the words each record shows
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
# Index words per chunk file, as Pagefind counts them (a page's locations of a word, plus one):
# a search downloads the chunk of each of its words from every shard it searches. Pagefind's
# 20,000 made a word's chunk a third of a month's index (17 KB at 20,000 reports); 2,000 makes it
# 2-3 KB, for 5 % more index on disk. Pagefind reads it from the environment (its name says
# `UNSTABLE`: a Pagefind without it writes its own size, and the index still works).
_CHUNK_SIZE_VARIABLE = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"
_INDEX_CHUNK_SIZE = 2000
# What the search page loads from `pagefind/` itself; each shard's Pagefind run writes a copy.
_SHARED_FILES = ("pagefind.js", "pagefind-worker.js", f"wasm.{INDEX_LANGUAGE}.pagefind")
# Pagefind's ready-made interfaces (the search page has its own) and its language-less
# WebAssembly (the index has a language): not published.
_UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                 "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js", "wasm.unknown.pagefind")


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


def latin_table() -> dict[str, str]:
    """Each Cyrillic letter's Latin, for the browser's letter-by-letter copy of `_letters_latin`."""
    return {chr(code): value for code, value in enumerate(CYRILLIC_TO_LATIN_TABLE) if isinstance(value, str)}


def _letters_latin(word: str) -> str:
    """`word` with each Cyrillic letter made Latin, as the search page does (no digraph casing, no dictionary)."""
    return word.translate(CYRILLIC_TO_LATIN_TABLE)


def shards(site: Site) -> dict[str, list[Report]]:
    """Each shard's reports, in the site's order (newest first): shards newest first too (`core.shards`)."""
    return search_shards(site.reports)


@dataclass(frozen=True)
class SearchRecord:
    """One report as Pagefind stores it (folded words to match, titles, dates), and the file of its words to show."""

    url: str  # the report's path below an edition root: the search page prefixes its own edition
    folded: bytes  # `content`, compressed
    meta: dict[str, str]  # `words`: the path of `words_file` below the bundle
    filters: dict[str, list[str]]
    words_file: bytes  # gzipped JSON {"text": Cyrillic words, "latin": "index word ..." for the Latin ones letters miss}

    # A clean build holds every record at once (made by the workers, then indexed shard by
    # shard): the folded words, 7.6 KB of a record's 12 KB in memory, take 2 KB compressed,
    # 0.5 GB less at 100,000 reports. zlib's fastest level: 0.06 ms a record.
    @staticmethod
    def compress(content: str) -> bytes:
        return zlib.compress(content.encode(), 1)

    @property
    def content(self) -> str:
        """The words Pagefind indexes, folded (`fold`)."""
        return zlib.decompress(self.folded).decode()


def plain_text(body_html: str) -> str:
    """Words of an HTML body, one space between them."""
    return " ".join(html.unescape(_ANY_TAG.sub("", _BLOCK_TAG.sub(" ", body_html))).split())


def shard_names(site: Site, reports: Sequence[Report]) -> dict[str, str]:
    """The shard of each of `reports` (of `site`), by source: its month's in a year split by
    month, else its year's (`core.shards`); found without a pass over the site's reports."""
    named = shards(site)
    return {report.source: shard_among(report.date, named) for report in reports}


def records(site: Site, bodies: Mapping[str, str], converter: Converter, reports: Sequence[Report] | None = None) -> list[SearchRecord]:
    """A record per report of `reports` (all by default), in their order, so the index is the same every build.

    Each record transliterates its report's body into both scripts: the costly part, so it
    runs on every core. (A build rendering the reports' pages makes their records from the
    bodies it converted for them instead: `record`.)
    """
    chosen = site.reports if reports is None else reports
    shard_of = shard_names(site, chosen)

    def make(part: Sequence[Report]) -> dict[str, SearchRecord]:
        return {report.source: record(site, report, shard_of[report.source], converted_bodies(bodies[report.source], converter), converter) for report in part}

    by_source: dict[str, SearchRecord] = {}
    for _, made in map_chunks(make, chosen):
        by_source.update(made)
    return [by_source[report.source] for report in chosen]


def converted_bodies(body_html: str, converter: Converter) -> dict[Script, str]:
    """A report's body in each script, as its pages show it."""
    return {script: converter.convert_html(body_html, script) for script in SCRIPTS}


def record(site: Site, report: Report, shard: str, converted: Mapping[Script, str], converter: Converter) -> SearchRecord:
    """The record of `report` in `shard`, from its body in each script (`converted_bodies`)."""
    slugs = site.report_institutions[report.source]
    words = _aligned_words(site, report, converted, converter)
    cyrillic, latin = words["cyrillic"], words["latin"]
    shown = {"text": " ".join(cyrillic), "latin": _latin_exceptions(cyrillic, latin)}
    words_file = gzip.compress(json.dumps(shown, ensure_ascii=False, separators=(",", ":")).encode(), mtime=0)
    meta = {"words": f"{shard}/{TEXT_DIR}/{_digest(words_file, 12)}.words"}
    for script in SCRIPTS:
        meta[f"title_{script}"] = converter.convert(report.title, script)
        meta[f"date_{script}"] = i18n.format_date(report.date, report.language, script)
    content = " ".join(fold(word) or "-" for word in latin)
    return SearchRecord(report.path, SearchRecord.compress(content), meta, {"institution": list(slugs), "year": [str(report.date.year)]}, words_file)


def _latin_exceptions(cyrillic: Sequence[str], latin: Sequence[str]) -> str:
    """`index word` for each Latin word that is not its Cyrillic word made Latin letter by letter.
    Nearly always none: the texts are compared whole first (a word at a time cost a fifth of a
    search record, 0.2 ms)."""
    lettered = _letters_latin(" ".join(cyrillic))
    if lettered == " ".join(latin):
        return ""
    lettered_words = lettered.split(" ")
    if len(lettered_words) != len(cyrillic):  # a word with a space in it (a dictionary's rendering)
        lettered_words = [_letters_latin(word) for word in cyrillic]
    return " ".join(f"{index} {word}" for index, (letters, word) in enumerate(zip(lettered_words, latin)) if letters != word)


def _aligned_words(site: Site, report: Report, converted: Mapping[Script, str], converter: Converter) -> dict[Script, list[str]]:
    """The searchable words (body, place, institutions, tags) in each script, word for word aligned."""
    extra = [report.place, *(site.institutions[slug].name.latin for slug in site.report_institutions[report.source]), *report.tags]
    words: dict[Script, list[str]] = {}
    for script in SCRIPTS:
        text = plain_text(converted[script])
        words[script] = [*text.split(), *" ".join(converter.convert(item, script) for item in extra).split()]
    if len(words["cyrillic"]) != len(words["latin"]):
        # A dictionary rendering changed the word count: convert word by word instead.
        words["cyrillic"] = [converter.to_cyrillic(word) for word in words["latin"]]
    return words


def write_index(shard_records: Mapping[str, Sequence[SearchRecord]], output_root: Path,
                directories: Mapping[str, Mapping[str, str]] | None = None) -> list[Path]:
    """Write each shard's Pagefind index to `output_root/pagefind/<shard>/`, each year directory
    of `directories` (year -> month -> its `directory_page`) to `pagefind/<year>/`, and the
    files the search page loads first to `pagefind/`; returns the files written. A failure is a
    BuildError. A file already there (another shard's, or a link to a published file) is
    replaced, never written through.

    Each record (each month of a directory) becomes a small HTML page in a scratch folder,
    indexed by Pagefind's command line in one run per index, as many at once as there are cores.
    (Its Python API answers one record per 0.1 s poll: 200 s for 2,000.)
    """
    indexes = _Indexes(shard_records, directories)
    if not indexes.names:
        return []  # nothing to index (Pagefind refuses an empty site); the search page finds nothing
    bundle = output_root / INDEX_DIR
    binary = _pagefind_binary()
    with tempfile.TemporaryDirectory(prefix="ogpsite-search-") as scratch:
        def index(name: str) -> subprocess.CompletedProcess[str]:
            site = indexes.write_pages(Path(scratch), name)
            run = subprocess.run(_command(binary, site, bundle, name), capture_output=True, text=True, env=_environment())
            # Removed here, while the other indexes are made, rather than all at the end: a folder
            # a page, so as many folders as records to remove (0.12 s at 1,000 reports).
            shutil.rmtree(site, ignore_errors=True)
            return run

        with ThreadPoolExecutor(max_workers=min(worker_count(), len(indexes.names))) as pool:
            runs = dict(zip(indexes.names, pool.map(index, indexes.names)))
    return indexes.finish(bundle, runs)


class _Indexes:
    """The Pagefind indexes `write_index` makes: a shard's of its records, a year directory's of its months' pages."""

    def __init__(self, shard_records: Mapping[str, Sequence[SearchRecord]], directories: Mapping[str, Mapping[str, str]] | None) -> None:
        self.shards = {shard: made for shard, made in shard_records.items() if made}
        self.directories = dict(directories or {})
        self.names = [*self.shards, *self.directories]

    def write_pages(self, scratch: Path, name: str) -> str:
        """The pages of index `name` in a folder of their own below `scratch` (returned), made as
        they are written: at a clean build they are the archive's text again."""
        site = os.path.join(scratch, name)
        os.mkdir(site)
        writer = Writer(Path(site))  # each folder made once, parents first
        pages = ((record.url, _record_html(record)) for record in self.shards[name]) if name in self.shards else self.directories[name].items()
        for url, text in pages:
            writer.text(f"{url.strip('/')}/index.html", text)
        return site

    def finish(self, bundle: Path, runs: Mapping[str, subprocess.CompletedProcess[str]]) -> list[Path]:
        """After Pagefind's `runs` into `bundle`: a BuildError if one failed, else the indexes
        finished (each shard's words files beside it) and the files written."""
        for name, run in runs.items():
            if run.returncode or not (bundle / name / "pagefind-entry.json").is_file():
                detail = (run.stderr or run.stdout).strip().splitlines()[-1:] or [f"exit status {run.returncode}"]
                raise BuildError([Problem("search index", 0, f"Pagefind could not write the search index: {detail[0]}")])
        for name in self.names:
            _finish_shard(bundle, bundle / name)
        for shard, made in self.shards.items():
            (bundle / shard / TEXT_DIR).mkdir(exist_ok=True)
            for record in made:
                write_bytes(os.path.join(bundle, record.meta["words"]), record.words_file)
        _write_primary(bundle, self.names[0])
        written = [path for name in self.names for path in (bundle / name).rglob("*") if path.is_file()]
        return [*written, *(bundle / name for name in _SHARED_FILES), bundle / "pagefind-entry.json", *bundle.glob("pagefind.*.pf_meta")]


def _command(binary: str, site: str, bundle: Path, name: str) -> list[str]:
    return [binary, "--site", site, "--output-path", str(bundle / name), "--force-language", INDEX_LANGUAGE, "--silent"]


def _environment() -> dict[str, str]:
    return {**os.environ, _CHUNK_SIZE_VARIABLE: str(_INDEX_CHUNK_SIZE)}


class IndexAhead:
    """`write_index` begun while the build goes on, into `folder` (made anew, on the file system
    of the tree the index is for): begun as soon as the plan says what to index, Pagefind's runs
    (most of what an edit's build would wait for once the open pages are in place) overlap the
    rest of the build. For a few indexes (an edit's): their pages are written at once and every
    run starts together. No thread: the build's own thread would hold the GIL from a thread
    writing files, which waits up to a switch interval for it after each system call (the
    scratch pages of a month took 0.2 s so, against 0.02 s alone). `place` waits for the runs,
    finishes the index and moves its files into the tree (raising what `write_index` raises);
    `discard` stops the runs and removes the folder."""

    def __init__(self, folder: Path, shard_records: Mapping[str, Sequence[SearchRecord]], directories: Mapping[str, Mapping[str, str]]) -> None:
        remove_tree(folder)  # a killed build's
        os.mkdir(folder)
        self.folder = folder
        self._indexes = _Indexes(shard_records, directories)
        self._bundle = folder / INDEX_DIR
        binary = _pagefind_binary()
        self._runs: dict[str, subprocess.Popen[str]] = {}
        try:
            os.mkdir(folder / "pages")
            for name in self._indexes.names:
                site = self._indexes.write_pages(folder / "pages", name)
                self._runs[name] = subprocess.Popen(_command(binary, site, self._bundle, name), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                                    text=True, env=_environment())
        except BaseException:  # a full disk: no run left going, no folder left behind
            self.discard()
            raise

    def place(self, root: Path) -> list[str]:
        """The index's paths, relative to `root`, once moved there (each file there replaced, not written through)."""
        runs = {name: subprocess.CompletedProcess(process.args, process.returncode, *process.communicate()) for name, process in self._runs.items()}
        written = self._indexes.finish(self._bundle, runs) if runs else []
        names = [path.relative_to(self.folder).as_posix() for path in written]
        Writer(root, replacing=True).move_from(self.folder, names)
        remove_tree(self.folder)
        return names

    def discard(self) -> None:
        for process in self._runs.values():
            process.kill()
            process.communicate()
        remove_tree(self.folder)


def directory_page(month: str, records: Iterable[SearchRecord]) -> str:
    """A page of a year's directory: every word Pagefind finds in `month`'s records, once, and the
    month as its `month` filter. Whatever a record matches, the page matches too (the same words,
    stemmed alike), so a month whose page does not match holds no result and is not loaded; only
    a phrase, whose words here are out of order, is looked up as its words (`search.js`)."""
    words: set[str] = set()
    for record in records:
        words.update(record.content.split())
        for value in record.meta.values():  # Pagefind indexes meta values' words too (a title's)
            words.update(value.split())
    return (f'<!DOCTYPE html><html lang="{INDEX_LANGUAGE}"><body><main data-pagefind-body>{html.escape(" ".join(sorted(words)))}</main>'
            f'<p data-pagefind-filter="month">{html.escape(month)}</p></body></html>')


def _pagefind_binary() -> str:
    """Pagefind's own binary, run directly: `python -m pagefind` would start Python for each shard."""
    from pagefind.service import get_executable  # here: it loads asyncio, which nothing else needs

    binary = get_executable()
    return str(binary) if binary is not None else "pagefind"  # not found: the run fails and says so


def _record_html(record: SearchRecord) -> str:
    """A page Pagefind reads as one record: the folded words are the body, the rest meta and filters."""
    escape = html.escape
    meta = "".join(f'<p data-pagefind-meta="{escape(key)}">{escape(value)}</p>' for key, value in record.meta.items())
    filters = "".join(f'<p data-pagefind-filter="{escape(key)}">{escape(value)}</p>' for key, values in record.filters.items() for value in values)
    return f'<!DOCTYPE html><html lang="{INDEX_LANGUAGE}"><body><main data-pagefind-body>{escape(record.content)}</main>{meta}{filters}</body></html>'


def _finish_shard(bundle: Path, shard: Path) -> None:
    """Filters in a fixed order; the shared files moved to the bundle's root (each run writes the same)."""
    canonicalise_filters(shard)
    for name in _SHARED_FILES:
        (shard / name).replace(bundle / name)
    for name in _UNUSED_FILES:
        (shard / name).unlink(missing_ok=True)


def _write_primary(bundle: Path, shard: str) -> None:
    """The index the search page opens first, in `bundle` beside Pagefind's script: one with no
    pages (the shards are merged into it), made from a shard's entry and meta chunk."""
    entry = json.loads((bundle / shard / "pagefind-entry.json").read_text(encoding="utf-8"))
    version = cbor2.loads(_read_chunk(bundle / shard / f"pagefind.{entry['languages'][INDEX_LANGUAGE]['hash']}.pf_meta"))[0]
    encoded = cbor2.dumps([version, [], [], [], []])
    name = f"{INDEX_LANGUAGE}_{_digest(encoded, 10)}"
    _write_chunk(bundle / f"pagefind.{name}.pf_meta", encoded)
    entry["languages"] = {INDEX_LANGUAGE: {"hash": name, "wasm": INDEX_LANGUAGE, "page_count": 0}}
    _write_entry(bundle / "pagefind-entry.json", entry)


def shard_folder(shard: str) -> str:
    """The output folder of `shard`'s index, as a path prefix (`pagefind/2015/`)."""
    return f"{INDEX_DIR}/{shard}/"


IndexFiles = dict[str, dict[str, Any]]  # shard ("" for the bundle's root files) -> its index files: path -> digest

# The index files of the output state last asked about or made (`index_files`): finding them
# among all output paths is a pass over every one (0.5 s at 100,000 reports, where four in ten
# paths are index files, 0.1 s at 20,000), which a build then spares the next (`serve`) by
# saying which files its own index has (`remember_index_files`). Held with the paths' mapping
# itself, never changed once a build has made it.
_known_index: tuple[Mapping[str, Any], IndexFiles] | None = None


def index_files(files: Mapping[str, Any]) -> IndexFiles:
    """The search index's files among the output `files` (path -> digest), by shard."""
    global _known_index
    if _known_index is not None and _known_index[0] is files:
        return _known_index[1]
    prefix = INDEX_DIR + "/"
    start = len(prefix)
    found: IndexFiles = {}
    for path, value in files.items():
        if path.startswith(prefix):
            slash = path.find("/", start)
            found.setdefault(path[start:slash] if slash >= 0 else "", {})[path] = value
    _known_index = files, found
    return found


def kept_index_files(files: Mapping[str, Any], shards_kept: Iterable[str]) -> IndexFiles:
    """Of the index files among output `files`, those that stay when only `shards_kept` stay as
    they are: theirs and, when any shard stays, the bundle's root files."""
    found = index_files(files)
    kept = list(shards_kept)
    return {shard: found[shard] for shard in ["", *kept] if shard in found} if kept else {}


def remember_index_files(files: Mapping[str, Any], kept: IndexFiles, written: Mapping[str, Any]) -> None:
    """Say that the output `files` hold the index files `kept` (as `kept_index_files` gave them)
    and `written` (path -> digest), so that `index_files(files)` need not look for them."""
    global _known_index
    found = dict(kept)
    for path, value in written.items():
        shard = path[len(INDEX_DIR) + 1:].partition("/")[0] if path.count("/") > 1 else ""
        if found.get(shard) is kept.get(shard):  # shared with the files kept from: copied, not changed
            found[shard] = dict(found.get(shard, {}))
        found[shard][path] = value
    _known_index = files, found


# ---------------------------------------------------------------------------
# Identical bytes from two builds: Pagefind writes filters and each filter's values in
# hash-map order, which changes from run to run. Rewrite the filter files with sorted values
# and the meta chunk with sorted filters; their names (content hashes) change with them, and
# so does the entry file that names the meta chunk. Both are CBOR (`cbor2`: Pagefind's
# encoder, minicbor, writes the same shortest forms, so an untouched chunk reads and writes
# back byte for byte).
# ---------------------------------------------------------------------------


def canonicalise_filters(index: Path) -> None:
    entry_path = index / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        old_meta = index / f"pagefind.{language['hash']}.pf_meta"
        # The meta chunk is CBOR `[version, pages, index chunks, [[filter, chunk]...], sorts]`.
        meta = cbor2.loads(_read_chunk(old_meta))
        for pair in meta[_META_FILTERS]:
            pair[1] = _rewrite_chunk(index / "filter" / f"{pair[1]}.pf_filter", _sorted_filter, 7)
        meta[_META_FILTERS].sort()
        encoded = cbor2.dumps(meta)
        old_meta.unlink()
        new_hash = f"{language['hash'].split('_')[0]}_{_digest(encoded, 10)}"
        _write_chunk(index / f"pagefind.{new_hash}.pf_meta", encoded)
        language["hash"] = new_hash
    _write_entry(entry_path, entry)


def _write_entry(path: Path, entry: dict[str, Any]) -> None:
    _write_new(path, json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode())


def _sorted_filter(data: bytes) -> bytes:
    """A filter chunk is CBOR `[name, [[value, [page...]], ...]]`: sort the value entries."""
    name, values = cbor2.loads(data)
    return cbor2.dumps([name, sorted(values, key=lambda item: item[0])])


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
    _write_new(path, gzip.compress(_PAGEFIND_MAGIC + data, mtime=0))


def _write_new(path: Path, data: bytes) -> None:
    """Write `path` as a new file: one there may be a hard link to a published file."""
    path.unlink(missing_ok=True)
    write_bytes(os.fspath(path), data)
