"""Great Expectations validation of the pipeline's tables, generated from `schemas/`.

What belongs here: turning a `TableSchema` into a GX expectation suite, the checks GX cannot do
on its own (elements of list columns, foreign keys across tables, spans into `documents.text`),
running them, and reporting what failed in words a person can act on, with the GX results and
Data Docs written to a report folder.

Each table is validated twice, by two suites of the same run:

- `<table>` (from `suite_for`) on the table itself: column set, types, not-null, uniqueness,
  compound primary key, enum, pattern and bounds of the scalar columns;
- `<table>.checks` on a frame of the table's key columns plus one boolean column per check that
  is computed in Polars (list elements, foreign keys, spans). Each such column is expected to be
  all true (null where a check does not apply, e.g. a nullable key that is null), so these checks
  are GX results too and show up in the same report and Data Docs. They live in a separate frame
  so that the first suite sees exactly the table's own columns.

GX is imported lazily: it takes seconds, and only this module needs it.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import shutil
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from broadsheet.htmlpage import validation_page_html
from broadsheet.memory import release_freed_memory
from broadsheet.paths import REPORT_PAGE, VALIDATION_RESULTS
from broadsheet.schema import SchemaError, TableSchema
from broadsheet.validate import gxkwargs
from broadsheet.validate.checks import N_EXAMPLES, Check, Derived, checks_frame, derived_checks, listing

if TYPE_CHECKING:
    import great_expectations


RESULTS_FILE = VALIDATION_RESULTS


DATA_DOCS_DIR = "data_docs"


DOCS_SITE = "broadsheet"


# What GX's pandas type check sees for each schema type. Frames go to pandas with Arrow-backed
# columns, whose dtype reports the Python type of its values (so `int`, not `int64`); dates are
# handed over as numpy datetime64 because GX has no name for `datetime.date`. The exact widths are
# already enforced by `frames.conform`, which every table passes on its way in and out of Parquet.
GX_TYPES = {
    "string": "str",
    "int64": "int",
    "float64": "float",
    "bool": "bool",
    "date": "datetime64",
    "list<string>": "list",
}


# The check names a Failure can carry, and how a failing row is described in words.
CHECK_WORDS = {
    "columns": "the column set differs from the schema",
    "type": "has the wrong type",
    "not_null": "null in a non-null column",
    "unique": "value not unique",
    "primary_key": "primary key not unique",
    "enum": "value not in the allowed set",
    "pattern": "value does not match the pattern",
    "range": "value out of range",
    "element_not_null": "list holds a null element",
    "element_enum": "list element not in the allowed set",
    "element_pattern": "list element does not match the pattern",
    "foreign_key": "value does not resolve",
    "span_bounds": "span outside the document text",
    "span_text": "span text differs from documents.text[start:end]",
    "derived": "value does not agree with the column it is computed from",
    "counts": "count differs from the rows of the table it counts",
    "matches": "value differs from the document's",
    "covered": "document neither extracted nor rejected",
    "unnests": "bridge row not in the list column it unnests",
    "unnested": "list elements missing from their bridge table",
}


@dataclass(frozen=True)
class Failure:
    table: str
    check: str  # one of CHECK_WORDS
    column: str | None  # None for table-level checks (the column set, a compound key)
    n_failed: int  # failing rows; 0 for checks on the table as a whole (column set, type)
    examples: tuple[str, ...]  # primary-key values of a few failing rows
    message: str


@dataclass(frozen=True)
class ValidationReport:
    stage: str
    success: bool
    failures: tuple[Failure, ...]
    n_expectations: int
    results_path: Path | None  # JSON of the GX validation results (+ cross-table results)
    docs_index: Path | None  # Data Docs index.html

    def summary(self) -> str:
        where = []
        if self.results_path is not None:
            where.append(f"report: {self.results_path}")
        if self.docs_index is not None:
            where.append(f"data docs: {self.docs_index}")
        if self.success:
            line = f"validation passed: stage {self.stage!r}, {self.n_expectations} expectations"
            return "; ".join([line, *where])
        n_failed = len(self.failures)
        lines = [f"validation failed: stage {self.stage!r}, {n_failed} of {self.n_expectations} expectations failed:"]
        lines += [f"  - {f.message}" for f in self.failures]
        lines += where
        return "\n".join(lines)


def suite_for(ts: TableSchema) -> great_expectations.ExpectationSuite:
    """The expectation suite of one table, generated from its schema (scalar-column checks)."""
    gx, gxe = _gx()
    # Passed to the constructor: add_expectation compares each new expectation with every one
    # already there, which costs seconds for a few hundred.
    return gx.ExpectationSuite(name=ts.name, expectations=_table_expectations(ts, gxe))


def _table_expectations(ts: TableSchema, gxe: Any) -> list:
    out = [gxe.ExpectTableColumnsToMatchOrderedList(column_list=list(ts.column_names), meta={"check": "columns", "column": None})]
    single_key = ts.primary_key[0] if len(ts.primary_key) == 1 else None
    for col in ts.columns:
        meta = {"column": col.name}
        out.append(gxe.ExpectColumnValuesToBeOfType(column=col.name, type_=GX_TYPES[col.type], meta={**meta, "check": "type"}))
        if not col.nullable:
            out.append(gxe.ExpectColumnValuesToNotBeNull(column=col.name, meta={**meta, "check": "not_null"}))
        if col.name == single_key:
            out.append(gxe.ExpectColumnValuesToBeUnique(column=col.name, meta={**meta, "check": "primary_key"}))
        elif col.unique:
            out.append(gxe.ExpectColumnValuesToBeUnique(column=col.name, meta={**meta, "check": "unique"}))
        if col.is_list:
            continue  # element-level checks run in Polars (see derived_checks)
        if col.enum is not None:
            # GX skips nulls in column-map expectations, so a nullable column may be null here.
            out.append(gxe.ExpectColumnValuesToBeInSet(column=col.name, value_set=list(col.enum), meta={**meta, "check": "enum"}))
        if col.pattern is not None:
            out.append(gxe.ExpectColumnValuesToMatchRegex(column=col.name, regex=col.pattern, meta={**meta, "check": "pattern"}))
        if col.min is not None or col.max is not None:
            out.append(
                gxe.ExpectColumnValuesToBeBetween(
                    column=col.name, min_value=col.min, max_value=col.max, meta={**meta, "check": "range"}
                )
            )
    if single_key is None:
        out.append(
            gxe.ExpectCompoundColumnsToBeUnique(column_list=list(ts.primary_key), meta={"check": "primary_key", "column": None})
        )
    return out


def validate_stage(
    stage: str,
    tables: Mapping[str, pl.DataFrame],
    schemas: Mapping[str, TableSchema],
    report_dir: Path,
    *,
    documents: pl.DataFrame | None = None,
    cross_table: bool = False,
    data_docs: bool = True,
) -> ValidationReport:
    """Validate a stage's tables against their suites; write the results (and Data Docs) to `report_dir`.

    Foreign keys and spans (`cross_table=True`) are checked against the tables given and
    `documents` (default: the `documents` table given, if any); a key whose target table is not
    among them is listed as skipped in the results file.
    """
    unknown = [name for name in tables if name not in schemas]
    if unknown:
        raise SchemaError(f"no schema for table(s): {', '.join(unknown)}")
    gx, _ = _gx()
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    results_path = report_dir / RESULTS_FILE
    docs_dir = report_dir / DATA_DOCS_DIR
    # A report folder is reused across runs; stale Data Docs pages would describe an older run.
    shutil.rmtree(docs_dir, ignore_errors=True)
    results_path.unlink(missing_ok=True)
    (report_dir / REPORT_PAGE).unlink(missing_ok=True)

    # `documents` not given: the checks read the columns they compare of the `documents` among
    # `tables` when they need them (`derived_checks`), so its texts are not held for the suite.
    order = [name for name in schemas if name in tables]

    # A fresh ephemeral context per run (about 10 ms): its in-memory stores would otherwise carry
    # earlier runs' results into this run's Data Docs index.
    context = gx.get_context(mode="ephemeral")
    _quiet(context)
    if data_docs:
        context.add_data_docs_site(
            DOCS_SITE,
            {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )

    entries: list[dict] = []
    failures: list[Failure] = []
    n_expectations = 0
    # Everything alive before the suite is set aside from the collections made after each table
    # (below): a collection then reads only what the suite made, not the whole run's objects (on
    # 2,452 articles, a full collection after each table added about 3 s to a build).
    gc.freeze()
    try:
        for name in order:
            ts, df = schemas[name], tables[name]
            key_columns = list(ts.primary_key) if set(ts.primary_key) <= set(df.columns) else []
            table_suite = suite_for(ts)
            result = _run(context, stage, name, table_suite, _to_pandas(df, ts), key_columns, data_docs)
            entry, table_failures = _collect(ts, name, result, table_suite, df, key_columns, {}, {})
            entries.append({"table": name, "suite": name, "n_rows": df.height, **entry})
            failures.extend(table_failures)
            n_expectations += len(entry["expectations"])

            derived = derived_checks(ts, df, tables, documents, cross_table, schemas)
            if derived.checks or derived.skipped:
                entry, check_failures = _run_checks(context, stage, name, ts, df, derived, data_docs)
                entries.append(entry)
                failures.extend(check_failures)
                n_expectations += len(entry["expectations"])
            del derived, df
            # A table's frames (Polars, pandas, GX's own) are let go here, and their pages go back to
            # the system before the next, larger or not, is read (`broadsheet.memory`). GX's objects
            # hold the pandas frame in reference cycles, which only a collection frees: left to the
            # collector's own schedule, two x10 builds' release suites peaked 184 and 453 MiB above
            # where they started.
            gc.collect()
            release_freed_memory()
    finally:
        gc.unfreeze()

    results_path.write_text(json.dumps(entries, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    # The same results for a person: which checks failed and the rows that broke them.
    (report_dir / REPORT_PAGE).write_text(validation_page_html(stage, entries), encoding="utf-8")
    docs_index = None
    if data_docs:
        context.build_data_docs(site_names=[DOCS_SITE])
        index = docs_dir / "index.html"
        docs_index = index if index.is_file() else None
    return ValidationReport(
        stage=stage,
        success=not failures,
        failures=tuple(failures),
        n_expectations=n_expectations,
        results_path=results_path,
        docs_index=docs_index,
    )


def _run_checks(
    context: Any, stage: str, name: str, ts: TableSchema, df: pl.DataFrame, derived: Derived, data_docs: bool
) -> tuple[dict, list[Failure]]:
    """The results entry of a table's derived checks (one boolean column each, validated by GX as
    the suite ``<table>.checks``) and their failures."""
    gx, gxe = _gx()
    checks_name = f"{name}.checks"
    entry_base = {"table": name, "suite": checks_name, "n_rows": df.height}
    if not derived.checks:
        return {**entry_base, "success": True, "expectations": [], "skipped": derived.skipped}, []
    frame, bad_values, frame_keys = checks_frame(ts, df, derived.checks)
    checks_suite = gx.ExpectationSuite(
        name=checks_name,
        expectations=[
            gxe.ExpectColumnValuesToBeInSet(
                column=check.name,
                value_set=[True],
                # Data Docs shows the description in place of "values must belong to this set: True".
                description=f"{check.column or name}: {check.what}",
                meta={"check": check.check, "column": check.column, "rule": check.what},
            )
            for check in derived.checks
        ],
    )
    by_name = {c.name: c for c in derived.checks}
    result = _run(
        context, stage, checks_name, checks_suite, frame.to_pandas(use_pyarrow_extension_array=True), frame_keys, data_docs
    )
    entry, failures = _collect(ts, name, result, checks_suite, frame, frame_keys, by_name, bad_values)
    return {**entry_base, **entry, "skipped": derived.skipped}, failures


def _run(context: Any, stage: str, name: str, suite: Any, frame: Any, key_columns: Sequence[str], store: bool) -> Any:
    """Validate one frame; with `store`, through a validation definition so Data Docs see the result.

    The frame goes through a data source of its own, deleted once the frame is validated: GX's
    data source keeps every batch it has read, and with it the frame, for as long as it lives, so
    one source for a whole suite held every table's frame at once until the suite ended (on the
    extract stage of 9,808 articles its tables' frames took the process from 423 to 633 MiB; each
    is let go after its table now). The results keep the same source name, so Data Docs do not
    change.
    """
    source = context.data_sources.add_pandas(stage)
    try:
        return _validate(context, source, name, suite, frame, key_columns, store)
    finally:
        context.data_sources.delete(stage)


def _validate(context: Any, source: Any, name: str, suite: Any, frame: Any, key_columns: Sequence[str], store: bool) -> Any:
    gx, _ = _gx()
    batch_definition = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("whole")
    suite = context.suites.add(suite)
    result_format: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": N_EXAMPLES}
    if key_columns:
        result_format["unexpected_index_column_names"] = list(key_columns)
    with warnings.catch_warnings(), gxkwargs.one_configuration_per_validation():
        # GX matches patterns with pandas' str.contains, which warns about any group in a pattern.
        warnings.filterwarnings("ignore", message="This pattern is interpreted as a regular expression", category=UserWarning)
        if not store:
            batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
            return batch.validate(suite, result_format=result_format)
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch_definition, suite=suite))
        return definition.run(batch_parameters={"dataframe": frame}, result_format=result_format)


def _collect(
    ts: TableSchema,
    table: str,
    result: Any,
    suite: Any,
    df: pl.DataFrame,
    key_columns: Sequence[str],
    checks: Mapping[str, Check],
    bad_values: Mapping[str, list[str]],
) -> tuple[dict, list[Failure]]:
    """The JSON entry of one suite's results (in suite order, without run ids or times) and its failures."""
    position = {e.id: i for i, e in enumerate(suite.expectations)}
    results = sorted(result.results, key=lambda r: position.get(r.expectation_config.id, len(position)))
    expectations, failures = [], []
    for r in results:
        config = r.expectation_config
        meta = dict(config.meta or {})
        kwargs = {k: v for k, v in config.kwargs.items() if k != "batch_id"}
        res = dict(r.result or {})
        exception = (r.exception_info or {}) if isinstance(r.exception_info, dict) else {}
        message = _exception_message(exception)
        item = {
            "expectation_type": config.type,
            "kwargs": kwargs,
            "meta": meta,
            "success": bool(r.success),
            "result": {
                k: res[k]
                for k in ("element_count", "missing_count", "unexpected_count", "unexpected_percent", "observed_value")
                if k in res
            },
        }
        examples = _examples(res.get("partial_unexpected_index_list") or [], key_columns)
        if examples:
            item["result"]["examples"] = list(examples)
        offending = bad_values.get(f"{meta.get('column')}:{meta.get('check')}")
        if offending:
            item["result"]["offending"] = list(offending)
        if message:
            item["exception"] = message
        expectations.append(item)
        if not r.success:
            failures.append(_failure(ts, table, meta, res, examples, message, df, checks, bad_values))
    return {"success": all(e["success"] for e in expectations), "expectations": expectations}, failures


