"""Cleaning up after interrupted runs, before a run builds: staging folders of dead runs removed,
a publication stopped between its steps finished, a release that no longer matches its manifest
moved aside (`dist/.damaged-<version>-<id>/`) and `latest.json` pointed at the newest valid one.
Called while the run holds the dist folder's lock.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from broadsheet import lock
from broadsheet.paths import INDEX, LATEST, MANIFEST, STAGING_PREFIX
from broadsheet.release.candidate import ReleaseError
from broadsheet.release.folders import is_pointer, point_at, quarantine, read_json, read_text, say_on_stderr, verified_manifest
from broadsheet.release.history import build_index
from broadsheet.tableio import write_atomic


def recover(dist_dir: Path, say: Callable[[str], None] | None = None) -> None:
    """Bring a dist folder left by a killed or tampered-with run back to a consistent state.

    Must be called while holding the folder's lock (`broadsheet.lock.hold`), before anything is
    built: with the lock held no other run is alive, so every staging folder is a dead run's.

    1. Staging folders and half-written pointer files of dead runs are removed.
    2. The release `latest.json` names is checked, every file against its manifest. If it fails,
       it is moved aside (`.damaged-<version>-<id>`, kept for examination) and `latest.json`
       points at the newest release that passes (or is removed when none does), so the run that
       follows builds against, and diffs against, a release that is what it says.
    3. A release folder that no `index.json` entry names is one whose publication was
       interrupted. If it passes and follows the current latest, its publication is finished; if
       it fails, it is moved aside.
    4. `index.json` is rewritten when it does not describe the folder as it now is.

    A folder whose `manifest.json` is unreadable or names another version is moved aside first:
    it is no release, and it would stop `index.json` from being built.
    """
    say = say or say_on_stderr
    dist_dir = Path(dist_dir)
    if not dist_dir.is_dir():
        return
    if not lock.holds(dist_dir):
        raise ReleaseError(f"recovering {dist_dir} needs its lock: another run might be writing there")
    _remove_leftovers(dist_dir, say)
    _set_aside_foreign_manifests(dist_dir, say)
    pointer = _checked_latest(dist_dir, say)
    current = _finish_interrupted(dist_dir, pointer["version"] if pointer else None, say)
    # Also after a run killed between writing latest.json and index.json.
    expected = json.dumps(build_index(dist_dir), indent=2) + "\n"
    if (current is not None or (dist_dir / INDEX).exists()) and read_text(dist_dir / INDEX) != expected:
        write_atomic(dist_dir / INDEX, expected)


def _release_folders(dist_dir: Path) -> list[Path]:
    return sorted(p for p in dist_dir.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / MANIFEST).is_file())


def _remove_leftovers(dist_dir: Path, say: Callable[[str], None]) -> None:
    """Step 1: staging folders and half-written pointer files of dead runs."""
    leftovers = [
        p for p in dist_dir.iterdir() if p.name.startswith(STAGING_PREFIX) or p.name.startswith((f".{LATEST}.", f".{INDEX}."))
    ]
    for path in leftovers:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    if leftovers:
        say(f"removed {len(leftovers)} leftover(s) of interrupted runs from {dist_dir}")


def _set_aside_foreign_manifests(dist_dir: Path, say: Callable[[str], None]) -> None:
    """A folder whose manifest is not one of a release of that name would stop the index from being built."""
    for folder in _release_folders(dist_dir):
        manifest = read_json(folder / MANIFEST)
        if (
            not isinstance(manifest, dict)
            or manifest.get("version") != folder.name
            or not isinstance(manifest.get("files"), list)
        ):
            say(
                f"{folder / 'manifest.json'} is not the manifest of release {folder.name}; moved aside to {quarantine(folder).name}"
            )


def _checked_latest(dist_dir: Path, say: Callable[[str], None]) -> dict | None:
    """Step 2: the pointer `latest.json` holds once the release it names has passed its manifest
    (else it is moved aside, and the pointer names the newest release that passes, if any)."""
    pointer = read_json(dist_dir / LATEST)
    if (dist_dir / LATEST).exists() and not is_pointer(pointer):
        say(f"{dist_dir / LATEST} is not a release pointer; it will be rewritten")
        pointer = None
    if pointer is not None:
        folder = dist_dir / pointer["version"]
        if verified_manifest(folder, pointer["manifest_sha256"]) is None:
            where = f"moved aside to {quarantine(folder).name}" if folder.is_dir() else "missing"
            say(
                f"the latest release {pointer['version']} does not match its manifest or latest.json ({where}); "
                "it is not reused, and the next release is built against the newest release that does"
            )
            pointer = None
    if pointer is None:
        _repoint_to_newest_valid(dist_dir, say)
        pointer = read_json(dist_dir / LATEST)
    return pointer


def _finish_interrupted(dist_dir: Path, current: str | None, say: Callable[[str], None]) -> str | None:
    """Step 3: a release folder no `index.json` entry names had its publication interrupted:
    finished when it passes and follows `current`, moved aside when it fails. Returns the latest
    version after that."""
    index = read_json(dist_dir / INDEX)
    entries = index.get("releases") if isinstance(index, dict) else None
    listed = {e.get("version") for e in entries if isinstance(e, dict)} if isinstance(entries, list) else set()
    for folder in _release_folders(dist_dir):
        if folder.name in listed or folder.name == current:
            continue
        manifest = verified_manifest(folder)
        if manifest is None:
            say(f"{folder} does not match its own manifest; moved aside to {quarantine(folder).name}")
        elif manifest.get("previous_version") == current:
            say(f"finishing the interrupted publication of release {folder.name}")
            point_at(dist_dir, folder.name)
            current = folder.name
    return current


def _repoint_to_newest_valid(dist_dir: Path, say: Callable[[str], None]) -> None:
    releases = build_index(dist_dir)["releases"]
    for entry in reversed(releases):
        if verified_manifest(dist_dir / entry["version"]) is not None:
            point_at(dist_dir, entry["version"])
            say(f"latest.json now names {entry['version']}, the newest release that matches its manifest")
            return
    if (dist_dir / LATEST).exists():
        (dist_dir / LATEST).unlink()
        say(f"no release in {dist_dir} matches its manifest; latest.json removed")
