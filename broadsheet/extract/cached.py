"""Extracting from each text once: the extract stage's per-document step through the per-document cache.

A document's entity mentions, claims and dates are stored under its text and date anchor and
the extract stage's fingerprint (`broadsheet.doccache`); the corpus-level steps (canonical
entities, claim clusters, ids) always run over every document.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadsheet import progress
from broadsheet.budget import TooSlow, time_budget
from broadsheet.doccache.codec import Codec
from broadsheet.doccache.inputs import content_key, extract_fingerprint
from broadsheet.doccache.store import DocumentCache, encoded
from broadsheet.extract.claims import extract_claims
from broadsheet.extract.dates import find_temporal_expressions
from broadsheet.extract.rows import (
    LONG_TEXT_CHARS,
    BatchedRecognition,
    ExtractStageRows,
    _Found,
    _Held,
    anchor_for,
    extract_rows,
    find_in_document,
    held,
)
from broadsheet.paths import BuildLayout
from broadsheet.workers import LOST_DETAIL, one_blas_thread, process_in_workers, workers_for


def extract_cache(build_dir: Path) -> DocumentCache:
    return DocumentCache(BuildLayout(build_dir).cache, "extract", extract_fingerprint())


# How one document's extraction (:class:`broadsheet.extract.rows._Found`) is stored.
FOUND_CODEC = Codec(_Found)

# Texts recognized together (a text's mentions do not depend on its batch: the recognizer computes
# each text alone). The worker processes are given the batches one process would make (see
# recognition_batches), so that a run's chunks, and its progress, are the same whatever the number
# of workers.
RECOGNITION_BATCH = 64


def extraction_key(doc: Mapping[str, Any]) -> str:
    """What the per-document extractors read: the text and the anchor for relative dates."""
    anchor, anchor_source = anchor_for(doc)
    return content_key({"text": doc["text"], "anchor": anchor, "anchor_source": anchor_source})


def extract_documents(
    documents: Sequence[Mapping[str, Any]],
    cache: DocumentCache | None = None,
    previous_entities: Mapping[str, str] | None = None,
    load_recognizer=None,
    workers: int = 1,
) -> ExtractStageRows:
    """:func:`broadsheet.extract.rows.extract_rows`, with each document's extraction cached.

    The recognizer is loaded only when some document misses the cache, so a refresh in which
    every document is unchanged never loads the model; when it is needed it is loaded before
    any document is processed, so a missing model stops the run instead of rejecting every
    document one by one. The documents the cache does not hold are extracted in up to
    `workers` worker processes (:mod:`broadsheet.workers`, each loading the model once) when
    there are enough of them to be worth it; the rows are the same whatever `workers` is.
    """
    if load_recognizer is None:
        from broadsheet.entities.recognizer import load_recognizer
    keys = {doc["doc_id"]: extraction_key(doc) for doc in documents}
    cached: dict[str, _Held] = {}
    if cache is not None:
        for doc_id, key in keys.items():
            value = cache.get(key, FOUND_CODEC)
            if value is not None:
                cached[doc_id] = held(value)
    missing = sorted((d for d in documents if d["doc_id"] not in cached), key=lambda d: d["doc_id"])
    n_workers = workers_for(len(missing), workers)
    if n_workers > 1:
        return _extract_in_workers(documents, missing, cache, keys, cached, previous_entities, load_recognizer, n_workers)
    recognizer = load_recognizer() if len(cached) < len(keys) else None
    batches = BatchedRecognition(recognizer, missing, RECOGNITION_BATCH) if recognizer is not None else None
    report = progress.reporter()
    report.start("extract", len(documents))

    def find(doc: Mapping[str, Any]):
        doc_id = doc["doc_id"]
        reused = doc_id in cached
        try:
            if reused:
                cache.stats.reused += 1
                return cached.pop(doc_id)  # extract_rows holds it from here, and lets it go
            if cache is None:
                return find_in_document(doc, batches)
            cache.stats.processed += 1  # counted before: a document that fails was still tried
            found = find_in_document(doc, batches)
            cache.put(keys[doc_id], found, FOUND_CODEC)
            return found
        finally:
            report.advance("extract", reused)

    with one_blas_thread():  # as in the worker processes, so that the rows do not depend on where they ran
        rows = extract_rows(
            documents,
            find=find,
            previous_entities=previous_entities,
            prepare=batches.prepare_document if batches else None,
            extracts_here=batches is not None,  # not when every document is in the cache
        )
    report.finish("extract")
    return rows


@dataclass(frozen=True)
class _Failed:
    """What one document's extraction raised in a worker process, to be raised again here, so
    that its reject reads as it would had the document been extracted in this process."""

    error: str  # the exception's type name
    message: str
    budget_s: float | None = None  # set when it ran past its time budget

    @classmethod
    def of(cls, exc: BaseException) -> _Failed:
        if isinstance(exc, TooSlow):
            return cls(type(exc).__name__, str(exc), exc.budget_s)
        return cls(type(exc).__name__, str(exc))

    def exception(self) -> BaseException:
        if self.budget_s is not None:
            return TooSlow(self.budget_s)
        # A class of the same name: the reject names the type, and the original class may not
        # be importable here or constructible from its message.
        return type(self.error, (Exception,), {})(self.message)


# A worker process's recognizer, loaded by the first chunk it is given and kept for the others.
_worker_recognizers: dict[Callable, Any] = {}


def recognition_batches(documents: Sequence[Mapping[str, Any]], batch_size: int) -> list[range]:
    """The batches :class:`BatchedRecognition` makes when asked for `documents` in order (by
    doc_id): `batch_size` texts each, a text longer than LONG_TEXT_CHARS (recognized alone) going
    with the batch it falls in."""
    pieces: list[range] = []
    start = batched = 0
    for i, doc in enumerate(documents):
        batched += len(doc["text"] or "") <= LONG_TEXT_CHARS
        if batched == batch_size:
            pieces.append(range(start, i + 1))
            start, batched = i + 1, 0
    if start < len(documents):
        pieces.append(range(start, len(documents)))
    return pieces


@dataclass(frozen=True)
class _Extracted:
    """A document extracted in a worker process, as the run's process holds it (`_Held`: its
    claims and dates pickled, and what linking reads of its claims), with the payload of its cache entry when the run keeps one (None
    when it has none, or when the extraction could not be encoded). Made in the worker so that
    the run's process, which gathers every document's extraction while the workers share its
    cores, neither encodes the entries nor rebuilds every claim's objects."""

    held: _Held
    payload: bytes | None


