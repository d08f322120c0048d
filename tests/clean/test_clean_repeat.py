"""Repeated paragraphs: a later word-for-word copy of a paragraph is cut, the first copy stays."""

from __future__ import annotations

import pytest

from broadsheet.clean import clean_text
from broadsheet.clean.rules import RulesError, parse_rules

LEAD = "The lighthouse keeper retired on Friday after thirty-one years on the headland."
NOTICE = "Allow cookies to see this map of the coastal path and its closures."
PROSE = "Volunteers will run the visitor centre until the trust appoints a successor next spring."


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_later_copy_of_a_paragraph_is_cut_and_logged(fmt):
    # The copy sits above the last paragraph: at the very end, a short line without its full
    # stop is the trailing-headlines rule's in Markdown.
    result = clean_text(f"{LEAD}\n\n{NOTICE}\n\n{NOTICE.upper().rstrip('.')}\n\n{PROSE}", fmt)
    assert result.text == f"{LEAD}\n\n{NOTICE}\n\n{PROSE}"
    assert [(s.rule_id, s.text) for s in result.segments] == [("repeated-paragraph", NOTICE.upper().rstrip("."))]


def test_short_lines_and_near_copies_stay():
    short = "Read the full statement."  # four words: below the rule's length
    near = NOTICE.replace("closures", "diversions")
    text = f"{LEAD}\n\n{short}\n\n{NOTICE}\n\n{short}\n\n{near}\n\n{PROSE}"
    assert clean_text(text, "html").text == text


def test_a_text_file_keeps_its_repeats():
    text = f"{LEAD}\n\n{NOTICE}\n\n{PROSE}\n\n{NOTICE}"
    assert clean_text(text, "txt").text == text


def test_a_repeat_rule_needs_its_length():
    rule = {"id": "r", "description": "d", "kind": "repeat", "action": "remove"}
    with pytest.raises(RulesError, match="min_words"):
        parse_rules({"version": 1, "formats": ["txt"], "rules": [rule]})
    parsed = parse_rules({"version": 1, "formats": ["txt"], "rules": [rule | {"min_words": 3}]})
    assert parsed.of_kind("repeat", "txt")[0].min_words == 3
