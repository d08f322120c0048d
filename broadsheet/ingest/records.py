"""What the ingest stage produces: article records, rejects, and the rules for their identity.

The record types and the two identity functions (`doc_id`, `raw_sha256`) live here so that the
readers and the source walker share one definition; `broadsheet.ingest` re-exports them.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field

__all__ = ["IngestResult", "Reject", "SourceRecord", "make_doc_id", "sha256_hex"]

STAGE = "ingest"


@dataclass(frozen=True)
class SourceRecord:
    """One article as read from its source, before any cleaning."""

    doc_id: str
    source_uri: str
    source_format: str  # "txt" | "md" | "html" | "json" | "jsonl"
    source_record_id: str | None  # the record's `id`, if any
    raw_sha256: str
    encoding: str  # e.g. "utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "utf-8+cp1252", "json"
    text: str  # decoded, NFC, '\n' newlines; for html the extracted main text
    title: str | None
    url: str | None
    authors: tuple[str, ...]
    publisher: str | None
    published_date: datetime.date | None  # parsed from metadata when it parses unambiguously
    published_date_raw: str | None  # the metadata string as found
    # The source that read it: a sources-file entry's name, else the folder or file named on the
    # command line; and the licence that entry declares for its article texts (None: not stated).
    source_name: str | None = None
    text_license: str | None = None


@dataclass(frozen=True)
class Reject:
    """An input that could not become an article, and why."""

    source_uri: str
    source_format: str | None
    stage: str  # "ingest" here
    # unsupported_format, undecodable, binary_content, empty_text, invalid_json, missing_text,
    # no_main_text, unreadable, too_large, duplicate_id, missing_source, outside_source; and for
    # sources files and fetched sources: invalid_sources_file, bad_url, fetch_timeout,
    # fetch_failed, http_error, too_many_redirects, invalid_feed, invalid_warc
    # (schemas/rejects.yaml lists them all)
    reason: str
    detail: str  # a sentence saying what was wrong and where
    raw_sha256: str | None
    # The id the article would have had, when that is already known (the rejects table's doc_id):
    # a later run that accepts the fixed source gives it this id.
    doc_id: str | None = None


@dataclass(frozen=True)
class IngestResult:
    records: tuple[SourceRecord, ...]
    rejects: tuple[Reject, ...]
    # What was read from local files (broadsheet.ingest.readlog); None when a log cannot cover it.
    # Not content: two ingests of one corpus in two places give equal results.
    reads: tuple[list, ...] | None = field(default=None, compare=False)


def make_doc_id(source_uri: str, publisher: str | None = None, record_id: str | None = None) -> str:
    """The stable id of an article: from its own id (scoped by publisher) when it has one, else its source.

    A record id is only unique within its publisher, hence the scope; the source path is
    relative (see `broadsheet.ingest.sources`), so the id survives moving the folder.

    The hashed key keeps the namespaces apart, so that a record can only take ids of its own
    kind: "id:<publisher>:<record id>" for a record's own id, "uri:<source uri>" for a file, a
    URL or a record without an id. A JSON record can never take the id of a file or a page, nor
    the reverse, whatever it puts in its `id`. Within the record namespace the key must also be
    one-to-one: a publisher with a ':' in it would make publisher "a:b" with id "c" the same key
    as publisher "a" with id "b:c", so such a pair is written as a JSON array instead, under
    its own prefix ("idj:"). Every key without that ambiguity is written as it always was, so no
    existing doc id changes.
    """
    if record_id is not None:
        owner = publisher or ""
        if ":" in owner:
            key = "idj:" + json.dumps([owner, record_id], ensure_ascii=False)
        else:
            key = f"id:{owner}:{record_id}"
    else:
        key = f"uri:{source_uri}"
    return "d_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_reject(
    source_uri: str,
    source_format: str | None,
    reason: str,
    detail: str,
    raw_sha256: str | None = None,
    doc_id: str | None = None,
) -> Reject:
    return Reject(
        source_uri=source_uri,
        source_format=source_format,
        stage=STAGE,
        reason=reason,
        detail=detail,
        raw_sha256=raw_sha256,
        doc_id=doc_id,
    )
