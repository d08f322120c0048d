"""Per-document work across worker processes, so that a run uses every core it is given.

Cleaning one record and extracting from one text depend on that document alone (see
`broadsheet.doccache`), so the stages hand the documents that are not in the cache to
:func:`process_in_workers` in chunks; each worker process loads what it needs (the rules, the
entity model) once and keeps it for every chunk it is given. The caller puts the outcomes back
in document order and does the corpus-level steps itself, so the tables do not depend on how
many workers there were or which one did what.

Workers are started with ``spawn``: the parent runs Prefect's threads, and a fork of a threaded
process may inherit a lock held by another thread. The matrix products of the entity model run
in one thread in every process (:func:`one_blas_thread`), the parent's included.

A worker that dies (a crash in native code, the kernel's out-of-memory killer) takes every
unfinished chunk of its pool with it. Those chunks are then run again one at a time in a pool of
one worker; a chunk that kills its worker again is split into its documents, and a document that
kills a worker by itself gets the caller's `lost` outcome (a reject that says so). No document is
dropped silently.

Within :func:`elsewhere`, the chunks go to a :class:`ChunkRunner` instead of local processes (a
Dask cluster: :mod:`broadsheet.flows.dask`), with the same chunks, the same outcomes in the same
order, and the same treatment of a chunk whose process died.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many documents to process per worker, starting a worker (an interpreter, the
# imports, the entity model: about 2 CPU-seconds) costs more than it saves, so a stage with
# fewer documents to compute than twice this works in its own process.
MIN_DOCUMENTS_PER_WORKER = 32

# Chunks of at most this many documents (the entity recognizer's batch), and about this many
# chunks per worker, so that the workers finish together however uneven the documents are.
MAX_CHUNK = 64
CHUNKS_PER_WORKER = 4

# On a cluster (within `elsewhere`) a chunk is a Prefect task, and each costs its worker about
# 90 ms of CPU before any document is touched (Prefect rebuilds its settings from the task's
# context) and about 160 ms of wall time: measured on a local Dask cluster of two workers, 150
# chunks of one short item took 11.8 s wall and 13.4 worker CPU-s. So there consecutive chunks
# are joined (`joined`), into ranges of at most this many items.
MAX_REMOTE_CHUNK = 512

LOST_DETAIL = "its worker process died while processing it, and again when it was processed alone (a crash or out of memory)"


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """BLAS (numpy's matrix products, which the entity recognizer is made of) in one thread
    within the block, whatever the environment says.

    The cores are shared out between worker processes instead. Measured on 192 texts of the
    TempEval-3 silver newswire on the shared 2-core machine, twice each: recognition took 9.2 and
    11.9 s wall (5.2 and 5.9 CPU-s) in one thread, 15.9 and 23.3 s (10.3 and 12.7 CPU-s) in
    OpenBLAS's default two, whose second thread mostly spins. And the recognizer's confidences
    can differ in their last rounded digit with the thread count, so every process of a run,
    however many there are, must use the same.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


class ChunkRunner(Protocol):
    """Somewhere other than this machine's processes to run chunks of per-document work."""

    def map_chunks(self, function: Callable[[list[Any]], list[Any]], chunks: Sequence[list[Any]]) -> Iterator[tuple[int, Any]]:
        """``(k, function(chunks[k]))`` for every chunk, in the order they finish; ``(k, None)``
        when the process that ran chunk k died. What `function` raises is raised."""
        ...

    def warm(self, function: Callable[[], Any]) -> None:
        """`function` (no arguments; its result and errors ignored) on each of its workers, not
        waited for (see `kept_pools`)."""
        ...


# The runner of the chunks while a run is inside `elsewhere` (one run per process at a time: the
# run's lock); a module global, not a context variable, because Prefect may run a stage's task in
# another thread than the flow that set it.
_elsewhere: ChunkRunner | None = None


@contextlib.contextmanager
def elsewhere(runner: ChunkRunner) -> Iterator[ChunkRunner]:
    """Within the block, :func:`process_in_workers` hands its chunks to `runner`."""
    global _elsewhere
    previous, _elsewhere = _elsewhere, runner
    try:
        yield runner
    finally:
        _elsewhere = previous


def workers_for(n_documents: int, workers: int) -> int:
    """How many worker processes `n_documents` are worth, of the `workers` asked for; 1 means
    the work is done in this process."""
    if workers <= 1:
        return 1
    return max(1, min(workers, n_documents // MIN_DOCUMENTS_PER_WORKER))


def chunks(n_items: int, workers: int, max_chunk: int = MAX_CHUNK) -> list[range]:
    """Consecutive index ranges covering `n_items`: about CHUNKS_PER_WORKER per worker, each at
    most `max_chunk` long."""
    if n_items == 0:
        return []
    size = max(1, min(max_chunk, math.ceil(n_items / (workers * CHUNKS_PER_WORKER))))
    return [range(start, min(start + size, n_items)) for start in range(0, n_items, size)]


def joined(pieces: Sequence[range], workers: int, max_items: int) -> list[range]:
    """Runs of consecutive `pieces` joined into ranges that shrink toward the end: each about
    1/(2 x `workers`) of the items not yet given out (guided self-scheduling), at most
    `max_items` (a piece longer than that stays whole). Few tasks, and the last ones small, so
    that the workers finish together. A piece that does not start where the one before it stops
    begins a new range; the pieces themselves are never split."""
    remaining = sum(len(piece) for piece in pieces)
    out: list[range] = []
    current: range | None = None
    target = 0
    for piece in pieces:
        if current is not None and (piece.start != current.stop or len(current) + len(piece) > target):
            out.append(current)
            remaining -= len(current)
            current = None
        if current is None:
            current = piece
            target = max(1, min(max_items, math.ceil(remaining / (2 * max(1, workers)))))
        else:
            current = range(current.start, piece.stop)
    if current is not None:
        out.append(current)
    return out


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


# Within `kept_pools`: the pool the last call used, kept for the next (with its size), and what
# each of its workers is given to do as soon as a call is done with it. Module globals, as
# `_elsewhere` is: Prefect may run a stage's task in another thread than the flow's.
_kept: ProcessPoolExecutor | None = None
_kept_size = 0
_keeping = False
_warm: Callable[[], Any] | None = None


@contextlib.contextmanager
def kept_pools(warm: Callable[[], Any] | None = None) -> Iterator[None]:
    """Within the block, the worker processes one stage started are kept for the next stage that
    asks for as many, instead of being stopped and started again (an interpreter, the imports).
    And as soon as a stage is done with them, each is given `warm` (a module-level function), so
    that they load what the next stage needs (the entity model) while this process finishes the
    stage they worked for. A pool is stopped at the block's end, or when a stage asks for
    another number of workers, or when one of its processes died."""
    global _keeping, _warm
    previous = _keeping, _warm
    _keeping, _warm = True, warm
    try:
        yield
    finally:
        _keeping, _warm = previous
        _stop(_take_kept())


def _take_kept() -> ProcessPoolExecutor | None:
    global _kept
    pool, _kept = _kept, None
    return pool


def _stop(pool: ProcessPoolExecutor | None) -> None:
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _submitted(workers: int, function, items, pending: list[range]) -> tuple[ProcessPoolExecutor, dict[Future, range]]:
    """A pool of `workers` (the kept one when it has as many) and a future for each chunk."""
    kept = _take_kept()
    if kept is not None and _kept_size == workers:
        try:
            return kept, {kept.submit(function, [items[i] for i in c]): c for c in pending}
        except BrokenProcessPool:  # one of its processes died while it was kept (its warm-up)
            pass
    _stop(kept)
    pool = _pool(workers)
    return pool, {pool.submit(function, [items[i] for i in c]): c for c in pending}


def _put_back(pool: ProcessPoolExecutor, workers: int, healthy: bool) -> None:
    """Keep `pool` for the next call (within `kept_pools`, when none of its processes died), and
    warm its workers; else stop it."""
    global _kept, _kept_size
    if not (healthy and _keeping):
        _stop(pool)
        return
    _kept, _kept_size = pool, workers
    if _warm is not None:
        # One each: a worker busy warming up takes no other. A warm-up that fails is not waited
        # for or read: the next stage's own chunk then fails the same way, and says so.
        for _ in range(workers):
            pool.submit(_warm)


def process_in_workers(
    function: Callable[[list[T]], list[R]],
    items: Sequence[T],
    workers: int,
    lost: Callable[[int], R],
    done: Callable[[int, R], None] | None = None,
    max_chunk: int = MAX_CHUNK,
    pieces: Sequence[range] | None = None,
) -> list[R]:
    """``function`` over chunks of `items` in `workers` processes; one outcome per item, in order.

    `function` (a module-level function, so that a worker can import it) takes a list of items
    and returns one outcome for each; it catches what one item may raise and makes it that
    item's outcome. What it lets escape (a model that cannot be loaded) stops the whole call
    and is raised here. `lost(i)` is the outcome of ``items[i]`` when it killed its worker
    process even when processed alone; `done(i, outcome)` is told of each item as it finishes (so that
    the caller can store an outcome while the others are still being worked on). `pieces`: the
    chunks, as ranges of indexes covering `items` once (default: :func:`chunks`), for a caller
    whose outcomes depend on which items are processed together; `function` must then give
    the same outcomes for consecutive pieces processed together as for each piece alone, since
    a cluster is given them joined (:func:`joined`).
    """
    outcomes: list[Any] = [None] * len(items)
    finished = [False] * len(items)

    def keep(chunk: range, results: list[R]) -> None:
        if len(results) != len(chunk):
            raise RuntimeError(f"a worker returned {len(results)} outcomes for {len(chunk)} items")
        for i, result in zip(chunk, results, strict=True):
            outcomes[i] = result
            finished[i] = True
            if done is not None:
                done(i, result)

    pending = list(pieces) if pieces is not None else chunks(len(items), workers, max_chunk)
    if sorted(i for piece in pending for i in piece) != list(range(len(items))):
        raise ValueError("the pieces must cover every item exactly once")
    if _elsewhere is not None:
        pending = joined(pending, workers, MAX_REMOTE_CHUNK)
        _run_elsewhere(_elsewhere, function, items, pending, keep, lost, outcomes, done)
        if _keeping and _warm is not None:
            _elsewhere.warm(_warm)  # as a kept local pool is warmed (kept_pools)
        return outcomes
    pool, futures = _submitted(workers, function, items, pending)
    healthy = False
    try:
        remaining = set(futures)
        while remaining:
            ready, remaining = wait(remaining, return_when=FIRST_EXCEPTION)
            broken = False
            for future in ready:
                error = future.exception()
                if isinstance(error, BrokenProcessPool):
                    broken = True
                elif error is not None:
                    for other in remaining:
                        other.cancel()
                    raise error
                else:
                    keep(futures[future], future.result())
            if broken:
                # Every unfinished future of a broken pool fails too; collect what did finish.
                for future in remaining:
                    if future.done() and future.exception() is None:
                        keep(futures[future], future.result())
                break
        else:
            healthy = True
    finally:
        _put_back(pool, workers, healthy)
    unfinished = [c for c in pending if not finished[c[0]]]
    if unfinished:
        _isolate(function, items, unfinished, keep, lost, outcomes, done)
    return outcomes


def _isolate(function, items, unfinished: list[range], keep, lost, outcomes: list, done) -> None:
    """Run the chunks a dead worker left, one at a time, splitting a chunk that kills its worker
    again into single items, so that only an item that kills a worker by itself is lost."""
    queue = list(unfinished)
    pool = _pool(1)
    try:
        while queue:
            chunk = queue.pop(0)
            try:
                results = pool.submit(function, [items[i] for i in chunk]).result()
            except BrokenProcessPool:
                pool.shutdown(wait=True, cancel_futures=True)
                pool = _pool(1)
                if len(chunk) > 1:
                    queue[0:0] = [range(i, i + 1) for i in chunk]
                else:
                    outcomes[chunk[0]] = lost(chunk[0])
                    if done is not None:
                        done(chunk[0], outcomes[chunk[0]])
                continue
            keep(chunk, results)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_elsewhere(runner: ChunkRunner, function, items, pending: list[range], keep, lost, outcomes: list, done) -> None:
    """The chunks on `runner`; as :func:`_isolate` does locally, a chunk whose process died is
    run again split into its documents, and a document that kills a process by itself is lost."""
    queue = pending
    while queue:
        died = [queue[k] for k, results in _finished(runner, function, items, queue, keep) if results is None]
        for chunk in (c for c in died if len(c) == 1):
            outcomes[chunk[0]] = lost(chunk[0])
            if done is not None:
                done(chunk[0], outcomes[chunk[0]])
        queue = [range(i, i + 1) for chunk in died if len(chunk) > 1 for i in chunk]


def _finished(runner: ChunkRunner, function, items, queue: list[range], keep) -> Iterator[tuple[int, Any]]:
    for k, results in runner.map_chunks(function, [[items[i] for i in chunk] for chunk in queue]):
        if results is not None:
            keep(queue[k], results)
        yield k, results
