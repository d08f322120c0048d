"""The whole pipeline, as `broadsheet run` calls it: ingest → clean → extract → validate → release."""

from __future__ import annotations

from prefect import flow, get_run_logger

from broadsheet import release
from broadsheet.stages import RunSummary, summarize
from flows.clean import clean_flow
from flows.extract import extract_flow
from flows.ingest import ingest_flow
from flows.release import release_flow
from flows.validate import validate_flow


@flow(name="broadsheet")
def broadsheet_flow(sources: list[str], dist_dir: str, build_dir: str) -> RunSummary:
    ingested = ingest_flow(sources, build_dir)
    cleaned = clean_flow(ingested, build_dir)
    if cleaned.files["documents"].rows == 0:
        get_run_logger().warning("no source became a document; nothing to publish")
        return summarize([ingested, cleaned], status="empty", version=None, path=None)
    extracted = extract_flow(cleaned, build_dir)
    outputs = [ingested, cleaned, extracted]

    current = release.current_version(outputs, dist_dir)
    if current is not None:
        get_run_logger().info("release %s already holds this content; nothing published", current)
        return summarize(outputs, status="unchanged", version=current, path=None)

    candidate, report = validate_flow(outputs, dist_dir, build_dir)
    path = release_flow(candidate, report, dist_dir)
    return summarize(outputs, status="published", version=candidate.version, path=path)
