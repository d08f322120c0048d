"""Incremental refresh: redo the per-document work only for new or changed documents.

The clean and extract stages each split into a per-document step (cleaning one record; running
the recognizer, the claims and the dates extractors over one text) and a corpus-level step
(exact and near duplicates across documents; canonical entities across documents). The
per-document results go through a :class:`broadsheet.cache.DocumentCache` keyed by the exact
fields the step reads and by the fingerprint of the code, rules and model that run it; the
corpus-level steps always run over the whole corpus, so clusters and ids are the same as in a
build from nothing.

Ids stay stable across refreshes: document ids come from the source (``broadsheet.ingest``),
claim, date and mention ids from the document id and the span, and entity ids from the previous
release's entities (:func:`previous_entity_ids`), so adding an article that changes which name
of an entity is canonical does not renumber it.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from broadsheet import progress
from broadsheet.cache import (
    CacheStats,
    Codec,
    DocumentCache,
    clean_fingerprint,
    content_key,
    extract_fingerprint,
    table_row_check,
)
from broadsheet.documents import CleanStageRows, build_documents, finish_corpus, reading_order
from broadsheet.extract.stage import (
    BatchedRecognition,
    ExtractStageRows,
    _Found,
    anchor_for,
    extract_rows,
    find_in_document,
)
from broadsheet.schema import load_schemas

Row = dict[str, Any]
CACHE_DIR = "cache"


def cache_root(build_dir: Path) -> Path:
    return Path(build_dir) / CACHE_DIR


def clean_cache(build_dir: Path) -> DocumentCache:
    return DocumentCache(cache_root(build_dir), "clean", clean_fingerprint())


def extract_cache(build_dir: Path) -> DocumentCache:
    return DocumentCache(cache_root(build_dir), "extract", extract_fingerprint())


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
    return Codec(_Cleaned, row_checks={
        "document": table_row_check(schemas["documents"], omit=("duplicate_cluster_id",)),
        "cleaning_log": table_row_check(schemas["cleaning_log"]),
        "rejects": table_row_check(schemas["rejects"]),
    })


# How one document's extraction (:class:`broadsheet.extract.stage._Found`) is stored.
FOUND_CODEC = Codec(_Found)


def clean_documents(
    records: Iterable[Mapping[str, Any]], cache: DocumentCache | None = None, published: Collection[str] = ()
) -> CleanStageRows:
    """:func:`broadsheet.documents.build_documents`, with each record's cleaning cached.

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
            cleaned = cache.lookup(cleaning_key(record), lambda: _clean_one(record), cleaned_codec(), keep=_not_too_slow)
            reused = cache.stats.reused > before
        if cleaned.document is not None:
            documents.append(dict(cleaned.document))
        log.extend(dict(row) for row in cleaned.cleaning_log)
        rejects.extend(dict(row) for row in cleaned.rejects)
        report.advance("clean", reused)
    report.finish("clean")

    # Corpus-level, always over every document, in build_documents' order (by doc_id).
    return finish_corpus(documents, log, rejects, published, reading_order(records))


def extraction_key(doc: Mapping[str, Any]) -> str:
    """What the per-document extractors read: the text and the anchor for relative dates."""
    anchor, anchor_source = anchor_for(doc)
    return content_key({"text": doc["text"], "anchor": anchor, "anchor_source": anchor_source})


def extract_documents(
    documents: Sequence[Mapping[str, Any]],
    cache: DocumentCache | None = None,
    previous_entities: Mapping[str, str] | None = None,
    load_recognizer=None,
) -> ExtractStageRows:
    """:func:`broadsheet.extract.stage.extract_rows`, with each document's extraction cached.

    The recognizer is loaded only when some document misses the cache, so a refresh in which
    every document is unchanged never loads the model; when it is needed it is loaded before
    any document is processed, so a missing model stops the run instead of rejecting every
    document one by one.
    """
    if load_recognizer is None:
        from broadsheet.entities.recognizer import load_recognizer
    keys = {doc["doc_id"]: extraction_key(doc) for doc in documents}
    cached = {}
    if cache is not None:
        for doc_id, key in keys.items():
            value = cache.get(key, FOUND_CODEC)
            if value is not None:
                cached[doc_id] = value
    recognizer = load_recognizer() if len(cached) < len(keys) else None
    batches = BatchedRecognition(recognizer, [d for d in documents if d["doc_id"] not in cached]) if recognizer is not None else None
    report = progress.reporter()
    report.start("extract", len(documents))

    def find(doc: Mapping[str, Any]):
        doc_id = doc["doc_id"]
        try:
            if doc_id in cached:
                cache.stats.reused += 1
                return cached[doc_id]
            if cache is None:
                return find_in_document(doc, batches)
            cache.stats.processed += 1  # counted before: a document that fails was still tried
            found = find_in_document(doc, batches)
            cache.put(keys[doc_id], found, FOUND_CODEC)
            return found
        finally:
            report.advance("extract", doc_id in cached)

    rows = extract_rows(
        documents, find=find, previous_entities=previous_entities, prepare=batches.prepare_document if batches else None
    )
    report.finish("extract")
    return rows


