"""WARC files (ISO 28500, versions 1.0 and 1.1): a crawl archive → the HTML pages it captured.

`iter_warc_pages` streams a `.warc` or `.warc.gz` file (gzip either per record, as crawlers
write it, or over the whole file) record by record, never holding more than one page in memory.
The records are read by warcio's `ArchiveIterator`: their headers, their `Content-Length`, the
HTTP status and headers of each capture, and the joining of a chunked HTTP body. Of its records,
only `response` records of an HTTP `200` answer whose media type is HTML (`text/html`,
`application/xhtml+xml`) are articles; requests, metadata, revisits, redirects, error pages,
images and scripts are part of any crawl and are passed over without a word. Each page comes with
the record's `WARC-Target-URI`, which is its source uri.

The bounds are kept here, around warcio. A page over `max_page_bytes` (the record's size, and
again after decompression) is reported as too large rather than read, and one whose gzip or
deflate body is broken as a bad page; the walk goes on after both. A damaged archive (bad gzip, a
record header that does not parse, a record cut short) ends the walk with a `WarcError` naming the
record and the byte offset; the pages before it have been yielded already.

Nothing is read unbounded: the archive's own gzip is undone here (by `gzip`, a bounded piece at
a time) before warcio sees the bytes, so that what warcio reads for one record's headers can be
counted and stopped at `_MAX_HEADER_BYTES` (a gzip member that inflates to gigabytes without a
newline is a damaged header, not a gigabyte string); record bodies are read only up to
`max_page_bytes`, skipped ones a MiB at a time; and a page's own gzip/deflate coding is inflated
here with a bound (warcio's decoder inflates a whole chunk at once, and passes a broken stream
over in silence). A compressed archive that inflates to more than `_MAX_EXPANSION` times its size
on disk (plus `_EXPANSION_SLACK`) is a decompression bomb, not a crawl (web pages compress about
tenfold): the walk ends with `WarcBomb`, a `WarcError` whose reason is `too_large`, after inflating
at most that much.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import WARCIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from broadsheet import httpclient

__all__ = ["WarcBadPage", "WarcBomb", "WarcError", "WarcPage", "WarcTooLarge", "iter_warc_pages"]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# The most one record's headers (the blank lines before it, its WARC header, its HTTP header)
# may take; real ones take a few KiB.
_MAX_HEADER_BYTES = 256 * 1024
# How far a compressed archive may inflate: crawled pages compress about tenfold, zeros a
# thousandfold. The slack lets a small archive of very repetitive pages through.
_MAX_EXPANSION = 100
_EXPANSION_SLACK = 64 * 1024 * 1024
_PIECE = 1 << 20


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


def iter_warc_pages(path: str | Path | BinaryIO, max_page_bytes: int) -> Iterator[WarcPage | WarcTooLarge | WarcBadPage]:
    """The HTML pages of the archive at `path` (or in an open, seekable file), in archive order.

    Raises `WarcError` when damaged."""
    if isinstance(path, str | Path):
        with open(path, "rb") as raw:
            yield from _pages(raw, max_page_bytes)
    else:
        yield from _pages(path, max_page_bytes)


def _pages(raw: BinaryIO, max_page_bytes: int) -> Iterator[WarcPage | WarcTooLarge | WarcBadPage]:
    archive = _Archive(raw)
    records = _Records(archive)
    number = 0
    while True:
        archive.header_start = archive.position
        try:
            record = next(records, None)
        except ArchiveLoadFailed as exc:
            _check_previous_end(records, number)
            where = f"record {number + 1} (at byte {records.offset} of the uncompressed archive)"
            raise WarcError(f"{where} does not start with a WARC version line: {str(exc)[:120]}") from None
        finally:
            archive.header_start = None
        _check_previous_end(records, number)
        if record is None:
            break
        number += 1
        where = f"record {number} (at byte {records.offset} of the uncompressed archive)"
        page = _page(record, where, number, max_page_bytes)
        if page is not None:
            yield page
    if archive.position > records.offset:
        # warcio ends its walk quietly when a record ends inside its HTTP header.
        raise WarcError(f"record {number + 1} (at byte {records.offset} of the uncompressed archive) is cut short")


class _Archive:
    """The archive's bytes as warcio reads them: gzip undone (bounded, bomb-checked), header bytes counted."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.gzipped = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        # GzipFile reads a multi-member file (one member per record) as one stream.
        self.stream: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb") if self.gzipped else raw  # type: ignore[assignment]
        self.position = 0  # in the uncompressed archive
        self.header_start: int | None = None  # set while warcio reads a record's headers

    def tell(self) -> int:
        return self.position

    def read(self, size: int | None = -1) -> bytes:
        try:
            data = self.stream.read(_PIECE if size is None or size < 0 else size)
        except (OSError, EOFError, zlib.error) as exc:
            # gzip.BadGzipFile is an OSError; a truncated gzip member is an EOFError (which warcio
            # would take for the end of the archive).
            raise WarcError(f"the archive is damaged: {type(exc).__name__}: {exc}") from None
        self.position += len(data)
        if self.gzipped and self.position > _MAX_EXPANSION * self.raw.tell() + _EXPANSION_SLACK:
            raise WarcBomb(
                f"the archive inflates to more than {self.position:,} bytes from {self.raw.tell():,} compressed, over "
                f"{_MAX_EXPANSION} times its size: a decompression bomb, not a crawl; read no further"
            )
        if self.header_start is not None and self.position - self.header_start > _MAX_HEADER_BYTES:
            raise WarcError(
                f"the record after byte {self.header_start:,} of the uncompressed archive has over "
                f"{_MAX_HEADER_BYTES:,} bytes of headers (a line that never ends?)"
            )
        return data


