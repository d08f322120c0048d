"""The boilerplate classifier: its features, its guards, the shipped model and its rule."""

from __future__ import annotations

import json

import pytest

from broadsheet.clean import clean_text, load_rules
from broadsheet.clean.boilerplate import FEATURES, Model, Paragraph, decide, feature_rows, model_from_json, plain_kind
from broadsheet.clean.cleaner import model_paragraphs
from broadsheet.clean.rules import DEFAULT_RULES_PATH, RulesError, parse_rules

PROSE = (
    "The council voted on Tuesday to close the old bridge to heavy traffic after engineers found "
    "cracks in two of its supporting piers, a decision that will reroute trucks through the town "
    "centre for at least a year while repairs are planned."
)


def _p(text: str, kind: str = "paragraph", markdown: bool = False) -> Paragraph:
    return Paragraph(text, text, kind, markdown)


def test_plain_text_shows_its_block_kind_by_its_first_characters():
    assert plain_kind("- an item") == "list_item"
    assert plain_kind("3. an item") == "list_item"
    assert plain_kind("> quoted words") == "quote"
    assert plain_kind("| a | table |") == "table"
    assert plain_kind("-5 degrees overnight") == "paragraph"
    assert plain_kind("A paragraph.") == "paragraph"


def test_features_describe_shape_and_context_in_their_declared_order():
    paragraphs = [_p("Headline"), _p(PROSE), _p("Subscribe to our newsletter"), _p(PROSE)]
    rule = load_rules().of_kind("model", "html")[0]
    rows = feature_rows(paragraphs, rule.cues, rule.related)
    assert all(len(row) == len(FEATURES) for row in rows)
    f = {name: [row[i] for row in rows] for i, name in enumerate(FEATURES)}
    assert f["ends_sentence"] == [0.0, 1.0, 0.0, 1.0]
    assert f["cue_debris"] == [0.0, 0.0, 1.0, 0.0]
    assert f["before_prose"] == [1.0, 0.0, 0.0, 0.0]
    assert f["prev_prose"][2] == 1.0 and f["next_prose"][2] == 1.0
    assert f["first"] == [1.0, 0.0, 0.0, 0.0] and f["last"] == [0.0, 0.0, 0.0, 1.0]


def test_markdown_link_text_counts_as_links_only_in_markdown():
    md = Paragraph("Other story", "[Other story](https://example.org/x)", "list_item", True)
    link = FEATURES.index("link_share")
    assert feature_rows([md])[0][link] == pytest.approx(1.0)
    assert feature_rows([_p("Other story")])[0][link] == 0.0


def test_a_paragraph_repeated_on_the_page_is_marked():
    rows = feature_rows([_p(PROSE), _p("Allow content"), _p(PROSE + " More."), _p("Allow content")])
    repeated = FEATURES.index("repeated")
    assert [r[repeated] for r in rows] == [0.0, 1.0, 0.0, 1.0]


def test_decide_keeps_first_paragraph_headings_lists_long_prose_and_texts_without_prose():
    paragraphs = [
        _p("Headline"),
        _p(PROSE),
        _p("Section title", kind="heading"),
        _p("It comes in three parts:"),
        _p("- the first part", kind="list_item"),
        _p(PROSE),
        _p("Sign up for alerts"),
    ]
    everything = [0.99] * len(paragraphs)
    cut = decide(paragraphs, everything, threshold=0.5, keep_words=30)
    # Only the last line is cut: the first, the heading, the list and its lead-in, and the prose stay.
    assert cut == [False, False, False, False, False, False, True]
    assert decide([_p("Headline"), _p("A short note."), _p("Another.")], [0.99] * 3, 0.5, 60) == [False] * 3


def test_decide_trusts_no_verdict_that_would_cut_most_of_the_text():
    paragraphs = [_p("Headline"), _p(PROSE), _p(PROSE[:-1] + " again!")]
    assert not any(decide(paragraphs, [0.99] * len(paragraphs), 0.5, keep_words=1000))


