"""The ingest stage: source files and folders → article records, and rejects for everything else.

`ingest_sources` is the stage's whole API: it lists the files behind each source argument
(`broadsheet.ingest.sources`), reads each one in the format its extension names
(`broadsheet.ingest.readers`, decoding bytes with `broadsheet.ingest.decode`), and keeps the
first record of each doc id. It never raises for bad input: a missing source, an unsupported,
unreadable, oversized, binary, undecodable or empty file, a bad JSON line and a repeated id each
become a `Reject` with a reason code and a sentence saying what and where.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from broadsheet.ingest.decode import BinaryContentError, UndecodableError, decode_bytes
from broadsheet.ingest.readers import FORMAT_BY_EXTENSION, read_source
from broadsheet.ingest.records import IngestResult, Reject, SourceRecord, make_doc_id, make_reject
from broadsheet.ingest.sources import SourceFile, find_source_files

__all__ = [
    "MAX_FILE_BYTES",
    "BinaryContentError",
    "IngestResult",
    "Reject",
    "SourceRecord",
    "UndecodableError",
    "decode_bytes",
    "ingest_sources",
    "make_doc_id",
]

# Larger files are refused unread: no single article comes near it, and reading a stray dump or
# video into memory would only produce a reject later.
MAX_FILE_BYTES = 20 * 1024 * 1024

# Formats whose file is one article named by its path: a reject can already say its doc id.
_ONE_ARTICLE_PER_FILE = frozenset({"txt", "md", "html"})


def ingest_sources(sources: Sequence[str | Path]) -> IngestResult:
    """Read every source (a file or a folder, walked recursively) into records and rejects.

    Order is deterministic: sources in the order given, files in sorted path order, records of a
    file in file order. When two records share a doc id, the later one is rejected
    `duplicate_id`.
    """
    records: list[SourceRecord] = []
    rejects: list[Reject] = []
    first_uri_of: dict[str, str] = {}
    read_already: set[tuple[str, str]] = set()
    for source in sources:
        files, listing_rejects = find_source_files(source)
        rejects.extend(listing_rejects)
        for source_file in files:
            # The same file reached twice under the same uri (a source given twice) would only
            # repeat identical records; reading it once is the whole of its content.
            key = (os.path.realpath(source_file.path), source_file.source_uri)
            if key in read_already:
                continue
            read_already.add(key)
            for item in _read_file(source_file):
                if isinstance(item, Reject):
                    rejects.append(item)
                elif item.doc_id in first_uri_of:
                    rejects.append(_duplicate(item, first_uri_of[item.doc_id]))
                else:
                    first_uri_of[item.doc_id] = item.source_uri
                    records.append(item)
    return IngestResult(records=tuple(records), rejects=tuple(rejects))


def _read_file(source_file: SourceFile) -> list[SourceRecord | Reject]:
    uri = source_file.source_uri
    extension = source_file.path.suffix.lower()
    source_format = FORMAT_BY_EXTENSION.get(extension)
    if source_format is None:
        supported = ", ".join(sorted(FORMAT_BY_EXTENSION))
        what = f"extension {extension!r}" if extension else "no extension"
        return [make_reject(uri, None, "unsupported_format", f"the file has {what}; supported: {supported}")]

    doc_id = make_doc_id(uri) if source_format in _ONE_ARTICLE_PER_FILE else None
    try:
        info = source_file.path.stat()
        if not stat.S_ISREG(info.st_mode):
            return [make_reject(uri, source_format, "unreadable", "not a regular file", doc_id=doc_id)]
        if info.st_size > MAX_FILE_BYTES:
            return [make_reject(uri, source_format, "too_large", _too_large(info.st_size), doc_id=doc_id)]
        data = source_file.path.read_bytes()
    except OSError as exc:
        # strerror, not str(exc): the latter spells out the absolute path of this machine.
        detail = f"the file could not be read: {exc.strerror or type(exc).__name__}"
        return [make_reject(uri, source_format, "unreadable", detail, doc_id=doc_id)]
    if len(data) > MAX_FILE_BYTES:  # it grew between stat and read
        return [make_reject(uri, source_format, "too_large", _too_large(len(data)), doc_id=doc_id)]
    return read_source(source_format, data, uri)


def _duplicate(record: SourceRecord, first_uri: str) -> Reject:
    if record.source_record_id is not None:
        publisher = f" from publisher {record.publisher!r}" if record.publisher else ""
        why = f"its id {record.source_record_id!r}{publisher} was already used by {first_uri}"
    else:
        why = f"its source uri was already read from another file, first at {first_uri}"
    return make_reject(
        record.source_uri,
        record.source_format,
        "duplicate_id",
        f"doc id {record.doc_id} is taken: {why}",
        raw_sha256=record.raw_sha256,
    )


def _too_large(size: int) -> str:
    return f"the file holds {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit for one source file"
