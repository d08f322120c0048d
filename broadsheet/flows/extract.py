"""Extract: entities, claims and dates from every document, as spans into its text."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task

from broadsheet.extract.stage import extract_stage
from broadsheet.flows.validate import check_stage
from broadsheet.stageio import StageOutput


@task(name="extract-rows")
def extract(
    cleaned: StageOutput, build_dir: str, dist_dir: str | None = None, use_cache: bool = True, workers: int = 1
) -> StageOutput:
    extracted = extract_stage(
        cleaned, Path(build_dir), Path(dist_dir) if dist_dir else None, use_cache=use_cache, workers=workers
    )
    rows = {name: info.rows for name, info in extracted.files.items()}
    get_run_logger().info(
        "extract: %d documents processed, %d reused from the cache; %d entities, %d mentions, %d claims, %d dates",
        extracted.work.get("processed", 0),
        extracted.work.get("reused", 0),
        rows["entities"],
        rows["entity_mentions"],
        rows["claims"],
        rows["dates"],
    )
    return extracted


@flow(name="extract")
def extract_flow(
    cleaned: StageOutput, build_dir: str, dist_dir: str | None = None, use_cache: bool = True, workers: int = 1
) -> StageOutput:
    """`dist_dir`: the release folder whose latest entities keep their ids in this build; `workers`:
    the processes that extract from documents at once."""
    extracted = extract(cleaned, build_dir, dist_dir, use_cache, workers)
    return check_stage(extracted, build_dir, documents_from=cleaned)
