"""Institutions, tags and date indexes built from validated reports. Pure: no I/O."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import Generic, TypeVar

from ..translit import Converter, detect_script
from .errors import Problem, Severity, errors_only, nearest
from .model import Bilingual, Institution, Report, Site, Tag, merge_key, slugify

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


@dataclass
class Placing:
    """What placing reports in a site takes besides the reports: kept with the site, so that a
    few changed reports can be placed again (`update_site`) without going through the others."""

    registered: dict[str, Institution]  # the registry's institutions, by slug
    index: dict[str, str]  # merge key -> registered slug, for every name the registry gives
    registry_problems: list[Problem]
    key_of: dict[str, str]  # institution spelling -> merge key, for every spelling a report writes
    warnings: dict[str, list[Problem]]  # report source -> its unregistered-institution warnings
    tag_first: dict[str, str]  # tag slug -> source of the report whose spelling names the tag
    slug_counts: Counter[str]  # how many reports have each URL slug
    ordered_warnings: list[Problem]  # `warnings_of` the site's reports, as last computed

    def warnings_of(self, reports: Sequence[Report]) -> list[Problem]:
        """The reports' warnings, in `reports` order."""
        warnings = self.warnings
        return list(chain.from_iterable(warnings[report.source] for report in reports if report.source in warnings))


def build_site(reports: list[Report], entries: Iterable, converter: Converter) -> tuple[Site, list[Problem]]:
    """Merge institutions across scripts, collect tags, check slugs are unique and warn about unregistered names."""
    site, _, problems = place_reports(reports, entries, converter)
    return site, problems


def place_reports(reports: list[Report], entries: Iterable, converter: Converter) -> tuple[Site, Placing, list[Problem]]:
    """`build_site`, with what `update_site` needs to place changed reports in the same site."""
    registered, index, problems = registry_institutions(entries, converter)
    ordered = sorted(reports, key=NEWEST_FIRST, reverse=True)
    by_source = sorted(reports, key=attrgetter("source"))
    duplicates = _duplicate_slugs(by_source)
    # A few hundred spellings recur in tens of thousands of reports: each is looked at once.
    key_of = {name: merge_key(name) for name in chain.from_iterable(report.institutions for report in ordered)}
    placing = Placing(registered, index, problems, key_of, _warnings(ordered, registered, index, key_of), {}, Counter(report.slug for report in reports), [])
    institutions, institution_of = _institutions(ordered, placing, converter)
    tags, tag_of, placing.tag_first = _tags(by_source)
    report_institutions = _slugs_of(ordered, "institutions", institution_of)
    report_tags = _slugs_of(ordered, "tags", tag_of)
    site = Site(ordered, institutions, report_institutions, tags, report_tags)
    placing.ordered_warnings = placing.warnings_of(ordered)
    return site, placing, [*problems, *duplicates, *placing.ordered_warnings]


NEWEST_FIRST = attrgetter("date", "slug")  # sorted by it, reversed


def update_site(site: Site, placing: Placing, changed: Collection[str], listed: dict[str, Report], reports: dict[str, Report],
                converter: Converter) -> list[Problem] | None:
    """Place the reports of `changed` sources again: removed (not in `reports`), added, or
    edited where they are listed (`listed`: those of them the site lists, as it lists them).
    Returns the site's problems; None when the change reaches further than the changed
    reports' own lists (a name the site gives an institution or tag, a duplicate slug): `site`
    is then half-updated and must be built afresh with `place_reports`."""
    if errors_only(placing.registry_problems):
        return None
    added = [reports[source] for source in sorted(changed) if source in reports]
    counts = placing.slug_counts
    for report in listed.values():
        # By identity: `list.remove` would compare each report before it field by field.
        del site.reports[next(index for index, held in enumerate(site.reports) if held is report)]
        counts[report.slug] -= 1
        if not counts[report.slug]:
            del counts[report.slug]
    for report in added:
        _insert_newest_first(site.reports, report)
        counts[report.slug] += 1
    if max(counts.values(), default=0) > 1:
        return None  # a duplicate slug: `place_reports` says where
    had_warnings = not placing.warnings.keys().isdisjoint(changed)
    touched_institutions = {slug for source in changed for slug in site.report_institutions.get(source, ())}
    touched_tags = {slug for source in changed for slug in site.report_tags.get(source, ())}
    for source in changed:
        for names in (site.report_institutions, site.report_tags, placing.warnings):
            names.pop(source, None)
    for name in chain.from_iterable(report.institutions for report in added):
        if name not in placing.key_of:
            placing.key_of[name] = merge_key(name)
    placing.warnings.update((source, problems) for source, problems in _warnings(added, placing.registered, placing.index, placing.key_of).items())
    institution_of = _institution_names(site, placing, added, touched_institutions, converter)
    tag_of = _tag_names(site, placing, added, touched_tags, changed)
    if institution_of is None or tag_of is None:
        return None
    site.report_institutions.update(_slugs_of(added, "institutions", institution_of))
    site.report_tags.update(_slugs_of(added, "tags", tag_of))
    if had_warnings or not placing.warnings.keys().isdisjoint(changed):  # else only reports without warnings moved
        placing.ordered_warnings = placing.warnings_of(site.reports)
    return [*placing.registry_problems, *placing.ordered_warnings]


