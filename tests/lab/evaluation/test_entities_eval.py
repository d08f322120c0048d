"""Entity scoring: exact span-and-type matching, views onto each corpus' types, ignored regions."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.lab.evaluation import entities as E
from broadsheet.lab.ner.annotated import AnnotatedSentence, EntitySpan

CONLL_VIEW = E.VIEWS["conll2003-testa"]


def test_exact_span_and_type() -> None:
    gold = [[(0, 5, "PERSON"), (10, 15, "GPE"), (20, 25, "ORG")]]
    pred = [[(0, 5, "PERSON"), (10, 15, "ORG"), (20, 24, "ORG")]]
    scores = E.score_spans(gold, pred, CONLL_VIEW)
    assert (scores.micro.tp, scores.micro.fp, scores.micro.fn) == (1, 2, 2)
    assert scores.per_type["PER"].f1 == 1.0
    assert scores.per_type["LOC"].recall == 0.0
    assert scores.per_type["ORG"].precision == 0.0
    assert scores.micro.precision == pytest.approx(1 / 3)
    assert scores.micro.f1 == pytest.approx(1 / 3)


def test_view_merges_our_finer_types() -> None:
    # Our GPE against CoNLL's LOC is right; our NORP against CoNLL's MISC is right.
    gold = [[(0, 4, "LOC"), (5, 12, "NORP")]]
    pred = [[(0, 4, "GPE"), (5, 12, "MISC")]]
    assert E.score_spans(gold, pred, CONLL_VIEW).micro.f1 == 1.0


def test_types_outside_the_view_are_not_scored() -> None:
    uner = E.VIEWS["uner-ewt-dev"]
    gold = [[(0, 4, "PERSON")]]
    pred = [[(0, 4, "PERSON"), (6, 12, "NORP"), (14, 20, "MISC")]]
    scores = E.score_spans(gold, pred, uner)
    assert (scores.micro.tp, scores.micro.fp, scores.micro.fn) == (1, 0, 0)


def test_predictions_on_unannotated_regions_are_ignored_not_false() -> None:
    gold = [[(0, 4, "PERSON")]]
    pred = [[(0, 4, "PERSON"), (10, 16, "ORG"), (30, 33, "ORG")]]
    scores = E.score_spans(gold, pred, CONLL_VIEW, missing=[[(8, 20)]])
    assert scores.ignored == 1
    assert (scores.micro.tp, scores.micro.fp) == (1, 1)


def test_empty_is_zero_not_an_error() -> None:
    scores = E.score_spans([[]], [[]], CONLL_VIEW)
    assert scores.micro.f1 == 0.0 and scores.per_type == {}


def test_gold_char_spans_follow_the_text() -> None:
    s = AnnotatedSentence(
        words=("Dr", "Ana", "Diaz", "flew", "to", "Quito", "."),
        spans=(EntitySpan(1, 3, "PERSON"), EntitySpan(5, 6, "GPE")),
        spaces=(True, True, True, True, True, False, False),
        doc_id="d",
        missing=((0, 1),),
    )
    gold, holes = E.gold_char_spans(s)
    assert [s.text[a:b] for a, b, _ in gold] == ["Ana Diaz", "Quito"]
    assert [s.text[a:b] for a, b in holes] == ["Dr"]


class _FixedRecognizer:
    """Answers from a table: a stand-in with the recognizer's interface, to test the plumbing."""

    version = "fixed@test"

    def __init__(self, answers: dict[str, list[tuple[int, int, str]]]) -> None:
        self.answers = answers

    def find_many(self, texts):  # noqa: ANN001, ANN201
        from broadsheet.entities.recognizer import Mention

        return [[Mention(a, b, t[a:b], label, 1.0) for a, b, label in self.answers.get(t, [])] for t in texts]


def test_evaluate_set_scores_whole_documents() -> None:
    a = AnnotatedSentence(("Ana", "ran", "."), (EntitySpan(0, 1, "PERSON"),), (True, False, False), "d")
    b = AnnotatedSentence(("In", "Lima", "."), (EntitySpan(1, 2, "GPE"),), (True, False, False), "d")
    from broadsheet.lab.ner.corpora import documents

    [doc] = documents([a, b], separator="\n")
    text = doc.text
    assert text == "Ana ran.\nIn Lima."
    lima = text.index("Lima")
    rec = _FixedRecognizer({text: [(0, 3, "PERSON"), (lima, lima + 4, "ORG")]})
    scores = E.evaluate_set(rec, [a, b], CONLL_VIEW)
    assert (scores.micro.tp, scores.micro.fp, scores.micro.fn) == (1, 1, 1)
    assert scores.extra["untyped_micro"]["f1"] == 1.0
    assert scores.words == 6
    report = E.format_report({"model": rec.version, "sets": {"x": scores.as_dict()}})
    assert "micro" in report and "fixed@test" in report


@pytest.mark.slow
def test_shipped_model_on_the_dev_sets(corpora: Path) -> None:
    from broadsheet.entities.recognizer import load_recognizer

    results = E.evaluate(corpora, load_recognizer(), speed=False)
    conll = results["sets"]["conll2003-testa"]["micro"]["f1"]
    print(E.format_report(results))
    # The shipped model's measured scores are in its model card. CoNLL's floor is the issue's
    # bar, just under the figure (0.905), so a change that loses ground there fails; the
    # other floors sit a few points under theirs (0.639, 0.705) and catch a broken model, a
    # broken reader or an ensemble whose members read each other's encodings.
    assert conll >= 0.90
    assert results["sets"]["uner-ewt-dev"]["micro"]["f1"] >= 0.60
    assert results["sets"]["gum-news"]["micro"]["f1"] >= 0.67
