"""Sources in object storage: fsspec's memory:// filesystem stands in for a bucket (no network).

The same articles read from a local folder and from a storage URL must give the same records,
apart from where they came from (source_uri, and the doc ids derived from it).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import uuid
from pathlib import Path

import fsspec
import pytest
from fsspec.implementations.memory import MemoryFileSystem
from fsspec.registry import _registry, known_implementations

import broadsheet.ingest.reading
from broadsheet.cli import run_sources, source_argument
from broadsheet.ingest import SourceRecord, ingest_sources, make_doc_id
from broadsheet.ingest.objectstore import as_source, find_remote_files, is_url, url_name, url_problem
from broadsheet.ingest.sourcefile import SourcesFileError, load_sources_file
from broadsheet.ingest.sources import find_source_files
from tests.ingest.conftest import article_html, build_warc, sample_warc_records

# Invented articles; any resemblance to real news is accidental.
ARTICLES = {
    "z-last-at-top.txt": "Ferry service ends\n\nThe night ferry to Port Elswick stops in March, the harbour authority said on Tuesday.\n",
    "a-first.md": "# Council vote\n\nThe county council voted on Monday to keep the library open for another year.\n",
    "page.html": article_html("Harbour strike", date="2026-01-12"),
    "record.json": '{"id": "c-17", "publisher": "Courier", "title": "Rates", "text": "The bank held rates at 4 percent on Thursday."}',
    "lines.jsonl": '{"text": "Snow closed the pass road on Friday, the police said."}\n{"text": "not closed"\n',
    "latin1.txt": "Caf\xe9 owners in the old town said on Monday that the new parking rules cost them trade.".encode("cp1252"),
    "b-folder/inner.txt": "Inner story\n\nThe bridge reopened on Sunday after three weeks of repairs, the city said.\n",
    "b-folder/deeper/deep.txt": "Deep story\n\nThe mine closed on Friday after ninety years, its owners said.\n",
    "a-folder/first.txt": "First folder\n\nThe school board met on Wednesday and approved the new timetable.\n",
    "_notes.txt": "skipped: a name starting with an underscore\n",
    ".hidden.txt": "skipped: a hidden file\n",
    ".cache/x.txt": "skipped: inside a hidden folder\n",
    "_drafts/kept.txt": "A draft folder\n\nFolders starting with an underscore are walked; only such files are skipped.\n",
    "slides.pdf": b"%PDF-1.4 not an article",
    "empty.txt": "",
    "huge.txt": "The longest article. " * 300,
}


def _write_local(root: Path) -> Path:
    for name, content in ARTICLES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


@pytest.fixture
def bucket():
    """A fresh prefix of the memory filesystem (shared by the whole process), removed afterwards."""
    fs = fsspec.filesystem("memory")
    prefix = f"bucket-{uuid.uuid4().hex[:8]}"
    yield fs, prefix
    if fs.exists(f"/{prefix}"):
        fs.rm(f"/{prefix}", recursive=True)


@pytest.fixture
def corpus(tmp_path: Path, bucket):
    """The articles as a local folder `corpus/` and under `memory://<bucket>/corpus/`, plus objects
    next to the prefix that a folder URL must not read."""
    fs, prefix = bucket
    local = _write_local(tmp_path / "corpus")
    for path in sorted(local.rglob("*")):
        if path.is_file():
            fs.pipe(f"/{prefix}/corpus/{path.relative_to(local).as_posix()}", path.read_bytes())
    fs.pipe(f"/{prefix}/corpus-old/outside.txt", b"Outside\n\nA file next to the prefix, never read.\n")
    fs.pipe(f"/{prefix}/corpus.txt", b"Outside\n\nA key that only starts like the prefix.\n")
    return local, f"memory://{prefix}/corpus/", fs, prefix


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(broadsheet.ingest.reading, "MAX_FILE_BYTES", 4000)


def _as_local(record: SourceRecord, local_uri: str) -> SourceRecord:
    """The record as a local read names it: its uri, and the doc id that uri gives when the id came from it."""
    doc_id = make_doc_id(local_uri) if record.doc_id == make_doc_id(record.source_uri) else record.doc_id
    return dataclasses.replace(record, source_uri=local_uri, doc_id=doc_id)


def _local_uri(remote_uri: str, url: str) -> str:
    assert remote_uri.startswith(url), remote_uri
    return "corpus/" + remote_uri[len(url) :]


def test_a_folder_url_gives_the_records_and_rejects_of_the_same_local_folder(corpus, tmp_path, small_limit):
    local, url, _fs, _prefix = corpus
    from_disk = ingest_sources([local], fetch_dir=tmp_path / "fetch")
    from_store = ingest_sources([url], fetch_dir=tmp_path / "fetch")

    assert [r.source_uri for r in from_store.records] == [url + r.source_uri.removeprefix("corpus/") for r in from_disk.records]
    # Text, hashes, encodings, metadata, source name: all the same; ids follow the uri.
    assert [_as_local(r, _local_uri(r.source_uri, url)) for r in from_store.records] == list(from_disk.records)
    assert {r.source_name for r in from_store.records} == {"corpus"}
    assert [r.doc_id for r in from_store.records if r.source_record_id == "c-17"] == [
        r.doc_id for r in from_disk.records if r.source_record_id == "c-17"
    ]
    # The same rejects, for the same reasons, in the same words.
    assert [dataclasses.replace(j, source_uri=_local_uri(j.source_uri, url), doc_id=None) for j in from_store.rejects] == [
        dataclasses.replace(j, doc_id=None) for j in from_disk.rejects
    ]
    reasons = {r.source_uri.removeprefix(url): r.reason for r in from_store.rejects}
    assert reasons["slides.pdf"] == "unsupported_format"
    assert reasons["empty.txt"] == "empty_text"
    assert reasons["huge.txt"] == "too_large"
    assert reasons["lines.jsonl#L2"] == "invalid_json"


def test_a_folder_url_is_walked_in_the_order_of_a_local_folder_and_reads_nothing_outside(corpus, tmp_path):
    local, url, _fs, _prefix = corpus
    files, rejects = find_remote_files(url)
    assert not rejects
    names = [f.source_uri.removeprefix(url) for f in files]
    local_names = [f.source_uri.removeprefix("corpus/") for f in find_source_files(local)[0]]
    assert names == local_names
    assert names[:2] == ["a-first.md", "empty.txt"]  # a folder's files first, then its subfolders
    assert names.index("z-last-at-top.txt") < names.index("_drafts/kept.txt") < names.index("a-folder/first.txt")
    assert names.index("b-folder/inner.txt") < names.index("b-folder/deeper/deep.txt")
    assert not [n for n in names if n.startswith((".", "_notes")) or "/." in n or "outside" in n]
    # Without the trailing slash the prefix is the same folder, not every key starting with it.
    assert [f.source_uri for f in find_remote_files(url.rstrip("/"))[0]] == [f.source_uri for f in files]


def test_a_file_url_is_one_article_named_by_its_url(corpus, tmp_path):
    _local, url, _fs, _prefix = corpus
    result = ingest_sources([url + "b-folder/inner.txt"], fetch_dir=tmp_path / "fetch")
    assert [(r.source_uri, r.source_name) for r in result.records] == [(url + "b-folder/inner.txt", "inner.txt")]
    assert result.records[0].doc_id == make_doc_id(url + "b-folder/inner.txt")


def test_unknown_protocols_missing_packages_and_missing_objects_are_rejects_and_the_run_goes_on(corpus, tmp_path):
    _local, url, _fs, prefix = corpus
    fsspec.register_implementation(
        "notinstalledfs", "no_such_storage_package.Filesystem", clobber=True, errtxt="Install no_such_storage_package"
    )
    try:
        result = ingest_sources(
            [
                "nosuchprotocol://bucket/news/",
                "notinstalledfs://bucket/news/",
                f"memory://{prefix}/no-such-folder/",
                f"memory://{prefix}/corpus/a-folder/",
            ],
            fetch_dir=tmp_path / "fetch",
        )
    finally:
        known_implementations.pop("notinstalledfs", None)
    rejects = {r.source_uri: (r.reason, r.detail) for r in result.rejects}
    assert rejects["nosuchprotocol://bucket/news/"][0] == "bad_url"
    assert "'nosuchprotocol' is not a protocol fsspec knows" in rejects["nosuchprotocol://bucket/news/"][1]
    assert rejects["notinstalledfs://bucket/news/"] == (
        "bad_url",
        "'notinstalledfs://bucket/news/': the filesystem package for notinstalledfs:// is not installed; "
        "install it with `pip install no_such_storage_package`",
    )
    assert rejects[f"memory://{prefix}/no-such-folder/"][0] == "missing_source"
    assert [r.source_uri for r in result.records] == [url + "a-folder/first.txt"]


def test_an_s3_url_without_s3fs_says_what_to_install(tmp_path):
    if importlib.util.find_spec("s3fs") is not None:
        pytest.skip("s3fs is installed here")
    (reject,) = ingest_sources(["s3://news-bucket/2026/"], fetch_dir=tmp_path / "fetch").rejects
    assert reject.reason == "bad_url" and "pip install s3fs" in reject.detail and "s3://news-bucket/2026/" in reject.detail


class FlakyStore(MemoryFileSystem):
    """A memory store whose objects fail as a bucket's can, by name: permission refused, vanished
    after listing, connection lost, a timeout, and an SDK's own exception (not an OSError)."""

    protocol = "flakystore"
    store: dict = {}  # noqa: RUF012 - fsspec's memory store is a class attribute; this one is its own
    pseudo_dirs: list = [""]  # noqa: RUF012

    @classmethod
    def _strip_protocol(cls, path):
        return super()._strip_protocol(path.removeprefix("flakystore://") if isinstance(path, str) else path)

    def cat_file(self, path, start=None, end=None, **kwargs):
        name = path.rsplit("/", 1)[-1]
        if name.startswith("denied"):
            raise PermissionError("Access Denied")
        if name.startswith("vanished"):
            raise FileNotFoundError(path)
        if name.startswith("reset"):
            raise ConnectionResetError("connection reset by peer")
        if name.startswith("slow"):
            raise TimeoutError("read timed out")
        if name.startswith("sdk"):
            raise RuntimeError("ClientError: SlowDown")
        return super().cat_file(path, start=start, end=end, **kwargs)

    def find(self, path, *args, **kwargs):
        if "unreachable" in path:
            raise ConnectionRefusedError("could not connect to the endpoint")
        return super().find(path, *args, **kwargs)


