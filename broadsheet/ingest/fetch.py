"""Fetching one http(s) URL into the fetch cache, politely and within limits.

Everything the ingest stage does on the network goes through `fetch`; nothing else here parses
what was fetched. The rules:

- Only `http` and `https`. Any other scheme (file:, ftp:, data:, javascript:, ...) is refused by
  `check_url` before any I/O, and so is a redirect to one.
- Timeouts: `connect_timeout_s` to connect and `read_timeout_s` between two reads of the same
  response, plus `total_timeout_s` for the whole transfer in wall time, redirects included. The
  total is a watchdog, not a check between chunks: when it runs out, the request's sockets are
  shut down, which ends a read that is waiting for bytes at once. So a server that drips one
  byte at a time, in the headers or the body, or that sends nothing at all, cannot hold the run
  past it.
- A byte limit checked while streaming, on the raw body and on the decoded body. gzip and
  deflate content codings are undone here, a bounded piece at a time (`_inflate`), never by
  the HTTP library in one call: a small gzip bomb is refused `too_large` once its output passes
  the limit, without its output ever being held in memory. A declared `Content-Length` over the
  limit is refused unread, and a body that grows past it is cut off and refused.
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
import re
import socket
import tempfile
import threading
import time
import urllib.parse
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import httpx

from broadsheet.tableio import write_atomic
from broadsheet.version import __version__

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

USER_AGENT = f"broadsheet/{__version__} (broadsheet news dataset pipeline; article fetcher)"
ALLOWED_SCHEMES = ("http", "https")
# Answers that say "try again later" rather than "no": the server or a proxy is overloaded or
# restarting, or asks the client to slow down.
TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
_REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
# The content codings undone here (and so the only ones asked for): each is inflated in bounded
# pieces. Any other coding a server sends anyway is kept as it came, as httpx would.
_ACCEPT_ENCODING = "gzip, deflate"
_ZLIB_CODINGS = frozenset({"gzip", "x-gzip", "deflate"})


@dataclass(frozen=True)
class FetchPolicy:
    """Limits of one kind of fetch. Articles and feeds are small; a WARC archive may be large."""

    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0
    total_timeout_s: float = 120.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    accept: str = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"


# The same 20 MiB as a local article file (broadsheet.ingest.MAX_FILE_BYTES).
ARTICLE_POLICY = FetchPolicy()
FEED_POLICY = FetchPolicy(
    max_bytes=10 * 1024 * 1024,
    accept="application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5",
)
# A crawl archive streams to disk, never into memory, so the limit only bounds disk use and time.
WARC_POLICY = FetchPolicy(
    read_timeout_s=60.0, total_timeout_s=1800.0, max_bytes=2 * 1024**3, accept="application/warc,*/*;q=0.5"
)


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
    text = url if isinstance(url, str) else repr(url)
    if not isinstance(url, str) or not url.strip() or re.search(r"\s", url):
        raise FetchError(text, "bad_url", f"{text!r} is not a URL (empty, not a string, or has spaces)")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 -- a malformed port raises here
    except ValueError as exc:
        raise FetchError(url, "bad_url", f"{url!r} is not a valid URL: {exc}") from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        scheme = f"scheme {parts.scheme!r}" if parts.scheme else "no scheme"
        raise FetchError(url, "bad_url", f"{url!r} has {scheme}; only http and https are fetched")
    if not parts.hostname:
        raise FetchError(url, "bad_url", f"{url!r} names no host")
    return url


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
    # No single connect may outlast the whole transfer's limit either.
    connect = min(policy.connect_timeout_s, policy.total_timeout_s)
    timeout = httpx.Timeout(policy.read_timeout_s, connect=connect)
    headers = {"User-Agent": USER_AGENT, "Accept": policy.accept, "Accept-Encoding": _ACCEPT_ENCODING}
    if cached is not None:
        if cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
    current = url
    # Redirects are followed here, not by httpx, so that every target's scheme is checked first.
    # trust_env: the proxy (HTTP(S)_PROXY, NO_PROXY) and CA settings of the environment apply.
    with _Deadline(policy.total_timeout_s) as deadline, httpx.Client(
        timeout=timeout, follow_redirects=False, headers=headers, trust_env=True
    ) as client:
        for _hop in range(policy.max_redirects + 1):
            if deadline.passed():
                raise _timed_out(url, policy)
            try:
                with client.stream("GET", current, extensions={"trace": deadline.trace}) as response:
                    if response.status_code in _REDIRECT_STATUS:
                        current = _redirect_target(url, current, response)
                        continue
                    return _handle(url, current, response, cache, cached, policy, deadline)
            except httpx.TimeoutException as exc:
                if deadline.passed():
                    raise _timed_out(url, policy) from None
                raise FetchError(url, "fetch_timeout", f"fetching {url} timed out ({_timeout_kind(exc)})", True) from None
            except httpx.TransportError as exc:
                # The watchdog ends a waiting read by shutting its socket down: that surfaces as a
                # closed connection, and is the deadline, not the network.
                if deadline.passed():
                    raise _timed_out(url, policy) from None
                # DNS failures, refused or reset connections, broken chunking: the network, not the answer.
                raise FetchError(url, "fetch_failed", f"fetching {url} failed: {_transport_detail(exc)}", True) from None
    raise FetchError(url, "too_many_redirects", f"{url} redirected more than {policy.max_redirects} times")


class _Deadline:
    """The wall-time limit of one whole transfer, enforced while a read is waiting.

    httpx's read timeout restarts at every byte, and a check between chunks only runs when a
    chunk arrives, so neither bounds a server that drips bytes or goes quiet. This watchdog
    learns each connection's stream from httpx's `trace` request extension (the documented hook
    that reports `connect_tcp` / `start_tls` as they complete) and, when the time is up, shuts
    the sockets down: a blocked read returns at once, and `passed()` tells the caller why.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends_at = time.monotonic() + seconds
        self._expired = False
        self._streams: list[object] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()

    def passed(self) -> bool:
        return self._expired or time.monotonic() >= self._ends_at

    def trace(self, event: str, info: dict) -> None:
        stream = info.get("return_value")
        if not event.endswith(".complete") or not hasattr(stream, "get_extra_info"):
            return
        with self._lock:
            self._streams.append(stream)
            expired = self._expired
        if expired:  # connected just as the time ran out
            _shut_down(stream)

    def _expire(self) -> None:
        with self._lock:
            self._expired = True
            streams = list(self._streams)
        for stream in streams:
            _shut_down(stream)


