"""Render planned pages with Jinja, once per edition (script).

Report bodies arrive as sanitised HTML; each edition gets them transliterated. Templates
see only edition-ready text: every string a page shows went through the converter.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from markupsafe import Markup

from ..core import i18n
from ..core.errors import BuildError, Problem
from ..core.model import Report, Site
from ..core.pages import PageSpec
from ..core.settings import Config
from ..core.taxonomy import page_numbers, page_path
from ..sources.markup import EDITION_ROOT
from ..translit import Converter, Script
from .images import PublishedImage, responsive
from .metadata import OG_IMAGE_WIDTH, ArticleFacts, Meta, PageFacts, page_meta

# Shipped inside the package (package-data), so an installed wheel builds a site with no theme of its own.
PACKAGE_THEMES = Path(__file__).resolve().parents[1] / "themes"
SCRIPT_SUBTAG = {"cyrillic": "Cyrl", "latin": "Latn"}


@dataclass(frozen=True)
class Edition:
    script: Script
    code: str  # path segment: `cyr`, `lat`

    def lang(self, language: str) -> str:
        return f"{language}-{SCRIPT_SUBTAG[self.script]}"


def editions(config: Config) -> tuple[Edition, Edition]:
    """Both editions, the default one first."""
    cyrillic = Edition("cyrillic", config.editions.cyrillic)
    latin = Edition("latin", config.editions.latin)
    return (cyrillic, latin) if config.default_script == "cyrillic" else (latin, cyrillic)


def theme_roots(site_dir: Path) -> tuple[Path, Path]:
    """Where themes are looked for, in order: the site's own `themes/`, then ogpsite's."""
    return site_dir / "themes", PACKAGE_THEMES


def theme_directory(site_dir: Path, theme: str) -> Path:
    """The site's own `themes/<name>` first, then the themes shipped with ogpsite."""
    for root in theme_roots(site_dir):
        if (root / theme / "templates").is_dir():
            return root / theme
    raise FileNotFoundError(theme)


def available_themes(site_dir: Path) -> list[str]:
    """Every theme name either root offers (a folder with `templates/`)."""
    return sorted({path.parent.name for root in theme_roots(site_dir) for path in root.glob("*/templates") if path.is_dir()})


def environment(site_dir: Path, theme_dir: Path, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """`templates/` overrides the theme; `theme/x.html` always names the theme's own file.

    With `bytecode_dir`, compiled templates are kept there (by name and source checksum):
    parsing and compiling them costs a warm build more than rendering a few pages.

    Made anew for every build, so templates need no checking for edits while it renders
    (`auto_reload` would stat a page's every template, include and base: 4 stats a page).
    """
    theme_templates = jinja2.FileSystemLoader(theme_dir / "templates")
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(site_dir / "templates"),
        jinja2.PrefixLoader({"theme": theme_templates}),
        theme_templates,
    ])
    return jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(bytecode_dir)) if bytecode_dir else None,
    )


class Link(NamedTuple):  # a tuple: list pages make thousands
    text: str
    url: str


class ReportLink(NamedTuple):
    """Another report, as a report page links to it (previous, next, related)."""

    title: str
    url: str
    date: str
    date_iso: str
    lang: str


# The main menu: (UI key, edition-relative path); the search entry only with search.
NAV = (("latest", ""), ("archive", "archive/"), ("institutions", "institutions/"), ("tags", "tags/"), ("search", "search/"))
# The menu entry each kind of page is under; `aria-current="page"` on the entry's own page.
NAV_SECTION = {"home": "latest", "archive": "archive", "year": "archive", "month": "archive", "report": "archive",
               "institutions": "institutions", "institution": "institutions", "tags": "tags", "tag": "tags", "search": "search"}


