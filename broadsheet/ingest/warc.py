"""WARC files (ISO 28500, versions 1.0 and 1.1): a crawl archive → the HTML pages it captured.

`iter_warc_pages` streams a `.warc` or `.warc.gz` file (gzip either per record, as crawlers
write it, or over the whole file) record by record, never holding more than one page in memory.
Of its records, only `response` records of an HTTP `200` answer whose media type is HTML
(`text/html`, `application/xhtml+xml`) are articles; requests, metadata, revisits, redirects,
error pages, images and scripts are part of any crawl and are passed over without a word. Each
page comes with the record's `WARC-Target-URI`, which is its source uri.

The HTTP payload is undone as a browser would: chunked transfer coding is joined and a gzip or
deflate content coding is decompressed. A page over `max_page_bytes` (the record's size, and again
after decompression) is reported as too large rather than read, and one whose compressed body is
broken as a bad page; the walk goes on after both. A damaged archive (bad gzip, a
record header that does not parse, a record cut short) ends the walk with a `WarcError` naming the
record and the byte offset; the pages before it have been yielded already.

Decompression never holds more than a bounded piece: lines are read with a length limit (a
gzip member that inflates to gigabytes without a newline is a damaged header after 64 KiB, not
a gigabyte string), record blocks are read only up to `max_page_bytes`, skipped ones a MiB at a
time, and a page's own gzip/deflate coding is inflated with a bound. A compressed archive that
inflates to more than `_MAX_EXPANSION` times its size on disk (plus `_EXPANSION_SLACK`) is a
decompression bomb, not a crawl (web pages compress about tenfold): the walk ends with
`WarcBomb`, a `WarcError` whose reason is `too_large`, after inflating at most that much.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = ["WarcBadPage", "WarcBomb", "WarcError", "WarcPage", "WarcTooLarge", "iter_warc_pages"]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# How much of an oversized record is read to tell whether it is an HTML page at all.
_PEEK_BYTES = 64 * 1024
_MAX_HEADER_BYTES = 64 * 1024
# How far a compressed archive may inflate: crawled pages compress about tenfold, zeros a
# thousandfold. The slack lets a small archive of very repetitive pages through.
_MAX_EXPANSION = 100
_EXPANSION_SLACK = 64 * 1024 * 1024
_SKIP_PIECE = 1 << 20


class WarcError(ValueError):
    """The archive cannot be read on from this point."""

    reason = "invalid_warc"


class WarcBomb(WarcError):
    """The compressed archive inflates far beyond any crawl: refused as too large."""

    reason = "too_large"


@dataclass(frozen=True)
class WarcPage:
    target_uri: str
    body: bytes  # the HTML as served, transfer and content codings undone
    charset: str | None  # from the HTTP Content-Type
    record_number: int  # 1-based, counting every record of the archive


@dataclass(frozen=True)
class WarcTooLarge:
    target_uri: str
    size: int
    record_number: int


@dataclass(frozen=True)
class WarcBadPage:
    """An HTML page whose stored body cannot be decoded (a broken gzip stream, say); the rest of the archive is fine."""

    target_uri: str
    detail: str
    record_number: int


def iter_warc_pages(path: str | Path, max_page_bytes: int) -> Iterator[WarcPage | WarcTooLarge | WarcBadPage]:
    """The HTML pages of the archive at `path`, in archive order. Raises `WarcError` when damaged."""
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        # GzipFile reads a multi-member file (one member per record) as one stream.
        stream: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else raw  # type: ignore[assignment]
        budget = _Inflation(raw) if gzipped else None
        try:
            yield from _pages(stream, max_page_bytes, budget)
        except (OSError, EOFError, zlib.error) as exc:
            # gzip.BadGzipFile is an OSError; a truncated gzip member is an EOFError.
            raise WarcError(f"the archive is damaged: {type(exc).__name__}: {exc}") from None


class _Inflation:
    """Checks that the inflated stream stays within `_MAX_EXPANSION` of the compressed bytes read."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw

    def check(self, inflated: int) -> None:
        compressed = self.raw.tell()
        if inflated > _MAX_EXPANSION * compressed + _EXPANSION_SLACK:
            raise WarcBomb(
                f"the archive inflates to more than {inflated:,} bytes from {compressed:,} compressed, over "
                f"{_MAX_EXPANSION} times its size: a decompression bomb, not a crawl; read no further"
            )


