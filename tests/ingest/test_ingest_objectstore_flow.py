"""`broadsheet run` over a source in object storage (fsspec's memory:// filesystem): a whole release.

Marked `flow`: it pays Prefect's start-up and a whole build; the reading itself is tested on the
library in test_ingest_objectstore.py.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import fsspec
import pytest

from broadsheet.cli import main

pytestmark = pytest.mark.flow


@pytest.fixture(scope="module", autouse=True)
def prefect_server():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def test_a_release_is_built_from_a_folder_in_object_storage(tmp_path: Path, monkeypatch, capsys):
    import polars as pl

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    fs = fsspec.filesystem("memory")
    prefix = f"/bucket-{uuid.uuid4().hex[:8]}"
    # Invented articles; any resemblance to real news is accidental.
    fs.pipe(
        f"{prefix}/news/harbour.txt",
        b"Storm closes harbour\n\nThe harbour at Port Ellis was closed on Monday after a storm damaged the main "
        b"pier, the port authority said. Ferries will resume on Thursday, officials said.\n",
    )
    fs.pipe(
        f"{prefix}/news/2026/library.md",
        b"# Library stays open\n\nThe county council voted on Tuesday to keep the Elswick library open for "
        b"another year, its chair Mara Ilves said.\n",
    )
    fs.pipe(f"{prefix}/news/notes.docx", b"PK\x03\x04")
    url = f"memory:/{prefix}/news/"
    try:
        code = main(
            ["run", "--out", str(tmp_path / "dist"), "--build", str(tmp_path / "build"), "--workers", "1", "--source", url]
        )
    finally:
        fs.rm(prefix, recursive=True)
    assert code == 0, capsys.readouterr()
    latest = json.loads((tmp_path / "dist" / "latest.json").read_text())
    release = tmp_path / "dist" / latest["path"]
    documents = pl.read_parquet(release / "documents.parquet")
    assert sorted(documents["source_uri"].to_list()) == [url + "2026/library.md", url + "harbour.txt"]
    assert set(documents["source_name"].to_list()) == {"news"}
    rejects = pl.read_parquet(release / "rejects.parquet")
    assert rejects.select("source_uri", "reason").rows() == [(url + "notes.docx", "unsupported_format")]
