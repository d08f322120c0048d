from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from broadsheet.ingest.warc import WarcBadPage, WarcError, WarcPage, WarcTooLarge, iter_warc_pages
from tests.ingest.conftest import article_html, build_warc, http_response, sample_warc_records, warc_record

LIMIT = 1024 * 1024


@pytest.mark.parametrize("compress", [True, False])
def test_only_html_200_responses_become_pages(tmp_path: Path, compress: bool):
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    path.write_bytes(build_warc(sample_warc_records(), compress=compress))
    pages = list(iter_warc_pages(path, LIMIT))
    assert [(p.target_uri, p.record_number) for p in pages] == [
        ("https://courier.example/a.html", 3),
        ("https://courier.example/b.html", 6),  # angle brackets of WARC 1.0 style URIs are removed
    ]
    assert pages[0] == WarcPage("https://courier.example/a.html", article_html("Archived article"), "utf-8", 3)
    assert pages[1].body == article_html("Chunked and gzipped")  # chunking and gzip undone


def test_an_oversized_html_record_is_reported_and_skipped(tmp_path: Path):
    big = warc_record(
        {
            "WARC-Type": "response",
            "WARC-Target-URI": "https://courier.example/big.html",
            "Content-Type": "application/http; msgtype=response",
        },
        http_response("200 OK", {"Content-Type": "text/html"}, b"<p>" + b"x" * 5000 + b"</p>"),
    )
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(build_warc([big, *sample_warc_records()]))
    pages = list(iter_warc_pages(path, 2000))
    assert isinstance(pages[0], WarcTooLarge) and pages[0].target_uri == "https://courier.example/big.html"
    assert [p.target_uri for p in pages[1:]] == ["https://courier.example/a.html", "https://courier.example/b.html"]


def test_a_truncated_archive_raises_after_the_pages_before_the_damage(tmp_path: Path):
    data = build_warc(sample_warc_records(), compress=False)
    cut = data.index(b"WARC-Target-URI: https://courier.example/gone.html") + 200
    path = tmp_path / "crawl.warc"
    path.write_bytes(data[:cut])
    seen = []
    with pytest.raises(WarcError, match="record 4 .* cut short"):
        for page in iter_warc_pages(path, LIMIT):
            seen.append(page.target_uri)
    assert seen == ["https://courier.example/a.html"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"this is not a WARC file\r\n", "record 1 .* does not start with a WARC version line"),
        (b"\x1f\x8b\x08\x00garbage-after-gzip-magic", "damaged"),
        (b"WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: x\r\n\r\n", "no valid Content-Length"),
    ],
)
def test_unreadable_archives_raise(tmp_path: Path, data: bytes, message: str):
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(data)
    with pytest.raises(WarcError, match=message):
        list(iter_warc_pages(path, LIMIT))


def test_a_page_whose_gzip_body_is_broken_is_reported_and_the_walk_goes_on(tmp_path: Path):
    broken = warc_record(
        {
            "WARC-Type": "response",
            "WARC-Target-URI": "https://courier.example/broken.html",
            "Content-Type": "application/http; msgtype=response",
        },
        http_response("200 OK", {"Content-Type": "text/html", "Content-Encoding": "gzip"}, b"\x1f\x8b\x08\x00not really gzip"),
    )
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(build_warc([broken, *sample_warc_records()]))
    pages = list(iter_warc_pages(path, LIMIT))
    assert isinstance(pages[0], WarcBadPage) and pages[0].target_uri == "https://courier.example/broken.html"
    assert "does not decompress" in pages[0].detail
    assert [p.target_uri for p in pages[1:]] == ["https://courier.example/a.html", "https://courier.example/b.html"]


def _warcio_archive(compress: bool) -> bytes:
    """An archive written by warcio itself: a warcinfo, a request, two HTML pages, an image."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))

    def response(uri: str, media: str, body: bytes, extra: list[tuple[str, str]] | None = None) -> None:
        http = StatusAndHeaders("200 OK", [("Content-Type", media), *(extra or [])], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http))

    request = StatusAndHeaders("GET /a.html HTTP/1.1", [("Host", "courier.example")], is_http_request=True)
    writer.write_record(writer.create_warc_record("https://courier.example/a.html", "request", http_headers=request))
    response("https://courier.example/a.html", "text/html; charset=utf-8", article_html("Written by warcio"))
    response("https://courier.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(32))
    zipped = gzip.compress(article_html("Gzipped by the server"), mtime=0)
    response("https://courier.example/z.html", "text/html", zipped, [("Content-Encoding", "gzip")])
    return out.getvalue()


@pytest.mark.parametrize("compress", [True, False])
def test_an_archive_written_by_warcio_is_read(tmp_path: Path, compress: bool):
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    data = _warcio_archive(compress)
    assert (data[:2] == b"\x1f\x8b") if compress else data.startswith(b"WARC/1.")
    path.write_bytes(data)
    pages = list(iter_warc_pages(path, LIMIT))
    assert pages == [
        WarcPage("https://courier.example/a.html", article_html("Written by warcio"), "utf-8", 3),
        WarcPage("https://courier.example/z.html", article_html("Gzipped by the server"), None, 5),
    ]


def test_an_archive_gzipped_as_one_stream_is_read_too(tmp_path: Path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(gzip.compress(build_warc(sample_warc_records(), compress=False), mtime=0))
    assert [p.target_uri for p in iter_warc_pages(path, LIMIT)] == [
        "https://courier.example/a.html",
        "https://courier.example/b.html",
    ]


def test_an_archive_that_ends_inside_an_http_header_is_cut_short(tmp_path: Path):
    data = build_warc(sample_warc_records(), compress=False)
    record = data.index(b"WARC-Target-URI: https://courier.example/gone.html")
    path = tmp_path / "crawl.warc"
    path.write_bytes(data[: data.index(b"\r\n\r\n", record) + 4])  # the WARC header whole, nothing after it
    seen = []
    with pytest.raises(WarcError, match="record 4 .* cut short"):
        for page in iter_warc_pages(path, LIMIT):
            seen.append(page.target_uri)
    assert seen == ["https://courier.example/a.html"]


def test_a_record_longer_than_its_content_length_says_is_damage(tmp_path: Path, capsys):
    records = sample_warc_records()
    records[2] = records[2].replace(b"\r\n\r\n<!DOCTYPE", b"\r\n\r\nstray bytes\r\n<!DOCTYPE", 1)  # Content-Length unchanged
    path = tmp_path / "crawl.warc"
    path.write_bytes(build_warc(records, compress=False))
    with pytest.raises(WarcError, match="record 3 does not end where its Content-Length says"):
        list(iter_warc_pages(path, LIMIT))
    assert capsys.readouterr().err == ""