def _extract_chunk(
    documents: list[Mapping[str, Any]], load_recognizer: Callable, batch_size: int = RECOGNITION_BATCH, encode: bool = False
) -> list[_Extracted | _Failed]:
    """A worker's share (see broadsheet.workers): each document extracted as extract_rows does it
    in one process (a batch of recognition before the document's own budget, then the document
    within its budget); a failure is the document's outcome, not the chunk's. With `encode`,
    each extraction's cache entry is encoded here too."""
    if load_recognizer not in _worker_recognizers:
        _worker_recognizers[load_recognizer] = load_recognizer()
        # rules and lexicons load on first use: shared work, kept out of the first document's budget
        extract_claims("Officials said on Monday that talks would resume.")
        find_temporal_expressions("on Monday", anchor=None)
    batches = BatchedRecognition(_worker_recognizers[load_recognizer], documents, batch_size)
    out: list[_Extracted | _Failed] = []
    with one_blas_thread():
        for doc in documents:
            try:
                batches.prepare_document(doc)
                with time_budget():
                    found = find_in_document(doc, batches)
            except (Exception, TooSlow) as exc:
                out.append(_Failed.of(exc))
                continue
            # What linking reads of its claims is read here too, in the worker, not in the one
            # process that links the corpus's claims once every document is extracted.
            out.append(_Extracted(held(found, doc["doc_id"]), encoded(found, FOUND_CODEC) if encode else None))
    return out


def warm_worker() -> None:
    """What a worker's first chunk of extraction loads (the model, the rules and lexicons), loaded
    ahead of it: given to the clean stage's workers as soon as that stage is done with them
    (broadsheet.workers.kept_pools), while the run's own process finishes the clean stage."""
    from broadsheet.entities.recognizer import load_recognizer

    _extract_chunk([], load_recognizer)


def _lost(_: int) -> _Failed:
    return _Failed("WorkerProcessDied", LOST_DETAIL)


def _extract_in_workers(
    documents: Sequence[Mapping[str, Any]],
    missing: list[Mapping[str, Any]],
    cache: DocumentCache | None,
    keys: Mapping[str, str],
    cached: dict[str, _Held],
    previous_entities: Mapping[str, str] | None,
    load_recognizer: Callable,
    n_workers: int,
) -> ExtractStageRows:
    """The per-document extraction of `missing` in `n_workers` processes, then the corpus-level
    steps here over every document, as :func:`extract_documents` does in one process."""
    report = progress.reporter()
    report.start("extract", len(documents))
    outcomes: dict[str, _Held | _Failed] = {}

    def done(k: int, outcome: _Extracted | _Failed) -> None:
        doc_id = missing[k]["doc_id"]
        if isinstance(outcome, _Extracted):
            # stored as each is done, so that a run that dies half-way keeps what it finished
            if cache is not None:
                cache.put_encoded(keys[doc_id], outcome.payload, FOUND_CODEC)
            outcomes[doc_id] = outcome.held
        else:
            outcomes[doc_id] = outcome
        report.advance("extract", False)

    process_in_workers(
        functools.partial(
            _extract_chunk, load_recognizer=load_recognizer, batch_size=RECOGNITION_BATCH, encode=cache is not None
        ),
        missing,
        n_workers,
        _lost,
        done,
        pieces=recognition_batches(missing, RECOGNITION_BATCH),
    )
    if cache is not None:
        cache.stats.processed += len(missing)

    def find(doc: Mapping[str, Any]) -> _Held:
        doc_id = doc["doc_id"]
        if doc_id in cached:
            cache.stats.reused += 1
            report.advance("extract", True)
            return cached.pop(doc_id)  # extract_rows holds it from here, and lets it go
        outcome = outcomes.pop(doc_id)
        if isinstance(outcome, _Failed):
            raise outcome.exception()
        return outcome

    rows = extract_rows(documents, find=find, previous_entities=previous_entities, extracts_here=False)
    report.finish("extract")
    return rows
