"""The package's one HTTP client: checked redirects, bounded streamed bodies, a deadline, retries.

Both ways the package reaches the network go through here: the ingest stage's fetcher
(`broadsheet.ingest.fetch`) and the consumer's release download (`broadsheet.download`). The rules:

- Only `http` and `https`, absolute, with a host (`check_url`), before any I/O; and a redirect
  only to such a URL. Redirects are followed here (`open_response`), never by httpx, which
  would follow one without asking; at most `max_redirects` of them.
- `make_client`: separate connect and read timeouts, the proxy and CA settings of the environment
  (HTTP(S)_PROXY, NO_PROXY, SSL_CERT_FILE), and a user agent naming broadsheet and its version.
- `Deadline`: a wall-clock limit on a whole transfer, redirects included, that holds even while
  a read is waiting for bytes that do not come.
- `read_body`: the body in the pieces the network delivers, with a byte limit on what came over
  the wire and on what it decompresses to. gzip and deflate are undone here, a bounded piece at
  a time, never by httpx in one call: a small gzip bomb is refused once its output passes the
  limit, without that output ever being held in memory.
- `retry`: calling again after a transient failure, with the caller's delays.

Failures are `HTTPFailure`s that say whether they are `transient` (timeouts, connection and DNS
errors, 408/425/429/5xx answers: worth trying again); callers turn them into their own errors.
This imports only httpx and the standard library (and the package version, for the user agent):
a client that installs nothing but polars, pyarrow and httpx can use it.
"""

from __future__ import annotations

import re
import socket
import threading
import time
import urllib.parse
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TypeVar

import httpx

from broadsheet.version import __version__

__all__ = [
    "ALLOWED_SCHEMES",
    "MAX_REDIRECTS",
    "TRANSIENT_STATUS",
    "USER_AGENT",
    "BadBody",
    "BadRedirect",
    "Deadline",
    "DeadlineExceeded",
    "HTTPFailure",
    "NetworkError",
    "RefusedURL",
    "StatusError",
    "TimedOut",
    "TooLarge",
    "TooManyRedirects",
    "backoff",
    "check_url",
    "is_transient",
    "make_client",
    "open_response",
    "read_body",
    "retry",
    "user_agent",
]

T = TypeVar("T")

USER_AGENT = f"broadsheet/{__version__}"
ALLOWED_SCHEMES = ("http", "https")
MAX_REDIRECTS = 5
# Answers that say "try again later" rather than "no": the server or a proxy is overloaded or
# restarting, or asks the client to slow down.
TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
# The content codings `read_body` undoes, and so the only ones asked for by default. Any other
# coding a server sends anyway is kept as it came.
ACCEPT_ENCODING = "gzip, deflate"
_ZLIB_CODINGS = frozenset({"gzip", "x-gzip", "deflate"})


def user_agent(purpose: str | None = None) -> str:
    """`broadsheet/<version>`, followed by what the client is for when given."""
    return f"{USER_AGENT} ({purpose})" if purpose else USER_AGENT


# ----------------------------------------------------------------------------------------------
# Failures


class HTTPFailure(Exception):
    """A transfer that failed. `detail` says what happened; `transient` whether trying again may help."""

    transient = False

    def __init__(self, url: str, detail: str) -> None:
        super().__init__(url, detail)
        self.url = url
        self.detail = detail

    def __str__(self) -> str:
        return self.detail


class RefusedURL(HTTPFailure):
    """Not an absolute http(s) URL with a host; `redirected_from` names the URL that pointed here."""

    def __init__(self, url: str, detail: str, scheme: str = "", redirected_from: str | None = None) -> None:
        super().__init__(url, detail)
        self.scheme = scheme
        self.redirected_from = redirected_from


class TooManyRedirects(HTTPFailure):
    """More redirects than allowed (a loop, most likely)."""


class BadRedirect(HTTPFailure):
    """A redirect answer that says nowhere to go."""


