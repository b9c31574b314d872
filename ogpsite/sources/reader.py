"""Discover and read the site's sources: report files and the institution registry.

Everything is read and validated here, problems collected with `file:line`; nothing is
written. The result feeds the pure model and taxonomy stages.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

from .. import translit
from ..core.controls import UNSAFE, removal_message, unsafe_lines
from ..core.errors import Problem, Severity, suggestion
from ..core.model import FieldLines, Report, slugify
from . import yamltext
from .contained import link_problem

REPORTS_DIR = Path("content") / "reports"
REGISTRY_FILE = Path("content") / "institutions.yml"
BUNDLE_INDEX = "index.md"
FRONT_MATTER_KEYS = (
    "title", "date", "institutions", "place", "tags", "summary",
    "source", "language", "script", "slug", "draft", "aliases", "updated",
)
LANGUAGES = ("sr", "bs", "hr", "cnr")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ALIAS_SEGMENT = re.compile(r"[\w.~+-]+")
_REDIRECTABLE_FILE = (".html", ".htm")
_IGNORED = re.compile(r"^[.~_]|~$|\.sw[a-p]$")  # dotfiles, editor backups and swap files


class SourceFile(NamedTuple):  # a tuple: archives have tens of thousands, made on every build
    path: str  # absolute
    shown: str  # as in messages: relative to the site root
    siblings: tuple[str, ...]  # attachment candidates: non-Markdown files beside it
    bundle: bool  # `slug/index.md`: every sibling is an attachment


@dataclass
class RegistryEntry:
    slug: str
    names: dict[str, str]  # script -> canonical name
    acronyms: dict[str, str]
    aliases: tuple[str, ...]
    description: str
    line: int


class SourceList(list[SourceFile]):
    """The report files found, and the links among them that were not followed (`contained`)."""

    def __init__(self, sources: Iterator[SourceFile] | list[SourceFile] = (), problems: list[Problem] | None = None) -> None:
        super().__init__(sources)
        self.problems: list[Problem] = problems if problems is not None else []


def discover(site_dir: Path) -> SourceList:
    """Every report file below content/reports, in a stable order; a link out of the site, or a
    loop, is a problem and is not followed."""
    root = site_dir / REPORTS_DIR
    problems = [problem for problem in (link_problem(site_dir / folder, site_dir, folder.as_posix()) for folder in (REPORTS_DIR.parent, REPORTS_DIR)) if problem]
    if problems or not root.is_dir():
        return SourceList([], problems)
    found = _walk(site_dir, str(root), problems, {os.path.realpath(root)})
    return SourceList(sorted(found, key=lambda source: source.shown), problems)


def _walk(site_dir: Path, directory: str, problems: list[Problem], visited: set[str]) -> Iterator[SourceFile]:
    # os.scandir: the directory listing says which entries are files, without a stat call each.
    with os.scandir(directory) as listing:
        entries = sorted((entry for entry in listing if not _IGNORED.search(entry.name)), key=lambda entry: entry.name)
    shown_dir = Path(directory).relative_to(site_dir).as_posix()
    if any(entry.is_symlink() for entry in entries):
        entries = _contained(entries, site_dir, shown_dir, problems)
    files = [entry.name for entry in entries if entry.is_file()]
    markdown = [name for name in files if name.endswith(".md")]
    others = tuple(name for name in files if not name.endswith(".md"))
    bundle = BUNDLE_INDEX in markdown and directory != str(site_dir / REPORTS_DIR)
    for name in markdown:
        yield SourceFile(f"{directory}{os.sep}{name}", f"{shown_dir}/{name}", others, bundle)
    for entry in entries:
        if entry.is_dir():
            real = os.path.realpath(entry.path)
            if real in visited:  # a link to a folder it is in, or to one walked already
                problems.append(Problem(f"{shown_dir}/{entry.name}", 0, "symlink is a loop (it leads back to a folder already read): remove it"))
                continue
            visited.add(real)
            yield from _walk(site_dir, entry.path, problems, visited)


def _contained(entries: list[os.DirEntry[str]], site_dir: Path, shown_dir: str, problems: list[Problem]) -> list[os.DirEntry[str]]:
    """`entries` without the links that leave the site, loop or lead nowhere (each a problem)."""
    kept = []
    for entry in entries:
        problem = link_problem(entry.path, site_dir, f"{shown_dir}/{entry.name}") if entry.is_symlink() else None
        if problem is None:
            kept.append(entry)
        else:
            problems.append(problem)
    return kept


def read_report(source: SourceFile, today: date, data: bytes | None = None, language: str = "sr") -> tuple[Report | None, list[Problem]]:
    """Parse one report file; returns the report (None when unusable) and its problems.
    `language`: the site's, a report's own when its front matter names none."""
    shown = source.shown
    raw = Path(source.path).read_bytes() if data is None else data
    text, problems = _decode(raw, shown)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Problem(shown, 1, "the file is empty: start it with front matter between `---` lines (see `ogpsite new`)")]
    split = _split_front_matter(text, shown)
    if isinstance(split, Problem):
        return None, [split]
    front_text, body, body_line = split
    try:
        document = yamltext.parse(front_text, first_line=2)
    except yamltext.YamlSyntaxError as error:
        return None, [Problem(shown, error.line, error.message)]
    if not isinstance(document.data, dict):
        return None, [Problem(shown, 2, "front matter must be `key: value` lines")]
    problems.extend(_removed(shown, document.unsafe))  # written as YAML escapes ("\x01")
    fields = _FieldReader(document, shown)
    report = fields.report(source, body, body_line, today, language)
    problems.extend(fields.problems)
    if report is not None:
        problems.extend(_mixed_script_warnings(report, document, shown))
        problems.extend(_missing_alt_warnings(report))
    return report, problems


# `![](photo.jpg)` and `<img src=…>` with no (or an empty) alt attribute.
_MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.I)
_ALT = re.compile(r"""\balt\s*=\s*(?:"\s*[^"\s][^"]*"|'\s*[^'\s][^']*'|[^\s>"']+)""", re.I)


def _missing_alt_warnings(report: Report) -> list[Problem]:
    """An image without alt text is lost to a reader who cannot see it: a warning at its line."""
    if "![" not in report.body and "<img" not in report.body.lower():
        return []
    found = [(match.start(), f"image `{match.group(2)}` has no alt text: say what it shows, as in ![Učesnici radionice u Konjicu]({match.group(2)})")
             for match in _MARKDOWN_IMAGE.finditer(report.body) if not match.group(1).strip()]
    found += [(match.start(), f"image `{match.group(0)}` has no alt text: say what it shows in alt=\"…\"")
              for match in _HTML_IMAGE.finditer(report.body) if not _ALT.search(match.group(0))]
    return [Problem(report.source, report.body_line + report.body.count("\n", 0, offset), message, Severity.WARNING) for offset, message in sorted(found)]


def _decode(raw: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return None, [Problem(shown, line, f"not valid UTF-8 at byte {error.start}: save the file as UTF-8")]
    # A BOM and Windows line endings are accepted silently.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not UNSAFE.search(text):
        return text, []
    return UNSAFE.sub("", text), _removed(shown, unsafe_lines(text))


def _removed(shown: str, places: Iterable[tuple[int, str]]) -> list[Problem]:
    """A warning for each control character taken out of the file (`core.controls`), at its line."""
    return [Problem(shown, line, removal_message(character), Severity.WARNING) for line, character in places]


def _split_front_matter(text: str, shown: str) -> tuple[str, str, int] | Problem:
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return Problem(shown, 1, "missing front matter: the first line must be `---`, then `title:`, `date:` …, then `---`")
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]) + "\n", "\n".join(lines[index + 1 :]), index + 2
    return Problem(shown, 1, "front matter is not closed: add a `---` line after the last field")


