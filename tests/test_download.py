import datetime as dt
import functools
import gzip
import json
import socket
import threading
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import polars as pl
import pytest

from broadsheet import __version__, release
from broadsheet import download as dl
from broadsheet.paths import STAGING_PREFIX
from broadsheet.release.history import build_index
from broadsheet.schema import Column, TableSchema
from broadsheet.tableio import sha256_file, write_table

VERSION = "2026.01.01-aaaaaaaa"
DOCS = TableSchema(
    name="documents",
    description="test documents",
    release=True,
    primary_key=("doc_id",),
    sort_by=("doc_id",),
    spans=(),
    columns=(
        Column(name="doc_id", type="string", nullable=False, description="id"),
        Column(name="title", type="string", nullable=True, description="title"),
        Column(name="n_words", type="int64", nullable=False, description="words"),
    ),
)
ROWS = pl.DataFrame({"doc_id": ["d_01", "d_02", "d_03"], "title": ["One", None, "Three"], "n_words": [10, 20, 30]})


@pytest.fixture
def dist(tmp_path):
    """A dist folder laid out as the release stage lays it out: one release, latest.json, index.json."""
    root = tmp_path / "dist"
    staging = root / f"{STAGING_PREFIX}{VERSION}-test"
    info = write_table(ROWS, DOCS, staging / "documents.parquet", {"broadsheet:release": VERSION})
    (staging / "README.md").write_text("# test release\n")
    (staging / "validation" / "data_docs").mkdir(parents=True)
    (staging / "validation" / "data_docs" / "index page.html").write_text("<html>ok</html>\n")
    files = [
        {"path": p.relative_to(staging).as_posix(), "bytes": p.stat().st_size, "sha256": sha256_file(p)}
        for p in sorted(staging.rglob("*"))
        if p.is_file()
    ]
    manifest = {
        "version": VERSION,
        "release_date": "2026-01-01",
        "previous_version": None,
        "tables": {"documents": {"path": "documents.parquet", "rows": info.rows, "bytes": info.bytes, "sha256": info.sha256}},
        "files": files,
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    candidate = release.Candidate(
        version=VERSION, release_date=dt.date(2026, 1, 1), data_digest="0" * 64, staging_dir=staging, tables={}
    )
    release.publish(candidate, root)
    (root / "index.json").write_text(json.dumps(build_index(root)))
    return root


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.requests.append((self.path, self.headers.get("User-Agent")))
        if self.path.startswith("/to-ftp/"):
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/latest.json")
            self.end_headers()
            return
        if self.path.startswith("/moved/"):
            self.send_response(301)
            self.send_header("Location", self.path[len("/moved") :])
            self.end_headers()
            return
        if self.path.startswith("/gzipped/"):
            served = self.server.directory / urllib.parse.unquote(self.path[len("/gzipped/") :])
            body = gzip.compress(served.read_bytes(), mtime=0)
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.server.failures.get(self.path, 0):
            self.server.failures[self.path] -= 1
            self.send_error(503)
            return
        super().do_GET()


@pytest.fixture
def server(dist):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(dist)))
    httpd.requests, httpd.failures, httpd.directory = [], {}, dist
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    monkeypatch.setattr(dl, "BACKOFF_S", 0.0)


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _flip_byte(path, offset=100):
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_download_over_http_reproduces_the_release_byte_for_byte(server, dist, tmp_path):
    target = dl.download("latest", server.url, tmp_path / "out")
    assert target == tmp_path / "out" / VERSION
    assert _tree(target) == _tree(dist / VERSION)
    assert [p.name for p in (tmp_path / "out").iterdir()] == [VERSION]
    assert {agent for _, agent in server.requests} == {f"broadsheet/{__version__}"}
    # The space in a file name travels URL-quoted.
    assert ("/2026.01.01-aaaaaaaa/validation/data_docs/index%20page.html", f"broadsheet/{__version__}") in server.requests


def test_a_named_version_downloads_too(server, dist, tmp_path):
    target = dl.download(VERSION, server.url, tmp_path)
    assert _tree(target) == _tree(dist / VERSION)


