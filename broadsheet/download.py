"""Fetching a published release, verified file by file, and loading one of its tables.

A release source is either an http(s) URL or a local folder, holding the layout the release stage
writes: `latest.json`, optionally `index.json`, and `<version>/manifest.json` next to the files it
lists with their sizes and SHA-256. Nothing here runs the pipeline; this is the consumer's side.

What belongs here: resolving a version (`latest` through `latest.json`), fetching the manifest and
checking it against the digest published for it (`latest.json`'s, or `index.json`'s for a named
version, when the source has one), fetching every listed file into a hidden folder next to the
target while hashing it, and renaming that folder into place only when every file matched. A
mismatch raises `IntegrityError` and leaves nothing behind; a file larger than the manifest says
is cut off as soon as it exceeds that size. Transfers go through the package's HTTP layer
(`broadsheet.httpclient`): http(s) only, redirects checked, transient failures tried again.

The default source is `BROADSHEET_RELEASES_URL` when set (for instance the repository's `dist/`
served over HTTP: `python -m http.server -d dist`), else the current folder's `dist/` when
it exists; see `default_source()`. `load()` keeps downloaded releases in a cache folder:
`BROADSHEET_CACHE` when set, else `$XDG_CACHE_HOME/broadsheet` or `~/.cache/broadsheet`.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import re
import shutil
import sys
import tempfile
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from broadsheet import httpclient
from broadsheet.paths import INDEX, LATEST, MANIFEST, default_dist_dir

RELEASES_URL_ENV = "BROADSHEET_RELEASES_URL"
CACHE_ENV = "BROADSHEET_CACHE"
USER_AGENT = httpclient.USER_AGENT
ALLOWED_SCHEMES = httpclient.ALLOWED_SCHEMES
# Seconds without progress on one connection (connecting, or between two reads) before it counts as failed.
TIMEOUT_S = 30.0
# Attempts per file on transient failures (connection errors, timeouts, 408/425/429/5xx), with
# exponential backoff between them: 0.5 s, 1 s, 2 s.
ATTEMPTS = 4
BACKOFF_S = 0.5
TRANSIENT_HTTP = httpclient.TRANSIENT_STATUS
# Pointers and manifests are small; a source sending more than this is not a release source.
MAX_POINTER_BYTES = 1 << 20
MAX_MANIFEST_BYTES = 64 << 20
CHUNK = 1 << 20
# A version names one folder: no separators, no leading dot (hidden and staging folders).
VERSION_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")


class DownloadError(Exception):
    """A release could not be fetched: unreachable source, HTTP error, malformed pointer or manifest."""


class ReleaseNotFound(DownloadError):
    """The source has no such file (no such version, or no `latest.json`)."""


class IntegrityError(DownloadError):
    """A fetched file differs from what the manifest (or the digest of the manifest) says it is."""

    def __init__(self, path: str, problem: str, expected: str | int | None = None, actual: str | int | None = None):
        self.path, self.problem, self.expected, self.actual = path, problem, expected, actual
        detail = f": expected {expected}, got {actual}" if expected is not None or actual is not None else ""
        super().__init__(f"{path}: {problem}{detail}")


@dataclass(frozen=True)
class Fetched:
    """What `fetch_release` did: where the release is, and whether it was already there."""

    version: str
    path: Path
    n_files: int
    n_bytes: int
    reused: bool


# ----------------------------------------------------------------------------------------------
# Sources


def default_source() -> str:
    """`BROADSHEET_RELEASES_URL` if set, else `dist/` in the current folder if it exists.

    Read at call time, so setting the variable after import takes effect.
    """
    configured = os.environ.get(RELEASES_URL_ENV, "").strip()
    if configured:
        return configured
    if default_dist_dir().is_dir():
        return str(default_dist_dir())
    raise DownloadError(f"no release source: pass one, or set {RELEASES_URL_ENV} to a URL or folder holding releases")


def default_cache() -> Path:
    """`BROADSHEET_CACHE` if set, else `broadsheet/` in the user's cache folder."""
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "broadsheet"