class _FieldReader:
    """Validates front-matter fields one by one, collecting every problem."""

    def __init__(self, document: yamltext.YamlDocument, shown: str) -> None:
        self.data: dict[str, Any] = document.data
        self.document = document
        self.shown = shown
        self.problems: list[Problem] = []

    def error(self, key: str, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(self.shown, self.document.line(key) or 2, message, severity))

    def report(self, source: SourceFile, body: str, body_line: int, today: date, site_language: str) -> Report | None:
        for key in self.data:
            if key not in FRONT_MATTER_KEYS:
                self.error(key, f"unknown front-matter field `{key}`{suggestion(str(key), FRONT_MATTER_KEYS)}")
        title = self.text("title", required=True)
        published = self.date("date", today)
        updated = self.date("updated", today, required=False)
        if published and updated and updated < published:
            self.error("updated", f"`updated: {updated}` is before the report's date {published}")
            updated = None
        slug = self.slug(source)
        language = self.choice("language", LANGUAGES, site_language if site_language in LANGUAGES else "sr")
        script = self.choice("script", ("latin", "cyrillic"), "") or translit.detect_script(f"{title}\n{body}") or "latin"
        report = Report(
            source=source.shown,
            title=title,
            date=published or date(1970, 1, 1),
            slug=slug,
            script=script,
            language=language,
            body=body,
            body_line=body_line,
            institutions=self.text_list("institutions"),
            tags=self.text_list("tags"),
            place=self.text("place"),
            summary=self.text("summary"),
            source_url=self.url("source"),
            draft=self.flag("draft"),
            attachments=source.siblings,
            aliases=self.aliases(),
            updated=updated,
            field_lines=FieldLines(self.document.lines),
        )
        return report if title and published else None

    def text(self, key: str, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.problems.append(Problem(self.shown, 1, f"missing `{key}:` in the front matter"))
            return ""
        if isinstance(value, (dict, list)):
            self.error(key, f"`{key}` must be a single line of text")
            return ""
        return str(value).strip()

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, (dict, list)) or item is None for item in items):
            self.error(key, f"`{key}` must be a list of names, one per line starting with `- `")
            return ()
        return tuple(dict.fromkeys(str(item).strip() for item in items if str(item).strip()))

    def date(self, key: str, today: date, required: bool = True) -> date | None:
        """`date:` (required) or `updated:` as a day."""
        value = self.data.get(key)
        if value is None:
            if required:
                self.problems.append(Problem(self.shown, 1, f"missing `{key}:` in the front matter (write it as YYYY-MM-DD)"))
            return None
        match = _DATE.match(str(value).strip())
        if not match:
            self.error(key, f"{key} `{value}` is not written as YYYY-MM-DD, e.g. 2014-03-05")
            return None
        try:
            day = date(*map(int, match.groups()))
        except ValueError:
            self.error(key, f"{key} {value} does not exist: check the day and the month (YYYY-MM-DD)")
            return None
        if day > today:
            self.error(key, f"{key} {value} is in the future: check the year", Severity.WARNING)
        return day

    def slug(self, source: SourceFile) -> str:
        value = self.data.get("slug")
        if value is None:
            path = Path(source.path)
            stem = path.parent.name if source.bundle else path.stem
            return slugify(stem) or "report"
        text = str(value)
        if not _SLUG.match(text):
            self.error("slug", f"slug `{text}` must be lowercase ASCII letters, digits and single hyphens, like `radionica-konjic`")
            return "invalid-slug"
        return text

    def aliases(self) -> tuple[str, ...]:
        value = self.data.get("aliases")
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        kept = []
        for index, item in enumerate(items):
            line = self.document.line("aliases", index) if isinstance(value, list) else self.document.line("aliases")
            alias, problem = alias_path(item) if isinstance(item, str) else (None, "must be a path like `/2014/03/old-slug/`")
            if alias is None:
                self.problems.append(Problem(self.shown, line or 2, f"alias `{item}` {problem}"))
            elif alias not in kept:
                kept.append(alias)
        return tuple(kept)

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.data.get(key)
        if value is None:
            return default
        if value not in allowed:
            self.error(key, f"`{key}: {value}` is not one of {', '.join(allowed)}{suggestion(str(value), allowed)}")
            return default
        return str(value)

    def url(self, key: str) -> str:
        value = self.text(key)
        if value and urlsplit(value).scheme not in ("http", "https"):
            self.error(key, f"`{key}` must be a full http(s) address, got `{value}`")
            return ""
        return value

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.error(key, f"`{key}` must be true or false")
            return False
        return value


