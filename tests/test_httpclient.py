"""The shared HTTP layer: refused schemes, the redirect limit, byte limits before and after
decompression, the deadline against a stalling server, the environment's proxy, and retries.

Answers come from an httpx.MockTransport, or, where the socket itself matters (a server that
stalls, a proxy), from a small server on 127.0.0.1. Nothing leaves the machine.
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator

import httpx
import pytest

from broadsheet import httpclient as http
from broadsheet.version import __version__

BOMB = gzip.compress(bytes(8 << 20), mtime=0)  # 8 MiB of zeros in about 8 KiB
# Long enough that a test ending well before it proves the deadline, not the server, ended it.
STALL_S = 10.0


def _client(handler: Callable[[httpx.Request], httpx.Response], **kwargs) -> httpx.Client:
    return http.make_client(connect_timeout_s=2.0, read_timeout_s=2.0, transport=httpx.MockTransport(handler), **kwargs)


def _get(handler, url: str = "http://site.example/a", **kwargs) -> tuple[str, bytes]:
    limits = {k: kwargs.pop(k) for k in ("max_bytes", "max_raw_bytes") if k in kwargs}
    with _client(handler) as session, http.open_response(session, url, **kwargs) as (final, response):
        return final, b"".join(http.read_body(response, max_bytes=limits.pop("max_bytes", 1 << 30), **limits))


def _answer(body: bytes, headers: dict[str, str] | None = None, status: int = 200):
    # A body given as bytes would be read at once (no stream left); an iterator streams it as a
    # network answer does. Content-Length as a server that knows it would send it.
    return lambda request: httpx.Response(
        status, headers={"Content-Length": str(len(body)), **(headers or {})}, content=iter([body])
    )


# --- URLs and redirects -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://127.0.0.1/a", "scheme 'ftp'; only http and https"),
        ("file:///etc/passwd", "scheme 'file'"),
        ("javascript:alert(1)", "scheme 'javascript'"),
        ("//127.0.0.1/a", "no scheme"),
        ("http:///a", "names no host"),
        ("http://a:port/", "not a valid URL"),
        ("http://a b/", "not a URL"),
        (None, "not a URL"),
    ],
)
def test_only_absolute_http_urls_with_a_host_pass_and_nothing_is_sent(url, problem):
    sent = []
    with pytest.raises(http.RefusedURL, match=problem) as caught:
        _get(lambda request: sent.append(request) or httpx.Response(200), url)
    assert not caught.value.transient and sent == []
    assert http.check_url("HTTPS://Example.org/a?b=1") == "HTTPS://Example.org/a?b=1"


def test_a_redirect_is_followed_and_its_target_is_the_final_url():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "/new?x=1"})
        return httpx.Response(200, content=iter([b"moved here"]))

    assert _get(handler, "http://site.example/old") == ("http://site.example/new?x=1", b"moved here")


def test_a_redirect_to_another_scheme_is_refused_before_it_is_followed():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": "ftp://site.example/a"})

    with pytest.raises(http.RefusedURL) as caught:
        _get(handler)
    refused = caught.value
    assert (refused.url, refused.scheme, refused.redirected_from) == ("ftp://site.example/a", "ftp", "http://site.example/a")
    assert "redirected to a refused address" in refused.detail and not refused.transient
    assert seen == ["http://site.example/a"]


def test_redirects_stop_at_the_limit():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(302, headers={"Location": f"/hop{len(seen)}"})

    with pytest.raises(http.TooManyRedirects, match="redirected more than 3 times"):
        _get(handler, max_redirects=3)
    assert len(seen) == 4  # the first request and three redirects followed
    with pytest.raises(http.TooManyRedirects, match=f"more than {http.MAX_REDIRECTS} times"):
        _get(handler)


def test_a_redirect_without_a_location_is_a_permanent_failure():
    with pytest.raises(http.BadRedirect, match="answered HTTP 302 without a Location") as caught:
        _get(_answer(b"", status=302))
    assert not caught.value.transient


def test_the_client_names_broadsheet_and_asks_only_for_codings_it_undoes():
    seen = []
    with _client(lambda request: seen.append(request.headers) or httpx.Response(200)) as session:
        session.get("http://site.example/")
    assert seen[0]["user-agent"] == f"broadsheet/{__version__}"
    assert seen[0]["accept-encoding"] == "gzip, deflate"
    assert http.user_agent("a test") == f"broadsheet/{__version__} (a test)"


# --- byte limits ---------------------------------------------------------------------------------


def test_a_declared_length_over_the_raw_limit_is_refused_unread():
    with pytest.raises(http.TooLarge, match="declares 5,000 bytes, over the 100-byte limit") as caught:
        _get(_answer(b"x" * 5000), max_bytes=100)
    assert (caught.value.declared, caught.value.limit, caught.value.transient) == (5000, 100, False)


def test_a_body_that_grows_past_the_raw_limit_is_cut_off():
    pieces = []

    def stream() -> Iterator[bytes]:
        for _ in range(100):
            pieces.append(1)
            yield b"x" * 1000

    with pytest.raises(http.TooLarge, match="sent more, over the 10,000-byte limit"):
        _get(lambda request: httpx.Response(200, content=stream()), max_bytes=10_000)
    assert len(pieces) < 20  # stopped soon after the limit, not after the whole body


def test_the_raw_limit_applies_before_decompression():
    # Digests do not compress: about 32 KB over the wire for 32,000 bytes decoded.
    body = gzip.compress(b"".join(hashlib.sha256(b"%d" % n).digest() for n in range(1000)), mtime=0)
    answer = lambda request: httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=iter([body[:5000], body[5000:]]))
    with pytest.raises(http.TooLarge, match="sent more, over the 10,000-byte limit"):
        _get(answer, max_bytes=1 << 20, max_raw_bytes=10_000)
    assert len(_get(answer, max_bytes=1 << 20, max_raw_bytes=40_000)[1]) == 32_000


def test_a_gzip_bomb_is_refused_by_its_decompressed_size():
    headers = {"Content-Encoding": "gzip"}
    with pytest.raises(http.TooLarge, match="sent more once decompressed, over the 1,048,576-byte limit") as caught:
        _get(_answer(BOMB, headers), max_bytes=1 << 20)
    assert caught.value.declared is None and not caught.value.transient
    # The same body under a larger limit decompresses whole.
    assert _get(_answer(BOMB, headers), max_bytes=16 << 20)[1] == bytes(8 << 20)


@pytest.mark.parametrize(
    ("coding", "encode"),
    [
        ("gzip", lambda data: gzip.compress(data[:5000], mtime=0) + gzip.compress(data[5000:], mtime=0)),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data, wbits=-zlib.MAX_WBITS)),
        ("x-gzip", lambda data: gzip.compress(data, mtime=0)),
        ("br", lambda data: data),  # not undone: kept as it came
    ],
)
def test_gzip_and_both_deflates_are_undone_and_other_codings_kept(coding, encode):
    data = b"".join(b"line %d of the body\n" % n for n in range(2000))
    assert _get(_answer(encode(data), {"Content-Encoding": coding}))[1] == data


def test_a_cut_off_or_broken_compressed_body_cannot_be_read():
    whole = gzip.compress(b"x" * 10_000, mtime=0)
    with pytest.raises(http.BadBody, match="ends before the compressed stream does"):
        _get(_answer(whole[: len(whole) // 2], {"Content-Encoding": "gzip"}))
    with pytest.raises(http.BadBody, match="does not decompress"):
        _get(_answer(b"not gzip at all", {"Content-Encoding": "gzip"}))


# --- statuses, timeouts and the deadline ---------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "transient"), [(503, True), (429, True), (408, True), (404, False), (403, False), (501, False)]
)
def test_which_statuses_are_worth_trying_again(status, transient):
    error = http.StatusError("http://site.example/a", status, "Reason")
    assert (error.transient, http.is_transient(error), error.detail) == (
        transient,
        transient,
        f"http://site.example/a answered HTTP {status} Reason",
    )


class _Stalling(threading.Thread):
    """A server on 127.0.0.1 that sends `prefix` to each connection and then stalls for STALL_S."""

    def __init__(self, prefix: bytes) -> None:
        super().__init__(daemon=True)
        self.prefix = prefix
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/stall"
        self.done = threading.Event()

    def run(self) -> None:
        self.listener.settimeout(0.1)
        while not self.done.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            with conn:
                conn.recv(65536)
                conn.sendall(self.prefix)
                self.done.wait(STALL_S)


@pytest.fixture
def stalling(request):
    server = _Stalling(request.param)
    server.start()
    yield server
    server.done.set()
    server.join(5)
    server.listener.close()


def _transfer(url: str, *, read_timeout_s: float, deadline_s: float | None) -> bytes:
    """A whole transfer over real sockets."""
    with (
        http.Deadline(deadline_s) as deadline,
        http.make_client(connect_timeout_s=2.0, read_timeout_s=read_timeout_s) as session,
        http.open_response(session, url, deadline=deadline) as (_, response),
    ):
        return b"".join(http.read_body(response, max_bytes=1 << 20, deadline=deadline))


HEADERS_THEN_STALL = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nfirst bytes"


@pytest.mark.parametrize(
    "stalling", [b"", b"HTTP/1.1 200 OK\r\n", HEADERS_THEN_STALL], indirect=True, ids=["silent", "half-headers", "body"]
)
def test_the_deadline_ends_a_transfer_while_the_server_stalls(stalling):
    started = time.monotonic()
    with pytest.raises(http.DeadlineExceeded, match="0.5 s limit on the whole transfer") as caught:
        _transfer(stalling.url, read_timeout_s=STALL_S * 2, deadline_s=0.5)
    elapsed = time.monotonic() - started
    assert caught.value.transient
    assert elapsed < STALL_S / 2, f"the deadline did not end the stall ({elapsed:.1f} s)"


@pytest.mark.parametrize("stalling", [HEADERS_THEN_STALL], indirect=True)
def test_without_a_deadline_the_read_timeout_ends_a_stall(stalling):
    started = time.monotonic()
    with pytest.raises(http.TimedOut, match="no data within the read timeout") as caught:
        _transfer(stalling.url, read_timeout_s=0.3, deadline_s=None)
    assert caught.value.transient and isinstance(caught.value, http.NetworkError)
    assert time.monotonic() - started < STALL_S / 2


def test_a_deadline_that_does_not_run_out_leaves_the_transfer_alone():
    with http.Deadline(30.0) as deadline:
        assert _get(_answer(b"quick"), deadline=deadline)[1] == b"quick"
        assert not deadline.passed()
    assert not http.Deadline(None).passed()


def test_a_refused_connection_is_a_transient_network_error():
    with socket.create_server(("127.0.0.1", 0)) as free:
        port = free.getsockname()[1]
    with pytest.raises(http.NetworkError, match="failed: ConnectError") as caught:
        _transfer(f"http://127.0.0.1:{port}/", read_timeout_s=2.0, deadline_s=None)
    assert caught.value.transient and not isinstance(caught.value, http.TimedOut)


def test_the_proxy_of_the_environment_is_used(monkeypatch):
    received = []
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nproxied"
    with socket.create_server(("127.0.0.1", 0)) as proxy:

        def serve() -> None:
            conn, _ = proxy.accept()
            with conn:
                received.append(conn.recv(65536))
                conn.sendall(answer)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{proxy.getsockname()[1]}")
        assert _transfer("http://news.invalid/a", read_timeout_s=5.0, deadline_s=None) == b"proxied"
        thread.join(5)
    assert received[0].startswith(b"GET http://news.invalid/a HTTP/1.1")


# --- retrying ------------------------------------------------------------------------------------


def test_transient_failures_are_retried_with_the_given_delays():
    calls, waits = [], []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise http.StatusError("http://site.example/a", 503)
        return "done"

    assert http.retry(flaky, [0.5, 1.0, 2.0], sleep=waits.append) == "done"
    assert (len(calls), waits) == (3, [0.5, 1.0])


def test_the_last_transient_failure_and_any_permanent_one_raise():
    waits = []

    def down() -> None:
        raise http.NetworkError("http://site.example/a", "fetching it failed: ConnectError")

    with pytest.raises(http.NetworkError):
        http.retry(down, http.backoff(0.5, 4), sleep=waits.append)
    assert waits == [0.5, 1.0, 2.0]

    calls = []

    def gone() -> None:
        calls.append(1)
        raise http.StatusError("http://site.example/a", 404, "Not Found")

    with pytest.raises(http.StatusError, match="HTTP 404"):
        http.retry(gone, [0.0, 0.0], sleep=waits.append)
    assert calls == [1]
    with pytest.raises(ValueError):  # not an HTTP failure at all: not retried either
        http.retry(lambda: int("x"), [0.0], sleep=pytest.fail)


def test_what_counts_as_transient_can_be_chosen():
    calls = []

    def once_value_error() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("once")
        return 7

    assert http.retry(once_value_error, [0.0], transient=lambda exc: isinstance(exc, ValueError), sleep=lambda s: None) == 7
    assert http.backoff(0.5, 1) == [] and http.backoff(1.0, 3, factor=3.0) == [1.0, 3.0]
