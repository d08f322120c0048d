"""The short lines a Markdown rendering of a page keeps under the story (rule trailing-headlines):
teaser headlines, a box's label, a wire credit. Invented examples; what must stay stays."""

from __future__ import annotations

import copy

import pytest

from broadsheet.clean import clean_text
from broadsheet.clean.rules import RulesError, parse_rules

LEAD = "The lighthouse keeper retired on Friday after thirty-one years on the headland, the trust said."
PROSE = "Volunteers will run the visitor centre until the trust appoints a successor next spring."
TEASERS = (
    "Around the harbour",
    "- Ferry timetable: Winter crossings cut to two a day",
    "- Harbour wall repairs delayed again",
    "(abc/xyz)",
)


def _cut_by(result, rule_id="trailing-headlines"):
    return [s.text for s in result.segments if s.rule_id == rule_id]


def test_the_short_lines_under_the_last_paragraph_of_prose_go():
    text = "\n\n".join([LEAD, PROSE, *TEASERS])
    result = clean_text(text, "md")
    assert result.text == f"{LEAD}\n\n{PROSE}"
    assert _cut_by(result) == list(TEASERS)


def test_a_closing_line_that_ends_like_a_sentence_stops_the_run():
    closing = "The keeper said he would miss the gulls."
    text = "\n\n".join([LEAD, PROSE, "Harbour wall repairs delayed again", closing])
    assert clean_text(text, "md").text == text


def test_a_short_line_between_paragraphs_of_prose_stays():
    text = "\n\n".join([LEAD, "A life on the headland", PROSE])
    assert clean_text(text, "md").text == text


@pytest.mark.parametrize(
    "closing",
    [
        "“We will be back,” she said.”",  # a full stop inside the closing quotation marks
        "灯台守は金曜日に引退した。後任は来春までに決まる【港町通信】",  # an ideographic full stop
    ],
)
def test_sentences_stay(closing):
    text = "\n\n".join([LEAD, PROSE, closing])
    assert clean_text(text, "md").text == text


def test_long_lines_stay():
    long_line = " ".join(["word"] * 17)  # more words than a headline has
    text = "\n\n".join([LEAD, PROSE, long_line])
    assert clean_text(text, "md").text == text


def test_a_text_without_prose_is_never_all_trailer():
    text = "\n\n".join(["Harbour news in brief", "Ferry timetable changes", "Harbour wall repairs delayed"])
    assert clean_text(text, "md").text == text


@pytest.mark.parametrize("fmt", ["txt", "html"])
def test_only_markdown_renderings(fmt):
    text = "\n\n".join([LEAD, PROSE, "Around the harbour", "Harbour wall repairs delayed again"])
    assert _cut_by(clean_text(text, fmt)) == []


def test_after_prose_goes_with_trailing_rules_only():
    rule = {"id": "r", "description": "d", "kind": "line", "action": "remove", "pattern": "x", "after_prose": True}
    doc = {"version": 1, "formats": ["md"], "rules": [rule]}
    with pytest.raises(RulesError, match="after_prose goes with trailing"):
        parse_rules(copy.deepcopy(doc))
    parsed = parse_rules({**doc, "rules": [rule | {"trailing": True}]})
    assert parsed.rules[0].after_prose
