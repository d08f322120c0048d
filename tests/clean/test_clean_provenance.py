"""Debris that carries metadata at an article's end: signatures, bios, provenance and disclaimers.

Invented examples of each wording, in plain text and Markdown (emphasis around the line), and the
prose nearby that must stay.
"""

from __future__ import annotations

import pytest

from broadsheet.clean import clean_text
from broadsheet.clean.documents import document_row

BODY = "The Pentagon said on Friday that the strike had been carried out at the direction of the president."
PROSE = "Officials in Baghdad said the talks would resume next week, according to two diplomats."
ARTICLE = f"Headline of the day\n\n{BODY}\n\n{PROSE}"


def _cut(result) -> list[tuple[str, str | None, str | None]]:
    return [(s.rule_id, s.field, s.value) for s in result.segments if s.action != "unwrap"]


@pytest.mark.parametrize("fmt", ["txt", "md"])
@pytest.mark.parametrize(
    "bio",
    [
        "I am a freelance journalist based in Nairobi. I write about East African politics.",
        "I'm a professor of history at the University of Ghent and the author of two books on the region.",
        "I write about energy and climate for several European papers.",
    ],
)
def test_a_signature_above_a_first_person_bio_is_the_author(fmt, bio):
    result = clean_text(f"{ARTICLE}\n\nAmina Okoth\n\n{bio}", fmt)
    assert result.text == ARTICLE
    assert result.authors == ("Amina Okoth",)
    assert _cut(result) == [("signature", "authors", "Amina Okoth"), ("first-person-bio", None, None)]


def test_markdown_emphasis_around_signature_and_bio_hides_neither():
    result = clean_text(f"{ARTICLE}\n\n**Amina Okoth**\n\n*I am a freelance journalist based in Nairobi.*", "md")
    assert (result.text, result.authors) == (ARTICLE, ("Amina Okoth",))


@pytest.mark.parametrize(
    "closing",
    [
        "I am convinced that the talks will fail, and I am not alone.",
        "I write about this because the town deserves better.",
    ],
)
def test_a_first_person_closing_sentence_is_not_a_bio(closing):
    text = f"{ARTICLE}\n\n{closing}"
    result = clean_text(text, "txt")
    assert result.text == text and result.authors == ()


def test_a_name_alone_at_the_end_without_a_bio_is_not_an_author():
    result = clean_text(f"{ARTICLE}\n\nAmina Okoth", "txt")
    assert result.authors == ()


def test_a_sentence_above_a_bio_is_not_a_signature():
    bio = "Amina Okoth is a senior correspondent at the Gulf Courier. She covers Iraq and Iran."
    result = clean_text(f"{ARTICLE}\n\nEnter President Kessler.\n\n{bio}", "txt")
    assert result.authors == ("Amina Okoth",)
    assert "Enter President Kessler." in result.text


def test_a_dashed_signature_is_the_author():
    result = clean_text(f"{ARTICLE}\n\n— Amina Okoth", "md")
    assert (result.text, result.authors) == (ARTICLE, ("Amina Okoth",))


def test_a_third_person_bio_at_the_end_names_the_author():
    bio = "Amina Okoth is a senior correspondent at the Gulf Courier. She covers Iraq and Iran."
    result = clean_text(f"{ARTICLE}\n\n{bio}", "txt")
    assert (result.text, result.authors) == (ARTICLE, ("Amina Okoth",))


@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("This article is republished from The Conversation under a Creative Commons license.", "The Conversation"),
        ("*Reprinted with permission from Foreign Policy.*", "Foreign Policy"),
        ("Republished with the kind permission of Eurasia Wire.", "Eurasia Wire"),
        ("A version of this story first appeared in The Gulf Courier.", "The Gulf Courier"),
        ("This article first appeared on Carnegie Politika.", "Carnegie Politika"),
        ("_Adapted from The Meridian Review._", "The Meridian Review"),
    ],
)
def test_provenance_lines_name_the_original_source(line, source):
    result = clean_text(f"{ARTICLE}\n\n{line}", "md")
    assert (result.text, result.original_source) == (ARTICLE, source)


@pytest.mark.parametrize(
    "line",
    [
        "The method was adapted from earlier work by Smith and colleagues in 2019.",
        "The study first appeared in Nature on Monday.",
        "The song was reprinted from memory by fans who had heard it once.",
    ],
)
def test_prose_about_other_works_stays(line):
    text = f"{ARTICLE}\n\n{line}"
    result = clean_text(text, "txt")
    assert (result.text, result.original_source) == (text, None)


@pytest.mark.parametrize(
    ("line", "publisher"),
    [
        (
            "*The views expressed in this article are the author's own and do not necessarily reflect "
            "Al Jazeera's editorial stance.*",
            "Al Jazeera",
        ),
        (
            "The opinions expressed here are those of the author and do not necessarily represent the views of The Hill.",
            "The Hill",
        ),
    ],
)
def test_a_disclaimer_naming_the_outlet_gives_the_publisher(line, publisher):
    result = clean_text(f"{ARTICLE}\n\n{line}", "md")
    assert (result.text, result.publisher) == (ARTICLE, publisher)


def test_a_disclaimer_naming_no_outlet_is_cut_without_a_publisher():
    line = "The views expressed are the author's own and do not necessarily reflect those of the publisher."
    result = clean_text(f"{ARTICLE}\n\n{line}", "txt")
    assert (result.text, result.publisher) == (ARTICLE, None)
    assert [s.rule_id for s in result.segments] == ["disclaimer"]


def _record(text: str, publisher: str | None) -> dict:
    return {
        "doc_id": "d_1",
        "source_uri": "a.md",
        "source_name": "inbox",
        "source_format": "md",
        "source_record_id": None,
        "encoding": "utf-8",
        "raw_sha256": "0" * 64,
        "raw_text": text,
        "title": None,
        "url": None,
        "authors": [],
        "publisher": publisher,
        "published_date": None,
    }


def test_the_documents_take_the_publisher_from_the_text_only_where_the_source_names_none():
    line = "The views expressed here are the author's own and do not necessarily reflect the views of The Hill."
    text = f"{ARTICLE}\n\n{line}"
    assert document_row(_record(text, None), clean_text(text, "md"))["publisher"] == "The Hill"
    assert document_row(_record(text, "Daily Ledger"), clean_text(text, "md"))["publisher"] == "Daily Ledger"
