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
import re
import shutil
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

import broadsheet
from broadsheet import lock
from broadsheet.clean import load_rules
from broadsheet.download import DownloadError, IntegrityError, check_version, verify_release
from broadsheet.entities.recognizer import DEFAULT_MODEL_DIR
from broadsheet.history import build_index, diff_markdown, diff_releases
from broadsheet.datapackage import Resource, data_dictionary_markdown, datapackage_json
from broadsheet.schema import dataset_meta, load_schemas, schema_fingerprint, schema_version
from broadsheet.stages import StageOutput
from broadsheet.tableio import FileInfo, read_table, sha256_file, write_atomic, write_table

STAGING_PREFIX = ".staging-"
# Where a release folder that fails its own manifest is moved: hidden, so no index or pointer
# names it, and kept, so what was found can still be examined.
DAMAGED_PREFIX = ".damaged-"
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


def verified_manifest(folder: Path, manifest_sha256: str | None = None) -> dict | None:
    """The manifest of a release folder when every file matches it (and it matches `manifest_sha256`), else None."""
    try:
        return verify_release(Path(folder), manifest_sha256)
    except (IntegrityError, DownloadError, OSError, ValueError):
        return None


def crash_point(name: str) -> None:
    """Does nothing. The crash-safety tests replace it to kill the process at the named point."""


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
    normalize_data_docs(staging / VALIDATION_DIR / "data_docs", candidate.release_date)
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
    crash_point("finalized")