def _insert_newest_first(reports: list[Report], report: Report) -> None:
    """Insert `report` into `reports`, sorted by `NEWEST_FIRST` reversed, after any equal to it."""
    key = NEWEST_FIRST(report)
    low, high = 0, len(reports)
    while low < high:
        middle = (low + high) // 2
        if NEWEST_FIRST(reports[middle]) >= key:
            low = middle + 1
        else:
            high = middle
    reports.insert(low, report)


def _institution_names(site: Site, placing: Placing, added: Sequence[Report], touched: set[str], converter: Converter) -> dict[str, str] | None:
    """The slug of every name the added reports write; None if an institution's name changes."""
    key_of, index = placing.key_of, placing.index
    names = set(chain.from_iterable(report.institutions for report in added))
    unregistered = {slug for slug in touched if not site.institutions[slug].registered}
    if unregistered or any(key_of[name] not in index for name in names):
        # Which spelling names an unregistered institution is counted over every report.
        institutions, institution_of = _institutions(site.reports, placing, converter)
        if any(site.institutions[slug] != institutions[slug] for slug in site.institutions.keys() & institutions.keys()):
            return None
        site.institutions = institutions
        return institution_of
    return {name: index[key_of[name]] for name in names}


def _tag_names(site: Site, placing: Placing, added: Sequence[Report], touched: set[str], changed: Collection[str]) -> dict[str, str] | None:
    """The slug of every tag the added reports write; None if a tag's name changes."""
    tag_of = {name: slugify(name) for name in chain.from_iterable(report.tags for report in added)}
    first = dict(placing.tag_first)  # slug -> the file that names it, as far as the added reports go
    for report in added:
        for slug in filter(None, map(tag_of.__getitem__, report.tags)):
            first[slug] = min(first.get(slug, report.source), report.source)
    if any(first[slug] in changed for slug in touched | set(filter(None, tag_of.values()))):
        # A tag is named by the first report (by path) that writes it: that report changed, or is new to the tag.
        tags, all_tags, placing.tag_first = _tags(sorted(site.reports, key=attrgetter("source")))
        if any(site.tags[slug] != tags[slug] for slug in site.tags.keys() & tags.keys()):
            return None
        site.tags = tags
        return {name: all_tags[name] for name in tag_of}
    return tag_of


def _institutions(ordered: Sequence[Report], placing: Placing, converter: Converter) -> tuple[dict[str, Institution], dict[str, str]]:
    """Every institution by slug (the registry's, then one per other merge key, named by its
    most written spelling), and the slug of each spelling."""
    institutions = dict(placing.registered)
    key_of, index = placing.key_of, placing.index
    unregistered = _unregistered_names(ordered, index, key_of)
    institution_of: dict[str, str] = {}
    for name, key in key_of.items():
        if key not in index and key not in unregistered:
            continue  # written by no report any more
        slug = institution_of[name] = index.get(key) or slugify(unregistered[key])
        if slug not in institutions:
            institutions[slug] = Institution(slug, bilingual(unregistered[key], converter), registered=False)
    return dict(sorted(institutions.items())), institution_of


