"""Ingest: read every source (file or folder) into article records; list what cannot be read."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task

from broadsheet import stages
from broadsheet.stages import StageOutput
from flows.validate import check_stage


@task(name="read-sources")
def read_sources(sources: list[str], build_dir: str) -> StageOutput:
    return stages.ingest_stage(sources, Path(build_dir))


@flow(name="ingest")
def ingest_flow(sources: list[str], build_dir: str) -> StageOutput:
    ingested = read_sources(sources, build_dir)
    return check_stage(ingested, build_dir)
