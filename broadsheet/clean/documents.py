"""The clean stage's transform: ingested records → documents, cleaning_log and rejects rows.

Pure functions over plain rows (dicts keyed by the column names in `schemas/`). Cleaning itself
lives in `broadsheet.clean`; this module decides what a document's metadata is when several
places state it, and which records are not distinct documents.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from broadsheet.budget import TooSlow, time_budget
from broadsheet.clean import CleanResult, clean_text
from broadsheet.clean.neardup import cluster_near_duplicates
from broadsheet.clean.pubdate import resolve_published_date
from broadsheet.frames import row_violations
from broadsheet.language import detect_language
from broadsheet.schema import TableSchema, load_schema
from broadsheet.text import paragraph_spans, sentence_spans, word_count

Row = dict[str, Any]

_TITLE_MAX_WORDS = 25
_HAS_WORD = re.compile(r"[^\W_]")  # a letter or digit of any script


@dataclass(frozen=True)
class CleanStageRows:
    documents: list[Row]
    cleaning_log: list[Row]
    rejects: list[Row]
    # Each document's sentences (schemas/sentences.yaml), split once here for the extract stage.
    sentences: list[Row] = field(default_factory=list)


def build_documents(ingested: Iterable[Mapping[str, Any]], published: Collection[str] = ()) -> CleanStageRows:
    """Clean every ingested record and assemble the documents table.

    A record whose cleaning raises, that is empty once cleaned, or whose cleaned text repeats
    another document exactly becomes a reject naming why; the others become documents.
    `published`: the doc ids of the previous release (see :func:`finish_corpus`).
    """
    documents: list[Row] = []
    log: list[Row] = []
    rejects: list[Row] = []
    sentences: list[Row] = []
    ingested = list(ingested)
    for record in sorted(ingested, key=lambda r: r["doc_id"]):
        try:
            with time_budget():
                cleaned = clean_text(record["raw_text"], record["source_format"], title=record.get("title"))
                if not cleaned.text.strip():
                    rejects.append(_reject(record, "empty_after_cleaning", "no article text is left once debris is removed"))
                    continue
                if not _HAS_WORD.search(cleaned.text):
                    # Only punctuation, symbols or markup: no table could hold anything of it, and
                    # the documents suite (rightly) refuses a document without words.
                    rejects.append(
                        _reject(record, "no_words", "the text has no letter or digit (only punctuation, symbols or markup)")
                    )
                    continue
                row = document_row(record, cleaned)
                problems = row_violations(row, documents_schema(), omit=_CHECKED_AT_INGEST)
                if problems:
                    # One odd input must not make the whole release unpublishable: it is listed.
                    detail = "the document would fail the documents suite: " + "; ".join(problems)
                    rejects.append(_reject(record, "cleaning_error", detail))
                    continue
        except TooSlow as exc:
            rejects.append(_reject(record, "too_slow", f"cleaning {exc}"))
            continue
        except Exception as exc:  # one bad article must not stop the run; it is listed instead
            rejects.append(_reject(record, "cleaning_error", f"cleaning failed: {type(exc).__name__}: {exc}"))
            continue
        documents.append(row)
        log.extend(cleaning_log_rows(record["doc_id"], cleaned))
        sentences.extend(sentence_rows(row["doc_id"], row["text"]))
    return finish_corpus(documents, log, rejects, published, reading_order(ingested), sentences)


def reading_order(ingested: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """doc_id → the record's place in reading order (the ingested table's `position`), where known."""
    return {r["doc_id"]: r["position"] for r in ingested if r.get("position") is not None}


# Columns a document takes unchanged from its ingested row, whose own suite checked them (and the
# near-duplicate cluster, assigned later over the corpus).
_CHECKED_AT_INGEST = (
    "doc_id",
    "source_uri",
    "source_name",
    "text_license",
    "source_format",
    "source_record_id",
    "encoding",
    "raw_sha256",
    "duplicate_cluster_id",
)


@functools.cache
def documents_schema() -> TableSchema:
    return load_schema("documents")


def finish_corpus(
    documents: list[Row],
    log: list[Row],
    rejects: list[Row],
    published: Collection[str] = (),
    order: Mapping[str, int] | None = None,
    sentences: Sequence[Row] = (),
) -> CleanStageRows:
    """The corpus-level end of cleaning, over every cleaned document at once (in doc_id order).

    Exact repeats become rejects (their cleaning log goes with them) and the rest get their
    near-duplicate cluster. Of identical texts the one kept is, in turn: one the previous release
    holds (`published`, its doc ids), so a copy added later never displaces the article it
    copies, whatever its name; the one read first (`order`, see :func:`reading_order`), so a copy
    in a source named after the original's does not either; the smallest doc id. A refresh that
    reuses cached documents calls this too, so that both paths give the same table.
    """
    documents, duplicates = _drop_exact_duplicates(documents, frozenset(published), order or {})
    rejects = [*rejects, *duplicates]
    dropped = {r["doc_id"] for r in duplicates}
    log = [row for row in log if row["doc_id"] not in dropped]
    sentences = [row for row in sentences if row["doc_id"] not in dropped]

    clusters = cluster_near_duplicates({d["doc_id"]: d["text"] for d in documents})
    for doc in documents:
        doc["duplicate_cluster_id"] = clusters[doc["doc_id"]]
    return CleanStageRows(documents, log, rejects, sentences)


def document_row(record: Mapping[str, Any], cleaned: CleanResult) -> Row:
    text = cleaned.text
    published = resolve_published_date(record, cleaned)
    return {
        "doc_id": record["doc_id"],
        "source_uri": record["source_uri"],
        "source_name": record["source_name"],
        "text_license": record.get("text_license"),
        "source_format": record["source_format"],
        "source_record_id": record.get("source_record_id"),
        "encoding": record["encoding"],
        "url": record.get("url"),
        "title": record.get("title") or cleaned.title or headline(text),
        "authors": list(record.get("authors") or cleaned.authors),
        "publisher": record.get("publisher") or cleaned.publisher,
        "original_source": cleaned.original_source,
        "original_url": cleaned.original_url,
        "published_date": published.date,
        "published_date_earliest": published.earliest,
        "published_date_latest": published.latest,
        "published_date_source": published.source,
        "published_date_confidence": published.confidence,
        "language": detect_language(text),
        "text": text,
        "raw_sha256": record["raw_sha256"],
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "n_chars": len(text),
        "n_words": word_count(text),
        "n_sentences": len(sentence_spans(text)),
        "n_removed_segments": len(cleaned.segments),
    }


def headline(text: str) -> str | None:
    """The first paragraph when it reads as a headline: one short line without final punctuation."""
    spans = paragraph_spans(text)
    if len(spans) < 2:
        return None
    first = text[spans[0][0] : spans[0][1]]
    if "\n" in first or first.endswith((".", ":", ";", ",")) or word_count(first) > _TITLE_MAX_WORDS:
        return None
    return first


def sentence_rows(doc_id: str, text: str) -> list[Row]:
    """The text's sentences as rows of the sentences table (the same split `n_sentences` counts)."""
    return [{"doc_id": doc_id, "start_char": start, "end_char": end} for start, end in sentence_spans(text)]


