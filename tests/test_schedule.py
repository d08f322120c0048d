"""The scheduled refresh against a real `prefect server start` on loopback.

A server is started on 127.0.0.1 on a free port with its own temporary PREFECT_HOME; the refresh
is registered with a cron schedule twice over, by `broadsheet serve` and by `prefect deploy` of
prefect.yaml with a process worker; runs are triggered through the API and must publish a
release (then, unchanged, nothing new) into temporary folders built from a copy of seeds/.

The two server tests are slow (a server, a runner, a worker, three pipeline runs: over a minute
on 2 cores), so they carry the `schedule` marker and run with `pytest -m schedule`, which
`.ci/run` runs after the default suite; the check that `serve` refuses to start without a server
runs by default.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.repo import REPO_ROOT, SEEDS_DIR

CRON = "0 6 * * *"
STARTUP_TIMEOUT_S = 180
RUN_TIMEOUT_S = 300


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(home: Path, api_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        GX_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_UI_ENABLED="false",
        PREFECT_LOGGING_LEVEL="INFO",
    )
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def _start(args: list[str], env: dict[str, str], log: Path, cwd: Path = REPO_ROOT) -> subprocess.Popen:
    # A session of its own, so stopping it stops the runs it started too.
    return subprocess.Popen(args, env=env, cwd=cwd, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def _wait_for(check, timeout: float, what: str, process: subprocess.Popen | None = None, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"{what}: the process exited with {process.returncode}:\n{log.read_text()[-4000:] if log else ''}")
        result = check()
        if result:
            return result
        time.sleep(0.5)
    pytest.fail(f"{what}: not within {timeout} s" + (f"\n{log.read_text()[-4000:]}" if log else ""))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real Prefect server on 127.0.0.1: yields its API URL."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    log = home / "server.log"
    process = _start(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        _env(home, None),
        log,
    )

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    try:
        _wait_for(healthy, STARTUP_TIMEOUT_S, "prefect server start", process, log)
        yield url
    finally:
        _stop(process)


@pytest.fixture()
def client(server):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: server}), get_client(sync_client=True) as c:
        yield c


@pytest.fixture()
def workspace(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    return {"sources": [str(seeds)], "dist_dir": str(tmp_path / "dist"), "build_dir": str(tmp_path / "build")}


def _deployment(client, name: str):
    from prefect.exceptions import ObjectNotFound

    try:
        return client.read_deployment_by_name(name)
    except ObjectNotFound:
        return None


def _run_to_completion(client, deployment_id, parameters: dict | None = None, process=None, log=None):
    run = client.create_flow_run_from_deployment(deployment_id, parameters=parameters)

    def final():
        state = client.read_flow_run(run.id).state
        return state if state is not None and state.is_final() else None

    state = _wait_for(final, RUN_TIMEOUT_S, f"flow run {run.id}", process, log)
    assert state.is_completed(), f"{state.type}: {state.message}\n{log.read_text()[-4000:] if log else ''}"
    return run


def _wait_for_log(client, run, text: str) -> str:
    """The logs of `run` and its subflows (everything logged since it was created) once `text` is among them.

    Logs reach the server in batches, after the run's final state, hence the wait.
    """
    from prefect.client.schemas.filters import LogFilter, LogFilterTimestamp

    def logs() -> str | None:
        entries = client.read_logs(LogFilter(timestamp=LogFilterTimestamp(after_=run.created)))
        joined = "\n".join(entry.message for entry in entries)
        return joined if text in joined else None

    return _wait_for(logs, 60, f"log line {text!r}")


def _artifact(client, key: str) -> str:
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])))
    return max(artifacts, key=lambda a: a.created).data


def _releases(dist: str) -> list[str]:
    index = Path(dist) / "index.json"
    return [r["version"] for r in json.loads(index.read_text())["releases"]] if index.exists() else []


def _assert_schedule(deployment) -> None:
    crons = [s.schedule.cron for s in deployment.schedules if hasattr(s.schedule, "cron")]
    assert crons == [CRON]
    assert all(s.active for s in deployment.schedules)
    # Overlapping runs queue: one refresh at a time.
    assert deployment.global_concurrency_limit is not None and deployment.global_concurrency_limit.limit == 1
    assert deployment.concurrency_options.collision_strategy.value == "ENQUEUE"


def test_serve_without_a_server_says_how_to_start_one(capsys):
    # The tests' environment has no PREFECT_API_URL (see conftest.py): only the temporary server.
    from broadsheet.cli import main

    assert main(["serve", "--cron", CRON]) == 2
    err = capsys.readouterr().err
    assert "no Prefect server is configured" in err and "prefect server start" in err and "PREFECT_API_URL" in err


@pytest.mark.flow
@pytest.mark.schedule
def test_broadsheet_serve_registers_the_schedule_and_a_triggered_run_publishes(server, client, workspace, tmp_path):
    log = tmp_path / "serve.log"
    env = _env(tmp_path / "serve-home", server)
    args = [sys.executable, "-m", "broadsheet.cli", "serve", "--cron", CRON, "--name", "test-serve"]
    args += ["--source", workspace["sources"][0], "--out", workspace["dist_dir"], "--build", workspace["build_dir"]]
    process = _start(args, env, log)
    try:
        deployment = _wait_for(
            lambda: _deployment(client, "broadsheet-refresh/test-serve"), STARTUP_TIMEOUT_S, "broadsheet serve", process, log
        )
        _assert_schedule(deployment)

        first = _run_to_completion(client, deployment.id, process=process, log=log)
        released = _releases(workspace["dist_dir"])
        assert len(released) == 1
        latest = json.loads((Path(workspace["dist_dir"]) / "latest.json").read_text())
        assert latest["version"] == released[0]
        assert (Path(workspace["dist_dir"]) / latest["path"] / "manifest.json").is_file()
        n_seeds = len([p for p in SEEDS_DIR.iterdir() if not p.name.startswith("_")])
        _wait_for_log(client, first, f"extract: {n_seeds} documents processed, 0 reused from the cache")
        assert f"Published release `{released[0]}`" in _artifact(client, "broadsheet-run")

        # Nothing changed: the second run stops after ingest (no stage reprocesses anything),
        # publishes nothing, and says so.
        second = _run_to_completion(client, deployment.id, process=process, log=log)
        assert _releases(workspace["dist_dir"]) == released
        logs = _wait_for_log(client, second, f"nothing new: release {released[0]} already holds this content")
        assert f"extract: 0 processed, {n_seeds} reused" in logs
        assert _artifact(client, "broadsheet-run").splitlines()[2].startswith("Nothing new")
    finally:
        _stop(process)


@pytest.mark.flow
@pytest.mark.schedule
def test_prefect_yaml_deploys_the_scheduled_refresh_for_a_process_worker(server, client, workspace, tmp_path):
    env = _env(tmp_path / "deploy-home", server)
    # The README's three commands, from the repository root.
    for command in (["work-pool", "create", "broadsheet", "--type", "process"], ["deploy", "--all"]):
        done = subprocess.run(
            [sys.executable, "-m", "prefect", "--no-prompt", *command],
            env=env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=STARTUP_TIMEOUT_S,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    deployment = _deployment(client, "broadsheet-refresh/scheduled")
    assert deployment is not None and deployment.work_pool_name == "broadsheet"
    _assert_schedule(deployment)

    log = tmp_path / "worker.log"
    worker = _start([sys.executable, "-m", "prefect", "worker", "start", "--pool", "broadsheet", "--type", "process"], env, log)
    try:
        _run_to_completion(client, deployment.id, parameters=workspace, process=worker, log=log)
    finally:
        _stop(worker)
    assert len(_releases(workspace["dist_dir"])) == 1


def _unfinished_runs(client, deployment_id) -> list:
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId, FlowRunFilter

    runs = client.read_flow_runs(
        deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
        flow_run_filter=FlowRunFilter(),
    )
    return [r for r in runs if r.state is None or not r.state.is_final() and not r.state.is_scheduled()]


@pytest.mark.flow
@pytest.mark.schedule
def test_ctrl_c_on_serve_leaves_no_run_running_and_a_restart_resumes_the_schedule(server, client, workspace, tmp_path):
    """Ctrl-C in the middle of a run: the run ends (not RUNNING forever), the schedule is
    paused while nothing serves it, and the next `broadsheet serve` resumes it and publishes."""
    env = _env(tmp_path / "serve-home", server)
    args = [sys.executable, "-m", "broadsheet.cli", "serve", "--cron", CRON, "--name", "test-interrupt"]
    args += ["--source", workspace["sources"][0], "--out", workspace["dist_dir"], "--build", workspace["build_dir"]]
    log = tmp_path / "serve.log"
    process = _start(args, env, log)
    try:
        deployment = _wait_for(
            lambda: _deployment(client, "broadsheet-refresh/test-interrupt"), STARTUP_TIMEOUT_S, "broadsheet serve", process, log
        )
        run = client.create_flow_run_from_deployment(deployment.id)

        def running():
            state = client.read_flow_run(run.id).state
            return state is not None and state.is_running()

        _wait_for(running, RUN_TIMEOUT_S, f"flow run {run.id} running", process, log)
        time.sleep(5)
        # What a terminal does on Ctrl-C: SIGINT to the whole foreground process group.
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=120)
    finally:
        _stop(process)

    state = client.read_flow_run(run.id).state
    # Ended, whichever came first: the run's own report of the interrupt, or `serve` ending it.
    ended_by_serve = state.is_cancelled() and "broadsheet serve" in (state.message or "")
    ended_itself = state.is_crashed() and "interrupt" in (state.message or "")
    assert ended_by_serve or ended_itself, f"{state.type}: {state.message}\n{log.read_text()[-4000:]}"
    assert not _unfinished_runs(client, deployment.id)
    assert client.read_deployment(deployment.id).paused, "a schedule nothing serves must not pile up late runs"
    assert _releases(workspace["dist_dir"]) == []

    # Served again: the schedule is active and a run publishes, the interrupted one's leftovers cleaned.
    log = tmp_path / "serve-again.log"
    process = _start(args, env, log)
    try:
        _wait_for(lambda: not client.read_deployment(deployment.id).paused, STARTUP_TIMEOUT_S, "schedule resumed", process, log)
        _assert_schedule(client.read_deployment(deployment.id))
        _run_to_completion(client, deployment.id, process=process, log=log)
    finally:
        _stop(process)
    assert len(_releases(workspace["dist_dir"])) == 1
    assert not list(Path(workspace["dist_dir"]).glob(".staging-*"))
