"""Cleaning each record once: the clean stage's per-document step through the per-document cache.

A record's cleaning is stored under the whole ingested row (text, metadata, doc id and source)
and the clean stage's fingerprint (`broadsheet.doccache`); the corpus-level step
(`broadsheet.clean.documents.finish_corpus`) always runs over every document, so duplicates and
clusters are the same as in a build from nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadsheet import progress
from broadsheet.clean.documents import CleanStageRows, build_documents, finish_corpus, reading_order
from broadsheet.doccache.codec import Codec, table_row_check
from broadsheet.doccache.inputs import clean_fingerprint, content_key
from broadsheet.doccache.store import DocumentCache
from broadsheet.paths import BuildLayout
from broadsheet.schema import load_schemas

Row = dict[str, Any]


def clean_cache(build_dir: Path) -> DocumentCache:
    return DocumentCache(BuildLayout(build_dir).cache, "clean", clean_fingerprint())


@dataclass(frozen=True)
class _Cleaned:
    """What cleaning one record gives: a document row with its cleaning log, or a reject."""

    document: Row | None
    cleaning_log: list[Row]
    rejects: list[Row]


def _clean_one(record: Mapping[str, Any]) -> _Cleaned:
    # build_documents over one record is exactly its per-record work: with one record there is no
    # duplicate to drop, and the near-duplicate cluster it assigns is recomputed for the corpus.
    rows = build_documents([record])
    document = dict(rows.documents[0]) if rows.documents else None
    if document is not None:
        document.pop("duplicate_cluster_id", None)
    return _Cleaned(document, list(rows.cleaning_log), list(rows.rejects))


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
        },
    )


def clean_documents(
    records: Iterable[Mapping[str, Any]], cache: DocumentCache | None = None, published: Collection[str] = ()
) -> CleanStageRows:
    """:func:`broadsheet.clean.documents.build_documents`, with each record's cleaning cached.

    The key is the whole ingested row (text, metadata, doc id and source), since the document row
    carries all of it. The result equals ``build_documents(records)`` (a test holds it to that).
    """
    records = sorted(records, key=lambda r: r["doc_id"])
    report = progress.reporter()
    report.start("clean", len(records))
    documents: list[Row] = []
    log: list[Row] = []
    rejects: list[Row] = []
    for record in records:
        if cache is None:
            cleaned, reused = _clean_one(record), False
        else:
            before = cache.stats.reused
            cleaned = cache.lookup(
                cleaning_key(record), functools.partial(_clean_one, record), cleaned_codec(), keep=_not_too_slow
            )
            reused = cache.stats.reused > before
        if cleaned.document is not None:
            documents.append(dict(cleaned.document))
        log.extend(dict(row) for row in cleaned.cleaning_log)
        rejects.extend(dict(row) for row in cleaned.rejects)
        report.advance("clean", reused)
    report.finish("clean")

    # Corpus-level, always over every document, in build_documents' order (by doc_id).
    return finish_corpus(documents, log, rejects, published, reading_order(records))