def _failure(
    ts: TableSchema,
    table: str,
    meta: Mapping[str, Any],
    res: Mapping[str, Any],
    examples: tuple[str, ...],
    exception: str | None,
    df: pl.DataFrame,
    checks: Mapping[str, Check],
    bad_values: Mapping[str, list[str]],
) -> Failure:
    check, column = meta.get("check", "unknown"), meta.get("column")
    where = f"{table}.{column}" if column else table
    n_failed = int(res.get("unexpected_count") or 0)
    if column and not checks and column not in df.columns:
        # GX's own words for this vary by expectation ("list index out of range" for a type check).
        return Failure(table, check, column, 0, (), f"{where} [{check}]: could not be checked: the column is missing")
    if exception:
        return Failure(table, check, column, n_failed, examples, f"{where} [{check}]: could not be checked: {exception}")
    if check == "columns":
        observed = list(res.get("observed_value") or df.columns)
        missing = [c for c in ts.column_names if c not in observed]
        extra = [c for c in observed if c not in ts.column_names]
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unexpected {', '.join(extra)}" if extra else "",
                "" if missing or extra else "columns out of order",
            )
            if part
        )
        return Failure(table, check, None, 0, (), f"{where} [columns]: the columns differ from the schema: {detail}")
    if check == "type":
        col = ts.column(column)
        observed = res.get("observed_value")
        message = f"{where} [type]: holds {observed} values, the schema says {col.type}"
        return Failure(table, check, column, 0, (), message)

    rule = _rule(ts, check, column, meta)
    message = f"{where} [{check}]: {n_failed} {'row fails' if n_failed == 1 else 'rows fail'}: {rule}"
    derived = checks.get(f"{column}:{check}")
    values = bad_values.get(derived.name) if derived else None
    if values is None and check in ("enum", "pattern", "range", "unique"):
        values = [repr(v) for v in (res.get("partial_unexpected_list") or [])][:N_EXAMPLES]
        values = list(dict.fromkeys(values))
    if examples:
        message += f"; e.g. {', '.join(examples)}"
    if values:
        message += f"; offending: {', '.join(values)}"
    return Failure(table, check, column, n_failed, examples, message)


