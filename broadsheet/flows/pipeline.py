"""The whole pipeline, as `broadsheet run` calls it: ingest → clean → extract → validate → release."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from broadsheet import release
from broadsheet.extract.cached import warm_worker
from broadsheet.flows.clean import clean_flow
from broadsheet.flows.dask import dask_cluster
from broadsheet.flows.extract import extract_flow
from broadsheet.flows.ingest import ingest_flow
from broadsheet.flows.release import release_flow
from broadsheet.flows.validate import check_stage, validate_flow
from broadsheet.release import unchanged
from broadsheet.report import RunSummary, failed_report_markdown, run_report_markdown, summarize, work_line
from broadsheet.stageio import StageValidationError
from broadsheet.workers import kept_pools


@flow(name="broadsheet")
def broadsheet_flow(
    sources: list[str],
    dist_dir: str,
    build_dir: str,
    use_cache: bool = True,
    workers: int = 1,
    dask_scheduler: str | None = None,
) -> RunSummary:
    """`use_cache`: reuse the per-document results of earlier runs under `build_dir` (see broadsheet.refresh);
    `workers`: the processes that clean and extract documents at once (the release does not depend on it);
    `dask_scheduler`: run that work as tasks on the Dask cluster at this address instead, or on a
    local cluster of `workers` processes for "local" (broadsheet.flows.dask)."""
    try:
        if dask_scheduler is None:
            return _build(sources, dist_dir, build_dir, use_cache, workers)
        with dask_cluster(dask_scheduler, workers) as cluster:
            return _build(sources, dist_dir, build_dir, use_cache, cluster.workers)
    except StageValidationError as exc:
        # The run fails as before; its artifact says why, as the terminal does.
        create_markdown_artifact(
            markdown=failed_report_markdown(exc.report), key="broadsheet-run", description="Why this run published nothing"
        )
        raise


def _build(sources: list[str], dist_dir: str, build_dir: str, use_cache: bool, workers: int) -> RunSummary:
    logger = get_run_logger()
    ingested = ingest_flow(sources, build_dir, dist_dir, check=False, use_cache=use_cache)
    # What the content depends on is known now: when a build of it gave the latest release (and
    # that release is intact), the rest of the run could only say so, at a cost close to a build's.
    # The ingest suite is not run either: these very files passed it in the run that was recorded,
    # and the suites' code is part of the digest. `--no-cache` asks for every document to be
    # processed again, so it never stops here.
    inputs = unchanged.inputs_digest(ingested)
    current = unchanged.unchanged_release(Path(build_dir), Path(dist_dir), inputs) if use_cache else None
    if current is not None:
        logger.info("nothing new: release %s already holds this content; nothing published", current)
        return _report(unchanged.unchanged_summary(ingested.files["ingested"].rows, Path(dist_dir), current))
    ingested = check_stage(ingested, build_dir)
    # The clean stage's worker processes go on to the extract stage, loading its model while the
    # clean stage is finished and checked here.
    with kept_pools(warm=warm_worker):
        cleaned = clean_flow(ingested, build_dir, use_cache, dist_dir, workers)
        if cleaned.files["documents"].rows == 0:
            logger.warning("no source became a document; nothing to publish")
            return _report(summarize([ingested, cleaned], status="empty", version=None, path=None))
        extracted = extract_flow(cleaned, build_dir, dist_dir, use_cache, workers)
    outputs = [ingested, cleaned, extracted]

    current = release.current_version(outputs, dist_dir)
    if current is not None:
        logger.info("nothing new: release %s already holds this content; nothing published", current)
        if use_cache:
            unchanged.remember(Path(build_dir), Path(dist_dir), inputs)
        return _report(summarize(outputs, status="unchanged", version=current, path=None))

    candidate, report = validate_flow(outputs, dist_dir, build_dir)
    path = release_flow(candidate, report, dist_dir)
    logger.info("published release %s to %s", candidate.version, path)
    if use_cache:
        unchanged.remember(Path(build_dir), Path(dist_dir), inputs)
    warnings = release.row_drop_warnings(path)
    for warning in warnings:
        logger.warning("rows dropped: %s", warning)
    return _report(summarize(outputs, status="published", version=candidate.version, path=path, warnings=warnings))


def _report(summary: RunSummary) -> RunSummary:
    """Log the documents processed and reused, and leave the run's summary as a Prefect artifact."""
    get_run_logger().info(
        "%s; %d documents, %d rejected inputs", work_line(summary.work), summary.n_documents, len(summary.rejects)
    )
    create_markdown_artifact(
        markdown=run_report_markdown(summary), key="broadsheet-run", description="What this run processed and published"
    )
    return summary
