"""`broadsheet run` starts Prefect's temporary server itself, as it starts, when no server is configured."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.flows import server


def test_a_server_or_profile_named_in_the_environment_is_left_to_prefect(tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    assert not server.configured_elsewhere({"PREFECT_HOME": str(home)})
    assert server.configured_elsewhere({"PREFECT_HOME": str(home), "PREFECT_API_URL": "http://127.0.0.1:4200/api"})
    assert server.configured_elsewhere({"PREFECT_HOME": str(home), "PREFECT_PROFILE": "work"})
    (home / "profiles.toml").write_text('active = "work"\n')
    assert server.configured_elsewhere({"PREFECT_HOME": str(home)})


def test_without_a_temporary_server_the_flows_run_as_prefect_is_configured():
    from broadsheet.cli import prefect_api

    with prefect_api(None):
        pass


@pytest.mark.flow
def test_the_flows_report_to_the_server_the_run_started_and_it_stops_with_the_process(tmp_path: Path):
    import subprocess
    import sys

    # In a process of its own, as a run: Prefect not yet imported, no server configured.
    script = (
        "from prefect import flow, get_client\n"
        "from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY\n"
        "from broadsheet.cli import prefect_api, start_prefect_server\n"
        "temporary = start_prefect_server()\n"
        "@flow\n"
        "def where():\n"
        "    with get_client(sync_client=True) as client:\n"
        "        return client.api_url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value()\n"
        "with prefect_api(temporary):\n"
        "    url, heartbeat = where()\n"
        "print(str(url).rstrip('/') == temporary.api_url, heartbeat, temporary.process.pid)\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("PREFECT_API_URL", "PREFECT_PROFILE")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=env)
    same, heartbeat, pid = done.stdout.split()
    assert (same, heartbeat) == ("True", "None"), done.stdout + done.stderr
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1][:3]