def alias_path(text: str) -> tuple[str | None, str]:
    """An old address as a clean path below the site root (`/2014/03/old/`), or None and why not.

    A folder path gets its trailing `/`; percent-escapes are decoded (the host decodes them too).
    Only folders and `.html` pages can answer with a redirect page on a static host."""
    text = text.strip()
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        return None, f"is a full address: write only its path, `{parts.path or '/'}`"
    if parts.query or parts.fragment or "?" in text or "#" in text:
        return None, "has a query or fragment (`?p=12`, `#x`): a static site cannot answer it; give the address's path"
    if not text.startswith("/"):
        return None, "must be a path below the site root, starting with `/`"
    path = unquote(text)
    segments = path[1:].split("/")
    folder = segments[-1] == ""
    if folder:
        segments.pop()
    if not segments:
        return None, "is the site root, which is the edition chooser"
    if any(segment in (".", "..") or not _ALIAS_SEGMENT.fullmatch(segment) for segment in segments):
        return None, "is not a clean path: use letters, digits, `-`, `_`, `.` between single `/`"
    last = segments[-1]
    if not folder and "." in last and not last.lower().endswith(_REDIRECTABLE_FILE):
        return None, "names a file a static host would not serve as a page: only folders (`/old/`) and `.html` pages can redirect"
    if not folder and not last.lower().endswith(_REDIRECTABLE_FILE):
        path += "/"
    return path, ""