class _Source:
    """Reads paths relative to a release source, streaming, with a size limit and (over HTTP) retries."""

    def __init__(self, source: str | os.PathLike[str]):
        text = os.fspath(source)
        scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", text)
        if scheme:
            if scheme.group(1).lower() not in ALLOWED_SCHEMES:
                raise ValueError(f"{text}: only http(s) URLs or local folders can be release sources")
            self.url: str | None = text if text.endswith("/") else text + "/"
            self.folder: Path | None = None
        else:
            self.url, self.folder = None, Path(text).expanduser()
            if not self.folder.is_dir():
                raise DownloadError(f"{self.folder}: release source folder not found")
        self.label = text

    def read(self, relpath: str, max_bytes: int) -> bytes:
        chunks: list[bytes] = []

        def sink() -> _Collector:
            chunks.clear()
            return _Collector(chunks)

        self._fetch(relpath, sink, max_bytes)
        return b"".join(chunks)

    def fetch_to(self, relpath: str, dest: Path, max_bytes: int) -> tuple[str, int]:
        """Stream `relpath` into `dest`; the SHA-256 and size of what was written."""
        return self._fetch(relpath, lambda: open(dest, "wb"), max_bytes)

    def _fetch(self, relpath: str, open_sink: Callable[[], Any], max_bytes: int) -> tuple[str, int]:
        if self.folder is not None:
            path = self.folder / relpath
            if not path.is_file():
                raise ReleaseNotFound(f"{path}: not found")
            with open(path, "rb") as fh, open_sink() as out:
                return _copy(fh, out, relpath, max_bytes)
        url = urllib.parse.urljoin(self.url, urllib.parse.quote(relpath, safe="/"))

        def attempt() -> tuple[str, int]:
            # The manifest hashes the files as stored (a coding a server applies anyway is undone).
            identity = {"Accept-Encoding": "identity"}
            session = httpclient.make_client(connect_timeout_s=TIMEOUT_S, read_timeout_s=TIMEOUT_S, headers=identity)
            with session, httpclient.open_response(session, url) as (_, response):
                if response.status_code == 404:
                    raise ReleaseNotFound(f"{url}: not found (HTTP 404)")
                if response.status_code != 200:
                    raise httpclient.StatusError(url, response.status_code, response.reason_phrase)
                # Compressing what does not compress adds framing: a little over the stored size on the wire.
                framing = max_bytes // 8192 + 1024 if response.headers.get("content-encoding") else 0
                body = httpclient.read_body(response, max_bytes=max_bytes, max_raw_bytes=max_bytes + framing, url=url)
                with open_sink() as out:
                    return _write(body, out, relpath, max_bytes)

        try:
            return httpclient.retry(attempt, httpclient.backoff(BACKOFF_S, ATTEMPTS))
        except httpclient.TooLarge as exc:
            got = "more" if exc.declared is None else f"{exc.declared} (Content-Length)"
            raise IntegrityError(relpath, "larger than it may be", f"at most {max_bytes} bytes", got) from None
        except httpclient.StatusError as exc:
            raise DownloadError(f"{url}: HTTP {exc.status} {exc.reason}".rstrip()) from None
        except httpclient.RefusedURL as exc:
            if exc.redirected_from is None:
                raise DownloadError(f"{url}: {exc.detail}") from None
            if exc.scheme not in ALLOWED_SCHEMES:
                raise DownloadError(f"{url}: refusing a redirect to a {exc.scheme}: URL ({exc.url})") from None
            raise DownloadError(f"{url}: refusing a redirect to {exc.url} ({exc.detail})") from None
        except httpclient.NetworkError as exc:
            raise DownloadError(f"{url}: {exc.reason} (after {ATTEMPTS} attempts)") from None
        except httpclient.HTTPFailure as exc:
            raise DownloadError(exc.detail) from None


