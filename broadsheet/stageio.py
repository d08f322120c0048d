"""What the stages hand each other: the Parquet files a stage wrote, by table, with their hashes.

Stages hand each other a `StageOutput` (paths and content hashes), never data frames, so the
Prefect tasks that call them stay cheap to pass around and a stage can be re-run on its own from
its files. `save` writes a stage's rows as its tables under `<build>/<stage>/`; `load_tables`
reads them back, conformed to their schemas.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import polars as pl

from broadsheet.frames import ColumnRows
from broadsheet.ids import stable_id
from broadsheet.memory import release_freed_memory
from broadsheet.paths import BuildLayout
from broadsheet.schema import TableSchema, load_schemas, vocabulary
from broadsheet.tableio import FileInfo, read_table, write_table

# The stages that write tables, in order: the `stage` vocabulary of schemas/rejects.yaml.
STAGES = vocabulary("rejects", "stage")


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


def close_cache(cache, n_documents: int) -> dict[str, int]:
    """The documents a cached stage processed and reused (a `broadsheet.doccache.DocumentCache`,
    or None when the run did not use one); the cache's folders of other fingerprints are pruned,
    since the stage is done with it."""
    if cache is None:
        return {"processed": n_documents, "reused": 0}
    cache.prune_other_fingerprints()
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


def with_reject_ids(rejects: Sequence[dict]) -> list[dict]:
    """Give each reject its id; identical rejects (the same file given twice) are numbered apart."""
    seen: dict[str, int] = {}
    out = []
    for row in rejects:
        key = stable_id("r", row["stage"], row["source_uri"], row["reason"], row["detail"])
        seen[key] = seen.get(key, 0) + 1
        out.append({**row, "reject_id": key if seen[key] == 1 else stable_id("r", key, seen[key])})
    return out


def tables_of(rows: Any) -> dict[str, Sequence[dict]]:
    """A stage's rows (a dataclass of one list of rows per table, named as the table) as the
    dict `save` takes: the dataclass is then no longer needed to hold them, so the caller can
    let it go and `save` frees each table's rows once it is written."""
    return {f.name: getattr(rows, f.name) for f in fields(rows)}


def save(
    stage: str,
    build_dir: Path,
    tables: Mapping[str, Sequence[dict]],
    schemas: Mapping[str, TableSchema] | None = None,
    work: Mapping[str, int] | None = None,
) -> StageOutput:
    """Write a stage's rows as its tables under `<build>/<stage>/` (rejects given their ids).

    A table is a list of row dicts or a `ColumnRows` (written as it is). A `tables` dict is
    emptied as its tables are written, and so is each list in it, as its rows become columns: a
    table's rows (Python objects, several times the size of their columns) are let go before
    writing copies the columns, and are not all held while the next ones are converted. Pass a
    copy to keep them."""
    schemas = schemas or load_schemas()
    directory = BuildLayout(Path(build_dir)).stage(stage)
    names = list(tables)
    files = {}
    for name in names:
        rows = tables.pop(name) if isinstance(tables, dict) else tables[name]
        if name == "rejects":
            rows = with_reject_ids(rows)
        frame = (ColumnRows.taken(rows, schemas[name]) if isinstance(tables, dict) else ColumnRows.of(rows, schemas[name])).frame
        # The rows as dicts go before the frame is sorted and converted for writing, which copies it.
        del rows
        release_freed_memory()
        files[name] = write_table(frame, schemas[name], directory / f"{name}.parquet")
        del frame
        release_freed_memory()
    return StageOutput(stage=stage, files=files, work=dict(work or {}))