def _rule(ts: TableSchema, check: str, column: str | None, meta: Mapping[str, Any]) -> str:
    if "rule" in meta:
        return str(meta["rule"])
    col = ts.column(column) if column else None
    if check == "not_null":
        return "must not be null"
    if check in ("unique", "primary_key") and col is not None:
        return "values must be unique" + (" (primary key)" if check == "primary_key" else "")
    if check == "primary_key":
        return f"({', '.join(ts.primary_key)}) must be unique (primary key)"
    if check == "enum" and col is not None:
        return f"must be one of {listing(col.enum or ())}"
    if check == "pattern" and col is not None:
        return f"must match {col.pattern}"
    if check == "range" and col is not None:
        low = "-inf" if col.min is None else _number(col.min)
        high = "inf" if col.max is None else _number(col.max)
        return f"must lie in [{low}, {high}]"
    return CHECK_WORDS.get(check, check)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _examples(index_list: Sequence[Mapping[str, Any]], key_columns: Sequence[str]) -> tuple[str, ...]:
    """The primary-key values of failing rows as short strings ("k1=v1 k2=v2" for compound keys)."""
    out: list[str] = []
    for row in index_list:
        values = [row.get(k) for k in key_columns]
        if len(values) == 1:
            text = "null" if values[0] is None else str(values[0])
        else:
            text = " ".join(f"{k}={'null' if v is None else v}" for k, v in zip(key_columns, values, strict=True))
        if text not in out:
            out.append(text)
        if len(out) == N_EXAMPLES:
            break
    return tuple(out)


