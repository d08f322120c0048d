"""One run per build or output folder: a second refuses (exit status 2) or waits; a killed holder frees it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from broadsheet import lock
from broadsheet.cli import main

REPO_ROOT = Path(__file__).resolve().parent.parent


def _holder(*folders: Path, hold_s: float = 60.0) -> subprocess.Popen:
    """Another process holding the locks of `folders` for `hold_s` seconds (or until killed)."""
    script = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        from broadsheet import lock
        *folders, hold_s = sys.argv[1:]
        with lock.hold([Path(f) for f in folders]):
            print("held", flush=True)
            time.sleep(float(hold_s))
        print("released", flush=True)
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, *map(str, folders), str(hold_s)], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout.readline().strip() == "held"
    return child


def test_a_second_holder_is_refused_with_the_folder_and_the_pid(tmp_path):
    child = _holder(tmp_path)
    try:
        with pytest.raises(lock.FolderLocked) as refused, lock.hold([tmp_path]):
            pass
        assert refused.value.holder == child.pid and refused.value.folder == tmp_path.resolve()
        assert str(tmp_path.resolve()) in str(refused.value) and str(child.pid) in str(refused.value)
    finally:
        child.kill()
        child.wait()


def test_a_sigkilled_holder_leaves_no_stale_lock(tmp_path):
    child = _holder(tmp_path)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with lock.hold([tmp_path]):
        assert lock.holds(tmp_path)
    assert not lock.holds(tmp_path)


def test_wait_queues_behind_the_holder_and_says_whom_it_waits_for(tmp_path):
    child = _holder(tmp_path, hold_s=1.0)
    said: list[str] = []
    with lock.hold([tmp_path], wait=True, say=said.append):
        assert child.stdout.readline().strip() == "released"  # it got in only after the holder let go
    child.wait()
    assert said == [f"broadsheet: waiting for {tmp_path.resolve()}, in use by process {child.pid}"]


def test_one_folder_named_twice_is_locked_once_and_nothing_is_held_after_a_refusal(tmp_path):
    free, busy = tmp_path / "free", tmp_path / "busy"
    child = _holder(busy)
    try:
        with lock.hold([free, free / ".." / "free"]):
            assert lock.holds(free)
        with pytest.raises(lock.FolderLocked), lock.hold([free, busy]):
            pass
        assert not lock.holds(free)
    finally:
        child.kill()
        child.wait()


@pytest.mark.parametrize("which", ["out", "build"])
def test_broadsheet_run_refuses_with_status_2_when_another_run_holds_a_folder(tmp_path, capsys, which):
    # Today both runs proceed: they mix their stage outputs in a shared build folder and race on
    # latest.json in a shared output folder.
    out, build = tmp_path / "dist", tmp_path / "build"
    (tmp_path / "articles").mkdir()
    child = _holder(out if which == "out" else build)
    try:
        status = main(["run", "--out", str(out), "--build", str(build), "--source", str(tmp_path / "articles")])
        err = capsys.readouterr().err
    finally:
        child.kill()
        child.wait()
    assert status == 2
    held = (out if which == "out" else build).resolve()
    assert f"{held} is in use by process {child.pid}" in err and "--wait" in err
    assert not (out / "latest.json").exists() and not (build / "ingest").exists()


@pytest.mark.flow
def test_the_scheduled_refresh_does_not_proceed_while_a_manual_run_holds_the_folders(tmp_path):
    from prefect.testing.utilities import prefect_test_harness

    from broadsheet.flows.refresh import refresh_flow

    out, build = tmp_path / "dist", tmp_path / "build"
    child = _holder(out, build)
    try:
        with prefect_test_harness(server_startup_timeout=180):
            state = refresh_flow(sources=[str(tmp_path / "articles")], dist_dir=str(out), build_dir=str(build), return_state=True)
    finally:
        child.kill()
        child.wait()
    assert state.is_failed()
    with pytest.raises(lock.FolderLocked, match=f"in use by process {child.pid}"):
        state.result()
    assert not (build / "ingest").exists() and not (out / "latest.json").exists()
