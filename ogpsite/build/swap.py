"""An output folder and its twin: a build prepares a whole tree apart and swaps it in.

A clean build fills a fresh tree and swaps it with the output folder (`outdir.exchange`: one
rename). An incremental build brings the twin (the tree the last swap took out, an older
build's files, most of them hard links to the output folder's) up to the wanted files: it
deletes what is no longer wanted, links from the output folder each file the output already
holds as wanted (the last build's changes), lets the caller render the rest into it, and
swaps. So the output folder always holds one whole build: a build killed at any moment leaves
the old one, and only trees of ogpsite's own half made, which the next build removes or
knows to make again. A file is never written through: one that is there is unlinked first
(it may be a link to a published file).

The trees live in the cache folder when it is on the output's file system (a rename cannot
cross file systems), else in a hidden folder beside the output (`.<name>.ogpsite-work`).
"""

from __future__ import annotations

import os
import posixpath
import queue
import signal
import threading
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path

from .cache import BuildCache, OutputState, TreeChanges
from .outdir import exchange, link_file, link_listed, link_tree, marker_id, remove_tree, write_marker
from .writer import Writer

Fill = Callable[[Path, set[str]], OutputState]  # (tree, paths to write) -> what the tree then holds


def reached(point: str) -> None:
    """Fault injection for tests/build/test_crash.py: the build kills itself (SIGKILL) at the
    point `OGPSITE_KILL_AT` names, as a power cut or `kill -9` would stop it there."""
    if os.environ.get("OGPSITE_KILL_AT") == point:
        os.kill(os.getpid(), signal.SIGKILL)


