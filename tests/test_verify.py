"""`broadsheet verify`: files against the manifest, the manifest against latest.json/index.json, tables against schemas/."""

from __future__ import annotations

import json

import polars as pl
import pytest
import synthetic_releases as synth

from broadsheet.cli import main
from broadsheet.release.folders import point_at
from broadsheet.schema import load_schema
from broadsheet.tableio import sha256_file


@pytest.fixture
def dist(tmp_path):
    root = tmp_path / "dist"
    synth.publish(root, n=1)
    synth.publish(root, n=2)
    return root


def _verify(capsys, *args):
    status = main(["verify", *args])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_the_latest_release_by_default_a_version_or_a_path(dist, capsys):
    status, out = _verify(capsys, "--dist", str(dist))
    assert status == 0 and f"release {synth.version_of(2)}" in out and "valid" in out and "1 tables checked" in out
    status, out = _verify(capsys, synth.version_of(1), "--dist", str(dist))
    assert status == 0 and f"release {synth.version_of(1)}" in out
    status, out = _verify(capsys, str(dist / synth.version_of(1)))
    assert status == 0 and f"release {synth.version_of(1)}" in out


def test_every_changed_missing_or_extra_file_is_named(dist, capsys):
    folder = dist / synth.version_of(2)
    table = folder / "rejects.parquet"
    data = bytearray(table.read_bytes())
    data[100] ^= 0x01
    table.write_bytes(bytes(data))
    (folder / "README.md").unlink()
    (folder / "notes.txt").write_text("added later\n")
    status, out = _verify(capsys, "--dist", str(dist))
    assert status == 1
    assert f"{folder.name}/rejects.parquet: sha256 differs from the manifest" in out
    assert f"{folder.name}/README.md: missing" in out
    assert f"{folder.name}/notes.txt: not listed in the manifest" in out
    assert "3 problem(s)" in out


def test_a_manifest_that_disagrees_with_latest_json_and_index_json_is_reported(dist, capsys):
    manifest_path = dist / synth.version_of(2) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["rejects"]["rows"] = 3  # an edited manifest: not the one published
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    status, out = _verify(capsys, "--dist", str(dist))
    assert status == 1
    assert "latest.json: gives" in out and "index.json: gives" in out
    # The table's row count is checked against the manifest too.
    assert "rejects.parquet: 2 rows, the manifest says 3" in out


def test_a_table_that_breaks_its_schema_is_reported_even_when_every_digest_agrees(dist, capsys):
    # Re-sign a release whose table has a column of the wrong type: digests cannot catch it.
    folder = dist / synth.version_of(2)
    frame = pl.read_parquet(folder / "rejects.parquet").with_columns(pl.lit(7).alias("detail"))
    frame.write_parquet(folder / "rejects.parquet")
    manifest = json.loads((folder / "manifest.json").read_text())
    entry = {"bytes": (folder / "rejects.parquet").stat().st_size, "sha256": sha256_file(folder / "rejects.parquet")}
    manifest["tables"]["rejects"].update(entry)
    manifest["files"] = [{**f, **entry} if f["path"] == "rejects.parquet" else f for f in manifest["files"]]
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    point_at(dist, folder.name)
    status, out = _verify(capsys, "--dist", str(dist))
    assert status == 1
    assert "rejects.parquet: column detail is int" in out and str(load_schema("rejects").column("detail").type) in out


def test_no_release_to_verify_is_a_failure_with_a_reason(tmp_path, capsys):
    status, out = _verify(capsys, "--dist", str(tmp_path))
    assert status == 1 and "latest.json" in out
    status, out = _verify(capsys, "2026.01.01-00000000", "--dist", str(tmp_path))
    assert status == 1 and "no such release" in out
