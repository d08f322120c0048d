"""Refresh: the whole pipeline over the configured sources, for schedules and deployments.

Every parameter is optional so a scheduled run needs none: the sources default to those of a
plain `broadsheet run` (./sources.yaml if there is one, else seeds/), the releases to dist/ and
the stage outputs (and the per-document cache that makes a refresh incremental) to build/. Relative paths are resolved against the working
directory of the process that runs the flow (the repository root, for the deployment in
prefect.yaml).
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

from prefect import flow, get_run_logger

from broadsheet import lock, release
from broadsheet.flows.pipeline import broadsheet_flow
from broadsheet.ingest.objectstore import as_source, is_url
from broadsheet.paths import default_build_dir, default_dist_dir
from broadsheet.report import RunSummary

DEFAULT_CRON = "0 6 * * *"
DEPLOYMENT_NAME = "scheduled"
# After Ctrl-C, how long the runs this process started get to report their own end (their
# processes got the same interrupt) before `serve` ends them itself.
SHUTDOWN_GRACE_S = 30
STOPPED_MESSAGE = "stopped by Ctrl-C (or SIGTERM) on `broadsheet serve`, which was running it"


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
    processes that clean and extract documents at once (default: every core; the release is the same)."""
    from broadsheet.ingest.sourcefile import default_sources

    logger = get_run_logger()
    dist = Path(dist_dir or default_dist_dir()).resolve()
    build = Path(build_dir or default_build_dir()).resolve()
    chosen = list(sources) if sources else [str(s) for s in default_sources()]
    # The same locks as `broadsheet run`, so a scheduled and a manual run never both proceed.
    with lock.hold([dist, build], wait=wait_for_lock, say=logger.warning):
        release.recover(dist, say=logger.warning)
        from broadsheet.workers import available_cores

        return broadsheet_flow(sources=chosen, dist_dir=str(dist), build_dir=str(build), workers=workers or available_cores())


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
        # A storage URL is the same wherever the server runs; a local path is made absolute.
        "sources": [s if is_url(s) else str(Path(as_source(s)).resolve()) for s in sources] if sources else None,
        "dist_dir": str(Path(dist_dir).resolve()) if dist_dir else None,
        "build_dir": str(Path(build_dir).resolve()) if build_dir else None,
        "workers": workers,
    }
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    deployment = refresh_flow.to_deployment(
        name=name,
        cron=cron,
        # Served again after a stop (which pauses the schedule, below): the schedule resumes.
        paused=False,
        # One refresh at a time: a run due while another is running waits for it, instead of
        # failing on the project's folder lock (which still keeps a manual `broadsheet run` apart).
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE),
        parameters={k: v for k, v in parameters.items() if v is not None},
        description="broadsheet refresh: re-process new or changed articles and publish a release when the content changed",
        tags=["broadsheet"],
        # By module, not file: each run starts in a new process that imports the installed package.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    # `prefect.serve` of a deployment, not `refresh_flow.serve()`: the latter hands the runs an
    # in-memory flow that Prefect pickles by value together with this package's modules, and
    # the copies no longer resolve the flows' type annotations (`StageOutput`).
    # On Ctrl-C it pauses the schedule (runs due while nothing serves them would pile up as late
    # ones) and returns; the run in progress is left to report its own end, which it does not
    # always manage before it is killed, so `end_interrupted_runs` sees to it.
    serve_deployments(deployment)
    end_interrupted_runs(f"{refresh_flow.name}/{name}")


def end_interrupted_runs(deployment_name: str, grace_s: float = SHUTDOWN_GRACE_S) -> list[str]:
    """After `serve` stopped: no run of the deployment is left RUNNING on the server.

    The runs this process started are its child processes; they are given `grace_s` to end and
    report, then killed, and whatever run of the deployment the server still holds as pending or
    running is set Cancelled with a message saying why. The project's folder locks go with the
    processes (flock), and the next run clears a half-published release. Returns the ids ended.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.states import Cancelled

    unfinished = FlowRunFilter(
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.RUNNING, StateType.PENDING, StateType.CANCELLING]))
    )
    with get_client(sync_client=True) as client:
        deployments = DeploymentFilter(id=DeploymentFilterId(any_=[client.read_deployment_by_name(deployment_name).id]))

        def still_running() -> list:
            return client.read_flow_runs(flow_run_filter=unfinished, deployment_filter=deployments)

        deadline = time.monotonic() + grace_s
        while still_running() and _children() and time.monotonic() < deadline:
            time.sleep(0.5)
        for pid in _children():
            with contextlib.suppress(ProcessLookupError, FileNotFoundError):
                os.kill(pid, signal.SIGKILL)
        ended = []
        for run in still_running():
            client.set_flow_run_state(run.id, Cancelled(message=STOPPED_MESSAGE), force=True)
            ended.append(str(run.id))
        return ended


def _children() -> list[int]:
    """The live child processes of this one (Linux's /proc; elsewhere none are known)."""
    me, found = os.getpid(), []
    for task in Path(f"/proc/{me}/task").glob("*/children"):
        with contextlib.suppress(ProcessLookupError, FileNotFoundError):
            found += [int(pid) for pid in task.read_text().split()]
    return [pid for pid in found if _alive(pid)]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
