"""The checks Great Expectations cannot express on its own, computed in Polars as one boolean
column per check: elements of list columns (not null, enum, pattern), foreign keys across tables,
spans into `documents.text`, values derived from another column (`derived:`), counts of another
table's rows (`counts:`), values equal to the document's (`matches:`), every document either
extracted or rejected (`covers:`), and bridge tables equal to the list columns they unnest
(`unnests:`). `broadsheet.validate.suites` runs each column as a GX
expectation that it is all true, so these checks show up in the same report and Data Docs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from broadsheet.frames import unnest
from broadsheet.schema import Column, TableSchema, bridge_columns, documents_key
from broadsheet.tableio import table_columns
from broadsheet.text import word_count

# How each `derived:` function of the schemas is recomputed (see broadsheet.schema.DERIVATIONS).
DERIVED_BY: dict[str, Callable[[str], object]] = {
    "sha256": lambda text: hashlib.sha256(text.encode("utf-8")).hexdigest(),
    "chars": len,
    "words": word_count,
}

# How many failing values a failure quotes.
N_EXAMPLES = 5


def listing(values: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f", ... ({len(values)} values)" if len(values) > limit else "")


@dataclass(frozen=True)
class Check:
    """One boolean column of a `<table>.checks` frame."""

    name: str  # the column name in the checks frame: "<column>:<check>"
    check: str
    column: str
    what: str  # the rule in words, for the failure message
    values: Callable[[pl.DataFrame], pl.Series]  # true = passes, null = does not apply
    bad_values: Callable[[pl.DataFrame, pl.Series], list[str]] | None = None  # (frame, failing mask)


@dataclass
class Derived:
    checks: list[Check] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)


def derived_checks(
    ts: TableSchema,
    df: pl.DataFrame,
    available: Mapping[str, pl.DataFrame],
    documents: pl.DataFrame | None,
    cross_table: bool,
    schemas: Mapping[str, TableSchema] | None = None,
) -> Derived:
    derived = Derived()
    present = set(df.columns)
    for col in ts.columns:
        if col.name not in present or not col.is_list:
            continue
        derived.checks.append(_element_not_null(col))
        if col.enum is not None:
            derived.checks.append(_element_enum(col))
        if col.pattern is not None:
            derived.checks.append(_element_pattern(col))
    for col in ts.columns:
        if col.derived is not None and col.name in present and col.derived[1] in present:
            derived.checks.append(_derived_value(col))
    if not cross_table:
        return derived

    def columns_of(table: str, names: Sequence[str]) -> pl.DataFrame | None:
        """Only the columns a check compares, of a table given (the one checked, `documents`, or
        one of `available`, which reads no more of it than those); None: not given."""
        if table == ts.name:
            return df.select(names)
        if table == "documents" and documents is not None:
            return documents.select(names) if set(names) <= set(documents.columns) else None
        if table not in available or (table in (schemas or {}) and not set(names) <= set(schemas[table].column_names)):
            return None
        return table_columns(available, table, names)

    for col in ts.columns:
        if not col.references or col.name not in present:
            continue
        target = columns_of(col.referenced_table, [col.referenced_column])
        if target is None or col.referenced_column not in target.columns:
            derived.skipped.append(
                {"column": col.name, "check": "foreign_key", "reason": f"table {col.referenced_table!r} not given"}
            )
            continue
        derived.checks.append(_foreign_key(col, target.get_column(col.referenced_column)))
    doc_key = documents_key(ts)
    texts = None  # read once for all of a table's spans (a claim has three)
    for span in ts.spans:
        needed = {doc_key, span.start, span.end, span.text}
        if texts is None and needed <= present:
            texts = columns_of("documents", ["doc_id", "text"])
            if texts is not None:
                texts = texts.select(pl.col("doc_id").alias("__doc"), pl.col("text").alias("__text")).unique(
                    subset="__doc", keep="first", maintain_order=True
                )
        if texts is None or not needed <= present:
            derived.skipped.append({"column": span.text, "check": "span", "reason": "documents not given or columns missing"})
            continue
        derived.checks.extend(_span_checks(span.start, span.end, span.text, doc_key, texts))
    for col in ts.columns:
        for kind, link in (("counts", col.counts), ("matches", col.matches)):
            if link is None or col.name not in present or doc_key not in present:
                continue
            table, column = link.split(".", 1)
            target = columns_of(table, [column] if kind == "counts" else ["doc_id", column])
            if target is None or column not in target.columns:
                derived.skipped.append({"column": col.name, "check": kind, "reason": f"table {table!r} not given"})
                continue
            derived.checks.append(_link_check(col, kind, doc_key, target, column))
    for bridge in (schemas or {}).values():
        # Both ways: every bridge row is an element of its list, every element has its bridge row.
        if bridge.unnests is None or {bridge.name, bridge.unnests.split(".", 1)[0]} - {ts.name} - set(available):
            continue
        key, source_key, _, listed = bridge_columns(bridge, schemas)
        source = bridge.unnests.split(".", 1)[0]
        if ts.name == bridge.name:
            derived.checks.append(_unnests(bridge, columns_of(source, [source_key, listed]), schemas))
        elif ts.name == source:
            derived.checks.append(_unnested(bridge, columns_of(bridge.name, [key]), schemas))
    if ts.name == "documents" and schemas is not None:
        for other, other_ts in schemas.items():
            stage = other_ts.covers_documents_unless_rejected_at
            if stage is not None and other in available and "rejects" in available:
                key = documents_key(other_ts) or "doc_id"
                rejects = columns_of("rejects", ["doc_id", "stage"])
                derived.checks.append(_covered(other, key, columns_of(other, [key]), rejects, stage))
    return derived


def _link_check(col: Column, kind: str, doc_key: str, target: pl.DataFrame, column: str) -> Check:
    """`counts`: this row's value is the number of `target` rows whose `column` is its document;
    `matches`: it equals `column` of its document (`target` is documents)."""
    if kind == "counts":
        other = target.group_by(column).len().select(pl.col(column).alias("__doc"), pl.col("len").cast(pl.Int64).alias("__other"))
        fill = 0
    else:
        other = target.select(pl.col("doc_id").alias("__doc"), pl.col(column).alias("__other")).unique("__doc", keep="first")
        fill = None

    def joined(df: pl.DataFrame) -> pl.DataFrame:
        return df.select(doc_key, col.name).join(other, left_on=doc_key, right_on="__doc", how="left", maintain_order="left")

    def values(df: pl.DataFrame) -> pl.Series:
        frame = joined(df)
        expected = frame.get_column("__other")
        if fill is not None:
            expected = expected.fill_null(fill)
        return (frame.get_column(col.name) == expected).fill_null(False).alias(col.name)

    def bad(df: pl.DataFrame, failing: pl.Series) -> list[str]:
        frame = joined(df).filter(failing)
        return [
            f"{v} (found {o if o is not None else fill})"
            for v, o in frame.select(col.name, "__other").head(N_EXAMPLES).iter_rows()
        ]

    what = (
        f"must equal the number of {table_of(col.counts)} rows of its document"
        if kind == "counts"
        else f"must equal {col.matches} of its document"
    )
    return Check(name=f"{col.name}:{kind}", check=kind, column=col.name, what=what, values=values, bad_values=bad)


def table_of(link: str | None) -> str:
    return (link or "").split(".", 1)[0]


def _covered(table: str, key: str, rows: pl.DataFrame, rejects: pl.DataFrame, stage: str) -> Check:
    """Every document has a row in `table` or a rejects row of `stage`."""
    done = pl.concat(
        [
            rows.get_column(key).drop_nulls(),
            rejects.filter(pl.col("stage") == stage).get_column("doc_id").drop_nulls(),
        ]
    ).unique()

    def values(df: pl.DataFrame) -> pl.Series:
        return df.select(pl.col("doc_id").is_in(done.implode())).to_series().alias("doc_id")

    def bad(df: pl.DataFrame, failing: pl.Series) -> list[str]:
        return _distinct_strings(df.filter(failing).get_column("doc_id"))

    return Check(
        name=f"doc_id:covered_by_{table}",
        check="covered",
        column="doc_id",
        what=f"every document must have a row in {table} or a rejects row of stage {stage!r}",
        values=values,
        bad_values=bad,
    )


def _unnests(bridge: TableSchema, source: pl.DataFrame, schemas: Mapping[str, TableSchema]) -> Check:
    """Each row of the bridge is a (key, element) of the list column it unnests."""
    key, _, element, _ = bridge_columns(bridge, schemas)
    known = unnest(source, bridge, schemas).select(pl.concat_str(key, element, separator="\t")).to_series().unique()

    def values(df: pl.DataFrame) -> pl.Series:
        return df.select(pl.concat_str(key, element, separator="\t").is_in(known.implode())).to_series().alias(element)

    def bad(df: pl.DataFrame, failing: pl.Series) -> list[str]:
        return [f"({k}, {e})" for k, e in df.filter(failing).select(key, element).head(N_EXAMPLES).iter_rows()]

    what = f"every ({key}, {element}) must be an element of {bridge.unnests} of that row"
    return Check(name=f"{element}:unnests", check="unnests", column=element, what=what, values=values, bad_values=bad)


def _unnested(bridge: TableSchema, rows: pl.DataFrame, schemas: Mapping[str, TableSchema]) -> Check:
    """Each element of the list column has its row in the bridge (with `_unnests` and the bridge's
    unique key: the bridge holds exactly the list's distinct elements)."""
    key, source_key, element, listed = bridge_columns(bridge, schemas)
    counts = rows.group_by(key).len().select(pl.col(key).alias("__key"), pl.col("len").cast(pl.Int64).alias("__n"))

    def joined(df: pl.DataFrame) -> pl.DataFrame:
        found = df.select(source_key, pl.col(listed).list.drop_nulls().list.unique().list.len().cast(pl.Int64).alias("__listed"))
        return found.join(counts, left_on=source_key, right_on="__key", how="left", maintain_order="left")

    def values(df: pl.DataFrame) -> pl.Series:
        frame = joined(df)
        return (frame.get_column("__listed") == frame.get_column("__n").fill_null(0)).alias(listed)

    def bad(df: pl.DataFrame, failing: pl.Series) -> list[str]:
        frame = joined(df).filter(failing).head(N_EXAMPLES)
        return [f"{k} ({n} listed, {b or 0} in {bridge.name})" for k, n, b in frame.iter_rows()]

    what = f"every element must have its row in {bridge.name}"
    return Check(name=f"{listed}:unnested", check="unnested", column=listed, what=what, values=values, bad_values=bad)


def _derived_value(col: Column) -> Check:
    function, source = col.derived or ("", "")
    compute = DERIVED_BY[function]
    dtype = pl.String if function == "sha256" else pl.Int64

    def recomputed(df: pl.DataFrame) -> pl.Series:
        return df.get_column(source).map_elements(compute, return_dtype=dtype, skip_nulls=True)

    def values(df: pl.DataFrame) -> pl.Series:
        return (df.get_column(col.name) == recomputed(df)).alias(col.name)

    def bad(df: pl.DataFrame, failing: pl.Series) -> list[str]:
        return _distinct_strings(df.filter(failing).get_column(col.name).cast(pl.String))

    return Check(
        name=f"{col.name}:derived",
        check="derived",
        column=col.name,
        what=f"must equal {function}({source})",
        values=values,
        bad_values=bad,
    )


def _element_not_null(col: Column) -> Check:
    return Check(
        name=f"{col.name}:element_not_null",
        check="element_not_null",
        column=col.name,
        what="every element must be non-null",
        values=lambda df: df.select(pl.col(col.name).list.eval(pl.element().is_not_null()).list.all()).to_series(),
    )


def _element_enum(col: Column) -> Check:
    allowed = pl.Series(list(col.enum or ()), dtype=pl.String)
    return Check(
        name=f"{col.name}:element_enum",
        check="element_enum",
        column=col.name,
        what=f"every element must be one of {listing(col.enum or ())}",
        values=lambda df: df.select(pl.col(col.name).list.eval(pl.element().is_in(allowed.implode())).list.all()).to_series(),
        bad_values=lambda df, failing: _bad_elements(df, col.name, failing, ~pl.element().is_in(allowed.implode())),
    )


def _element_pattern(col: Column) -> Check:
    pattern = col.pattern or ""
    return Check(
        name=f"{col.name}:element_pattern",
        check="element_pattern",
        column=col.name,
        what=f"every element must match {pattern}",
        values=lambda df: df.select(pl.col(col.name).list.eval(pl.element().str.contains(pattern)).list.all()).to_series(),
        bad_values=lambda df, failing: _bad_elements(df, col.name, failing, ~pl.element().str.contains(pattern)),
    )


def _foreign_key(col: Column, keys: pl.Series) -> Check:
    keys = keys.drop_nulls().unique()
    if col.is_list:

        def values(df: pl.DataFrame) -> pl.Series:
            return df.select(pl.col(col.name).list.eval(pl.element().is_in(keys.implode())).list.all()).to_series()

        def bad(df: pl.DataFrame, failing: pl.Series) -> list[str]:
            return _bad_elements(df, col.name, failing, pl.element().is_not_null() & ~pl.element().is_in(keys.implode()))
    else:

        def values(df: pl.DataFrame) -> pl.Series:
            # Null where the key is null: a nullable key that is absent is not dangling.
            return df.select(
                pl.when(pl.col(col.name).is_null()).then(None).otherwise(pl.col(col.name).is_in(keys.implode()))
            ).to_series()

        def bad(df: pl.DataFrame, failing: pl.Series) -> list[str]:
            return _distinct_strings(df.filter(failing).get_column(col.name))

    return Check(
        name=f"{col.name}:foreign_key",
        check="foreign_key",
        column=col.name,
        what=f"{'every element ' if col.is_list else ''}must resolve to {col.references}",
        values=values,
        bad_values=bad,
    )


def _span_checks(start: str, end: str, text: str, doc_key: str, texts: pl.DataFrame) -> list[Check]:
    def joined(df: pl.DataFrame) -> pl.DataFrame:
        return df.select(doc_key, start, end, text).join(
            texts, left_on=doc_key, right_on="__doc", how="left", maintain_order="left"
        )

    def applies() -> pl.Expr:
        # A span applies when any of its three columns is set; then all three must be.
        return pl.col(start).is_not_null() | pl.col(end).is_not_null() | pl.col(text).is_not_null()

    def in_bounds() -> pl.Expr:
        return (
            pl.col(start).is_not_null()
            & pl.col(end).is_not_null()
            & pl.col(text).is_not_null()
            & pl.col("__text").is_not_null()
            & (pl.col(start) >= 0)
            & (pl.col(start) < pl.col(end))
            & (pl.col(end) <= pl.col("__text").str.len_chars())
        ).fill_null(False)

    def bounds_values(df: pl.DataFrame) -> pl.Series:
        return joined(df).select(pl.when(applies()).then(in_bounds()).otherwise(None)).to_series()

    def text_values(df: pl.DataFrame) -> pl.Series:
        # Polars slices strings by characters (code points), as Python indexing does.
        matches = pl.col("__text").str.slice(pl.col(start), pl.col(end) - pl.col(start)) == pl.col(text)
        return joined(df).select(pl.when(applies() & in_bounds()).then(matches).otherwise(None)).to_series()

    def bounds_bad(df: pl.DataFrame, failing: pl.Series) -> list[str]:
        rows = joined(df).filter(failing).head(N_EXAMPLES)
        return [
            f"{s}:{e} in a text of {'no' if t is None else len(t)} chars"
            for s, e, t in rows.select(start, end, "__text").iter_rows()
        ]

    def text_bad(df: pl.DataFrame, failing: pl.Series) -> list[str]:
        rows = joined(df).filter(failing).head(N_EXAMPLES)
        return [f"{t[s:e]!r} != {x!r}" for s, e, x, t in rows.select(start, end, text, "__text").iter_rows()]

    span = f"{start}:{end}"
    return [
        Check(
            name=f"{text}:span_bounds",
            check="span_bounds",
            column=text,
            what=f"span must satisfy 0 <= {start} < {end} <= len(documents.text), with {start}, {end} and {text} all set or all null",
            values=bounds_values,
            bad_values=bounds_bad,
        ),
        Check(
            name=f"{text}:span_text",
            check="span_text",
            column=text,
            what=f"span text: documents.text[{span}] must equal {text}",
            values=text_values,
            bad_values=text_bad,
        ),
    ]


def _bad_elements(df: pl.DataFrame, column: str, failing: pl.Series, bad: pl.Expr) -> list[str]:
    elements = df.filter(failing).select(pl.col(column).list.eval(pl.element().filter(bad))).get_column(column)
    return _distinct_strings(elements.explode())


def _distinct_strings(series: pl.Series) -> list[str]:
    values = series.drop_nulls().unique(maintain_order=True).head(N_EXAMPLES).to_list()
    return [str(v) for v in values]


def checks_frame(
    ts: TableSchema, df: pl.DataFrame, checks: Sequence[Check]
) -> tuple[pl.DataFrame, dict[str, list[str]], list[str]]:
    """Key columns plus one boolean column per check; also the offending values of failing checks."""
    keys = [k for k in ts.primary_key if k in df.columns]
    if len(keys) != len(ts.primary_key):
        keys = []
    frame = df.select(keys) if keys else df.select(pl.int_range(pl.len(), dtype=pl.Int64).alias("row"))
    columns, bad_values = [], {}
    for check in checks:
        try:
            values = check.values(df).cast(pl.Boolean).alias(check.name)
            failing = values.not_().fill_null(False)
            if check.bad_values is not None and failing.any():
                bad_values[check.name] = check.bad_values(df, failing)
        except pl.exceptions.PolarsError as exc:
            # A column of the wrong type cannot be checked; that is a failure, not a pass.
            values = pl.Series(check.name, [False] * df.height, dtype=pl.Boolean)
            bad_values[check.name] = [f"could not be checked: {str(exc).splitlines()[0]}"]
        columns.append(values)
    return frame.with_columns(columns), bad_values, keys or ["row"]
