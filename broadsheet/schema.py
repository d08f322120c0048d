"""The table definitions in `schemas/`: loading and checking them.

This module is the only reader of the YAML files. Everything that needs to know a column (the
Parquet writer, the Great Expectations suites, the data dictionary, `datapackage.json`) asks it,
so a column is defined exactly once. It holds the loaders (which reject a malformed definition
with the file and key at fault), the column types, and `vocabulary`, which code reads an enum with
instead of keeping a copy. Frames are fitted to a definition in `broadsheet.frames`.

Great Expectations is not imported here: it costs seconds, and only validation needs it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import yaml

from broadsheet import yamlfile
from broadsheet.paths import schemas_dir

DATASET_FILE = "dataset.yaml"
# Columns that several tables share (`doc_id`, `start_char`, `source_uri`, ...) are defined once
# here; a table's column names one with `field:` and adds or overrides the rest.
FIELDS_FILE = "fields.yaml"
NOT_TABLES = frozenset({DATASET_FILE, FIELDS_FILE})


# The column types a YAML may name, and what each becomes in Arrow and in Polars.
ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "list<string>": pa.list_(pa.string()),
}

POLARS_TYPES: dict[str, pl.DataType] = {
    "string": pl.String(),
    "int64": pl.Int64(),
    "float64": pl.Float64(),
    "bool": pl.Boolean(),
    "date": pl.Date(),
    "list<string>": pl.List(pl.String()),
}

NUMERIC_TYPES = frozenset({"int64", "float64"})

# enum and pattern constrain text; on a list column they constrain every element.
TEXT_TYPES = frozenset({"string", "list<string>"})

TABLE_KEYS = frozenset({"name", "description", "release", "primary_key", "sort_by", "spans", "columns", "covers", "unnests"})

REQUIRED_TABLE_KEYS = ("name", "description", "release", "primary_key", "columns")


# What a `derived` column may be computed as: a function of another column of the same row. The
# release suite recomputes it from that column (see broadsheet.validate.suites), so a value that no
# longer agrees with the text it describes (a stale hash, a count of another version) is refused.
DERIVATIONS = frozenset({"sha256", "chars", "words"})

REQUIRED_COLUMN_KEYS = ("name", "type", "nullable", "description")
COLUMN_KEYS = frozenset(
    {*REQUIRED_COLUMN_KEYS, "unique", "enum", "pattern", "min", "max", "references", "derived", "counts", "matches"}
)
# What a shared field fixes for every column that uses it (the rest is the table's to say).
FIELD_KEYS = frozenset({"type", "nullable", "description", "enum", "pattern", "min", "max"})

SPAN_KEYS = frozenset({"start", "end", "text"})

REQUIRED_DATASET_KEYS = ("name", "title", "schema_version", "description", "licenses", "text_license", "tables")
DATASET_KEYS = frozenset({*REQUIRED_DATASET_KEYS, "contributors", "limitations", "homepage", "max_row_drop"})

SEMVER = re.compile(r"^\d+\.\d+\.\d+$")


class SchemaError(ValueError):
    """A schema file is malformed, or a frame does not fit its table's schema."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    description: str
    unique: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    min: float | None = None
    max: float | None = None
    references: str | None = None  # "table.column"
    derived: tuple[str, str] | None = None  # (function in DERIVATIONS, column of the same row)
    # "table.column": the number of rows of that table whose column holds this row's document
    # key (an int64 column), checked by the release suite.
    counts: str | None = None
    # "documents.column": equal to that column of this row's document, checked by the release suite.
    matches: str | None = None

    @property
    def is_list(self) -> bool:
        return self.type == "list<string>"

    @property
    def referenced_table(self) -> str | None:
        return self.references.split(".", 1)[0] if self.references else None

    @property
    def referenced_column(self) -> str | None:
        return self.references.split(".", 1)[1] if self.references else None


@dataclass(frozen=True)
class Span:
    """Three columns of one row that must satisfy `documents.text[start:end] == text`."""

    start: str
    end: str
    text: str


