"""One build of a site at a time: `ogpsite serve` rebuilding while `ogpsite build` runs, two
terminals, a CI step started twice.

Two builds at once would share the output's trees and the cache folder: one would find the
other's half-made twin and fail (a traceback, not a message), or swap a tree the other is still
filling. So every build holds an exclusive lock on the site folder (`flock` on the folder
itself: no lock file to leave behind or to find stale after a crash, as the kernel lets go of
it when the process ends, however it ends). A build that finds the lock taken says so and
waits for it.

Reentrant within a process: `ogpsite build --clean` removes the cache under the lock the
build then takes again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: no locking (ogpsite's worker processes need `fork` anyway)
    fcntl = None  # type: ignore[assignment]

WAITING = "another build of this site is running (`ogpsite serve`, or a build in another terminal): waiting for it to finish"
_held: dict[str, int] = {}  # site folder (real path) -> how many `site_lock`s of this process hold it


@contextmanager
def site_lock(site_dir: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the site's build lock; `waiting` is called once if another process holds it first."""
    key = os.path.realpath(site_dir)
    if fcntl is None or key in _held:
        _held[key] = _held.get(key, 0) + 1
        try:
            yield
        finally:
            _release(key)
        return
    try:
        descriptor = os.open(key, os.O_RDONLY)
    except OSError:  # no such folder: nothing to build, which the build says itself
        yield
        return
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        except OSError:  # a file system without locks (some network ones): built unlocked, as before
            pass
        _held[key] = 1
        try:
            yield
        finally:
            _release(key)
    finally:
        os.close(descriptor)  # lets go of the lock


def _release(key: str) -> None:
    _held[key] -= 1
    if not _held[key]:
        del _held[key]
