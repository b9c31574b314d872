"""Links between reports: a relative path to the other report's Markdown file becomes its URL in each edition."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from ogpsite.build.incremental import build
from ogpsite.commands.cli import main
from ogpsite.core.errors import BuildError

TODAY = date(2024, 1, 1)


def make_site(root: Path, link: str) -> Path:
    (root / "ogpsite.yml").write_text("base_url: https://owner.github.io/repo/\n", encoding="utf-8")
    files = {
        "content/reports/2014/radionica-konjic.md": "---\ntitle: Радионица у Коњицу\ndate: 2014-03-05\n---\n\n## Програм\n\nТекст.\n",
        "content/reports/2019/otvoreni-podaci/index.md": "---\ntitle: Otvoreni podaci\ndate: 2019-06-10\n---\n\nVodič.\n",
        "content/reports/2015/sastanak.md": f"---\ntitle: Sastanak\ndate: 2015-01-10\n---\n\nUvod.\n\nVidi {link}.\n",
    }
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


def test_a_report_link_becomes_the_url_in_each_edition(tmp_path: Path) -> None:
    site = make_site(tmp_path, "[radionicu](../2014/radionica-konjic.md#program) i [vodič](../2019/otvoreni-podaci/index.md)")
    build(site, tmp_path / "out", today=TODAY)
    for edition in ("cyr", "lat"):
        page = (tmp_path / f"out/{edition}/2015/01/sastanak/index.html").read_text(encoding="utf-8")
        assert f'<a href="/repo/{edition}/2014/03/radionica-konjic/#program">' in page
        assert f'<a href="/repo/{edition}/2019/06/otvoreni-podaci/">' in page
        assert ".md" not in page.split("<main", 1)[-1].split("</main>", 1)[0]


def test_a_broken_report_link_stops_the_build_at_its_line(tmp_path: Path) -> None:
    site = make_site(tmp_path, "[radionicu](../2014/radionica-konic.md)")
    with pytest.raises(BuildError) as raised:
        build(site, tmp_path / "out", today=TODAY)
    assert [str(problem) for problem in raised.value.problems] == [
        "content/reports/2015/sastanak.md:8: link `../2014/radionica-konic.md` points to no report or attachment "
        "(did you mean `../2014/radionica-konjic.md`?)"
    ]
    assert not (tmp_path / "out").exists()
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--output", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "content/reports/2015/sastanak.md:8: link `../2014/radionica-konic.md`" in result.output
