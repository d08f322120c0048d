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


@pytest.mark.parametrize(
    "title",
    ["Port&nbsp;Elswick ferry to stop", "Ferries & buses: the county's plan"],
    ids=["html-entity", "bare-ampersand"],
)
def test_a_feed_that_is_not_well_formed_xml_is_read_with_a_warning(title: str):
    data = rss_feed(
        "https://courier.example",
        [("/a.html?id=1&page=2", title, "Tue, 06 Jan 2026 08:00:00 +0000"), ("/b.html", "Second", None)],
    )
    items, problems = parse_feed(data, FEED)
    assert items == [
        FeedItem(
            "https://courier.example/a.html?id=1&page=2", " ".join(title.replace("&nbsp;", " ").split()), items[0].published_raw
        ),
        FeedItem("https://courier.example/b.html", "Second", None),
    ]
    assert items[0].published_raw == "Tue, 06 Jan 2026 08:00:00 +0000"
    assert len(problems) == 1 and problems[0].startswith("the feed is not well-formed XML (")
    assert problems[0].endswith("its items were read leniently")


def test_an_atom_feed_with_a_bare_ampersand_keeps_its_links_and_dates():
    data = atom_feed([("/x.html", "Tides & times", "2026-01-05T10:00:00Z")])
    items, problems = parse_feed(data, FEED)
    assert items == [FeedItem("https://courier.example/x.html", "Tides & times", "2026-01-05T10:00:00Z")]
    assert len(problems) == 1


def test_an_atom_entry_without_an_alternate_link_has_no_link_even_with_an_id():
    data = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><id>tag:courier.example,2026:1</id><title>No link</title><link rel="enclosure" href="/a.mp3"/></entry>
      <entry><id>tag:courier.example,2026:2</id><title>Linked</title><link href="/b.html"/></entry></feed>"""
    items, problems = parse_feed(data, FEED)
    assert items == [FeedItem("https://courier.example/b.html", "Linked", None)]
    assert problems == ["item 1 of the feed has no link to an article"]


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rss [<!ENTITY secret SYSTEM "{url}">]>',
        '<!DOCTYPE rss [<!ENTITY % remote SYSTEM "{url}"> %remote;]>',
        "<!-- {pad} -->" + '<!DOCTYPE rss [<!ENTITY secret SYSTEM "{url}">]>',
    ],
    ids=["general-entity", "parameter-entity", "after-64-kib"],
)
def test_a_feed_that_declares_an_external_entity_is_refused_and_nothing_is_fetched(web, doctype: str):
    web.reset_counts()
    prolog = doctype.format(url=web.url("/secret"), pad="x" * 70_000)
    data = (
        f'<?xml version="1.0"?>{prolog}<rss version="2.0"><channel><title>t</title>'
        "<item><title>&secret;</title><link>/a.html</link></item></channel></rss>"
    ).encode()
    with pytest.raises(FeedError, match="declares XML entities"):
        parse_feed(data, web.url("/feed.xml"))
    assert dict(web.hits) == {}


def test_an_external_dtd_is_not_fetched_and_neither_is_the_feed_url(web):
    web.reset_counts()
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "{web.url("/rss.dtd")}">\n<rss version="2.0"><channel><title>t</title>'
        "<item><title>Entity&nbsp;here</title><link>/a.html</link></item></channel></rss>"
    ).encode()
    items, _ = parse_feed(data, web.url("/feed.xml"))
    assert items == [FeedItem(web.url("/a.html"), "Entity here", None)]
    assert dict(web.hits) == {}


def test_entity_text_inside_cdata_is_not_a_declaration():
    data = b"""<rss version="2.0"><channel><title>t</title><item><title><![CDATA[How <!ENTITY works]]></title>
      <link>https://courier.example/xml.html</link></item></channel></rss>"""
    assert parse_feed(data, FEED)[0] == [FeedItem("https://courier.example/xml.html", "How <!ENTITY works", None)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "not well-formed XML"),
        (b"<!DOCTYPE html><html><head><title>News</title><body><p>Hello<br>world</body></html>", r"root element is <html>"),
        (b"<rss version='2.0'><channel><title>A&nbsp;B</title></channel></rss>", "not well-formed XML"),
    ],
    ids=["binary", "html-page", "broken-feed-without-items"],
)
def test_what_is_not_a_feed_is_still_refused(data: bytes, message: str):
    with pytest.raises(FeedError, match=message):
        parse_feed(data, FEED)
