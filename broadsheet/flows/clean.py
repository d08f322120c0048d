"""Clean: strip scraping debris, turn bylines and date lines into metadata, build the documents table."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task

from broadsheet.clean.stage import clean_stage
from broadsheet.flows.validate import check_stage
from broadsheet.stageio import StageOutput


@task(name="clean-documents")
def clean_documents(
    ingested: StageOutput, build_dir: str, use_cache: bool = True, dist_dir: str | None = None, workers: int = 1
) -> StageOutput:
    cleaned = clean_stage(
        ingested, Path(build_dir), use_cache=use_cache, dist_dir=Path(dist_dir) if dist_dir else None, workers=workers
    )
    get_run_logger().info(
        "clean: %d documents (%d processed, %d reused from the cache)",
        cleaned.files["documents"].rows,
        cleaned.work.get("processed", 0),
        cleaned.work.get("reused", 0),
    )
    return cleaned


@flow(name="clean")
def clean_flow(
    ingested: StageOutput, build_dir: str, use_cache: bool = True, dist_dir: str | None = None, workers: int = 1
) -> StageOutput:
    """`dist_dir`: the release folder whose latest documents win over identical copies; `workers`:
    the processes that clean records at once."""
    cleaned = clean_documents(ingested, build_dir, use_cache, dist_dir, workers)
    return check_stage(cleaned, build_dir)
