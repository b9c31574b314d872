"""`ogpsite new`: a report file with its front matter filled in, ready to write into."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..core.errors import OgpsiteError
from ..core.model import slugify
from ..sources.config import NOT_A_SITE, is_site
from ..sources.reader import REPORTS_DIR
from ..sources.yamltext import scalar
from ..translit import Script, detect_script, to_cyrillic

# The body's first line, a hint to the editor, in the report's script.
_BODY_HINT = "Prvi pasus je sažetak izveštaja: ko, šta, gde i kada."


def new_report(site_dir: Path, title: str, institutions: tuple[str, ...], on: date, script: Script | None) -> Path:
    """Write `content/reports/YYYY/<slug>.md`; raise OgpsiteError rather than overwrite anything."""
    if not is_site(site_dir):  # else a stray content/ folder would appear wherever one typed it
        raise OgpsiteError(f"{site_dir}: {NOT_A_SITE}")
    slug = slugify(title)
    if not slug:
        raise OgpsiteError(f"the title `{title}` has no letters or digits to make a file name from")
    target = site_dir / REPORTS_DIR / f"{on:%Y}" / f"{slug}.md"
    taken = sorted((site_dir / REPORTS_DIR).glob(f"*/{slug}.md")) + sorted((site_dir / REPORTS_DIR).glob(f"*/{slug}/index.md"))
    if taken:
        shown = taken[0].relative_to(site_dir).as_posix()
        raise OgpsiteError(f"{shown} already exists: edit it, or give the new report another title")
    script = script or detect_script(title) or "cyrillic"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8", newline="\n") as out:  # "x": never overwrite, even in a race
        out.write(front_matter(title, institutions, on, script))
    return target


def front_matter(title: str, institutions: tuple[str, ...], on: date, script: Script) -> str:
    """The file's text: every field an editor fills, in the order the README lists them."""
    lines = ["---", f"title: {scalar(title)}", f"date: {on.isoformat()}"]
    if institutions:
        lines += ["institutions:", *(f"  - {scalar(name)}" for name in institutions)]
    else:
        lines.append("institutions: []")
    lines += ["place:", "tags: []", f"script: {script}", "---", ""]
    hint = to_cyrillic(_BODY_HINT) if script == "cyrillic" else _BODY_HINT
    return "\n".join(lines) + f"\n{hint}\n"

