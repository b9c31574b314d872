"""Work spread over the machine's cores with forked worker processes.

Workers are forked after the parent has loaded everything, so they inherit the site in
memory instead of receiving it pickled; only chunk numbers go in and small results come
back (workers that render pages write their files themselves). Results arrive as chunks
finish; callers combine them by key (a path, a file name), so output never depends on
which worker ran first.

A process is forked only while it runs a single thread. A fork copies every lock as it
is at that instant, and one held by another thread (an I/O buffer's, the import lock) is
never released in the child, which can then hang; Python 3.12+ warns about such forks.
`ogpsite build` has no other thread when it forks. `serve` has its server and watcher
threads, so its rebuilds run in its own process (the forkserver and spawn start methods
would have to pickle the site and the renderers, closures included, for every rebuild).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool costs more than it saves (and `serve` stays single-process).
MIN_PARALLEL_ITEMS = 64
_CHUNKS_PER_WORKER = 8  # small chunks keep both cores busy to the end and the progress bar moving

_task: "_Task | None" = None  # set in the parent just before forking; workers read it


class _Task(Generic[T, R]):
    def __init__(self, function: Callable[[Sequence[T]], R], chunks: list[Sequence[T]]) -> None:
        self.function = function
        self.chunks = chunks


def worker_count() -> int:
    """`OGPSITE_JOBS` if set, else the cores this process may run on."""
    configured = os.environ.get("OGPSITE_JOBS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def single_threaded() -> bool:
    """Whether this process runs one thread only, counted as Python 3.12+ counts them before
    warning about a fork: by the kernel (native threads too), else by `threading`."""
    try:
        with open("/proc/self/stat", "rb") as stat:
            fields = stat.read().rpartition(b")")[2].split()  # the name before ")" may hold spaces
        return int(fields[17]) == 1  # field 20, num_threads; fields[0] is field 3
    except (OSError, IndexError, ValueError):  # no /proc (macOS)
        return threading.active_count() == 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and single_threaded()


def split(items: Sequence[T], count: int) -> list[Sequence[T]]:
    """`count` interleaved slices (every count-th item): neighbours, often alike in cost, spread out."""
    return [items[start::count] for start in range(min(count, len(items)))]


def _run_chunk(number: int) -> object:
    assert _task is not None
    return _task.function(_task.chunks[number])


def map_chunks(function: Callable[[Sequence[T]], R], items: Sequence[T], jobs: int | None = None) -> Iterator[tuple[int, R]]:
    """Apply `function` to chunks of `items`; yields (items in the chunk, result) as chunks finish.

    Runs in this process when there is one job, little work, or no safe `fork` (then
    `function` sees one chunk holding everything). The caller must not depend on the order
    of yields.
    """
    global _task
    jobs = worker_count() if jobs is None else jobs
    if jobs <= 1 or len(items) < MIN_PARALLEL_ITEMS or not can_fork():
        if items:
            yield len(items), function(items)
        return
    chunks = split(items, jobs * _CHUNKS_PER_WORKER)
    _task = _Task(function, chunks)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for number, result in pool.imap_unordered(_run_chunk_numbered, range(len(chunks))):
                yield len(chunks[number]), result  # type: ignore[misc]
    finally:
        _task = None


def _run_chunk_numbered(number: int) -> tuple[int, object]:
    return number, _run_chunk(number)


class Started(Generic[R]):
    """A function at work in a forked child (`started`): call it, once, for its result."""

    def __init__(self, function: Callable[[], R], pid: int | None = None, read_end: int | None = None) -> None:
        self._function = function
        self._pid = pid  # None: no child (none could be forked, or it was waited for or stopped)
        self._read_end = read_end

    def __call__(self) -> R:
        if self._pid is None or self._read_end is None:
            return self._function()
        with open(self._read_end, "rb") as stream:
            data = stream.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        return pickle.loads(data) if status == 0 else self._function()

    def cancel(self) -> None:
        """The result is not wanted after all: the child is stopped and reaped (nothing to undo,
        as it changes nothing)."""
        if self._pid is None or self._read_end is None:
            return
        os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        os.close(self._read_end)
        self._pid = None


def started(function: Callable[[], R]) -> Started[R]:
    """`function` started in a forked process while this one goes on; call what is returned,
    once, for its result (worked out here instead when there is no safe `fork` or the child
    failed), or cancel it. Only for work that changes nothing: the child hands back its pickled
    result alone.
    """
    if not can_fork():
        return Started(function)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 1
        try:
            os.close(read_end)
            data = pickle.dumps(function(), protocol=pickle.HIGHEST_PROTOCOL)  # whole: not held up by a pipe the parent reads later
            with open(write_end, "wb") as stream:
                stream.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return Started(function, pid, read_end)
