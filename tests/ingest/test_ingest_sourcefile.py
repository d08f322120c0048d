from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.ingest.sourcefile import (
    SourceEntry,
    SourcesFileError,
    default_sources,
    is_sources_file,
    load_sources_file,
    parse_sources,
)
from tests.repo import REPO_ROOT, SEEDS_DIR


def load(tmp_path: Path, text: str):
    path = tmp_path / "conf" / "sources.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return load_sources_file(path)


def test_every_kind_parses_with_paths_relative_to_the_file(tmp_path: Path):
    loaded = load(
        tmp_path,
        """
sources:
  - {name: local, kind: folder, path: ../articles}
  - {name: inline, kind: urls, urls: [https://a.example/1.html, "http://b.example/2"]}
  - {name: listed, kind: urls, file: urls.txt}
  - {name: news, kind: feed, url: https://a.example/feed.xml}
  - {name: crawl, kind: warc, path: crawls/jan.warc.gz}
  - {name: remote-crawl, kind: warc, url: https://a.example/jan.warc.gz}
""",
    )
    conf = tmp_path / "conf"
    assert loaded.entries == (
        SourceEntry("local", "folder", path=tmp_path / "articles", path_text="../articles"),
        SourceEntry("inline", "urls", urls=("https://a.example/1.html", "http://b.example/2")),
        SourceEntry("listed", "urls", path=conf / "urls.txt", path_text="urls.txt"),
        SourceEntry("news", "feed", url="https://a.example/feed.xml"),
        SourceEntry("crawl", "warc", path=conf / "crawls" / "jan.warc.gz", path_text="crawls/jan.warc.gz"),
        SourceEntry("remote-crawl", "warc", url="https://a.example/jan.warc.gz"),
    )
    assert loaded.entries[0].label == "source 'local' (folder)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {name: a, kind: folder, path: x}", "expected a mapping with a 'sources' list"),
        ("sources: []", "'sources' must be a non-empty list"),
        ("sources: [{name: a, kind: folder, path: x}]\nextra: 1", "unknown top-level key\\(s\\) 'extra'"),
        ("sources: [seeds]", "entry 1: expected a mapping with 'name' and 'kind', not str"),
        ("sources: [{kind: folder, path: x}]", "entry 1: missing field 'name'"),
        ("sources: [{name: a, path: x}]", "entry 1 \\('a'\\): missing field 'kind' \\(one of folder, urls, feed, warc\\)"),
        (
            "sources: [{name: a, kind: rss, url: 'https://x.example/f'}]",
            "entry 1 \\('a'\\): unknown kind 'rss'; expected one of folder, urls, feed, warc",
        ),
        ("sources: [{name: a, kind: folder}]", "entry 1 \\('a'\\): missing field 'path' for kind 'folder'"),
        ("sources: [{name: a, kind: feed}]", "missing field 'url' for kind 'feed'"),
        ("sources: [{name: a, kind: urls}]", "exactly one of 'urls' or 'file' \\(neither given\\)"),
        (
            "sources: [{name: a, kind: warc, path: x.warc, url: 'https://x.example/a.warc'}]",
            "exactly one of 'path' or 'url' \\(both given\\)",
        ),
        (
            "sources: [{name: a, kind: feed, url: 'ftp://x.example/feed.xml'}]",
            "entry 1 \\('a'\\): field 'url': .*scheme 'ftp'; only http and https",
        ),
        (
            "sources: [{name: a, kind: urls, urls: ['https://x.example/1', 'file:///etc/passwd']}]",
            "field 'urls\\[1\\]': .*scheme 'file'",
        ),
        ("sources: [{name: a, kind: urls, urls: []}]", "field 'urls' must be a non-empty list"),
        (
            "sources: [{name: a, kind: folder, path: x, url: 'https://x.example/'}]",
            "unknown field\\(s\\) 'url' for kind 'folder'",
        ),
        ("sources: [{name: a, kind: folder, path: 3}]", "field 'path' must be a non-empty path string"),
        ("sources: [{name: a, kind: folder, path: other.yaml}]", "sources files do not nest"),
        (
            "sources:\n  - {name: a, kind: folder, path: x}\n  - {name: a, kind: folder, path: y}",
            "entry 2 \\('a'\\): the name is already used by entry 1",
        ),
        ("sources: [{name: a, kind: folder, path: x}", "not valid YAML"),
        ("sources: [{name: a, kind: folder, path: x, license: ''}]", "field 'license' must be one line"),
        ("sources: [{name: a, kind: folder, path: x, license: [CC0-1.0]}]", "field 'license' must be one line"),
        ('sources: [{name: a, kind: folder, path: x, license: "one\\ntwo"}]', "field 'license' must be one line"),
        (f"sources: [{{name: a, kind: feed, url: 'https://x.example/f', license: {'x' * 201}}}]", "over 200 characters"),
    ],
)
def test_invalid_files_name_the_file_and_the_entry(tmp_path: Path, text: str, message: str):
    with pytest.raises(SourcesFileError, match=message) as caught:
        load(tmp_path, text)
    assert str(caught.value).startswith(str(tmp_path / "conf" / "sources.yaml") + ":")