@dataclass(frozen=True)
class TableSchema:
    name: str
    description: str
    release: bool
    primary_key: tuple[str, ...]
    sort_by: tuple[str, ...]
    spans: tuple[Span, ...]
    columns: tuple[Column, ...]
    # Every document has a row in this table, or a rejects row of this stage (the release suite
    # checks it): ("extract",) for the extract stage's record of what it extracted.
    covers_documents_unless_rejected_at: str | None = None
    # A bridge: list column `table.column` as a row per (key, element), built and checked at release.
    unnests: str | None = None

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(col.name for col in self.columns)


def load_schema(name: str, directory: Path | None = None) -> TableSchema:
    """Load and check one table definition; its references are checked against their target files."""
    directory = Path(directory) if directory is not None else schemas_dir()
    ts = _parse_table(directory / f"{name}.yaml")
    targets = {ts.name: ts}
    linked = {(c.referenced_table, c, "references") for c in ts.columns if c.references}
    linked |= {(getattr(c, key).split(".", 1)[0], c, key) for c in ts.columns for key in ("counts", "matches") if getattr(c, key)}
    for table, col, key in sorted(linked, key=lambda t: (t[0], t[1].name, t[2])):
        if table == ts.name or table in targets:
            continue
        path = directory / f"{table}.yaml"
        if not path.is_file():
            raise SchemaError(
                f"{directory / f'{name}.yaml'}: columns.{col.name}.{key}: no table {table!r} ({path.name} not found)"
            )
        targets[table] = _parse_table(path)
    _check_references(ts, targets, directory / f"{name}.yaml")
    return ts


def load_schemas(directory: Path | None = None) -> dict[str, TableSchema]:
    """Every table definition: the release tables in `dataset.yaml` order, then the others by name."""
    directory = Path(directory) if directory is not None else schemas_dir()
    meta = dataset_meta(directory)
    parsed = {}
    fields = load_fields(directory)
    for path in sorted(directory.glob("*.yaml")):
        if path.name in NOT_TABLES:
            continue
        ts = _parse_table(path, fields)
        parsed[ts.name] = ts
    for ts in parsed.values():
        _check_references(ts, parsed, directory / f"{ts.name}.yaml")
    dataset_path = directory / DATASET_FILE
    for i, table in enumerate(meta["tables"]):
        if table not in parsed:
            raise SchemaError(f"{dataset_path}: tables[{i}]: no schema file {table}.yaml")
        if not parsed[table].release:
            raise SchemaError(f"{dataset_path}: tables[{i}]: {table!r} is listed but has release: false")
    unlisted = sorted(n for n, ts in parsed.items() if ts.release and n not in meta["tables"])
    if unlisted:
        raise SchemaError(f"{dataset_path}: tables: release tables missing from the list: {', '.join(unlisted)}")
    ordered = {name: parsed[name] for name in meta["tables"]}
    ordered.update({name: parsed[name] for name in sorted(parsed) if name not in ordered})
    return ordered


def vocabulary(table: str, column: str, directory: Path | None = None) -> tuple[str, ...]:
    """The values `table.column` may hold, as its schema's `enum` lists them: the one definition
    of a vocabulary (claim kinds, modalities, date types, entity types, reject reasons) that code
    and tests read instead of keeping a copy that could drift."""
    directory = Path(directory) if directory is not None else schemas_dir()
    col = _vocabulary_table(directory, table).column(column)
    if col.enum is None:
        raise SchemaError(f"{directory / f'{table}.yaml'}: columns.{column} declares no enum")
    return col.enum


@functools.lru_cache(maxsize=64)
def _vocabulary_table(directory: Path, table: str) -> TableSchema:
    return _parse_table(directory / f"{table}.yaml")


