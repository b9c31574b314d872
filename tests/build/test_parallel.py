"""Work in forked processes: `map_chunks` and `started`."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from ogpsite.build.parallel import map_chunks, started


@contextmanager
def another_thread() -> Iterator[None]:
    """A second thread alive for the block (as `serve`'s server and watcher threads are)."""
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        yield
    finally:
        release.set()
        waiting.join()


def in_a_fresh_process(code: str) -> None:
    """Run `code` in a new interpreter: one thread for sure, whatever threads earlier tests in
    this process left running (a fork is refused while any other thread lives)."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_started_hands_back_what_the_child_worked_out() -> None:
    in_a_fresh_process("""
        import os
        from ogpsite.build.parallel import started
        parent = os.getpid()
        child, numbers = started(lambda: (os.getpid(), list(range(100_000))))()
        assert child != parent, "worked out in another process"
        assert numbers == list(range(100_000)), "more than a pipe holds: read whole"
    """)


def test_started_and_cancelled_leaves_no_child() -> None:
    in_a_fresh_process("""
        import os, time
        from ogpsite.build.parallel import started
        began = time.monotonic()
        work = started(lambda: time.sleep(60))
        work.cancel()
        assert time.monotonic() - began < 30, "stopped, not waited for"
        try:
            os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:  # no child left, not even a zombie
            pass
        else:
            raise AssertionError("the child is still there")
        work.cancel()  # again: nothing left to stop
    """)


def test_started_works_it_out_here_when_the_child_fails() -> None:
    parent = os.getpid()

    def only_here() -> int:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return 42

    assert started(only_here)() == 42


def test_map_chunks_covers_every_item_once() -> None:
    items = list(range(1000))
    seen = [item for _, chunk in map_chunks(lambda chunk: list(chunk), items, jobs=2) for item in chunk]
    assert sorted(seen) == items


def test_a_second_thread_is_counted() -> None:
    in_a_fresh_process("""
        import threading
        import time
        from ogpsite.build.parallel import single_threaded
        assert single_threaded()
        release = threading.Event()
        waiting = threading.Thread(target=release.wait)
        waiting.start()
        assert not single_threaded()
        release.set()
        waiting.join()
        # join() returns when the thread's Python work is done; the kernel counts it a moment longer.
        deadline = time.monotonic() + 5
        while not single_threaded() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert single_threaded()
    """)


def test_no_fork_while_another_thread_runs() -> None:
    """A fork would copy the other thread's locks into the child (Python 3.12+ warns): the work is done here."""
    parent = os.getpid()
    with another_thread(), warnings.catch_warnings():
        warnings.simplefilter("error")  # the fork warning, if a fork happened, fails the test on 3.12+
        assert started(os.getpid)() == parent
        pids = [result for _, result in map_chunks(lambda chunk: (os.getpid(), len(chunk)), list(range(1000)), jobs=2)]
    assert pids == [(parent, 1000)]
