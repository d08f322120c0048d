from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.ingest.feeds import FeedArchive, FeedError, FeedItem, parse_feed
from tests.ingest.conftest import atom_feed, rss_feed

FEED = "https://courier.example/news/feed.xml"


def test_rss_items_in_feed_order_with_links_titles_and_dates():
    data = rss_feed(
        "https://courier.example",
        [
            ("/a.html", "First", "Tue, 06 Jan 2026 08:00:00 +0000"),
            ("/b.html", "Second", None),
            ("/a.html", "First again", None),
        ],
    )
    items, problems = parse_feed(data, FEED)
    assert items == [
        FeedItem("https://courier.example/a.html", "First", "Tue, 06 Jan 2026 08:00:00 +0000"),
        FeedItem("https://courier.example/b.html", "Second", None),
    ]
    assert problems == []


def test_atom_entries_resolve_relative_links_and_use_published_not_updated():
    items, _ = parse_feed(atom_feed([("/x.html", "Ex", "2026-01-05T10:00:00Z"), ("y.html", "Why", None)]), FEED)
    assert items == [
        FeedItem("https://courier.example/x.html", "Ex", "2026-01-05T10:00:00Z"),
        FeedItem("https://courier.example/news/y.html", "Why", None),
    ]


def test_rss_guid_permalink_stands_in_for_a_missing_link_and_linkless_items_are_reported():
    data = b"""<rss version="2.0"><channel><title>t</title>
      <item><title>By guid</title><guid>https://courier.example/g.html</guid></item>
      <item><title>Not a permalink</title><guid isPermaLink="false">abc-123</guid></item>
      <item><title>Nothing</title></item>
    </channel></rss>"""
    items, problems = parse_feed(data, FEED)
    assert [i.link for i in items] == ["https://courier.example/g.html"]
    assert problems == ["item 2 of the feed has no link to an article", "item 3 of the feed has no link to an article"]


def test_rss_1_0_rdf_items():
    data = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
      xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="x"><title>t</title></channel>
      <item rdf:about="https://courier.example/r.html"><title>R</title><link>https://courier.example/r.html</link>
      <dc:date>2026-01-04</dc:date></item></rdf:RDF>"""
    assert parse_feed(data, FEED)[0] == [FeedItem("https://courier.example/r.html", "R", "2026-01-04")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<rss><channel><item><title>unclosed</channel></rss>", "not well-formed XML"),
        (b"<html><body>Not a feed</body></html>", r"not an RSS or Atom feed \(its root element is <html>\)"),
        (b"", "not well-formed XML"),
        (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel/></rss>', "declares XML entities"),
        (b"<rss version='2.0'></rss>", "has no <channel>"),
    ],
)
def test_malformed_feeds_raise_with_a_reason(data: bytes, message: str):
    with pytest.raises(FeedError, match=message):
        parse_feed(data, FEED)


def test_the_archive_keeps_items_in_first_seen_order_across_loads(tmp_path: Path):
    archive = FeedArchive(tmp_path, FEED)
    archive.add(FeedItem("https://courier.example/a.html", "A", None))
    archive.add(FeedItem("https://courier.example/b.html", "B", "2026-01-02"))
    archive.save()
    again = FeedArchive(tmp_path, FEED)
    again.add(FeedItem("https://courier.example/a.html", "A, corrected", None))
    assert [i.title for i in again.items] == ["A, corrected", "B"]
    assert FeedArchive(tmp_path, "https://other.example/feed").items == []


def test_a_damaged_archive_is_an_error_not_a_fresh_start(tmp_path: Path):
    archive = FeedArchive(tmp_path, FEED)
    archive.save()
    archive.path.write_text("{broken")
    with pytest.raises(FeedError, match="archive of this feed cannot be read"):
        FeedArchive(tmp_path, FEED)
