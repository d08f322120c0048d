"""Fetching one http(s) URL into the fetch cache, politely and within limits.

Everything the ingest stage does on the network goes through `fetch`; nothing else here parses
what was fetched. The transfer itself is the package's one HTTP layer (`broadsheet.httpclient`), under
a `FetchPolicy`:

- Only `http` and `https`. Any other scheme (file:, ftp:, data:, javascript:, ...) is refused by
  `check_url` before any I/O, and so is a redirect to one.
- Timeouts: `connect_timeout_s` to connect and `read_timeout_s` between two reads of the same
  response, plus `total_timeout_s` for the whole transfer in wall time, redirects included,
  enforced while a read waits (`broadsheet.httpclient.Deadline`). So a server that drips one byte at a
  time, in the headers or the body, or that sends nothing at all, cannot hold the run past it.
- A byte limit checked while streaming, on the raw body and on the decoded body; gzip and
  deflate are undone a bounded piece at a time, so a small gzip bomb is refused `too_large`
  once its output passes the limit. A declared `Content-Length` over the limit is refused
  unread, and a body that grows past it is cut off and refused.
- At most `max_redirects` redirects, each target re-checked.
- A user agent naming broadsheet, its version and the project (`USER_AGENT`).
- Conditional requests: each URL's body, ETag and Last-Modified are kept in the cache folder
  (`<build>/fetch/` in a pipeline run); the next fetch sends If-None-Match / If-Modified-Since,
  and a `304 Not Modified` reuses the cached body.

Failures are `FetchError`s with a reason code of the rejects table. `transient` ones (timeouts,
connection and DNS errors, 408/425/429 and 5xx answers) may succeed if tried again; the retrying
itself is declared on the Prefect task that calls this (flows/ingest.py), not written here.
Permanent ones (other 4xx, too large, bad scheme, too many redirects) will not.
`fetch_or_failure` returns permanent failures as values, so only transient ones raise.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import httpx

from broadsheet import httpclient
from broadsheet.tableio import write_atomic

__all__ = [
    "ARTICLE_POLICY",
    "FEED_POLICY",
    "USER_AGENT",
    "WARC_POLICY",
    "Fetched",
    "FetchCache",
    "FetchError",
    "FetchFailure",
    "FetchPolicy",
    "check_url",
    "fetch",
    "fetch_or_failure",
]

USER_AGENT = httpclient.user_agent("broadsheet news dataset pipeline; article fetcher")
ALLOWED_SCHEMES = httpclient.ALLOWED_SCHEMES
TRANSIENT_STATUS = httpclient.TRANSIENT_STATUS


@dataclass(frozen=True)
class FetchPolicy:
    """Limits of one kind of fetch. Articles and feeds are small; a WARC archive may be large."""

    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0
    total_timeout_s: float = 120.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = httpclient.MAX_REDIRECTS
    accept: str = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"


# The same 20 MiB as a local article file (broadsheet.ingest.MAX_FILE_BYTES).
ARTICLE_POLICY = FetchPolicy()
FEED_POLICY = FetchPolicy(
    max_bytes=10 * 1024 * 1024,
    accept="application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5",
)
# A crawl archive streams to disk, never into memory, so the limit only bounds disk use and time.
WARC_POLICY = FetchPolicy(read_timeout_s=60.0, total_timeout_s=1800.0, max_bytes=2 * 1024**3, accept="application/warc,*/*;q=0.5")


class FetchError(Exception):
    """A URL could not be fetched. `reason` is a rejects-table reason code."""

    def __init__(self, url: str, reason: str, detail: str, transient: bool = False) -> None:
        super().__init__(url, reason, detail, transient)
        self.url = url
        self.reason = reason
        self.detail = detail
        self.transient = transient

    def __str__(self) -> str:
        return self.detail

    def failure(self) -> FetchFailure:
        return FetchFailure(url=self.url, reason=self.reason, detail=self.detail, transient=self.transient)


@dataclass(frozen=True)
class FetchFailure:
    """A fetch that failed, as a value (what `fetch_or_failure` returns for permanent failures)."""

    url: str
    reason: str
    detail: str
    transient: bool = False


@dataclass(frozen=True)
class Fetched:
    """A fetched (or revalidated) body, stored in the cache; the body is read from `body_path`."""

    url: str  # as requested: the article's identity
    final_url: str  # after redirects
    body_path: str
    sha256: str
    size: int
    content_type: str | None  # the media type, lower case, without parameters
    charset: str | None  # the Content-Type's charset parameter, if any
    etag: str | None
    last_modified: str | None
    not_modified: bool  # True when the server answered 304 and the cached body was reused

    def read_bytes(self) -> bytes:
        return Path(self.body_path).read_bytes()


def check_url(url: object) -> str:
    """The URL if it is an absolute http(s) URL with a host, else a permanent `FetchError` (no I/O)."""
    try:
        return httpclient.check_url(url)
    except httpclient.RefusedURL as exc:
        raise FetchError(exc.url, "bad_url", exc.detail) from None


class FetchCache:
    """Bodies and validators by URL, in one folder: `<sha256 of url>.body` and `.json` beside it."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        folder = self.root / "urls" / key[:2]
        return folder / f"{key}.json", folder / f"{key}.body"

    def lookup(self, url: str) -> Fetched | None:
        """The cached copy of `url`, or None when there is none (or it is damaged)."""
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            size = body_path.stat().st_size
        except (OSError, ValueError):
            return None
        if meta.get("url") != url or meta.get("size") != size:
            return None  # a half-written or foreign entry: fetch afresh
        return Fetched(**{**meta, "body_path": str(body_path), "not_modified": False})

    def store(self, fetched: Fetched, body_file: Path) -> Fetched:
        """Move a downloaded body into the cache (atomically) and record its validators."""
        meta_path, body_path = self._paths(fetched.url)
        body_path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(body_file, body_path)
        stored = replace(fetched, body_path=str(body_path))
        meta = {k: v for k, v in asdict(stored).items() if k not in ("body_path", "not_modified")}
        write_atomic(meta_path, json.dumps(meta, sort_keys=True, indent=1).encode("utf-8"))
        return stored

    def temp_file(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".part-", dir=self.root)
        os.close(handle)
        return Path(name)