def cleaning_log_rows(doc_id: str, cleaned: CleanResult) -> list[Row]:
    return [
        {
            "doc_id": doc_id,
            "raw_start_char": seg.start,
            "raw_end_char": seg.end,
            "rule_id": seg.rule_id,
            "action": seg.action,
            "metadata_field": seg.field,
            "metadata_value": seg.value,
            "removed_text": seg.text,
        }
        for seg in cleaned.segments
    ]


def _drop_exact_duplicates(
    documents: Sequence[Row], published: frozenset[str] = frozenset(), order: Mapping[str, int] | None = None
) -> tuple[list[Row], list[Row]]:
    """Keep one document per cleaned text (see :func:`finish_corpus` for which); the copies become
    rejects. The documents keep their order (by doc_id)."""
    order = order or {}
    unknown = len(order)  # after every known position
    keeper: dict[str, Row] = {}
    for doc in sorted(documents, key=lambda d: (d["doc_id"] not in published, order.get(d["doc_id"], unknown), d["doc_id"])):
        keeper.setdefault(doc["text_sha256"], doc)
    kept: list[Row] = []
    rejects: list[Row] = []
    for doc in documents:
        first = keeper[doc["text_sha256"]]
        if first is doc:
            kept.append(doc)
        else:
            rejects.append(
                _reject(doc, "duplicate_content", f"cleaned text is identical to {first['doc_id']} ({first['source_uri']})")
            )
    return kept, rejects


def _reject(record: Mapping[str, Any], reason: str, detail: str) -> Row:
    return {
        "source_uri": record["source_uri"],
        "source_format": record.get("source_format"),
        "stage": "clean",
        "reason": reason,
        "detail": detail,
        "raw_sha256": record.get("raw_sha256"),
        "doc_id": record["doc_id"],
    }
