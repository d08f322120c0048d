"""The block reader, and the cleaning it allows: rules see a block's words whatever markup or line
breaks surround them, markup goes as logged cuts, and a leading heading is the title."""

from __future__ import annotations

import datetime as dt

import pytest

from broadsheet.clean import CleanResult
from broadsheet.clean.blocks import Block, read_blocks

BODY = "The Pentagon said on Friday that the strike had been carried out at the direction of the president."
PROSE = "Officials in Baghdad said the talks would resume next week, according to two diplomats."


def cuts(result: CleanResult) -> list[tuple[str, str, str]]:
    return [(s.rule_id, s.action, s.text) for s in result.segments]


# --- the block grammar ------------------------------------------------------------------------------


def test_markdown_blocks_by_kind():
    lines = [
        "# A headline",
        "",
        "A paragraph that runs",
        "over two lines.",
        "",
        "- an item",
        "  that goes on",
        "- another item",
        "",
        "> a quote",
        "> on two lines",
        "",
        "---",
        "",
        "Setext heading",
        "==============",
        "",
        "| a | b |",
        "```",
        "code",
        "",
        "```",
    ]
    assert read_blocks(lines, markdown=True) == [
        Block("heading", 0, 0, 1),
        Block("paragraph", 2, 3),
        Block("list_item", 5, 6),
        Block("list_item", 7, 7),
        Block("quote", 9, 10),
        Block("rule", 12, 12),
        Block("heading", 14, 15, 1),
        Block("table", 17, 17),
        Block("code", 18, 21),
    ]


def test_plain_text_blocks_are_runs_of_lines():
    lines = ["# not a heading in plain text", "next line", "", "", "- not a list", ""]
    assert read_blocks(lines, markdown=False) == [Block("paragraph", 0, 1), Block("paragraph", 4, 4)]


def test_an_underline_under_a_longer_paragraph_is_not_a_setext_heading():
    assert [b.kind for b in read_blocks(["one line", "two lines", "---"], markdown=True)] == ["paragraph", "rule"]


# --- emphasis-wrapped boilerplate ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "rule_id"),
    [
        ("**Related article:** Militia supporters storm the US embassy in Baghdad", "related-article-line"),
        ("_**Read more:** [Iran vows revenge](https://example.org/iran)_", "related-article-line"),
        ("**Photo: AP/Karim Jaber**", "photo-credit-trailing"),
        ("*Share this:*", "site-furniture"),
    ],
)
def test_boilerplate_in_emphasis_is_cut_with_its_markup(line, rule_id, clean):
    result = clean(f"{BODY}\n\n{line}\n\n{PROSE}", "md")
    assert result.text == f"{BODY}\n\n{PROSE}"
    assert rule_id in {s.rule_id for s in result.segments}


def test_an_italic_provenance_line_becomes_metadata(clean):
    result = clean(f"{BODY}\n\n*This article was originally posted by The Meridian Review.*", "md")
    assert result.text == BODY
    assert result.original_source == "The Meridian Review"
    assert cuts(result) == [("originally-published", "metadata", "*This article was originally posted by The Meridian Review.*")]


def test_bold_over_a_line_break_is_unwrapped_as_one_span(clean):
    text = f"{BODY}\n\n**The talks will resume next week in Baghdad,\naccording to two diplomats.**"
    result = clean(text, "md")
    assert "**" not in result.text
    assert "according to two diplomats." in result.text
    assert cuts(result) == [("md-bold", "unwrap", "**"), ("md-bold", "unwrap", "**")]


def test_a_bold_line_break_inside_a_related_line_still_reads_as_one_line(clean):
    text = f"{BODY}\n\n**Related article:\nMilitia supporters storm the US embassy**\n\n{PROSE}"
    result = clean(text, "md")
    assert result.text == f"{BODY}\n\n{PROSE}"


def test_inline_html_tags_are_unwrapped(clean):
    result = clean("Booking at <u>Ocean Travel</u>, M<sup>me</sup> Binet said on Friday.", "md")
    assert result.text == "Booking at Ocean Travel, Mme Binet said on Friday."
    assert [s.text for s in result.segments] == ["<u>", "</u>", "<sup>", "</sup>"]
    assert {s.action for s in result.segments} == {"unwrap"}


def test_emphasis_markers_in_plain_text_are_words(clean):
    text = "The ministry's **statement** was short."
    assert clean(text, "txt").text == text


