"""Validate: each stage's Great Expectations suite, and the release candidate's full suite."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task

from broadsheet.release.candidate import Candidate
from broadsheet.release.stage import assemble
from broadsheet.stageio import StageOutput
from broadsheet.validate import stage


@task(name="check-stage")
def check_stage(output: StageOutput, build_dir: str, documents_from: StageOutput | None = None) -> StageOutput:
    """The next stage reads `output` only if its suite passes (`broadsheet.validate.stage.check_stage`)."""
    report = stage.check_stage(output, Path(build_dir), documents_from)
    get_run_logger().info("%s: %d expectations passed", output.stage, report.n_expectations)
    return output


@task(name="assemble-candidate")
def assemble_candidate(outputs: list[StageOutput], dist_dir: str) -> Candidate:
    return assemble(outputs, Path(dist_dir))


@task(name="validate-candidate")
def validate_candidate(candidate: Candidate, build_dir: str, outputs: list[StageOutput] | None = None):
    return stage.validate_candidate(candidate, Path(build_dir), outputs or [])


@flow(name="validate")
def validate_flow(outputs: list[StageOutput], dist_dir: str, build_dir: str):
    """Assemble the release candidate in a staging folder and validate it; returns (candidate, report)."""
    candidate = assemble_candidate(outputs, dist_dir)
    report = validate_candidate(candidate, build_dir, outputs)
    return candidate, report
