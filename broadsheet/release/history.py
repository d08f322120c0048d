"""Release history: what changed between two releases, and the index of every published release.

This module holds the functions that compare release folders and describe a dist folder; they
read files and return plain JSON-able dictionaries, and write nothing (the release stage decides
where the diff and the index go, and writes them atomically).

A release folder is read the same way whether it is published (its `manifest.json` lists the
tables) or still being staged (no manifest yet: its top-level `*.parquet` files are the tables,
and their key-value metadata says the version), so a diff computed before the manifest is written
equals one computed on the published folder.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from broadsheet.paths import LATEST, MANIFEST
from broadsheet.schema import ARROW_TYPES, TableSchema
from broadsheet.tableio import sha256_file

INDEX_FORMAT = 1
DIFF_FORMAT = 1
# Enough examples to see what kind of rows moved without making the diff as big as the table.
MAX_EXAMPLES = 20
# Suffix for the new release's columns in the key join; no schema column may end with it.
_NEW = "__new"


# ----------------------------------------------------------------------------------------------
# Diff


def diff_releases(
    old_dir: Path | None,
    new_dir: Path,
    schemas: Mapping[str, TableSchema],
    max_examples: int = MAX_EXAMPLES,
) -> dict[str, Any]:
    """Rows added, removed and changed per table, and the schema changes, from `old_dir` to `new_dir`.

    Rows are matched by each table's primary key in `schemas`. A row is *changed* when its key is
    in both releases and any column present in both with the same Arrow type differs (nulls and
    NaNs compare equal to themselves); columns added, removed or retyped are reported under the
    table's `schema` instead, so a schema change alone does not mark every row as changed. A
    table whose file is byte-identical in both releases is not read at all.

    With `old_dir=None` (a first release) every row of every table is added. Examples are the
    first `max_examples` keys in key order, each a `{column: value}` object, so the output is
    deterministic and JSON-able.
    """
    new = _release_facts(Path(new_dir))
    old = _release_facts(Path(old_dir)) if old_dir is not None else None
    old_tables = old["tables"] if old else {}
    names = list(new["tables"]) + sorted(set(old_tables) - set(new["tables"]))
    tables = {}
    for name in names:
        key = tuple(schemas[name].primary_key) if name in schemas else None
        tables[name] = _diff_table(old_tables.get(name), new["tables"].get(name), key, max_examples)
    totals = {kind: sum(t[kind]["count"] for t in tables.values()) for kind in ("added", "removed", "changed")}
    schema_changed = any(t["status"] in {"added", "removed"} or _schema_changes(t["schema"]) for t in tables.values())
    return {
        "format": DIFF_FORMAT,
        "old_version": old["version"] if old else None,
        "new_version": new["version"],
        "schema_version": {"old": old["schema_version"] if old else None, "new": new["schema_version"]},
        "summary": {**totals, "schema_changed": bool(old) and schema_changed},
        "is_empty": bool(old) and not any(totals.values()) and not schema_changed,
        "tables": tables,
    }


def row_drops(diff: Mapping[str, Any], bound: float | None) -> list[dict[str, Any]]:
    """The tables of `diff` that lost more than `bound` (a share) of their rows: table, rows
    before and after, and the share lost. None when there is no bound or no previous release."""
    if bound is None or diff.get("old_version") is None:
        return []
    drops = []
    for name, t in diff["tables"].items():
        before, after = t.get("rows_old") or 0, t.get("rows_new") or 0
        if before and (before - after) / before > bound:
            drops.append({"table": name, "rows_old": before, "rows_new": after, "share": (before - after) / before})
    return drops


def row_drop_lines(drops: Sequence[Mapping[str, Any]], bound: float) -> list[str]:
    """One sentence per dropped table, as the run and the data card say it."""
    return [
        f"{d['table']} fell from {d['rows_old']:,} to {d['rows_new']:,} rows ({d['share']:.0%} fewer), "
        f"more than the {bound:.0%} the dataset declares (max_row_drop)"
        for d in drops
    ]


def diff_markdown(diff: Mapping[str, Any], bound: float | None = None) -> str:
    """A short Markdown section for a data card: one line per table with its row changes."""
    if diff["old_version"] is None:
        head = "First release: every row is new."
    elif diff["is_empty"]:
        head = f"No row or schema changes since `{diff['old_version']}`."
    else:
        head = f"Changes since `{diff['old_version']}` (details in `diff.json`)."
    lines = [head, "", "| table | rows | added | removed | changed | schema |", "|---|---|---|---|---|---|"]
    for name, t in diff["tables"].items():
        schema = _schema_note(t)
        rows = t["rows_new"] if t["rows_new"] is not None else 0
        lines.append(
            f"| `{name}` | {rows} | {t['added']['count']} | {t['removed']['count']} | {t['changed']['count']} | {schema} |"
        )
    drops = row_drops(diff, bound)
    if drops and bound is not None:
        lines += ["", *(f"**Rows dropped:** {line}." for line in row_drop_lines(drops, bound))]
    return "\n".join(lines) + "\n"


def _schema_note(t: Mapping[str, Any]) -> str:
    if t["status"] in {"added", "removed"}:
        return f"table {t['status']}"
    changes = t["schema"]
    parts = [f"+{c['name']}" for c in changes["columns_added"]]
    parts += [f"-{c['name']}" for c in changes["columns_removed"]]
    parts += [f"{c['name']}: {c['old_type']} → {c['new_type']}" for c in changes["columns_retyped"]]
    parts += [f"{c['name']}: nullable {c['new_nullable']}" for c in changes["nullability_changed"]]
    return ", ".join(parts) or "—"


def _release_facts(folder: Path) -> dict[str, Any]:
    """Version, schema version and table files of a release folder, published or staged."""
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such release folder")
    manifest_path = folder / MANIFEST
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        tables = {name: {"path": folder / info["path"], "sha256": info["sha256"]} for name, info in manifest["tables"].items()}
        return {"version": manifest["version"], "schema_version": manifest.get("schema_version"), "tables": tables}
    files = sorted(folder.glob("*.parquet"))
    if not files:
        raise FileNotFoundError(f"{folder}: neither a {MANIFEST} nor any .parquet table")
    meta = _kv_metadata(files[0])
    tables = {p.stem: {"path": p, "sha256": None} for p in files}
    return {"version": meta.get("broadsheet:release"), "schema_version": meta.get("broadsheet:schema_version"), "tables": tables}


def _kv_metadata(path: Path) -> dict[str, str]:
    raw = pq.read_schema(path).metadata or {}
    return {k.decode(): v.decode() for k, v in raw.items()}


def _diff_table(
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
    key: tuple[str, ...] | None,
    max_examples: int,
) -> dict[str, Any]:
    old_schema = pq.read_schema(old["path"]) if old else None
    new_schema = pq.read_schema(new["path"]) if new else None
    result: dict[str, Any] = {
        "status": "unchanged",
        "primary_key": list(key) if key else None,
        "rows_old": pq.read_metadata(old["path"]).num_rows if old else None,
        "rows_new": pq.read_metadata(new["path"]).num_rows if new else None,
        "schema": _compare_schemas(old_schema, new_schema),
        "added": {"count": 0, "examples": []},
        "removed": {"count": 0, "examples": []},
        "changed": {"count": 0, "examples": [], "columns": {}},
    }
    if old is None or new is None:
        result["status"] = "added" if old is None else "removed"
        side = new if old is None else old
        frame = pl.read_parquet(side["path"], columns=list(key) if key else None)
        result[result["status"]] = _rows(frame, key, max_examples)
        return result
    same_bytes = old["sha256"] is not None and old["sha256"] == new["sha256"]
    if same_bytes or sha256_file(old["path"]) == sha256_file(new["path"]):
        return result
    if key is None or not (set(key) <= set(old_schema.names) and set(key) <= set(new_schema.names)):
        # Rows cannot be matched without a key both sides have: count them all as replaced.
        result["status"] = "changed"
        result["key_missing"] = True
        cols = [c for c in (key or ()) if c in old_schema.names]
        result["removed"] = _rows(pl.read_parquet(old["path"], columns=cols or None), tuple(cols) or None, max_examples)
        cols = [c for c in (key or ()) if c in new_schema.names]
        result["added"] = _rows(pl.read_parquet(new["path"], columns=cols or None), tuple(cols) or None, max_examples)
        return result

    compared = [
        name
        for name in new_schema.names
        if name not in key and name in old_schema.names and old_schema.field(name).type == new_schema.field(name).type
    ]
    before = pl.read_parquet(old["path"], columns=[*key, *compared])
    after = pl.read_parquet(new["path"], columns=[*key, *compared])
    result["added"] = _rows(after.join(before, on=list(key), how="anti"), key, max_examples)
    result["removed"] = _rows(before.join(after, on=list(key), how="anti"), key, max_examples)
    both = before.join(after, on=list(key), how="inner", suffix=_NEW)
    if compared and both.height:
        flags = both.select(*key, *(pl.col(c).ne_missing(pl.col(f"{c}{_NEW}")).alias(c) for c in compared)).filter(
            pl.any_horizontal(compared)
        )
        counts = flags.select(pl.col(c).sum() for c in compared).row(0) if flags.height else ()
        result["changed"] = {
            **_rows(flags.select(key), key, max_examples),
            "columns": {c: int(n) for c, n in zip(compared, counts, strict=False) if n},
        }
    if any(result[k]["count"] for k in ("added", "removed", "changed")) or _schema_changes(result["schema"]):
        result["status"] = "changed"
    return result


def _rows(frame: pl.DataFrame, key: tuple[str, ...] | None, max_examples: int) -> dict[str, Any]:
    if not key:
        return {"count": frame.height, "examples": []}
    first = frame.select(key).sort(list(key)).head(max_examples)
    return {"count": frame.height, "examples": [{c: _jsonable(v) for c, v in row.items()} for row in first.iter_rows(named=True)]}


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _compare_schemas(old: pa.Schema | None, new: pa.Schema | None) -> dict[str, list[dict[str, Any]]]:
    """Columns added, removed, retyped and changed in nullability, in the new (then old) column order."""
    old_fields = {f.name: f for f in old} if old is not None else {}
    new_fields = {f.name: f for f in new} if new is not None else {}
    if old is None or new is None:
        # A whole table added or removed is its own status; listing each column again says nothing.
        return {"columns_added": [], "columns_removed": [], "columns_retyped": [], "nullability_changed": []}
    both = [n for n in new_fields if n in old_fields]
    return {
        "columns_added": [{"name": n, "type": _type_name(f.type)} for n, f in new_fields.items() if n not in old_fields],
        "columns_removed": [{"name": n, "type": _type_name(f.type)} for n, f in old_fields.items() if n not in new_fields],
        "columns_retyped": [
            {"name": n, "old_type": _type_name(old_fields[n].type), "new_type": _type_name(new_fields[n].type)}
            for n in both
            if old_fields[n].type != new_fields[n].type
        ],
        "nullability_changed": [
            {"name": n, "old_nullable": old_fields[n].nullable, "new_nullable": new_fields[n].nullable}
            for n in both
            if old_fields[n].nullable != new_fields[n].nullable
        ],
    }


def _type_name(arrow_type: pa.DataType) -> str:
    """The type as `schemas/` spells it (`float64`, `list<string>`), or Arrow's own name for any other."""
    for name, known in ARROW_TYPES.items():
        # List equality ignores the item field's name, which Parquet renames on the way back.
        if arrow_type.equals(known):
            return name
    return str(arrow_type)


