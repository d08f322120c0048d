import datetime as dt
import json

import polars as pl
import pytest

from broadsheet import release
from broadsheet.paths import STAGING_PREFIX
from broadsheet.schema import load_schema
from broadsheet.tableio import file_metadata, write_table


def _candidate(dist, version="2026.01.01-0123abcd"):
    staging = dist / f"{STAGING_PREFIX}{version}-x"
    staging.mkdir(parents=True)
    (staging / "manifest.json").write_text(json.dumps({"version": version, "release_date": "2026-01-01", "files": []}))
    return release.Candidate(
        version=version, release_date=dt.date(2026, 1, 1), data_digest="0123abcd" * 8, staging_dir=staging, tables={}
    )


def test_publish_moves_the_staging_folder_and_points_latest_at_it(tmp_path):
    candidate = _candidate(tmp_path)
    target = release.publish(candidate, tmp_path)
    assert target == tmp_path / candidate.version and not candidate.staging_dir.exists()
    latest = json.loads((tmp_path / "latest.json").read_text())
    assert latest["version"] == candidate.version and latest["manifest"] == f"{candidate.version}/manifest.json"
    assert release.latest_manifest(tmp_path)["version"] == candidate.version
    index = json.loads((tmp_path / "index.json").read_text())
    assert [r["version"] for r in index["releases"]] == [candidate.version]


def test_a_published_release_is_never_overwritten(tmp_path):
    release.publish(_candidate(tmp_path), tmp_path)
    before = (tmp_path / "latest.json").read_bytes()
    again = _candidate(tmp_path)
    with pytest.raises(release.ReleaseError, match="never overwritten"):
        release.publish(again, tmp_path)
    assert (tmp_path / "latest.json").read_bytes() == before


def test_version_sorts_by_date_and_names_the_content():
    assert release.version_for(dt.date(2026, 3, 9), "ab" * 32) == "2026.03.09-abababab"


def test_release_date_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert release.release_date() == dt.date(2026, 1, 1)


def test_written_tables_are_byte_identical_and_carry_their_metadata(tmp_path):
    ts = load_schema("rejects")
    rows = pl.DataFrame(
        {
            "reject_id": ["r_00000000000000bb", "r_00000000000000aa"],
            "source_uri": ["b.txt", "a.json#L2"],
            "doc_id": [None, "d_0123456789abcdef"],
            "source_format": ["txt", "jsonl"],
            "stage": ["ingest", "ingest"],
            "reason": ["binary_content", "invalid_json"],
            "detail": ["not text", "line 2: Expecting value"],
            "raw_sha256": [None, "0" * 64],
        }
    )
    first = write_table(rows, ts, tmp_path / "a.parquet", {"broadsheet:release": "v"})
    second = write_table(rows.reverse(), ts, tmp_path / "b.parquet", {"broadsheet:release": "v"})
    assert first.sha256 == second.sha256 and first.rows == 2
    assert file_metadata(tmp_path / "a.parquet")["broadsheet:release"] == "v"
    # Sorted by the schema's sort_by (stage, source_uri, reject_id), whatever the input order.
    assert pl.read_parquet(tmp_path / "a.parquet")["source_uri"].to_list() == ["a.json#L2", "b.txt"]
