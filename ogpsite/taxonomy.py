"""Institutions, tags and date indexes built from validated reports. Pure: no I/O."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Generic, TypeVar

from .errors import Problem, Severity, nearest
from .model import Bilingual, Institution, Report, Site, Tag, merge_key, slugify
from .translit import Converter, detect_script

T = TypeVar("T")


def bilingual(text: str, converter: Converter) -> Bilingual:
    return Bilingual(converter.to_cyrillic(text), converter.to_latin(text))


def registry_institutions(entries: Iterable, converter: Converter) -> tuple[dict[str, Institution], dict[str, str], list[Problem]]:
    """Institutions from registry entries, and the merge-key -> slug index of every name they go by."""
    institutions: dict[str, Institution] = {}
    index: dict[str, str] = {}
    problems: list[Problem] = []
    for entry in entries:
        if entry.slug in institutions:
            problems.append(Problem("content/institutions.yml", entry.line, f"institution slug `{entry.slug}` is used twice"))
            continue
        name = _pair(entry.names, converter)
        acronym = _pair(entry.acronyms, converter) if entry.acronyms else None
        description = bilingual(entry.description, converter) if entry.description else None
        institutions[entry.slug] = Institution(entry.slug, name, acronym, description)
        spellings = [name.cyrillic, name.latin, *((acronym.cyrillic, acronym.latin) if acronym else ()), *entry.aliases]
        for spelling in spellings:
            key = merge_key(spelling)
            if index.get(key, entry.slug) != entry.slug:
                problems.append(Problem("content/institutions.yml", entry.line, f"`{spelling}` also names institution `{index[key]}`"))
            index.setdefault(key, entry.slug)
    return institutions, index, problems


def _pair(names: dict[str, str], converter: Converter) -> Bilingual:
    written = names.get("") or names.get("latin") or names["cyrillic"]
    return Bilingual(
        names.get("cyrillic") or converter.to_cyrillic(written),
        names.get("latin") or converter.to_latin(written),
    )


def build_site(reports: list[Report], entries: Iterable, converter: Converter) -> tuple[Site, list[Problem]]:
    """Merge institutions across scripts, collect tags, check slugs are unique and warn about unregistered names."""
    institutions, index, problems = registry_institutions(entries, converter)
    ordered = sorted(reports, key=attrgetter("date", "slug"), reverse=True)
    problems.extend(_duplicate_slugs(ordered))
    problems.extend(unregistered_warnings(ordered, dict(institutions), index))  # before unregistered names join
    unregistered = _unregistered_names(ordered, index)
    report_institutions: dict[str, tuple[str, ...]] = {}
    for report in ordered:
        slugs = []
        for name in report.institutions:
            key = merge_key(name)
            slug = index.get(key) or slugify(unregistered[key])
            if slug not in institutions:
                institutions[slug] = Institution(slug, bilingual(unregistered[key], converter), registered=False)
            if slug not in slugs:
                slugs.append(slug)
        report_institutions[report.source] = tuple(slugs)
    tags = _tags(ordered)
    return Site(ordered, dict(sorted(institutions.items())), report_institutions, tags), problems


def _unregistered_names(reports: Sequence[Report], index: dict[str, str]) -> dict[str, str]:
    """For each merge key outside the registry, the spelling most reports use (ties: sorted first)."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for report in reports:
        for name in report.institutions:
            if merge_key(name) not in index:
                spellings[merge_key(name)][name] += 1
    return {key: min(counts, key=lambda name: (-counts[name], name)) for key, counts in spellings.items()}


def unregistered_warnings(reports: Sequence[Report], registered: dict[str, Institution], index: dict[str, str]) -> list[Problem]:
    """Institutions not in the registry, at their line, with the nearest registry name suggested."""
    if not registered:
        return []
    problems = []
    hints: dict[str, str] = {}  # a name recurs in thousands of reports; difflib runs once per name
    for report in reports:
        for position, name in enumerate(report.institutions):
            if merge_key(name) not in index:
                hint = hints.get(name)
                if hint is None:
                    hint = hints[name] = _nearest_registered(name, registered, index)
                message = f"institution `{name}` is not in content/institutions.yml{hint}"
                problems.append(Problem(report.source, report.line("institutions", position), message, Severity.WARNING))
    return problems