def _exception_message(info: Mapping[str, Any]) -> str | None:
    """GX reports an expectation it could not evaluate either flat or keyed by metric; find the text."""
    if not info:
        return None
    if "raised_exception" in info:
        return info.get("exception_message") if info.get("raised_exception") else None
    for value in info.values():
        if isinstance(value, Mapping) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


def _to_pandas(df: pl.DataFrame, ts: TableSchema) -> Any:
    """The frame GX validates: Arrow-backed pandas columns, dates as datetime64 (see GX_TYPES)."""
    frame = df.to_pandas(use_pyarrow_extension_array=True)
    for col in ts.columns:
        if col.type == "date" and col.name in frame.columns and df.schema[col.name] == pl.Date:
            frame[col.name] = frame[col.name].astype("datetime64[ms]")
    return frame


def load_great_expectations() -> None:
    """Import Great Expectations now (seconds), rather than at the first suite."""
    _gx()


_GX_MODULES: tuple[Any, Any] | None = None


def _gx() -> tuple[Any, Any]:
    global _GX_MODULES
    if _GX_MODULES is None:
        # Set before the import: GX reads it when its usage-statistics code loads.
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        import great_expectations as gx
        import great_expectations.expectations as gxe

        gxkwargs.apply(gx)
        _no_frame_fingerprint()
        _GX_MODULES = (gx, gxe)
    _silence_gx_info()
    return _GX_MODULES