class ReportView:
    """A report as one edition shows it."""

    # The cached properties that hold its body (`EditionRenderer.release_body`).
    BODY_PROPERTIES = ("converted_html", "_converted", "first_image", "body", "absolute_body")

    def __init__(self, report: Report, edition_renderer: "EditionRenderer") -> None:
        self.report = report
        self._renderer = edition_renderer
        self.title = edition_renderer.text(report.title)
        self.date = edition_renderer.format_date(report)
        self.date_iso = report.date.isoformat()
        self.path = report.path
        self.url = edition_renderer.url(report.path)
        self.other_url = edition_renderer.other_root + report.path
        self.lang = edition_renderer.edition.lang(report.language)
        self.source_url = report.source_url

    # Made when a template asks: a list page shows the institutions, not the tags.
    @cached_property
    def summary(self) -> str:
        return self._renderer.text(self._renderer.shared.summaries[self.report.source])

    @cached_property
    def place(self) -> str:
        return self._renderer.text(self.report.place)

    @cached_property
    def institutions(self) -> list[Link]:
        renderer = self._renderer
        institutions, script = renderer.shared.site.institutions, renderer.edition.script
        return [Link(institutions[slug].name[script], renderer.url(f"institutions/{slug}/")) for slug in renderer.shared.site.report_institutions[self.report.source]]

    @cached_property
    def tags(self) -> list[Link]:
        renderer = self._renderer
        tags = renderer.shared.site.tags
        return [Link(renderer.text(tags[slug].name), renderer.url(f"tags/{slug}/")) for slug in renderer.shared.site.report_tags[self.report.source]]

    @cached_property
    def converted_html(self) -> str:
        """The body in this edition's script as the converter writes it, edition root still a
        placeholder: transliterated once, for page, feeds and the search record."""
        shared = self._renderer.shared
        return shared.converter.convert_html(shared.bodies[self.report.source], self._renderer.edition.script)

    @cached_property
    def _converted(self) -> str:
        """The body as pages and feeds show it: tables scroll, images are responsive."""
        shared = self._renderer.shared
        converted = self.converted_html
        if "<table" in converted:
            converted = self._renderer.scrolling_tables(converted)
        return responsive(converted, shared.images.get(self.report.source, {}), self.report.path)

    @cached_property
    def first_image(self) -> tuple[str, int, int, str] | None:
        """The report's first published image for link previews: (absolute URL, width, height, alt)."""
        shared = self._renderer.shared
        images = shared.images.get(self.report.source)
        if not images:
            return None
        first = min(images.values(), key=lambda image: _position(self._converted, image.name))
        variant = first.widest(OG_IMAGE_WIDTH)
        return shared.config.absolute(self._renderer.url(self.report.path + variant.name)), variant.width, variant.height, _alt_of(self._converted, first.name)

    @cached_property
    def body(self) -> Markup:
        return Markup(self._converted.replace(EDITION_ROOT, self._renderer.root))

    @cached_property
    def absolute_body(self) -> str:
        """The body with site-absolute URLs, for feeds."""
        return self._converted.replace(EDITION_ROOT, self._renderer.shared.config.absolute(self._renderer.root))


@dataclass
class SharedRenderData:
    """What every edition's rendering reads: the model and the bodies as sanitised HTML."""

    site: Site
    config: Config
    converter: Converter
    bodies: Mapping[str, str]  # report source -> HTML with EDITION_ROOT placeholders
    summaries: dict[str, str]  # report source -> summary text, in the report's script
    by_source: dict[str, Report]  # the site's reports by source (as loading found them: a dict of them all costs 0.15 s at 100,000 reports)
    images: dict[str, dict[str, PublishedImage]] = field(default_factory=dict)  # report source -> file name -> image