def _nearest_registered(name: str, registered: dict[str, Institution], index: dict[str, str]) -> str:
    """' (did you mean `X`?)' with X the closest registry spelling, written as the registry writes it."""
    # Institution names share long words (`opština`, `agencija za`): only a near-miss is a suggestion.
    close_key = nearest(merge_key(name), index, cutoff=0.75)
    if close_key is None:
        return ""
    institution = registered[index[close_key]]
    spellings = [institution.name, institution.acronym] if institution.acronym else [institution.name]
    script = detect_script(name) or "latin"
    readable = {merge_key(spelling[script]): spelling[script] for spelling in spellings}
    return f" (did you mean `{readable.get(close_key, institution.name[script])}`?)"


def _duplicate_slugs(reports: Sequence[Report]) -> list[Problem]:
    """A second report with a slug in use: named at its `slug:` line, or its file name when the slug comes from it."""
    first_use: dict[str, Report] = {}
    problems = []
    for report in sorted(reports, key=attrgetter("source")):
        other = first_use.setdefault(report.slug, report)
        if other is report:
            continue
        if ("slug",) in report.field_lines:
            message = f"slug `{report.slug}` is already used by {other.source}: choose another `slug:`"
        else:
            message = f"this file gets the URL slug `{report.slug}`, as {other.source} does: rename the file or add a `slug:` line"
        problems.append(Problem(report.source, report.line("slug"), message))
    return problems


def _tags(reports: Sequence[Report]) -> dict[str, Tag]:
    tags: dict[str, Tag] = {}
    for report in sorted(reports, key=attrgetter("source")):
        for name in report.tags:
            slug = slugify(name)
            if slug:
                tags.setdefault(slug, Tag(slug, name))
    return dict(sorted(tags.items()))


def tag_slugs(report: Report) -> tuple[str, ...]:
    return tuple(dict.fromkeys(slug for slug in map(slugify, report.tags) if slug))


def by_year(reports: Sequence[Report]) -> dict[int, list[Report]]:
    groups: dict[int, list[Report]] = defaultdict(list)
    for report in reports:
        groups[report.date.year].append(report)
    return dict(sorted(groups.items(), reverse=True))


def by_month(reports: Sequence[Report]) -> dict[tuple[int, int], list[Report]]:
    groups: dict[tuple[int, int], list[Report]] = defaultdict(list)
    for report in reports:
        groups[(report.date.year, report.date.month)].append(report)
    return dict(sorted(groups.items(), reverse=True))


def by_institution(site: Site) -> dict[str, list[Report]]:
    groups: dict[str, list[Report]] = {slug: [] for slug in site.institutions}
    for report in site.reports:
        for slug in site.report_institutions[report.source]:
            groups[slug].append(report)
    return {slug: reports for slug, reports in groups.items() if reports}


def by_tag(site: Site) -> dict[str, list[Report]]:
    groups: dict[str, list[Report]] = {slug: [] for slug in site.tags}
    for report in site.reports:
        for slug in tag_slugs(report):
            groups[slug].append(report)
    return groups


@dataclass(frozen=True)
class Pager(Generic[T]):
    """One page of a paginated list; `number` counts from 1."""

    items: Sequence[T]
    number: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.count


def paginate(items: Sequence[T], per_page: int) -> list[Pager[T]]:
    """Split into pages; an empty list still has one (empty) page."""
    count = max(1, -(-len(items) // per_page))
    return [Pager(items[(number - 1) * per_page : number * per_page], number, count) for number in range(1, count + 1)]


def page_path(base: str, number: int) -> str:
    """`base` for page 1, `base/page/N/` after it."""
    return base if number == 1 else f"{base}page/{number}/"
