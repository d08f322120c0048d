import datetime
import hashlib
import json

import pytest

from broadsheet.ingest import Reject, SourceRecord, make_doc_id
from broadsheet.ingest.readers import read_source

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Council approves new bridge | The Riverside Gazette</title>
  <meta name="author" content="Jane Doe; John Roe">
  <meta property="og:site_name" content="The Riverside Gazette">
  <meta property="og:title" content="Council approves new bridge">
  <meta property="article:published_time" content="2021-03-04T09:30:00+01:00">
  <link rel="canonical" href="https://gazette.example/news/bridge">
</head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport section</a></li>
    <li><a href="/weather">Weather forecast</a></li></ul></nav>
  <header><p>Subscribe to our newsletter today</p></header>
  <article>
    <h1>Council approves new bridge</h1>
    <p>The city council voted on Tuesday to approve a new pedestrian bridge across the river,
       ending a debate that had lasted nearly four years.</p>
    <p>"This is a great day for the town," said the mayor, Maria López, after the vote. The
       bridge is expected to open in the summer of 2023.</p>
    <p>Opponents argued that the cost, estimated at 12 million euros, was too high.</p>
  </article>
  <footer><p>Copyright 2021 The Riverside Gazette. All rights reserved.</p>
    <a href="/privacy">Privacy policy</a></footer>