class _Collector:
    """A write-only sink into a list of chunks, usable in a `with` like a file."""

    def __init__(self, chunks: list[bytes]):
        self.chunks = chunks

    def write(self, data: bytes) -> int:
        self.chunks.append(data)
        return len(data)

    def __enter__(self) -> _Collector:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _copy(reader: Any, out: Any, relpath: str, max_bytes: int) -> tuple[str, int]:
    return _write(iter(lambda: reader.read(CHUNK), b""), out, relpath, max_bytes)


def _write(blocks: Iterable[bytes], out: Any, relpath: str, max_bytes: int) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for block in blocks:
        size += len(block)
        if size > max_bytes:
            # Stop at once: a file bigger than announced is wrong whatever its remaining bytes are.
            raise IntegrityError(relpath, "larger than it may be", f"at most {max_bytes} bytes", "more")
        digest.update(block)
        out.write(block)
    if hasattr(out, "fileno"):
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest(), size


# ----------------------------------------------------------------------------------------------
# Resolving and checking


def check_version(version: str) -> str:
    """A version names exactly one folder; anything else (a path, a hidden name) is refused."""
    if not isinstance(version, str) or not VERSION_PATTERN.match(version) or ".." in version:
        raise ValueError(f"{version!r} is not a release version")
    return version


def _resolve(source: _Source, version: str) -> tuple[str, str | None]:
    """The concrete version, and the manifest's SHA-256 as the source publishes it (None if it does not)."""
    if version == "latest":
        try:
            pointer = json.loads(source.read(LATEST, MAX_POINTER_BYTES))
            resolved, digest = pointer["version"], pointer["manifest_sha256"]
        except ReleaseNotFound:
            raise ReleaseNotFound(f"{source.label}: no {LATEST}, so no latest release") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise DownloadError(f"{source.label}: {LATEST} is not a release pointer ({exc})") from None
        return check_version(resolved), _check_sha(digest, LATEST)
    check_version(version)
    try:
        index = json.loads(source.read(INDEX, MAX_MANIFEST_BYTES))
    except ReleaseNotFound:
        return version, None  # an index is optional; the files are still checked against the manifest
    except ValueError as exc:
        raise DownloadError(f"{source.label}: {INDEX} is not valid JSON ({exc})") from None
    for entry in index.get("releases", []) if isinstance(index, dict) else []:
        if isinstance(entry, dict) and entry.get("version") == version:
            return version, _check_sha(entry.get("manifest_sha256"), INDEX)
    return version, None


def _check_sha(value: Any, where: str) -> str:
    if not isinstance(value, str) or not SHA256_PATTERN.match(value):
        raise DownloadError(f"{where}: {value!r} is not a SHA-256 hex digest")
    return value


def _check_manifest(raw: bytes, version: str, expected_sha256: str | None) -> dict[str, Any]:
    """Parse a manifest after checking its digest; refuse one whose paths could leave the release folder."""
    actual = hashlib.sha256(raw).hexdigest()
    if expected_sha256 is not None and actual != expected_sha256:
        raise IntegrityError(f"{version}/{MANIFEST}", "sha256 mismatch with the published digest", expected_sha256, actual)
    try:
        manifest = json.loads(raw)
        files = manifest["files"]
        claimed = manifest["version"]
    except (ValueError, KeyError, TypeError) as exc:
        raise DownloadError(f"{version}/{MANIFEST}: not a release manifest ({exc})") from None
    if claimed != version:
        raise IntegrityError(f"{version}/{MANIFEST}", "names another version", version, claimed)
    seen = set()
    for entry in files:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not _safe_relpath(path) or path == MANIFEST or path in seen:
            raise IntegrityError(f"{version}/{MANIFEST}", f"lists an unsafe or repeated file path {path!r}")
        if not isinstance(entry.get("bytes"), int) or entry["bytes"] < 0:
            raise IntegrityError(f"{version}/{MANIFEST}", f"gives no size for {path}")
        _check_sha(entry.get("sha256"), f"{version}/{MANIFEST}: {path}")
        seen.add(path)
    return manifest


def _safe_relpath(path: Any) -> bool:
    if not isinstance(path, str) or not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return False
    parts = path.split("/")
    return all(part not in {"", ".", ".."} for part in parts) and not re.match(r"^[A-Za-z]:", path)