def _shut_down(stream: object) -> None:
    try:
        sock = stream.get_extra_info("socket")  # type: ignore[attr-defined]
        if sock is not None:
            # shutdown, not close: closing a socket does not wake a thread blocked reading it.
            sock.shutdown(socket.SHUT_RDWR)
    except (OSError, ValueError):
        pass  # already closed (a TLS socket says so with ValueError): nothing left to wake


def _timed_out(url: str, policy: FetchPolicy) -> FetchError:
    detail = f"fetching {url} took longer than the {policy.total_timeout_s:g} s limit on the whole transfer"
    return FetchError(url, "fetch_timeout", detail, True)


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
    deadline: _Deadline,
) -> Fetched:
    status = response.status_code
    if status == 304 and cached is not None:
        return replace(cached, not_modified=True, final_url=final_url)
    if status in TRANSIENT_STATUS:
        raise FetchError(url, "http_error", f"{final_url} answered HTTP {status} {response.reason_phrase}".rstrip(), True)
    if status != 200:
        raise FetchError(url, "http_error", f"{final_url} answered HTTP {status} {response.reason_phrase}".rstrip())

    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(url, "too_large", _too_large(final_url, f"declares {int(declared):,} bytes", policy))
    body_file = cache.temp_file()
    digest = hashlib.sha256()
    size = 0
    raw_size = 0

    def raw_body() -> Iterator[bytes]:
        nonlocal raw_size
        # Each piece as the network delivers it (not gathered into 64 KiB chunks first), so the
        # limits are checked after every read.
        for piece in response.iter_raw():
            raw_size += len(piece)
            if raw_size > policy.max_bytes:
                raise FetchError(url, "too_large", _too_large(final_url, "sent more", policy))
            if deadline.passed():
                raise _timed_out(url, policy)
            yield piece

    codings = [c.strip().lower() for c in response.headers.get("content-encoding", "").split(",") if c.strip()]
    try:
        with open(body_file, "wb") as out:
            for chunk in _decoded(raw_body(), codings):
                size += len(chunk)
                if size > policy.max_bytes:
                    raise FetchError(url, "too_large", _too_large(final_url, "sent more once decompressed", policy))
                if deadline.passed():
                    raise _timed_out(url, policy)
                digest.update(chunk)
                out.write(chunk)
        content_type, charset = _content_type(response.headers.get("content-type"))
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
    except _BadBody as exc:
        raise FetchError(url, "fetch_failed", f"{final_url} sent a body that cannot be read: {exc}") from None
    finally:
        body_file.unlink(missing_ok=True)


