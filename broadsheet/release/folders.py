"""The dist folder as the release stage keeps it: what `latest.json` points at, a release folder
checked against its manifest, a damaged one moved aside, and writes made durable (fsync).

`crash_point` marks the steps of publication; it does nothing, and the crash-safety tests replace
it to kill the process at a named step.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from pathlib import Path

from broadsheet.download import DownloadError, IntegrityError, check_version, verify_release
from broadsheet.paths import DAMAGED_PREFIX, INDEX, LATEST, MANIFEST
from broadsheet.release.history import build_index
from broadsheet.tableio import sha256_file, write_atomic


def latest(dist_dir: Path) -> dict | None:
    path = Path(dist_dir) / LATEST
    return json.loads(path.read_text()) if path.exists() else None


def latest_manifest(dist_dir: Path) -> dict | None:
    pointer = latest(dist_dir)
    if pointer is None:
        return None
    path = Path(dist_dir) / pointer["manifest"]
    return json.loads(path.read_text()) if path.exists() else None


def verified_manifest(folder: Path, manifest_sha256: str | None = None) -> dict | None:
    """The manifest of a release folder when every file matches it (and it matches `manifest_sha256`), else None."""
    try:
        return verify_release(Path(folder), manifest_sha256)
    except (IntegrityError, DownloadError, OSError, ValueError):
        return None


def crash_point(name: str) -> None:
    """Does nothing. The crash-safety tests replace it to kill the process at the named point."""


def point_at(dist_dir: Path, version: str) -> None:
    """`latest.json` at `version`, then `index.json` listing every release, each written atomically."""
    manifest = json.loads((dist_dir / version / MANIFEST).read_text())
    pointer = {
        "version": version,
        "release_date": manifest["release_date"],
        "path": f"{version}/",
        "manifest": f"{version}/manifest.json",
        "manifest_sha256": sha256_file(dist_dir / version / MANIFEST),
    }
    write_atomic(dist_dir / LATEST, json.dumps(pointer, indent=2) + "\n")
    crash_point("latest-written")
    write_atomic(dist_dir / INDEX, json.dumps(build_index(dist_dir), indent=2) + "\n")
    crash_point("index-written")


def quarantine(folder: Path) -> Path:
    """Move a release folder that fails verification out of every listing, keeping its bytes."""
    aside = folder.with_name(f"{DAMAGED_PREFIX}{folder.name}-{uuid.uuid4().hex[:8]}")
    os.rename(folder, aside)
    return aside


def read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def is_pointer(pointer) -> bool:
    if not isinstance(pointer, dict) or not isinstance(pointer.get("manifest_sha256"), str):
        return False
    try:
        check_version(pointer.get("version"))
    except ValueError:
        return False
    return True


def sync_tree(folder: Path) -> None:
    """Flush every file and folder of `folder` to disk, so the rename never publishes unwritten bytes."""
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        elif path.is_dir():
            sync_dir(path)
    sync_dir(folder)


def sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def say_on_stderr(text: str) -> None:
    print(f"broadsheet: {text}", file=sys.stderr, flush=True)
