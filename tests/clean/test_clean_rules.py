"""The rules file: the packaged one loads, and a file the cleaner cannot apply as written is refused."""

from __future__ import annotations

import copy

import pytest
import yaml

from broadsheet.clean import DEFAULT_RULES_PATH, RulesError, clean_text, load_rules
from broadsheet.clean.rules import FIELDS, parse_rules


def minimal() -> dict:
    return {
        "version": 1,
        "formats": ["txt", "md"],
        "fragments": {"word": "[A-Za-z]+"},
        "rules": [
            {
                "id": "ad",
                "description": "an ad slot",
                "kind": "line",
                "action": "remove",
                "pattern": "(?i:buy {:word} now)",
            }
        ],
    }


def with_rule(**changes) -> dict:
    doc = minimal()
    doc["rules"][0].update(changes)
    return doc


def test_the_packaged_rules_load_and_say_why_each_rule_exists():
    rules = load_rules()
    assert rules is load_rules()  # compiled once
    assert rules.source == str(DEFAULT_RULES_PATH) and len(rules.sha256) == 64
    assert rules.formats == {"txt", "md", "html", "json", "jsonl"}
    ids = [r.id for r in rules.rules]
    assert len(ids) == len(set(ids))
    for rule in rules.rules:
        assert len(rule.description.split()) >= 5, rule.id
        assert rule.field is None or rule.field in FIELDS


def test_a_rules_file_is_interpreted_not_hard_wired(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(minimal()))
    rules = load_rules(path)
    cleaned = clean_text("Headline\n\nBuy tickets now\n\nThe match was played on Sunday.", "txt", rules)
    assert cleaned.text == "Headline\n\nThe match was played on Sunday."
    assert [(s.rule_id, s.text) for s in cleaned.segments] == [("ad", "Buy tickets now")]
    # The default rules know nothing of this ad.
    assert "Buy tickets now" in clean_text("Buy tickets now", "txt").text


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (with_rule(kind="regex"), "kind must be one of"),
        (with_rule(action="unwrap"), "action must be one of"),
        (with_rule(colour="red"), "mean nothing for a line rule"),
        (with_rule(description=" "), "description"),
        (with_rule(id="Ad Rule"), "id must be"),
        (with_rule(pattern="(unclosed"), "not a valid regular expression"),
        (with_rule(pattern="{:missing}"), "unknown fragment"),
        (with_rule(action="metadata"), "field and group go with"),
        (with_rule(action="metadata", field="author", group="g", pattern="(?P<g>x)"), "field must be one of"),
        (with_rule(action="metadata", field="authors", group="names"), "does not have"),
        (with_rule(not_in_body="name"), "does not have"),
        (with_rule(formats=["pdf"]), "not among"),
        (with_rule(first_lines=0), "positive integer"),
        (with_rule(first_lines=3, last_lines=3), "exclude each other"),
        (with_rule(trailing="yes"), "true or false"),
        (with_rule(rest=True, trailing=True), "rest goes with"),
        (with_rule(title_heading=True, trailing=True), "title_heading goes with"),
        (with_rule(after_prose=True), "after_prose goes with"),
        (with_rule(rest=True, action="metadata", field="authors", group="g", pattern="(?P<g>x)"), "rest goes with"),
        (with_rule(kind="inline", action="unwrap"), "keep"),
        (with_rule(kind="list", pattern=None, heading="Related"), "needs"),
        ({**minimal(), "version": 2}, "unsupported rules version"),
        ({**minimal(), "extra": 1}, "unknown top-level keys"),
        ({**minimal(), "dates": {"dotted_numeric": "guess"}}, "dotted_numeric"),
        ({**minimal(), "fragments": {"a": "{:b}", "b": "{:a}"}}, "refers to itself"),
        ({**minimal(), "rules": []}, "no rules"),
        ({**minimal(), "rules": minimal()["rules"] * 2}, "used twice"),
    ],
)
def test_what_the_cleaner_cannot_apply_is_refused(doc, message):
    doc = copy.deepcopy(doc)
    for rule in doc.get("rules", []):
        for key in [k for k, v in rule.items() if v is None]:
            del rule[key]
    with pytest.raises(RulesError, match=message):
        parse_rules(doc)


def test_an_unknown_source_format_is_refused():
    with pytest.raises(ValueError, match="unknown source format"):
        clean_text("text", "docx")
