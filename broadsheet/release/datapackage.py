"""Descriptions of a release generated from `schemas/`: `datapackage.json` and the data dictionary.

What belongs here: turning table schemas into documents for people and tools that read a release
without running the pipeline — a Frictionless Data Package (v1, one Table Schema per Parquet
resource) and the Markdown data dictionary of the data card. Both are pure functions of their
inputs, with no timestamps, so the same release always gets the same bytes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from broadsheet.schema import Column, TableSchema

# Table Schema v1 types for the schema types.
FIELD_TYPES = {
    "string": "string",
    "int64": "integer",
    "float64": "number",
    "bool": "boolean",
    "date": "date",
    # Table Schema's `array` is a JSON array; Parquet readers hand a list column over as their own
    # array type (Frictionless reads Parquet through pandas: numpy arrays), which no `array` or
    # `list` field accepts, so list columns are `any`, their real type in `broadsheet:type` and
    # their elements' constraints in `broadsheet:elements`.
    "list<string>": "any",
}
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"


@dataclass(frozen=True)
class Resource:
    """One published file: its table name, path relative to the release folder, size, hash and rows."""

    name: str
    path: str
    bytes: int
    sha256: str
    rows: int


def datapackage_json(schemas: Mapping[str, TableSchema], resources: Sequence[Resource], meta: Mapping[str, Any]) -> dict:
    """A Frictionless Tabular Data Package (v1) describing `resources`, one Table Schema each.

    `meta` is the dataset metadata (`dataset.yaml`), with the release's `version` added. Constraints
    of list columns (element enum, pattern and references) cannot be stated in Table Schema v1,
    which would apply them to the whole array; they are given under `broadsheet:elements`.
    """
    names = {r.name for r in resources}
    missing = sorted(names - set(schemas))
    if missing:
        raise KeyError(f"no schema for resource(s): {', '.join(missing)}")
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": meta["name"],
        "title": meta["title"],
        "description": _text(meta["description"]),
    }
    if meta.get("version"):
        package["version"] = meta["version"]
    if meta.get("homepage"):
        package["homepage"] = meta["homepage"]
    package["licenses"] = [_license(entry) for entry in meta["licenses"]]
    if meta.get("created"):
        package["created"] = meta["created"]
    # `broadsheet:textLicenses`: the licence of the article texts per source (`text_licenses`).
    for key in ("contributors", "sources", "broadsheet:textLicenses"):
        if meta.get(key):
            package[key] = [dict(entry) for entry in meta[key]]
    if meta.get("schema_version"):
        package["broadsheet:schema_version"] = meta["schema_version"]
    package["resources"] = [_resource(schemas[r.name], r, names) for r in resources]
    return package


def _resource(ts: TableSchema, resource: Resource, published: set[str]) -> dict:
    schema: dict[str, Any] = {
        "fields": [_field(col) for col in ts.columns],
        "primaryKey": ts.primary_key[0] if len(ts.primary_key) == 1 else list(ts.primary_key),
    }
    foreign_keys = [
        {
            "fields": col.name,
            # Table Schema v1 names the table itself with an empty resource name.
            "reference": {
                "resource": "" if col.referenced_table == ts.name else col.referenced_table,
                "fields": col.referenced_column,
            },
        }
        for col in ts.columns
        if col.references and not col.is_list and (col.referenced_table == ts.name or col.referenced_table in published)
    ]
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return {
        "name": resource.name,
        "path": resource.path,
        "profile": "tabular-data-resource",
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "description": _text(ts.description),
        # Not `bytes`: Frictionless counts the bytes of the stream it parses, and a Parquet file is
        # read whole by pyarrow, so a declared size always disagrees with its count of none. The
        # manifest holds every file's size; the hash stays here for readers that check it.
        "hash": f"sha256:{resource.sha256}",
        "rows": resource.rows,
        "schema": schema,
    }


def _field(col: Column) -> dict:
    field: dict[str, Any] = {
        "name": col.name,
        "type": FIELD_TYPES[col.type],
        "format": "default",
        "description": _text(col.description),
    }
    if col.is_list:
        field["broadsheet:type"] = col.type
    elif col.nullable and col.type == "int64":
        # A null integer reaches Frictionless as a float NaN (pandas has no null in an int64 column).
        field["missingValues"] = ["", "nan"]
    constraints: dict[str, Any] = {"required": not col.nullable}
    if col.unique:
        constraints["unique"] = True
    if col.is_list:
        elements: dict[str, Any] = {"type": "string"}
        if col.enum is not None:
            elements["enum"] = list(col.enum)
        if col.pattern is not None:
            elements["pattern"] = xsd_pattern(col.pattern)
        if col.references:
            elements["references"] = col.references
        field["broadsheet:elements"] = elements
    else:
        if col.enum is not None:
            constraints["enum"] = list(col.enum)
        if col.pattern is not None:
            constraints["pattern"] = xsd_pattern(col.pattern)
        if col.min is not None:
            constraints["minimum"] = _number(col.min, col.type)
        if col.max is not None:
            constraints["maximum"] = _number(col.max, col.type)
    field["constraints"] = constraints
    return field


def source_group(source_uri: str) -> str:
    """The source a document came from: its web host (`https://host/`), or the source folder (the
    first part of a relative `source_uri`, with its slash), or the file itself at the top level."""
    if "://" in source_uri:
        scheme, rest = source_uri.split("://", 1)
        return f"{scheme}://{rest.split('/', 1)[0].split('#', 1)[0]}/"
    return source_uri.split("#", 1)[0].split("/", 1)[0] + ("/" if "/" in source_uri else "")


def source_groups(source_uris: Sequence[str]) -> list[dict[str, Any]]:
    """The package's `sources`: one entry per `source_group`, with its document count, in name order."""
    counts = Counter(source_group(uri) for uri in source_uris)
    return [{"title": key, "path": key, "broadsheet:documents": n} for key, n in sorted(counts.items())]