@pytest.fixture
def flaky_store():
    fsspec.register_implementation("flakystore", FlakyStore, clobber=True)
    fs = FlakyStore()
    for name in ["denied.txt", "vanished.txt", "reset.txt", "slow.txt", "sdk.txt", "good.txt"]:
        fs.pipe(f"/news/{name}", b"A story\n\nThe harbour reopened on Monday after the storm, the port said.\n")
    fs.pipe("/unreachable/a.txt", b"never listed")
    yield fs
    FlakyStore.store.clear()
    _registry.pop("flakystore", None)


def test_storage_errors_are_rejects_with_reasons_and_the_other_objects_are_read(flaky_store, tmp_path):
    result = ingest_sources(["flakystore://news/", "flakystore://unreachable/"], fetch_dir=tmp_path / "fetch")
    assert [r.source_uri for r in result.records] == ["flakystore://news/good.txt"]
    rejects = {r.source_uri.removeprefix("flakystore://"): (r.reason, r.detail) for r in result.rejects}
    assert rejects["news/denied.txt"] == (
        "unreadable",
        "the file could not be read: permission denied by the storage (PermissionError: Access Denied)",
    )
    assert rejects["news/vanished.txt"] == (
        "unreadable",
        "the file could not be read: the object no longer exists (removed after its folder was listed)",
    )
    assert rejects["news/reset.txt"][0] == "fetch_failed" and "connection reset by peer" in rejects["news/reset.txt"][1]
    assert rejects["news/slow.txt"][0] == "fetch_timeout"
    assert rejects["news/sdk.txt"][0] == "fetch_failed" and "RuntimeError: ClientError: SlowDown" in rejects["news/sdk.txt"][1]
    assert rejects["unreachable/"][0] == "fetch_failed" and "could not be listed" in rejects["unreachable/"][1]
    # The id a fixed object would get, as for a local file that could not be read.
    assert {r.doc_id for r in result.rejects if r.source_uri.endswith("denied.txt")} == {
        make_doc_id("flakystore://news/denied.txt")
    }


