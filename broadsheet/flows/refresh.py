"""Refresh: the whole pipeline over the configured sources, for schedules and deployments.

Every parameter is optional so a scheduled run needs none: the sources default to those of a
plain `broadsheet run` (./sources.yaml if there is one, else seeds/), the releases to dist/ and
the stage outputs (and the per-document cache that makes a refresh incremental) to build/. Relative paths are resolved against the working
directory of the process that runs the flow (the repository root, for the deployment in
prefect.yaml).
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger

from broadsheet import lock, release
from broadsheet.flows.pipeline import broadsheet_flow
from broadsheet.paths import default_build_dir, default_dist_dir
from broadsheet.report import RunSummary

DEFAULT_CRON = "0 6 * * *"
DEPLOYMENT_NAME = "scheduled"


@flow(name="broadsheet-refresh")
def refresh_flow(
    sources: list[str] | None = None,
    dist_dir: str | None = None,
    build_dir: str | None = None,
    wait_for_lock: bool = False,
    workers: int | None = None,
) -> RunSummary:
    """`wait_for_lock`: queue behind a run (a manual `broadsheet run`, say) that holds either folder,
    instead of failing at once with a message naming the folder and its holder. `workers`: the
    processes that clean and extract documents at once (default: one, the reproducible build)."""
    from broadsheet.ingest.sourcefile import default_sources

    logger = get_run_logger()
    dist = Path(dist_dir or default_dist_dir()).resolve()
    build = Path(build_dir or default_build_dir()).resolve()
    chosen = list(sources) if sources else [str(s) for s in default_sources()]
    # The same locks as `broadsheet run`, so a scheduled and a manual run never both proceed.
    with lock.hold([dist, build], wait=wait_for_lock, say=logger.warning):
        release.recover(dist, say=logger.warning)
        return broadsheet_flow(sources=chosen, dist_dir=str(dist), build_dir=str(build), workers=workers or 1)


class NoServerError(RuntimeError):
    pass


def require_server() -> str:
    """The configured Prefect API URL, checked to answer; a schedule needs a real server."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        raise NoServerError(
            "no Prefect server is configured, and Prefect's temporary server cannot run schedules.\n"
            "Start one with `prefect server start`, then point broadsheet at it:\n"
            "  export PREFECT_API_URL=http://127.0.0.1:4200/api\n"
            "(or `prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api`)"
        )
    with get_client(sync_client=True) as client:
        error = client.api_healthcheck()
    if error is not None:
        raise NoServerError(
            f"the Prefect server at {url} does not answer ({type(error).__name__}: {error}); is `prefect server start` running?"
        )
    return url


def serve(
    cron: str = DEFAULT_CRON,
    sources: list[str] | None = None,
    dist_dir: str | None = None,
    build_dir: str | None = None,
    name: str = DEPLOYMENT_NAME,
    workers: int | None = None,
) -> None:
    """Register the refresh as a deployment with a cron schedule and run its runs here until stopped."""
    from prefect import serve as serve_deployments
    from prefect.deployments.runner import EntrypointType

    parameters = {
        "sources": [str(Path(s).resolve()) for s in sources] if sources else None,
        "dist_dir": str(Path(dist_dir).resolve()) if dist_dir else None,
        "build_dir": str(Path(build_dir).resolve()) if build_dir else None,
        "workers": workers,
    }
    deployment = refresh_flow.to_deployment(
        name=name,
        cron=cron,
        parameters={k: v for k, v in parameters.items() if v is not None},
        description="broadsheet refresh: re-process new or changed articles and publish a release when the content changed",
        tags=["broadsheet"],
        # By module, not file: each run starts in a new process that imports the installed package.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    # `prefect.serve` of a deployment, not `refresh_flow.serve()`: the latter hands the runs an
    # in-memory flow that Prefect pickles by value together with this package's modules, and
    # the copies no longer resolve the flows' type annotations (`StageOutput`).
    serve_deployments(deployment)
