"""The validate stage: each stage's tables against its suite, and the release candidate against the
release suite, before anything is published.

Load a stage's tables (or the candidate's re-read Parquet files); run the suites generated from
`schemas/` (`broadsheet.validate.suites`); save the results and Data Docs under
`<build>/reports/`. A failure raises `StageValidationError`, so the next stage never reads a
table that failed and a candidate that failed is discarded, never published.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from broadsheet.paths import BuildLayout
from broadsheet.release.candidate import Candidate
from broadsheet.release.stage import discard, read_candidate
from broadsheet.schema import load_schemas
from broadsheet.stageio import StageOutput, StageValidationError, audit_tables
from broadsheet.tableio import TablesOnDisk, read_table
from broadsheet.validate.suites import ValidationReport, validate_stage


def check_stage(output: StageOutput, build_dir: Path, documents_from: StageOutput | None = None) -> ValidationReport:
    """Run the stage's suite on what it wrote; raises `StageValidationError` when it fails.

    Spans and document keys are checked against the documents table of `documents_from` (or of
    the stage itself), so a stage is refused as soon as it writes an offset that does not match.
    """
    schemas = load_schemas()
    # Each table read when the suite comes to it or a check of another table needs its columns,
    # not all of the stage's held for the whole suite (over 24,520 articles the extract stage's
    # suite raised the process by about 520 MiB holding them).
    tables = TablesOnDisk({name: output.path(name) for name in output.files}, schemas)
    holder = documents_from or output
    documents = read_table(holder.path("documents"), schemas["documents"]) if "documents" in holder.files else None
    report = validate_stage(
        output.stage,
        tables,
        schemas,
        BuildLayout(Path(build_dir)).reports(output.stage),
        documents=documents,
        cross_table=documents is not None,
        data_docs=False,
    )
    if not report.success:
        raise StageValidationError(report)
    return report


def validate_candidate(candidate: Candidate, build_dir: Path, outputs: Sequence[StageOutput] = ()) -> ValidationReport:
    """The release suite, cross-table checks included, over the re-read Parquet files, held
    against what the stages recorded (`audit_tables`: every document extracted or rejected, none
    of its rows lost on the way). A candidate that fails is discarded and `StageValidationError`
    raised."""
    schemas = load_schemas()
    report = validate_stage(
        "release",
        # Lazily: each release table is read when a check needs it, not all held for the suite.
        read_candidate(candidate, held=audit_tables(list(outputs), schemas)),
        schemas,
        BuildLayout(Path(build_dir)).reports("release", candidate.version),
        cross_table=True,
        data_docs=True,
    )
    if not report.success:
        discard(candidate)
        raise StageValidationError(report)
    return report
