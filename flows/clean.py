"""Clean: strip scraping debris, turn bylines and date lines into metadata, build the documents table."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task

from broadsheet import stages
from broadsheet.stages import StageOutput
from flows.validate import check_stage


@task(name="clean-documents")
def clean_documents(ingested: StageOutput, build_dir: str) -> StageOutput:
    return stages.clean_stage(ingested, Path(build_dir))


@flow(name="clean")
def clean_flow(ingested: StageOutput, build_dir: str) -> StageOutput:
    cleaned = clean_documents(ingested, build_dir)
    return check_stage(cleaned, build_dir)
