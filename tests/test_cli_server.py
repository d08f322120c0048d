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


def _schema_and_rows(path: Path) -> tuple[list, dict]:
    """A SQLite database's tables, indexes and triggers, each statement's clauses sorted (the order
    of a table's foreign keys differs between two of Prefect's own migrations), and every row."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        objects = connection.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
        schema = sorted(
            (kind, name, table, tuple(sorted(line.strip().rstrip(",") for line in (sql or "").splitlines())))
            for kind, name, table, sql in objects
        )
        rows = {
            name: sorted(map(repr, connection.execute(f'SELECT * FROM "{name}"').fetchall()))
            for kind, name, *_ in objects
            if kind == "table"
        }
    finally:
        connection.close()
    return schema, rows


@pytest.mark.flow
def test_a_new_database_made_by_the_server_process_is_the_one_prefect_makes(tmp_path: Path):
    import os
    import subprocess
    import sys

    prefects_own = (
        "import asyncio\n"
        "from prefect.server.database import provide_database_interface\n"
        "asyncio.run(provide_database_interface().create_db())\n"
    )
    ours = (
        "from broadsheet.flows.server_process import create_database, new_sqlite_database\n"
        "print(create_database(new_sqlite_database()))\n"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    for home, script in (("prefect", prefects_own), ("ours", ours)):
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            timeout=300,
            env={**environment, "PREFECT_HOME": str(tmp_path / home)},
        )
        assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
    made, expected = _schema_and_rows(tmp_path / "ours" / "prefect.db"), _schema_and_rows(tmp_path / "prefect" / "prefect.db")
    assert len(made[0]) > 100
    assert made == expected
    assert [p.name for p in (tmp_path / "ours").iterdir() if p.name.startswith(".")] == []


def test_an_existing_or_non_sqlite_database_is_left_to_prefect(tmp_path: Path):
    from broadsheet.flows.server_process import sqlite_file_to_create

    url = f"sqlite+aiosqlite:///{tmp_path / 'prefect.db'}"
    assert sqlite_file_to_create(url) == tmp_path / "prefect.db"
    assert sqlite_file_to_create(url, migrate_on_start=False) is None
    (tmp_path / "prefect.db").write_bytes(b"")
    assert sqlite_file_to_create(url) is None
    assert sqlite_file_to_create("postgresql+asyncpg://u:p@localhost:5432/prefect") is None
    assert sqlite_file_to_create("sqlite+aiosqlite:///:memory:") is None
    assert sqlite_file_to_create("sqlite+aiosqlite:///file:prefect?mode=memory&cache=shared&uri=true") is None
    assert sqlite_file_to_create(None) is None


def test_a_failed_creation_leaves_no_file_behind(tmp_path: Path, monkeypatch, capsys):
    from broadsheet.flows import server_process

    def half_made(path: Path) -> None:
        path.write_bytes(b"partial")
        raise RuntimeError("disk full")

    monkeypatch.setattr(server_process, "migrate", half_made)
    assert server_process.create_database(tmp_path / "home" / "prefect.db") is False
    assert list((tmp_path / "home").iterdir()) == []
    assert "left to Prefect's start-up: disk full" in capsys.readouterr().err


def test_a_database_another_server_made_meanwhile_is_kept_and_used(tmp_path: Path, monkeypatch, capsys):
    from broadsheet.flows import server_process

    target = tmp_path / "prefect.db"

    def made_elsewhere_meanwhile(path: Path) -> None:
        path.write_bytes(b"ours")
        target.write_bytes(b"theirs")

    monkeypatch.setattr(server_process, "migrate", made_elsewhere_meanwhile)
    assert server_process.create_database(target) is False
    assert target.read_bytes() == b"theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["prefect.db"]
    assert capsys.readouterr().err == ""