def fetch(url: str, cache_dir: str | Path, policy: FetchPolicy = ARTICLE_POLICY) -> Fetched:
    """Fetch `url` (conditionally, when the cache holds a copy) into the cache; raise `FetchError`."""
    check_url(url)
    cache = FetchCache(cache_dir)
    cached = cache.lookup(url)
    headers = {"Accept": policy.accept}
    if cached is not None:
        if cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
    try:
        # No single connect may outlast the whole transfer's limit either.
        connect = min(policy.connect_timeout_s, policy.total_timeout_s)
        with (
            httpclient.Deadline(policy.total_timeout_s) as deadline,
            httpclient.make_client(
                connect_timeout_s=connect, read_timeout_s=policy.read_timeout_s, agent=USER_AGENT, headers=headers
            ) as session,
            httpclient.open_response(session, url, max_redirects=policy.max_redirects, deadline=deadline) as (
                final_url,
                response,
            ),
        ):
            return _handle(url, final_url, response, cache, cached, policy, deadline)
    except httpclient.HTTPFailure as exc:
        raise _fetch_error(url, exc, policy) from None


def fetch_or_failure(url: str, cache_dir: str | Path, policy: FetchPolicy = ARTICLE_POLICY) -> Fetched | FetchFailure:
    """As `fetch`, but a permanent failure is returned; only transient failures raise."""
    try:
        return fetch(url, cache_dir, policy)
    except FetchError as exc:
        if exc.transient:
            raise
        return exc.failure()


def _handle(
    url: str,
    final_url: str,
    response: httpx.Response,
    cache: FetchCache,
    cached: Fetched | None,
    policy: FetchPolicy,
    deadline: httpclient.Deadline,
) -> Fetched:
    status = response.status_code
    if status == 304 and cached is not None:
        return replace(cached, not_modified=True, final_url=final_url)
    if status != 200:
        raise httpclient.StatusError(final_url, status, response.reason_phrase)
    body = httpclient.read_body(response, max_bytes=policy.max_bytes, deadline=deadline, url=final_url)
    body_file = cache.temp_file()
    digest = hashlib.sha256()
    size = 0
    try:
        with open(body_file, "wb") as out:
            for chunk in body:
                size += len(chunk)
                digest.update(chunk)
                out.write(chunk)
        content_type, charset = httpclient.content_type(response.headers.get("content-type"))
        fetched = Fetched(
            url=url,
            final_url=final_url,
            body_path=str(body_file),
            sha256=digest.hexdigest(),
            size=size,
            content_type=content_type,
            charset=charset,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            not_modified=False,
        )
        return cache.store(fetched, body_file)
    finally:
        body_file.unlink(missing_ok=True)


# The rejects-table reason of each failure of the HTTP layer; the first class that matches wins.
_REASONS: tuple[tuple[type[httpclient.HTTPFailure], str], ...] = (
    (httpclient.RefusedURL, "bad_url"),
    (httpclient.TooManyRedirects, "too_many_redirects"),
    (httpclient.TooLarge, "too_large"),
    (httpclient.StatusError, "http_error"),
    (httpclient.BadRedirect, "http_error"),
    (httpclient.TimedOut, "fetch_timeout"),
    (httpclient.DeadlineExceeded, "fetch_timeout"),
    (httpclient.NetworkError, "fetch_failed"),
    (httpclient.BadBody, "fetch_failed"),
)


def _fetch_error(url: str, exc: httpclient.HTTPFailure, policy: FetchPolicy) -> FetchError:
    reason = next((code for kind, code in _REASONS if isinstance(exc, kind)), "fetch_failed")
    detail = exc.detail
    # Waiting and network failures name the URL asked for (and the policy's limit), whichever hop
    # or read they happened in; answers and bodies name the address that sent them.
    if isinstance(exc, httpclient.DeadlineExceeded):
        detail = f"fetching {url} took longer than the {policy.total_timeout_s:g} s limit on the whole transfer"
    elif isinstance(exc, httpclient.TimedOut):
        detail = f"fetching {url} timed out ({exc.reason})"
    elif isinstance(exc, httpclient.NetworkError):
        detail = f"fetching {url} failed: {exc.reason}"
    elif isinstance(exc, httpclient.TooLarge):
        detail += " for one fetch"
    return FetchError(url, reason, detail, exc.transient)
