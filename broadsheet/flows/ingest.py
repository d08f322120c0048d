"""Ingest: read every source (files, folders, sources files with URLs, feeds and WARCs) into article records; list what cannot be read."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from broadsheet.flows.validate import check_stage
from broadsheet.ingest import readlog
from broadsheet.ingest.fetch import ARTICLE_POLICY, Fetched, FetchError, FetchFailure, FetchPolicy, fetch_or_failure
from broadsheet.ingest.stage import ingest_stage
from broadsheet.paths import BuildLayout
from broadsheet.stageio import StageOutput

# Three more tries, backing off, for what may pass: timeouts, connection and DNS errors, 429 and 5xx.
FETCH_RETRIES = 3
FETCH_RETRY_DELAYS_S = [2, 10, 30]


def _transient(task, task_run, state) -> bool:
    """Retry only a transient fetch failure; anything else raised is a fault that a retry would repeat."""
    error = state.data if isinstance(state.data, BaseException) else state.result(raise_on_failure=False)
    return isinstance(error, FetchError) and error.transient


# Not cached: every run asks the server again (conditionally), which is how a changed page is seen.
@task(
    name="fetch-url",
    retries=FETCH_RETRIES,
    retry_delay_seconds=FETCH_RETRY_DELAYS_S,
    retry_condition_fn=_transient,
    cache_policy=NO_CACHE,
)
def fetch_url(url: str, cache_dir: str, policy: FetchPolicy = ARTICLE_POLICY) -> Fetched | FetchFailure:
    return fetch_or_failure(url, cache_dir, policy)


@task(name="read-sources")
def read_sources(sources: list[str], build_dir: str, dist_dir: str | None = None, use_cache: bool = True) -> StageOutput:
    # The read log is a cache entry: with use_cache False it is neither read nor written.
    read_log = BuildLayout(Path(build_dir)).cache / readlog.FILE if use_cache else None
    dist = Path(dist_dir) if dist_dir else None
    return ingest_stage(sources, Path(build_dir), fetcher=fetch_url, dist_dir=dist, read_log=read_log)


@flow(name="ingest")
def ingest_flow(
    sources: list[str], build_dir: str, dist_dir: str | None = None, check: bool = True, use_cache: bool = True
) -> StageOutput:
    """`dist_dir`: the release folder whose latest documents keep their ids against newcomers;
    `check`: run the stage's suite here (the pipeline runs it itself, only when it goes on to build);
    `use_cache`: log what was read for the next run's check (broadsheet.ingest.readlog)."""
    ingested = read_sources(sources, build_dir, dist_dir, use_cache)
    return check_stage(ingested, build_dir) if check else ingested