def test_a_flipped_byte_is_refused_and_nothing_is_left(server, dist, tmp_path):
    served = dist / VERSION / "documents.parquet"
    good = sha256_file(served)
    _flip_byte(served)
    out = tmp_path / "out"
    with pytest.raises(dl.IntegrityError) as caught:
        dl.download("latest", server.url, out)
    message = str(caught.value)
    assert f"{VERSION}/documents.parquet" in message and good in message and sha256_file(served) in message
    assert list(out.iterdir()) == []


def test_a_file_longer_than_its_manifest_entry_is_refused(server, dist, tmp_path):
    with open(dist / VERSION / "README.md", "ab") as fh:
        fh.write(b"appended")
    with pytest.raises(dl.IntegrityError, match="README.md: larger than it may be: expected at most 15 bytes, got 23"):
        dl.download("latest", server.url, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_a_longer_local_file_is_cut_off_while_streaming(dist, tmp_path):
    with open(dist / VERSION / "documents.parquet", "ab") as fh:
        fh.write(b"x")
    with pytest.raises(dl.IntegrityError, match="documents.parquet: larger than it may be: .* got more"):
        dl.download("latest", dist, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_a_manifest_that_differs_from_its_published_digest_is_refused(server, dist, tmp_path):
    manifest = dist / VERSION / "manifest.json"
    manifest.write_text(manifest.read_text() + "\n")
    with pytest.raises(dl.IntegrityError, match="manifest.json: sha256 mismatch"):
        dl.download("latest", server.url, tmp_path)
    # A named version is checked against index.json's digest.
    with pytest.raises(dl.IntegrityError, match="manifest.json: sha256 mismatch"):
        dl.download(VERSION, server.url, tmp_path)
    # Without an index, a named version's files are still checked against its manifest.
    (dist / "index.json").unlink()
    assert _tree(dl.download(VERSION, server.url, tmp_path)) == _tree(dist / VERSION)


def test_a_manifest_path_leaving_the_release_folder_is_refused(dist, tmp_path):
    manifest_path = dist / VERSION / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"].append({"path": "../latest.json", "bytes": 1, "sha256": "0" * 64})
    manifest_path.write_text(json.dumps(manifest))
    pointer = json.loads((dist / "latest.json").read_text())
    (dist / "latest.json").write_text(json.dumps({**pointer, "manifest_sha256": sha256_file(manifest_path)}))
    with pytest.raises(dl.IntegrityError, match="unsafe or repeated file path '../latest.json'"):
        dl.download("latest", dist, tmp_path / "out")
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_a_local_folder_is_a_source(dist, tmp_path):
    assert _tree(dl.download("latest", dist, tmp_path)) == _tree(dist / VERSION)


@pytest.mark.parametrize("source", ["ftp://127.0.0.1/dist", "file:///tmp/dist", "gopher://x"])
def test_only_http_urls_are_fetched(source, tmp_path):
    with pytest.raises(ValueError, match="only http"):
        dl.download("latest", source, tmp_path)


def test_a_redirect_to_another_scheme_is_refused(server, tmp_path):
    with pytest.raises(dl.DownloadError, match="refusing a redirect to a ftp: URL"):
        dl.download("latest", f"{server.url}/to-ftp", tmp_path)


def test_a_redirect_within_http_is_followed(server, dist, tmp_path):
    target = dl.download("latest", f"{server.url}/moved", tmp_path)
    assert _tree(target) == _tree(dist / VERSION)
    assert ("/moved/latest.json", f"broadsheet/{__version__}") in server.requests


def test_a_file_sent_compressed_anyway_is_verified_as_stored(server, dist, tmp_path):
    target = dl.download("latest", f"{server.url}/gzipped", tmp_path)
    assert _tree(target) == _tree(dist / VERSION)


def test_an_unreachable_source_is_tried_again_and_then_reported(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as free:
        port = free.getsockname()[1]
    with pytest.raises(dl.DownloadError, match=rf"latest.json: ConnectError: .* \(after {dl.ATTEMPTS} attempts\)"):
        dl.download("latest", f"http://127.0.0.1:{port}", tmp_path)


@pytest.mark.parametrize("version", ["../dist", ".staging-x", "a/b", ""])
def test_a_version_must_name_one_release_folder(version, dist, tmp_path):
    with pytest.raises(ValueError, match="not a release version"):
        dl.download(version, dist, tmp_path)


def test_transient_errors_are_retried_and_then_reported(server, tmp_path):
    server.failures["/latest.json"] = dl.ATTEMPTS - 1
    dl.download("latest", server.url, tmp_path / "a")
    assert [p for p, _ in server.requests].count("/latest.json") == dl.ATTEMPTS
    server.failures["/latest.json"] = dl.ATTEMPTS
    with pytest.raises(dl.DownloadError, match="HTTP 503"):
        dl.download("latest", server.url, tmp_path / "b")


def test_an_unknown_version_is_not_found_without_retrying(server, tmp_path):
    with pytest.raises(dl.ReleaseNotFound, match="no release 2030.01.01-ffffffff"):
        dl.download("2030.01.01-ffffffff", server.url, tmp_path)
    assert [p for p, _ in server.requests].count("/2030.01.01-ffffffff/manifest.json") == 1


def test_an_existing_verified_target_is_reused_and_a_different_one_left_alone(dist, tmp_path):
    first = dl.fetch_release("latest", dist, tmp_path)
    again = dl.fetch_release("latest", dist, tmp_path)
    assert (first.reused, again.reused, again.n_files) == (False, True, 4)
    (again.path / "stray.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="stray.txt: not listed in the manifest"):
        dl.download("latest", dist, tmp_path)
    assert (again.path / "stray.txt").read_text() == "mine"


def test_load_returns_the_table_and_uses_the_cache(server, tmp_path):
    cache = tmp_path / "cache"
    frame = dl.load("documents", source=server.url, cache=cache)
    assert frame.equals(ROWS)
    assert (cache / VERSION / "manifest.json").is_file()
    server.requests.clear()
    lazy = dl.load("documents", version=VERSION, source=server.url, lazy=True, cache=cache)
    assert isinstance(lazy, pl.LazyFrame) and lazy.filter(pl.col("n_words") > 15).collect().height == 2
    assert server.requests == []  # a cached named version needs no source at all
    dl.load("documents", source=server.url, cache=cache)
    assert [p for p, _ in server.requests] == ["/latest.json"]
    with pytest.raises(KeyError, match="no table 'claims'"):
        dl.load("claims", source=server.url, cache=cache)


def test_load_replaces_a_corrupted_cached_table(server, tmp_path):
    cache = tmp_path / "cache"
    dl.load("documents", source=server.url, cache=cache)
    _flip_byte(cache / VERSION / "documents.parquet")
    assert dl.load("documents", version=VERSION, source=server.url, cache=cache).equals(ROWS)
    dl.verify_release(cache / VERSION)


def test_default_source_and_cache_follow_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(dl.RELEASES_URL_ENV, "https://example.org/broadsheet/dist/")
    assert dl.default_source() == "https://example.org/broadsheet/dist/"
    monkeypatch.delenv(dl.RELEASES_URL_ENV)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dist").mkdir()
    assert dl.default_source() == str(tmp_path / "dist")
    monkeypatch.chdir(tmp_path / "dist")
    with pytest.raises(dl.DownloadError, match=dl.RELEASES_URL_ENV):
        dl.default_source()
    monkeypatch.setenv(dl.CACHE_ENV, str(tmp_path / "c"))
    assert dl.default_cache() == tmp_path / "c"
    monkeypatch.delenv(dl.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert dl.default_cache() == tmp_path / "xdg" / "broadsheet"


def test_command_reports_success_and_integrity_failure(server, dist, tmp_path, capsys):
    assert dl.download_main(["latest", "--from", server.url, "--to", str(tmp_path / "ok")]) == 0
    assert f"downloaded release {VERSION}" in capsys.readouterr().out
    assert dl.download_main(["--from", server.url, "--to", str(tmp_path / "ok")]) == 0
    assert "already in" in capsys.readouterr().out
    _flip_byte(dist / VERSION / "documents.parquet")
    assert dl.download_main([VERSION, "--from", server.url, "--to", str(tmp_path / "bad")]) == 1
    err = capsys.readouterr().err
    assert "integrity check failed, nothing was written" in err and "documents.parquet" in err
    assert list((tmp_path / "bad").iterdir()) == []
