"""A small web server on 127.0.0.1 for the fetching tests: articles, feeds, a WARC and misbehaviour.

Nothing leaves the machine. The server counts the requests per path and records the headers of
each, so tests can tell whether a request was made, retried, or conditional.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# Invented text for this project; any resemblance to real news is accidental.
PARAGRAPHS = [
    "The harbour authority of Port Elswick said on Tuesday that the night ferry will stop running "
    "from March, after three winters of falling passenger numbers and rising fuel costs.",
    "Councillor Mara Ilves, who chairs the transport committee, told reporters that the decision "
    "was taken with regret and that a replacement bus service is being studied by the county.",
    "Local traders warned that the closure would cut the island off in the evenings, and a "
    "petition against it has gathered more than two thousand signatures in a week.",
]


def article_html(title: str, *, date: str | None = None, canonical: str | None = None, extra: str = "") -> bytes:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p} {extra}</p>" for p in PARAGRAPHS)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{meta}{link}</head>"
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
        f"<footer>Copyright the Elswick Courier</footer></body></html>"
    ).encode()


def rss_feed(base: str, items: list[tuple[str, str, str | None]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link>" + (f"<pubDate>{date}</pubDate>" if date else "") + "</item>"
        for path, title, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Courier</title>'
        f"<link>{base}/</link><description>News</description>{entries}</channel></rss>"
    ).encode()


def atom_feed(items: list[tuple[str, str, str | None]]) -> bytes:
    entries = "".join(
        f'<entry><title>{title}</title><link rel="alternate" href="{path}"/><id>tag:x,{path}</id>'
        + (f"<published>{date}</published>" if date else "")
        + "<updated>2026-02-01T00:00:00Z</updated></entry>"
        for path, title, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Courier</title><id>tag:x,feed</id><updated>2026-02-01T00:00:00Z</updated>{entries}</feed>"
    ).encode()


def warc_record(headers: dict[str, str], block: bytes) -> bytes:
    lines = ["WARC/1.1", *(f"{k}: {v}" for k, v in headers.items()), f"Content-Length: {len(block)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + block + b"\r\n\r\n"


def http_response(status: str, headers: dict[str, str], body: bytes) -> bytes:
    head = "\r\n".join([f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items())])
    return head.encode("latin-1") + b"\r\n\r\n" + body


def build_warc(records: list[bytes], compress: bool = True) -> bytes:
    """A WARC file; compressed as crawlers write it, one gzip member per record."""
    if not compress:
        return b"".join(records)
    return b"".join(gzip.compress(record, mtime=0) for record in records)


def sample_warc_records(base: str = "https://courier.example") -> list[bytes]:
    chunked_gzip = gzip.compress(article_html("Chunked and gzipped"), mtime=0)
    chunked = b"%x\r\n" % len(chunked_gzip) + chunked_gzip + b"\r\n0\r\n\r\n"
    return [
        warc_record(
            {"WARC-Type": "warcinfo", "WARC-Record-ID": "<urn:uuid:1>", "Content-Type": "application/warc-fields"},
            b"software: test\r\n",
        ),
        warc_record(
            {"WARC-Type": "request", "WARC-Target-URI": f"{base}/a.html", "Content-Type": "application/http; msgtype=request"},
            b"GET /a.html HTTP/1.1\r\nHost: courier.example\r\n\r\n",
        ),
        warc_record(
            {"WARC-Type": "response", "WARC-Target-URI": f"{base}/a.html", "Content-Type": "application/http; msgtype=response"},
            http_response("200 OK", {"Content-Type": "text/html; charset=utf-8"}, article_html("Archived article")),
        ),
        warc_record(
            {
                "WARC-Type": "response",
                "WARC-Target-URI": f"{base}/gone.html",
                "Content-Type": "application/http; msgtype=response",
            },
            http_response("404 Not Found", {"Content-Type": "text/html"}, b"<html><body>Not here</body></html>"),
        ),
        warc_record(
            {
                "WARC-Type": "response",
                "WARC-Target-URI": f"{base}/logo.png",
                "Content-Type": "application/http; msgtype=response",
            },
            http_response("200 OK", {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + bytes(32)),
        ),
        warc_record(
            {
                "WARC-Type": "response",
                "WARC-Target-URI": f"<{base}/b.html>",
                "Content-Type": "application/http; msgtype=response",
            },
            http_response(
                "200 OK",
                {"Content-Type": "text/html", "Transfer-Encoding": "chunked", "Content-Encoding": "gzip"},
                chunked,
            ),
        ),
        warc_record(
            {"WARC-Type": "revisit", "WARC-Target-URI": f"{base}/a.html", "Content-Type": "application/http; msgtype=response"},
            b"HTTP/1.1 200 OK\r\n\r\n",
        ),
    ]


@dataclass
class WebState:
    base: str = ""
    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    requests: dict[str, list[dict[str, str]]] = field(default_factory=lambda: defaultdict(list))
    flaky_failures: dict[str, int] = field(default_factory=dict)  # path → 500s still to send

    def url(self, path: str) -> str:
        return self.base + path

    def reset_counts(self) -> None:
        self.hits.clear()
        self.requests.clear()


ETAG = '"v1"'
# Routes that misbehave slowly: a body dripped a byte at a time, a body that never comes, headers
# dripped a line at a time. Each gives up after DRIP_SECONDS, so a server thread never outlives
# the test by much.
DRIP_ROUTES = frozenset({"/drip-body", "/silent-body", "/drip-headers"})
DRIP_SECONDS = 4.0
DRIP_INTERVAL = 0.05
LAST_MODIFIED = formatdate(1767225600, usegmt=True)  # 2026-01-01


def _handler(state: WebState):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:  # noqa: N802 -- the http.server API
            path = self.path
            state.hits[path] += 1
            state.requests[path].append({k.lower(): v for k, v in self.headers.items()})
            if path == "/slow":
                time.sleep(2.0)
                return self._send(200, {"Content-Type": "text/html"}, article_html("Slow"))
            if path in DRIP_ROUTES:
                return self._drip(path)
            if path == "/huge-declared":
                return self._send(200, {"Content-Type": "text/html", "Content-Length": str(50 * 1024 * 1024)}, b"", declared=True)
            if path == "/huge-streamed":
                return self._stream_without_length(200_000)
            if state.flaky_failures.get(path, 0) > 0:
                state.flaky_failures[path] -= 1
                return self._send(500, {"Content-Type": "text/plain"}, b"busy")
            if path == "/redirect":
                return self._send(302, {"Location": "/article/1.html"}, b"")
            if path == "/redirect-ftp":
                return self._send(302, {"Location": "ftp://127.0.0.1/article.html"}, b"")
            if path == "/loop":
                return self._send(302, {"Location": "/loop"}, b"")
            if path == "/etag-article.html" or path.startswith("/conditional/"):
                if self.headers.get("If-None-Match") == ETAG:
                    return self._send(304, {"ETag": ETAG}, b"")
                return self._send(200, {"Content-Type": "text/html", "ETag": ETAG}, article_html("With ETag"))
            if path == "/lastmod-article.html":
                if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                    return self._send(304, {}, b"")
                return self._send(200, {"Content-Type": "text/html", "Last-Modified": LAST_MODIFIED}, article_html("With date"))
            if path in state.routes:
                status, headers, body = state.routes[path]
                return self._send(status, headers, body)
            return self._send(404, {"Content-Type": "text/plain"}, b"not found")

        def _send(self, status: int, headers: dict[str, str], body: bytes, declared: bool = False) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            if not declared:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

        def _drip(self, path: str) -> None:
            """Misbehaving slowly: bytes one at a time, or none at all, for at most DRIP_SECONDS."""
            until = time.monotonic() + DRIP_SECONDS
            self.close_connection = True
            try:
                if path == "/drip-headers":
                    self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                    while time.monotonic() < until:
                        self.wfile.write(b"X-Slow: a\r\n")
                        self.wfile.flush()
                        time.sleep(DRIP_INTERVAL)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.flush()
                while time.monotonic() < until:
                    if path == "/drip-body":
                        self.wfile.write(b"x")
                        self.wfile.flush()
                    time.sleep(DRIP_INTERVAL)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _stream_without_length(self, chunks: int) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(chunks):
                    self.wfile.write(b"<p>" + b"x" * 1020 + b"</p>")
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that hangs up on purpose (size limit, timeout) is not a test failure


@pytest.fixture(scope="module")
def web():
    state = WebState()
    server = _QuietServer(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """The fetcher honours proxy settings; the local test server must be reached directly."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/article.html"