class StatusError(HTTPFailure):
    """An answer the caller cannot use; transient for the statuses of `TRANSIENT_STATUS`."""

    def __init__(self, url: str, status: int, reason: str = "") -> None:
        super().__init__(url, f"{url} answered HTTP {status} {reason}".rstrip())
        self.status = status
        self.reason = reason
        self.transient = status in TRANSIENT_STATUS


class TooLarge(HTTPFailure):
    """A body over its byte limit: declared so (`declared`, unread), or sent so."""

    def __init__(self, url: str, detail: str, limit: int, declared: int | None = None) -> None:
        super().__init__(url, detail)
        self.limit = limit
        self.declared = declared


class BadBody(HTTPFailure):
    """A compressed body that does not decompress, or ends before its compressed stream does."""


class NetworkError(HTTPFailure):
    """DNS failures, refused or reset connections, broken chunking: the network, not the answer."""

    transient = True

    def __init__(self, url: str, detail: str, reason: str = "") -> None:
        super().__init__(url, detail)
        self.reason = reason or detail


class TimedOut(NetworkError):
    """No connection within the connect timeout, or no data within the read timeout."""


class DeadlineExceeded(HTTPFailure):
    """The whole transfer took longer than its `Deadline`."""

    transient = True

    def __init__(self, url: str, seconds: float) -> None:
        super().__init__(url, f"fetching {url} took longer than the {seconds:g} s limit on the whole transfer")
        self.seconds = seconds


def is_transient(exc: BaseException) -> bool:
    return isinstance(exc, HTTPFailure) and exc.transient


# ----------------------------------------------------------------------------------------------
# URLs and the client


