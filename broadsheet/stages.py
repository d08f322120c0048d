"""The pipeline's stages as load → process → save steps over Parquet files in the build folder.

Each stage reads the Parquet outputs of the one before, calls the pure transforms of the library,
and writes its own tables under `<build>/<stage>/`. Stages hand each other a `StageOutput` (paths
and content hashes), never data frames, so the Prefect tasks that call them stay cheap to pass
around and a stage can be re-run on its own from the files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl

from broadsheet import refresh
from broadsheet.ids import stable_id
from broadsheet.ingest import Reject, SourceRecord, ingest_sources
from broadsheet.schema import TableSchema, from_rows, load_schemas
from broadsheet.tableio import FileInfo, read_table, write_table

STAGES = ("ingest", "clean", "extract")


@dataclass(frozen=True)
class StageOutput:
    stage: str
    files: Mapping[str, FileInfo]  # table name → written file
    # Documents whose per-document work was done in this run and those read back from the cache
    # ({"processed": n, "reused": m}); not part of the digest, which is about content only.
    work: Mapping[str, int] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        """Content hash of everything the stage wrote (its files' hashes, by table)."""
        payload = json.dumps({name: info.sha256 for name, info in sorted(self.files.items())})
        return hashlib.sha256(payload.encode()).hexdigest()

    def path(self, table: str) -> Path:
        return Path(self.files[table].path)

    def to_json(self) -> dict:
        return {"stage": self.stage, "files": {name: asdict(info) for name, info in self.files.items()}, "work": dict(self.work)}


class StageValidationError(RuntimeError):
    """A stage's output failed its suite: the next stage must not read it."""

    def __init__(self, report) -> None:  # a broadsheet.validation.ValidationReport
        super().__init__(report.summary())
        self.report = report


def ingest_stage(sources: Sequence[str | Path], build_dir: Path, fetcher=None, dist_dir: Path | None = None) -> StageOutput:
    """`fetcher`: how URLs are fetched (see broadsheet.ingest.Fetcher); the flow passes its retrying task.

    With `dist_dir`, a doc id claimed by two different articles stays with the source its latest
    release had it from.
    """
    # Fetched pages, their validators and the feeds' archives live in <build>/fetch.
    published = refresh.previous_sources(dist_dir) if dist_dir is not None else None
    result = ingest_sources(list(sources), fetch_dir=Path(build_dir) / "fetch", fetcher=fetcher, published=published)
    return _save("ingest", build_dir, {
        "ingested": [ingested_row(r, position) for position, r in enumerate(result.records)],
        "rejects": [reject_row(r) for r in result.rejects],
    })


def clean_stage(
    ingested: StageOutput, build_dir: Path, use_cache: bool = True, dist_dir: Path | None = None
) -> StageOutput:
    """Documents from the ingested records; unchanged records' cleaning is read from the cache.

    With `dist_dir`, of two identical texts the one its latest release holds is kept.
    """
    schemas = load_schemas()
    records = read_table(ingested.path("ingested"), schemas["ingested"]).to_dicts()
    cache = refresh.clean_cache(build_dir) if use_cache else None
    published = refresh.previous_doc_ids(dist_dir) if dist_dir is not None else frozenset()
    rows = refresh.clean_documents(records, cache, published)
    work = _work(cache, len(records))
    if cache is not None:
        cache.prune_other_fingerprints()
    return _save("clean", build_dir, {
        "documents": rows.documents,
        "cleaning_log": rows.cleaning_log,
        "rejects": rows.rejects,
    }, schemas, work)


def extract_stage(
    cleaned: StageOutput, build_dir: Path, dist_dir: Path | None = None, use_cache: bool = True
) -> StageOutput:
    """Entities, claims and dates; unchanged documents' extraction is read from the cache.

    With `dist_dir`, entities keep the ids the latest release there gave them.
    """
    schemas = load_schemas()
    documents = read_table(cleaned.path("documents"), schemas["documents"]).to_dicts()
    cache = refresh.extract_cache(build_dir) if use_cache else None
    previous = refresh.previous_entity_ids(dist_dir) if dist_dir is not None else None
    rows = refresh.extract_documents(documents, cache, previous)
    work = _work(cache, len(documents))
    if cache is not None:
        cache.prune_other_fingerprints()
    return _save("extract", build_dir, {
        "entities": rows.entities,
        "entity_mentions": rows.entity_mentions,
        "claims": rows.claims,
        "dates": rows.dates,
        "extracted": rows.extracted,
        "rejects": rows.rejects,
    }, schemas, work)


def _work(cache, n_documents: int) -> dict[str, int]:
    if cache is None:
        return {"processed": n_documents, "reused": 0}
    return {"processed": cache.stats.processed, "reused": cache.stats.reused}


def load_tables(output: StageOutput, schemas: Mapping[str, TableSchema] | None = None) -> dict[str, pl.DataFrame]:
    schemas = schemas or load_schemas()
    return {name: read_table(output.path(name), schemas[name]) for name in output.files}


def audit_tables(outputs: Sequence[StageOutput], schemas: Mapping[str, TableSchema] | None = None) -> dict[str, pl.DataFrame]:
    """The unpublished tables of `outputs` that the release suite holds the candidate to: those
    whose schema declares `covers` (see schemas/extracted.yaml)."""
    schemas = schemas or load_schemas()
    audited = {name for name, ts in schemas.items() if not ts.release and ts.covers_documents_unless_rejected_at}
    return {name: read_table(output.path(name), schemas[name]) for output in outputs for name in output.files if name in audited}


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


def with_reject_ids(rejects: Sequence[dict]) -> list[dict]:
    """Give each reject its id; identical rejects (the same file given twice) are numbered apart."""
    seen: dict[str, int] = {}
    out = []
    for row in rejects:
        key = stable_id("r", row["stage"], row["source_uri"], row["reason"], row["detail"])
        seen[key] = seen.get(key, 0) + 1
        out.append({**row, "reject_id": key if seen[key] == 1 else stable_id("r", key, seen[key])})
    return out


def _save(
    stage: str,
    build_dir: Path,
    tables: Mapping[str, list[dict]],
    schemas: Mapping[str, TableSchema] | None = None,
    work: Mapping[str, int] | None = None,
) -> StageOutput:
    schemas = schemas or load_schemas()
    directory = Path(build_dir) / stage
    if "rejects" in tables:
        tables = {**tables, "rejects": with_reject_ids(tables["rejects"])}
    files = {
        name: write_table(from_rows(rows, schemas[name]), schemas[name], directory / f"{name}.parquet")
        for name, rows in tables.items()
    }
    return StageOutput(stage=stage, files=files, work=dict(work or {}))


@dataclass(frozen=True)
class RunSummary:
    status: str  # "published", "unchanged" (the latest release holds this content) or "empty" (no documents)
    version: str | None
    path: str | None
    n_documents: int
    rejects: tuple[dict, ...]  # rows of the rejects table, every stage
    # Per cached stage, documents processed in this run and reused from the cache.
    work: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    # What the run must say even though it published: tables that lost more rows than declared.
    warnings: tuple[str, ...] = ()


def summarize(
    outputs: Sequence[StageOutput], status: str, version: str | None, path: str | None, warnings: Sequence[str] = ()
) -> RunSummary:
    schemas = load_schemas()
    rejects: list[dict] = []
    n_documents = 0
    work = {o.stage: dict(o.work) for o in outputs if o.work}
    for output in outputs:
        if "rejects" in output.files:
            rejects.extend(read_table(output.path("rejects"), schemas["rejects"]).to_dicts())
        if "documents" in output.files:
            n_documents = output.files["documents"].rows
    return RunSummary(status, version, path, n_documents, tuple(rejects), work, tuple(warnings))
