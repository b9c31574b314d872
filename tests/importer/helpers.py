"""The import tests' sites: a registry of our own, and the fixtures beside this file."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from ogpsite.commands.cli import main
from ogpsite.importer.institutions import InstitutionMatcher, registered_from_entries
from ogpsite.sources.reader import read_registry

FIXTURES = Path(__file__).parent / "fixtures"


def import_site(root: Path) -> Path:
    """An empty site with the fixtures' institution registry."""
    (root / "content").mkdir(parents=True)
    (root / "ogpsite.yml").write_text("title: Архива\nbase_url: https://example.org/\n", encoding="utf-8")
    shutil.copyfile(FIXTURES / "registry.yml", root / "content" / "institutions.yml")
    return root


def matcher(site: Path) -> InstitutionMatcher:
    entries, problems = read_registry(site)
    assert problems == []
    return InstitutionMatcher(registered_from_entries(entries))


def ogpsite(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)
