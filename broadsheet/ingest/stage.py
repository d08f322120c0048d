"""The ingest stage: sources → the `ingested` and `rejects` tables under `<build>/ingest/`.

Load: the sources as named (files, folders, sources files, URLs, feeds, WARCs); process:
`broadsheet.ingest.ingest_sources`, one record per article or a reject with its reason; save:
one row per record, in reading order.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from broadsheet.ingest import Reject, SourceRecord, ingest_sources, readlog
from broadsheet.paths import BuildLayout
from broadsheet.release.previous import previous_sources
from broadsheet.stageio import StageOutput, save


def ingest_stage(
    sources: Sequence[str | Path],
    build_dir: Path,
    fetcher=None,
    dist_dir: Path | None = None,
    read_log: Path | None = None,
) -> StageOutput:
    """`fetcher`: how URLs are fetched (see broadsheet.ingest.Fetcher); the flow passes its retrying task.

    With `dist_dir`, a doc id claimed by two different articles stays with the source its latest
    release had it from. With `read_log`, what was read is logged there when a log can cover it
    (broadsheet.ingest.readlog), and any older log removed when it cannot.
    """
    # Fetched pages, their validators and the feeds' archives live in <build>/fetch.
    published = previous_sources(dist_dir) if dist_dir is not None else None
    result = ingest_sources(list(sources), fetch_dir=BuildLayout(Path(build_dir)).fetch, fetcher=fetcher, published=published)
    output = save(
        "ingest",
        build_dir,
        {
            "ingested": [ingested_row(r, position) for position, r in enumerate(result.records)],
            "rejects": [reject_row(r) for r in result.rejects],
        },
    )
    if read_log is not None:
        reads = list(result.reads) if result.reads is not None else None
        readlog.write(read_log, sources, reads, output.digest, output.files["ingested"].rows)
    return output


def ingested_row(record: SourceRecord, position: int | None = None) -> dict:
    """The ingested table's row of `record`; `position`: its place in reading order."""
    return {
        "doc_id": record.doc_id,
        "source_uri": record.source_uri,
        "source_format": record.source_format,
        "source_record_id": record.source_record_id,
        "raw_sha256": record.raw_sha256,
        "encoding": record.encoding,
        "raw_text": record.text,
        "title": record.title,
        "url": record.url,
        "authors": list(record.authors),
        "publisher": record.publisher,
        "published_date": record.published_date,
        "published_date_raw": record.published_date_raw,
        "source_name": record.source_name,
        "text_license": record.text_license,
        "position": position,
    }


def reject_row(reject: Reject) -> dict:
    return {
        "source_uri": reject.source_uri,
        "doc_id": getattr(reject, "doc_id", None),
        "source_format": reject.source_format,
        "stage": reject.stage,
        "reason": reject.reason,
        "detail": reject.detail,
        "raw_sha256": reject.raw_sha256,
    }