def verify_release(folder: Path, manifest_sha256: str | None = None) -> dict[str, Any]:
    """Check a release folder against its own manifest (and the manifest against a digest); return the manifest.

    Every listed file must have its size and SHA-256, and no unlisted file may be present, so a
    folder that passes holds exactly the published bytes. Raises the first problem found.
    """
    manifest, problems = release_problems(folder, manifest_sha256)
    if problems:
        raise problems[0]
    return manifest


def release_problems(folder: Path, manifest_sha256: str | None = None) -> tuple[dict[str, Any] | None, list[IntegrityError]]:
    """Every way a release folder differs from its manifest: the manifest (None when unusable) and the problems.

    The same checks as `verify_release`, but all of them, for a report that lists what is wrong.
    """
    folder = Path(folder)
    raw = (folder / MANIFEST).read_bytes() if (folder / MANIFEST).is_file() else None
    if raw is None:
        return None, [IntegrityError(f"{folder.name}/{MANIFEST}", "missing")]
    try:
        manifest = _check_manifest(raw, folder.name, manifest_sha256)
    except IntegrityError as exc:
        if exc.problem != "sha256 mismatch with the published digest":
            return None, [exc]
        # The files can still be checked against this manifest; its own digest is the first problem.
        problems = [exc]
        try:
            manifest = _check_manifest(raw, folder.name, None)
        except (IntegrityError, DownloadError) as inner:
            return None, [exc, _as_integrity(inner, folder)]
    except DownloadError as exc:
        return None, [_as_integrity(exc, folder)]
    else:
        problems = []
    listed = {entry["path"]: entry for entry in manifest["files"]}
    for relpath, entry in listed.items():
        path = folder / relpath
        if not path.is_file():
            problems.append(IntegrityError(f"{folder.name}/{relpath}", "missing"))
            continue
        try:
            _verify_file(path, f"{folder.name}/{relpath}", entry)
        except IntegrityError as exc:
            problems.append(exc)
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    for extra in sorted(present - set(listed) - {MANIFEST}):
        problems.append(IntegrityError(f"{folder.name}/{extra}", "not listed in the manifest"))
    return manifest, problems


def _as_integrity(exc: Exception, folder: Path) -> IntegrityError:
    if isinstance(exc, IntegrityError):
        return exc
    return IntegrityError(f"{folder.name}/{MANIFEST}", str(exc).split(": ", 1)[-1])


def _verify_file(path: Path, label: str, entry: Mapping[str, Any]) -> None:
    size = path.stat().st_size
    if size != entry["bytes"]:
        raise IntegrityError(label, "size differs from the manifest", entry["bytes"], size)
    with open(path, "rb") as fh:
        digest, _ = _copy(fh, _Collector([]), label, size)
    if digest != entry["sha256"]:
        raise IntegrityError(label, "sha256 differs from the manifest", entry["sha256"], digest)


# ----------------------------------------------------------------------------------------------
# Download


def download(version: str = "latest", source: str | os.PathLike[str] | None = None, to: Path | str = ".") -> Path:
    """Fetch release `version` (or the latest) from `source` into `to/<version>/`, verified; return that folder.

    `source` is an http(s) URL or a local folder with a dist layout; None means `default_source()`.
    The release is written into a hidden folder inside `to` and renamed into place only when every
    file matched its manifest entry, so `to/<version>/` is either complete and verified or absent.
    A target folder that already exists and verifies is reused as it is; one that does not verify
    is left alone and `FileExistsError` is raised. Raises `IntegrityError` on any mismatch (the
    message names the file and both values), `ReleaseNotFound` for an unknown version, and
    `DownloadError` when the source cannot be read.
    """
    return fetch_release(version, source, to).path


def fetch_release(version: str = "latest", source: str | os.PathLike[str] | None = None, to: Path | str = ".") -> Fetched:
    """`download`, reporting what it did (files, bytes, and whether the release was already there)."""
    src = _Source(source if source is not None else default_source())
    resolved, manifest_sha256 = _resolve(src, version)
    return _fetch(src, resolved, manifest_sha256, Path(to))