</body>
</html>
"""


def only(items):
    assert len(items) == 1, items
    return items[0]


def test_txt_keeps_text_as_decoded():
    raw = b"Floods hit the valley.\r\n\r\nMore rain is due.\r\n"
    record = only(read_source("txt", raw, "seeds/a.txt"))
    assert isinstance(record, SourceRecord)
    assert record.text == "Floods hit the valley.\n\nMore rain is due.\n"
    assert record.doc_id == make_doc_id("seeds/a.txt")
    assert record.source_format == "txt"
    assert record.encoding == "utf-8"
    assert record.raw_sha256 == hashlib.sha256(raw).hexdigest()
    assert (record.title, record.url, record.authors, record.publisher) == (None, None, (), None)


def test_md_keeps_markdown_syntax():
    source = "# Headline\n\nThe [council](https://x.example) voted *yes*.\n"
    record = only(read_source("md", source.encode(), "b.md"))
    assert record.text == source
    assert record.source_format == "md"


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n "])
def test_empty_or_whitespace_file_is_rejected(data):
    reject = only(read_source("txt", data, "empty.txt"))
    assert isinstance(reject, Reject)
    assert reject.reason == "empty_text"
    assert reject.stage == "ingest"
    assert reject.doc_id == make_doc_id("empty.txt")


def test_html_main_text_and_metadata():
    record = only(read_source("html", ARTICLE_HTML.encode(), "site/bridge.html"))
    assert isinstance(record, SourceRecord)
    assert record.title == "Council approves new bridge"
    assert record.authors == ("Jane Doe", "John Roe")
    assert record.publisher == "The Riverside Gazette"
    assert record.url == "https://gazette.example/news/bridge"
    assert record.published_date == datetime.date(2021, 3, 4)
    assert record.published_date_raw == "2021-03-04"
    assert record.encoding == "utf-8"
    assert "pedestrian bridge across the river" in record.text
    assert "Maria López" in record.text
    for boilerplate in ("Subscribe", "Sport section", "Weather forecast", "Copyright", "Privacy policy"):
        assert boilerplate not in record.text
    # Blocks are paragraphs separated by one blank line, as the documents table expects.
    paragraphs = record.text.split("\n\n")
    assert paragraphs[0] == "Council approves new bridge"
    assert paragraphs[-1] == "Opponents argued that the cost, estimated at 12 million euros, was too high."


def test_html_metadata_comes_from_the_pages_json_ld_article_where_it_has_one():
    article = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "ImageObject", "datePublished": "2020-12-01", "name": "The river at dawn"},
            {
                "@type": "NewsArticle",
                "headline": "Council approves new bridge after four-year debate",
                "datePublished": "2021-03-03T18:00:00+01:00",
                "dateModified": "2021-03-05T08:00:00+01:00",
                "author": [{"@type": "Person", "name": "Doe, Jane"}],
            },
        ],
    }
    page = ARTICLE_HTML.replace(
        '<meta name="author" content="Jane Doe; John Roe">',
        f'<meta name="author" content="The Riverside Gazette"><script type="application/ld+json">{json.dumps(article)}</script>',
    ).replace('content="Council approves new bridge"', 'content="You will not believe this bridge"')
    record = only(read_source("html", page.encode(), "site/bridge.html"))
    assert record.title == "Council approves new bridge after four-year debate"
    assert record.authors == ("Jane Doe",)
    assert record.published_date == datetime.date(2021, 3, 3)
    assert record.published_date_raw == "2021-03-03T18:00:00+01:00"
    assert record.publisher == "The Riverside Gazette"


def test_html_title_without_the_site_name_when_the_page_has_no_json_ld():
    page = ARTICLE_HTML.replace(
        'content="Council approves new bridge"', 'content="Council approves new bridge - The Riverside Gazette"'
    )
    assert only(read_source("html", page.encode(), "p.html")).title == "Council approves new bridge"


def test_html_declared_charset_is_used():
    page = ARTICLE_HTML.replace('charset="utf-8"', 'charset="windows-1252"').replace('"This', "“This")
    page = page.replace('town,"', "town,”")
    record = only(read_source("html", page.encode("cp1252"), "p.html"))
    assert record.encoding == "cp1252"
    assert "“This is a great day for the town,” said the mayor, Maria López" in record.text


def test_html_without_article_text_is_no_main_text():
    page = "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    reject = only(read_source("html", page.encode(), "menu.html"))
    assert reject.reason == "no_main_text"
    assert reject.source_format == "html"


def test_html_relative_canonical_url_is_not_kept():
    page = ARTICLE_HTML.replace("https://gazette.example/news/bridge", "/news/bridge")
    assert only(read_source("html", page.encode(), "p.html")).url is None


def test_json_object_with_all_fields():
    obj = {
        "id": "art-7",
        "text": "Cafe\u0301 opens.\r\nMore.",
        "title": "  Café opens ",
        "url": "https://news.example/cafe",
        "published_date": "January 8, 2020",
        "authors": ["A. Writer", "B. Writer"],
        "publisher": "News Example",
    }
    data = json.dumps(obj).encode()
    record = only(read_source("json", data, "feed/one.json"))
    assert record.source_uri == "feed/one.json"
    assert record.source_record_id == "art-7"
    assert record.doc_id == "d_" + hashlib.sha256(b"id:News Example:art-7").hexdigest()[:16]
    assert record.text == "Café opens.\nMore."
    assert record.title == "Café opens"
    assert record.authors == ("A. Writer", "B. Writer")
    assert record.published_date == datetime.date(2020, 1, 8)
    assert record.published_date_raw == "January 8, 2020"
    assert record.encoding == "json"
    assert record.raw_sha256 == hashlib.sha256(data).hexdigest()


def test_json_list_elements_get_index_uris_and_canonical_hashes():
    elements = [{"text": "First article.", "authors": "Solo Author"}, {"text": "Second article.", "id": 42}, "oops"]
    items = read_source("json", json.dumps(elements).encode(), "list.json")
    first, second, bad = items
    assert first.source_uri == "list.json#0"
    assert first.authors == ("Solo Author",)
    assert first.doc_id == make_doc_id("list.json#0")
    canonical = json.dumps(elements[0], sort_keys=True, ensure_ascii=False).encode()
    assert first.raw_sha256 == hashlib.sha256(canonical).hexdigest()
    assert second.source_record_id == "42"
    assert second.doc_id == make_doc_id("list.json#1", None, "42")
    assert isinstance(bad, Reject) and bad.reason == "invalid_json" and bad.source_uri == "list.json#2"


def test_jsonl_bad_line_among_good_ones():
    lines = [
        b'{"id": "a", "text": "Alpha."}',
        b"",
        b'{"id": "b", "text": "Beta."',  # truncated
        b'{"id": "c", "text": "Gamma."}\r',
        b"   ",
    ]
    items = read_source("jsonl", b"\n".join(lines) + b"\n", "dump.jsonl")
    kinds = [(type(item).__name__, item.source_uri) for item in items]
    assert kinds == [
        ("SourceRecord", "dump.jsonl#L1"),
        ("Reject", "dump.jsonl#L3"),
        ("SourceRecord", "dump.jsonl#L4"),
    ]
    assert items[1].reason == "invalid_json"
    assert "line 3" in items[1].detail
    assert items[1].raw_sha256 == hashlib.sha256(lines[2]).hexdigest()
    assert items[2].raw_sha256 == hashlib.sha256(b'{"id": "c", "text": "Gamma."}').hexdigest()
    assert items[2].text == "Gamma."


@pytest.mark.parametrize(
    ("obj", "problem"),
    [
        ({"title": "No text"}, "is missing"),
        ({"text": "   "}, "is empty"),
        ({"text": ["a", "list"]}, "not a string"),
    ],
)
def test_missing_text_is_rejected(obj, problem):
    reject = only(read_source("jsonl", json.dumps(obj).encode(), "x.jsonl"))
    assert reject.reason == "missing_text"
    assert problem in reject.detail
    assert reject.doc_id == make_doc_id("x.jsonl#L1")


def test_unparseable_date_keeps_the_record_and_the_raw_string():
    record = only(read_source("json", b'{"text": "Body.", "published_date": "sometime last spring"}', "d.json"))
    assert record.published_date is None
    assert record.published_date_raw == "sometime last spring"
    record = only(read_source("json", b'{"text": "Body.", "published_date": 1578441600}', "e.json"))
    assert (record.published_date, record.published_date_raw) == (None, "1578441600")


@pytest.mark.parametrize(
    ("obj", "field"),
    [
        ({"text": "t", "title": 5}, "title"),
        ({"text": "t", "authors": [1, 2]}, "authors"),
        ({"text": "t", "id": True}, "id"),
        ({"text": "t", "id": ""}, "id"),
        ({"text": "t", "url": "www.example.com/x"}, "url"),
    ],
)
def test_malformed_metadata_fields_are_invalid_json(obj, field):
    reject = only(read_source("json", json.dumps(obj).encode(), "m.json"))
    assert reject.reason == "invalid_json"
    assert f"'{field}'" in reject.detail


@pytest.mark.parametrize(
    ("data", "reason", "detail"),
    [
        (b'{"text": "unterminated', "invalid_json", "line 1, column 10"),
        (b"42", "invalid_json", "JSON number"),
        (b"[]", "empty_text", "no records"),
        (b"[" * 100_000 + b"]" * 100_000, "invalid_json", "RecursionError"),  # must not crash the run
        (b"\n \n", "empty_text", "whitespace"),
    ],
)
def test_json_files_that_hold_no_article(data, reason, detail):
    reject = only(read_source("json", data, "bad.json"))
    assert (reject.reason, reject.source_uri) == (reason, "bad.json")
    assert detail in reject.detail
    assert reject.raw_sha256 == hashlib.sha256(data).hexdigest()
