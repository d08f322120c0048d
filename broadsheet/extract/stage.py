"""The extract stage: `documents` → `entities`, `entity_mentions`, `claims`, `dates`, `extracted`
and `rejects` under `<build>/extract/`.

Load the documents, with the sentences the clean stage split their texts into; run the
per-document extractors (entities, claims, dates) over each text, reading unchanged documents'
results from the per-document cache (`broadsheet.doccache`); then the corpus-level steps over
every document (canonical entities, claim clusters; `broadsheet.extract.rows.extract_rows`);
save the tables. Entity ids are kept from the latest release (`broadsheet.release.previous`).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from broadsheet.extract.cached import extract_cache, extract_documents
from broadsheet.release.previous import previous_entity_ids
from broadsheet.schema import load_schemas
from broadsheet.stageio import StageOutput, close_cache, save, tables_of
from broadsheet.tableio import read_table

# The documents' columns the extract stage reads (its extractors, date anchors, cache keys and
# rejects): the rest of a document row (title, authors, hashes, counts) is not held for every
# document while the stage runs.
EXTRACT_READS = (
    "doc_id",
    "text",
    "published_date",
    "published_date_source",
    "published_date_confidence",
    "n_sentences",
    "source_uri",
    "source_format",
    "raw_sha256",
)


def extract_stage(
    cleaned: StageOutput, build_dir: Path, dist_dir: Path | None = None, use_cache: bool = True, workers: int = 1
) -> StageOutput:
    """Entities, claims and dates; unchanged documents' extraction is read from the cache.

    With `dist_dir`, entities keep the ids the latest release there gave them. `workers`: how
    many processes may extract from documents at once (the tables do not depend on it).
    """
    schemas = load_schemas()
    documents = read_table(cleaned.path("documents"), schemas["documents"]).select(EXTRACT_READS).to_dicts()
    if "sentences" in cleaned.files:
        with_sentence_starts(documents, read_table(cleaned.path("sentences"), schemas["sentences"]))
    cache = extract_cache(build_dir) if use_cache else None
    previous = previous_entity_ids(dist_dir) if dist_dir is not None else None
    rows = extract_documents(documents, cache, previous, workers=workers)
    work = close_cache(cache, len(documents))
    # Held only by `tables` from here, which `save` empties as it writes: the documents and each
    # table's rows are let go before the next table is converted.
    del documents
    tables = tables_of(rows)
    del rows
    return save("extract", build_dir, tables, schemas, work)


def with_sentence_starts(documents: list[dict], sentences: pl.DataFrame) -> None:
    """Give each document the starts of the sentences the clean stage split its text into
    (``sentence_starts``), so that the extractors do not split it again; a document whose rows
    do not add up to its `n_sentences` is left to be split anew."""
    grouped = sentences.sort("doc_id", "start_char").group_by("doc_id", maintain_order=True).agg(pl.col("start_char"))
    starts = dict(zip(grouped["doc_id"].to_list(), grouped["start_char"].to_list(), strict=True))
    for doc in documents:
        found = starts.get(doc["doc_id"])
        if found is not None and len(found) == doc["n_sentences"]:
            doc["sentence_starts"] = tuple(found)
