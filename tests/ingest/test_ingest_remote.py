"""`ingest_sources` over sources files whose entries are fetched from a local web server."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from broadsheet.ingest import SourceRecord, ingest_sources, make_doc_id
from broadsheet.ingest.fetch import FetchCache
from tests.ingest.conftest import article_html, atom_feed, build_warc, rss_feed, sample_warc_records


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def sources_file(folder: Path, body: str) -> Path:
    return write(folder / "sources.yaml", "sources:\n" + body)


def records_by_uri(result) -> dict[str, SourceRecord]:
    return {r.source_uri: r for r in result.records}


def rejects_by_uri(result) -> dict[str, tuple[str, str]]:
    return {r.source_uri: (r.reason, r.detail) for r in result.rejects}


@pytest.fixture
def site(web):
    """Articles, an RSS and an Atom feed, a WARC, and a broken feed on the local server."""
    html = {"Content-Type": "text/html; charset=utf-8"}
    for n in range(1, 6):
        web.routes[f"/news/{n}.html"] = (200, html, article_html(f"Story {n}", extra=f"Story number {n}."))
    web.routes["/news/dated.html"] = (
        200,
        html,
        article_html("Dated", date="2026-01-03", canonical="https://courier.example/dated", extra="Dated story."),
    )
    web.routes["/news/plain.txt"] = (200, {"Content-Type": "text/plain"}, b"A plain text dispatch from the harbour.\n")
    web.routes["/news/logo.png"] = (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + bytes(16))
    web.routes["/rss.xml"] = (
        200,
        {"Content-Type": "application/rss+xml"},
        rss_feed(
            web.base,
            [
                ("/news/1.html", "Story one", "Mon, 05 Jan 2026 09:00:00 +0000"),
                ("/news/dated.html", "Dated", "Sun, 04 Jan 2026 09:00:00 +0000"),
            ],
        ),
    )
    web.routes["/atom.xml"] = (
        200,
        {"Content-Type": "application/atom+xml"},
        atom_feed(
            [
                ("/news/2.html", "Story two", "2026-01-06T12:00:00Z"),
            ]
        ),
    )
    web.routes["/broken.xml"] = (200, {"Content-Type": "application/rss+xml"}, b"<rss><channel><item>")
    web.routes["/crawl.warc.gz"] = (200, {"Content-Type": "application/warc"}, build_warc(sample_warc_records()))
    return web


def test_a_sources_file_with_failing_entries_still_returns_the_good_entries(site, tmp_path: Path, closed_port_url: str):
    write(tmp_path / "local" / "articles" / "note.txt", "A local note about the ferry.\n")
    write(tmp_path / "local" / "urls.txt", f"# wire\n{site.url('/news/3.html')}\n\nftp://bad.example/x\n")
    write(tmp_path / "local" / "crawl.warc.gz", build_warc(sample_warc_records("https://archive.example")))
    path = sources_file(
        tmp_path / "local",
        f"""
  - {{name: notes, kind: folder, path: articles}}
  - {{name: wire, kind: urls, urls: ["{site.url("/news/4.html")}", "{site.url("/missing.html")}", "{closed_port_url}",
      "{site.url("/news/plain.txt")}", "{site.url("/news/logo.png")}"]}}
  - {{name: listed, kind: urls, file: urls.txt}}
  - {{name: rss, kind: feed, url: "{site.url("/rss.xml")}"}}
  - {{name: atom, kind: feed, url: "{site.url("/atom.xml")}"}}
  - {{name: broken, kind: feed, url: "{site.url("/broken.xml")}"}}
  - {{name: down, kind: feed, url: "{closed_port_url}"}}
  - {{name: crawl, kind: warc, path: crawl.warc.gz}}
  - {{name: remote-crawl, kind: warc, url: "{site.url("/crawl.warc.gz")}"}}
  - {{name: lost, kind: folder, path: nowhere}}
  - {{name: lost-crawl, kind: warc, path: nowhere.warc}}
""",
    )
    result = ingest_sources([path], fetch_dir=tmp_path / "build" / "fetch")
    records = records_by_uri(result)
    assert list(records) == [
        "articles/note.txt",
        site.url("/news/4.html"),
        site.url("/news/plain.txt"),
        site.url("/news/3.html"),
        site.url("/news/1.html"),
        site.url("/news/dated.html"),
        site.url("/news/2.html"),
        "https://archive.example/a.html",
        "https://archive.example/b.html",
        "https://courier.example/a.html",
        "https://courier.example/b.html",
    ]
    rejects = rejects_by_uri(result)
    assert {uri: reason for uri, (reason, _) in rejects.items()} == {
        site.url("/missing.html"): "http_error",
        closed_port_url: "fetch_failed",  # one reject for the URL and for the feed: the same uri
        site.url("/news/logo.png"): "unsupported_format",
        "urls.txt#L4": "bad_url",
        site.url("/broken.xml"): "invalid_feed",
        "nowhere": "missing_source",
        "nowhere.warc": "missing_source",
    }
    assert len(result.rejects) == 8
    assert rejects[site.url("/broken.xml")][1].startswith(
        f"source 'broken' (feed): {site.url('/broken.xml')} is not a readable feed"
    )
    assert rejects["urls.txt#L4"][1].startswith(
        "source 'listed' (urls): line 4 of urls.txt: 'ftp://bad.example/x' has scheme 'ftp'"
    )
    assert rejects["nowhere"][1] == "source 'lost' (folder): 'nowhere' does not exist (relative to its sources file)"
    missing = next(r for r in result.rejects if r.source_uri == site.url("/missing.html"))
    assert missing.doc_id == make_doc_id(site.url("/missing.html")) and missing.stage == "ingest"

    story = records[site.url("/news/4.html")]
    assert story.doc_id == make_doc_id(site.url("/news/4.html"))
    assert (story.source_format, story.title, story.url) == ("html", "Story 4", site.url("/news/4.html"))
    assert "Story number 4." in story.text and "Copyright" not in story.text
    assert records[site.url("/news/plain.txt")].source_format == "txt"


def test_feed_items_take_the_feed_date_only_when_the_page_states_none(site, tmp_path: Path):
    path = sources_file(
        tmp_path,
        f"""
  - {{name: rss, kind: feed, url: "{site.url("/rss.xml")}"}}
  - {{name: atom, kind: feed, url: "{site.url("/atom.xml")}"}}
