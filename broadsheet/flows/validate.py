"""Validate: each stage's Great Expectations suite, and the release candidate's full suite."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task

from broadsheet import release, stages
from broadsheet.schema import load_schemas
from broadsheet.stages import StageOutput, StageValidationError
from broadsheet.validation import validate_stage


@task(name="check-stage")
def check_stage(output: StageOutput, build_dir: str, documents_from: StageOutput | None = None) -> StageOutput:
    """Run the stage's suite on what it wrote; the next stage reads it only if this passes.

    Spans and document keys are checked against the documents table of `documents_from` (or of
    the stage itself), so a stage is refused as soon as it writes an offset that does not match.
    """
    schemas = load_schemas()
    tables = stages.load_tables(output, schemas)
    holder = documents_from or output
    documents = stages.load_tables(holder, schemas)["documents"] if "documents" in holder.files else None
    report = validate_stage(
        output.stage,
        tables,
        schemas,
        Path(build_dir) / "reports" / output.stage,
        documents=documents,
        cross_table=documents is not None,
        data_docs=False,
    )
    if not report.success:
        raise StageValidationError(report)
    get_run_logger().info("%s: %d expectations passed", output.stage, report.n_expectations)
    return output


@task(name="assemble-candidate")
def assemble_candidate(outputs: list[StageOutput], dist_dir: str) -> release.Candidate:
    return release.assemble(outputs, Path(dist_dir))


@task(name="validate-candidate")
def validate_candidate(candidate: release.Candidate, build_dir: str, outputs: list[StageOutput] | None = None):
    """The release suite, cross-table checks included, over the re-read Parquet files, held
    against what the stages recorded (`stages.audit_tables`: every document extracted or
    rejected, none of its rows lost on the way)."""
    schemas = load_schemas()
    report = validate_stage(
        "release",
        {**release.read_candidate(candidate), **stages.audit_tables(outputs or [], schemas)},
        schemas,
        Path(build_dir) / "reports" / "release" / candidate.version,
        cross_table=True,
        data_docs=True,
    )
    if not report.success:
        release.discard(candidate)
        raise StageValidationError(report)
    return report


@flow(name="validate")
def validate_flow(outputs: list[StageOutput], dist_dir: str, build_dir: str):
    """Assemble the release candidate in a staging folder and validate it; returns (candidate, report)."""
    candidate = assemble_candidate(outputs, dist_dir)
    report = validate_candidate(candidate, build_dir, outputs)
    return candidate, report