def _decoded(raw: Iterable[bytes], codings: list[str]) -> Iterator[bytes]:
    """The body with its content codings undone (the last applied is undone first)."""
    body: Iterable[bytes] = raw
    for coding in reversed(codings):
        if coding in _ZLIB_CODINGS:
            body = _inflate(body, coding)
    return iter(body)


def _inflate(chunks: Iterable[bytes], coding: str) -> Iterator[bytes]:
    """A gzip or deflate stream inflated in pieces of at most `_CHUNK` bytes.

    zlib's `max_length` stops each call at that much output and keeps the input it has not used,
    so a bomb (a few KiB that inflate to gigabytes) costs one piece of memory at a time and the
    caller's byte limit stops it early. A gzip body of several members (concatenated gzip
    files, which is valid gzip) is inflated member after member.
    """
    decoder = None
    for chunk in chunks:
        data = chunk
        while True:
            if decoder is None:
                if not data:
                    break
                decoder = _zlib_decoder(coding, data)
            try:
                out = decoder.decompress(data, _CHUNK)
            except zlib.error as exc:
                raise _BadBody(f"its {coding}-compressed body does not decompress: {exc}") from None
            if out:
                yield out
            data = decoder.unconsumed_tail
            if decoder.eof:
                rest, decoder = decoder.unused_data, None
                # Another gzip member may follow; anything else after the end is padding.
                data = rest if coding != "deflate" and rest.startswith(b"\x1f\x8b") else b""
            elif not data and len(out) < _CHUNK:
                break  # all input taken and nothing pending: wait for the next chunk
            # else: a full piece came out, so more may be pending inside zlib even without input
    if decoder is not None:
        # The body ended inside the stream: a cut-off transfer, not the whole page.
        raise _BadBody(f"its {coding}-compressed body ends before the compressed stream does")


def _zlib_decoder(coding: str, first: bytes):
    if coding != "deflate":
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    # "deflate" is zlib-wrapped by the standard, raw deflate from many servers: a zlib header
    # says which (its first byte names the method, the first two form a multiple of 31).
    wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
    return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)


class _BadBody(Exception):
    """A compressed body that does not decompress."""


def _redirect_target(url: str, current: str, response: httpx.Response) -> str:
    location = response.headers.get("location")
    if not location:
        raise FetchError(url, "http_error", f"{current} answered HTTP {response.status_code} without a Location")
    target = urllib.parse.urljoin(current, location)
    try:
        return check_url(target)
    except FetchError as exc:
        raise FetchError(url, "bad_url", f"{current} redirected to a refused address: {exc.detail}") from None


def _content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'")
    return media.strip().lower() or None, charset


def _too_large(url: str, what: str, policy: FetchPolicy) -> str:
    return f"{url} {what}, over the {policy.max_bytes:,}-byte limit for one fetch"


def _timeout_kind(exc: httpx.TimeoutException) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "no connection within the connect timeout"
    if isinstance(exc, httpx.ReadTimeout):
        return "no data within the read timeout"
    return type(exc).__name__


def _transport_detail(exc: httpx.TransportError) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
