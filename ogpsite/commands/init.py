"""`ogpsite init`: a new site that builds as written, with its editors' README and its workflow.

The files come from `ogpsite/data/site/` (shipped in the wheel), with `@@name@@` filled in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..core.errors import OgpsiteError
from ..core.settings import Config
from ..sources.config import CONFIG_FILE, parse_config
from ..sources.yamltext import scalar

TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "site"
# Where each template goes in the new site.
SITE_FILES = {
    CONFIG_FILE: "ogpsite.yml",
    "content/institutions.yml": "institutions.yml",
    "content/reports/2014/radionica-otvoreni-podaci.md": "report-cyrillic.md",
    "content/reports/2014/javne-konsultacije-akcioni-plan.md": "report-latin.md",
    ".gitignore": "gitignore",
    "README.md": "README.md",
    ".github/workflows/pages.yml": "pages.yml",
}
# The site's workflow installs the ogpsite that wrote it: the same version builds it in CI.
SITE_INSTALL = f"pip install 'ogpsite[search]=={__version__}'"
_PLACEHOLDER = re.compile(r"@@(\w+)@@")


@dataclass(frozen=True)
class SiteSettings:
    title: str = Config.title
    language: str = Config.language
    default_script: str = Config.default_script
    base_url: str = Config.base_url


def fill(template: str, values: Mapping[str, str]) -> str:
    """`template` with every `@@name@@` replaced; a name without a value is a bug, not a blank."""
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def workflow(install: str) -> str:
    """The site workflow, installing ogpsite with the command `install`."""
    return fill((TEMPLATES / "pages.yml").read_text(encoding="utf-8"), {"install": install})


def init_site(target: Path, settings: SiteSettings, force: bool = False) -> tuple[list[str], list[str]]:
    """Write a new site into `target` (made if missing); raise OgpsiteError for a folder that
    is not empty, unless `force`, which writes beside what is there but never over a file.
    Returns the files written and the files kept as they were."""
    if target.exists() and not target.is_dir():
        raise OgpsiteError(f"{target} is a file: give a folder for the new site")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise OgpsiteError(f"{target} is not empty: give a new folder, or --force to add the site's files beside what is there (no file is overwritten)")
    values = {
        "title": scalar(settings.title),
        "description": scalar(""),
        "base_url": scalar(settings.base_url),
        "language": settings.language,
        "default_script": settings.default_script,
        "install": SITE_INSTALL,
    }
    texts = {name: fill((TEMPLATES / template).read_text(encoding="utf-8"), {**values, "title": settings.title} if name == "README.md" else values)
             for name, template in SITE_FILES.items()}
    parse_config(texts[CONFIG_FILE])  # a bad --base-url is refused before anything is written
    written, kept = [], []
    for name, text in texts.items():
        path = target / name
        if path.exists():
            kept.append(name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
        written.append(name)
    return written, kept

