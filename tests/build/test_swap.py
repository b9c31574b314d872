"""The twin's pruning: files removed, and the folders that leaves empty, no others."""

from __future__ import annotations

from pathlib import Path

from ogpsite.build.swap import _delete, _differences


def test_removed_files_take_the_folders_they_leave_empty_with_them(tmp_path: Path) -> None:
    files = ["pagefind/2015/fragment/a.pf_fragment", "pagefind/2015/fragment/b.pf_fragment", "pagefind/2015/index/c.pf_index",
             "pagefind/2016/fragment/d.pf_fragment", "lat/2015/01/izvestaj/index.html", "lat/2015/index.html"]
    for path in files:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(path, encoding="utf-8")
    (tmp_path / "lat/empty-before").mkdir()  # empty, but no file of it is removed: it stays
    recorded: dict[str, str | bytes] = {path: "digest" for path in files}
    removed = files[:3] + ["lat/2015/01/izvestaj/index.html", "lat/2015/01/gone/index.html"]  # the last is not there
    _delete(tmp_path, removed, recorded)
    assert recorded == {path: "digest" for path in files if path not in removed}
    left = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*"))
    assert left == ["lat", "lat/2015", "lat/2015/index.html", "lat/empty-before", "pagefind", "pagefind/2016", "pagefind/2016/fragment",
                    "pagefind/2016/fragment/d.pf_fragment"]


class _CountedDict(dict):  # type: ignore[type-arg]
    """A dict that counts the passes over all its items."""

    passes = 0

    def items(self):  # type: ignore[no-untyped-def]
        _CountedDict.passes += 1
        return super().items()


def test_differences_compare_only_the_candidates_when_they_hold_every_difference() -> None:
    held = {f"lat/{number}/index.html": f"d{number}" for number in range(40)}
    wanted = _CountedDict(held)
    wanted["lat/3/index.html"] = "new"
    wanted["lat/new/index.html"] = "new"
    del wanted["lat/7/index.html"]
    _CountedDict.passes = 0
    removed, stale = _differences(wanted, held, {"lat/3/index.html", "lat/7/index.html", "lat/new/index.html", "lat/9/index.html"})
    assert (removed, sorted(stale)) == (["lat/7/index.html"], ["lat/3/index.html", "lat/new/index.html"])
    assert _CountedDict.passes == 0  # no pass over every path
    # Made from `held` by setting the candidates (`exact`): not even the whole dicts are compared.
    assert _differences(wanted, held, {"lat/3/index.html", "lat/7/index.html", "lat/new/index.html"}, exact=True) == (removed, stale)


def test_differences_missed_by_the_candidates_are_found_by_comparing_every_path() -> None:
    held = {f"lat/{number}/index.html": f"d{number}" for number in range(40)}
    wanted = _CountedDict(held)
    wanted["lat/3/index.html"] = "new"
    del wanted["lat/7/index.html"]
    _CountedDict.passes = 0
    removed, stale = _differences(wanted, held, {"lat/3/index.html"})  # the removal is not among them
    assert (removed, stale) == (["lat/7/index.html"], ["lat/3/index.html"])
    assert _CountedDict.passes == 1
    assert _differences(wanted, held, None) == (removed, stale)
