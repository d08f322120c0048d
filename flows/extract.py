"""Extract: entities, claims and dates from every document, as spans into its text."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task

from broadsheet import stages
from broadsheet.stages import StageOutput
from flows.validate import check_stage


@task(name="extract-rows")
def extract(cleaned: StageOutput, build_dir: str) -> StageOutput:
    return stages.extract_stage(cleaned, Path(build_dir))


@flow(name="extract")
def extract_flow(cleaned: StageOutput, build_dir: str) -> StageOutput:
    extracted = extract(cleaned, build_dir)
    return check_stage(extracted, build_dir, documents_from=cleaned)