class EditionRenderer:
    def __init__(self, shared: SharedRenderData, edition: Edition, other: Edition, env: jinja2.Environment, static_urls: dict[str, str]) -> None:
        self.shared = shared
        self.edition = edition
        self.other = other
        self.env = env
        self.static_urls = static_urls
        config = shared.config
        self.root = f"{config.base_path}{edition.code}/"
        self.other_root = f"{config.base_path}{other.code}/"
        self._views: dict[str, ReportView] = {}
        self._texts: dict[str, str] = {}  # text -> in this edition's script
        self._links: dict[str, ReportLink] = {}  # report source -> link: a report is linked from about seven pages
        self._ui: dict[tuple[str, int | None], str] = {}  # (key, count) -> UI text: a page asks for about a dozen

    def text(self, value: str) -> str:
        """`value` in this edition's script; memoised, as pages repeat UI strings and tag names."""
        converted = self._texts.get(value)
        if converted is None:
            converted = self._texts[value] = self.shared.converter.convert(value, self.edition.script)
        return converted

    def url(self, path: str) -> str:
        return self.root + path

    def format_date(self, report: Report) -> str:
        return i18n.format_date(report.date, report.language, self.edition.script)

    def view(self, report: Report) -> ReportView:
        view = self._views.get(report.source)
        if view is None:
            view = self._views[report.source] = ReportView(report, self)
        return view

    def release_body(self, report: Report) -> None:
        """Forget the body of `report` as this edition shows it, once its page is written: kept,
        the bodies of every report a worker renders made it the build's largest process (at
        100,000 reports it grew from 2.4 GB to 4.2 GB). A feed showing the report later makes it again."""
        view = self._views.get(report.source)
        if view is not None:
            for name in ReportView.BODY_PROPERTIES:
                view.__dict__.pop(name, None)

    def ui(self, key: str, count: int | None = None) -> str:
        text = self._ui.get((key, count))
        if text is None:
            text = self._ui[(key, count)] = self.text(i18n.ui_text(key, count, self.shared.config.language))
        return text

    def scrolling_tables(self, body_html: str) -> str:
        """Each table in a region of its own that scrolls sideways: focusable (a keyboard scrolls
        it), labelled, with the hint script.js shows when the table is wider than the page."""
        opening = (f'<div class="table-scroll" role="region" tabindex="0" aria-label="{html.escape(self.ui("table"))}" '
                   f'data-hint="{html.escape(self.ui("table_hint"))}"><table')
        return body_html.replace("<table", opening).replace("</table>", "</table></div>")

    def count(self, number: int, key: str = "reports") -> str:
        return f"{number} {self.ui(key, number)}"

    def script_name(self, script: Script) -> str:
        """`Ћирилица` / `Latinica`: a script's name, written in that script."""
        return self.shared.converter.convert(i18n.ui_text(script, language=self.shared.config.language), script)

    def month_name(self, month: int, width: str = "wide") -> str:
        return i18n.month_name(month, self.shared.config.language, self.edition.script, width)

    def render(self, page: PageSpec) -> str:
        config = self.shared.config
        context = self._common(page)
        context.update(self._page_context(page))
        if page.kind == "feed":
            context["feed_url"] = config.absolute(self.url(page.path))
            context["feed_page"] = config.absolute(self.url(page.path.removesuffix("feed.xml")))
            context["absolute"] = config.absolute
        else:
            context["meta"] = self._meta(page, context)
        return self._render_template(page.template, context, f"{self.edition.code}/{page.output_file}")

    def render_root(self, page: PageSpec) -> str:
        """A page outside the editions (the chooser, 404), linking to both."""
        config = self.shared.config
        choices = [
            {"url": f"{config.base_path}{edition.code}/", "code": edition.code, "lang": edition.lang(config.language), "name": self.script_name(edition.script)}
            for edition in (self.edition, self.other)
        ]
        context = {
            "site_title": self.text(config.title),
            "lang": self.edition.lang(config.language),
            "static": self.static_urls.__getitem__,
            "absolute": config.absolute,
            "choices": choices,
            "default_url": choices[0]["url"],
            "default_code": self.edition.code,
            "edition_codes": [edition.code for edition in (self.edition, self.other)],
            "base_path": config.base_path,
            "choose_text": " / ".join(text["text"] for text in self._in_each_script("choose", choices)),
            "not_found_title": self.ui("not_found"),
            "not_found_texts": self._in_each_script("not_found_text", choices),
            "latest_links": [
                {**text, "url": choice["url"]} for text, choice in zip(self._in_each_script("latest", choices), choices)
            ],
            "search_url": choices[0]["url"] + "search/" if self.env.globals.get("search_enabled") else "",
            "search_texts": self._in_each_script("search", choices),
            "theme_color": config.theme_color,
        }
        return self._render_template(page.template, context, page.template)

    def _render_template(self, template: str, context: dict[str, Any], rendering: str) -> str:
        try:
            return self.env.get_template(template).render(context)
        except jinja2.TemplateError as error:
            raise BuildError([template_problem(error, rendering)]) from None

    def _in_each_script(self, key: str, choices: list[dict[str, str]]) -> list[dict[str, str]]:
        """A UI string in both scripts, this edition's first, each with its language tag."""
        return [
            {"lang": choice["lang"], "text": self.shared.converter.convert(i18n.ui_text(key, language=self.shared.config.language), edition.script)}
            for choice, edition in zip(choices, (self.edition, self.other))
        ]

    def _common(self, page: PageSpec) -> dict[str, Any]:
        config = self.shared.config
        other_url = self.other_root + page.path
        own_lang = self.edition.lang(page.language)
        other_lang = self.other.lang(page.language)
        return {
            "site_title": self.text(config.title),
            "site_description": self.text(config.description),
            "page": page,
            "title": self.text(page.title[self.edition.script]) if page.title else "",
            "lang": own_lang,
            "edition": self.edition,
            "home_url": self.root,
            "canonical": config.absolute(self.url(page.path)),
            "alternates": [(own_lang, config.absolute(self.url(page.path))), (other_lang, config.absolute(other_url))],
            "x_default": config.absolute((self.root if self.edition.script == config.default_script else self.other_root) + page.path),
            "other_url": other_url,
            "other_code": self.other.code,
            "other_lang": other_lang,
            "other_name": self.script_name(self.other.script),
            "url": self.url,
            "static": self.static_urls.__getitem__,
            "ui": self.ui,
            "count": self.count,
            "month_name": self.month_name,
            "nav": self._nav(page),
            "theme_color": config.theme_color,
        }

    @cached_property
    def _nav_links(self) -> list[tuple[str, Link]]:
        search = self.env.globals.get("search_enabled", False)
        return [(key, Link(self.ui(key), self.url(path))) for key, path in NAV if key != "search" or search]

    def _nav(self, page: PageSpec) -> list[tuple[Link, str]]:
        """The menu's links, each with its `aria-current` value ("" for none)."""
        section = NAV_SECTION.get(page.kind)
        exact = page.kind in ("archive", "institutions", "tags", "search") or (page.kind == "home" and page.path == "")
        return [(link, ("page" if exact else "true") if key == section else "") for key, link in self._nav_links]

    def _breadcrumbs(self, page: PageSpec, title: str) -> list[Link]:
        """From the edition's home down to the page (its own entry has no URL); none on the home pages."""
        kind, data = page.kind, page.data
        if kind in ("home", "feed"):
            return []
        crumbs = [Link(self.text(self.shared.config.title), self.root)]
        report = data.get("report")
        year = report.date.year if report else data.get("year")
        if year is not None and kind != "year":
            crumbs.append(Link(str(year), self.url(f"{year}/")))
            if report:
                month = report.date.month
                crumbs.append(Link(f"{self.month_name(month)} {year}.", self.url(f"{year}/{month:02d}/")))
        elif kind in ("institution", "tag"):
            crumbs.append(Link(self.ui(kind + "s"), self.url(kind + "s/")))
        crumbs.append(Link(title, ""))
        return crumbs

    def _meta(self, page: PageSpec, context: dict[str, Any]) -> Meta:
        config = self.shared.config
        view = context.get("report")
        title = view.title if view else context["title"]
        absolute = config.absolute
        crumbs = [(crumb.text, absolute(crumb.url) if crumb.url else context["canonical"]) for crumb in context["breadcrumbs"]]
        article = None
        if view:
            report = view.report
            authors = [(link.text, absolute(link.url)) for link in view.institutions]
            publisher = self.text(config.publisher or config.title)
            article = ArticleFacts(report.date, report.updated, [link.text for link in view.tags], authors or [(publisher, absolute(self.root))],
                                   publisher, absolute(self.root), view.first_image)
            description = view.summary
        else:
            description = context.get("description") or context["site_description"]
        facts = PageFacts(title, description, context["canonical"], context["site_title"], page.language, context["lang"], crumbs, article)
        return page_meta(facts)

    def _page_context(self, page: PageSpec) -> dict[str, Any]:
        data = page.data
        context: dict[str, Any] = {}
        if "report" in data:
            context["report"] = self.view(data["report"])
        if "onward" in data:
            links = data["onward"]
            context["previous_report"] = self._report_link(links.previous)
            context["next_report"] = self._report_link(links.next)
            context["related"] = [self._report_link(source) for source in links.related]
        if "reports" in data:
            context["reports"] = [self.view(report) for report in data["reports"]]
        if "pager" in data:
            pager = data["pager"]
            base = data["base"]
            context["reports"] = [self.view(report) for report in pager.items]
            context["pager"] = pager
            context["previous_url"] = self.url(page_path(base, pager.number - 1)) if pager.has_previous else ""
            context["next_url"] = self.url(page_path(base, pager.number + 1)) if pager.has_next else ""
            context["page_links"] = [(number, self.url(page_path(base, number))) if number else None for number in page_numbers(pager.number, pager.count)]
        if "feed" in data:
            context["feed_url"] = self.url(data["feed"])
        if "institution" in data:
            institution = data["institution"]
            context["institution"] = institution
            context["description"] = institution.description[self.edition.script] if institution.description else ""
            context["acronym"] = institution.acronym[self.edition.script] if institution.acronym else ""
        if "institutions" in data:
            context["institutions"] = [
                (Link(institution.name[self.edition.script], self.url(f"institutions/{institution.slug}/")), count)
                for institution, count in data["institutions"]
            ]
        if "tags" in data:
            context["tags"] = [(Link(self.text(tag.name), self.url(f"tags/{tag.slug}/")), count) for tag, count in data["tags"]]
        for key in ("years", "months", "year", "total"):
            if key in data:
                context[key] = data[key]
        context["breadcrumbs"] = self._breadcrumbs(page, self.text(page.title[self.edition.script]) if page.title else "")
        return context

    def _report_link(self, source: str) -> ReportLink | None:
        if not source:
            return None
        link = self._links.get(source)
        if link is None:
            report = self.shared.by_source[source]
            link = self._links[source] = ReportLink(self.text(report.title), self.url(report.path), self.format_date(report),
                                                    report.date.isoformat(), self.edition.lang(report.language))
        return link