def previous_entity_ids(dist_dir: Path) -> dict[str, str]:
    """The id registry (:func:`broadsheet.entities.canonical.id_registry`) of the latest release.

    Empty when there is no release yet, or when the latest one has no readable entities table.
    """
    from broadsheet.entities.canonical import id_registry

    rows = _latest_table(dist_dir, "entities", ["entity_id", "entity_type", "aliases"])
    return id_registry(rows) if rows is not None else {}


def previous_doc_ids(dist_dir: Path) -> frozenset[str]:
    """The doc ids of the latest release (empty when there is none): of two identical texts, the
    one already published stays (:func:`broadsheet.documents.finish_corpus`)."""
    return frozenset(previous_sources(dist_dir))


def previous_sources(dist_dir: Path) -> dict[str, str]:
    """doc id → source uri in the latest release (empty when there is none): a doc id two records
    claim stays with the source that held it (:func:`broadsheet.ingest.ingest_sources`)."""
    rows = _latest_table(dist_dir, "documents", ["doc_id", "source_uri"])
    return {row["doc_id"]: row["source_uri"] for row in rows or ()}


def _latest_table(dist_dir: Path, table: str, columns: list[str]) -> list[Row] | None:
    from broadsheet.release import latest_manifest

    manifest = latest_manifest(Path(dist_dir))
    if not manifest or table not in manifest.get("tables", {}):
        return None
    path = Path(dist_dir) / manifest["version"] / manifest["tables"][table]["path"]
    if not path.is_file():
        return None
    return pl.read_parquet(path, columns=columns).to_dicts()


def work_line(work: Mapping[str, CacheStats | Mapping[str, int]]) -> str:
    """``clean: 1 processed, 10 reused; extract: 1 processed, 10 reused`` (documents, per stage)."""
    parts = []
    for stage, stats in work.items():
        processed, reused = _counts(stats)
        parts.append(f"{stage}: {processed} processed, {reused} reused")
    return "; ".join(parts)


def _counts(stats: CacheStats | Mapping[str, int]) -> tuple[int, int]:
    if isinstance(stats, CacheStats):
        return stats.processed, stats.reused
    return int(stats.get("processed", 0)), int(stats.get("reused", 0))


def run_report_markdown(summary) -> str:
    """The run's summary as Markdown (a Prefect artifact): outcome, release, work per stage."""
    outcome = {
        "published": f"Published release `{summary.version}`.",
        "unchanged": f"Nothing new: release `{summary.version}` already holds this content; nothing was published.",
        "empty": "No source became a document; nothing was published.",
    }[summary.status]
    lines = [
        "# broadsheet run",
        "",
        outcome,
        "",
        f"{summary.n_documents} documents, {len(summary.rejects)} rejected inputs.",
        "",
        "| stage | documents processed | reused from the cache |",
        "|---|---:|---:|",
    ]
    for stage, stats in summary.work.items():
        processed, reused = _counts(stats)
        lines.append(f"| {stage} | {processed} | {reused} |")
    if summary.warnings:
        lines += ["", *(f"**Rows dropped:** {w}." for w in summary.warnings)]
    if summary.rejects:
        lines += ["", "| rejected input | stage | reason |", "|---|---|---|"]
        lines += [f"| `{r['source_uri']}` | {r['stage']} | {r['reason']} |" for r in summary.rejects]
    return "\n".join(lines) + "\n"
