"""Whole builds through the library path the flows call (stages → validation → release), in child processes.

- The same input gives the same bytes: `manifest.json` and every file it lists, Data Docs included
  (two whole builds: `-m reliability`).
- SIGKILL at every stage boundary and at every step of finalizing and publishing (`-m reliability`, which `.ci/run` runs):
  the previous release stays valid, `latest.json` always names a complete release, and the next
  run cleans up and publishes exactly what an uninterrupted run publishes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import synthetic_releases as synth

from broadsheet.download import verify_release
from tests.repo import REPO_ROOT, SEEDS_DIR

JAN_1_2026 = "1767225600"
STAGE_POINTS = ["ingested", "cleaned", "extracted", "assembled", "validated"]
RELEASE_POINTS = ["finalized", "staged", "renamed", "latest-written", "index-written"]

# One run as `broadsheet run` makes it (flows/pipeline.py), minus Prefect: the lock, recovery,
# the stages, the unchanged check, the candidate, its suite, finalizing and publishing.
RUN = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from broadsheet import lock, release
    from broadsheet.release import folders
    from broadsheet.clean.stage import clean_stage
    from broadsheet.extract.stage import extract_stage
    from broadsheet.ingest.stage import ingest_stage
    from broadsheet.schema import load_schemas
    from broadsheet.validate.suites import validate_stage

    source, dist, build, point = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]

    def crash_point(name):
        if name == point:
            os.kill(os.getpid(), signal.SIGKILL)

    folders.crash_point = crash_point
    with lock.hold([dist, build]):
        release.recover(dist)
        ingested = ingest_stage([source], build)
        crash_point("ingested")
        cleaned = clean_stage(ingested, build)
        crash_point("cleaned")
        extracted = extract_stage(cleaned, build, dist)
        crash_point("extracted")
        outputs = [ingested, cleaned, extracted]
        current = release.current_version(outputs, dist)
        if current is not None:
            print("unchanged", current)
            sys.exit(0)
        candidate = release.assemble(outputs, dist)
        crash_point("assembled")
        report = validate_stage(
            "release", release.read_candidate(candidate), load_schemas(),
            build / "reports" / "release" / candidate.version, cross_table=True, data_docs=True,
        )
        assert report.success, report.summary()
        crash_point("validated")
        release.finalize(candidate, report.results_path.parent, report.n_expectations, dist)
        release.publish(candidate, dist)
        print("published", candidate.version)
    """
)


def _start(source: Path, dist: Path, build: Path, point: str = "") -> subprocess.Popen:
    env = {**os.environ, "SOURCE_DATE_EPOCH": JAN_1_2026}
    return subprocess.Popen(
        [sys.executable, "-c", RUN, str(source), str(dist), str(build), point],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(child: subprocess.Popen) -> tuple[int, str]:
    out, err = child.communicate(timeout=600)
    return child.returncode, out + err


def _run(source: Path, dist: Path, build: Path, point: str = "") -> tuple[int, str]:
    return _finish(_start(source, dist, build, point))


def _corpus(root: Path, names: list[str]) -> Path:
    """A folder called `articles` under `root`, so doc ids (its name and the file's) match across corpora."""
    folder = root / "articles"
    folder.mkdir(parents=True)
    for name in names:
        shutil.copy(SEEDS_DIR / name, folder / name)
    return folder


def _seed(prefix: str) -> str:
    return next(p.name for p in SEEDS_DIR.iterdir() if p.name.startswith(prefix))


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpora")
    first = _corpus(root / "a", [_seed("001-")])
    second = _corpus(root / "b", [_seed("001-"), _seed("004-")])
    return first, second


def _latest(dist: Path) -> Path:
    pointer = json.loads((dist / "latest.json").read_text())
    verify_release(dist / pointer["version"], pointer["manifest_sha256"])
    return dist / pointer["version"]


@pytest.mark.reliability
def test_the_same_input_gives_a_byte_identical_manifest_and_files(tmp_path, corpora, monkeypatch):
    # Great Expectations stamps its Data Docs with the run's time and random element ids; before
    # they were normalized, every build of the same content listed other digests in its manifest.
    # The stage outputs are byte-identical already (tests/test_pipeline.py), so both builds
    # start from one set of them and differ only in what the release step adds.
    from broadsheet import release
    from broadsheet.clean.stage import clean_stage
    from broadsheet.extract.stage import extract_stage
    from broadsheet.ingest.stage import ingest_stage
    from broadsheet.schema import load_schemas
    from broadsheet.validate.suites import validate_stage

    monkeypatch.setenv("SOURCE_DATE_EPOCH", JAN_1_2026)
    _, source = corpora
    build = tmp_path / "build"
    ingested = ingest_stage([source], build)
    cleaned = clean_stage(ingested, build, use_cache=False)
    outputs = [ingested, cleaned, extract_stage(cleaned, build, use_cache=False)]
    for dist in (tmp_path / "dist1", tmp_path / "dist2"):
        dist.mkdir()
        candidate = release.assemble(outputs, dist)
        report = validate_stage(
            "release",
            release.read_candidate(candidate),
            load_schemas(),
            build / "reports" / dist.name,
            cross_table=True,
            data_docs=True,
        )
        release.finalize(candidate, report.results_path.parent, report.n_expectations, dist)
        release.publish(candidate, dist)
    one, two = _latest(tmp_path / "dist1"), _latest(tmp_path / "dist2")
    assert one.name == two.name
    assert (one / "manifest.json").read_bytes() == (two / "manifest.json").read_bytes()
    assert synth.snapshot(one) == synth.snapshot(two)
    assert any(path.startswith("validation/data_docs/validations/") for path in synth.snapshot(one))


@pytest.fixture(scope="module")
def reference(tmp_path_factory, corpora):
    """The first corpus published, then the second published by an uninterrupted run."""
    first, second = corpora
    root = tmp_path_factory.mktemp("reference")
    assert _run(first, root / "dist", root / "build")[0] == 0
    shutil.copytree(root / "dist", root / "dist-before")
    shutil.copytree(root / "build", root / "build-before")
    assert _run(second, root / "dist", root / "build")[0] == 0
    return root


@pytest.mark.reliability
@pytest.mark.parametrize("point", STAGE_POINTS + RELEASE_POINTS)
def test_sigkill_at_any_point_keeps_the_previous_release_and_the_next_run_publishes_the_same_bytes(
    tmp_path, corpora, reference, point
):
    _, second = corpora
    dist, build = tmp_path / "dist", tmp_path / "build"
    shutil.copytree(reference / "dist-before", dist)
    shutil.copytree(reference / "build-before", build)
    previous = _latest(dist)

    status, output = _run(second, dist, build, point)
    assert status == -signal.SIGKILL, output
    verify_release(previous)
    # latest.json names a complete release: the previous one, or (killed after it moved) the new one.
    assert _latest(dist).name in {previous.name, _latest(reference / "dist").name}

    status, output = _run(second, dist, build)
    assert status == 0, output
    assert not [p for p in dist.iterdir() if p.name.startswith((".staging-", ".damaged-"))]
    assert synth.snapshot(dist) == synth.snapshot(reference / "dist")
