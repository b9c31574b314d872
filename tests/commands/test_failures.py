"""Every failure of the user's machine or input is a message, never a traceback; a failed build
keeps the output and the cache usable. Faults (a full disk, permission denied, a read-only file
system) are injected at the k-th write."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ogpsite.build import cache, writer
from ogpsite.build.incremental import build
from ogpsite.commands.cli import main
from ogpsite.commands.serve import Preview
from tests.build.test_incremental import EDITS, TODAY, clean_build, make_site
from tests.build.test_output_safety import snapshot
from tests.commands.test_serve import Server
from tests.commands.test_serve import make_site as make_served_site

REPO = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}
FAULTS = {"disk full": errno.ENOSPC, "permission denied": errno.EACCES, "read-only file system": errno.EROFS}
MESSAGES = {errno.ENOSPC: "no space left on the device", errno.EACCES: "permission denied", errno.EROFS: "read-only file system"}


def failing_at(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, number: int, code: int) -> None:
    """`owner.name` raises OSError(`code`) from its `number`-th call on, as a disk that fills up does."""
    original = getattr(owner, name)
    calls = [0]

    def failing(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        if calls[0] >= number:
            raise OSError(code, os.strerror(code), str(args[1] if len(args) > 1 else args[0]))
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, failing)


@pytest.mark.parametrize(("fault", "number"), [("disk full", 1), ("disk full", 40), ("permission denied", 7), ("read-only file system", 7)])
@pytest.mark.parametrize("kind", ["clean", "incremental"])
def test_a_write_that_fails_leaves_the_output_and_a_usable_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str, number: int, kind: str) -> None:
    site = make_site(tmp_path / "site")
    output = site / "output"
    build(site, output, today=TODAY)
    before = snapshot(output)
    EDITS["template change" if kind == "incremental" else "config change"](site)
    if kind == "clean":
        shutil.rmtree(site / ".ogpsite-cache")
    beside = sorted(path.name for path in site.iterdir())
    with monkeypatch.context() as patched:
        failing_at(patched, writer.Writer, "text", number, FAULTS[fault])
        result = CliRunner().invoke(main, ["build", "--site", str(site), "--quiet"])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert MESSAGES[FAULTS[fault]] in result.output and "Traceback" not in result.output, result.output
    assert snapshot(output) == before  # the last good build, whole
    leftovers = [path for path in (site / ".ogpsite-cache").rglob("*") if path.name.endswith(".tmp") or path.name in ("fresh", "aside", "twin-ahead")]
    assert leftovers == []
    assert sorted(path.name for path in site.iterdir()) == sorted({*beside, ".ogpsite-cache"})
    build(site, output, today=TODAY)  # the disk has room again
    clean_build(site, tmp_path / "clean")
    assert snapshot(output) == snapshot(tmp_path / "clean")


@pytest.mark.parametrize(("fault", "number"), [("disk full", 1), ("disk full", 30), ("read-only file system", 5)])
def test_a_twin_link_that_fails_while_a_clean_build_writes_leaves_the_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str, number: int) -> None:
    """A clean build begins the twin in a thread while it writes the search index; a link that
    fails there fails the build as any write does, in the build's own thread."""
    site = make_site(tmp_path / "site")
    output = site / "output"
    build(site, output, today=TODAY)
    before = snapshot(output)
    EDITS["config change"](site)
    shutil.rmtree(site / ".ogpsite-cache")
    with monkeypatch.context() as patched:
        failing_at(patched, os, "link", number, FAULTS[fault])
        result = CliRunner().invoke(main, ["build", "--site", str(site), "--quiet"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert MESSAGES[FAULTS[fault]] in result.output and "Traceback" not in result.output, result.output
    assert snapshot(output) == before
    assert [path for path in (site / ".ogpsite-cache").rglob("*") if path.name in ("fresh", "aside", "twin-ahead")] == []
    build(site, output, today=TODAY)
    clean_build(site, tmp_path / "clean")
    assert snapshot(output) == snapshot(tmp_path / "clean")


def test_a_cache_file_that_cannot_be_written_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "site")
    original = cache.pickle.dump

    def half_then_full(value: object, stream: object, **kwargs: object) -> None:
        stream.write(b"half a pickle")  # type: ignore[attr-defined]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache.pickle, "dump", half_then_full)
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--quiet"])
    monkeypatch.setattr(cache.pickle, "dump", original)
    assert result.exit_code == 1 and "no space left on the device" in result.output, result.output
    assert [path for path in (site / ".ogpsite-cache").rglob("*.tmp")] == []
    build(site, site / "output", today=TODAY)


def test_translit_of_invalid_utf8_names_the_byte(tmp_path: Path) -> None:
    source = tmp_path / "text.txt"
    source.write_bytes("Љубљана\n".encode() + b"\xff abc\n")
    command = [sys.executable, "-m", "ogpsite", "translit", "--to", "latin", "--site", str(tmp_path), str(source)]
    strict = subprocess.run(command, capture_output=True, text=True, env=ENV)
    assert strict.returncode == 1
    assert f"{source}: not valid UTF-8 at byte 15 (line 2)" in strict.stderr and "Traceback" not in strict.stderr
    replaced = subprocess.run([*command, "--errors", "replace"], capture_output=True, text=True, env=ENV)
    assert (replaced.returncode, replaced.stdout) == (0, "Ljubljana\n\ufffd abc\n")


def test_a_sanitizer_setting_nh3_refuses_is_a_config_error(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    with (site / "ogpsite.yml").open("a", encoding="utf-8") as config:
        config.write("sanitize:\n  tags: [script]\n")
    result = subprocess.run([sys.executable, "-m", "ogpsite", "build", "--site", str(site)], capture_output=True, text=True, env=ENV)
    assert result.returncode == 1
    assert "ogpsite.yml:5: `script` elements cannot be allowed" in result.stderr
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr


def test_serve_on_a_port_in_use_says_so(tmp_path: Path) -> None:
    site = make_served_site(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "ogpsite", "serve", "--site", str(site), "--port", str(port)], capture_output=True, text=True,
                                env=ENV, timeout=60)
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr and "--port 0" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["SIGINT", "SIGTERM", "SIGHUP"])
def test_serve_stops_cleanly_on_a_signal(tmp_path: Path, number: int) -> None:
    # Started with SIGINT ignored, as a script's `ogpsite serve &` is: Ctrl-C still stops it.
    server = Server(make_served_site(tmp_path), interrupts_ignored=True)
    server.process.send_signal(number)
    assert server.process.wait(timeout=15) == 0
    time.sleep(0.2)  # the reader thread takes the last lines
    printed = list(server.lines.queue)
    assert "stopping" in printed and not any("Traceback" in line for line in printed), printed