def _mixed_script_warnings(report: Report, document: yamltext.YamlDocument, shown: str) -> list[Problem]:
    """Words that mix look-alike Cyrillic and Latin letters, at their line."""
    finder = getattr(translit, "mixed_script_words", None)
    if finder is None:
        return []
    problems = []
    for key in ("title", "place", "summary"):
        for _, word in finder(str(document.data.get(key) or "")):
            problems.append(Problem(shown, document.line(key), f"`{word}` mixes Cyrillic and Latin letters", Severity.WARNING))
    for offset, word in finder(report.body):
        line = report.body_line + report.body.count("\n", 0, offset)
        problems.append(Problem(shown, line, f"`{word}` mixes Cyrillic and Latin letters", Severity.WARNING))
    return problems


def read_registry(site_dir: Path) -> tuple[list[RegistryEntry], list[Problem]]:
    """The optional institution registry, content/institutions.yml."""
    path = site_dir / REGISTRY_FILE
    shown = REGISTRY_FILE.as_posix()
    outside = link_problem(path, site_dir, shown)
    if outside is not None:
        return [], [outside]
    if not path.exists():
        return [], []
    text, problems = _decode(path.read_bytes(), shown)
    if text is None:
        return [], problems
    try:
        document = yamltext.parse(text)
    except yamltext.YamlSyntaxError as error:
        return [], [Problem(shown, error.line, error.message)]
    if document.data is None:
        return [], problems
    problems.extend(_removed(shown, document.unsafe))
    if not isinstance(document.data, list):
        return [], [Problem(shown, 1, "the registry must be a list of institutions, each starting with `- slug:`")]
    entries = []
    for index, item in enumerate(document.data):
        entry = _registry_entry(item, index, document, shown, problems)
        if entry is not None:
            entries.append(entry)
    return entries, problems


REGISTRY_KEYS = ("slug", "name", "acronym", "aliases", "description")


def _registry_entry(item: Any, index: int, document: yamltext.YamlDocument, shown: str, problems: list[Problem]) -> RegistryEntry | None:
    line = document.line(index)
    if not isinstance(item, dict):
        problems.append(Problem(shown, line, "each institution must be a mapping with `slug:` and `name:`"))
        return None
    for key in item:
        if key not in REGISTRY_KEYS:
            problems.append(Problem(shown, document.line(index, key), f"unknown field `{key}`{suggestion(str(key), REGISTRY_KEYS)}"))
    slug = str(item.get("slug") or "")
    if not _SLUG.match(slug):
        problems.append(Problem(shown, document.line(index, "slug"), f"institution slug `{slug}` must be lowercase ASCII letters, digits and hyphens"))
        return None
    names = _script_pair(item.get("name"), "name", index, document, shown, problems, required=True)
    acronyms = _script_pair(item.get("acronym"), "acronym", index, document, shown, problems, required=False)
    aliases = item.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
        problems.append(Problem(shown, document.line(index, "aliases"), "`aliases` must be a list of names, one per line starting with `- `"))
        aliases = []
    description = item.get("description") or ""
    if not isinstance(description, str):
        problems.append(Problem(shown, document.line(index, "description"), "`description` must be text"))
        description = ""
    if names is None:
        return None
    return RegistryEntry(slug, names, acronyms or {}, tuple(aliases), description, line)


def _script_pair(value: Any, key: str, index: int, document: yamltext.YamlDocument, shown: str, problems: list[Problem], required: bool) -> dict[str, str] | None:
    """`{cyrillic: …, latin: …}`; a single string is taken as written and transliterated later."""
    if value is None:
        if required:
            problems.append(Problem(shown, document.line(index), f"institution needs a `{key}:`"))
        return None
    if isinstance(value, str):
        return {"": value}
    if not isinstance(value, dict) or set(value) - {"cyrillic", "latin"} or not value or not all(isinstance(text, str) for text in value.values()):
        problems.append(Problem(shown, document.line(index, key), f"`{key}` must be text or `cyrillic:` and `latin:` lines"))
        return None
    return {str(script): str(text) for script, text in value.items()}