# --- headings and the title ----------------------------------------------------------------------------


def test_a_leading_heading_is_the_title_without_its_markup_and_leaves_the_text(clean):
    result = clean(f"# Iran **vows** revenge\n\n{BODY}", "md")
    assert result.title == "Iran vows revenge"
    assert result.text == BODY
    assert cuts(result) == [("title-heading", "remove", "# Iran **vows** revenge")]


def test_a_setext_heading_is_the_title(clean):
    result = clean(f"Iran vows revenge\n=================\n\n{BODY}", "md")
    assert result.title == "Iran vows revenge"
    assert result.text == BODY
    assert cuts(result) == [
        ("title-heading", "remove", "Iran vows revenge"),
        ("md-setext-heading", "unwrap", "================="),
    ]


def test_a_heading_alone_stays_the_text(clean):
    result = clean("# Iran vows revenge", "md")
    assert result.title == "Iran vows revenge"
    assert result.text == "Iran vows revenge"


def test_a_level_two_heading_stays_in_the_text(clean):
    result = clean(f"## Iran vows revenge\n\n{BODY}", "md")
    assert result.title is None
    assert result.text == f"Iran vows revenge\n\n{BODY}"


def test_the_title_is_the_first_heading_left_after_cutting(clean):
    result = clean(f"News\n\n# Iran vows revenge\n\n{BODY}", "md")
    assert result.title == "Iran vows revenge"


@pytest.mark.parametrize(
    ("text", "source_format"),
    [
        (f"## A section heading\n\n{BODY}", "md"),  # only a level-1 heading names the article
        (f"{PROSE}\n\n# A heading after prose\n\n{BODY}", "md"),
        (f"Iran vows revenge\n\n{BODY}", "md"),  # a paragraph, not a heading
        (f"# Iran vows revenge\n\n{BODY}", "txt"),  # no headings in plain text
    ],
)
def test_no_title_without_a_leading_level_one_heading(text, source_format, clean):
    assert clean(text, source_format).title is None


# --- a label and its value on separate lines -------------------------------------------------------------


@pytest.mark.parametrize("source_format", ["txt", "md"])
def test_a_label_and_its_value_two_lines_down_are_read_as_one(source_format, clean):
    text = f"{BODY}\n\nOriginal url:\n\nhttps://example.org/2020/01/strike\n\n{PROSE}"
    result = clean(text, source_format)
    assert result.text == f"{BODY}\n\n{PROSE}"
    assert result.original_url == "https://example.org/2020/01/strike"
    assert cuts(result) == [("original-url", "metadata", "Original url:\n\nhttps://example.org/2020/01/strike")]


def test_a_date_under_its_label_is_the_published_date(clean):
    result = clean(f"Published:\nJanuary 9, 2020\n\n{BODY}", "txt")
    assert result.text == BODY
    assert result.published_date == dt.date(2020, 1, 9)
    assert cuts(result) == [("date-line", "metadata", "Published:\nJanuary 9, 2020")]


def test_a_label_over_prose_stays(clean):
    text = f"Background:\n\n{BODY}"
    assert clean(text, "txt").text == text


def test_a_list_heading_is_not_read_as_a_label(clean):
    text = f"{BODY}\n\nRead more:\n\nIran Vows Revenge\n\nMourners Fill the Streets\n\n{PROSE}"
    result = clean(text, "txt")
    assert result.text == f"{BODY}\n\n{PROSE}"
    assert [s.rule_id for s in result.segments] == ["related-headlines-list"]


# --- lists and quotes --------------------------------------------------------------------------------------


def test_list_items_and_quotes_keep_their_words(clean):
    text = f"{BODY}\n\n- the first point;\n- the second point.\n\n> A quoted sentence, **in bold**."
    result = clean(text, "md")
    assert result.text == f"{BODY}\n\nthe first point;\n\nthe second point.\n\nA quoted sentence, in bold."
    assert [s.rule_id for s in result.segments] == ["md-bullet", "md-bullet", "md-blockquote", "md-bold", "md-bold"]


def test_a_related_list_of_links_is_cut_whole(clean):
    text = f"{BODY}\n\n## Read more\n\n- [Iran Vows Revenge](https://example.org/a)\n- [Mourners Fill the Streets](https://example.org/b)"
    result = clean(text, "md")
    assert result.text == BODY
    assert [s.rule_id for s in result.segments] == ["related-headlines-list"]
