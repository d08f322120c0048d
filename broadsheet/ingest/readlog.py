"""What an ingest of local files read, kept so that a refresh can tell it would read the same.

A refresh with nothing new stops after ingest (`broadsheet.release.unchanged`); ingest itself was
most of its cost: parsing every article, building and writing the ingest tables, all to learn
their digest. The ingest tables are a function of the files listed and their bytes, the code,
and, only when two different articles claim one doc id, of which source the latest release had
it from. So when every source is a local file or folder named directly and no doc id was
contested, ingest writes this log beside its tables: every file it listed (uri, path, the
file's identity) with the SHA-256 of the bytes it parsed, what the listing rejected, the code's
fingerprint, and the digest and row count of the tables it wrote.

:func:`known_ingest` lists the same sources the same way (`find_source_files`), reads every file
through the same guards and hashes its bytes; when all of it is what the log says, the ingest
tables would be the logged ones, and their digest is returned without parsing anything. Content,
not timestamps, decides: a file edited and put back is unchanged, one touched by a tool that
keeps timestamps is still seen. Anything unexpected (a file that cannot be read, a log of another
kind) returns None, and the caller ingests as usual.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from broadsheet.ingest.objectstore import as_source, is_url
from broadsheet.ingest.readers import FORMAT_BY_EXTENSION
from broadsheet.ingest.records import Reject
from broadsheet.ingest.sourcefile import is_sources_file
from broadsheet.ingest.sources import SourceFile, find_source_files, first_reads

FILE = "ingest-reads.json"
FORMAT = 1
# The entry of a file whose read failed: no later read can match it, so such a log never serves.
UNREAD = "unread"


def file_entry(source_file: SourceFile, data: bytes | None, failed: bool = False) -> list:
    """One listed file: uri, path, identity, and the SHA-256 of its bytes (None: not read, its
    extension is not an article format; UNREAD: reading it failed)."""
    digest = UNREAD if failed else (hashlib.sha256(data).hexdigest() if data is not None else None)
    identity = list(source_file.identity) if source_file.identity is not None else None
    return [source_file.source_uri, os.fspath(source_file.path), identity, digest]


def listing_entries(rejects: Sequence[Reject]) -> list[list]:
    """What a listing rejected (a missing source, a folder that cannot be listed)."""
    return [["listing", r.source_uri, r.reason, r.detail] for r in rejects]


def plain_local(source: str | Path) -> bool:
    """A file or folder named directly: the only sources a log covers."""
    return not is_url(source) and not is_sources_file(source)


def current_reads(sources: Sequence[str | Path], max_bytes: int) -> list[list] | None:
    """The log entries an ingest of `sources` would make now (see `broadsheet.ingest.reading`,
    whose listing and reading order this follows); None if a source is not plain local or a file
    cannot be read as an ingest would read it."""
    reads: list[list] = []
    read_already: set[tuple[str, str]] = set()
    for source in map(as_source, sources):
        if not plain_local(source):
            return None
        files, rejects = find_source_files(source)
        reads.extend(listing_entries(rejects))
        for source_file in first_reads(files, read_already):
            if source_file.suffix not in FORMAT_BY_EXTENSION:
                reads.append(file_entry(source_file, None))
                continue
            try:
                data = source_file.read(max_bytes)
            except Exception:  # noqa: BLE001 - any failure: let the ingest itself say what it is
                return None
            reads.append(file_entry(source_file, data))
    return reads


def _payload(sources: Sequence[str | Path], code: str) -> dict[str, Any]:
    return {"format": FORMAT, "sources": [os.path.abspath(s) for s in map(as_source, sources)], "code": code}


def write(path: Path, sources: Sequence[str | Path], reads: list[list] | None, ingest_digest: str, rows: int) -> None:
    """Keep the log of an ingest that read `reads` and wrote tables of `ingest_digest`; with
    `reads` None (the ingest is not one a log can cover) any older log is removed."""
    from broadsheet.release.unchanged import code_fingerprint
    from broadsheet.tableio import write_atomic

    path = Path(path)
    if reads is None:
        path.unlink(missing_ok=True)
        return
    record = {**_payload(sources, code_fingerprint()), "reads": reads, "ingest": ingest_digest, "ingested_rows": rows}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(record, ensure_ascii=False) + "\n")


def known_ingest(path: Path, sources: Sequence[str | Path], max_bytes: int) -> tuple[str, int] | None:
    """(digest, ingested rows) of the ingest tables an ingest of `sources` would write now, when
    the log at `path` covers exactly what it would read; else None."""
    from broadsheet.release.unchanged import code_fingerprint

    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or any(record.get(k) != v for k, v in _payload(sources, code_fingerprint()).items()):
        return None
    digest, rows = record.get("ingest"), record.get("ingested_rows")
    if not isinstance(digest, str) or not isinstance(rows, int):
        return None
    reads = current_reads(sources, max_bytes)
    return (digest, rows) if reads is not None and reads == record.get("reads") else None
