"""Per-document work on a Dask cluster through prefect-dask: `broadsheet run --dask-scheduler ADDRESS|local`.

The clean and extract stages share their per-document work out in chunks
(:mod:`broadsheet.workers`); inside :func:`dask_cluster` each chunk is a Prefect task run by a
``DaskTaskRunner``, on the cluster whose scheduler is at ADDRESS, or on a ``LocalCluster`` of
worker processes for ``local``. The chunks, and where their outcomes go, are those of a build in
local worker processes, and every document's result depends on that document alone, so the
release is the same, byte for byte, as a one-process build's.

A chunk's documents travel to the worker with the task and its outcomes come back with the
result: the sources are read and the build folder written by the flow's own process, so a
worker needs only broadsheet and its model installed, not the run's folders.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from broadsheet import workers

#: ``--dask-scheduler local``: a LocalCluster of worker processes on this machine.
LOCAL = "local"


# No cache: a chunk's outcomes are stored by the stage's own per-document cache, and hashing the
# documents to key a Prefect cache would cost more than it could save.
class Chunk:
    """A chunk's documents, as one opaque parameter: Prefect (tracking a task's inputs) and
    prefect-dask (looking for futures to hand to Dask) walk every list, dict and dataclass in a
    task's parameters, on submitting it and again in the worker, which for a chunk of documents
    is every field of every document. A chunk holds documents, never futures."""

    __slots__ = ("items",)

    def __init__(self, items: list[Any]) -> None:
        self.items = items

    def __reduce__(self):
        return (Chunk, (self.items,))


@task(name="document-chunk", cache_policy=NO_CACHE)
def document_chunk(function: Callable[[list[Any]], list[Any]], items: Chunk) -> list[Any]:
    """One chunk of a stage's per-document work; `function` makes each document's failure that
    document's outcome."""
    return function(items.items)


class DaskChunks:
    """Chunks as Prefect tasks on a started ``DaskTaskRunner`` (a :class:`broadsheet.workers.ChunkRunner`)."""

    def __init__(self, runner: Any) -> None:
        self._runner = runner

    @property
    def workers(self) -> int:
        """How many chunks the cluster runs at once: its worker threads."""
        return max(1, sum(self._runner.client.nthreads().values()))

    def warm(self, function: Callable[[], Any]) -> None:
        """`function` on every worker now, not waited for (the next stage's model loaded while
        the flow's process finishes this one: broadsheet.workers.kept_pools). Not a Prefect
        task: it processes no document, and what it loads a chunk would load anyway."""
        from distributed import fire_and_forget

        client = self._runner.client
        workers = list(client.scheduler_info().get("workers", {}))
        fire_and_forget([client.submit(function, workers=[w], allow_other_workers=False, pure=False) for w in workers])

    def map_chunks(self, function: Callable[[list[Any]], list[Any]], chunks: Sequence[list[Any]]) -> Iterator[tuple[int, Any]]:
        from distributed import KilledWorker, as_completed

        futures = [
            self._runner.submit(document_chunk, parameters={"function": function, "items": Chunk(list(c))}) for c in chunks
        ]
        index = {f.wrapped_future.key: k for k, f in enumerate(futures)}
        unfinished = {f.wrapped_future.key: f.wrapped_future for f in futures}
        try:
            for finished in as_completed(list(unfinished.values()), loop=self._runner.client.loop):
                del unfinished[finished.key]
                try:
                    state = finished.result()
                except KilledWorker:
                    # Dask has already run it again on other workers, and each of them died.
                    yield index[finished.key], None
                    continue
                yield index[finished.key], state.result()  # raises what the chunk raised
        finally:
            if unfinished:
                self._runner.client.cancel(list(unfinished.values()))


@contextlib.contextmanager
def dask_cluster(scheduler: str, n_workers: int) -> Iterator[DaskChunks]:
    """Within the block the stages' chunks run on the Dask cluster at `scheduler` (``local``: a
    LocalCluster of `n_workers` single-threaded processes, started here and stopped after)."""
    import dask
    from prefect_dask import DaskTaskRunner

    settings: dict[str, Any] = {}
    if scheduler == LOCAL:
        # One thread a process: the entity model's matrix products run in one BLAS thread
        # (broadsheet.workers.one_blas_thread), so a process is one core's work.
        cluster = {"n_workers": n_workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
        runner = DaskTaskRunner(cluster_class="distributed.LocalCluster", cluster_kwargs=cluster)
        # Dask's workers sample their threads' stacks every 10 ms for its dashboard's profile,
        # which this cluster has no use for: without it, building 800 TempEval-3 silver articles
        # on two local workers took 39.3 worker CPU-s instead of 44.1. (Its workers are given
        # this process's Dask settings when they start.)
        settings["distributed.worker.profile.enabled"] = False
        # Dask starts its workers with MALLOC_TRIM_THRESHOLD_ set, which fixes glibc's trim and
        # mmap thresholds, so that every large array the recognizer allocates is mapped and
        # unmapped again: recognizing 400 silver articles took 7.9 and 8.3 CPU-s with it against
        # 6.7 and 6.7 without, in one process. The local workers get glibc's own behaviour, as the
        # local worker processes of a run without Dask do.
        environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {})
        environ.pop("MALLOC_TRIM_THRESHOLD_", None)
        settings["distributed.nanny.pre-spawn-environ"] = environ
    else:
        runner = DaskTaskRunner(address=scheduler)
    with dask.config.set(settings), runner:
        chunks = DaskChunks(runner)
        with workers.elsewhere(chunks):
            yield chunks
