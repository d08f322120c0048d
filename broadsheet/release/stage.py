"""Assembling, validating and atomically publishing a release under `dist/<version>/`.

A release is first written in full to a staging folder inside the dist folder, re-read and
validated there, completed with its manifest, datapackage, data card and validation report, and
only then renamed into place in one step (a rename within one file system is atomic). A crash or a
failed validation leaves at most a staging folder, which is never read as a release, and never
touches an earlier release or `latest.json`.

Publishing is three steps: the rename, then `latest.json`, then `index.json`, each atomic. A run
killed between them leaves a complete release that `latest.json` or `index.json` does not name
yet; `recover()`, called by the next run while it holds the folder's lock, finishes that
publication (after checking every file against the manifest), removes the staging folders of dead
runs, and moves a release that no longer matches its manifest out of the way instead of trusting
or overwriting it.

The Data Docs that Great Expectations renders carry the time of the validation run and random
element ids; `normalize_data_docs` replaces them with the release date and sequence numbers, so
the same content gives the same bytes in every file and the same `manifest.json` on every mirror.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import polars as pl

from broadsheet.clean import load_rules
from broadsheet.entities.recognizer import DEFAULT_MODEL_DIR
from broadsheet.frames import unnest
from broadsheet.paths import (
    DATA_CARD,
    DATAPACKAGE,
    DIFF,
    MANIFEST,
    REPORT_PAGE,
    STAGING_PREFIX,
    VALIDATION_DIR,
    VALIDATION_RESULTS,
)
from broadsheet.release import folders
from broadsheet.release.candidate import Candidate, ReleaseError
from broadsheet.release.card import data_card
from broadsheet.release.datadocs import add_static_index, normalize_data_docs, prune_unreferenced_assets
from broadsheet.release.datapackage import Resource, datapackage_json, source_groups, text_licenses
from broadsheet.release.folders import (
    latest,
    latest_manifest,
    point_at,
    quarantine,
    say_on_stderr,
    sync_dir,
    sync_tree,
    verified_manifest,
)
from broadsheet.release.history import diff_releases
from broadsheet.release.report_page import COLUMNS as REPORT_COLUMNS
from broadsheet.release.report_page import ReleaseFacts, release_report_html
from broadsheet.schema import bridge_columns, dataset_meta, load_schemas, schema_fingerprint, schema_version
from broadsheet.stageio import STAGES, StageOutput
from broadsheet.tableio import FileInfo, TablesOnDisk, read_table, sha256_file, write_table
from broadsheet.version import __version__

# Which stage writes each release table; rejects gather every stage's.
TABLE_SOURCES = {
    "documents": ("clean",),
    "cleaning_log": ("clean",),
    "entities": ("extract",),
    "entity_mentions": ("extract",),
    "claims": ("extract",),
    "dates": ("extract",),
    "rejects": STAGES,
}


def release_date() -> dt.date:
    """Today in UTC, or the date of SOURCE_DATE_EPOCH when set (the reproducible-builds convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()


def data_digest(outputs: Sequence[StageOutput]) -> str:
    """Hash of what a release would contain: the stage files' hashes and the schema definitions."""
    payload = {"schema": schema_fingerprint(), "stages": {o.stage: o.digest for o in outputs}}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def version_for(day: dt.date, digest: str) -> str:
    """`YYYY.MM.DD-<8 hex>`: sorts by date, and differs whenever the content does."""
    return f"{day:%Y.%m.%d}-{digest[:8]}"


def current_version(outputs: Sequence[StageOutput], dist_dir: Path) -> str | None:
    """The latest release's version when it already holds exactly this content, else None.

    The manifest's data digest alone would say so for a release whose files were changed on disk
    after it was published, so the latest release's files are checked against its manifest (and
    the manifest against `latest.json`) first: a release that fails is never "unchanged".
    """
    manifest = latest_manifest(dist_dir)
    if not manifest or manifest.get("data_digest") != data_digest(outputs):
        return None
    pointer = latest(dist_dir) or {}
    if verified_manifest(Path(dist_dir) / manifest["version"], pointer.get("manifest_sha256")) is None:
        return None
    return manifest["version"]


def assemble(outputs: Sequence[StageOutput], dist_dir: Path, day: dt.date | None = None) -> Candidate:
    """Write every release table, conformed and sorted, into a fresh staging folder."""
    by_stage = {o.stage: o for o in outputs}
    schemas = load_schemas()
    meta = dataset_meta()
    day = day or release_date()
    digest = data_digest(outputs)
    version = version_for(day, digest)
    staging = Path(dist_dir) / f"{STAGING_PREFIX}{version}-{uuid.uuid4().hex[:8]}"
    staging.mkdir(parents=True)
    kv = {
        "broadsheet:dataset": meta["name"],
        "broadsheet:release": version,
        "broadsheet:schema_version": schema_version(),
    }
    files: dict[str, FileInfo] = {}
    # Of each table a bridge unnests, only the two columns the bridge is built from are kept
    # once it is written, not every table's frame until the last is (over 24,520 articles the
    # tables held together raised the process by about 390 MiB).
    bridged: dict[str, list[str]] = {}
    for table in meta["tables"]:
        if schemas[table].unnests is not None:
            _, source_key, _, listed = bridge_columns(schemas[table], schemas)
            bridged.setdefault(schemas[table].unnests.split(".", 1)[0], []).extend([source_key, listed])
    kept: dict[str, pl.DataFrame] = {}
    for table in meta["tables"]:
        ts = schemas[table]
        if ts.unnests is not None:  # a bridge: built from the table it unnests (listed before it)
            frame = unnest(kept[ts.unnests.split(".", 1)[0]], ts, schemas)
        else:
            parts = [read_table(by_stage[s].path(table), ts) for s in TABLE_SOURCES[table]]
            frame = pl.concat(parts, how="vertical") if len(parts) > 1 else parts[0]
        info = write_table(frame, ts, staging / f"{table}.parquet", {**kv, "broadsheet:table": table})
        files[table] = FileInfo(path=f"{table}.parquet", rows=info.rows, bytes=info.bytes, sha256=info.sha256)
        if table in bridged:
            kept[table] = frame.select(list(dict.fromkeys(bridged[table])))
        del frame
    return Candidate(version=version, release_date=day, data_digest=digest, staging_dir=staging, tables=files)


def read_candidate(candidate: Candidate, held: Mapping[str, pl.DataFrame] | None = None) -> TablesOnDisk:
    """The written files, each read when it is looked up: validation checks exactly the bytes
    that would be published; `held`: tables in memory to look up beside them."""
    return TablesOnDisk(
        {name: candidate.staging_dir / info.path for name, info in candidate.tables.items()}, load_schemas(), held
    )


def finalize(candidate: Candidate, report_dir: Path, n_expectations: int, dist_dir: Path) -> None:
    """Add the validation report, datapackage, data card and (last) the manifest to the staging folder."""
    staging = candidate.staging_dir
    previous = latest_manifest(dist_dir)
    shutil.copytree(report_dir, staging / VALIDATION_DIR)
    normalize_data_docs(staging / VALIDATION_DIR / "data_docs", candidate.release_date)
    prune_unreferenced_assets(staging / VALIDATION_DIR / "data_docs")
    add_static_index(staging / VALIDATION_DIR / "data_docs")
    schemas = load_schemas()
    meta = dataset_meta()
    resources = [Resource(name=n, path=i.path, bytes=i.bytes, sha256=i.sha256, rows=i.rows) for n, i in candidate.tables.items()]
    documents = pl.read_parquet(
        staging / candidate.tables["documents"].path,
        columns=["language", "source_format", "source_uri", "source_name", "text_license"],
    )
    # `created` is the release date, not the clock: the same content gets the same bytes.
    package_meta = {
        **meta,
        "version": candidate.version,
        "created": f"{candidate.release_date.isoformat()}T00:00:00Z",
        "sources": source_groups(documents["source_uri"].to_list()),
        "broadsheet:textLicenses": text_licenses(documents["source_name"].to_list(), documents["text_license"].to_list()),
    }
    package = datapackage_json({n: schemas[n] for n in candidate.tables}, resources, package_meta)
    (staging / DATAPACKAGE).write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n")
    # The diff against the previous release is part of the release (and listed in the manifest).
    previous_dir = Path(dist_dir) / previous["version"] if previous else None
    diff = diff_releases(previous_dir, staging, schemas)
    (staging / DIFF).write_text(json.dumps(diff, indent=2, ensure_ascii=False) + "\n")
    (staging / DATA_CARD).write_text(data_card(candidate, documents, previous, diff))
    (staging / REPORT_PAGE).write_text(_report_page(candidate, previous, diff), encoding="utf-8")
    manifest = {
        "dataset": meta["name"],
        "version": candidate.version,
        "release_date": candidate.release_date.isoformat(),
        "data_digest": candidate.data_digest,
        "schema_version": schema_version(),
        "schema_fingerprint": schema_fingerprint(),
        "code_version": __version__,
        "clean_rules_sha256": load_rules().sha256,
        "models": model_versions(),
        "previous_version": previous["version"] if previous else None,
        "diff": DIFF,
        "tables": {
            n: {"path": i.path, "rows": i.rows, "bytes": i.bytes, "sha256": i.sha256} for n, i in candidate.tables.items()
        },
        "validation": {
            "success": True,
            "n_expectations": n_expectations,
            "results": f"{VALIDATION_DIR}/{VALIDATION_RESULTS}",
            "data_docs": f"{VALIDATION_DIR}/data_docs/index.html",
        },
        "files": [
            {"path": p.relative_to(staging).as_posix(), "bytes": p.stat().st_size, "sha256": sha256_file(p)}
            for p in sorted(staging.rglob("*"))
            if p.is_file()
        ],
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    folders.crash_point("finalized")


def _report_page(candidate: Candidate, previous: dict | None, diff: dict) -> str:
    """The release report from the staged files: the columns it shows, the suite results, the diff."""
    tables = {
        name: pl.read_parquet(candidate.staging_dir / candidate.tables[name].path, columns=columns)
        for name, columns in REPORT_COLUMNS.items()
    }
    validation = json.loads((candidate.staging_dir / VALIDATION_DIR / VALIDATION_RESULTS).read_text())
    facts = ReleaseFacts(
        version=candidate.version,
        release_date=candidate.release_date.isoformat(),
        schema_version=schema_version(),
        previous_version=previous["version"] if previous else None,
        rows={name: info.rows for name, info in candidate.tables.items()},
    )
    return release_report_html(facts, tables, validation, diff if previous else None)


def model_versions() -> dict[str, str]:
    """The trained models this build used, by the version their training recorded."""
    report = DEFAULT_MODEL_DIR / "training_report.json"
    if not report.is_file():
        return {}
    return {f"entities:{DEFAULT_MODEL_DIR.name}": json.loads(report.read_text())["version"]}


def publish(candidate: Candidate, dist_dir: Path, say: Callable[[str], None] | None = None) -> Path:
    """Move the staging folder to `dist/<version>/` and point `latest.json` at it, each in one step.

    A folder of that version may already be there: the release of a run killed before it wrote
    `latest.json`, or one whose files were changed since. When it matches its own manifest and
    holds this content, it is that release, complete: it is pointed at and the candidate dropped.
    When it does not match, it is moved aside (`.damaged-<version>-<id>`, said through `say`) and
    the candidate takes its place; a published release is never overwritten in place.
    """
    say = say or say_on_stderr
    dist_dir = Path(dist_dir)
    target = dist_dir / candidate.version
    if target.exists():
        existing = verified_manifest(target)
        if existing is not None and existing.get("data_digest") == candidate.data_digest:
            discard(candidate)
            point_at(dist_dir, candidate.version)
            return target
        if existing is not None:
            raise ReleaseError(f"{target} already exists and holds other content; a published release is never overwritten")
        say(f"{target} does not match its own manifest; moved aside to {quarantine(target).name}")
    sync_tree(candidate.staging_dir)
    folders.crash_point("staged")
    os.rename(candidate.staging_dir, target)
    sync_dir(dist_dir)
    folders.crash_point("renamed")
    point_at(dist_dir, candidate.version)
    return target


def row_drop_warnings(release_dir: Path) -> list[str]:
    """What a published release's `diff.json` says about tables that lost more rows than the
    dataset's declared `max_row_drop` (see schemas/dataset.yaml), one sentence each."""
    from broadsheet.release.history import row_drop_lines, row_drops

    bound = dataset_meta().get("max_row_drop")
    path = Path(release_dir) / DIFF
    if bound is None or not path.is_file():
        return []
    return row_drop_lines(row_drops(json.loads(path.read_text()), bound), bound)


def discard(candidate: Candidate) -> None:
    shutil.rmtree(candidate.staging_dir, ignore_errors=True)
