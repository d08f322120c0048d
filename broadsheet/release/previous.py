"""What the latest release under a dist folder holds, for the stages that keep its choices: the
entity ids it gave (so ids survive a refresh), its doc ids and their sources (so an article it
published keeps its id and wins over an identical copy).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

Row = dict[str, Any]


def previous_entity_ids(dist_dir: Path) -> dict[str, str]:
    """The id registry (:func:`broadsheet.entities.canonical.id_registry`) of the latest release.

    Empty when there is no release yet, or when the latest one has no readable entities table.
    """
    from broadsheet.entities.canonical import id_registry

    rows = _latest_table(dist_dir, "entities", ["entity_id", "entity_type", "aliases"])
    return id_registry(rows) if rows is not None else {}


def previous_doc_ids(dist_dir: Path) -> frozenset[str]:
    """The doc ids of the latest release (empty when there is none): of two identical texts, the
    one already published stays (:func:`broadsheet.clean.documents.finish_corpus`)."""
    return frozenset(previous_sources(dist_dir))


def previous_sources(dist_dir: Path) -> dict[str, str]:
    """doc id → source uri in the latest release (empty when there is none): a doc id two records
    claim stays with the source that held it (:func:`broadsheet.ingest.ingest_sources`)."""
    rows = _latest_table(dist_dir, "documents", ["doc_id", "source_uri"])
    return {row["doc_id"]: row["source_uri"] for row in rows or ()}


def _latest_table(dist_dir: Path, table: str, columns: list[str]) -> list[Row] | None:
    from broadsheet.release.folders import latest_manifest

    manifest = latest_manifest(Path(dist_dir))
    if not manifest or table not in manifest.get("tables", {}):
        return None
    path = Path(dist_dir) / manifest["version"] / manifest["tables"][table]["path"]
    if not path.is_file():
        return None
    return pl.read_parquet(path, columns=columns).to_dicts()