def test_a_link_list_item_may_be_cut():
    teaser = Paragraph("Another story", "[Another story](https://example.org/a)", "list_item", True)
    paragraphs = [_p("Headline"), _p(PROSE), teaser, _p(PROSE)]
    assert decide(paragraphs, [0.0, 0.0, 0.99, 0.0], 0.5, 60) == [False, False, True, False]


def test_the_shipped_model_loads_and_matches_the_features():
    rule = load_rules().of_kind("model", "html")[0]
    doc = json.loads(rule.model.read_text(encoding="utf-8"))
    model = model_from_json(doc)
    assert model.features == FEATURES and 0 < model.threshold < 1 and model.trees
    assert "cross_validation" in doc  # the held-out figures travel with the weights
    probabilities = model.probabilities(feature_rows([_p("Headline"), _p(PROSE)]))
    assert all(0 <= p <= 1 for p in probabilities)


def test_a_model_trained_on_other_features_is_refused():
    with pytest.raises(ValueError, match="other features"):
        model_from_json({"features": ["x"], "base": 0, "rate": 0.1, "trees": [], "threshold": 0.5, "keep_words": 60})


def test_a_tree_is_read_left_when_the_feature_is_at_most_the_threshold():
    model = Model(FEATURES, base=0.0, rate=1.0, trees=([0, 0.5, -4.0, 4.0],), threshold=0.5, keep_words=60)
    low, high = model.probabilities([[0.0] * len(FEATURES), [1.0] * len(FEATURES)])
    assert low < 0.05 and high > 0.95


def test_the_model_cuts_through_the_rules_and_logs_under_its_rule_id(tmp_path):
    # A model of one tree that calls every paragraph with a furniture cue debris.
    cue = FEATURES.index("cue_debris")
    model = {"features": list(FEATURES), "base": -5.0, "rate": 1.0, "trees": [[cue, 0.5, 0.0, 10.0]]}
    (tmp_path / "m.json").write_text(json.dumps(model | {"threshold": 0.5, "keep_words": 60}), encoding="utf-8")
    spec = {
        "id": "boilerplate-model",
        "description": "d",
        "kind": "model",
        "action": "remove",
        "formats": ["html"],
        "model": "m.json",
        "cues": "(?i:newsletter)",
    }
    (tmp_path / "rules.yaml").write_text("version: 1", encoding="utf-8")
    rules = parse_rules({"version": 1, "formats": ["txt", "html"], "rules": [spec]}, source=str(tmp_path / "rules.yaml"))
    debris = "Subscribe to our daily newsletter"
    text = f"Bridge closed\n\n{PROSE}\n\n{PROSE}\n\n{debris}"
    found = [p.text for p in model_paragraphs(text, "html", rules)]
    assert found == ["Bridge closed", PROSE, PROSE, debris]
    assert clean_text(text, "txt", rules).text == text  # the rule is for HTML only
    cleaned = clean_text(text, "html", rules)
    assert cleaned.text == f"Bridge closed\n\n{PROSE}\n\n{PROSE}"
    assert [(s.rule_id, s.text) for s in cleaned.segments] == [("boilerplate-model", debris)]


def test_the_shipped_rule_reads_html_only():
    assert load_rules().of_kind("model", "html") and not load_rules().of_kind("model", "txt")
    assert not load_rules().of_kind("model", "md")


def test_a_model_rule_needs_its_file_beside_the_rules():
    rule = {"id": "m", "description": "d", "kind": "model", "action": "remove", "model": "missing.json"}
    with pytest.raises(RulesError, match="not found"):
        parse_rules({"version": 1, "formats": ["txt"], "rules": [rule]}, source=str(DEFAULT_RULES_PATH))
    with pytest.raises(RulesError, match="beside"):
        parse_rules({"version": 1, "formats": ["txt"], "rules": [rule | {"model": "../x.json"}]})
