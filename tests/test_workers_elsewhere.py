"""Chunks handed to another runner (a Dask cluster in a run): the same outcomes in the same order
as in local worker processes, and no document lost to a process that died."""

from __future__ import annotations

import pytest

from broadsheet import workers


def _double(items: list[int]) -> list[int]:
    return [2 * i for i in items]


class _Runner:
    """Runs chunks in this process, last first (as a cluster may finish them), and reports the
    process of any chunk holding a poisoned item as dead."""

    def __init__(self, poison: frozenset[int] = frozenset()) -> None:
        self.poison = poison
        self.chunks: list[list[int]] = []

    def warm(self, function):  # noqa: ANN001, ANN201
        pass

    def map_chunks(self, function, chunks):  # noqa: ANN001, ANN201
        self.chunks.extend(list(c) for c in chunks)
        for k in reversed(range(len(chunks))):
            yield k, None if self.poison & set(chunks[k]) else function(list(chunks[k]))


def test_the_runner_gets_the_chunks_and_the_outcomes_keep_their_order():
    items = list(range(40))
    runner = _Runner()
    with workers.elsewhere(runner):
        assert workers.process_in_workers(_double, items, 2, lost=lambda i: -1) == [2 * i for i in items]
    # the local chunks, joined: each chunk is a task there, which costs more than a local one
    expected = workers.joined(workers.chunks(len(items), 2), 2, workers.MAX_REMOTE_CHUNK)
    assert runner.chunks == [[items[i] for i in c] for c in expected]
    # outside the block, local processes again
    assert workers._elsewhere is None


def test_a_chunk_whose_process_died_is_run_again_item_by_item_and_only_the_culprit_is_lost():
    items = list(range(20))
    seen: dict[int, int] = {}
    with workers.elsewhere(_Runner(poison=frozenset({7}))):
        out = workers.process_in_workers(_double, items, 2, lost=lambda i: -1, done=seen.__setitem__)
    assert out == [-1 if i == 7 else 2 * i for i in items]
    assert seen == dict(enumerate(out))


def test_an_error_raised_by_the_runner_stops_the_call():
    class Failing(_Runner):
        def map_chunks(self, function, chunks):  # noqa: ANN001, ANN201
            raise RuntimeError("cluster gone")
            yield  # a generator, as a runner is

    with workers.elsewhere(Failing()), pytest.raises(RuntimeError, match="cluster gone"):
        workers.process_in_workers(_double, list(range(10)), 2, lost=lambda i: -1)


def _nothing() -> None:
    return None


def test_a_runner_that_can_warm_its_workers_is_asked_to_after_each_call_within_kept_pools():
    class Warming(_Runner):
        def __init__(self) -> None:
            super().__init__()
            self.warmed: list = []

        def warm(self, function):  # noqa: ANN001, ANN201
            self.warmed.append(function)

    runner = Warming()
    with workers.elsewhere(runner):
        workers.process_in_workers(_double, list(range(10)), 2, lambda i: -1)
        assert runner.warmed == []  # only within kept_pools
        with workers.kept_pools(warm=_nothing):
            workers.process_in_workers(_double, list(range(10)), 2, lambda i: -1)
    assert runner.warmed == [_nothing]