class OutputTrees:
    """Where one output folder's trees are prepared; without a cache, only fresh trees."""

    def __init__(self, output_dir: Path, cache: BuildCache | None) -> None:
        self.output = output_dir
        self.cache = cache
        records = cache.output_folder(output_dir) if cache else None
        output_dir.parent.mkdir(parents=True, exist_ok=True)
        if records is not None:
            records.mkdir(parents=True, exist_ok=True)
        near = records is not None and os.stat(records).st_dev == os.stat(output_dir.parent).st_dev
        self.work = records if near and records is not None else output_dir.with_name(f".{output_dir.name}.ogpsite-work")
        self.twin = self.work / "twin"
        self.fresh = self.work / "fresh"
        self.aside = self.work / "aside"  # the old output for a moment, where RENAME_EXCHANGE is missing
        self.ahead = self.work / "twin-ahead"  # a clean build's twin, begun while the build still writes
        self.stale = self.work / "stale"  # a tree swapped out, being removed while the twin is linked anew
        # An incremental build's search index, begun before its pages (`search.IndexAhead`): the
        # build removes a killed one's before it begins (`clear` runs while one is being made).
        self.index_ahead = self.work / "index-ahead"
        self._will_link_twin = False  # during a fill: the twin is to be linked anew, from the files `written` names
        self._linking_from = self.fresh  # the tree being filled, which they are in
        self._ahead: _AheadLinking | None = None

    def clear(self) -> None:
        """Remove the trees a killed build left half made (the twin knows its own state)."""
        for tree in (self.fresh, self.aside, self.ahead, self.stale):
            remove_tree(tree)
        if self.cache is None:
            remove_tree(self.work)

    def replace(self, fill: Fill) -> OutputState:
        """A clean build: `fill` writes every file into a fresh tree, which then replaces the output folder."""
        self.clear()
        self.work.mkdir(parents=True, exist_ok=True)
        os.mkdir(self.fresh)
        write_marker(self.fresh)
        # The output folder swapped out becomes the twin when the cache knows what it holds; else
        # the twin is linked from the new files, begun as soon as the build says they are written.
        self._will_link_twin = self.cache is not None and not (os.path.lexists(self.output) and self.cache.tree_state(self.output, self.output) is not None)
        self._linking_from = self.fresh
        try:
            state = fill(self.fresh, set())
            ahead = self._ahead.result() if self._ahead else None
        except BaseException:
            if self._ahead:
                self._ahead.stopped()
            self.clear()
            raise
        finally:
            self._will_link_twin, self._ahead = False, None
        self._record(self.fresh, state)
        reached("fresh-filled")
        old_swapped_out = exchange(self.fresh, self.output, self.aside)
        reached("fresh-swapped")
        if self.cache is None:
            self.clear()
            return state
        old_known = old_swapped_out and self.cache.tree_state(self.output, self.fresh) is not None
        remove_tree(self.twin)
        if old_known:
            os.rename(self.fresh, self.twin)
            remove_tree(self.ahead)
        else:  # a twin to update next time, made now: the first edit after a clean build should be quick
            remove_tree(self.fresh)
            self._link_twin(state, ahead)
        self.cache.keep_tree_states(self.output, [self.output, self.twin])
        return state

    def written(self, paths: Iterable[str]) -> None:
        """`fill` says that `paths` of the tree it fills are written for good: a twin to be linked
        (by a clean build, or an update that rewrites most files) gets them in a thread, while
        the build goes on. The links are system calls that let go of the GIL: made beside the
        rendering (whose workers leave the main process waiting) and Pagefind's processes, not
        after them with every core but one idle (the last 0.3 s of a clean build at 1,000
        reports, 2.4 s at 20,000)."""
        if not self._will_link_twin:
            return
        if self._ahead is None:
            os.mkdir(self.ahead)
            self._ahead = _AheadLinking(Writer(self.ahead), self._linking_from)
            reached("twin-ahead-begun")
        self._ahead.add(list(paths))

    def _link_twin(self, state: OutputState, ahead: _AheadLinking | None) -> None:
        """A twin (there is none) made of links to the output folder's files, which `state` lists
        exactly (what the build just wrote or swapped in), but for those `written` linked
        already: its marker gives the output's name."""
        if ahead is not None:
            linked = set(ahead.paths)
            ahead.writer.link_from(self.output, sorted(path for path in state.files if path not in linked))
            os.rename(self.ahead, self.twin)
            write_marker(self.twin, marker_id(self.output) or "")
        else:
            link_listed(self.output, self.twin, state.files)
        reached("twin-linked-whole")

    def update(self, digests: Mapping[str, str | bytes], previous: OutputState, fill: Fill, changed: Collection[str] | None = None,
               exact: bool = False) -> OutputState:
        """An incremental build towards `digests` (output path -> digest) from the output's
        `previous`: the twin gets them (`fill` writes the paths neither tree has), then is swapped in.
        `changed`: the paths where `digests` may differ from `previous` (a few, when the build knows
        which; then only those and the ones where the twin may differ from the output are compared);
        `exact`: `digests` were made from `previous` by setting `changed` (nothing to check)."""
        assert self.cache is not None, "an incremental build needs the record of what the trees hold"
        self.clear()
        near = marker_id(self.output)  # the record of `previous`: the new one is kept as changes to it
        twin, twin_name = self._twin(previous)
        write_marker(self.twin)  # being changed: unnamed, unknown, until its new record names it
        reached("twin-unrecorded")
        files = dict(twin.files)
        writing: set[str] = set()
        try:
            apart = self.cache.paths_apart(self.output, near, twin_name) if changed is not None and near and twin_name else None
            removed, stale = _differences(digests, files, None if apart is None else apart.union(changed or ()), exact)
            _delete(self.twin, removed, files)
            reached("twin-pruned")
            self._link([path for path in stale if previous.files.get(path) == digests[path]], digests, files)
            reached("twin-linked")
            writing.update(path for path in stale if files.get(path) != digests[path])
            for path in writing:
                files.pop(path, None)
            # Most files to write (ogpsite upgraded, a template edited, search switched on): the
            # tree swapped out will hold an old file at nearly every path. Bringing it up to date
            # would be left to the next build, an edit that a reader waits for (11.5 s after such
            # a build at 20,000 reports; the first reload in `serve` 6.8 s): a twin of links to
            # the output is made instead, begun from the files as they are written (`written`).
            renewing = len(writing) * 2 > len(digests)
            self._will_link_twin, self._linking_from = renewing, self.twin
            state = fill(self.twin, writing)  # it may add paths to `writing` (the search index)
            ahead = self._ahead.result() if self._ahead else None
            reached("twin-written")
        except BaseException:
            if self._ahead:
                self._ahead.stopped()
            remove_tree(self.ahead)
            _delete(self.twin, sorted(writing), {})  # what it holds is then what `files` says
            self._record(self.twin, OutputState(files))
            raise
        finally:
            self._will_link_twin, self._ahead = False, None
        self._record(self.twin, state, near, TreeChanges(twin_name, removed, writing.union(stale)) if twin_name else None)
        reached("twin-filled")
        swapped = exchange(self.twin, self.output, self.aside)
        reached("twin-swapped")
        if not swapped:
            # There was no output folder (a fresh checkout with the cache folder restored): the
            # twin moved in, leaving none to update next time. Made now, as a clean build does.
            self._link_twin(state, ahead)
        elif renewing:
            self._renew_twin(state, ahead)
        self.cache.keep_tree_states(self.output, [self.output, self.twin])
        return state

    def _renew_twin(self, state: OutputState, ahead: _AheadLinking | None) -> None:
        """The tree swapped out removed while the twin of links to the output (`state`; begun by
        `ahead`) is finished in its place: both system calls that let go of the GIL, in two
        threads (at 20,000 reports 7.2 s together against 9.9 s one after the other)."""
        os.rename(self.twin, self.stale)
        reached("twin-stale-aside")
        remover = threading.Thread(target=remove_tree, args=(self.stale,), name="ogpsite-stale")
        remover.start()
        try:
            self._link_twin(state, ahead)
        finally:
            remover.join()

    def _twin(self, previous: OutputState) -> tuple[OutputState, str | None]:
        """What the twin holds, and the name of its record; a twin unknown (none yet, or one a
        killed build was changing) is made again from the output."""
        assert self.cache is not None
        state = self.cache.tree_state(self.output, self.twin)
        if state is not None:
            return state, marker_id(self.twin)
        remove_tree(self.twin)
        link_tree(self.output, self.twin)
        reached("twin-made")
        return previous, marker_id(self.output)

    def _link(self, paths: Iterable[str], digests: Mapping[str, str | bytes], files: dict[str, str | bytes]) -> None:
        """Each of `paths` linked into the twin from the output folder, and recorded in `files`;
        a file gone from the output (deleted by hand) is left to be written."""
        output, twin = str(self.output), str(self.twin)
        for path in paths:
            source, target = os.path.join(output, path), os.path.join(twin, path)
            try:
                link_file(source, target)
            except FileNotFoundError:
                if not os.path.isfile(source):
                    continue
                os.makedirs(os.path.dirname(target), exist_ok=True)
                link_file(source, target)
            files[path] = digests[path]

    def _record(self, tree: Path, state: OutputState, near: str | None = None, changes: TreeChanges | None = None) -> None:
        """Record what `tree` holds (`near`, `changes`: as `BuildCache.store_tree_state` takes
        them), then name it so (a kill between the two leaves it unnamed: unknown)."""
        if self.cache is not None:
            write_marker(tree, self.cache.store_tree_state(self.output, state, near, changes))