def check_url(url: object) -> str:
    """The URL if it is an absolute http(s) URL with a host, else `RefusedURL` (no I/O)."""
    text = url if isinstance(url, str) else repr(url)
    if not isinstance(url, str) or not url.strip() or re.search(r"\s", url):
        raise RefusedURL(text, f"{text!r} is not a URL (empty, not a string, or has spaces)")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 -- a malformed port raises here
    except ValueError as exc:
        raise RefusedURL(url, f"{url!r} is not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        named = f"scheme {parts.scheme!r}" if parts.scheme else "no scheme"
        raise RefusedURL(url, f"{url!r} has {named}; only http and https are fetched", scheme)
    if not parts.hostname:
        raise RefusedURL(url, f"{url!r} names no host", scheme)
    return url


def make_client(
    *,
    connect_timeout_s: float,
    read_timeout_s: float,
    agent: str = USER_AGENT,
    headers: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """An httpx client for `open_response`: its timeouts, the environment's proxies, no redirects of its own.

    `read_timeout_s` is the longest wait for the next bytes (httpx restarts it at every read), not
    a limit on the transfer: that is `Deadline`'s.
    """
    timeout = httpx.Timeout(read_timeout_s, connect=connect_timeout_s)
    sent = {"User-Agent": agent, "Accept-Encoding": ACCEPT_ENCODING, **(headers or {})}
    # trust_env: the proxy (HTTP(S)_PROXY, NO_PROXY) and CA settings of the environment apply.
    # `transport` stands in for the network (an httpx.MockTransport, in tests).
    return httpx.Client(timeout=timeout, follow_redirects=False, headers=sent, trust_env=True, transport=transport)


@contextmanager
def open_response(
    session: httpx.Client,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    max_redirects: int = MAX_REDIRECTS,
    deadline: Deadline | None = None,
) -> Iterator[tuple[str, httpx.Response]]:
    """GET `url`, following redirects checked here; the final URL and its streaming response.

    The final URL is the string that was requested, as the redirect built it, not httpx's
    normalised form. The response's body is not read: `read_body` does that, inside this block.
    httpx's timeouts and network errors, here or while the body is read in the block, come out as
    `TimedOut`, `NetworkError` or, when the deadline is what ended them, `DeadlineExceeded`.
    """
    check_url(url)
    deadline = deadline if deadline is not None else Deadline(None)
    current = url
    for _hop in range(max_redirects + 1):
        if deadline.passed():
            raise deadline.exceeded(url)
        with (
            _translated(url, deadline),
            session.stream("GET", current, headers=headers, extensions={"trace": deadline.trace}) as response,
        ):
            if response.status_code in REDIRECT_STATUS:
                current = _redirect_target(current, response)
                continue
            yield current, response
            return
    raise TooManyRedirects(url, f"{url} redirected more than {max_redirects} times")


def _redirect_target(current: str, response: httpx.Response) -> str:
    location = response.headers.get("location")
    if not location:
        raise BadRedirect(current, f"{current} answered HTTP {response.status_code} without a Location")
    target = urllib.parse.urljoin(current, location)
    try:
        return check_url(target)
    except RefusedURL as exc:
        detail = f"{current} redirected to a refused address: {exc.detail}"
        raise RefusedURL(target, detail, exc.scheme, redirected_from=current) from None


@contextmanager
def _translated(url: str, deadline: Deadline) -> Iterator[None]:
    try:
        yield
    except httpx.TimeoutException as exc:
        if deadline.passed():
            raise deadline.exceeded(url) from None
        kind = _timeout_kind(exc)
        raise TimedOut(url, f"fetching {url} timed out ({kind})", kind) from None
    except httpx.TransportError as exc:
        # The deadline ends a waiting read by shutting its socket down: that surfaces as a closed
        # connection, and is the deadline, not the network.
        if deadline.passed():
            raise deadline.exceeded(url) from None
        reason = _transport_detail(exc)
        raise NetworkError(url, f"fetching {url} failed: {reason}", reason) from None


def _timeout_kind(exc: httpx.TimeoutException) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "no connection within the connect timeout"
    if isinstance(exc, httpx.ReadTimeout):
        return "no data within the read timeout"
    return type(exc).__name__


def _transport_detail(exc: httpx.TransportError) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# ----------------------------------------------------------------------------------------------
# The deadline


class Deadline:
    """The wall-time limit of one whole transfer, enforced while a read is waiting; None: no limit.

    httpx's read timeout restarts at every byte, and a check between chunks only runs when a
    chunk arrives, so neither bounds a server that drips bytes or goes quiet. This watchdog
    learns each connection's stream from httpx's `trace` request extension (the documented hook
    that reports `connect_tcp` / `start_tls` as they complete) and, when the time is up, shuts
    the sockets down: a blocked read returns at once, and `passed()` tells the caller why.
    Use it as a context manager around the transfer, so that its timer stops with it.
    """

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._ends_at = None if seconds is None else time.monotonic() + seconds
        self._expired = False
        self._streams: list[object] = []
        self._lock = threading.Lock()
        self._timer = None if seconds is None else threading.Timer(max(seconds, 0.0), self._expire)
        if self._timer is not None:
            self._timer.daemon = True

    def __enter__(self) -> Deadline:
        if self._timer is not None:
            self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def passed(self) -> bool:
        return self._expired or (self._ends_at is not None and time.monotonic() >= self._ends_at)

    def exceeded(self, url: str) -> DeadlineExceeded:
        return DeadlineExceeded(url, self.seconds or 0.0)

    def trace(self, event: str, info: dict) -> None:
        if self._timer is None:
            return
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


# ----------------------------------------------------------------------------------------------
# The body


def read_body(
    response: httpx.Response,
    *,
    max_bytes: int,
    max_raw_bytes: int | None = None,
    deadline: Deadline | None = None,
    url: str | None = None,
) -> Iterator[bytes]:
    """The body, its gzip/deflate codings undone, in pieces; `TooLarge` past a limit.

    `max_bytes` bounds the decoded body, `max_raw_bytes` (default: the same) what came over the
    wire. A declared Content-Length over the raw limit is refused here, before any byte is read;
    a body that grows past either limit is cut off as soon as it does. `url` names the response
    in messages (default: httpx's URL of the request).
    """
    url = url if url is not None else str(response.request.url)
    raw_limit = max_bytes if max_raw_bytes is None else max_raw_bytes
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > raw_limit:
        raise TooLarge(url, _over(url, f"declares {int(declared):,} bytes", raw_limit), raw_limit, int(declared))
    codings = [c.strip().lower() for c in response.headers.get("content-encoding", "").split(",") if c.strip()]
    return _bounded(response, url, codings, max_bytes, raw_limit, deadline if deadline is not None else Deadline(None))


def _bounded(
    response: httpx.Response, url: str, codings: list[str], max_bytes: int, raw_limit: int, deadline: Deadline
) -> Iterator[bytes]:
    decoded = _decoded(_raw(response, url, raw_limit, deadline), codings, url)
    yield from _capped(decoded, url, max_bytes, "sent more once decompressed", deadline)


def _raw(response: httpx.Response, url: str, limit: int, deadline: Deadline) -> Iterator[bytes]:
    with _translated(url, deadline):
        # Each piece as the network delivers it (not gathered into larger chunks first), so the
        # limits are checked after every read.
        yield from _capped(response.iter_raw(), url, limit, "sent more", deadline)


def _capped(pieces: Iterator[bytes], url: str, limit: int, what: str, deadline: Deadline) -> Iterator[bytes]:
    """The pieces, refused past `limit` bytes in all or once the deadline has passed."""
    size = 0
    for piece in pieces:
        size += len(piece)
        if size > limit:
            raise TooLarge(url, _over(url, what, limit), limit)
        if deadline.passed():
            raise deadline.exceeded(url)
        yield piece


def _over(url: str, what: str, limit: int) -> str:
    return f"{url} {what}, over the {limit:,}-byte limit"


def _decoded(raw: Iterable[bytes], codings: list[str], url: str) -> Iterator[bytes]:
    """The body with its content codings undone (the last applied is undone first)."""
    body: Iterable[bytes] = raw
    for coding in reversed(codings):
        if coding in _ZLIB_CODINGS:
            body = _inflate(body, coding, url)
    return iter(body)


def _inflate(chunks: Iterable[bytes], coding: str, url: str) -> Iterator[bytes]:
    """A gzip or deflate stream inflated in pieces of at most `CHUNK` bytes.

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
                out = decoder.decompress(data, CHUNK)
            except zlib.error as exc:
                raise _unreadable(url, f"its {coding}-compressed body does not decompress: {exc}") from None
            if out:
                yield out
            data = decoder.unconsumed_tail
            if decoder.eof:
                rest, decoder = decoder.unused_data, None
                # Another gzip member may follow; anything else after the end is padding.
                data = rest if coding != "deflate" and rest.startswith(b"\x1f\x8b") else b""
            elif not data and len(out) < CHUNK:
                break  # all input taken and nothing pending: wait for the next chunk
            # else: a full piece came out, so more may be pending inside zlib even without input
    if decoder is not None:
        # The body ended inside the stream: a cut-off transfer, not the whole body.
        raise _unreadable(url, f"its {coding}-compressed body ends before the compressed stream does")


def _zlib_decoder(coding: str, first: bytes):
    if coding != "deflate":
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    # "deflate" is zlib-wrapped by the standard, raw deflate from many servers: a zlib header
    # says which (its first byte names the method, the first two form a multiple of 31).
    wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
    return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)


def _unreadable(url: str, problem: str) -> BadBody:
    return BadBody(url, f"{url} sent a body that cannot be read: {problem}")


# ----------------------------------------------------------------------------------------------
# Retrying


def backoff(first_s: float, attempts: int, factor: float = 2.0) -> list[float]:
    """The waits between `attempts` tries, growing by `factor`: 0.5, 1, 2 s for four tries from 0.5."""
    return [first_s * factor**n for n in range(max(attempts - 1, 0))]


def retry(
    call: Callable[[], T],
    delays: Sequence[float],
    *,
    transient: Callable[[BaseException], bool] = is_transient,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """`call()`, tried again after each transient failure, waiting `delays[n]` before try n+2.

    So `len(delays) + 1` tries in all; a failure that is not transient, or the last try's, raises.
    """
    for delay in delays:
        try:
            return call()
        except Exception as exc:
            if not transient(exc):
                raise
        sleep(delay)
    return call()


def content_type(value: str | None) -> tuple[str | None, str | None]:
    """The media type (lower case) and the charset a Content-Type header names, each None when absent."""
    if not value:
        return None, None
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'")
    return media.strip().lower() or None, charset
