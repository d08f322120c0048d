"""`broadsheet run --dask-scheduler local`: the per-document work as Prefect tasks on a local Dask
cluster of worker processes publishes the release a one-process build publishes, byte for byte."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from broadsheet import workers
from broadsheet.cli import main
from broadsheet.extract import cached as extract_cached
from broadsheet.flows.dask import DaskChunks
from tests.repo import SEEDS_DIR

pytestmark = pytest.mark.flow

JAN_1_2026 = "1767225600"


@pytest.fixture(scope="module", autouse=True)
def prefect_server():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def _release_files(dist: Path) -> dict[str, str]:
    release = dist / json.loads((dist / "latest.json").read_text())["path"]
    return {
        p.relative_to(release).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(release.rglob("*"))
        if p.is_file()
    }


def test_a_build_on_a_local_dask_cluster_publishes_the_one_process_release(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JAN_1_2026)
    # Every document is worth a worker and each text is a recognition batch, so that the seeds
    # go to the cluster in several chunks of each stage, the first ones batches joined
    # (workers.joined).
    monkeypatch.setattr(workers, "MIN_DOCUMENTS_PER_WORKER", 1)
    monkeypatch.setattr(extract_cached, "RECOGNITION_BATCH", 1)
    sent: list[int] = []
    map_chunks = DaskChunks.map_chunks

    def counted(self, function, chunks):  # noqa: ANN001, ANN202
        sent.append(len(chunks))
        yield from map_chunks(self, function, chunks)

    monkeypatch.setattr(DaskChunks, "map_chunks", counted)
    common = ["run", "--source", str(SEEDS_DIR)]
    assert main([*common, "--out", str(tmp_path / "one"), "--build", str(tmp_path / "build-one"), "--workers", "1"]) == 0
    capsys.readouterr()
    dask = ["--out", str(tmp_path / "dask"), "--build", str(tmp_path / "build-dask"), "--workers", "2"]
    assert main([*common, *dask, "--dask-scheduler", "local"]) == 0
    assert "a local Dask cluster of 2 workers" in capsys.readouterr().out
    assert len(sent) == 2 and min(sent) > 1, sent  # the clean and the extract stage, in several chunks each

    one, on_dask = _release_files(tmp_path / "one"), _release_files(tmp_path / "dask")
    assert any(name.endswith(".parquet") for name in one)
    assert on_dask == one


def _allocator_environment() -> dict[str, str | None]:
    import os

    return {name: os.environ.get(name) for name in ("MALLOC_TRIM_THRESHOLD_", "OMP_NUM_THREADS")}


def test_the_local_cluster_workers_keep_glibc_allocation_defaults(monkeypatch):
    # Dask's own MALLOC_TRIM_THRESHOLD_ made recognition about a fifth slower (broadsheet.flows.dask);
    # its other settings for the workers stay.
    from broadsheet.flows.dask import dask_cluster

    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    with dask_cluster("local", 1) as chunks:
        seen = chunks._runner.client.run(_allocator_environment)
    assert seen and all(env == {"MALLOC_TRIM_THRESHOLD_": None, "OMP_NUM_THREADS": "1"} for env in seen.values()), seen