NOT_STATED = "not stated: the publisher's own terms"


def text_licenses(source_names: Sequence[str], licenses: Sequence[str | None]) -> list[dict[str, Any]]:
    """The licence of the article texts per named source (`documents.source_name`, `.text_license`),
    with its document count, in name order: what a user may do with the texts, source by source.
    A source whose documents declare different licences (the sources file changed between the
    refreshes that read them) lists each."""
    counts = Counter(zip(source_names, licenses, strict=True))
    return [
        {"source": name, "license": license_ or NOT_STATED, "documents": n}
        for (name, license_), n in sorted(counts.items(), key=lambda item: (item[0][0], item[0][1] or ""))
    ]


def _license(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A Data Package licence: its SPDX name, link and title, and what it covers (`broadsheet:covers`)."""
    out = {key: entry[key] for key in ("name", "path", "title") if entry.get(key)}
    if entry.get("covers"):
        out["broadsheet:covers"] = _text(entry["covers"])
    return out


def xsd_pattern(pattern: str) -> str:
    """A search-style regex (`^` and `$` anchors) as Table Schema's implicitly anchored XSD pattern.

    An unanchored end matches anything after it, so `^https?://` becomes `(https?://).*`.
    """
    core = pattern
    anchored_start = core.startswith("^")
    if anchored_start:
        core = core[1:]
    anchored_end = core.endswith("$") and not core.endswith("\\$")
    if anchored_end:
        core = core[:-1]
    if "|" in core or not (anchored_start and anchored_end):
        core = f"({core})"  # keeps a top-level alternation inside the added prefix/suffix
    return ("" if anchored_start else ".*") + core + ("" if anchored_end else ".*")


def _number(value: float, type_: str) -> int | float:
    return int(value) if type_ == "int64" else float(value)


def _short(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _text(value: str) -> str:
    return " ".join(value.split())


# ----------------------------------------------------------------------------------------------
# Data dictionary


def data_dictionary_markdown(schemas: Mapping[str, TableSchema], release_only: bool = True) -> str:
    """One section per table: what a row is, its key and sort order, and a table of its columns."""
    sections = []
    for ts in schemas.values():
        if release_only and not ts.release:
            continue
        lines = [f"### `{ts.name}`", "", _text(ts.description), ""]
        key = ", ".join(f"`{k}`" for k in ts.primary_key)
        order = ", ".join(f"`{k}`" for k in ts.sort_by)
        lines.append(f"Primary key: {key}. Rows sorted by {order}.")
        for span in ts.spans:
            lines.append(f"Span: `documents.text[{span.start}:{span.end}] == {span.text}`.")
        lines += ["", "| column | type | nullable | description | constraints |", "|---|---|---|---|---|"]
        for col in ts.columns:
            cells = [
                f"`{col.name}`",
                f"`{col.type}`",  # in backticks, or `<string>` would read as an HTML tag
                "yes" if col.nullable else "no",
                _cell(_text(col.description)),
                _cell("; ".join(_constraints(col))),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        sections.append("\n".join(lines))
    return "\n\n".join(sections) + "\n"


def _constraints(col: Column) -> list[str]:
    each = "each element " if col.is_list else ""
    out = []
    if col.unique:
        out.append("unique")
    if col.enum is not None:
        out.append(f"{each}one of " + ", ".join(f"`{v}`" for v in col.enum))
    if col.pattern is not None:
        out.append(f"{each}matches `{col.pattern}`")
    if col.min is not None:
        out.append(f"≥ {_short(col.min)}")
    if col.max is not None:
        out.append(f"≤ {_short(col.max)}")
    if col.references:
        out.append(f"{each}references `{col.references}`")
    return out


def _cell(text: str) -> str:
    # A pipe ends a Markdown table cell even inside a code span, so it is escaped everywhere.
    return text.replace("|", "\\|")