def _no_frame_fingerprint() -> None:
    """GX fingerprints each pandas frame it is given (an MD5 over pandas' hash of every row, shown
    as a batch marker in Data Docs) unless the frame holds over a gigabyte. Hashing a text column
    makes a Python string of every value: on the mentions of 9,808 articles a suite of any one
    expectation raised the process by 94 MiB with it and 1 MiB without, and the suites of the
    extract stage of those articles ran in 4.3 s instead of 6.2. The release's manifest already
    identifies each table by the SHA-256 of its exact bytes, so no frame is fingerprinted (GX's
    own threshold, set to nothing)."""
    import great_expectations.execution_engine.pandas_execution_engine as pandas_engine

    pandas_engine.HASH_THRESHOLD = 0


def _silence_gx_info() -> None:
    # GX logs every data-docs page and store write at INFO, and some of its modules pin their own
    # logger to INFO, so lowering the package logger alone is not enough; only problems are news.
    # Only loggers still pinned below WARNING: every setLevel clears the caches of all loggers, and
    # this runs at every suite.
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        if (
            name.startswith("great_expectations.")
            and isinstance(logger, logging.Logger)
            and logging.NOTSET < logger.level < logging.WARNING
        ):
            logger.setLevel(logging.NOTSET)


def _quiet(context: Any) -> None:
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # GX draws a progress bar per validation on stderr; a pipeline log has no use for it.
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
