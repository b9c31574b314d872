"""The benchmark says when ogpsite's source changed during a run (its times are then not comparable)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def run_module():
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(BENCH))


def test_the_source_digest_follows_what_the_cache_fingerprint_reads(run_module, tmp_path: Path) -> None:
    package = tmp_path / "ogpsite"
    (package / "__pycache__").mkdir(parents=True)
    (package / "core.py").write_text("x = 1\n", encoding="utf-8")
    (package / "themes").mkdir()
    (package / "themes" / "base.html").write_text("<p>\n", encoding="utf-8")
    before = run_module.source_digest(package)
    (package / "__pycache__" / "core.cpython-311.pyc").write_bytes(b"compiled")
    (package / "other.pyc").write_bytes(b"compiled")
    assert run_module.source_digest(package) == before  # compiling changes nothing
    (package / "themes" / "base.html").write_text("<p>edited\n", encoding="utf-8")
    assert run_module.source_digest(package) != before
    (package / "themes" / "base.html").write_text("<p>\n", encoding="utf-8")
    assert run_module.source_digest(package) == before
    (package / "core.py").rename(package / "kernel.py")  # a file's name counts too
    assert run_module.source_digest(package) != before


def test_the_package_is_the_one_the_executable_imports(run_module) -> None:
    exe = Path(sys.executable).with_name("ogpsite")
    if not exe.exists():
        pytest.fail(f"{exe} missing: the project is installed into the interpreter running the tests")
    import ogpsite
    assert run_module.ogpsite_package(str(exe)) == Path(ogpsite.__file__).parent
    assert run_module.ogpsite_package(str(BENCH / "run.py.missing")) is None


def _results(run_module, changed: bool) -> dict:
    timing = {"ok": True, "wall_s": 1.5, "cpu_s": 2.0, "maxrss_mib": 50.0, "tree_rss_mib": 80.0}
    edit = {**timing, "code_changed": True} if changed else timing
    steps = {"no_change": [timing], "report_edit": [edit], "title_edit": [edit], "tag_edit": [edit], "template_edit": [edit]}
    return {
        "sizes": [100], "runs": 1, "tools": ["ogpsite"], "skipped": {},
        "machine": {"cpus": 2, "python": "3.11", "platform": "linux"},
        "per_size": {"100": {
            "summary": {"ogpsite": run_module.summarize([edit])}, "pages": {}, "search": {}, "expected": None,
            "rebuild_summary": {"ogpsite": {name: run_module.summarize(runs) for name, runs in steps.items()}},
        }},
    }


def test_times_measured_after_a_change_are_marked_in_the_tables(run_module) -> None:
    marked = run_module.markdown(_results(run_module, changed=True))
    rebuilds = next(line for line in marked.splitlines() if line.startswith("| 100 | ogpsite | 1.50 |"))  # no change: unmarked
    assert rebuilds.count(run_module.CODE_CHANGED_MARK) == 4  # every edit row, not the no-change one
    assert f"| 100 | ogpsite | 1.50{run_module.CODE_CHANGED_MARK} |" in marked  # the cold build too
    plain = run_module.markdown(_results(run_module, changed=False))
    assert run_module.CODE_CHANGED_MARK not in plain


def test_the_work_folder_file_system_is_the_longest_mount_around_it_with_its_journal(run_module, tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text("/dev/vda / ext4 rw,relatime 0 0\n"
                      "/dev/loop0 /mnt/bench ext4 rw,relatime 0 0\n"
                      "tmpfs /mnt/bench/ram tmpfs rw 0 0\n"
                      "/dev/loop1 /mnt/bench\\040two ext4 rw 0 0\n", encoding="utf-8")
    ext4 = tmp_path / "ext4"
    for device, task in (("vda", "<none>"), ("loop0", "1234"), ("loop1", "<none>")):
        (ext4 / device).mkdir(parents=True)
        (ext4 / device / "journal_task").write_text(task + "\n", encoding="utf-8")

    def found(path: str) -> dict:
        return run_module.work_filesystem(Path(path), mounts, ext4)

    assert found("/tmp/work") == {"mount_point": "/", "type": "ext4", "journal": False}
    assert found("/mnt/bench/work") == {"mount_point": "/mnt/bench", "type": "ext4", "journal": True}
    assert found("/mnt/bench/ram/work") == {"mount_point": "/mnt/bench/ram", "type": "tmpfs"}
    assert found("/mnt/bench two/w")["journal"] is False  # an escaped space in a mount point
    assert found("/mnt/benchmark") == found("/tmp/work")  # a name that only begins like a mount point
    assert run_module.filesystem_text(found("/tmp/work")) == "ext4, without a journal at /"
    assert run_module.filesystem_text(found("/mnt/bench/ram/x")) == "tmpfs at /mnt/bench/ram"
    assert run_module.work_filesystem(Path("/x"), tmp_path / "no-mounts", ext4) == {}
