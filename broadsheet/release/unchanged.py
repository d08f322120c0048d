"""Knowing right after ingest that a refresh has nothing new: the digest of everything a build's
content depends on, recorded beside the release it gave.

A build's tables are a deterministic function of

- the ingested records and the ingest rejects, in order (the `ingest` stage's files: every
  record's text, content hash, metadata and source; what ingest read from the latest release, a
  doc id's owner, is already in them);
- the code, rules, model and table definitions that clean, extract and assemble them: every
  file of the package, the entity model and `schemas/`, and the versions of the Python
  interpreter and of every installed distribution (polars and pyarrow write the Parquet bytes,
  spaCy and numpy do the model's arithmetic);
- the state the clean and extract stages read from the latest release (its doc ids, its entity
  id registry), which is a function of that release's bytes.

So `inputs_digest` hashes the first two, and the record written into the build folder names the
release it holds for: its version and the SHA-256 of its manifest. When a later run's digest is
the recorded one, `latest.json` still names that release with that manifest, and the release
still matches its manifest file by file (`broadsheet verify`'s check), a build would give that
release's content again, and the run stops there: no clean, extract, validation or assembly.

The record is written when a run ends with the latest release holding its content: after the
late check of :func:`broadsheet.release.current_version` (then the build read this release's
state itself), and after publishing (then it read the previous release's state, and the record
relies on the guarantee that ids are stable: a refresh of unchanged input over a release it
published gives that release again, which the refresh tests hold the stages to). It is not
written when the content depends on the moment rather than the input: a document stopped by its
time budget is tried again by the next run, so a release with a `too_slow` reject is never
recorded as final.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import sys
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from broadsheet.paths import MANIFEST, PACKAGE_DIR, BuildLayout, schemas_dir
from broadsheet.release.folders import latest, read_json, verified_manifest
from broadsheet.report import RunSummary
from broadsheet.stageio import StageOutput
from broadsheet.tableio import write_atomic

# In the cache folder: like the per-document entries it saves work and never decides content on
# its own (the release it names is verified first), and `--no-cache` neither reads nor writes it.
RECORD = "release-inputs.json"

# Bump when what the digest covers changes, so that records of an older kind never match.
FORMAT = 1

# Reject reasons that depend on the moment (the machine's load), not on the input: a release
# holding one is not what the next build must give.
MOMENTARY_REASONS = frozenset({"too_slow"})


def record_path(build_dir: Path) -> Path:
    return BuildLayout(Path(build_dir)).cache / RECORD


def inputs_digest(ingested: StageOutput, code: str | None = None) -> str:
    """Hash of the ingest stage's files and of the code, rules, model, schemas and libraries."""
    return inputs_digest_of(ingested.digest, code)


def inputs_digest_of(ingest_digest: str, code: str | None = None) -> str:
    """`inputs_digest` from the ingest stage's digest (`StageOutput.digest`)."""
    payload = {"format": FORMAT, "ingest": ingest_digest, "code": code if code is not None else code_fingerprint()}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@functools.cache
def code_fingerprint() -> str:
    from broadsheet.entities.recognizer import DEFAULT_MODEL_DIR

    return fingerprint_of(PACKAGE_DIR, DEFAULT_MODEL_DIR, schemas_dir())


def fingerprint_of(package_dir: Path, model_dir: Path, schemas: Path) -> str:
    """Every file of the package (not only the per-document steps' modules: the corpus-level
    steps and the release assembly shape the content too), the model, the table definitions, the
    interpreter and every installed distribution's version."""
    from broadsheet.doccache.inputs import fingerprint

    files = fingerprint((".",), (), extra_dirs=(Path(model_dir), Path(schemas)), package_dir=Path(package_dir))
    payload = [files, sys.version, platform.machine(), *installed_distributions()]
    return hashlib.sha256("\n".join(payload).encode()).hexdigest()


def installed_distributions(path: Sequence[str] | None = None) -> list[str]:
    """Every installed distribution as its metadata folder is named where Python imports from
    (`polars-1.35.2.dist-info`): its name and version, which the packaging specifications put
    in that name. Listing the folders takes a millisecond; reading each distribution's METADATA
    file took a quarter of a second, most of what a refresh with nothing new costs beside ingest."""
    found: set[str] = set()
    for entry in sys.path if path is None else path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # a zip file or a folder gone: nothing installed there to list
            continue
        found.update(name for name in names if name.endswith((".dist-info", ".egg-info")))
    return sorted(found)