# The moments Great Expectations stamps on a validation (run time, batch load time), as spelled in
# its page folders and pages; a validation page holds no other timestamps of these forms.
_RUN_ID = re.compile(r"^\d{8}T\d{6}\.\d{6}Z$")
_RUN_ID_FORMAT = "%Y%m%dT%H%M%S.%fZ"
_STAMP = re.compile(r"\b\d{8}T\d{6}\.\d+Z|\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# The index page's table rows: a run's time to the second, then the exact time it sorts by.
_INDEX_ROW = re.compile(r"'run_time': '[^']*', '_run_time_sort': ([0-9]+(?:\.[0-9]+)?)")
# Cache-busting query on the logo of every page, stamped when the page is rendered.
_RENDER_STAMP = re.compile(r"(\?d=)\d{8}T\d{6}\.\d+Z")
# Element ids of collapsible sections, drawn with uuid4 on every render.
_UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def normalize_data_docs(docs_dir: Path, day: dt.date) -> None:
    """Make Data Docs depend on the release's content and date only, not on when they were rendered.

    Great Expectations names each validation's page folder after the run's time, writes that time
    and the batch's load time into the page and the index, stamps every page with its render time
    and gives collapsible sections random ids. Each run's time becomes midnight UTC of the release
    date plus the run's rank in seconds (so the index keeps its order), and every stamp in that
    run's page becomes that time; render stamps become midnight; random ids become
    `00000000-0000-4000-8000-<n>` in order of appearance within each page.
    """
    docs_dir = Path(docs_dir)
    if not docs_dir.is_dir():
        return
    run_dirs = [p for p in docs_dir.rglob("*") if p.is_dir() and _RUN_ID.match(p.name)]
    base = dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)
    fixed = {name: base + dt.timedelta(seconds=rank) for rank, name in enumerate(sorted({p.name for p in run_dirs}))}
    by_epoch = [(_run_time(name).timestamp(), when) for name, when in fixed.items()]

    def index_row(match: re.Match) -> str:
        value = float(match.group(1))
        when = next((w for epoch, w in by_epoch if abs(epoch - value) < 1e-3), None)
        if when is None:
            return match.group(0)
        return f"'run_time': '{when:%Y-%m-%d %H:%M:%S} UTC', '_run_time_sort': {when.timestamp():.6f}"

    for page in sorted(docs_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        own = next((fixed[part] for part in page.relative_to(docs_dir).parts if part in fixed), None)
        if own is not None:
            text = _STAMP.sub(lambda m: own.strftime(_RUN_ID_FORMAT if "." in m.group(0) else "%Y-%m-%dT%H:%M:%SZ"), text)
        else:
            text = _RENDER_STAMP.sub(lambda m: m.group(1) + base.strftime(_RUN_ID_FORMAT), text)
            text = _INDEX_ROW.sub(index_row, text)
            # Links from the index to each run's page name its folder.
            for name, when in fixed.items():
                text = text.replace(name, when.strftime(_RUN_ID_FORMAT))
        ids: dict[str, str] = {}
        text = _UUID4.sub(lambda m: ids.setdefault(m.group(0), f"00000000-0000-4000-8000-{len(ids):012d}"), text)
        page.write_text(text, encoding="utf-8")
    for folder in run_dirs:
        folder.rename(folder.with_name(fixed[folder.name].strftime(_RUN_ID_FORMAT)))


def _run_time(name: str) -> dt.datetime:
    return dt.datetime.strptime(name, _RUN_ID_FORMAT).replace(tzinfo=dt.timezone.utc)


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


def publish(candidate: Candidate, dist_dir: Path, say: Callable[[str], None] | None = None) -> Path:
    """Move the staging folder to `dist/<version>/` and point `latest.json` at it, each in one step.

    A folder of that version may already be there: the release of a run killed before it wrote
    `latest.json`, or one whose files were changed since. When it matches its own manifest and
    holds this content, it is that release, complete: it is pointed at and the candidate dropped.
    When it does not match, it is moved aside (`.damaged-<version>-<id>`, said through `say`) and
    the candidate takes its place; a published release is never overwritten in place.
    """
    say = say or _say
    dist_dir = Path(dist_dir)
    target = dist_dir / candidate.version
    if target.exists():
        existing = verified_manifest(target)
        if existing is not None and existing.get("data_digest") == candidate.data_digest:
            discard(candidate)
            _point_at(dist_dir, candidate.version)
            return target
        if existing is not None:
            raise ReleaseError(f"{target} already exists and holds other content; a published release is never overwritten")
        say(f"{target} does not match its own manifest; moved aside to {quarantine(target).name}")
    _sync_tree(candidate.staging_dir)
    crash_point("staged")
    os.rename(candidate.staging_dir, target)
    _sync_dir(dist_dir)
    crash_point("renamed")
    _point_at(dist_dir, candidate.version)
    return target


def _point_at(dist_dir: Path, version: str) -> None:
    """`latest.json` at `version`, then `index.json` listing every release, each written atomically."""
    manifest = json.loads((dist_dir / version / "manifest.json").read_text())
    pointer = {
        "version": version,
        "release_date": manifest["release_date"],
        "path": f"{version}/",
        "manifest": f"{version}/manifest.json",
        "manifest_sha256": sha256_file(dist_dir / version / "manifest.json"),
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
    say = say or _say
    dist_dir = Path(dist_dir)
    if not dist_dir.is_dir():
        return
    if not lock.holds(dist_dir):
        raise ReleaseError(f"recovering {dist_dir} needs its lock: another run might be writing there")
    leftovers = [p for p in dist_dir.iterdir() if p.name.startswith(STAGING_PREFIX) or p.name.startswith((f".{LATEST}.", f".{INDEX}."))]
    for path in leftovers:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    if leftovers:
        say(f"removed {len(leftovers)} leftover(s) of interrupted runs from {dist_dir}")

    # A folder whose manifest is not one of a release of that name would stop the index from being built.
    for folder in sorted(p for p in dist_dir.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").is_file()):
        manifest = _read_json(folder / "manifest.json")
        if not isinstance(manifest, dict) or manifest.get("version") != folder.name or not isinstance(manifest.get("files"), list):
            say(f"{folder / 'manifest.json'} is not the manifest of release {folder.name}; moved aside to {quarantine(folder).name}")

    pointer = _read_json(dist_dir / LATEST)
    if (dist_dir / LATEST).exists() and not _is_pointer(pointer):
        say(f"{dist_dir / LATEST} is not a release pointer; it will be rewritten")
        pointer = None
    if pointer is not None:
        folder = dist_dir / pointer["version"]
        if verified_manifest(folder, pointer["manifest_sha256"]) is None:
            where = f"moved aside to {quarantine(folder).name}" if folder.is_dir() else "missing"
            say(f"the latest release {pointer['version']} does not match its manifest or latest.json ({where}); "
                "it is not reused, and the next release is built against the newest release that does")
            pointer = None
    if pointer is None:
        _repoint_to_newest_valid(dist_dir, say)
        pointer = _read_json(dist_dir / LATEST)

    index = _read_json(dist_dir / INDEX)
    entries = index.get("releases") if isinstance(index, dict) else None
    listed = {e.get("version") for e in entries if isinstance(e, dict)} if isinstance(entries, list) else set()
    current = pointer["version"] if pointer else None
    for folder in sorted(p for p in dist_dir.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").is_file()):
        if folder.name in listed or folder.name == current:
            continue
        manifest = verified_manifest(folder)
        if manifest is None:
            say(f"{folder} does not match its own manifest; moved aside to {quarantine(folder).name}")
        elif manifest.get("previous_version") == current:
            say(f"finishing the interrupted publication of release {folder.name}")
            _point_at(dist_dir, folder.name)
            current = folder.name
    # Also after a run killed between writing latest.json and index.json.
    expected = json.dumps(build_index(dist_dir), indent=2) + "\n"
    if (current is not None or (dist_dir / INDEX).exists()) and _read_text(dist_dir / INDEX) != expected:
        write_atomic(dist_dir / INDEX, expected)


def _repoint_to_newest_valid(dist_dir: Path, say: Callable[[str], None]) -> None:
    releases = build_index(dist_dir)["releases"]
    for entry in reversed(releases):
        if verified_manifest(dist_dir / entry["version"]) is not None:
            _point_at(dist_dir, entry["version"])
            say(f"latest.json now names {entry['version']}, the newest release that matches its manifest")
            return
    if (dist_dir / LATEST).exists():
        (dist_dir / LATEST).unlink()
        say(f"no release in {dist_dir} matches its manifest; latest.json removed")


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _is_pointer(pointer) -> bool:
    if not isinstance(pointer, dict) or not isinstance(pointer.get("manifest_sha256"), str):
        return False
    try:
        check_version(pointer.get("version"))
    except ValueError:
        return False
    return True


def _sync_tree(folder: Path) -> None:
    """Flush every file and folder of `folder` to disk, so the rename never publishes unwritten bytes."""
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        elif path.is_dir():
            _sync_dir(path)
    _sync_dir(folder)


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _say(text: str) -> None:
    print(f"broadsheet: {text}", file=sys.stderr, flush=True)


def row_drop_warnings(release_dir: Path) -> list[str]:
    """What a published release's `diff.json` says about tables that lost more rows than the
    dataset's declared `max_row_drop` (see schemas/dataset.yaml), one sentence each."""
    from broadsheet.history import row_drop_lines, row_drops

    bound = dataset_meta().get("max_row_drop")
    path = Path(release_dir) / "diff.json"
    if bound is None or not path.is_file():
        return []
    return row_drop_lines(row_drops(json.loads(path.read_text()), bound), bound)


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

{diff_markdown(diff, meta.get("max_row_drop"))}

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