def test_any_entry_may_declare_the_licence_of_its_texts(tmp_path: Path):
    loaded = load(
        tmp_path,
        """
sources:
  - {name: open, kind: folder, path: a, license: CC-BY-4.0}
  - {name: terms, kind: feed, url: https://a.example/feed.xml, license: "  https://a.example/terms  "}
  - {name: silent, kind: urls, urls: [https://a.example/1.html]}
""",
    )
    assert [e.license for e in loaded.entries] == ["CC-BY-4.0", "https://a.example/terms", None]


def test_a_missing_file_is_an_error(tmp_path: Path):
    with pytest.raises(SourcesFileError, match="no such sources file"):
        load_sources_file(tmp_path / "nope.yaml")


def test_parse_sources_takes_already_parsed_yaml(tmp_path: Path):
    entries = parse_sources({"sources": [{"name": "s", "kind": "urls", "urls": "https://x.example/a"}]}, tmp_path)
    assert entries == (SourceEntry("s", "urls", urls=("https://x.example/a",)),)


def test_default_sources_prefers_sources_yaml_in_the_current_folder(tmp_path: Path):
    assert default_sources(tmp_path) == [tmp_path / "seeds"]
    (tmp_path / "sources.yaml").write_text("sources: [{name: s, kind: folder, path: seeds}]")
    assert default_sources(tmp_path) == [tmp_path / "sources.yaml"]
    assert is_sources_file("x/SOURCES.YML") and not is_sources_file("seeds") and not is_sources_file("a.json")


def test_the_shipped_sources_file_reads_only_the_seeds():
    loaded = load_sources_file(REPO_ROOT / "sources.yaml")
    assert loaded.entries == (SourceEntry("seeds", "folder", path=SEEDS_DIR, path_text="seeds", license="CC0-1.0"),)


def test_the_shipped_sources_file_keeps_the_seed_uris_and_doc_ids(tmp_path: Path):
    """A plain run (the sources file) and `--source seeds` read the same records under the same
    uris and doc ids; only the licence the file declares differs. The committed release is a plain run."""
    import json

    import polars as pl

    from broadsheet.ingest import ingest_sources

    via_file = ingest_sources([REPO_ROOT / "sources.yaml"], fetch_dir=tmp_path)
    import dataclasses

    named = ingest_sources([SEEDS_DIR], fetch_dir=tmp_path)
    assert [dataclasses.replace(r, text_license=None) for r in via_file.records] == list(named.records)
    assert via_file.rejects == named.rejects
    assert {(r.source_name, r.text_license) for r in via_file.records} == {("seeds", "CC0-1.0")}
    assert via_file.records and all(r.source_uri.startswith("seeds/") for r in via_file.records)
    latest = REPO_ROOT / "dist" / "latest.json"
    if latest.is_file():
        release = REPO_ROOT / "dist" / json.loads(latest.read_text())["path"]
        documents = pl.read_parquet(release / "documents.parquet")
        published = dict(documents.select("source_uri", "doc_id").iter_rows())
        assert set(documents.select("source_name", "text_license").iter_rows()) == {("seeds", "CC0-1.0")}
        ours = {r.source_uri: r.doc_id for r in via_file.records}
        assert published and all(ours.get(uri) == doc_id for uri, doc_id in published.items())