def test_urls_with_credentials_or_web_addresses_are_refused_before_any_io(tmp_path):
    result = ingest_sources(
        ["memory://key:secret@bucket/news/", "memory://bucket/news/?sig=abc", "https://news.example/a.html"],
        fetch_dir=tmp_path / "fetch",
    )
    assert [r.reason for r in result.rejects] == ["bad_url"] * 3
    # The rejects table is published: no secret reaches it.
    assert not [r for r in result.rejects if "secret" in f"{r.source_uri} {r.detail}" or "sig=" in f"{r.source_uri} {r.detail}"]
    assert "credentials come from the storage's own configuration" in result.rejects[0].detail
    assert "kind 'urls'" in result.rejects[2].detail


def test_a_file_url_is_the_local_path_it_names(corpus, tmp_path):
    local, _url, _fs, _prefix = corpus
    assert as_source(local.as_uri()) == local and not is_url(local.as_uri())
    from_url = ingest_sources([local.as_uri()], fetch_dir=tmp_path / "fetch")
    assert from_url == ingest_sources([local], fetch_dir=tmp_path / "fetch")
    assert url_problem("file://otherhost/data/news") is not None


def test_url_names_and_the_url_test():
    assert url_name("s3://bucket/news/2026/") == "2026"
    assert url_name("s3://bucket") == "bucket"
    assert url_name("simplecache::s3://bucket/news") == "news"
    assert is_url("s3://bucket/x") and is_url("simplecache::gs://b/x")
    assert not is_url(Path("s3:/bucket/x")) and not is_url("seeds") and not is_url("C:\\news")
    assert not is_url("notes::2026") and source_argument("notes::2026") == Path("notes::2026")