def _schema_changes(changes: Mapping[str, Sequence[Any]]) -> bool:
    return any(changes.values())


# ----------------------------------------------------------------------------------------------
# Index


def build_index(dist_dir: Path) -> dict[str, Any]:
    """Every published release in `dist_dir` with its checksums, oldest first.

    In the spirit of OpenSanctions' `index.json`: one small file from which a consumer finds
    every release and every file with its size and SHA-256, paths relative to `dist_dir` so the
    index works wherever the folder is served. A release is a folder holding a `manifest.json`;
    hidden folders (staging and download leftovers) are ignored. Releases sort by release date,
    then by their `previous_version` chain (two releases of one day sort by their hashes
    otherwise), then by version. Nothing in it depends on when it was built, so the same dist
    folder always gives the same index.
    """
    dist_dir = Path(dist_dir)
    entries = []
    for folder in sorted(p for p in dist_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        manifest_path = folder / MANIFEST
        if not manifest_path.is_file():
            continue
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            version = manifest["version"]
            files = manifest["files"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{manifest_path}: not a release manifest ({exc})") from None
        if version != folder.name:
            raise ValueError(f"{manifest_path}: says version {version!r} but lies in folder {folder.name!r}")
        manifest_bytes = manifest_path.stat().st_size
        entries.append(
            {
                "version": version,
                "release_date": manifest.get("release_date"),
                "previous_version": manifest.get("previous_version"),
                "schema_version": manifest.get("schema_version"),
                "path": f"{version}/",
                "manifest": f"{version}/{MANIFEST}",
                "manifest_sha256": sha256_file(manifest_path),
                "tables": {
                    n: {"path": f"{version}/{t['path']}", "rows": t["rows"]} for n, t in manifest.get("tables", {}).items()
                },
                "files": sorted(
                    [{"path": f"{version}/{MANIFEST}", "bytes": manifest_bytes, "sha256": sha256_file(manifest_path)}]
                    + [{"path": f"{version}/{f['path']}", "bytes": f["bytes"], "sha256": f["sha256"]} for f in files],
                    key=lambda f: f["path"],
                ),
            }
        )
    depth = _chain_depths(entries)
    entries.sort(key=lambda e: (e["release_date"] or "", depth[e["version"]], e["version"]))
    pointer_path = dist_dir / LATEST
    latest = json.loads(pointer_path.read_text(encoding="utf-8"))["version"] if pointer_path.is_file() else None
    return {
        "format": INDEX_FORMAT,
        "latest": latest,
        "updated": max((e["release_date"] for e in entries if e["release_date"]), default=None),
        "releases": entries,
    }


def _chain_depths(entries: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """How many known releases precede each one along its previous_version links."""
    previous = {e["version"]: e["previous_version"] for e in entries}
    depths: dict[str, int] = {}
    for version in previous:
        seen, node = [], version
        while node in previous and node not in depths and node not in seen:
            seen.append(node)
            node = previous[node]
        base = depths.get(node, -1) if node in previous else -1
        for n in reversed(seen):
            base += 1
            depths[n] = base
    return depths
