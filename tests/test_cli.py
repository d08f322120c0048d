import pytest

from broadsheet.cli import EVALUATIONS, main


@pytest.mark.parametrize("extractor", sorted(EVALUATIONS))
def test_evaluations_say_so_when_the_corpora_are_absent(tmp_path, capsys, extractor):
    # Skipping cleanly: no traceback, and a message naming where it looked.
    main(["evaluate", extractor, "--corpora", str(tmp_path / "missing")])
    captured = capsys.readouterr()
    assert "missing" in (captured.out + captured.err)


def test_unknown_commands_are_refused():
    with pytest.raises(SystemExit):
        main(["evaluate", "nope"])
    with pytest.raises(SystemExit):
        main(["publish-everything"])


def test_run_sets_a_tampered_latest_release_aside_and_builds_against_a_sound_one(tmp_path, monkeypatch, capsys):
    # Today `run` compared only the manifest's data digest, so a latest release whose Parquet was
    # changed on disk was "already holding this content". The flow itself is replaced here: what
    # is tested is what `run` does around it (the lock, recovery, and what it says).
    from pathlib import Path

    import synthetic_releases as synth

    import broadsheet.flows.pipeline
    from broadsheet import release
    from broadsheet.download import verify_release
    from broadsheet.report import RunSummary

    dist, build = tmp_path / "dist", tmp_path / "build"
    synth.publish(dist, n=1)
    tampered = synth.publish(dist, n=2, digest=synth.DIGEST)
    table = tampered / "rejects.parquet"
    data = bytearray(table.read_bytes())
    data[200] ^= 0x01
    table.write_bytes(bytes(data))
    seen = {}

    def flow(sources, dist_dir, build_dir, use_cache=True, workers=1, dask_scheduler=None):
        seen["unchanged"] = release.current_version([], Path(dist_dir))
        seen["latest"] = release.latest(Path(dist_dir))["version"]
        path = synth.publish(Path(dist_dir), n=2, digest=synth.DIGEST)
        return RunSummary("published", path.name, str(path), 0, (), {})

    monkeypatch.setattr(broadsheet.flows.pipeline, "broadsheet_flow", flow)
    monkeypatch.setattr("broadsheet.cli.start_prefect_server", lambda: None)  # no flow runs: no server needed
    assert main(["run", "--out", str(dist), "--build", str(build), "--source", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    (aside,) = [p for p in dist.iterdir() if p.name.startswith(".damaged-")]
    assert f"the latest release {tampered.name} does not match" in err and aside.name in err
    assert seen == {"unchanged": None, "latest": synth.version_of(1)}
    assert (aside / "rejects.parquet").read_bytes() == bytes(data)  # the evidence is kept
    verify_release(tampered)  # and the release is whole again, under its own version
    assert release.latest(dist)["version"] == tampered.name


def test_run_says_when_a_table_lost_more_rows_than_the_dataset_declares(tmp_path, monkeypatch, capsys):
    import json

    import broadsheet.flows.pipeline
    from broadsheet import release
    from broadsheet.report import RunSummary

    published = tmp_path / "dist" / "2026.01.02-bbbbbbbb"
    published.mkdir(parents=True)
    table = {"status": "changed", "added": {"count": 0}, "changed": {"count": 0}}
    (published / "diff.json").write_text(
        json.dumps(
            {
                "old_version": "2026.01.01-aaaaaaaa",
                "tables": {
                    "documents": {**table, "rows_old": 200, "rows_new": 20, "removed": {"count": 180}},
                    "claims": {**table, "rows_old": 10, "rows_new": 9, "removed": {"count": 1}},
                },
            }
        )
    )
    warnings = release.row_drop_warnings(published)
    assert len(warnings) == 1 and warnings[0].startswith("documents fell from 200 to 20 rows (90% fewer)")

    def flow(sources, dist_dir, build_dir, use_cache=True, workers=1, dask_scheduler=None):
        return RunSummary("published", published.name, str(published), 20, (), {}, tuple(warnings))

    monkeypatch.setattr(broadsheet.flows.pipeline, "broadsheet_flow", flow)
    monkeypatch.setattr("broadsheet.cli.start_prefect_server", lambda: None)  # no flow runs: no server needed
    assert main(["run", "--out", str(tmp_path / "dist"), "--build", str(tmp_path / "build"), "--source", str(tmp_path)]) == 0
    assert "broadsheet: warning: documents fell from 200 to 20 rows" in capsys.readouterr().err


def test_the_command_ends_after_its_exit_handlers_with_its_status_and_all_its_output():
    import subprocess
    import sys

    script = (
        "import atexit\n"
        "atexit.register(print, 'handler ran')\n"
        "from broadsheet.cli import leave\n"
        "print('x' * 100000, end='')\n"
        "leave(4)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 4, done.stderr
    assert done.stdout == "x" * 100000 + "handler ran\n"
    done = subprocess.run(
        [sys.executable, "-c", "from broadsheet.cli import entry; entry()", "verify", "no-such-release"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "no such release" in done.stderr


def test_while_a_thread_python_waits_for_runs_the_exit_is_pythons_own():
    import threading

    from broadsheet.cli import leave

    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        with pytest.raises(SystemExit) as exited:
            leave(3)
        assert exited.value.code == 3
    finally:
        release.set()
        waiting.join()