""",
    )
    records = records_by_uri(ingest_sources([path], fetch_dir=tmp_path / "fetch"))
    one = records[site.url("/news/1.html")]
    assert (one.published_date, one.published_date_raw) == (datetime.date(2026, 1, 5), "Mon, 05 Jan 2026 09:00:00 +0000")
    dated = records[site.url("/news/dated.html")]
    assert dated.published_date == datetime.date(2026, 1, 3)  # the page's own date wins over the feed's
    assert dated.url == "https://courier.example/dated"  # and so does its canonical link
    assert records[site.url("/news/2.html")].published_date == datetime.date(2026, 1, 6)


def test_feed_items_stay_after_they_leave_the_feed(site, tmp_path: Path):
    site.routes["/rotating.xml"] = (
        200,
        {"Content-Type": "application/rss+xml"},
        rss_feed(
            site.base,
            [
                ("/news/1.html", "One", None),
                ("/news/2.html", "Two", None),
            ],
        ),
    )
    path = sources_file(tmp_path, f'  - {{name: rotating, kind: feed, url: "{site.url("/rotating.xml")}"}}\n')
    fetch_dir = tmp_path / "fetch"
    first = ingest_sources([path], fetch_dir=fetch_dir)
    assert list(records_by_uri(first)) == [site.url("/news/1.html"), site.url("/news/2.html")]

    site.routes["/rotating.xml"] = (
        200,
        {"Content-Type": "application/rss+xml"},
        rss_feed(
            site.base,
            [
                ("/news/2.html", "Two", None),
                ("/news/5.html", "Five", None),
            ],
        ),
    )
    hits_one = site.hits["/news/1.html"]
    second = ingest_sources([path], fetch_dir=fetch_dir)
    assert list(records_by_uri(second)) == [site.url(f"/news/{n}.html") for n in (2, 5, 1)]
    assert site.hits["/news/1.html"] == hits_one, "an item that left the feed is read from the archive"
    assert records_by_uri(second)[site.url("/news/1.html")] == records_by_uri(first)[site.url("/news/1.html")]
    assert second.rejects == ()

    # Even when the feed itself cannot be fetched, its archived articles stay.
    site.routes["/rotating.xml"] = (503, {"Content-Type": "text/plain"}, b"down for maintenance")
    third = ingest_sources([path], fetch_dir=fetch_dir)
    assert set(records_by_uri(third)) == {site.url(f"/news/{n}.html") for n in (1, 2, 5)}
    assert [(r.source_uri, r.reason) for r in third.rejects] == [(site.url("/rotating.xml"), "http_error")]


def test_a_second_run_revalidates_and_gives_identical_records(site, tmp_path: Path):
    site.routes["/news/tagged.html"] = (200, {"Content-Type": "text/html", "ETag": '"t1"'}, article_html("Tagged"))
    path = sources_file(tmp_path, f'  - {{name: wire, kind: urls, urls: ["{site.url("/etag-article.html")}"]}}\n')
    first = ingest_sources([path], fetch_dir=tmp_path / "fetch")
    second = ingest_sources([path], fetch_dir=tmp_path / "fetch")
    assert site.requests["/etag-article.html"][-1].get("if-none-match") == '"v1"'
    assert first == second and len(first.records) == 1
    assert FetchCache(tmp_path / "fetch").lookup(site.url("/etag-article.html")) is not None


def test_the_fetcher_is_pluggable_and_its_exceptions_become_rejects(site, tmp_path: Path):
    from broadsheet.ingest.fetch import FetchError

    calls = []

    def failing(url, cache_dir, policy):
        calls.append((url, cache_dir))
        raise FetchError(url, "fetch_timeout", f"fetching {url} timed out", transient=True)

    path = sources_file(tmp_path, f'  - {{name: wire, kind: urls, urls: ["{site.url("/news/1.html")}"]}}\n')
    result = ingest_sources([path], fetch_dir=tmp_path / "fetch", fetcher=failing)
    assert calls == [(site.url("/news/1.html"), str(tmp_path / "fetch"))]
    assert [(r.reason, r.detail) for r in result.rejects] == [
        ("fetch_timeout", f"source 'wire' (urls): fetching {site.url('/news/1.html')} timed out"),
    ]


def test_an_invalid_or_missing_sources_file_is_a_reject_and_other_sources_go_on(tmp_path: Path):
    write(tmp_path / "a" / "note.txt", "A note.")
    bad = write(tmp_path / "bad.yaml", "sources: [{name: x, kind: rss}]")
    result = ingest_sources([bad, tmp_path / "missing.yml", tmp_path / "a"], fetch_dir=tmp_path / "fetch")
    assert [r.source_uri for r in result.records] == ["a/note.txt"]
    assert [(r.source_uri, r.reason) for r in result.rejects] == [
        ("bad.yaml", "invalid_sources_file"),
        ("missing.yml", "missing_source"),
    ]
    assert "unknown kind 'rss'" in result.rejects[0].detail
