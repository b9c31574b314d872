"""The benchmark archive generator: deterministic, valid, bilingual."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import yaml

GEN = Path(__file__).resolve().parents[2] / "bench" / "gen_archive.py"
N = 50


def _generate(out: Path) -> None:
    subprocess.run([sys.executable, str(GEN), "--count", str(N), "--seed", "7", "--out", str(out)],
                   check=True, capture_output=True)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    fm, _body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(fm)


def test_generator_is_deterministic_and_valid(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    _generate(a)
    _generate(b)
    tree_a = _tree(a)
    assert tree_a == _tree(b)

    assert (a / "ogpsite.yml").is_file()
    registry = yaml.safe_load((a / "content" / "institutions.yml").read_text(encoding="utf-8"))
    assert isinstance(registry, list) and len(registry) >= 30
    assert all({"slug", "name"} <= set(entry) for entry in registry)

    reports = sorted((a / "content" / "reports").glob("*/*.md"))
    assert len(reports) == N
    slugs = [p.stem for p in reports]
    assert len(set(slugs)) == N
    assert all(re.fullmatch(r"[a-z0-9-]+", s) for s in slugs)

    cyrillic = 0
    names_by_script: dict[str, set[str]] = {"cyr": set(), "lat": set()}
    for path in reports:
        fm = _front_matter(path)
        assert isinstance(fm["title"], str) and fm["title"]
        assert isinstance(fm["date"], dt.date)
        assert dt.date(2010, 1, 1) <= fm["date"] <= dt.date(2026, 11, 1)
        assert path.parent.name == str(fm["date"].year)
        assert 1 <= len(fm["institutions"]) <= 3
        assert 1 <= len(fm["tags"]) <= 4
        assert isinstance(fm["place"], str)
        is_cyr = bool(re.search(r"[\u0400-\u04ff]", fm["title"]))
        cyrillic += is_cyr
        for name in fm["institutions"]:
            names_by_script["cyr" if re.search(r"[\u0400-\u04ff]", name) else "lat"].add(name)
    assert 0.35 * N <= cyrillic <= 0.65 * N

    # Some registry institution is written in Cyrillic in one report and in Latin in another.
    both = [e for e in registry
            if e["name"]["cyrillic"] in names_by_script["cyr"] and e["name"]["latin"] in names_by_script["lat"]]
    assert both
