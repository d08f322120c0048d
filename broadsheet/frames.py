"""Frames that fit a table exactly: its Arrow and Polars types, its columns in order, its row order.

Every table passes through `conform` on its way into and out of Parquet, so a column's type and
width are whatever `schemas/` says, whatever the rows were built from; `from_rows` builds a frame
from Python rows with a message naming the table and column that do not fit; `row_violations`
says which checks one row would fail, so a stage can reject that row's document instead of
writing a table that cannot be published. `ColumnRows` holds a finished table's rows as such a
frame while a stage still works on its other tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

import polars as pl
import pyarrow as pa

from broadsheet.schema import ARROW_TYPES, POLARS_TYPES, Column, SchemaError, TableSchema, bridge_columns


def arrow_schema(ts: TableSchema) -> pa.Schema:
    """The Parquet/Arrow schema: types, nullability, and each column's description as field metadata."""
    fields = [
        pa.field(col.name, ARROW_TYPES[col.type], nullable=col.nullable, metadata={"description": col.description.strip()})
        for col in ts.columns
    ]
    return pa.schema(fields, metadata={"broadsheet:table": ts.name, "description": ts.description.strip()})


def polars_schema(ts: TableSchema) -> dict[str, pl.DataType]:
    return {col.name: POLARS_TYPES[col.type] for col in ts.columns}


def conform(df: pl.DataFrame, ts: TableSchema) -> pl.DataFrame:
    """Exactly the table's columns, in its order and types; a missing, extra or unconvertible column raises.

    Only conversions that cannot change a value are made (wider integers, integers to floats,
    integral floats to integers, ISO strings to dates); anything else is an error rather than a
    silent coercion.
    """
    expected = ts.column_names
    missing = [c for c in expected if c not in df.columns]
    unexpected = [c for c in df.columns if c not in set(expected)]
    if missing or unexpected:
        parts = []
        if missing:
            parts.append(f"missing columns: {', '.join(missing)}")
        if unexpected:
            parts.append(f"unexpected columns: {', '.join(unexpected)}")
        raise SchemaError(f"table {ts.name!r}: {'; '.join(parts)}")
    return df.select([_conform_column(df.get_column(col.name), col, ts.name) for col in ts.columns])


def _conform_column(series: pl.Series, col: Column, table: str) -> pl.Series:
    target = POLARS_TYPES[col.type]
    source = series.dtype
    if source == target:
        return series
    where = f"table {table!r}, column {col.name!r}"
    try:
        if source == pl.Null:
            return series.cast(target)
        if col.type == "string" and isinstance(source, (pl.Categorical, pl.Enum)):
            return series.cast(pl.String)
        if col.type == "int64" and source.is_integer():
            return series.cast(target, strict=True)
        if col.type == "int64" and source.is_float():
            finite = series.drop_nulls()
            if not (finite == finite.floor()).all():
                raise SchemaError(f"{where}: {source} values with a fraction cannot become int64")
            return series.cast(target, strict=True)
        if col.type == "float64" and source.is_numeric() and source != pl.Boolean:
            return series.cast(target, strict=True)
        if col.type == "date" and source == pl.String:
            return series.str.to_date("%Y-%m-%d", strict=True)
        if col.type == "list<string>" and isinstance(source, pl.List) and source.inner in (pl.String, pl.Null):
            return series.cast(target, strict=True)
    except SchemaError:
        raise
    except (pl.exceptions.PolarsError, ValueError, TypeError) as exc:
        raise SchemaError(f"{where}: cannot convert {source} to {col.type}: {_first_line(exc)}") from None
    raise SchemaError(f"{where}: has type {source}, expected {col.type}")


def from_rows(rows: Sequence[Mapping[str, Any]], ts: TableSchema) -> pl.DataFrame:
    """A conformed frame from row mappings that each carry exactly the table's columns."""
    names = ts.column_names
    expected = set(names)
    for i, row in enumerate(rows):
        keys = set(row)
        if keys != expected:
            parts = []
            if expected - keys:
                parts.append(f"missing {', '.join(c for c in names if c not in keys)}")
            if keys - expected:
                parts.append(f"unexpected {', '.join(sorted(map(str, keys - expected)))}")
            raise SchemaError(f"table {ts.name!r}, row {i}: {'; '.join(parts)}")
    series = []
    for col in ts.columns:
        values = [row[col.name] for row in rows]
        series.append(_series_from_values(values, col, ts.name))
    return pl.DataFrame(series)


# Rows converted to columns at once by `ColumnRows.taken`.
CHUNK_ROWS = 10_000


class ColumnRows(Sequence[dict[str, Any]]):
    """A finished table's rows held as its typed columns (a frame from :func:`from_rows`), read
    back as row dicts.

    A row as a Python dict costs several times its columns: on the 2,452 TempEval-3 silver
    articles the entity_mentions rows held 27 MiB as dicts and 5 as columns, the claims rows 35
    and 7. A stage whose corpus-level steps build one table after another holds each table this
    way once it is complete, so that the steps after it work beside columns, not dicts; `save`
    writes the frame as it is. Reading gives each row as `frame.row(named=True)` gives it
    (a list column as a list, a date as a date), one row at a time.
    """

    __slots__ = ("frame",)

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame

    @classmethod
    def of(cls, rows: Sequence[Mapping[str, Any]], ts: TableSchema) -> ColumnRows:
        """`rows` as columns (the same object when they are already); the rows are left as they are."""
        return rows if isinstance(rows, ColumnRows) else cls(from_rows(rows, ts))

    @classmethod
    def taken(cls, rows: list[dict[str, Any]] | ColumnRows, ts: TableSchema) -> ColumnRows:
        """`rows` as columns, emptying the list as they are converted, `CHUNK_ROWS` at a time:
        converting a whole table at once held every value of it twice over (its dicts, and each
        column as a Python list while Polars built it), which at four times the silver corpus
        was the extract stage's highest point."""
        if isinstance(rows, ColumnRows):
            return rows
        builder = ColumnBuilder(ts)
        while rows:
            builder.extend(rows[:CHUNK_ROWS])
            del rows[:CHUNK_ROWS]
        return builder.finish()

    def __len__(self) -> int:
        return self.frame.height

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self.frame.iter_rows(named=True)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return list(self.frame[index].iter_rows(named=True))
        if not -self.frame.height <= index < self.frame.height:
            raise IndexError(index)
        return self.frame.row(index, named=True)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ColumnRows):
            return self.frame.equals(other.frame)
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to the lists of its rows, which are not hashable

    def __repr__(self) -> str:
        return f"ColumnRows({self.frame.height} rows x {self.frame.width} columns)"