class _AheadLinking:
    """`Writer.link_from` at work in a thread of its own on the paths it is given (`add`);
    `result` waits for it to link them all (and raises what it raised), `stopped` waits and
    forgets it."""

    def __init__(self, writer: Writer, source: Path) -> None:
        self.writer = writer  # into the tree being linked
        self.paths: list[str] = []  # every path given
        self._source = source
        self._queue: queue.SimpleQueue[list[str] | None] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="ogpsite-twin")
        self._thread.start()

    def add(self, paths: list[str]) -> None:
        self.paths.extend(paths)
        self._queue.put(paths)

    def _run(self) -> None:
        while (paths := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self.writer.link_from(self._source, paths)
                except BaseException as error:  # a full disk: raised in the build's own thread by `result`
                    self._error = error

    def result(self) -> _AheadLinking:
        """Itself, once every path given is linked."""
        self.stopped()
        if self._error is not None:
            raise self._error
        return self

    def stopped(self) -> None:
        self._queue.put(None)
        self._thread.join()


def _differences(wanted: Mapping[str, str | bytes], held: Mapping[str, str | bytes], candidates: set[str] | None,
                 exact: bool = False) -> tuple[list[str], list[str]]:
    """The paths a tree `held` has and `wanted` lacks, and those `wanted` gives a digest `held`
    has not (few, most builds). When `candidates` holds every path where the two may differ,
    only those are compared, and the tree with these differences made is shown to be `wanted`
    by comparing the two dicts whole, in C (unless `exact`: the candidates are known to hold
    every difference); else (or if it is not) every path is compared. At 100,000 reports
    (594,000 paths) the passes over every path cost 0.6-0.85 s in every edit, the candidates
    and the check 0.1-0.2 s, the candidates alone next to nothing."""
    if candidates is not None and len(candidates) * 2 < len(wanted):  # else comparing every path costs less
        removed = [path for path in candidates if path in held and path not in wanted]
        stale = [path for path in candidates if path in wanted and held.get(path) != wanted[path]]
        if exact:
            return removed, stale
        made = dict(held)
        for path in removed:
            del made[path]
        made.update((path, wanted[path]) for path in stale)
        if made == wanted:
            return removed, stale
    removed = [path for path in held if path not in wanted]
    stale = [path for path, value in wanted.items() if held.get(path) != value]  # one pass over every path: few are stale
    return removed, stale


def _delete(root: Path, paths: list[str], files: dict[str, str | bytes]) -> None:
    """Remove `paths` below `root` (and from `files`), and the folders that leaves empty.
    Each folder is tried once, deepest first, after every file is gone: `rmdir` refuses one
    that is not empty (looking into a folder after each file it lost cost a search shard's
    hundreds of files a listing each)."""
    folders = set()
    for path in paths:
        files.pop(path, None)
        try:
            os.unlink(os.path.join(root, path))
        except FileNotFoundError:
            pass
        folder = posixpath.dirname(path)
        while folder and folder not in folders:
            folders.add(folder)
            folder = posixpath.dirname(folder)
    for folder in sorted(folders, key=lambda folder: folder.count("/"), reverse=True):
        try:
            os.rmdir(os.path.join(root, folder))
        except OSError:  # not empty (or not there)
            pass
