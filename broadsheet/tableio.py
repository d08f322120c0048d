"""Reading and writing tables as Parquet, byte for byte reproducibly.

Every table is conformed to its schema (column order and types from `schemas/`) and sorted by its
key before it is written, with fixed writer settings, so the same rows always give the same bytes
and the same checksum.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from broadsheet.frames import arrow_schema, conform
from broadsheet.schema import SchemaError, TableSchema

# Row groups large enough that a release table is one group in practice, small enough to stream.
ROW_GROUP_SIZE = 100_000
ZSTD_LEVEL = 9


@dataclass(frozen=True)
class FileInfo:
    path: str
    rows: int
    bytes: int
    sha256: str


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_table(df: pl.DataFrame, ts: TableSchema, path: Path, metadata: Mapping[str, str] | None = None) -> FileInfo:
    """Conform, sort and write `df` as zstd Parquet; `metadata` goes into the file's key-value metadata."""
    frame = conform(df, ts)
    _check_not_null(frame, ts)
    # The rows in the table's order (`sort_rows`), gathered a row group at a time from the order
    # found once (4 bytes a row), not a sorted copy of the whole table.
    order = (
        frame.select(pl.arg_sort_by(list(ts.sort_by), nulls_last=True, maintain_order=True)).to_series()
        if frame.height > 1
        else None
    )
    schema = arrow_schema(ts)
    kv = {**(schema.metadata or {}), **{k.encode(): v.encode() for k, v in sorted((metadata or {}).items())}}
    schema = schema.with_metadata(kv)
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {"compression": "zstd", "compression_level": ZSTD_LEVEL, "write_statistics": True, "use_dictionary": True}
    # A row group at a time: each is converted to Arrow (a copy of its rows) only as it is written,
    # so a large table is not held in a second and third copy while the file is written. The
    # file is the one writing the whole table at once gives (the same row groups). An empty
    # table is written with no row group at all, not one of zero rows: readers that size their
    # batches by the first row group (the Hugging Face `datasets` Parquet loader) fail on 0.
    with pq.ParquetWriter(path, schema, **options) as writer:
        for start in range(0, frame.height, ROW_GROUP_SIZE):
            rows = frame[order.slice(start, ROW_GROUP_SIZE)] if order is not None else frame.slice(start, ROW_GROUP_SIZE)
            part = rows.to_arrow().cast(schema)
            del rows
            writer.write_table(pa.Table.from_batches(part.to_batches(), schema=schema), row_group_size=ROW_GROUP_SIZE)
            del part
    return FileInfo(path=str(path), rows=frame.height, bytes=path.stat().st_size, sha256=sha256_file(path))


def _check_not_null(frame: pl.DataFrame, ts: TableSchema) -> None:
    # Arrow refuses nulls in a non-nullable field with a terse cast error; say which column instead.
    counts = frame.select(pl.col(c.name).null_count() for c in ts.columns if not c.nullable).row(0) if frame.height else ()
    bad = [(c.name, n) for c, n in zip([c for c in ts.columns if not c.nullable], counts, strict=False) if n]
    if bad:
        listed = ", ".join(f"{name} ({n} null)" for name, n in bad)
        raise SchemaError(f"{ts.name}: null values in non-nullable columns: {listed}")


def read_table(path: Path, ts: TableSchema) -> pl.DataFrame:
    return conform(pl.read_parquet(path), ts)


class TablesOnDisk(Mapping[str, pl.DataFrame]):
    """Tables read from their files each time one is looked up, none of them held, and `held`
    tables (in memory) beside them.

    A suite validates one table at a time and looks at another only for a cross-table check, so
    holding every table for the whole suite (all the release's, over 9,808 articles 146 MiB of
    the process) bought nothing but memory; reading a table again costs a fraction of a second.
    A check reads only the columns it compares (`columns`): over 24,520 articles, a key check
    that read the whole claims table for its ids raised the suite's process by about 90 MiB.
    """

    def __init__(
        self, paths: Mapping[str, Path], schemas: Mapping[str, TableSchema], held: Mapping[str, pl.DataFrame] | None = None
    ) -> None:
        self._paths = dict(paths)
        self._schemas = schemas
        self._held = dict(held or {})

    def __getitem__(self, name: str) -> pl.DataFrame:
        if name in self._held:
            return self._held[name]
        return read_table(self._paths[name], self._schemas[name])

    def __contains__(self, name: object) -> bool:
        # Mapping's own would read the table to answer.
        return name in self._held or name in self._paths

    def __iter__(self):
        return iter({**dict.fromkeys(self._paths), **dict.fromkeys(self._held)})

    def __len__(self) -> int:
        return len({*self._paths, *self._held})

    def columns(self, name: str, columns: Sequence[str]) -> pl.DataFrame:
        """Only `columns` of table `name`, conformed to its schema."""
        if name in self._held:
            return self._held[name].select(columns)
        ts = self._schemas[name]
        unknown = [c for c in columns if c not in ts.column_names]
        if unknown:  # before the file is opened: the schema, not the file, says what a table holds
            raise SchemaError(f"table {name!r}: no columns {', '.join(unknown)}")
        # Conformed to the schema's definition of those columns alone.
        only = replace(ts, columns=tuple(col for c in columns for col in ts.columns if col.name == c))
        return conform(pl.read_parquet(self._paths[name], columns=list(columns)), only)


def table_columns(tables: Mapping[str, pl.DataFrame], name: str, columns: Sequence[str]) -> pl.DataFrame:
    """`columns` of table `name` among `tables`, reading no more of it than those where the tables
    are on disk (`TablesOnDisk`)."""
    if isinstance(tables, TablesOnDisk):
        return tables.columns(name, columns)
    return tables[name].select(columns)


def file_metadata(path: Path) -> dict[str, str]:
    """The key-value metadata written into a Parquet file (Arrow's own schema entry left out)."""
    raw = pq.read_schema(path).metadata or {}
    return {k.decode(): v.decode() for k, v in raw.items() if k != b"ARROW:schema"}


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write a whole file so that a reader sees the old content or the new, never a part.

    The file is readable by others (mkstemp makes it private): releases are served, and caches
    may be shared between users of one machine.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.chmod(tmp, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