def _pages(
    stream: BinaryIO, max_page_bytes: int, budget: _Inflation | None = None
) -> Iterator[WarcPage | WarcTooLarge | WarcBadPage]:
    number = 0
    offset = 0
    while True:
        line = stream.readline(_MAX_HEADER_BYTES)
        blank = 0
        while line in (b"\r\n", b"\n"):  # tolerate stray blank lines between records
            offset += len(line)
            blank += len(line)
            if blank > _MAX_HEADER_BYTES:
                raise WarcError(f"over {_MAX_HEADER_BYTES:,} bytes of blank lines at byte {offset} of the uncompressed archive")
            line = stream.readline(_MAX_HEADER_BYTES)
        if not line:
            return
        number += 1
        where = f"record {number} (at byte {offset} of the uncompressed archive)"
        if not line.startswith(b"WARC/") or not line.endswith(b"\n"):
            raise WarcError(f"{where} does not start with a WARC version line")
        headers, consumed = _read_headers(stream, where)
        try:
            length = int(headers.get("content-length", ""))
        except ValueError:
            raise WarcError(f"{where} has no valid Content-Length") from None
        if length < 0:
            raise WarcError(f"{where} has a negative Content-Length")
        offset += len(line) + consumed
        record_type = headers.get("warc-type", "").lower()
        target = headers.get("warc-target-uri", "").strip().strip("<>")
        is_http_response = record_type == "response" and "application/http" in headers.get("content-type", "").lower()

        if is_http_response and length <= max_page_bytes:
            block = stream.read(length)
            if len(block) < length:
                raise WarcError(f"{where} is cut short: {len(block):,} of {length:,} bytes")
            page = _html_page(block, target, number, max_page_bytes)
        elif is_http_response:
            head = stream.read(min(length, _PEEK_BYTES))
            _skip(stream, length - len(head), where, offset + len(head), budget)
            page = WarcTooLarge(target, length, number) if _is_html_200(head) else None
        else:
            _skip(stream, length, where, offset, budget)
            page = None
        offset += length
        if budget is not None:
            budget.check(offset)
        trailer = stream.read(4)
        offset += len(trailer)
        if trailer != b"\r\n\r\n" and trailer.rstrip(b"\r\n"):
            raise WarcError(f"{where} does not end where its Content-Length says")
        if page is not None:
            yield page


def _read_headers(stream: BinaryIO, where: str) -> tuple[dict[str, str], int]:
    headers: dict[str, str] = {}
    consumed = 0
    name = None
    while True:
        # Bounded: one line of a bomb is never read whole.
        line = stream.readline(_MAX_HEADER_BYTES - consumed + 1)
        consumed += len(line)
        if not line:
            raise WarcError(f"{where} ends inside its header")
        if consumed > _MAX_HEADER_BYTES:
            raise WarcError(f"{where} has a header over {_MAX_HEADER_BYTES:,} bytes")
        if line in (b"\r\n", b"\n"):
            return headers, consumed
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        if text[:1] in (" ", "\t") and name is not None:  # a folded continuation line
            headers[name] += " " + text.strip()
            continue
        key, sep, value = text.partition(":")
        if not sep:
            raise WarcError(f"{where} has a header line without a colon: {text[:60]!r}")
        name = key.strip().lower()
        headers[name] = value.strip()


def _skip(stream: BinaryIO, count: int, where: str, offset: int, budget: _Inflation | None) -> None:
    while count > 0:
        chunk = stream.read(min(count, _SKIP_PIECE))
        if not chunk:
            raise WarcError(f"{where} is cut short")
        count -= len(chunk)
        offset += len(chunk)
        if budget is not None:
            budget.check(offset)


def _split_http(block: bytes) -> tuple[int | None, dict[str, str], bytes]:
    """(status, headers, body) of a raw HTTP response; status None when the block is not one."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        head, sep, body = block.partition(separator)
        if sep:
            break
    else:
        head, body = block, b""
    lines = head.decode("iso-8859-1").splitlines()
    if not lines or not lines[0].startswith("HTTP/"):
        return None, {}, b""
    parts = lines[0].split()
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        key, sep, value = line.partition(":")
        if sep:
            headers[key.strip().lower()] = value.strip()
    return status, headers, body


def _media_type(headers: dict[str, str]) -> tuple[str, str | None]:
    media, _, params = headers.get("content-type", "").partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return media.strip().lower(), charset


def _is_html_200(block: bytes) -> bool:
    status, headers, _ = _split_http(block)
    return status == 200 and _media_type(headers)[0] in _HTML_TYPES


def _html_page(block: bytes, target: str, number: int, limit: int) -> WarcPage | WarcTooLarge | WarcBadPage | None:
    status, headers, body = _split_http(block)
    media, charset = _media_type(headers)
    if status != 200 or media not in _HTML_TYPES:
        return None
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    coding = headers.get("content-encoding", "").strip().lower()
    if coding in ("gzip", "x-gzip", "deflate"):
        try:
            body = _decompress(body, coding, limit)
        except zlib.error as exc:
            return WarcBadPage(target, f"its {coding}-compressed page body does not decompress: {exc}", number)
        if body is None:
            return WarcTooLarge(target, limit + 1, number)
    elif coding not in ("", "identity"):
        # brotli and others: the page cannot be read without a decoder this project does not ship.
        return None
    return WarcPage(target_uri=target, body=body, charset=charset, record_number=number)


def _dechunk(body: bytes) -> bytes:
    out = bytearray()
    position = 0
    while position < len(body):
        end = body.find(b"\r\n", position)
        if end < 0:
            break
        size_text = body[position:end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            # Some crawlers store the body already de-chunked but keep the header: use it as is.
            return body if not out else bytes(out)
        if size == 0:
            break
        out += body[end + 2 : end + 2 + size]
        position = end + 2 + size + 2
    return bytes(out)


def _decompress(body: bytes, coding: str, limit: int) -> bytes | None:
    """The decompressed body, or None when it would exceed `limit` bytes."""
    if coding == "deflate":
        # "deflate" is zlib-wrapped by the standard, raw deflate by many servers.
        try:
            decoder = zlib.decompressobj()
            return _bounded(decoder, body, limit)
        except zlib.error:
            decoder = zlib.decompressobj(-zlib.MAX_WBITS)
            return _bounded(decoder, body, limit)
    return _bounded(zlib.decompressobj(16 + zlib.MAX_WBITS), body, limit)


def _bounded(decoder, body: bytes, limit: int) -> bytes | None:
    out = decoder.decompress(body, limit + 1)
    return None if len(out) > limit else out