def _fetch(src: _Source, version: str, manifest_sha256: str | None, to: Path) -> Fetched:
    try:
        raw = src.read(f"{version}/{MANIFEST}", MAX_MANIFEST_BYTES)
    except ReleaseNotFound as exc:
        raise ReleaseNotFound(f"no release {version} at {src.label} ({exc})") from None
    manifest = _check_manifest(raw, version, manifest_sha256)
    # Once the manifest's bytes are pinned, the files are pinned by it.
    pinned = hashlib.sha256(raw).hexdigest()
    n_files = len(manifest["files"]) + 1
    n_bytes = len(raw) + sum(entry["bytes"] for entry in manifest["files"])
    target = to / version
    if target.exists():
        return _reuse(target, pinned, n_files, n_bytes)
    to.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".download-{version}-", dir=to))
    try:
        with open(tmp / MANIFEST, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        for entry in manifest["files"]:
            dest = tmp / entry["path"]
            dest.parent.mkdir(parents=True, exist_ok=True)
            label = f"{version}/{entry['path']}"
            digest, size = src.fetch_to(label, dest, entry["bytes"])
            if size != entry["bytes"]:
                raise IntegrityError(label, "size differs from the manifest", entry["bytes"], size)
            if digest != entry["sha256"]:
                raise IntegrityError(label, "sha256 differs from the manifest", entry["sha256"], digest)
        tmp.chmod(0o755)  # mkdtemp makes it private; a release folder is as readable as its files
        try:
            os.rename(tmp, target)
        except OSError:
            if not target.exists():
                raise
            # Another process published the same release meanwhile: keep theirs if it verifies.
            shutil.rmtree(tmp, ignore_errors=True)
            return _reuse(target, pinned, n_files, n_bytes)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Fetched(version=version, path=target, n_files=n_files, n_bytes=n_bytes, reused=False)


def _reuse(target: Path, manifest_sha256: str, n_files: int, n_bytes: int) -> Fetched:
    try:
        verify_release(target, manifest_sha256)
    except IntegrityError as exc:
        raise FileExistsError(f"{target} exists but is not this release ({exc}); move it away and retry") from None
    return Fetched(version=target.name, path=target, n_files=n_files, n_bytes=n_bytes, reused=True)


# ----------------------------------------------------------------------------------------------
# Load


def load(
    table: str,
    version: str = "latest",
    source: str | os.PathLike[str] | None = None,
    lazy: bool = False,
    cache: Path | str | None = None,
    output: str = "polars",
) -> Any:
    """One table of a release as a Polars DataFrame (a LazyFrame scanning the Parquet file when `lazy`),
    or with `output="pandas"` a pandas DataFrame with nullable dtypes (an integer column with nulls
    stays `Int64`, not float), or with `output="duckdb"` a DuckDB relation over the Parquet file.

    The release is downloaded, verified, into the cache folder (`cache`, else `default_cache()`)
    unless it is already there; a cached copy is used when its manifest matches the digest the
    source publishes (for `latest`) and the table's file matches the manifest, and is fetched
    again otherwise. A named version that is cached is loaded without contacting the source.
    """
    if output not in OUTPUTS:
        raise ValueError(f"output must be one of {', '.join(OUTPUTS)}, not {output!r}")
    cache_dir = Path(cache) if cache is not None else default_cache()
    if version != "latest":
        check_version(version)
    src: _Source | None = None
    manifest_sha256: str | None = None
    if version == "latest":
        src = _Source(source if source is not None else default_source())
        version, manifest_sha256 = _resolve(src, version)
    folder = cache_dir / version
    manifest = _cached_manifest(folder, table, manifest_sha256)
    if manifest is None:
        if src is None:
            src = _Source(source if source is not None else default_source())
            version, manifest_sha256 = _resolve(src, version)
        if folder.exists():
            shutil.rmtree(folder)  # a cached copy that failed verification; the cache is ours to replace
        _fetch(src, version, manifest_sha256, cache_dir)
        manifest = verify_release(folder, manifest_sha256)
    tables = manifest.get("tables", {})
    if table not in tables:
        raise KeyError(f"release {version} has no table {table!r} (it has: {', '.join(tables)})")
    path = folder / tables[table]["path"]
    if output == "pandas":
        return _pandas(path)
    if output == "duckdb":
        return _optional("duckdb", output).read_parquet(str(path))
    return pl.scan_parquet(path) if lazy else pl.read_parquet(path)


# What `load` can return; pandas and DuckDB are not dependencies of the light client.
OUTPUTS = ("polars", "pandas", "duckdb")


def _optional(module: str, output: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f'load(output="{output}") needs {module}: pip install {module}') from None


def _pandas(path: Path) -> Any:
    """The Parquet file as pandas with nullable dtypes: pandas' defaults would turn an integer column
    with a null into floats and a boolean one into objects."""
    pd = _optional("pandas", "pandas")
    import pyarrow as pa
    import pyarrow.parquet as pq

    nullable = {
        pa.int64(): pd.Int64Dtype(),
        pa.int32(): pd.Int32Dtype(),
        pa.float64(): pd.Float64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
        pa.string(): pd.StringDtype(),
        pa.large_string(): pd.StringDtype(),
    }
    return pq.read_table(path).to_pandas(types_mapper=nullable.get)


def _cached_manifest(folder: Path, table: str, manifest_sha256: str | None) -> dict[str, Any] | None:
    """The cached release's manifest if the manifest and the table's file verify, else None."""
    if not (folder / MANIFEST).is_file():
        return None
    try:
        manifest = _check_manifest((folder / MANIFEST).read_bytes(), folder.name, manifest_sha256)
        entry = manifest.get("tables", {}).get(table)
        if entry is None:
            return manifest  # the caller names the missing table; re-downloading would not add it
        if not _safe_relpath(entry.get("path")) or not (folder / entry["path"]).is_file():
            return None
        _verify_file(
            folder / entry["path"], f"{folder.name}/{entry['path']}", {"bytes": entry["bytes"], "sha256": entry["sha256"]}
        )
    except (IntegrityError, DownloadError, KeyError, TypeError):
        return None
    return manifest


# ----------------------------------------------------------------------------------------------
# Command


def download_main(argv: list[str] | None = None) -> int:
    """`broadsheet download [VERSION|latest] --from URL_OR_DIR --to DIR`."""
    parser = argparse.ArgumentParser(
        prog="broadsheet download",
        description="Fetch a release and verify every file against its manifest's SHA-256.",
    )
    parser.add_argument("version", nargs="?", default="latest", help="a release version, or latest (default)")
    parser.add_argument(
        "--from",
        dest="source",
        metavar="URL_OR_DIR",
        help=f"an http(s) URL or a folder holding releases (default: ${RELEASES_URL_ENV}, else ./dist/)",
    )
    parser.add_argument("--to", type=Path, default=Path("."), metavar="DIR", help="where the release folder goes (default: .)")
    args = parser.parse_args(argv)
    try:
        source = args.source if args.source is not None else default_source()
        result = fetch_release(args.version, source, args.to)
    except IntegrityError as exc:
        print(f"broadsheet download: integrity check failed, nothing was written: {exc}", file=sys.stderr)
        return 1
    except (DownloadError, FileExistsError, ValueError, OSError) as exc:
        print(f"broadsheet download: {exc}", file=sys.stderr)
        return 1
    if result.reused:
        print(f"release {result.version} is already in {result.path} and verifies against its manifest; nothing fetched")
    else:
        print(
            f"downloaded release {result.version} from {source} to {result.path}: "
            f"{result.n_files} files, {result.n_bytes:,} bytes, each verified against the manifest's sha256"
        )
    return 0


# The CLI dispatches a delegated command to its module's `main`.
main = download_main

if __name__ == "__main__":
    sys.exit(download_main())