def _position(body_html: str, name: str) -> int:
    """Where the body first shows the image `name` (its end when it does not)."""
    found = body_html.find(f'/{html.escape(name)}"')
    return found if found >= 0 else len(body_html)


_IMG_TAG = re.compile(r"<img\s[^>]*>")
_ALT = re.compile(r'\salt="([^"]*)"')


def _alt_of(body_html: str, name: str) -> str:
    """The alt text of the first `<img>` showing `name`, its attributes in any order."""
    shown = f'/{html.escape(name)}"'
    for tag in _IMG_TAG.finditer(body_html):
        if shown in tag.group():
            alt = _ALT.search(tag.group())
            return html.unescape(alt.group(1)) if alt else ""
    return ""


def template_problem(error: jinja2.TemplateError, rendering: str) -> Problem:
    """A template mistake as `template:line: message`, not a traceback; `rendering` names the page."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        path, line = error.filename or error.name or "template", error.lineno
    else:
        # Jinja rewrites tracebacks so template lines appear as frames of the template file.
        frames = [frame for frame in traceback.extract_tb(error.__traceback__) if not frame.filename.endswith(".py")]
        path, line = (frames[-1].filename, frames[-1].lineno or 0) if frames else ("template", 0)
    return Problem(_shown_path(path), line, f"{error.message or type(error).__name__} (while rendering {rendering})")


def _shown_path(path: str) -> str:
    """A template file as the user sees it: relative to the working folder when inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path


