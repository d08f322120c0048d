"""Per-document work in worker processes: the same rows as in one process, and no document lost to a crash."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from broadsheet import workers
from broadsheet.clean.cached import clean_documents
from broadsheet.clean.documents import build_documents
from broadsheet.doccache.store import DocumentCache
from broadsheet.entities.recognizer import Mention
from broadsheet.extract import cached as extract_cached
from broadsheet.extract.cached import extract_documents
from broadsheet.ingest import ingest_sources
from broadsheet.ingest.stage import ingested_row
from tests.repo import SEEDS_DIR


@pytest.fixture(autouse=True)
def every_document_worth_a_worker(monkeypatch):
    # The seeds are far fewer documents than a worker is worth starting for, and than one batch
    # of recognition; here every document is worth one, and two make a batch, so that the
    # seeds are shared out among the workers in several chunks.
    monkeypatch.setattr(workers, "MIN_DOCUMENTS_PER_WORKER", 1)
    monkeypatch.setattr(extract_cached, "RECOGNITION_BATCH", 2)


@pytest.fixture(scope="module")
def seed_records() -> list[dict]:
    return [ingested_row(r) for r in ingest_sources([SEEDS_DIR]).records]


@pytest.fixture(scope="module")
def seed_documents(seed_records) -> list[dict]:
    return build_documents(seed_records).documents


# Module-level, so that a worker process can import them.


def _square_or_die(items: list[int]) -> list[int]:
    if 13 in items:
        os._exit(3)  # as a crash in native code or the out-of-memory killer would end it
    return [i * i for i in items]


def _pids(items: list[int]) -> list[int]:
    return [os.getpid() for _ in items]


def _mark_warm() -> None:
    (Path(os.environ["WARM_MARKS"]) / str(os.getpid())).write_text("warm")


def _refuse(items: list[int]) -> list[int]:
    raise FileNotFoundError("no model here")


class _Recognizer:
    """Two capitalised words in a row are a person; a text with "Kaboom" ends its process, one
    with "Garbled" cannot be read, one with "Stall" is never done."""

    def find(self, text: str) -> list[Mention]:
        if "Kaboom" in text:
            os._exit(9)
        if "Garbled" in text:
            raise ValueError("unreadable text")
        while "Stall" in text:
            pass
        return [Mention(m.start(), m.end(), m.group(), "PERSON", 0.75) for m in re.finditer(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", text)]

    def find_many(self, texts: list[str]) -> list[list[Mention]]:
        return [self.find(t) for t in texts]


def _load() -> _Recognizer:
    return _Recognizer()


def test_chunks_cover_every_item_once_and_are_bounded():
    for n, w in [(0, 2), (1, 2), (11, 2), (2452, 2), (100, 3)]:
        parts = workers.chunks(n, w, max_chunk=64)
        assert [i for part in parts for i in part] == list(range(n))
        assert all(1 <= len(part) <= 64 for part in parts)
    assert len(workers.chunks(2452, 2)) == 39  # 64 at most, so about 39 batches of recognition


def test_workers_get_the_batches_of_recognition_one_process_makes():
    from broadsheet.extract.rows import LONG_TEXT_CHARS

    docs = [{"text": "short"}] * 5 + [{"text": "x" * (LONG_TEXT_CHARS + 1)}] + [{"text": "short"}] * 4
    assert extract_cached.recognition_batches(docs, 3) == [range(0, 3), range(3, 7), range(7, 10)]
    assert extract_cached.recognition_batches([], 3) == []


class _RecordingRecognizer(_Recognizer):
    batches: list[list[str]] = []

    def find_many(self, texts: list[str]) -> list[list[Mention]]:
        self.batches.append(list(texts))
        return super().find_many(texts)


def _load_recording() -> _RecordingRecognizer:
    return _RecordingRecognizer()


def test_joined_batches_of_recognition_are_recognized_as_the_batches_they_join():
    # A cluster is given consecutive batches joined (workers.joined); a worker must then make the
    # very batches one process makes, since the batch can change a confidence's last digit.
    from broadsheet.extract.rows import LONG_TEXT_CHARS

    texts = [f"Text {i:02d} by Ann Lee." for i in range(20)]
    texts[4] = "Long text by Bo Chen. " + "x" * LONG_TEXT_CHARS
    docs = [{"doc_id": f"d{i:02d}", "text": t} for i, t in enumerate(texts)]
    pieces = extract_cached.recognition_batches(docs, 3)
    together = workers.joined(pieces, 1, 100)
    assert len(together) < len(pieces)
    expected = [[texts[i] for i in piece if i != 4] for piece in pieces]
    _RecordingRecognizer.batches = []
    for chunk in together:
        extract_cached._extract_chunk([docs[i] for i in chunk], _load_recording, batch_size=3)
    assert [b for b in _RecordingRecognizer.batches if len(b) > 1 or b[0] != texts[4]] == expected


def test_joined_pieces_are_consecutive_runs_that_shrink_toward_the_end():
    pieces = workers.chunks(2452, 2)
    together = workers.joined(pieces, 2, 512)
    sizes = [len(part) for part in together]
    assert [i for part in together for i in part] == list(range(2452))
    assert len(together) < len(pieces) / 2 and max(sizes) <= 512
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] <= 64  # the last ones small
    assert all(any(p.start == part.start for p in pieces) and any(p.stop == part.stop for p in pieces) for part in together)
    # a long piece stays whole, pieces out of order are not joined
    assert workers.joined([range(0, 600), range(600, 700)], 1, 512) == [range(0, 600), range(600, 700)]
    assert workers.joined([range(0, 3), range(5, 8), range(3, 5)], 1, 100) == [range(0, 3), range(5, 8), range(3, 5)]
    singles = [range(i, i + 1) for i in range(8)]
    assert workers.joined(singles, 1, 100) == [range(0, 4), range(4, 6), range(6, 7), range(7, 8)]
    assert workers.joined([], 8, 512) == []


def test_a_small_stage_works_in_its_own_process(monkeypatch):
    monkeypatch.setattr(workers, "MIN_DOCUMENTS_PER_WORKER", 32)
    assert workers.workers_for(11, 2) == 1
    assert workers.workers_for(2452, 2) == 2
    assert workers.workers_for(2452, 1) == 1
    assert workers.workers_for(70, 8) == 2


def test_an_item_that_kills_its_worker_is_the_only_one_lost():
    items = list(range(30))
    lost_items = []

    def lost(i):
        lost_items.append(items[i])
        return -1

    finished = {}
    out = workers.process_in_workers(_square_or_die, items, 2, lost, done=finished.__setitem__, max_chunk=4)
    assert out == [-1 if i == 13 else i * i for i in items]
    assert lost_items == [13]
    assert finished == dict(enumerate(out))  # every item reported once, the lost one too


def test_within_kept_pools_the_next_stage_gets_the_same_workers_warmed_up(tmp_path, monkeypatch):
    monkeypatch.setenv("WARM_MARKS", str(tmp_path))
    with workers.kept_pools(warm=_mark_warm):
        first = set(workers.process_in_workers(_pids, list(range(20)), 2, lambda i: -1, max_chunk=2))
        assert workers._kept is not None
        pool = set(workers._kept._processes)  # the kept pool's two worker processes
        second = set(workers.process_in_workers(_pids, list(range(20)), 2, lambda i: -1, max_chunk=2))
        # Which of the two takes which chunk is the scheduler's choice (on a loaded machine one may
        # take them all): every chunk of both stages ran in the kept pool, none in this process.
        assert len(pool) == 2 and first <= pool and second <= pool and os.getpid() not in pool
        assert set(workers._kept._processes) == pool  # the same processes, not a new pool
    assert workers._kept is None  # stopped at the block's end
    # warmed up in the kept workers (each takes one as a rule, since a real warm-up takes seconds,
    # but a quick one may be taken twice by the same worker)
    marks = {int(p.name) for p in tmp_path.iterdir()}
    assert marks and marks <= pool


def test_without_kept_pools_each_call_starts_and_stops_its_own_workers():
    first = set(workers.process_in_workers(_pids, list(range(20)), 2, lambda i: -1, max_chunk=2))
    second = set(workers.process_in_workers(_pids, list(range(20)), 2, lambda i: -1, max_chunk=2))
    assert not first & second
    assert workers._kept is None


def test_a_kept_pool_whose_worker_died_is_replaced():
    with workers.kept_pools():
        workers.process_in_workers(_pids, list(range(8)), 2, lambda i: -1, max_chunk=2)
        kept = workers._kept
        kept.submit(os._exit, 9)  # a worker dies while the pool is kept
        out = workers.process_in_workers(_square_or_die, list(range(8)), 2, lambda i: -1, max_chunk=2)
    assert out == [i * i for i in range(8)]


def test_an_error_that_escapes_the_function_stops_the_call():
    with pytest.raises(FileNotFoundError, match="no model here"):
        workers.process_in_workers(_refuse, list(range(10)), 2, lambda i: None)


def test_cleaning_in_workers_gives_the_rows_of_one_process(seed_records, tmp_path):
    alone = build_documents(seed_records)
    cache = DocumentCache(tmp_path, "clean", "f" * 64)
    together = clean_documents(seed_records, cache, workers=2)
    assert together == alone
    assert (cache.stats.processed, cache.stats.reused) == (len(seed_records), 0)
    again = DocumentCache(tmp_path, "clean", "f" * 64)
    assert clean_documents(seed_records, again, workers=2) == alone  # stored by the parent as they came back
    assert (again.stats.processed, again.stats.reused) == (0, len(seed_records))


def _same_rows(a, b) -> bool:
    """Equal rows, a mention's confidence within one unit of its fourth decimal: the recognizer's
    float sums can round the other way in a process whose earlier work (other tests loading the
    model) left its arrays aligned differently; every other column must be equal."""
    if len(a.entity_mentions) != len(b.entity_mentions):
        return False
    for p, q in zip(a.entity_mentions, b.entity_mentions, strict=True):
        if {k: v for k, v in p.items() if k != "confidence"} != {k: v for k, v in q.items() if k != "confidence"}:
            return False
        if abs(p["confidence"] - q["confidence"]) > 1.5e-4:
            return False
    return all(getattr(a, f) == getattr(b, f) for f in vars(a) if f != "entity_mentions")


def test_extraction_in_workers_gives_the_rows_of_one_process(seed_documents, tmp_path):
    alone = extract_documents(seed_documents)
    cache = DocumentCache(tmp_path, "extract", "e" * 64)
    together = extract_documents(seed_documents, cache, workers=2)
    assert _same_rows(together, alone)
    assert (cache.stats.processed, cache.stats.reused) == (len(seed_documents), 0)
    again = DocumentCache(tmp_path, "extract", "e" * 64)
    assert extract_documents(seed_documents, again, workers=2) == together  # the cache gives back exactly what it stored
    assert (again.stats.processed, again.stats.reused) == (0, len(seed_documents))


def test_a_document_that_kills_its_worker_is_rejected_and_the_others_are_extracted(seed_documents):
    doomed = dict(seed_documents[3], text=seed_documents[3]["text"] + "\n\nKaboom said Ann Lee.")
    documents = [*seed_documents[:3], doomed, *seed_documents[4:]]
    out = extract_documents(documents, load_recognizer=_load, workers=2)
    [reject] = out.rejects
    assert (reject["doc_id"], reject["stage"], reject["reason"]) == (doomed["doc_id"], "extract", "extraction_error")
    assert "worker process died" in reject["detail"]
    assert {r["doc_id"] for r in out.extracted} == {d["doc_id"] for d in documents} - {doomed["doc_id"]}
    others = extract_documents(seed_documents[:3] + seed_documents[4:], load_recognizer=_load)
    assert out.extracted == others.extracted  # the crash changed nothing for the rest


def test_a_failure_in_a_worker_reads_as_it_would_in_one_process(seed_documents, monkeypatch):
    monkeypatch.setenv("BROADSHEET_DOCUMENT_BUDGET_S", "30")
    broken = dict(seed_documents[2], text=seed_documents[2]["text"] + "\n\nGarbled.")
    documents = [*seed_documents[:2], broken, *seed_documents[3:]]
    alone = extract_documents(documents, load_recognizer=_load)
    together = extract_documents(documents, load_recognizer=_load, workers=2)
    [reject] = alone.rejects
    assert reject["detail"] == "extraction failed: ValueError: unreadable text"
    assert together == alone


def test_a_document_past_its_budget_in_a_worker_is_rejected_too_slow(seed_documents, monkeypatch):
    monkeypatch.setenv("BROADSHEET_DOCUMENT_BUDGET_S", "0.5")  # the workers inherit it
    slow = dict(seed_documents[5], text=seed_documents[5]["text"] + "\n\nStall.")
    documents = [*seed_documents[:5], slow, *seed_documents[6:]]
    out = extract_documents(documents, load_recognizer=_load, workers=2)
    [reject] = out.rejects
    assert (reject["doc_id"], reject["reason"]) == (slow["doc_id"], "too_slow")
    assert reject["detail"] == "extraction stopped after its time budget of 0.5 s per document"
    assert len(out.extracted) == len(documents) - 1