def test_an_idle_connection_is_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ogpsite.commands import serve

    assert serve.PreviewHandler.timeout == serve.IDLE_SECONDS > serve.KEEPALIVE_SECONDS  # an open event stream writes before it would time out
    monkeypatch.setattr(serve.PreviewHandler, "timeout", 1.0)
    preview = Preview(make_served_site(tmp_path), tmp_path / "preview", {}, False, log=lambda line: None)
    server = serve.PreviewServer(("127.0.0.1", 0), preview)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    try:
        with socket.create_connection(server.server_address[:2], timeout=20) as idle:
            started = time.monotonic()
            assert idle.recv(1) == b""  # the server closes it: nothing sent, nothing kept
            assert time.monotonic() - started < 10
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("gone", ["content", "ogpsite.yml"])
def test_deleting_the_content_or_the_config_while_serving_is_a_problem_shown(tmp_path: Path, gone: str) -> None:
    site = make_served_site(tmp_path)
    lines: list[str] = []
    preview = Preview(site, tmp_path / "preview", {}, False, log=lines.append)
    assert preview.rebuild()
    before = snapshot(tmp_path / "preview")
    (shutil.rmtree if gone == "content" else os.unlink)(site / gone)
    assert not preview.rebuild()
    assert preview.state.problems == [f"{gone}: deleted or moved while serving; put it back (nothing is built without it)"]
    assert snapshot(tmp_path / "preview") == before  # the last good build is still served
