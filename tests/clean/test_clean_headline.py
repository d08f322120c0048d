"""An HTML page's headline at the top of its text is the title, not the body (rule headline-repeat)."""

from __future__ import annotations

from broadsheet.clean import clean_text
from broadsheet.clean.documents import build_documents

TITLE = "Harbour pilots’ strike ends after two weeks"
BODY = (
    "Pilots at the port of Carrowmore returned to work on Monday after the union accepted a pay "
    "offer that raises night rates by a tenth.\n\n"
    "Ships had waited at anchor for up to four days while the strike lasted."
)


def test_the_headline_line_is_cut_when_it_is_the_title_case_and_quotes_aside():
    text = f"Harbour Pilots' Strike Ends After Two Weeks\n\n{BODY}"
    result = clean_text(text, "html", title=TITLE)
    assert result.text == BODY
    assert [s.rule_id for s in result.segments] == ["headline-repeat"]
    assert result.segments[0].text == "Harbour Pilots' Strike Ends After Two Weeks"


def test_a_first_sentence_that_starts_with_the_headlines_words_stays():
    text = f"{TITLE}, the union said on Monday.\n\n{BODY}"
    assert clean_text(text, "html", title=TITLE).text == text


def test_without_a_title_or_outside_html_nothing_is_cut():
    text = f"{TITLE}\n\n{BODY}"
    assert clean_text(text, "html").text == text
    assert clean_text(text, "txt", title=TITLE).text == text


def test_only_near_the_top():
    text = f"{BODY}\n\nA third paragraph follows here.\n\nAnd a fourth one.\n\n{TITLE}"
    assert clean_text(text, "html", title=TITLE).text == text


def test_the_documents_table_keeps_the_title_and_the_body_apart():
    record = {
        "doc_id": "d1",
        "source_uri": "pages/pilots.html",
        "source_name": "inbox",
        "source_format": "html",
        "source_record_id": None,
        "encoding": "utf-8",
        "raw_sha256": "0" * 64,
        "position": 0,
        "raw_text": f"{TITLE}\n\n{BODY}",
        "title": TITLE,
        "url": None,
        "authors": [],
        "publisher": None,
        "published_date": None,
        "published_date_raw": None,
    }
    doc = build_documents([record]).documents[0]
    assert doc["title"] == TITLE
    assert doc["text"] == BODY
