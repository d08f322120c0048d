"""Modality of claims: hedges, predictions, conditions, negations and questions as an editor reads them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from broadsheet.extract.claims import extract_claims
from broadsheet.extract.claims._text import TextView
from broadsheet.extract.claims.lexicon import default_lexicon
from broadsheet.extract.claims.modality import classify_modality, frame_before
from broadsheet.schema import vocabulary

CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"


def modality_of(text: str, content: str, cue: str | None = None) -> tuple[str, tuple[str, ...]]:
    """The modality of ``content`` (a substring of ``text``) attributed by ``cue``, as the
    extractor reads it, frame included."""
    view = TextView(text)
    start = text.index(content)
    end = start + len(content)
    tokens = view.tokens[view.token_at(start) : view.token_at(end)]
    frame = None
    if cue is not None:
        frame = frame_before(view.tokens, view.token_at(text.index(cue)))
    return classify_modality(tokens, text, end, cue, default_lexicon(), frame=frame)


@pytest.mark.parametrize(
    ("text", "content", "cue", "word"),
    [
        ("The mayor is believed to have left the city.", "The mayor is believed to have left the city", None, "is believed to"),
        ("There are rumors that the factory will close.", "the factory will close", "rumors", "rumors"),
        ("It is widely thought that the vote was rigged.", "the vote was rigged", "thought", "thought"),
        ('"I guess the bridge is safe," the engineer said.', "I guess the bridge is safe", "said", "I guess"),
        ('"It seems the plan worked," she said.', "It seems the plan worked", "said", "It seems"),
        (
            "He said he was not certain that the deal would hold.",
            "he was not certain that the deal would hold",
            "said",
            "not certain",
        ),
        ("The council said the fire was presumably an accident.", "the fire was presumably an accident", "said", "presumably"),
        ("Analysts said a recession is likely next year.", "a recession is likely next year", "said", "likely"),
        ("The coach said the team could win the title.", "the team could win the title", "said", "could"),
        ("Residents believe the water is unsafe.", "the water is unsafe", "believe", "believe"),
        ("The senator appeared to endorse the bill.", "to endorse the bill", "appeared", "appeared"),
    ],
)
def test_epistemic_phrases_hedge(text: str, content: str, cue: str | None, word: str) -> None:
    modality, cues = modality_of(text, content, cue)
    assert modality == "hedged"
    assert word in cues


def test_not_a_certainty_hedges_rather_than_predicts() -> None:
    text = "The minister said it is not a certainty that prices will fall."
    modality, cues = modality_of(text, "it is not a certainty that prices will fall", "said")
    assert (modality, cues[0]) == ("hedged", "not a certainty")


def test_words_framing_the_cue_count() -> None:
    text = "The lawyers will likely report to a judge about the lapse."
    assert modality_of(text, "the lapse", "report to a judge about")[0] == "hedged"
    text = "The agency did not say whether the files were lost."
    assert modality_of(text, "whether the files were lost", "say")[0] == "questioned"
    text = "The agency did not confirm the figures."
    assert modality_of(text, "the figures", "confirm")[0] == "negated"
    # A quotation ending just before the cue is not its frame.
    text = '"We may stay," he said, and the board agreed the move.'
    assert modality_of(text, "the move", "agreed") == ("asserted", ())


def test_a_modal_in_a_relative_or_subordinate_clause_leaves_the_claim_asserted() -> None:
    text = "She said voters who do not register lose their say."
    assert modality_of(text, "voters who do not register lose their say", "said") == ("asserted", ())
    text = "He talked about how things could be better."
    assert modality_of(text, "how things could be better", "talked about") == ("asserted", ())
    # After the clause closes, the main clause is read again.
    text = "She said the mayor, who leads the council, could resign."
    assert modality_of(text, "the mayor, who leads the council, could resign", "said")[0] == "hedged"


def test_vague_figures_are_stated_not_doubted() -> None:
    (c,) = extract_claims("Officials said about 500 people had fled.")
    assert (c.modality, c.modality_cues) == ("asserted", ())
    text = "He said that sort of comment was rude."
    assert modality_of(text, "that sort of comment was rude", "said") == ("asserted", ())


def test_belief_in_a_thing_and_advice_do_not_hedge() -> None:
    text = "Supporters believe in a better political system."
    assert modality_of(text, "a better political system", "believe in") == ("asserted", ())
    text = "The chairman suggested they should resign."
    assert modality_of(text, "they should resign", "suggested") == ("asserted", ())
    text = "The chairman suggested the audit was flawed."
    assert modality_of(text, "the audit was flawed", "suggested")[0] == "hedged"


def test_questions() -> None:
    text = '"But why?" the reporter asked.'
    assert modality_of(text, '"But why?"', "asked")[0] == "questioned"
    text = "Many wonder if a third candidate should run."
    assert modality_of(text, "if a third candidate should run", "wonder")[0] == "questioned"
    text = "The paper will publish it regardless of whether he wins."
    assert modality_of(text, "publish it regardless of whether he wins", None)[0] != "questioned"


@pytest.mark.parametrize(
    ("text", "content", "cue", "modality"),
    [
        ("The spokesman declined to name the officials.", "to name the officials", "declined", "negated"),
        ("The company refused to pay the fine.", "to pay the fine", "refused", "negated"),
        ("The city hopes that investors will return.", "that investors will return", "hopes", "predicted"),
        ('"I intend to run again," she said.', "I intend to run again", "said", "predicted"),
        (
            "He said the talks would resume if the ceasefire held.",
            "the talks would resume if the ceasefire held",
            "said",
            "conditional",
        ),
        ('"I am not a fan, in case you wondered," she said.', "I am not a fan, in case you wondered", "said", "negated"),
        ("She said she would visit the flooded towns.", "she would visit the flooded towns", "said", "predicted"),
        ("He said it would be a mistake to wait.", "it would be a mistake to wait", "said", "asserted"),
        ("She said that would have been fairer.", "that would have been fairer", "said", "asserted"),
        ("The senator, appearing to rely on an old memo, spoke.", "rely on an old memo", "appearing to", "hedged"),
        ("As a boy he looked up to his brother.", "his brother", "looked up to", "asserted"),
    ],
)
def test_other_modalities(text: str, content: str, cue: str, modality: str) -> None:
    assert modality_of(text, content, cue)[0] == modality


def test_the_labelled_set_holds_identifiers_and_labels_only() -> None:
    from broadsheet.lab.evaluation.modality import LABELS_FILE

    with LABELS_FILE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert set(rows[0]) == {"stratum", "half", "stem", "content_start", "content_end", "cue_start", "cue_end", "label"}
    assert {r["label"] for r in rows} <= set(vocabulary("claims", "modality"))
    for stratum, size in (("random", 300), ("epistemic", 200)):
        mine = [r for r in rows if r["stratum"] == stratum]
        assert len(mine) == size
        assert sum(r["half"] == "heldout" for r in mine) == size // 2
    keys = [(r["stem"], r["content_start"], r["content_end"], r["cue_start"], r["cue_end"]) for r in rows]
    assert len(set(keys)) == len(keys)


@pytest.mark.skipif(not (CORPORA / "polnear" / "data" / "train").is_dir(), reason="PolNeAR is not here")
def test_the_drawn_sample_is_the_labelled_one() -> None:
    from broadsheet.lab.evaluation.modality import draw_items, read_labels

    items, _texts = draw_items(CORPORA / "polnear" / "data" / "train")
    assert {i.key for i in items} == set(read_labels())


def test_the_evaluation_skips_without_the_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from broadsheet.lab.evaluation.modality import main

    assert main(["--corpora", str(tmp_path)]) == 0
    assert "not found" in capsys.readouterr().err
