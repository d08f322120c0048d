"""The early "nothing new" of a refresh (broadsheet.release.unchanged): it holds only while every
input of the build is the same and the latest release is intact; any change makes the run build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from broadsheet.ingest.stage import ingest_stage
from broadsheet.paths import LATEST, schemas_dir
from broadsheet.release import unchanged
from broadsheet.schema import load_schema
from broadsheet.tableio import sha256_file, write_table
from tests import synthetic_releases as synth
from tests.repo import PACKAGE_DIR, SEEDS_DIR

ARTICLE = {"id": "harbour-1", "title": "Storm closes harbour", "text": "The harbour at Port Ellis was closed on Monday."}


@pytest.fixture
def sources(tmp_path) -> Path:
    folder = tmp_path / "sources"
    shutil.copytree(SEEDS_DIR, folder)
    (folder / "harbour.json").write_text(json.dumps(ARTICLE))
    return folder


@pytest.fixture
def code(tmp_path) -> dict[str, Path]:
    """A copy of what the code fingerprint covers, small enough to edit: the package, a model, the schemas."""
    package = tmp_path / "code" / "broadsheet"
    shutil.copytree(PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    model = tmp_path / "code" / "models" / "entities"
    model.mkdir(parents=True)
    (model / "weights.bin").write_bytes(bytes(range(256)))
    schemas = tmp_path / "code" / "schemas"
    shutil.copytree(schemas_dir(), schemas)
    return {"package_dir": package, "model_dir": model, "schemas": schemas}


def _digest(sources: Path, build: Path, code: dict[str, Path]) -> str:
    return unchanged.inputs_digest(ingest_stage([sources], build), unchanged.fingerprint_of(**code))


def _recorded(tmp_path, sources, code) -> tuple[Path, Path, str]:
    """A release in `dist`, recorded as what a build of these sources and this code gives."""
    dist, build = tmp_path / "dist", tmp_path / "build"
    version = synth.publish(dist).name
    assert unchanged.remember(build, dist, _digest(sources, build, code))
    assert unchanged.unchanged_release(build, dist, _digest(sources, build, code)) == version
    return dist, build, version


def test_the_same_inputs_over_the_same_release_are_nothing_new(tmp_path, sources, code):
    dist, build, version = _recorded(tmp_path, sources, code)
    # Again, from a new ingest of the same files: the same digest.
    assert unchanged.unchanged_release(build, dist, _digest(sources, build, code)) == version


def test_a_changed_text_builds(tmp_path, sources, code):
    dist, build, _ = _recorded(tmp_path, sources, code)
    first = sorted(sources.glob("*.txt"))[0]
    first.write_text(first.read_text().replace("the", "The", 1))
    assert unchanged.unchanged_release(build, dist, _digest(sources, build, code)) is None


@pytest.mark.parametrize(
    "change",
    [
        lambda folder: (folder / "harbour.json").write_text(json.dumps({**ARTICLE, "title": "Storm shuts harbour"})),
        lambda folder: (folder / "harbour.json").write_text(json.dumps({**ARTICLE, "published": "2026-01-05"})),
        lambda folder: (folder / "harbour.json").rename(folder / "harbour-renamed.json"),  # its source uri
    ],
    ids=["title", "date", "source"],
)
def test_changed_metadata_builds(tmp_path, sources, code, change):
    dist, build, _ = _recorded(tmp_path, sources, code)
    change(sources)
    assert unchanged.unchanged_release(build, dist, _digest(sources, build, code)) is None


def test_a_new_article_and_a_removed_one_build(tmp_path, sources, code):
    dist, build, _ = _recorded(tmp_path, sources, code)
    (sources / "new.txt").write_text("Port reopens\n\nThe harbour at Port Ellis reopened on Friday.\n")
    assert unchanged.unchanged_release(build, dist, _digest(sources, build, code)) is None
    (sources / "new.txt").unlink()
    sorted(sources.glob("*.txt"))[0].unlink()
    assert unchanged.unchanged_release(build, dist, _digest(sources, build, code)) is None


@pytest.mark.parametrize(
    "edit",
    [
        ("package_dir", "clean/rules.yaml"),  # a cleaning rule
        ("package_dir", "extract/claims/cues.yaml"),  # a speech cue
        ("package_dir", "entities/canonical.py"),  # a corpus-level step, outside the per-document fingerprints
        ("package_dir", "release/stage.py"),  # the release assembly
        ("model_dir", "weights.bin"),  # the entity model
        ("schemas", "documents.yaml"),  # a table definition
    ],
    ids=lambda e: e[1],
)
def test_changed_code_rules_model_or_schema_build(tmp_path, sources, code, edit):
    dist, build, _ = _recorded(tmp_path, sources, code)
    where, relative = edit
    path = code[where] / relative
    path.write_bytes(path.read_bytes() + b"\n")
    assert unchanged.unchanged_release(build, dist, _digest(sources, build, code)) is None


def test_a_tampered_latest_release_builds(tmp_path, sources, code):
    dist, build, version = _recorded(tmp_path, sources, code)
    table = dist / version / "rejects.parquet"
    data = bytearray(table.read_bytes())
    data[len(data) // 2] ^= 0xFF
    table.write_bytes(bytes(data))
    assert unchanged.unchanged_release(build, dist, _digest(sources, build, code)) is None


def test_a_file_added_to_the_latest_release_builds(tmp_path, sources, code):
    dist, build, version = _recorded(tmp_path, sources, code)
    (dist / version / "extra.txt").write_text("not published\n")
    assert unchanged.unchanged_release(build, dist, _digest(sources, build, code)) is None


def test_another_latest_release_builds(tmp_path, sources, code):
    dist, build, _ = _recorded(tmp_path, sources, code)
    synth.publish(dist, n=3)  # published by another build folder: this record is not about it
    assert unchanged.unchanged_release(build, dist, _digest(sources, build, code)) is None


def test_a_rewritten_manifest_builds(tmp_path, sources, code):
    # The files still match a manifest, but not the one the record (and latest.json) names.
    dist, build, version = _recorded(tmp_path, sources, code)
    manifest_path = dist / version / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["previous_version"] = "2025.12.31-00000000"
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    assert unchanged.unchanged_release(build, dist, _digest(sources, build, code)) is None
    pointer = json.loads((dist / LATEST).read_text())
    (dist / LATEST).write_text(json.dumps({**pointer, "manifest_sha256": sha256_file(manifest_path)}))
    assert unchanged.unchanged_release(build, dist, _digest(sources, build, code)) is None


@pytest.mark.parametrize("content", ["", "not json", "[]", '{"format": 1}'])
def test_a_missing_or_damaged_record_builds(tmp_path, sources, code, content):
    dist, build, _ = _recorded(tmp_path, sources, code)
    path = unchanged.record_path(build)
    if content:
        path.write_text(content)
    else:
        path.unlink()
    assert unchanged.unchanged_release(build, dist, _digest(sources, build, code)) is None


def test_a_release_with_a_document_stopped_by_its_time_budget_is_not_recorded(tmp_path, sources, code):
    # The next run tries that document again, so its content may differ from this release's.
    dist, build, version = _recorded(tmp_path, sources, code)
    rows = synth.rejects(2).with_columns(pl.Series("reason", ["binary_content", "too_slow"]))
    staging = synth.stage(dist, n=5)
    write_table(rows, load_schema("rejects"), staging.staging_dir / "rejects.parquet")
    manifest = json.loads((staging.staging_dir / "manifest.json").read_text())
    for entry in manifest["files"]:
        entry["sha256"] = sha256_file(staging.staging_dir / entry["path"])
        entry["bytes"] = (staging.staging_dir / entry["path"]).stat().st_size
    (staging.staging_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    from broadsheet import release

    release.publish(staging, dist)
    digest = _digest(sources, build, code)
    assert not unchanged.remember(build, dist, digest)
    assert not unchanged.record_path(build).exists()
    assert unchanged.unchanged_release(build, dist, digest) is None


def test_the_early_guess_says_may_stop_only_over_the_recorded_release(tmp_path, sources, code):
    # The guess decides only when Great Expectations is imported, never whether the run builds.
    dist, build = tmp_path / "dist", tmp_path / "build"
    assert not unchanged.may_be_unchanged(build, dist)  # first run: nothing recorded
    _recorded(tmp_path, sources, code)
    assert unchanged.may_be_unchanged(build, dist)
    synth.publish(dist, n=3)  # another release is latest now
    assert not unchanged.may_be_unchanged(build, dist)
    unchanged.record_path(build).write_text("not json")
    assert not unchanged.may_be_unchanged(build, dist)


def test_a_run_over_local_files_says_nothing_new_before_starting_prefect(tmp_path, sources, monkeypatch):
    # broadsheet run makes the pipeline's check itself, before Prefect's temporary server starts,
    # where nothing is lost by it: local files and folders, and no Prefect server configured.
    from broadsheet import cli, lock
    from broadsheet.ingest.sourcefile import local_only

    home = tmp_path / "prefect-home"
    monkeypatch.setenv("PREFECT_HOME", str(home))
    for name in ("PREFECT_API_URL", "PREFECT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    dist, build = tmp_path / "dist", tmp_path / "build"
    version = synth.publish(dist).name

    # A synthetic release holds no documents table; the counts are the flow tests' to check.
    monkeypatch.setattr(unchanged, "summary_counts", lambda dist_dir, version: (7, []))

    def nothing_new(given):  # as broadsheet run calls it: holding both folders' locks
        with lock.hold([dist, build]):
            return cli._nothing_new(given, dist, build)

    assert nothing_new([sources]) is None  # nothing recorded yet
    assert unchanged.remember(build, dist, unchanged.inputs_digest(ingest_stage([sources], build, dist_dir=dist)))

    summary = nothing_new([sources])
    assert summary is not None and (summary.status, summary.version) == ("unchanged", version)
    assert summary.n_documents == 7 and summary.work["extract"] == {"processed": 0, "reused": 7}
    # That ingest logged what it read: the next refresh of the same files parses none of them.
    import broadsheet.ingest.reading as reading

    with monkeypatch.context() as patched:
        patched.setattr(reading, "read_source", lambda *a, **k: pytest.fail("parsed an article again"))
        again = nothing_new([sources])
    assert again is not None and (again.version, again.work) == (summary.version, summary.work)

    # A storage URL or a sources file naming URLs goes through the flow, so that nothing is
    # fetched twice; so does a run that a configured Prefect server should see. A sources file
    # of local folders is checked early like the folders themselves.
    assert nothing_new(["memory://bucket/news"]) is None
    listing = tmp_path / "sources.yaml"
    listing.write_text("sources:\n  - name: wire\n    kind: urls\n    urls: [https://example.org/a.html]\n")
    assert nothing_new([sources, listing]) is None
    assert not local_only([sources, listing]) and not local_only(["memory://bucket/news"])
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert nothing_new([sources]) is None
    monkeypatch.delenv("PREFECT_API_URL")

    local = tmp_path / "local.yaml"
    local.write_text(f"sources:\n  - name: wire\n    kind: folder\n    path: {sources}\n")
    assert unchanged.remember(build, dist, unchanged.inputs_digest(ingest_stage([local], build, dist_dir=dist)))
    assert nothing_new([local]).version == version and local_only([local])

    (sources / "harbour.json").write_text(json.dumps({**ARTICLE, "text": ARTICLE["text"] + " It reopened."}))
    assert nothing_new([local]) is None  # a changed article: the run builds


def test_another_version_of_an_installed_library_builds(tmp_path, monkeypatch, code):
    # Libraries shape the bytes (polars and pyarrow write the Parquet files, numpy does the
    # model's arithmetic): a distribution installed in another version changes the fingerprint.
    site = tmp_path / "site-packages"
    (site / "polars-1.2.3.dist-info").mkdir(parents=True)
    (site / "legacy_lib-0.9-py3.11.egg-info").mkdir()
    (site / "polars").mkdir()
    assert unchanged.installed_distributions([str(site), str(tmp_path / "gone")]) == [
        "legacy_lib-0.9-py3.11.egg-info",
        "polars-1.2.3.dist-info",
    ]
    monkeypatch.syspath_prepend(str(site))
    before = unchanged.fingerprint_of(**code)
    assert unchanged.fingerprint_of(**code) == before
    (site / "polars-1.2.3.dist-info").rename(site / "polars-1.2.4.dist-info")
    assert unchanged.fingerprint_of(**code) != before
