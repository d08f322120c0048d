import codecs
import json
import os
import shutil
from pathlib import Path

import pytest

from broadsheet.ingest import MAX_FILE_BYTES, IngestResult, ingest_sources, make_doc_id


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def by_uri(result: IngestResult) -> dict[str, object]:
    items = {**{r.source_uri: r for r in result.rejects}, **{r.source_uri: r for r in result.records}}
    assert len(items) == len(result.records) + len(result.rejects), "source uris must be distinct"
    return items


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "place" / "seeds"
    write(root / "001-utf8.txt", "Plain UTF-8 article about the harbour.\n")
    write(root / "002-bom.txt", codecs.BOM_UTF8 + b"Article with a BOM.")
    write(root / "003-utf16le.TXT", codecs.BOM_UTF16_LE + "Little endian article.".encode("utf-16-le"))
    write(root / "004-utf16be.txt", codecs.BOM_UTF16_BE + "Big endian article.".encode("utf-16-be"))
    write(root / "005-cp1252.txt", b"The mayor said \x93yes\x94 to the \x80" + b"2m plan.")
    write(root / "006-crlf.md", b"# Title\r\n\r\nBody *text*.\r\n")
    write(root / "007-image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    write(root / "008-empty.txt", b"")
    write(root / "009-table.csv", "a,b\n1,2\n")
    write(
        root / "sub" / "010-feed.jsonl",
        "\n".join(
            [
                json.dumps({"id": "x1", "publisher": "Wire", "text": "Wire story one."}),
                "{not json",
                json.dumps({"id": "x1", "publisher": "Wire", "text": "Wire story one, again."}),
                json.dumps({"id": "x2", "publisher": "Wire", "title": "No body"}),
            ]
        )
        + "\n",
    )
    write(root / "sub" / "011-list.json", json.dumps([{"text": "Listed article."}]))
    write(root / "README", "no extension")
    write(root / "_draft.txt", "skipped: starts with an underscore")
    write(root / ".hidden.txt", "skipped: hidden")
    write(root / ".git" / "config.txt", "skipped: inside a hidden folder")
    return root


def test_folder_ingest_records_and_rejects(corpus: Path):
    result = ingest_sources([corpus])
    items = by_uri(result)
    records = {r.source_uri: r for r in result.records}
    assert [r.source_uri for r in result.records] == [
        "seeds/001-utf8.txt",
        "seeds/002-bom.txt",
        "seeds/003-utf16le.TXT",
        "seeds/004-utf16be.txt",
        "seeds/005-cp1252.txt",
        "seeds/006-crlf.md",
        "seeds/sub/010-feed.jsonl#L1",
        "seeds/sub/011-list.json#0",
    ]
    assert records["seeds/002-bom.txt"].encoding == "utf-8-sig"
    assert records["seeds/003-utf16le.TXT"].text == "Little endian article."
    assert records["seeds/004-utf16be.txt"].encoding == "utf-16"
    assert records["seeds/005-cp1252.txt"].text == "The mayor said “yes” to the €2m plan."
    assert records["seeds/006-crlf.md"].text == "# Title\n\nBody *text*.\n"

    reasons = {r.source_uri: r.reason for r in result.rejects}
    assert reasons == {
        "seeds/007-image.txt": "binary_content",
        "seeds/008-empty.txt": "empty_text",
        "seeds/009-table.csv": "unsupported_format",
        "seeds/README": "unsupported_format",
        "seeds/sub/010-feed.jsonl#L2": "invalid_json",
        "seeds/sub/010-feed.jsonl#L3": "duplicate_id",
        "seeds/sub/010-feed.jsonl#L4": "missing_text",
    }
    duplicate = items["seeds/sub/010-feed.jsonl#L3"]
    assert "seeds/sub/010-feed.jsonl#L1" in duplicate.detail
    assert all(r.stage == "ingest" and r.detail for r in result.rejects)
    assert all(r.raw_sha256 is not None for r in result.rejects if r.reason != "unsupported_format")


def test_doc_ids_are_stable_across_runs_and_locations(corpus: Path, tmp_path: Path):
    first = ingest_sources([corpus])
    again = ingest_sources([str(corpus)])
    moved = tmp_path / "elsewhere" / "deeper" / "seeds"
    shutil.copytree(corpus, moved)
    elsewhere = ingest_sources([moved])
    assert first == again == elsewhere
    assert [r.doc_id for r in first.records] == [r.doc_id for r in elsewhere.records]
    assert first.records[0].doc_id == make_doc_id("seeds/001-utf8.txt")


def test_relative_source_argument(corpus: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(corpus.parent)
    assert ingest_sources(["seeds"]) == ingest_sources([corpus])
    monkeypatch.chdir(corpus)
    # '.' is named after the folder it stands for, never an empty or absolute path.
    assert ingest_sources(["."]).records[0].source_uri == "seeds/001-utf8.txt"


def test_every_record_names_the_source_that_read_it_and_the_licence_it_declares(corpus: Path, tmp_path: Path):
    single = tmp_path / "single.txt"
    single.write_text("A short article about a harbour.\n")
    sources_file = tmp_path / "sources.yaml"
    sources_file.write_text(f"sources:\n  - {{name: open-wire, kind: folder, path: {corpus}, license: CC-BY-4.0}}\n")
    from_file = ingest_sources([sources_file]).records
    assert from_file and {(r.source_name, r.text_license) for r in from_file} == {("open-wire", "CC-BY-4.0")}
    named = ingest_sources([corpus, single]).records
    assert {(r.source_name, r.text_license) for r in named} == {("seeds", None), ("single.txt", None)}
    assert [r.source_uri for r in named if r.source_name == "single.txt"] == ["single.txt"]


def test_single_file_source_is_named_by_its_file_name(corpus: Path):
    result = ingest_sources([corpus / "001-utf8.txt"])
    assert [r.source_uri for r in result.records] == ["001-utf8.txt"]
    assert result.rejects == ()


def test_missing_source_is_a_reject_and_the_run_goes_on(corpus: Path, tmp_path: Path):
    result = ingest_sources([tmp_path / "nowhere", corpus / "001-utf8.txt"])
    assert [r.source_uri for r in result.records] == ["001-utf8.txt"]
    (reject,) = result.rejects
    assert (reject.source_uri, reject.reason, reject.source_format) == ("nowhere", "missing_source", None)


def test_same_source_given_twice_is_read_once(corpus: Path):
    once = ingest_sources([corpus])
    assert ingest_sources([corpus, corpus]) == once


def test_two_files_with_the_same_uri_collide_as_duplicate_ids(tmp_path: Path):
    # Different articles under one doc id from different files: neither is published (the
    # first one given used to win; see _Reader.add for why neither may).
    write(tmp_path / "a" / "story.txt", "First copy.")
    write(tmp_path / "b" / "story.txt", "Second, different file.")
    result = ingest_sources([tmp_path / "a" / "story.txt", tmp_path / "b" / "story.txt"])
    assert result.records == ()
    assert [r.reason for r in result.rejects] == ["duplicate_id", "duplicate_id"]
    assert all("story.txt" in r.detail for r in result.rejects)
    # The same file content twice is one article: the first is kept.
    write(tmp_path / "c" / "story.txt", "First copy.")
    again = ingest_sources([tmp_path / "a" / "story.txt", tmp_path / "c" / "story.txt"])
    assert [r.text for r in again.records] == ["First copy."]
    assert [r.reason for r in again.rejects] == ["duplicate_id"]


def test_record_ids_collide_across_files_of_one_publisher(tmp_path: Path):
    write(tmp_path / "feeds" / "a.json", json.dumps({"id": 7, "publisher": "P", "text": "One."}))
    write(tmp_path / "feeds" / "b.jsonl", json.dumps({"id": "7", "publisher": "P", "text": "Two."}) + "\n")
    write(tmp_path / "feeds" / "c.jsonl", json.dumps({"id": "7", "publisher": "Q", "text": "Three."}) + "\n")
    result = ingest_sources([tmp_path / "feeds"])
    # P's id 7 is claimed by two files with different texts: neither wins by sorting first.
    assert [r.text for r in result.records] == ["Three."]
    assert [(r.source_uri, r.reason) for r in result.rejects] == [
        ("feeds/a.json", "duplicate_id"),
        ("feeds/b.jsonl#L1", "duplicate_id"),
    ]


def test_too_large_file_is_refused_unread(tmp_path: Path):
    big = tmp_path / "src" / "huge.txt"
    big.parent.mkdir()
    with big.open("wb") as handle:  # sparse: costs no disk and no time
        handle.truncate(MAX_FILE_BYTES + 1)
    (reject,) = ingest_sources([big.parent]).rejects
    assert (reject.reason, reject.source_format, reject.raw_sha256) == ("too_large", "txt", None)


def test_unreadable_file_is_a_reject(tmp_path: Path):
    folder = tmp_path / "src"
    folder.mkdir()
    os.symlink(folder / "gone.txt", folder / "dangling.txt")
    # A link to nothing outside the folder is never followed at all (see test_ingest_hostile.py).
    os.symlink(tmp_path / "gone.txt", folder / "dangling-outside.txt")
    rejects = {r.source_uri: r for r in ingest_sources([folder]).rejects}
    assert {uri: r.reason for uri, r in rejects.items()} == {
        "src/dangling.txt": "unreadable",
        "src/dangling-outside.txt": "outside_source",
    }
    for reject in rejects.values():
        assert str(tmp_path) not in reject.detail  # no machine paths in the published rejects


def test_symlinked_folder_cycle_terminates(tmp_path: Path):
    write(tmp_path / "src" / "a.txt", "Article.")
    os.symlink(tmp_path / "src", tmp_path / "src" / "loop")
    result = ingest_sources([tmp_path / "src"])
    assert [r.source_uri for r in result.records] == ["src/a.txt"]
