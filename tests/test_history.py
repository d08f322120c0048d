import datetime as dt
import json
import shutil

import polars as pl
import pytest

from broadsheet import release
from broadsheet.paths import STAGING_PREFIX
from broadsheet.release.history import build_index, diff_markdown, diff_releases
from broadsheet.schema import Column, TableSchema
from broadsheet.tableio import sha256_file, write_table


def _table(name, key, *columns):
    cols = tuple(Column(name=n, type=t, nullable=n not in key, description=f"{n} of {name}") for n, t in columns)
    return TableSchema(
        name=name, description=f"test table {name}", release=True, primary_key=key, sort_by=key, spans=(), columns=cols
    )


DOCS = _table("documents", ("doc_id",), ("doc_id", "string"), ("title", "string"), ("n_words", "int64"), ("tags", "list<string>"))
MENTIONS = _table("mentions", ("doc_id", "start_char"), ("doc_id", "string"), ("start_char", "int64"), ("surface", "string"))
SCHEMAS = {"documents": DOCS, "mentions": MENTIONS}


def _docs(n=3):
    return pl.DataFrame(
        {
            "doc_id": [f"d_{i:016x}" for i in range(n)],
            "title": [f"Title {i}" for i in range(n)],
            "n_words": [100 + i for i in range(n)],
            "tags": [["news"] for _ in range(n)],
        }
    )


def _mentions():
    return pl.DataFrame(
        {"doc_id": ["d_0000000000000000", "d_0000000000000001"], "start_char": [4, 10], "surface": ["Oslo", "Ada"]}
    )


