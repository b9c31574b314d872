"""Work in forked processes: `map_chunks` and `started`."""

from __future__ import annotations

import os

from ogpsite.build.parallel import map_chunks, started


def test_started_hands_back_what_the_child_worked_out() -> None:
    parent = os.getpid()
    result = started(lambda: (os.getpid(), list(range(100_000))))
    child, numbers = result()
    assert child != parent  # worked out in another process
    assert numbers == list(range(100_000))  # more than a pipe holds: read whole


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
