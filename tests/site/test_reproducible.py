"""Same input, same bytes; and `output/` is replaced only by a build that finished."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.audit import PROJECT_PAGES_URL, SITES
from tests.conftest import MakeSite, report


def ogpsite(*args: str | Path, cwd: Path, hash_seed: str = "0") -> subprocess.CompletedProcess[str]:
    """The real command in a fresh process (a new hash seed changes set and dict-of-set order)."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.run([sys.executable, "-m", "ogpsite", *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True)


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_two_builds_in_different_processes_and_directories_are_byte_identical(tmp_path: Path) -> None:
    outputs = []
    for number, seed in enumerate(("1", "2")):
        workdir = tmp_path / f"run{number}"
        workdir.mkdir()
        result = ogpsite("build", "--site", SITES["content/"], "--output", workdir / "site", "--base-url", PROJECT_PAGES_URL, "-q", cwd=workdir, hash_seed=seed)
        assert result.returncode == 0, result.stderr
        outputs.append(tree(workdir / "site"))
    first, second = outputs
    assert len(first) > 100
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


# The Latin edition is rendered after the Cyrillic one: this template fails on the last
# report page of the build, when most of the new site has already been written aside.
FAILS_ON_ONE_LATIN_PAGE = """\
{% extends "theme/report.html" %}
{% block content %}{{ super() }}{% if lang.endswith("Latn") and report.date_iso == "2013-05-01" %}{{ no_such_value }}{% endif %}{% endblock %}
"""


def test_a_build_failing_midway_leaves_the_previous_output_intact(make_site: MakeSite) -> None:
    site = make_site({"content/reports/2014/a.md": report(title="Први"), "content/reports/2013/b.md": report(title="Бум", date="2013-05-01")})
    first = ogpsite("build", "--site", site, "-q", cwd=site)
    assert first.returncode == 0, first.stderr
    before = tree(site / "output")
    (site / "templates").mkdir()
    (site / "templates/report.html").write_text(FAILS_ON_ONE_LATIN_PAGE, encoding="utf-8")
    (site / "content/reports/2014/c.md").write_text(report(title="Нови", date="2014-06-01"), encoding="utf-8")

    failed = ogpsite("build", "--site", site, cwd=site)

    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert "templates/report.html:2: " in failed.stderr and "no_such_value" in failed.stderr
    assert tree(site / "output") == before
    assert [path.name for path in site.iterdir() if "output" in path.name] == ["output"]  # no staging directory left behind


def test_a_broken_template_tag_is_reported_at_its_line(make_site: MakeSite) -> None:
    site = make_site({
        "content/reports/2014/a.md": report(),
        "templates/report.html": '{% extends "theme/report.html" %}\n{% block content %}{% if report %}{{ super() }}{% endiff %}{% endblock %}\n',
    })
    failed = ogpsite("build", "--site", site, cwd=site)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "templates/report.html:2: " in failed.stderr and "unknown tag 'endiff'" in failed.stderr
    assert not (site / "output").exists()
