from __future__ import annotations

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