def dataset_meta(directory: Path | None = None) -> dict:
    """The dataset-level facts of `dataset.yaml` (title, licence, schema version, table order)."""
    directory = Path(directory) if directory is not None else schemas_dir()
    path = directory / DATASET_FILE
    raw = _read_yaml(path)
    _check_keys(raw, DATASET_KEYS, REQUIRED_DATASET_KEYS, path, "")
    for key in ("name", "title", "schema_version", "description", "text_license"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise SchemaError(f"{path}: {key}: must be a non-empty string")
    for key, required in (("licenses", ("name", "path", "covers")), ("contributors", ("title", "role"))):
        entries = raw.get(key, [])
        if not isinstance(entries, list) or (key == "licenses" and not entries):
            raise SchemaError(f"{path}: {key}: must be a list" + (" of at least one licence" if key == "licenses" else ""))
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or any(not isinstance(entry.get(k), str) or not entry[k].strip() for k in required):
                raise SchemaError(f"{path}: {key}[{i}]: needs non-empty {', '.join(required)}")
    if not SEMVER.match(raw["schema_version"]):
        raise SchemaError(f"{path}: schema_version: {raw['schema_version']!r} is not MAJOR.MINOR.PATCH")
    limitations = raw.get("limitations", [])
    if not isinstance(limitations, list) or not all(isinstance(x, str) and x.strip() for x in limitations):
        raise SchemaError(f"{path}: limitations: must be a list of non-empty strings")
    tables = raw["tables"]
    if not isinstance(tables, list) or not tables or not all(isinstance(t, str) for t in tables):
        raise SchemaError(f"{path}: tables: must be a non-empty list of table names")
    if len(set(tables)) != len(tables):
        raise SchemaError(f"{path}: tables: a table is listed twice")
    drop = raw.get("max_row_drop")
    if drop is not None and (isinstance(drop, bool) or not isinstance(drop, (int, float)) or not 0 <= drop <= 1):
        raise SchemaError(f"{path}: max_row_drop: must be a share between 0 and 1, not {drop!r}")
    return dict(raw)


def schema_version(directory: Path | None = None) -> str:
    return dataset_meta(directory)["schema_version"]


def schema_fingerprint(directory: Path | None = None) -> str:
    """SHA-256 of the definitions as loaded: the dataset's facts and every table, shared fields
    filled in.

    Hashing what the files define rather than their text means comments, layout, or moving a
    column's type into `fields.yaml` do not change the fingerprint, while any change to a name,
    type, constraint or description does.
    """
    directory = Path(directory) if directory is not None else schemas_dir()
    content = {
        "dataset": dataset_meta(directory),
        "tables": {name: dataclasses.asdict(ts) for name, ts in load_schemas(directory).items()},
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def load_fields(directory: Path | None = None) -> dict[str, dict[str, Any]]:
    """The shared fields of `fields.yaml` (none when there is no such file), each checked."""
    directory = Path(directory) if directory is not None else schemas_dir()
    path = directory / FIELDS_FILE
    if not path.is_file():
        return {}
    raw = _read_yaml(path)
    _check_keys(raw, frozenset({"fields"}), ("fields",), path, "")
    fields = raw["fields"]
    if not isinstance(fields, dict) or not fields:
        raise SchemaError(f"{path}: fields: must be a mapping of field names to definitions")
    for name, definition in fields.items():
        if not isinstance(definition, dict):
            raise SchemaError(f"{path}: fields.{name}: must be a mapping")
        _check_keys(definition, FIELD_KEYS, ("type", "description"), path, f"fields.{name}.")
        # Checked as a column of its own, so a bad shared definition is reported where it is written.
        _parse_column({"nullable": True, **definition, "name": name}, path, name)
    return fields


def _with_field(raw: Any, fields: Mapping[str, Mapping[str, Any]], path: Path, index: int) -> Any:
    """A column entry with its shared field filled in: the field's keys, then the entry's own."""
    if not isinstance(raw, dict) or "field" not in raw:
        return raw
    name = raw["field"]
    if "name" in raw:
        raise SchemaError(f"{path}: columns[{index}]: give `name` or `field`, not both")
    if name not in fields:
        raise SchemaError(f"{path}: columns[{index}].field: no field {name!r} in {FIELDS_FILE}")
    return {**fields[name], **{k: v for k, v in raw.items() if k != "field"}, "name": name}


def _read_yaml(path: Path) -> dict:
    try:
        raw = yamlfile.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemaError(f"{path}: schema file not found") from None
    except yaml.YAMLError as exc:
        raise SchemaError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise SchemaError(f"{path}: expected a mapping at the top level")
    return raw


def _check_keys(raw: Mapping, allowed: frozenset[str], required: Sequence[str], path: Path, where: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise SchemaError(f"{path}: {where}{unknown[0]}: unknown key (allowed: {', '.join(sorted(allowed))})")
    for key in required:
        if key not in raw:
            raise SchemaError(f"{path}: {where}{key}: required key missing")


def _parse_table(path: Path, fields: Mapping[str, Mapping[str, Any]] | None = None) -> TableSchema:
    """`fields`: the shared fields, when the caller has already read them (else read here)."""
    raw = _read_yaml(path)
    fields = fields if fields is not None else load_fields(path.parent)
    _check_keys(raw, TABLE_KEYS, REQUIRED_TABLE_KEYS, path, "")
    name = raw["name"]
    if name != path.stem:
        raise SchemaError(f"{path}: name: {name!r} differs from the file name {path.stem!r}")
    if not isinstance(raw["description"], str) or not raw["description"].strip():
        raise SchemaError(f"{path}: description: must be a non-empty string")
    if not isinstance(raw["release"], bool):
        raise SchemaError(f"{path}: release: must be true or false")
    if not isinstance(raw["columns"], list) or not raw["columns"]:
        raise SchemaError(f"{path}: columns: must be a non-empty list")

    columns = tuple(_parse_column(_with_field(item, fields, path, i), path, i) for i, item in enumerate(raw["columns"]))
    by_name: dict[str, Column] = {}
    for i, col in enumerate(columns):
        if col.name in by_name:
            raise SchemaError(f"{path}: columns[{i}].name: {col.name!r} is defined twice")
        by_name[col.name] = col

    primary_key = _column_list(raw["primary_key"], by_name, path, "primary_key")
    if not primary_key:
        raise SchemaError(f"{path}: primary_key: must name at least one column")
    for key in primary_key:
        if by_name[key].nullable:
            raise SchemaError(f"{path}: primary_key: column {key!r} is nullable")
        if by_name[key].is_list:
            raise SchemaError(f"{path}: primary_key: column {key!r} is a list")
    sort_by = _column_list(raw.get("sort_by", list(primary_key)), by_name, path, "sort_by")
    for key in sort_by:
        if by_name[key].is_list:
            raise SchemaError(f"{path}: sort_by: cannot sort by the list column {key!r}")
    if not set(primary_key) <= set(sort_by):
        # Sorting by the whole key as well is what makes the row order, and so the bytes, unique.
        raise SchemaError(f"{path}: sort_by: must include every primary_key column")

    spans_raw = raw.get("spans", [])
    if not isinstance(spans_raw, list):
        raise SchemaError(f"{path}: spans: must be a list")
    spans = []
    for i, item in enumerate(spans_raw):
        where = f"spans[{i}]."
        if not isinstance(item, dict):
            raise SchemaError(f"{path}: spans[{i}]: must be a mapping with start, end and text")
        _check_keys(item, SPAN_KEYS, ("start", "end", "text"), path, where)
        for key, wanted in (("start", "int64"), ("end", "int64"), ("text", "string")):
            col = by_name.get(item[key])
            if col is None:
                raise SchemaError(f"{path}: {where}{key}: no column {item[key]!r}")
            if col.type != wanted:
                raise SchemaError(f"{path}: {where}{key}: column {col.name!r} is {col.type}, not {wanted}")
        spans.append(Span(start=item["start"], end=item["end"], text=item["text"]))

    covers = raw.get("covers")
    if covers is not None:
        stage = covers.get("or_rejected_at") if isinstance(covers, dict) else None
        if (
            not isinstance(covers, dict)
            or set(covers) != {"documents", "or_rejected_at"}
            or covers["documents"] is not True
            or not isinstance(stage, str)
        ):
            raise SchemaError(f"{path}: covers: must be {{documents: true, or_rejected_at: STAGE}}")
        covers = stage

    unnests = raw.get("unnests")
    if unnests is not None and (not isinstance(unnests, str) or unnests.count(".") != 1):
        raise SchemaError(f"{path}: unnests: must be TABLE.LIST_COLUMN")

    return TableSchema(
        name=name,
        description=raw["description"],
        release=raw["release"],
        primary_key=primary_key,
        sort_by=sort_by,
        spans=tuple(spans),
        columns=columns,
        covers_documents_unless_rejected_at=covers,
        unnests=unnests,
    )


def _column_list(value: Any, by_name: Mapping[str, Column], path: Path, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SchemaError(f"{path}: {key}: must be a list of column names")
    for v in value:
        if v not in by_name:
            raise SchemaError(f"{path}: {key}: no column {v!r}")
    if len(set(value)) != len(value):
        raise SchemaError(f"{path}: {key}: a column is named twice")
    return tuple(value)


def _parse_column(raw: Any, path: Path, index: int) -> Column:
    if not isinstance(raw, dict):
        raise SchemaError(f"{path}: columns[{index}]: must be a mapping")
    label = raw.get("name", index)
    where = f"{path}: columns.{label}."
    _check_keys(raw, COLUMN_KEYS, REQUIRED_COLUMN_KEYS, path, f"columns.{label}.")
    name, type_ = raw["name"], raw["type"]
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise SchemaError(f"{path}: columns[{index}].name: {name!r} is not a snake_case name")
    if type_ not in ARROW_TYPES:
        raise SchemaError(f"{where}type: unknown type {type_!r} (known: {', '.join(ARROW_TYPES)})")
    if not isinstance(raw["nullable"], bool):
        raise SchemaError(f"{where}nullable: must be true or false")
    if not isinstance(raw["description"], str) or not raw["description"].strip():
        raise SchemaError(f"{where}description: must be a non-empty string")
    unique = raw.get("unique", False)
    if not isinstance(unique, bool):
        raise SchemaError(f"{where}unique: must be true or false")
    if unique and type_ == "list<string>":
        raise SchemaError(f"{where}unique: not supported on a list column")
    bounds = _bounds(raw, type_, where)
    links = _links(raw, type_, where)
    return Column(
        name=name,
        type=type_,
        nullable=raw["nullable"],
        description=raw["description"],
        unique=unique,
        enum=_enum(raw.get("enum"), type_, where),
        pattern=_pattern(raw.get("pattern"), type_, where),
        min=bounds["min"],
        max=bounds["max"],
        references=links["references"],
        derived=_derived(raw.get("derived"), where),
        counts=links["counts"],
        matches=links["matches"],
    )


# Each helper below checks one kind of key of a column; `where` is "<file>: columns.<name>.".


def _enum(enum: Any, type_: str, where: str) -> tuple[str, ...] | None:
    if enum is None:
        return None
    if type_ not in TEXT_TYPES:
        raise SchemaError(f"{where}enum: only string columns take an enum, not {type_}")
    if not isinstance(enum, list) or not enum or not all(isinstance(v, str) for v in enum):
        raise SchemaError(f"{where}enum: must be a non-empty list of strings")
    if len(set(enum)) != len(enum):
        raise SchemaError(f"{where}enum: a value is listed twice")
    return tuple(enum)


def _pattern(pattern: Any, type_: str, where: str) -> str | None:
    if pattern is None:
        return None
    if type_ not in TEXT_TYPES:
        raise SchemaError(f"{where}pattern: only string columns take a pattern, not {type_}")
    if not isinstance(pattern, str):
        raise SchemaError(f"{where}pattern: must be a string")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise SchemaError(f"{where}pattern: not a valid regular expression: {exc}") from None
    return pattern


def _bounds(raw: Mapping[str, Any], type_: str, where: str) -> dict[str, float | None]:
    bounds: dict[str, float | None] = {}
    for key in ("min", "max"):
        value = raw.get(key)
        if value is not None:
            if type_ not in NUMERIC_TYPES:
                raise SchemaError(f"{where}{key}: only numeric columns take bounds, not {type_}")
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise SchemaError(f"{where}{key}: must be a number")
        bounds[key] = value
    if bounds["min"] is not None and bounds["max"] is not None and bounds["min"] > bounds["max"]:
        raise SchemaError(f"{where}min: greater than max")
    return bounds


_TABLE_COLUMN = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")


def _links(raw: Mapping[str, Any], type_: str, where: str) -> dict[str, str | None]:
    """`references`, `counts` and `matches`: each names another table's column as 'table.column'."""
    links: dict[str, str | None] = {}
    for key in ("references", "counts", "matches"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, str) or not _TABLE_COLUMN.fullmatch(value)):
            raise SchemaError(f"{where}{key}: must be 'table.column', got {value!r}")
        links[key] = value
    if links["counts"] is not None and type_ != "int64":
        raise SchemaError(f"{where}counts: only an int64 column counts rows, not {type_}")
    if links["matches"] is not None and not links["matches"].startswith("documents."):
        raise SchemaError(f"{where}matches: only a column of documents can be matched, not {links['matches']!r}")
    return links


def _derived(derived: Any, where: str) -> tuple[str, str] | None:
    if derived is None:
        return None
    match = re.fullmatch(r"([a-z0-9]+)\(([a-z][a-z0-9_]*)\)", derived) if isinstance(derived, str) else None
    if match is None or match.group(1) not in DERIVATIONS:
        raise SchemaError(
            f"{where}derived: must be FUNCTION(column) with FUNCTION one of {', '.join(sorted(DERIVATIONS))}, got {derived!r}"
        )
    return (match.group(1), match.group(2))


def _check_references(ts: TableSchema, tables: Mapping[str, TableSchema], path: Path) -> None:
    for col in ts.columns:
        if not col.references:
            continue
        where = f"{path}: columns.{col.name}.references"
        target_table = tables.get(col.referenced_table)
        if target_table is None:
            raise SchemaError(f"{where}: no table {col.referenced_table!r}")
        try:
            target = target_table.column(col.referenced_column)
        except KeyError:
            raise SchemaError(f"{where}: table {target_table.name!r} has no column {col.referenced_column!r}") from None
        if target.type != ("string" if col.is_list else col.type):
            raise SchemaError(f"{where}: {col.type} cannot reference {col.references} ({target.type})")
        # A key that is not unique would let one value resolve to several rows.
        if not (target.unique or target_table.primary_key == (target.name,)):
            raise SchemaError(f"{where}: {col.references} is neither unique nor the primary key")
    for col in ts.columns:
        if col.derived is not None:
            source = next((c for c in ts.columns if c.name == col.derived[1]), None)
            if source is None or source.type != "string":
                raise SchemaError(f"{path}: columns.{col.name}.derived: {col.derived[1]!r} is not a string column of this table")
        for key in ("counts", "matches"):
            link = getattr(col, key)
            if link is None:
                continue
            table, column = link.split(".", 1)
            if table not in tables or column not in tables[table].column_names:
                raise SchemaError(f"{path}: columns.{col.name}.{key}: no column {link!r}")
            if not documents_key(ts):
                raise SchemaError(f"{path}: columns.{col.name}.{key}: the table needs a column referencing documents.doc_id")
    if ts.unnests is not None:
        bridge_columns(ts, tables, path)
    if ts.covers_documents_unless_rejected_at is not None and not documents_key(ts):
        raise SchemaError(f"{path}: covers: the table needs a column referencing documents.doc_id")
    # Checked after the references, whose own errors say more when one of them is wrong.
    if ts.spans and not documents_key(ts):
        raise SchemaError(f"{path}: spans: the table needs a column referencing documents.doc_id to find the text")


def bridge_columns(ts: TableSchema, tables: Mapping[str, TableSchema], path: Path | str = "") -> tuple[str, str, str, str]:
    """Of a bridge (`unnests: T.L`): (its column referencing T's key, that key, its column referencing what L does, L)."""
    table, column = (ts.unnests or "").split(".", 1)
    source = tables.get(table)
    listed = next((c for c in source.columns if c.name == column and c.is_list), None) if source else None
    pk = source.primary_key[0] if source and len(source.primary_key) == 1 else None
    key = next((c.name for c in ts.columns if pk and c.references == f"{table}.{pk}"), None)
    element = listed and next((c.name for c in ts.columns if listed.references and c.references == listed.references), None)
    if not key or not element or len(ts.columns) != 2 or set(ts.primary_key) != {key, element}:
        raise SchemaError(f"{path}: unnests: a bridge is two key columns: one referencing {table}'s key, one what {column} does")
    return key, pk, element, column


def _documents_key_column(columns: Sequence[Column], table: str) -> str | None:
    if table == "documents":
        return "doc_id"
    for col in columns:
        if col.references == "documents.doc_id" and not col.is_list:
            return col.name
    return None


def documents_key(ts: TableSchema) -> str | None:
    """The column that says which document a row's spans point into."""
    return _documents_key_column(ts.columns, ts.name)
