"""Extracting from each text once: the extract stage's per-document step through the per-document cache.

A document's entity mentions, claims and dates are stored under its text and date anchor and
the extract stage's fingerprint (`broadsheet.doccache`); the corpus-level steps (canonical
entities, claim clusters, ids) always run over every document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from broadsheet import progress
from broadsheet.doccache.codec import Codec
from broadsheet.doccache.inputs import content_key, extract_fingerprint
from broadsheet.doccache.store import DocumentCache
from broadsheet.extract.rows import BatchedRecognition, ExtractStageRows, _Found, anchor_for, extract_rows, find_in_document
from broadsheet.paths import BuildLayout


def extract_cache(build_dir: Path) -> DocumentCache:
    return DocumentCache(BuildLayout(build_dir).cache, "extract", extract_fingerprint())


# How one document's extraction (:class:`broadsheet.extract.rows._Found`) is stored.
FOUND_CODEC = Codec(_Found)


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
    """:func:`broadsheet.extract.rows.extract_rows`, with each document's extraction cached.

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
    batches = (
        BatchedRecognition(recognizer, [d for d in documents if d["doc_id"] not in cached]) if recognizer is not None else None
    )
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
