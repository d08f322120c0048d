"""Case augmentation for training the recognizer: which sentences change, how, and that the gold
names stay on the same words."""

from __future__ import annotations

import random

import pytest

from broadsheet.lab.ner import augment as A


def test_recase_writes_each_case() -> None:
    words = ["The", "mayor", "of", "São", "Paulo", "met", "iPhone", "makers", "."]
    assert A.recase(words, "upper") == ["THE", "MAYOR", "OF", "SÃO", "PAULO", "MET", "IPHONE", "MAKERS", "."]
    assert A.recase(words, "lower") == ["the", "mayor", "of", "são", "paulo", "met", "iphone", "makers", "."]
    # a headline's function words stay lower-case, except the first word; other letters keep their case
    assert A.recase(["a", "war", "of", "words", "in", "iPhone", "land"], "title") == [
        "A",
        "War",
        "of",
        "Words",
        "in",
        "IPhone",
        "Land",
    ]
    with pytest.raises(ValueError):
        A.recase(words, "sentence")


def test_sentences_end_at_final_punctuation_or_a_line_break() -> None:
    words = ["Rain", "fell", ".", "It", "stopped", "\n", "Then", "sun", "!", "Done"]
    assert A.sentence_ranges(words) == [(0, 3), (3, 6), (6, 9), (9, 10)]
    assert A.sentence_ranges([]) == []


def test_sentences_are_drawn_one_by_one_and_the_same_seed_draws_the_same() -> None:
    words = ["Ana", "spoke", "."] * 200
    out = A.recased_words(words, {"upper": 0.25, "lower": 0.25, "title": 0.0}, random.Random(7))
    assert out is not None and len(out) == len(words)
    sentences = [tuple(out[a:b]) for a, b in A.sentence_ranges(out)]
    assert set(sentences) == {("Ana", "spoke", "."), ("ANA", "SPOKE", "."), ("ana", "spoke", ".")}
    upper = sum(s[0] == "ANA" for s in sentences)
    assert 25 <= upper <= 75  # about a quarter of 200
    assert out == A.recased_words(words, {"upper": 0.25, "lower": 0.25, "title": 0.0}, random.Random(7))
    # nothing drawn (or nothing that changes a word): no variant
    assert A.recased_words(words, {"upper": 0.0, "lower": 0.0, "title": 0.0}, random.Random(7)) is None
    assert A.recased_words(["12", "."], {"upper": 1.0, "lower": 0.0, "title": 0.0}, random.Random(7)) is None


def test_rates_must_be_probabilities() -> None:
    with pytest.raises(ValueError):
        A.create_case_augmenter(0.6, 0.6, 0.0)
    with pytest.raises(ValueError):
        A.create_case_augmenter(-0.1, 0.0, 0.0)


def test_the_augmenter_keeps_the_gold_names_on_their_words() -> None:
    import spacy
    from spacy.tokens import Doc, Span
    from spacy.training import Example

    nlp = spacy.blank("en")
    words = ["Officials", "in", "New", "York", "said", ".", "It", "rained", "in", "Paris", "."]
    spaces = [True, True, True, True, False, True, True, True, True, False, False]
    reference = Doc(nlp.vocab, words=words, spaces=spaces)
    reference.set_ents([Span(reference, 2, 4, "GPE"), Span(reference, 9, 10, "GPE")])
    example = Example(nlp.make_doc(reference.text), reference)
    random.seed(1)
    [same] = A.create_case_augmenter(0.0, 0.0, 0.0)(nlp, example)
    assert same is example
    [upper] = A.create_case_augmenter(1.0, 0.0, 0.0)(nlp, example)
    assert upper.reference.text == "OFFICIALS IN NEW YORK SAID. IT RAINED IN PARIS."
    assert [(e.text, e.label_) for e in upper.reference.ents] == [("NEW YORK", "GPE"), ("PARIS", "GPE")]
    assert upper.predicted.text == upper.reference.text


def test_spacy_finds_the_registered_augmenter() -> None:
    from spacy.util import registry

    A.register()
    A.register()  # twice is harmless
    make = registry.augmenters.get("broadsheet.case_augmenter.v1")
    assert callable(make(upper=0.1, lower=0.1, title=0.1))
