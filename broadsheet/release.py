"""Assembling, validating and atomically publishing a release under `dist/<version>/`.

A release is first written in full to a staging folder inside the dist folder, re-read and
validated there, completed with its manifest, datapackage, data card and validation report, and
only then renamed into place in one step (a rename within one file system is atomic). A crash or a
failed validation leaves at most a staging folder, which is never read as a release, and never
touches an earlier release or `latest.json`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

import broadsheet
from broadsheet.clean import load_rules
from broadsheet.entities.recognizer import DEFAULT_MODEL_DIR
from broadsheet.history import build_index, diff_markdown, diff_releases
from broadsheet.datapackage import Resource, data_dictionary_markdown, datapackage_json
from broadsheet.schema import dataset_meta, load_schemas, schema_fingerprint, schema_version
from broadsheet.stages import StageOutput
from broadsheet.tableio import FileInfo, read_table, sha256_file, write_atomic, write_table

STAGING_PREFIX = ".staging-"
LATEST = "latest.json"
INDEX = "index.json"
VALIDATION_DIR = "validation"
# Which stage writes each release table; rejects gather every stage's.
TABLE_SOURCES = {
    "documents": ("clean",),
    "cleaning_log": ("clean",),
    "entities": ("extract",),
    "entity_mentions": ("extract",),
    "claims": ("extract",),
    "dates": ("extract",),
    "rejects": ("ingest", "clean", "extract"),
}


@dataclass(frozen=True)
class Candidate:
    """A release written to its staging folder, not yet published."""

    version: str
    release_date: dt.date
    data_digest: str
    staging_dir: Path
    tables: Mapping[str, FileInfo]  # paths relative to the staging folder


class ReleaseError(RuntimeError):
    pass


def release_date() -> dt.date:
    """Today in UTC, or the date of SOURCE_DATE_EPOCH when set (the reproducible-builds convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.datetime.now(tz=dt.timezone.utc).date()


def data_digest(outputs: Sequence[StageOutput]) -> str:
    """Hash of what a release would contain: the stage files' hashes and the schema definitions."""
    payload = {"schema": schema_fingerprint(), "stages": {o.stage: o.digest for o in outputs}}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def version_for(day: dt.date, digest: str) -> str:
    """`YYYY.MM.DD-<8 hex>`: sorts by date, and differs whenever the content does."""
    return f"{day:%Y.%m.%d}-{digest[:8]}"


def latest(dist_dir: Path) -> dict | None:
    path = Path(dist_dir) / LATEST
    return json.loads(path.read_text()) if path.exists() else None


def latest_manifest(dist_dir: Path) -> dict | None:
    pointer = latest(dist_dir)
    if pointer is None:
        return None
    path = Path(dist_dir) / pointer["manifest"]
    return json.loads(path.read_text()) if path.exists() else None


def current_version(outputs: Sequence[StageOutput], dist_dir: Path) -> str | None:
    """The latest release's version when it already holds exactly this content, else None."""
    manifest = latest_manifest(dist_dir)
    if manifest and manifest.get("data_digest") == data_digest(outputs):
        return manifest["version"]
    return None


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
    for table in meta["tables"]:
        ts = schemas[table]
        parts = [read_table(by_stage[s].path(table), ts) for s in TABLE_SOURCES[table]]
        frame = pl.concat(parts, how="vertical") if len(parts) > 1 else parts[0]
        info = write_table(frame, ts, staging / f"{table}.parquet", {**kv, "broadsheet:table": table})
        files[table] = FileInfo(path=f"{table}.parquet", rows=info.rows, bytes=info.bytes, sha256=info.sha256)
    return Candidate(version=version, release_date=day, data_digest=digest, staging_dir=staging, tables=files)


def read_candidate(candidate: Candidate) -> dict[str, pl.DataFrame]:
    """Re-read the written files: validation checks exactly the bytes that would be published."""
    schemas = load_schemas()
    return {name: read_table(candidate.staging_dir / info.path, schemas[name]) for name, info in candidate.tables.items()}


def finalize(candidate: Candidate, report_dir: Path, n_expectations: int, dist_dir: Path) -> None:
    """Add the validation report, datapackage, data card and (last) the manifest to the staging folder."""
    staging = candidate.staging_dir
    previous = latest_manifest(dist_dir)
    shutil.copytree(report_dir, staging / VALIDATION_DIR)
    prune_unreferenced_assets(staging / VALIDATION_DIR / "data_docs")
    schemas = load_schemas()
    meta = dataset_meta()
    resources = [Resource(name=n, path=i.path, bytes=i.bytes, sha256=i.sha256, rows=i.rows) for n, i in candidate.tables.items()]
    package = datapackage_json({n: schemas[n] for n in candidate.tables}, resources, {**meta, "version": candidate.version})
    (staging / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n")
    # The diff against the previous release is part of the release (and listed in the manifest).
    previous_dir = Path(dist_dir) / previous["version"] if previous else None
    diff = diff_releases(previous_dir, staging, schemas)
    (staging / "diff.json").write_text(json.dumps(diff, indent=2, ensure_ascii=False) + "\n")
    documents = pl.read_parquet(staging / candidate.tables["documents"].path, columns=["language", "source_format"])
    (staging / "README.md").write_text(data_card(candidate, documents, previous, diff))
    manifest = {
        "dataset": meta["name"],
        "version": candidate.version,
        "release_date": candidate.release_date.isoformat(),
        "data_digest": candidate.data_digest,
        "schema_version": schema_version(),
        "schema_fingerprint": schema_fingerprint(),
        "code_version": broadsheet.__version__,
        "clean_rules_sha256": load_rules().sha256,
        "models": model_versions(),
        "previous_version": previous["version"] if previous else None,
        "diff": "diff.json",
        "tables": {n: {"path": i.path, "rows": i.rows, "bytes": i.bytes, "sha256": i.sha256} for n, i in candidate.tables.items()},
        "validation": {
            "success": True,
            "n_expectations": n_expectations,
            "results": f"{VALIDATION_DIR}/validation_results.json",
            "data_docs": f"{VALIDATION_DIR}/data_docs/index.html",
        },
        "files": [
            {"path": p.relative_to(staging).as_posix(), "bytes": p.stat().st_size, "sha256": sha256_file(p)}
            for p in sorted(staging.rglob("*"))
            if p.is_file()
        ],
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


def prune_unreferenced_assets(docs_dir: Path) -> None:
    """Drop Data Docs' bundled images that no page, style sheet or script refers to.

    Great Expectations copies its whole static folder (tutorial GIFs included, about 3 MB) into
    every site; a release should carry only what its pages show.
    """
    static = docs_dir / "static"
    if not static.is_dir():
        return
    pages = [p for p in docs_dir.rglob("*") if p.suffix in {".html", ".css", ".js"}]
    text = "\n".join(p.read_text(errors="ignore") for p in pages)
    for asset in (static / "images").glob("*"):
        if asset.is_file() and asset.name not in text:
            asset.unlink()


def model_versions() -> dict[str, str]:
    """The trained models this build used, by the version their training recorded."""
    report = DEFAULT_MODEL_DIR / "training_report.json"
    if not report.is_file():
        return {}
    return {f"entities:{DEFAULT_MODEL_DIR.name}": json.loads(report.read_text())["version"]}


def publish(candidate: Candidate, dist_dir: Path) -> Path:
    """Move the staging folder to `dist/<version>/` and point `latest.json` at it, each in one step."""
    target = Path(dist_dir) / candidate.version
    if target.exists():
        raise ReleaseError(f"{target} already exists; a published release is never overwritten")
    os.rename(candidate.staging_dir, target)
    manifest_path = target / "manifest.json"
    pointer = {
        "version": candidate.version,
        "release_date": candidate.release_date.isoformat(),
        "path": f"{candidate.version}/",
        "manifest": f"{candidate.version}/manifest.json",
        "manifest_sha256": sha256_file(manifest_path),
    }
    write_atomic(Path(dist_dir) / LATEST, json.dumps(pointer, indent=2) + "\n")
    write_atomic(Path(dist_dir) / INDEX, json.dumps(build_index(Path(dist_dir)), indent=2) + "\n")
    return target


def discard(candidate: Candidate) -> None:
    shutil.rmtree(candidate.staging_dir, ignore_errors=True)


def data_card(candidate: Candidate, documents: pl.DataFrame, previous: dict | None, diff: dict) -> str:
    """The release's README: Hugging Face front matter, what is inside, and the data dictionary."""
    meta = dataset_meta()
    languages = sorted(set(documents["language"].to_list()) - {"und"}) or ["en"]
    formats = ", ".join(f"{n} {fmt}" for fmt, n in sorted(Counter(documents["source_format"].to_list()).items()))
    empty = [name for name, info in candidate.tables.items() if info.rows == 0 and name != "rejects"]
    gaps = (
        "Empty in this release, though defined and validated: "
        + ", ".join(f"`{name}`" for name in empty)
        + ". Their extractors are not part of this build yet."
        if empty
        else "Every table has rows in this release."
    )
    schemas = load_schemas()
    configs = "\n".join(
        f"- config_name: {name}\n  data_files: {info.path}" + ("\n  default: true" if name == "documents" else "")
        for name, info in candidate.tables.items()
    )
    counts = "\n".join(f"| `{name}` | {info.rows} | {schemas[name].description.strip()} |" for name, info in candidate.tables.items())
    n_docs = candidate.tables["documents"].rows
    size = "n<1K" if n_docs < 1000 else "1K<n<10K" if n_docs < 10_000 else "10K<n<100K" if n_docs < 100_000 else "100K<n<1M"
    language_lines = "\n".join(f"- {lang}" for lang in languages)
    previous_line = f"Previous release: `{previous['version']}`." if previous else "This is the first release in this folder."
    return f"""---
pretty_name: {meta['title']}
license: {meta['license'].lower()}
language:
{language_lines}
size_categories:
- {size}
task_categories:
- token-classification
- text-classification
tags:
- news
- named-entities
- quotations
- attribution
- temporal-expressions
- timeml
configs:
{configs}
---

# {meta['title']}

Release `{candidate.version}` of {candidate.release_date.isoformat()}, schema version
`{schema_version()}`. {previous_line}

{meta['description'].strip()}

## Tables

| table | rows | one row is |
|---|---|---|
{counts}

Every offset (`*_char`) is a character offset into `documents.text`, end-exclusive, so
`documents.text[start_char:end_char]` is the row's `surface`; the release was refused unless
every span matched and every key resolved. `manifest.json` lists every file with its SHA-256;
`validation/` holds the Great Expectations results and Data Docs of the checks this release
passed.

## Sources

Built from {candidate.tables["documents"].rows} documents ({formats}); inputs that could not become
documents are listed in `rejects` with the reason. Text cut as scraping debris is listed in
`cleaning_log`, with the rule that cut it.

## Changes

{diff_markdown(diff)}

## Known gaps

{gaps}

## Loading

```python
import polars as pl
claims = pl.read_parquet("claims.parquet")
documents = pl.read_parquet("documents.parquet")
claims.join(documents.select("doc_id", "title", "published_date"), on="doc_id")
```

## Data dictionary

{data_dictionary_markdown(schemas)}
"""
