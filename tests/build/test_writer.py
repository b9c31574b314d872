"""The writer's file primitives: whole files written and read with few system calls."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ogpsite.build.writer import read_whole, write_bytes


def test_a_file_written_over_holds_the_new_bytes_alone(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    target.write_bytes(b"x" * 10_000)
    write_bytes(str(target), "кратко".encode())
    assert target.read_bytes() == "кратко".encode()


def test_a_file_read_whole_comes_with_the_stat_of_that_file(tmp_path: Path) -> None:
    source = tmp_path / "report.md"
    data = os.urandom(3 * (1 << 20) + 7)  # more than one read's worth after the first
    source.write_bytes(data)
    info, read = read_whole(str(source))
    assert read == data
    assert (info.st_ino, info.st_size, info.st_mtime_ns) == (os.stat(source).st_ino, len(data), os.stat(source).st_mtime_ns)
    (tmp_path / "empty.md").write_bytes(b"")
    assert read_whole(str(tmp_path / "empty.md"))[1] == b""


def test_a_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_whole(str(tmp_path / "gone.md"))