class ColumnBuilder:
    """A table's rows gathered as they are made, turned into columns `CHUNK_ROWS` at a time, so
    that no more than that many are held as dicts (`finish` gives them as `ColumnRows`)."""

    def __init__(self, ts: TableSchema) -> None:
        self.ts = ts
        self._rows: list[Mapping[str, Any]] = []
        self._parts: list[pl.DataFrame] = []

    def extend(self, rows: Sequence[Mapping[str, Any]]) -> None:
        self._rows.extend(rows)
        if len(self._rows) >= CHUNK_ROWS:
            self._parts.append(from_rows(self._rows, self.ts))
            self._rows = []

    def finish(self) -> ColumnRows:
        if self._rows or not self._parts:
            self._parts.append(from_rows(self._rows, self.ts))
            self._rows = []
        parts, self._parts = self._parts, []
        return ColumnRows(parts[0] if len(parts) == 1 else pl.concat(parts, rechunk=False))


def with_values(frame: pl.DataFrame, ts: TableSchema, values: Mapping[str, list]) -> pl.DataFrame:
    """`frame` with the columns named in `values` replaced by those values (one per row, in its
    order), typed as the table's columns are."""
    columns = {col.name: col for col in ts.columns}
    return frame.with_columns(_series_from_values(list(v), columns[name], ts.name) for name, v in values.items())


def _series_from_values(values: list, col: Column, table: str) -> pl.Series:
    target = POLARS_TYPES[col.type]
    try:
        if col.type == "date" and any(isinstance(v, str) for v in values):
            # ISO strings and date objects may mix (metadata gives strings, parsers give dates).
            text = [v.isoformat() if v is not None and not isinstance(v, str) else v for v in values]
            return pl.Series(col.name, text, dtype=pl.String, strict=True).str.to_date("%Y-%m-%d", strict=True)
        if col.type == "list<string>":
            # A set has no order of its own; sorting it keeps the output deterministic.
            values = [sorted(v) if isinstance(v, (set, frozenset)) else list(v) if isinstance(v, tuple) else v for v in values]
        return pl.Series(col.name, values, dtype=target, strict=True)
    except (pl.exceptions.PolarsError, ValueError, TypeError, AttributeError) as exc:
        raise SchemaError(f"table {table!r}, column {col.name!r}: values do not fit {col.type}: {_first_line(exc)}") from None


def _first_line(exc: Exception) -> str:
    # Polars appends multi-line hints and context stacks; the first line says what went wrong.
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def row_violations(row: Mapping[str, Any], ts: TableSchema, omit: Sequence[str] = ()) -> list[str]:
    """What in one row its table's suite would refuse, column by column: a null in a non-null
    column, a value outside its enum, pattern or bounds (list columns: each element). Empty when
    the row passes. A stage uses it to turn one bad input into a reject instead of a release that
    cannot be published; the suites still check every table whole."""
    problems = []
    for col in ts.columns:
        if col.name in omit:
            continue
        value = row.get(col.name)
        if value is None:
            if not col.nullable:
                problems.append(f"{col.name} is null")
            continue
        values = list(value) if col.is_list else [value]
        for item in values:
            if item is None:
                problems.append(f"{col.name} holds a null element")
            elif col.enum is not None and item not in col.enum:
                problems.append(f"{col.name} {item!r} is not one of {', '.join(col.enum)}")
            elif col.pattern is not None and isinstance(item, str) and not re.search(col.pattern, item):
                problems.append(f"{col.name} {item[:60]!r} does not match {col.pattern}")
            elif col.min is not None and isinstance(item, (int, float)) and item < col.min:
                problems.append(f"{col.name} {item} is below {col.min:g}")
            elif col.max is not None and isinstance(item, (int, float)) and item > col.max:
                problems.append(f"{col.name} {item} is above {col.max:g}")
    return problems


def sort_rows(df: pl.DataFrame, ts: TableSchema) -> pl.DataFrame:
    """Rows in the table's sort order (sort_by always includes the primary key, so the order is total)."""
    if df.height < 2:
        return df
    return df.sort(list(ts.sort_by), nulls_last=True, maintain_order=True)


def unnest(source: pl.DataFrame, bridge: TableSchema, schemas: Mapping[str, TableSchema]) -> pl.DataFrame:
    """The rows of a bridge table (`unnests:`): each (key, element) of the list column it unnests,
    once, in the source's order. The release builds the bridge with it and its suite checks
    the published bridge against it."""
    key, source_key, element, listed = bridge_columns(bridge, schemas)
    pairs = source.select(pl.col(source_key).alias(key), pl.col(listed).alias(element)).explode(element)
    return pairs.drop_nulls().unique(maintain_order=True)
