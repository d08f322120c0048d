"""The clean stage: `ingested` → `documents`, `cleaning_log`, `sentences` and `rejects` under `<build>/clean/`.

Load the ingested records; clean each one (`broadsheet.clean.documents.build_documents` over that
record), reading unchanged records' results from the per-document cache (`broadsheet.doccache`);
then the corpus-level step over every document (exact and near duplicates,
`broadsheet.clean.documents.finish_corpus`); save the tables.
"""

from __future__ import annotations

from pathlib import Path

from broadsheet.clean.cached import clean_cache, clean_documents
from broadsheet.release.previous import previous_doc_ids
from broadsheet.schema import load_schemas
from broadsheet.stageio import StageOutput, close_cache, save, tables_of
from broadsheet.tableio import read_table


def clean_stage(
    ingested: StageOutput, build_dir: Path, use_cache: bool = True, dist_dir: Path | None = None, workers: int = 1
) -> StageOutput:
    """Documents from the ingested records; unchanged records' cleaning is read from the cache.

    With `dist_dir`, of two identical texts the one its latest release holds is kept. `workers`:
    how many processes may clean records at once (the tables do not depend on it).
    """
    schemas = load_schemas()
    records = read_table(ingested.path("ingested"), schemas["ingested"]).to_dicts()
    cache = clean_cache(build_dir) if use_cache else None
    published = previous_doc_ids(dist_dir) if dist_dir is not None else frozenset()
    rows = clean_documents(records, cache, published, workers=workers)
    work = close_cache(cache, len(records))
    # Held only by `tables` from here, which `save` empties as it writes it.
    del records
    tables = tables_of(rows)
    del rows
    return save("clean", build_dir, tables, schemas, work)