class _Records(WARCIterator):
    """warcio's walk over WARC records, on bytes `_Archive` has already inflated."""

    # warcio writes this warning to stderr when a record does not end with its blank lines; it
    # is raised as a `WarcError` instead (`_check_previous_end`).
    INC_RECORD = ""

    def __init__(self, archive: _Archive) -> None:
        super().__init__(archive)
        self.reader.set_decomp(None)  # the gzip layer is undone, with its bounds, by _Archive


def _check_previous_end(records: _Records, number: int) -> None:
    if records.err_count:
        raise WarcError(f"record {number} does not end where its Content-Length says")


def _page(record: ArcWarcRecord, where: str, number: int, limit: int) -> WarcPage | WarcTooLarge | WarcBadPage | None:
    """The page a record holds, if any; the record's block is read to its end either way."""
    headers = record.rec_headers
    if not headers.protocol.startswith("WARC/"):
        raise WarcError(f"{where} does not start with a WARC version line")
    try:
        length = int(headers.get_header("Content-Length") or "")
    except ValueError:
        raise WarcError(f"{where} has no valid Content-Length") from None
    if length < 0:
        raise WarcError(f"{where} has a negative Content-Length")
    target = (headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    http = record.http_headers
    is_page = (
        (record.rec_type or "").lower() == "response"
        and "application/http" in (record.content_type or "").lower()
        and http is not None
        and http.protocol.startswith("HTTP/")
        and http.get_statuscode() == "200"
    )
    media, charset = httpclient.content_type(http.get_header("Content-Type")) if is_page else (None, None)
    if media not in _HTML_TYPES:
        _read_to_end(record, where)
        return None
    if length > limit:
        _read_to_end(record, where)
        return WarcTooLarge(target, length, number)
    chunked = "chunked" in (http.get_header("Transfer-Encoding") or "").lower()
    # warcio joins the chunks (a body stored already joined is taken as it is); at most `length` bytes.
    body = (ChunkedDataReader(record.raw_stream) if chunked else record.raw_stream).read()
    _read_to_end(record, where)
    coding = (http.get_header("Content-Encoding") or "").strip().lower()
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


def _read_to_end(record: ArcWarcRecord, where: str) -> None:
    """Skip the rest of the record's block, a piece at a time; a block that ends early is damage."""
    while record.raw_stream.read(_PIECE):
        pass
    if record.raw_stream.tell() < record.length:
        raise WarcError(f"{where} is cut short: {record.raw_stream.tell():,} of {record.length:,} bytes")


def _decompress(body: bytes, coding: str, limit: int) -> bytes | None:
    """The decompressed body, or None when it would exceed `limit` bytes."""
    if coding == "deflate":
        # "deflate" is zlib-wrapped by the standard, raw deflate by many servers.
        try:
            return _bounded(zlib.decompressobj(), body, limit)
        except zlib.error:
            return _bounded(zlib.decompressobj(-zlib.MAX_WBITS), body, limit)
    return _bounded(zlib.decompressobj(16 + zlib.MAX_WBITS), body, limit)


def _bounded(decoder, body: bytes, limit: int) -> bytes | None:
    out = decoder.decompress(body, limit + 1)
    return None if len(out) > limit else out
