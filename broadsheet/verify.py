"""`broadsheet verify`: is a local release exactly what was published?

Three layers, each reported in full rather than stopping at the first problem:

1. every file against the release's `manifest.json` (size and SHA-256, nothing missing, nothing
   unlisted), with the same checks `broadsheet download` applies (`download.release_problems`);
2. the manifest against what the dist folder publishes for it: the digest in `latest.json` (when
   it names this release) and the release's entry in `index.json` (its manifest digest, and each
   file's size and digest);
3. each table against its definition in `schemas/`: column names, order, Arrow types and
   nullability, no null in a non-nullable column, and the row count the manifest states. A
   release built with other table definitions (its manifest's schema fingerprint differs from
   this checkout's) is not compared with them; the report says so.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from broadsheet.download import check_version, release_problems
from broadsheet.frames import arrow_schema
from broadsheet.paths import DIST, INDEX, LATEST, MANIFEST
from broadsheet.schema import SchemaError, load_schemas, schema_fingerprint, schema_version
from broadsheet.tableio import read_table, sha256_file


@dataclass
class Verification:
    folder: Path
    version: str | None = None
    problems: list[str] = field(default_factory=list)  # "<where>: <what is wrong>"
    notes: list[str] = field(default_factory=list)  # what was not checked, and why
    n_files: int = 0
    n_tables: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def resolve(target: str | None, dist_dir: Path) -> tuple[Path, Path]:
    """(release folder, dist folder) for a path to a release folder, a version, or None (the latest)."""
    dist_dir = Path(dist_dir)
    if target is None:
        pointer = _json(dist_dir / LATEST)
        if not isinstance(pointer, dict) or not isinstance(pointer.get("version"), str):
            raise LookupError(f"{dist_dir / LATEST}: missing or not a release pointer, so there is no latest release")
        return dist_dir / check_version(pointer["version"]), dist_dir
    as_path = Path(target)
    if as_path.is_dir():
        return as_path, as_path.resolve().parent
    check_version(target)
    if not (dist_dir / target).is_dir():
        raise LookupError(f"{dist_dir / target}: no such release")
    return dist_dir / target, dist_dir


def verify(folder: Path, dist_dir: Path | None = None) -> Verification:
    """Check one release folder (and, when `dist_dir` holds pointers, what they say about it)."""
    folder = Path(folder)
    result = Verification(folder=folder, version=folder.name)
    manifest, problems = release_problems(folder)
    result.problems += [str(p) for p in problems]
    if manifest is None:
        return result
    result.n_files = len(manifest["files"]) + 1
    manifest_sha256 = sha256_file(folder / MANIFEST)
    if dist_dir is not None:
        _check_pointers(result, Path(dist_dir), manifest, manifest_sha256)
    _check_tables(result, manifest)
    return result


def _check_pointers(result: Verification, dist_dir: Path, manifest: dict[str, Any], manifest_sha256: str) -> None:
    version = result.version
    pointer = _json(dist_dir / LATEST)
    if isinstance(pointer, dict) and pointer.get("version") == version and pointer.get("manifest_sha256") != manifest_sha256:
        result.problems.append(
            f"{LATEST}: gives {version}/{MANIFEST} the sha256 {pointer.get('manifest_sha256')}, the file has {manifest_sha256}"
        )
    index = _json(dist_dir / INDEX)
    if index is None:
        result.notes.append(f"no {INDEX} in {dist_dir}; the manifest was not compared with one")
        return
    entries = (
        [e for e in index.get("releases", []) if isinstance(e, dict) and e.get("version") == version]
        if isinstance(index, dict)
        else []
    )
    if not entries:
        result.problems.append(f"{INDEX}: does not list release {version}")
        return
    entry = entries[0]
    if entry.get("manifest_sha256") != manifest_sha256:
        result.problems.append(
            f"{INDEX}: gives {version}/{MANIFEST} the sha256 {entry.get('manifest_sha256')}, the file has {manifest_sha256}"
        )
    indexed = {f.get("path"): f for f in entry.get("files", []) if isinstance(f, dict)}
    for item in manifest["files"]:
        listed = indexed.pop(f"{version}/{item['path']}", None)
        if listed is None:
            result.problems.append(f"{INDEX}: does not list {version}/{item['path']}")
        elif (listed.get("bytes"), listed.get("sha256")) != (item["bytes"], item["sha256"]):
            result.problems.append(f"{INDEX}: gives {version}/{item['path']} another size or sha256 than the manifest")
    indexed.pop(f"{version}/{MANIFEST}", None)
    for path in sorted(p for p in indexed if p):
        result.problems.append(f"{INDEX}: lists {path}, which the manifest does not")


def _check_tables(result: Verification, manifest: dict[str, Any]) -> None:
    findings = _table_findings(result, manifest)
    if manifest.get("schema_fingerprint") == schema_fingerprint():
        result.problems += findings
        return
    # Built with other definitions (an older schemas/, say): a difference from today's is news
    # about the schema's history, not damage; the files' digests already vouch for the bytes.
    result.notes.append(
        f"built with schema version {manifest.get('schema_version')} and other table definitions than this "
        f"checkout's schemas/ (version {schema_version()}); differences from them are notes, not problems"
    )
    result.notes += [f"differs from this checkout's schemas/: {f}" for f in findings]


def _table_findings(result: Verification, manifest: dict[str, Any]) -> list[str]:
    """What in each table disagrees with its definition in schemas/ (`result` counts the tables read)."""
    folder, version = result.folder, result.version
    findings: list[str] = []
    schemas = load_schemas()
    for name, info in manifest.get("tables", {}).items():
        where = f"{version}/{info.get('path')}"
        ts = schemas.get(name)
        if ts is None:
            findings.append(f"{where}: table {name!r} is not defined in schemas/")
            continue
        path = folder / info.get("path", "")
        if not path.is_file():
            continue  # already reported as missing against the manifest
        result.n_tables += 1
        try:
            found = pq.read_schema(path)
            rows = pq.read_metadata(path).num_rows
        except Exception as exc:  # noqa: BLE001 - any unreadable file is a finding, not a crash
            findings.append(f"{where}: not a readable Parquet file ({exc})")
            continue
        expected = arrow_schema(ts)
        if found.names != expected.names:
            findings.append(f"{where}: columns {found.names}, schemas/ defines {expected.names}")
            continue
        for want, have in zip(expected, found, strict=True):
            if not have.type.equals(want.type) or have.nullable != want.nullable:
                findings.append(
                    f"{where}: column {want.name} is {have.type}{'' if have.nullable else ' not null'}, "
                    f"schemas/ defines {want.type}{'' if want.nullable else ' not null'}"
                )
        if rows != info.get("rows"):
            findings.append(f"{where}: {rows} rows, the manifest says {info.get('rows')}")
        try:
            frame = read_table(path, ts)
        except SchemaError as exc:
            findings.append(f"{where}: {exc}")
            continue
        for col in ts.columns:
            if not col.nullable and frame[col.name].null_count():
                findings.append(f"{where}: {frame[col.name].null_count()} null value(s) in non-nullable column {col.name}")
    return findings


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def main(argv: list[str] | None = None) -> int:
    """`broadsheet verify [PATH|VERSION] [--dist DIR]`: exit 0 when the release is valid, 1 when not."""
    parser = argparse.ArgumentParser(
        prog="broadsheet verify",
        description="Check a local release: every file against its manifest, the manifest against "
        "latest.json and index.json, every table against its schema.",
    )
    parser.add_argument(
        "target", nargs="?", metavar="PATH|VERSION", help="a release folder or a version in --dist (default: the latest)"
    )
    parser.add_argument("--dist", type=Path, default=Path(DIST), metavar="DIR", help="the releases folder (default: dist/)")
    args = parser.parse_args(argv)
    try:
        folder, dist_dir = resolve(args.target, args.dist)
    except (LookupError, ValueError) as exc:
        print(f"broadsheet verify: {exc}", file=sys.stderr)
        return 1
    result = verify(folder, dist_dir)
    for note in result.notes:
        print(f"  note: {note}")
    for problem in result.problems:
        print(f"  wrong: {problem}")
    if result.ok:
        print(
            f"release {result.version} in {folder}: valid ({result.n_files} files match the manifest; {result.n_tables} tables checked against schemas/)"
        )
        return 0
    print(
        f"release {result.version} in {folder}: {len(result.problems)} problem(s); it is not what was published", file=sys.stderr
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
