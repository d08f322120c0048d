"""Cleaning each record once: the clean stage's per-document step through the per-document cache.

A record's cleaning is stored under the whole ingested row (text, metadata, doc id and source)
and the clean stage's fingerprint (`broadsheet.doccache`); the corpus-level step
(`broadsheet.clean.documents.finish_corpus`) always runs over every document, so duplicates and
clusters are the same as in a build from nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from broadsheet import progress
from broadsheet.clean.documents import CleanStageRows, build_documents, finish_corpus, reading_order
from broadsheet.doccache.codec import Codec, table_row_check
from broadsheet.doccache.inputs import clean_fingerprint, content_key
from broadsheet.doccache.store import DocumentCache
from broadsheet.paths import BuildLayout
from broadsheet.schema import load_schemas
from broadsheet.workers import LOST_DETAIL, process_in_workers, workers_for

Row = dict[str, Any]


def clean_cache(build_dir: Path) -> DocumentCache:
    return DocumentCache(BuildLayout(build_dir).cache, "clean", clean_fingerprint())


@dataclass(frozen=True)
class _Cleaned:
    """What cleaning one record gives: a document row with its cleaning log, or a reject."""

    document: Row | None
    cleaning_log: list[Row]
    rejects: list[Row]
    sentences: list[Row] = field(default_factory=list)


def _clean_one(record: Mapping[str, Any]) -> _Cleaned:
    # build_documents over one record is exactly its per-record work: with one record there is no
    # duplicate to drop, and the near-duplicate cluster it assigns is recomputed for the corpus.
    rows = build_documents([record])
    document = dict(rows.documents[0]) if rows.documents else None
    if document is not None:
        document.pop("duplicate_cluster_id", None)
    return _Cleaned(document, list(rows.cleaning_log), list(rows.rejects), list(rows.sentences))


def cleaning_key(record: Mapping[str, Any]) -> str:
    """What cleaning one record reads: the whole ingested row but its place in reading order,
    which moves whenever a file is added before it and does not change its cleaning."""
    return content_key({k: v for k, v in record.items() if k != "position"})


def _not_too_slow(cleaned: _Cleaned) -> bool:
    return not any(row["reason"] == "too_slow" for row in cleaned.rejects)


@functools.cache
def cleaned_codec() -> Codec:
    """How a :class:`_Cleaned` is stored: its rows are checked against their tables in `schemas/`
    (the document row without ``duplicate_cluster_id``, which the corpus step adds)."""
    schemas = load_schemas()
    return Codec(
        _Cleaned,
        row_checks={
            "document": table_row_check(schemas["documents"], omit=("duplicate_cluster_id",)),
            "cleaning_log": table_row_check(schemas["cleaning_log"]),
            "rejects": table_row_check(schemas["rejects"]),
            "sentences": table_row_check(schemas["sentences"]),
        },
    )


def _clean_chunk(records: list[Mapping[str, Any]]) -> list[_Cleaned]:
    """A worker's share (see broadsheet.workers): each record cleaned as in this process."""
    return [_clean_one(record) for record in records]


def _lost(record: Mapping[str, Any]) -> _Cleaned:
    """The outcome of a record whose cleaning killed its worker process even when cleaned alone."""
    reject = {
        "source_uri": record["source_uri"],
        "source_format": record.get("source_format"),
        "stage": "clean",
        "reason": "cleaning_error",
        "detail": f"cleaning failed: {LOST_DETAIL}",
        "raw_sha256": record.get("raw_sha256"),
        "doc_id": record["doc_id"],
    }
    return _Cleaned(None, [], [reject])


def clean_documents(
    records: Iterable[Mapping[str, Any]],
    cache: DocumentCache | None = None,
    published: Collection[str] = (),
    workers: int = 1,
) -> CleanStageRows:
    """:func:`broadsheet.clean.documents.build_documents`, with each record's cleaning cached.

    The key is the whole ingested row (text, metadata, doc id and source), since the document row
    carries all of it. The result equals ``build_documents(records)`` (a test holds it to that),
    whatever `workers` is: the records the cache does not hold are cleaned in up to that many
    worker processes (:mod:`broadsheet.workers`) when there are enough of them to be worth it.
    """
    records = sorted(records, key=lambda r: r["doc_id"])
    report = progress.reporter()
    report.start("clean", len(records))
    # by place in `records`, not doc_id: nothing here needs the ids to be unique
    outcomes: list[_Cleaned | None] = [None] * len(records)
    keys = [cleaning_key(record) for record in records] if cache is not None else []
    if cache is not None:
        for i, key in enumerate(keys):
            outcomes[i] = cache.get(key, cleaned_codec())
            if outcomes[i] is not None:
                cache.stats.reused += 1
                report.advance("clean", True)
    missing = [i for i, outcome in enumerate(outcomes) if outcome is None]
    if cache is not None:
        cache.stats.processed += len(missing)
    n_workers = workers_for(len(missing), workers)
    lost: set[int] = set()

    def store(i: int) -> None:
        # As each record is done, so that a run that dies half-way keeps what it finished. An
        # outcome of the moment (out of time, a dead worker) is not stored: it is tried again.
        if cache is not None and i not in lost and _not_too_slow(outcomes[i]):
            cache.put(keys[i], outcomes[i], cleaned_codec())
        report.advance("clean", False)

    if n_workers > 1:

        def done(k: int, cleaned: _Cleaned) -> None:
            outcomes[missing[k]] = cleaned
            store(missing[k])

        def lose(k: int) -> _Cleaned:
            lost.add(missing[k])
            return _lost(records[missing[k]])

        process_in_workers(_clean_chunk, [records[i] for i in missing], n_workers, lost=lose, done=done)
    else:
        for i in missing:
            outcomes[i] = _clean_one(records[i])
            store(i)
    report.finish("clean")

    documents: list[Row] = []
    log: list[Row] = []
    rejects: list[Row] = []
    sentences: list[Row] = []
    for cleaned in outcomes:
        if cleaned.document is not None:
            documents.append(dict(cleaned.document))
        log.extend(dict(row) for row in cleaned.cleaning_log)
        rejects.extend(dict(row) for row in cleaned.rejects)
        sentences.extend(dict(row) for row in cleaned.sentences)

    # Corpus-level, always over every document, in build_documents' order (by doc_id).
    return finish_corpus(documents, log, rejects, published, reading_order(records), sentences)
