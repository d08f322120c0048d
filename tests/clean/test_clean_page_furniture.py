"""Page furniture that HTML readers keep between an article's paragraphs: embedded posts, link
prompts, affiliate disclosures, the newsroom asking for tips, "MORE:" links. Invented examples
of each, and prose of like wording that must stay."""

from __future__ import annotations

import pytest

from broadsheet.clean import clean_text

BODY = "The ferry operator said on Tuesday that crossings would resume once the storm had passed."
PROSE = "Harbour officials expected the first boats to leave on Thursday morning, weather permitting."


def _cuts(line: str, fmt: str = "html") -> tuple[str, list[str]]:
    result = clean_text(f"{BODY}\n\n{line}\n\n{PROSE}", fmt)
    return result.text, [s.rule_id for s in result.segments]


@pytest.mark.parametrize("fmt", ["html", "txt", "md"])
@pytest.mark.parametrize(
    ("line", "rule_id"),
    [
        ("— Harbour Watch (@harbourwatch) March 3, 2026", "embedded-post"),
        ("– Jane Roe 🌊 (@jroe_sea) 3 March 2026", "embedded-post"),
        ("Waves over the pier this morning, stay safe everyone pic.twitter.com/AbC123xYz", "embedded-post"),
        ("Our live map of the closures is here https://t.co/Zz9Yy8Xx", "embedded-post"),
        ("Click here to read the operator's full statement.", "click-here"),
        ("CLICK HERE TO GET OUR APP", "click-here"),
        ("We independently pick what we review. Buying through us may earn us a commission.", "affiliate-disclosure"),
        (
            "The publisher may earn an affiliate commission from purchases made through links on this page.",
            "affiliate-disclosure",
        ),
        ("Got a story? Get in touch with our news team by emailing tips@example.org.", "newsroom-contact"),
        ("For more stories like this, check our news page.", "newsroom-contact"),
        ("MORE: Storm closes three ferry routes for the weekend", "related-article-line"),
        ("More: Storm closes three ferry routes for the weekend", "related-article-line"),
        ("— A wire service writer in Lisbon contributed to this report.", "reporting-credit"),
        ("Additional reporting by Jane Roe", "reporting-credit"),
        ("Storm Closes Three Ferry Routes Storm Closes Three Ferry Routes", "doubled-teaser"),
    ],
)
def test_page_furniture_lines_are_cut(line, rule_id, fmt):
    text, cuts = _cuts(line, fmt)
    assert text == f"{BODY}\n\n{PROSE}"
    assert rule_id in cuts


@pytest.mark.parametrize(
    "line",
    [
        # A dash opening a line of prose, a handle named in a sentence, a link inside a sentence.
        "— and that, the captain said, was the end of it (for now) on March 3, 2026.",
        "The operator posted the timetable on its account @ferrylines before noon on Monday.",
        "Influencers can earn a commission on every booking, the report found.",
        "Passengers were told to get in touch with the operator before travelling.",
        "More than 400 passengers were stranded at the terminal overnight.",
        "Officials said they would click through every complaint form by Friday.",
        "More from the hearing:",
        "Again and again and again, the waves broke over the pier.",
        "Two crew members contributed to this report, the operator said, and then left.",
    ],
)
def test_prose_of_like_wording_stays(line):
    text, cuts = _cuts(line)
    assert text == f"{BODY}\n\n{line}\n\n{PROSE}"
    assert cuts == []


def test_a_copyright_line_names_the_publisher_without_its_company_form():
    result = clean_text(f"{BODY}\n\n{PROSE}\n\nCopyright © 2026 The Harbour Gazette, LLC.", "html")
    assert result.text == f"{BODY}\n\n{PROSE}"
    assert result.publisher == "The Harbour Gazette"


@pytest.mark.parametrize(
    "line",
    [
        "Image: Jane Roe",
        "Foto: Harbour Agency",
        "Фото: Иван Петров, Гавань",
        "Jane Roe/Wire via Getty Images",
        "J. Roe/Shutterstock",
    ],
)
def test_a_photo_credit_alone_on_its_line_goes_in_markdown(line):
    text, cuts = _cuts(line, "md")
    assert text == f"{BODY}\n\n{PROSE}"
    assert cuts == ["photo-credit-line"]


@pytest.mark.parametrize(
    "line",
    [
        "Photo: the harbour master said the pictures showed the wall had moved.",
        "Image: the operator hopes the new ferries will change how the town is seen.",
    ],
)
def test_a_sentence_after_a_picture_label_stays(line):
    text, cuts = _cuts(line, "md")
    assert text == f"{BODY}\n\n{line}\n\n{PROSE}"
