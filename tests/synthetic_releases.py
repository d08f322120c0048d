"""Small releases laid out exactly as the release stage lays them out, without running the pipeline.

One real table (`rejects`, written with the real schema), a data card and a manifest with every
file's size and SHA-256, staged in `dist/.staging-*` and published with `release.publish`, so
the publishing, recovery and verification code runs on the real layout in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path

import polars as pl

from broadsheet import release
from broadsheet.paths import STAGING_PREFIX
from broadsheet.schema import load_schema, schema_fingerprint, schema_version
from broadsheet.tableio import sha256_file, write_table

DAY = dt.date(2026, 1, 1)
# The data digest of an empty list of stage outputs: a release given it is the one that
# `release.current_version([], dist)` recognizes as holding "this content".
DIGEST = release.data_digest([])


def rejects(n: int = 2) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "reject_id": [f"r_{i:016x}" for i in range(n)],
            "source_uri": [f"inbox/{i}.txt" for i in range(n)],
            "doc_id": [None] * n,
            "source_format": ["txt"] * n,
            "stage": ["ingest"] * n,
            "reason": ["binary_content"] * n,
            "detail": [f"file {i} is not text" for i in range(n)],
            "raw_sha256": ["0" * 64] * n,
        }
    )


def version_of(n: int, day: dt.date = DAY) -> str:
    return release.version_for(day, hashlib.sha256(str(n).encode()).hexdigest())


def stage(dist: Path, n: int = 2, day: dt.date = DAY, digest: str | None = None) -> release.Candidate:
    """A complete candidate of `n` reject rows in a fresh staging folder of `dist`."""
    version = version_of(n, day)
    digest = digest or hashlib.sha256(f"content {n}".encode()).hexdigest()
    staging = Path(dist) / f"{STAGING_PREFIX}{version}-{uuid.uuid4().hex[:8]}"
    kv = {"broadsheet:release": version, "broadsheet:schema_version": schema_version(), "broadsheet:table": "rejects"}
    info = write_table(rejects(n), load_schema("rejects"), staging / "rejects.parquet", kv)
    (staging / "README.md").write_text(f"# release {version}\n")
    previous = release.latest(dist)
    files = [
        {"path": p.relative_to(staging).as_posix(), "bytes": p.stat().st_size, "sha256": sha256_file(p)}
        for p in sorted(staging.rglob("*"))
        if p.is_file()
    ]
    manifest = {
        "dataset": "broadsheet",
        "version": version,
        "release_date": day.isoformat(),
        "data_digest": digest,
        "schema_version": schema_version(),
        "schema_fingerprint": schema_fingerprint(),
        "previous_version": previous["version"] if previous else None,
        "tables": {"rejects": {"path": "rejects.parquet", "rows": info.rows, "bytes": info.bytes, "sha256": info.sha256}},
        "files": files,
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return release.Candidate(version=version, release_date=day, data_digest=digest, staging_dir=staging, tables={})


def publish(dist: Path, n: int = 2, day: dt.date = DAY, digest: str | None = None) -> Path:
    Path(dist).mkdir(parents=True, exist_ok=True)
    return release.publish(stage(dist, n, day, digest), dist)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (the lock file aside) by its SHA-256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(Path(folder).rglob("*"))
        if p.is_file() and p.name != ".broadsheet.lock"
    }
