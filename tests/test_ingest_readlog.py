"""The ingest read log (broadsheet.ingest.readlog): it vouches for an ingest's tables only while
the files listed and their bytes are exactly what that ingest read."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from broadsheet.ingest import MAX_FILE_BYTES, readlog
from broadsheet.ingest.stage import ingest_stage
from broadsheet.release import unchanged
from tests.repo import SEEDS_DIR

ARTICLE = {"id": "harbour-1", "title": "Storm closes harbour", "text": "The harbour at Port Ellis was closed on Monday."}


@pytest.fixture
def sources(tmp_path) -> Path:
    folder = tmp_path / "sources"
    shutil.copytree(SEEDS_DIR, folder)
    (folder / "harbour.json").write_text(json.dumps(ARTICLE))
    (folder / "notes.pdf").write_bytes(b"%PDF not an article format")
    return folder


def _ingest(sources, tmp_path, **kw):
    log = tmp_path / "build" / "cache" / readlog.FILE
    return ingest_stage(sources, tmp_path / "build", read_log=log, **kw), log


def test_an_unchanged_folder_gives_the_logged_digest_without_parsing(tmp_path, sources, monkeypatch):
    output, log = _ingest([sources], tmp_path)
    expected = (output.digest, output.files["ingested"].rows)
    assert readlog.known_ingest(log, [sources], MAX_FILE_BYTES) == expected

    import broadsheet.ingest.reading as reading

    def no_parsing(*args, **kwargs):
        raise AssertionError("the log must not parse articles")

    monkeypatch.setattr(reading, "read_source", no_parsing)
    assert readlog.known_ingest(log, [sources], MAX_FILE_BYTES) == expected
    # A new timestamp on the same bytes is the same input; so is a file edited and put back.
    os.utime(sources / "harbour.json", (1, 1))
    assert readlog.known_ingest(log, [sources], MAX_FILE_BYTES) == expected


@pytest.mark.parametrize(
    "change",
    ["edit", "add", "remove", "rename", "add_unsupported", "subfolder"],
)
def test_any_change_to_what_ingest_would_read_is_not_vouched_for(tmp_path, sources, change):
    _, log = _ingest([sources], tmp_path)
    article = sources / "harbour.json"
    if change == "edit":
        article.write_text(json.dumps({**ARTICLE, "text": ARTICLE["text"] + " It reopened."}))
    elif change == "add":
        (sources / "harbour-2.json").write_text(json.dumps({**ARTICLE, "id": "harbour-2"}))
    elif change == "remove":
        article.unlink()
    elif change == "rename":
        article.rename(sources / "harbour-renamed.json")
    elif change == "add_unsupported":
        (sources / "scan.tiff").write_bytes(b"II*\x00")
    else:
        (sources / "more").mkdir()
        (sources / "more" / "harbour-3.json").write_text(json.dumps({**ARTICLE, "id": "harbour-3"}))
    assert readlog.known_ingest(log, [sources], MAX_FILE_BYTES) is None
    # ...until an ingest of the new state logs it again.
    output, log = _ingest([sources], tmp_path)
    assert readlog.known_ingest(log, [sources], MAX_FILE_BYTES) == (output.digest, output.files["ingested"].rows)


def test_other_sources_other_code_or_an_unreadable_file_are_not_vouched_for(tmp_path, sources, monkeypatch):
    _, log = _ingest([sources], tmp_path)
    assert readlog.known_ingest(log, [sources, SEEDS_DIR], MAX_FILE_BYTES) is None
    assert readlog.known_ingest(log, [sources / "harbour.json"], MAX_FILE_BYTES) is None
    # A file that a read with these limits would reject: the ingest itself says why.
    assert readlog.known_ingest(log, [sources], 16) is None
    monkeypatch.setattr(unchanged, "code_fingerprint", lambda: "other code")
    assert readlog.known_ingest(log, [sources], MAX_FILE_BYTES) is None
    log.write_text("not json")
    monkeypatch.undo()
    assert readlog.known_ingest(log, [sources], MAX_FILE_BYTES) is None


def test_no_log_where_more_than_the_files_decides(tmp_path, sources):
    # A sources file: its entries' names and licences are in the rows; the log covers plain paths.
    listing = tmp_path / "local.yaml"
    listing.write_text(f"sources:\n  - name: wire\n    kind: folder\n    path: {sources}\n")
    _, log = _ingest([sources], tmp_path)
    assert log.is_file()
    _, log = _ingest([listing], tmp_path)
    assert not log.exists()  # and the older log is gone

    # Two different articles claiming one doc id: which one keeps it can depend on the latest
    # release, which is not in the log.
    (sources / "copy.json").write_text(json.dumps({**ARTICLE, "text": "Another article under the same id."}))
    output, log = _ingest([sources], tmp_path)
    assert any(r == "duplicate_id" for r in _reasons(output))
    assert not log.exists()


def test_a_missing_source_is_logged_as_its_listing_said(tmp_path, sources):
    missing = tmp_path / "not-there"
    output, log = _ingest([sources, missing], tmp_path)
    assert readlog.known_ingest(log, [sources, missing], MAX_FILE_BYTES) == (output.digest, output.files["ingested"].rows)
    missing.mkdir()
    assert readlog.known_ingest(log, [sources, missing], MAX_FILE_BYTES) is None


def _reasons(output) -> list[str]:
    import polars as pl

    return pl.read_parquet(output.path("rejects"))["reason"].to_list()