def unchanged_release(build_dir: Path, dist_dir: Path, digest: str) -> str | None:
    """The latest release's version when the build folder's record says that a build of `digest`
    gives it, and the release is still exactly what was published; else None."""
    record = read_json(record_path(build_dir))
    if not isinstance(record, dict) or record.get("format") != FORMAT or record.get("inputs") != digest:
        return None
    pointer = latest(Path(dist_dir))
    if not isinstance(pointer, dict):
        return None
    version, manifest_sha256 = pointer.get("version"), pointer.get("manifest_sha256")
    if (version, manifest_sha256) != (record.get("version"), record.get("manifest_sha256")) or not isinstance(version, str):
        return None
    # Every file against the manifest, the manifest against latest.json: a release changed or
    # damaged since it was recorded is never "unchanged", and the run goes on to build.
    manifest = verified_manifest(Path(dist_dir) / version, manifest_sha256)
    if manifest is None or manifest.get("version") != version:
        return None
    return version


def may_be_unchanged(build_dir: Path, dist_dir: Path) -> bool:
    """Whether a run may stop after ingest: a record names the release `latest.json` names now.

    A cheap guess made before anything is read (two small files, no hashing), so that a run
    which will surely build can start work it needs anyway (importing Great Expectations) early,
    and one that may stop need not; :func:`unchanged_release` alone decides.
    """
    record = read_json(record_path(build_dir))
    pointer = latest(Path(dist_dir))
    return (
        isinstance(record, dict)
        and record.get("format") == FORMAT
        and isinstance(pointer, dict)
        and pointer.get("version") == record.get("version")
    )


def remember(build_dir: Path, dist_dir: Path, digest: str) -> bool:
    """Record that a build of `digest` gives the latest release (just published, or found to hold
    this content); False, and any older record removed, when that must not be relied on."""
    path = record_path(build_dir)
    pointer = latest(Path(dist_dir))
    manifest = read_json(Path(dist_dir) / pointer["manifest"]) if isinstance(pointer, dict) else None
    if not isinstance(manifest, dict) or _momentary(Path(dist_dir) / pointer["version"], manifest):
        path.unlink(missing_ok=True)
        return False
    record = {
        "format": FORMAT,
        "inputs": digest,
        "version": pointer["version"],
        "manifest_sha256": pointer["manifest_sha256"],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(record, indent=2) + "\n")
    return True


def _momentary(release_dir: Path, manifest: dict) -> bool:
    """Whether the release holds a reject that the next run might not repeat (or cannot be read)."""
    entry = manifest.get("tables", {}).get("rejects")
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or not (release_dir / entry["path"]).is_file():
        return True
    try:
        reasons = pl.read_parquet(release_dir / entry["path"], columns=["reason"])["reason"].to_list()
    except Exception:  # noqa: BLE001 - an unreadable table is no ground for a record
        return True
    return any(reason in MOMENTARY_REASONS for reason in reasons)


def summary_counts(dist_dir: Path, version: str) -> tuple[int, list[dict]]:
    """The documents and the rejects rows of a release: what a run that stopped early reports,
    since a build would have given exactly these."""
    release_dir = Path(dist_dir) / version
    manifest = json.loads((release_dir / MANIFEST).read_text())
    rejects = pl.read_parquet(release_dir / manifest["tables"]["rejects"]["path"]).to_dicts()
    return int(manifest["tables"]["documents"]["rows"]), rejects


def unchanged_summary(records: int, dist_dir: Path, version: str) -> RunSummary:
    """What a run that stopped after ingest reports: the release's documents and rejects, which
    a build would have given again, and every one of the `records` ingested and every document
    as reused, none processed."""
    n_documents, rejects = summary_counts(Path(dist_dir), version)
    work = {
        "clean": {"processed": 0, "reused": records},
        "extract": {"processed": 0, "reused": n_documents},
    }
    return RunSummary("unchanged", version, None, n_documents, tuple(rejects), work)