def _publish(dist, version, frames, schemas=SCHEMAS, day=dt.date(2026, 1, 1)):
    """A release laid out as the release stage lays it out, published with its own `publish`."""
    previous = release.latest(dist) if dist.exists() else None
    staging = dist / f"{STAGING_PREFIX}{version}-test"
    tables = {}
    for name, frame in frames.items():
        kv = {"broadsheet:release": version, "broadsheet:schema_version": "1.0.0", "broadsheet:table": name}
        info = write_table(frame, schemas[name], staging / f"{name}.parquet", kv)
        tables[name] = {"path": f"{name}.parquet", "rows": info.rows, "bytes": info.bytes, "sha256": info.sha256}
    (staging / "README.md").write_text(f"# release {version}\n")
    files = [
        {"path": p.relative_to(staging).as_posix(), "bytes": p.stat().st_size, "sha256": sha256_file(p)}
        for p in sorted(staging.rglob("*"))
        if p.is_file()
    ]
    manifest = {
        "version": version,
        "release_date": day.isoformat(),
        "schema_version": "1.0.0",
        "previous_version": previous["version"] if previous else None,
        "tables": tables,
        "files": files,
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    candidate = release.Candidate(version=version, release_date=day, data_digest="0" * 64, staging_dir=staging, tables={})
    return release.publish(candidate, dist)


@pytest.fixture
def first(tmp_path):
    return _publish(tmp_path / "dist", "2026.01.01-aaaaaaaa", {"documents": _docs(), "mentions": _mentions()})


def test_a_release_compared_with_itself_has_no_changes(first):
    diff = diff_releases(first, first, SCHEMAS)
    assert diff["is_empty"] and diff["summary"] == {"added": 0, "removed": 0, "changed": 0, "schema_changed": False}
    assert {t["status"] for t in diff["tables"].values()} == {"unchanged"}


def test_one_added_row_shows_exactly_its_key(first):
    second = _publish(first.parent, "2026.01.02-bbbbbbbb", {"documents": _docs(4), "mentions": _mentions()})
    diff = diff_releases(first, second, SCHEMAS)
    docs = diff["tables"]["documents"]
    assert docs["added"] == {"count": 1, "examples": [{"doc_id": "d_0000000000000003"}]}
    assert docs["removed"]["count"] == 0 and docs["changed"]["count"] == 0
    assert (docs["status"], docs["rows_old"], docs["rows_new"]) == ("changed", 3, 4)
    # Every file's bytes differ (each carries its release's version), yet mentions did not change.
    assert diff["tables"]["mentions"]["status"] == "unchanged"
    assert diff["summary"] == {"added": 1, "removed": 0, "changed": 0, "schema_changed": False}
    assert (diff["old_version"], diff["new_version"]) == ("2026.01.01-aaaaaaaa", "2026.01.02-bbbbbbbb")


def test_removed_and_changed_rows_name_their_keys_and_changed_columns(first):
    docs = (
        _docs()
        .filter(pl.col("doc_id") != "d_0000000000000000")
        .with_columns(
            title=pl.when(pl.col("doc_id") == "d_0000000000000001").then(pl.lit("New title")).otherwise("title"),
            tags=pl.when(pl.col("doc_id") == "d_0000000000000002").then(None).otherwise("tags"),
        )
    )
    mentions = _mentions().with_columns(surface=pl.when(pl.col("start_char") == 10).then(pl.lit("Ada L.")).otherwise("surface"))
    second = _publish(first.parent, "2026.01.02-bbbbbbbb", {"documents": docs, "mentions": mentions})
    diff = diff_releases(first, second, SCHEMAS)
    t = diff["tables"]["documents"]
    assert t["removed"] == {"count": 1, "examples": [{"doc_id": "d_0000000000000000"}]}
    assert t["changed"] == {
        "count": 2,
        "examples": [{"doc_id": "d_0000000000000001"}, {"doc_id": "d_0000000000000002"}],
        "columns": {"title": 1, "tags": 1},
    }
    # A composite key is reported column by column.
    assert diff["tables"]["mentions"]["changed"]["examples"] == [{"doc_id": "d_0000000000000001", "start_char": 10}]


def test_first_release_has_every_row_added_with_capped_sorted_examples(first):
    diff = diff_releases(None, first, SCHEMAS, max_examples=2)
    docs = diff["tables"]["documents"]
    assert docs["status"] == "added" and docs["added"]["count"] == 3
    assert docs["added"]["examples"] == [{"doc_id": "d_0000000000000000"}, {"doc_id": "d_0000000000000001"}]
    assert diff["old_version"] is None and not diff["is_empty"] and diff["summary"]["added"] == 5
    assert diff_markdown(diff).startswith("First release")


def test_schema_changes_are_reported_and_do_not_mark_rows_changed(first):
    docs2 = _table(
        "documents", ("doc_id",), ("doc_id", "string"), ("title", "string"), ("n_words", "float64"), ("language", "string")
    )
    frame = _docs().drop("tags").with_columns(pl.col("n_words").cast(pl.Float64), language=pl.lit("en"))
    second = _publish(first.parent, "2026.01.02-bbbbbbbb", {"documents": frame}, {"documents": docs2})
    diff = diff_releases(first, second, {"documents": docs2, "mentions": MENTIONS})
    t = diff["tables"]["documents"]
    assert t["schema"] == {
        "columns_added": [{"name": "language", "type": "string"}],
        "columns_removed": [{"name": "tags", "type": "list<string>"}],
        "columns_retyped": [{"name": "n_words", "old_type": "int64", "new_type": "float64"}],
        "nullability_changed": [],
    }
    assert t["status"] == "changed" and t["changed"]["count"] == 0
    assert diff["tables"]["mentions"]["status"] == "removed" and diff["tables"]["mentions"]["removed"]["count"] == 2
    assert diff["summary"]["schema_changed"] and not diff["is_empty"]
    assert "+language" in diff_markdown(diff) and "table removed" in diff_markdown(diff)


def test_a_staging_folder_without_manifest_diffs_like_the_published_one(first, tmp_path):
    second = _publish(first.parent, "2026.01.02-bbbbbbbb", {"documents": _docs(4), "mentions": _mentions()})
    staged = tmp_path / ".staging-x"
    staged.mkdir()
    for name in ("documents", "mentions"):
        shutil.copy(second / f"{name}.parquet", staged)
    assert diff_releases(first, staged, SCHEMAS) == diff_releases(first, second, SCHEMAS)


def test_diff_is_deterministic_json(first):
    second = _publish(first.parent, "2026.01.02-bbbbbbbb", {"documents": _docs(5), "mentions": _mentions()})
    a, b = diff_releases(first, second, SCHEMAS), diff_releases(first, second, SCHEMAS)
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert json.loads(json.dumps(a)) == a


def test_index_lists_published_releases_in_chain_order_with_checksums(first):
    dist = first.parent
    # Same day, but a hash that sorts before the first one: the previous_version chain decides.
    second = _publish(dist, "2026.01.01-00000000", {"documents": _docs(4), "mentions": _mentions()})
    (dist / ".staging-2026.01.03-cccccccc-x").mkdir()
    (dist / "notes").mkdir()
    index = build_index(dist)
    assert [r["version"] for r in index["releases"]] == ["2026.01.01-aaaaaaaa", "2026.01.01-00000000"]
    assert index["latest"] == "2026.01.01-00000000" and index["updated"] == "2026-01-01"
    entry = index["releases"][1]
    assert entry["previous_version"] == "2026.01.01-aaaaaaaa"
    assert entry["manifest_sha256"] == sha256_file(second / "manifest.json")
    assert entry["manifest_sha256"] == json.loads((dist / "latest.json").read_text())["manifest_sha256"]
    files = {f["path"]: f for f in entry["files"]}
    assert set(files) == {f"{second.name}/{p.relative_to(second).as_posix()}" for p in second.rglob("*") if p.is_file()}
    for path, f in files.items():
        assert (f["bytes"], f["sha256"]) == ((dist / path).stat().st_size, sha256_file(dist / path))
    assert entry["tables"]["documents"] == {"path": f"{second.name}/documents.parquet", "rows": 4}
    assert build_index(dist) == index


def test_index_refuses_a_manifest_in_the_wrong_folder(first):
    shutil.copytree(first, first.parent / "2026.02.02-dddddddd")
    with pytest.raises(ValueError, match="lies in folder"):
        build_index(first.parent)


def test_a_table_that_lost_more_rows_than_declared_is_named():
    from broadsheet.release.history import diff_markdown, row_drop_lines, row_drops

    diff = {
        "old_version": "2026.01.01-aaaaaaaa",
        "is_empty": False,
        "tables": {
            name: {
                "rows_old": old,
                "rows_new": new,
                "status": "changed",
                "added": {"count": 0},
                "removed": {"count": max(old - new, 0)},
                "changed": {"count": 0},
                "schema": {"columns_added": [], "columns_removed": [], "columns_retyped": [], "nullability_changed": []},
            }
            for name, old, new in [("documents", 100, 60), ("claims", 400, 390), ("rejects", 0, 0)]
        },
    }
    drops = row_drops(diff, 0.25)
    assert [(d["table"], d["rows_old"], d["rows_new"]) for d in drops] == [("documents", 100, 60)]
    [line] = row_drop_lines(drops, 0.25)
    assert "documents fell from 100 to 60 rows (40% fewer)" in line and "25%" in line
    assert "**Rows dropped:** documents fell" in diff_markdown(diff, 0.25)
    assert row_drops(diff, 0.5) == [] and row_drops({**diff, "old_version": None}, 0.25) == []