def test_sources_file_entries_take_storage_urls_for_folders_and_warcs(corpus, tmp_path):
    local, url, fs, prefix = corpus
    warc = build_warc(sample_warc_records())
    fs.pipe(f"/{prefix}/crawls/jan.warc.gz", warc)
    (tmp_path / "jan.warc.gz").write_bytes(warc)
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        f"  - {{name: bucket-news, kind: folder, path: '{url}a-folder/', license: CC0-1.0}}\n"
        f"  - {{name: bucket-crawl, kind: warc, path: 'memory://{prefix}/crawls/jan.warc.gz'}}\n"
        f"  - {{name: gone-crawl, kind: warc, path: 'memory://{prefix}/crawls/feb.warc.gz'}}\n"
    )
    (tmp_path / "local.yaml").write_text("sources:\n  - {name: bucket-crawl, kind: warc, path: jan.warc.gz}\n")
    entries = load_sources_file(tmp_path / "sources.yaml").entries
    assert entries[0].remote == f"{url}a-folder/" and entries[0].path is None
    result = ingest_sources([tmp_path / "sources.yaml"], fetch_dir=tmp_path / "fetch")
    folder = [r for r in result.records if r.source_name == "bucket-news"]
    assert [(r.source_uri, r.text_license) for r in folder] == [(url + "a-folder/first.txt", "CC0-1.0")]
    # The archive read from the bucket gives what the same archive on disk gives.
    from_bucket = [r for r in result.records if r.source_name == "bucket-crawl"]
    from_disk = ingest_sources([tmp_path / "local.yaml"], fetch_dir=tmp_path / "fetch")
    assert from_bucket and from_bucket == list(from_disk.records)
    bucket_rejects = [r for r in result.rejects if "(warc)" in r.detail and "gone-crawl" not in r.detail]
    assert [r.reason for r in bucket_rejects] == [r.reason for r in from_disk.rejects]
    (missing,) = [r for r in result.rejects if "feb.warc.gz" in r.source_uri]
    assert missing.reason == "missing_source" and "source 'gone-crawl' (warc)" in missing.detail


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{name: n, kind: folder, path: 'https://news.example/'}", "is a web address"),
        ("{name: n, kind: folder, path: 'nosuchprotocol://b/x'}", "not a protocol fsspec knows"),
        ("{name: n, kind: folder, path: 's3://key:secret@b/x'}", "holds a password"),
        ("{name: n, kind: urls, file: 's3://b/urls.txt'}", "a URL list is read from local disk"),
    ],
)
def test_a_sources_file_with_an_unusable_storage_url_fails_before_the_run(tmp_path, entry, message):
    (tmp_path / "sources.yaml").write_text(f"sources:\n  - {entry}\n")
    with pytest.raises(SourcesFileError, match=message):
        load_sources_file(tmp_path / "sources.yaml")


def test_the_command_line_keeps_a_storage_url_whole(capsys):
    assert source_argument("s3://bucket/news/") == "s3://bucket/news/"
    assert source_argument("seeds") == Path("seeds")
    # Not reported missing as a local path would be: the storage is asked when the run reads it.
    assert run_sources(["memory://bucket/news/"], None) == ["memory://bucket/news/"]
    assert run_sources(["memory://bucket/sources.yaml"], None) is None
    assert "a sources file is read from local disk" in capsys.readouterr().err