def _slugs_of(reports: Sequence[Report], field_name: str, slug_of: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Per report source, the slugs its `field_name` names resolve to: each once, in written order, none empty.
    Reports repeat the same few combinations of names; each combination is resolved once."""
    resolved: dict[tuple[str, ...], tuple[str, ...]] = {}
    result = {}
    get_names = attrgetter(field_name)
    for report in reports:
        names = get_names(report)
        slugs = resolved.get(names)
        if slugs is None:
            slugs = resolved[names] = tuple(dict.fromkeys(filter(None, map(slug_of.__getitem__, names))))
        result[report.source] = slugs
    return result


def _unregistered_names(reports: Sequence[Report], index: dict[str, str], key_of: dict[str, str]) -> dict[str, str]:
    """For each merge key outside the registry, the spelling most reports use (ties: sorted first)."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    written = Counter(chain.from_iterable(report.institutions for report in reports))
    for name, count in written.items():
        if key_of[name] not in index:
            spellings[key_of[name]][name] += count
    return {key: min(counts, key=lambda name: (-counts[name], name)) for key, counts in spellings.items()}


def _warnings(reports: Sequence[Report], registered: dict[str, Institution], index: dict[str, str], key_of: dict[str, str]) -> dict[str, list[Problem]]:
    """Institutions not in the registry, at their line, with the nearest registry name suggested:
    by report source (reports without any left out), in `reports` order."""
    if not registered:
        return {}
    hints = {name: _nearest_registered(name, registered, index) for name in dict.fromkeys(chain.from_iterable(report.institutions for report in reports)) if key_of[name] not in index}
    warnings: dict[str, list[Problem]] = {}
    for report in reports:
        for position, name in enumerate(report.institutions):
            hint = hints.get(name)
            if hint is not None:
                message = f"institution `{name}` is not in content/institutions.yml{hint}"
                warnings.setdefault(report.source, []).append(Problem(report.source, report.line("institutions", position), message, Severity.WARNING))
    return warnings


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


def _duplicate_slugs(by_source: Sequence[Report]) -> list[Problem]:
    """A second report with a slug in use: named at its `slug:` line, or its file name when the slug comes from it."""
    first_use: dict[str, Report] = {}
    problems = []
    for report in by_source:
        other = first_use.setdefault(report.slug, report)
        if other is report:
            continue
        if ("slug",) in report.field_lines:
            message = f"slug `{report.slug}` is already used by {other.source}: choose another `slug:`"
        else:
            message = f"this file gets the URL slug `{report.slug}`, as {other.source} does: rename the file or add a `slug:` line"
        problems.append(Problem(report.source, report.line("slug"), message))
    return problems


def _tags(by_source: Sequence[Report]) -> tuple[dict[str, Tag], dict[str, str], dict[str, str]]:
    """Tags by slug, each named as the first file (by path) writes it; each spelling's slug
    ('' for none); and the source of the file naming each tag."""
    tags: dict[str, Tag] = {}
    tag_of: dict[str, str] = {}
    first: dict[str, str] = {}
    for report in by_source:
        for name in report.tags:
            if name not in tag_of:
                slug = tag_of[name] = slugify(name)
                if slug and slug not in tags:
                    tags[slug] = Tag(slug, name)
                    first[slug] = report.source
    return dict(sorted(tags.items())), tag_of, first


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
        for slug in site.report_tags[report.source]:
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


def page_numbers(number: int, count: int, around: int = 2) -> list[int | None]:
    """The page numbers a pager shows on page `number` of `count`: the first, the last and
    `around` on each side of the current one; None where numbers are left out."""
    shown = sorted({1, count, *range(max(1, number - around), min(count, number + around) + 1)})
    numbers: list[int | None] = []
    for value in shown:
        if numbers and value - numbers[-1] > 1:  # type: ignore[operator]  # the last one is a number here
            numbers.append(None if value - numbers[-1] > 2 else value - 1)  # type: ignore[operator]
        numbers.append(value)
    return numbers


def page_path(base: str, number: int) -> str:
    """`base` for page 1, `base/page/N/` after it."""
    return base if number == 1 else f"{base}page/{number}/"
