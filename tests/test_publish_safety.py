"""Publishing survives crashes and tampering: recovery, adoption, quarantine, and SIGKILL at every publishing step.

Everything here runs on small releases in the real layout (tests/synthetic_releases.py); the kill
tests run the publication in a child process that kills itself with SIGKILL at the named point.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import synthetic_releases as synth

from broadsheet import lock, release
from broadsheet.download import verify_release
from broadsheet.paths import DAMAGED_PREFIX
from broadsheet.release.history import build_index

REPO_ROOT = Path(__file__).resolve().parent.parent
PUBLISH_POINTS = ["staged", "renamed", "latest-written", "index-written"]


def _recover(dist: Path, said: list[str] | None = None) -> None:
    with lock.hold([dist]):
        release.recover(dist, say=(said.append if said is not None else lambda text: None))


def _latest_is_complete(dist: Path) -> str:
    pointer = json.loads((dist / "latest.json").read_text())
    verify_release(dist / pointer["version"], pointer["manifest_sha256"])
    return pointer["version"]


def test_a_release_left_unpointed_by_a_crash_is_adopted_not_refused(tmp_path):
    # A run killed after the rename and before latest.json: the next run computes the same
    # version. Today's publish raised "already exists" on every later run.
    dist = tmp_path / "dist"
    first = synth.publish(dist, n=1)
    orphan = synth.stage(dist, n=2)
    os.rename(orphan.staging_dir, dist / orphan.version)
    again = synth.stage(dist, n=2)
    target = release.publish(again, dist)
    assert target == dist / orphan.version and not again.staging_dir.exists()
    assert _latest_is_complete(dist) == orphan.version
    index = json.loads((dist / "index.json").read_text())
    assert [r["version"] for r in index["releases"]] == [first.name, orphan.version]


def test_a_folder_of_the_same_version_that_fails_its_manifest_is_moved_aside_not_overwritten(tmp_path):
    dist = tmp_path / "dist"
    synth.publish(dist, n=1)
    damaged = synth.stage(dist, n=2)
    os.rename(damaged.staging_dir, dist / damaged.version)
    (dist / damaged.version / "README.md").write_text("changed on disk\n")
    said: list[str] = []
    target = release.publish(synth.stage(dist, n=2), dist, say=said.append)
    verify_release(target)
    (aside,) = [p for p in dist.iterdir() if p.name.startswith(DAMAGED_PREFIX)]
    assert (aside / "README.md").read_text() == "changed on disk\n"  # the evidence is kept
    assert aside.name in said[0] and "does not match its own manifest" in said[0]
    assert _latest_is_complete(dist) == damaged.version


def test_recover_removes_leftovers_of_dead_runs_and_needs_the_lock(tmp_path):
    dist = tmp_path / "dist"
    synth.publish(dist, n=1)
    leftover = synth.stage(dist, n=2).staging_dir
    (dist / ".latest.json.abc123").write_text("{")
    with pytest.raises(release.ReleaseError, match="lock"):
        release.recover(dist)
    assert leftover.exists()
    said: list[str] = []
    _recover(dist, said)
    assert not leftover.exists() and not (dist / ".latest.json.abc123").exists()
    assert "2 leftover" in said[0]


def test_a_tampered_latest_is_not_unchanged_and_is_set_aside_for_a_correct_release(tmp_path):
    dist = tmp_path / "dist"
    previous = synth.publish(dist, n=1)
    latest = synth.publish(dist, n=2, digest=synth.DIGEST)
    # Intact: the latest holds this content, nothing to publish.
    assert release.current_version([], dist) == latest.name
    table = latest / "rejects.parquet"
    data = bytearray(table.read_bytes())
    data[len(data) // 2] ^= 0xFF
    table.write_bytes(bytes(data))
    # Today's check compared only the manifest's data digest and said "unchanged".
    assert release.current_version([], dist) is None

    said: list[str] = []
    _recover(dist, said)
    (aside,) = [p for p in dist.iterdir() if p.name.startswith(DAMAGED_PREFIX)]
    assert (aside / "rejects.parquet").read_bytes() == bytes(data)
    assert any(latest.name in line and aside.name in line for line in said)
    # latest.json falls back to the newest release that verifies, and the index forgets the damaged one.
    assert _latest_is_complete(dist) == previous.name
    index = json.loads((dist / "index.json").read_text())
    assert [r["version"] for r in index["releases"]] == [previous.name]
    # The next run publishes the content again, byte for byte what was published before.
    republished = synth.publish(dist, n=2, digest=synth.DIGEST)
    assert republished == latest and _latest_is_complete(dist) == latest.name
    assert release.current_version([], dist) == latest.name


def _publish_in_child(dist: Path, candidate: release.Candidate, point: str) -> subprocess.CompletedProcess:
    """Publish `candidate` in a fresh process that SIGKILLs itself at `point`."""
    script = textwrap.dedent(
        """
        import datetime as dt, os, signal, sys
        from pathlib import Path
        from broadsheet import release
        from broadsheet.release import folders

        dist, staging, version, day, digest, point = sys.argv[1:]
        def crash_point(name):
            if name == point:
                os.kill(os.getpid(), signal.SIGKILL)
        folders.crash_point = crash_point
        candidate = release.Candidate(version, dt.date.fromisoformat(day), digest, Path(staging), {})
        release.publish(candidate, Path(dist))
        """
    )
    args = [
        str(dist),
        str(candidate.staging_dir),
        candidate.version,
        candidate.release_date.isoformat(),
        candidate.data_digest,
        point,
    ]
    return subprocess.run([sys.executable, "-c", script, *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    """A dist folder with a first release and the second published without interruption."""
    dist = tmp_path_factory.mktemp("reference") / "dist"
    synth.publish(dist, n=1)
    synth.publish(dist, n=2, digest=synth.DIGEST)
    return dist


@pytest.mark.parametrize("point", PUBLISH_POINTS)
def test_sigkill_while_publishing_leaves_a_valid_latest_and_the_next_run_publishes_the_same_bytes(tmp_path, uninterrupted, point):
    dist = tmp_path / "dist"
    first = synth.publish(dist, n=1)
    before = synth.snapshot(dist)
    child = _publish_in_child(dist, synth.stage(dist, n=2, digest=synth.DIGEST), point)
    assert child.returncode == -signal.SIGKILL, child.stderr

    # Whatever the point, latest.json names a complete release: the previous one, or the new one.
    assert _latest_is_complete(dist) in {first.name, synth.version_of(2)}
    verify_release(first)
    if point == "staged":
        # Nothing visible changed: only the staging folder, which no pointer names, is new.
        assert {k: v for k, v in synth.snapshot(dist).items() if not k.startswith(".staging-")} == before

    # The next run: recover under the lock, then build and publish as usual (a build of the same
    # content gives the same candidate; if the release is already there, publish adopts it).
    _recover(dist)
    assert not [p for p in dist.iterdir() if p.name.startswith((".staging-", ".damaged-", ".latest", ".index"))]
    if release.current_version([], dist) is None:
        synth.publish(dist, n=2, digest=synth.DIGEST)
    assert synth.snapshot(dist) == synth.snapshot(uninterrupted)


def test_a_folder_with_a_broken_manifest_is_set_aside_instead_of_stopping_every_later_run(tmp_path):
    dist = tmp_path / "dist"
    synth.publish(dist, n=1)
    broken = synth.publish(dist, n=2)
    (broken / "manifest.json").write_text('{"version": "trun')
    with pytest.raises(ValueError):
        build_index(dist)  # what every later publication would have run into
    said: list[str] = []
    _recover(dist, said)
    assert any(broken.name in line and "moved aside" in line for line in said)
    assert _latest_is_complete(dist) == synth.version_of(1)
    assert [r["version"] for r in json.loads((dist / "index.json").read_text())["releases"]] == [synth.version_of(1)]