def static_files(theme_dir: Path, base_path: str) -> dict[str, tuple[Path, str]]:
    """Theme assets: name -> (file, URL with a content hash so browsers never see a stale copy)."""
    static_dir = theme_dir / "static"
    files: dict[str, tuple[Path, str]] = {}
    if static_dir.is_dir():
        for path in sorted(static_dir.rglob("*")):
            if path.is_file():
                name = path.relative_to(static_dir).as_posix()
                digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
                files[name] = (path, f"{base_path}static/{name}?v={digest}")
    return files


def bundled_attachments(report: Report, bundle: bool) -> set[str]:
    """A bundle (`slug/index.md`) publishes every file beside it; other reports only what their body links to."""
    return set(report.attachments) if bundle else set()


def report_link_resolver(report: Report, reports_by_source: dict[str, Report], bundle: bool) -> tuple[Callable[[str], str | None], set[str]]:
    """Resolves a body's relative links: `.md` files to report URLs, siblings to attachments."""
    used_attachments = bundled_attachments(report, bundle)
    directory = posixpath.dirname(report.source)

    def resolve(target: str) -> str | None:
        path, hash_mark, fragment = target.partition("#")
        path = path.split("?", 1)[0]
        suffix = hash_mark + fragment
        if not path:
            return target
        resolved = posixpath.normpath(posixpath.join(directory, path))
        if resolved.endswith(".md"):
            linked = reports_by_source.get(resolved) or reports_by_source.get(resolved.removesuffix(".md") + "/index.md")
            return EDITION_ROOT + linked.path + suffix if linked else None
        if posixpath.dirname(resolved) == directory and posixpath.basename(resolved) in report.attachments:
            used_attachments.add(posixpath.basename(resolved))
            return EDITION_ROOT + report.path + posixpath.basename(resolved) + suffix
        return None

    return resolve, used_attachments
