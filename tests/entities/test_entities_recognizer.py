"""The recognizer API: the shipped model loads from the repository and finds names with exact offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from broadsheet.entities.labels import LABELS
from broadsheet.entities.recognizer import (
    DEFAULT_MODEL_DIR,
    ENSEMBLE_FILE,
    Mention,
    ensemble_members,
    load_recognizer,
    one_reading_per_text,
)

TEXT = (
    "Iranian Gen. Qassem Soleimani was killed near Baghdad airport on Friday, the Pentagon said.\n"
    "Soleimani led the Quds Force. President Donald Trump said the United States acted alone."
)


def test_version_names_the_model_and_its_data(recognizer) -> None:  # noqa: ANN001
    name, _, data_hash = recognizer.version.partition("@")
    assert name == DEFAULT_MODEL_DIR.name
    assert len(data_hash) == 12 and int(data_hash, 16) >= 0


def test_offsets_index_the_given_text(recognizer) -> None:  # noqa: ANN001
    texts = [TEXT, "  \r\nÉmile Zola wrote in Paris 🇫🇷 about Alfred Dreyfus.\r\n", "", "no names here at all."]
    for text, mentions in zip(texts, recognizer.find_many(texts), strict=True):
        for m in mentions:
            assert isinstance(m, Mention)
            assert text[m.start : m.end] == m.text
            assert m.label in LABELS
            assert 0.0 <= m.confidence <= 1.0
        assert mentions == sorted(mentions, key=lambda x: x.start)
    assert recognizer.find("") == []


def test_batched_equals_one_by_one(recognizer) -> None:  # noqa: ANN001
    texts = [TEXT, "Angela Merkel met Emmanuel Macron in Berlin.", TEXT.upper()]
    assert recognizer.find_many(texts) == [recognizer.find(t) for t in texts]


def test_finds_the_names_of_a_news_sentence(recognizer) -> None:  # noqa: ANN001
    found = {(m.text, m.label) for m in recognizer.find(TEXT)}
    assert ("Qassem Soleimani", "PERSON") in found
    assert ("Baghdad", "GPE") in found
    assert ("Donald Trump", "PERSON") in found
    assert ("United States", "GPE") in found
    assert ("Iranian", "NORP") in found
    assert ("Soleimani", "PERSON") in found
    assert not any(text in {"Friday", "President"} for text, _ in found)


def test_a_missing_model_says_how_to_train_one(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="broadsheet.lab.ner.train"):
        load_recognizer(tmp_path)


def _ensemble_of(folder: Path, members: dict[str, Path]) -> Path:
    folder.mkdir()
    for name, target in members.items():
        (folder / name).symlink_to(target, target_is_directory=True)
    (folder / ENSEMBLE_FILE).write_text(json.dumps({"members": list(members)}), encoding="utf-8")
    return folder


def test_an_ensemble_of_one_pipeline_twice_reads_as_that_pipeline(tmp_path: Path) -> None:
    # Decoding in step with the mean of the members' log-probabilities: two copies of one
    # pipeline must give exactly its own mentions, labels and (rounded) confidences.
    single_dir = ensemble_members(DEFAULT_MODEL_DIR)[0]
    twice = load_recognizer(_ensemble_of(tmp_path / "twice", {"a": single_dir, "b": single_dir}))
    single = load_recognizer(single_dir)
    texts = [TEXT, "Angela Merkel met Emmanuel Macron in Berlin.", ""]
    want = single.find_many(texts)
    # the same vector table: the members read the same Docs; and the path for members whose
    # tables differ, where each reads copies in its own vocabulary, must agree with it
    assert twice._shared_docs
    for shared in (True, False):
        twice._shared_docs = shared
        for got, expected in zip(twice.find_many(texts), want, strict=True):
            assert [(m.start, m.end, m.label) for m in got] == [(m.start, m.end, m.label) for m in expected]
            assert [m.confidence for m in got] == pytest.approx([m.confidence for m in expected], abs=1e-3)


def test_members_sharing_docs_read_as_members_reading_copies() -> None:
    # Different members (the shipped ensemble, when it is one): each tagger must see its own
    # encoder's output although the encoders write to the same Docs.
    recognizer = load_recognizer()
    if len(recognizer._members) < 2 or not recognizer._shared_docs:
        pytest.skip("the shipped model is not an ensemble sharing one vector table")
    texts = [TEXT, "Angela Merkel met Emmanuel Macron in Berlin.", "Pirelli SpA and Fiat agreed in Turin on Monday."]
    shared = recognizer.find_many(texts)
    recognizer._shared_docs = False
    copies = recognizer.find_many(texts)
    for got, want in zip(shared, copies, strict=True):
        assert [(m.start, m.end, m.label) for m in got] == [(m.start, m.end, m.label) for m in want]
        assert [m.confidence for m in got] == pytest.approx([m.confidence for m in want], abs=1e-3)


def test_members_with_different_vector_tables_do_not_share_docs(tmp_path: Path) -> None:
    import spacy

    from broadsheet.entities.recognizer import Recognizer

    single_dir = ensemble_members(DEFAULT_MODEL_DIR)[0]
    first, second = spacy.load(single_dir), spacy.load(single_dir)
    assert Recognizer([first, second], "test")._shared_docs
    second.vocab.vectors.data[0, 0] += 1.0
    assert not Recognizer([first, second], "test")._shared_docs


def test_an_ensemble_with_a_missing_member_says_which(tmp_path: Path) -> None:
    folder = _ensemble_of(tmp_path / "broken", {"a": ensemble_members(DEFAULT_MODEL_DIR)[0]})
    (folder / ENSEMBLE_FILE).write_text(json.dumps({"members": ["a", "gone"]}), encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="gone"):
        load_recognizer(folder)


def test_one_reading_per_text_votes_and_copies() -> None:
    words = ["Phil", "Simmons", "played", ".", "Simmons", "scored", "for", "Leicester", ",", "Leicester", "won"]
    scored = {(0, 2, "PERSON"): 0.9, (7, 8, "ORG"): 0.8, (9, 10, "GPE"): 0.6}
    out = one_reading_per_text(words, scored)
    # The surname alone becomes a mention; the two "Leicester" agree on the more confident label.
    assert out == {(0, 2, "PERSON"): 0.9, (4, 5, "PERSON"): 0.9, (7, 8, "ORG"): 0.8, (9, 10, "ORG"): 0.6}


def test_one_reading_per_text_leaves_longer_names_alone() -> None:
    words = ["Jordan", "said", ".", "Michael", "Jordan", "Airlines", "fell"]
    out = one_reading_per_text(words, {(0, 1, "PERSON"): 1.0})
    assert out == {(0, 1, "PERSON"): 1.0}


def test_a_persons_surname_alone_is_that_person() -> None:
    words = ["Nicole", "Barrett", "spoke", ".", "Barrett", "said", "no", "."]
    out = one_reading_per_text(words, {(0, 2, "PERSON"): 0.9, (4, 5, "ORG"): 0.7})
    assert out == {(0, 2, "PERSON"): 0.9, (4, 5, "PERSON"): 0.7}


def test_a_headlines_capitals_are_the_same_name() -> None:
    words = ["ACME", "WINS", "\n", "Acme", "won", "and", "Acme", "said", "so", "."]
    scored = {(0, 1, "PERSON"): 0.4, (3, 4, "ORG"): 0.8, (6, 7, "ORG"): 0.7}
    out = one_reading_per_text(words, scored)
    assert out == {(0, 1, "ORG"): 0.4, (3, 4, "ORG"): 0.8, (6, 7, "ORG"): 0.7}


def test_a_lower_case_word_is_not_copied_as_a_name() -> None:
    words = ["Bush", "said", ".", "A", "bush", "fell", "."]
    out = one_reading_per_text(words, {(0, 1, "PERSON"): 0.9})
    assert out == {(0, 1, "PERSON"): 0.9}


def test_a_name_with_a_legal_form_is_an_organization() -> None:
    words = ["Pirelli", "SpA", "rose", ".", "Pirelli", "said", "it", "would", "."]
    scored = {(0, 2, "PERSON"): 0.9, (4, 5, "PERSON"): 0.8}
    out = one_reading_per_text(words, scored)
    assert out == {(0, 2, "ORG"): 0.9, (4, 5, "ORG"): 0.8}
    # The legal form must end the name: a person named Co... is not affected.
    assert one_reading_per_text(["Ltd", "Smith", "ran"], {(0, 2, "PERSON"): 0.9}) == {(0, 2, "PERSON"): 0.9}


def test_batch_vectors_give_the_tables_own_vectors() -> None:
    import numpy as np
    import spacy

    from broadsheet.entities.recognizer import _BatchVectors

    nlp = spacy.load(ensemble_members(DEFAULT_MODEL_DIR)[0])
    table = nlp.vocab.vectors
    wrapped = _BatchVectors.wrap(table)
    if wrapped is table:
        pytest.skip("the shipped model's vectors are not a floret table")
    keys = nlp.make_doc("the cat and the dog , the end . Obama met Obama").to_array("ORTH")
    rows = wrapped.get_batch(keys)
    assert np.array_equal(rows, np.asarray(table.get_batch(keys)))
    assert wrapped.get_batch(keys.copy()) is rows  # the next member asking for the same batch
    other = nlp.make_doc("Berlin").to_array("ORTH")
    assert np.array_equal(wrapped.get_batch(other), np.asarray(table.get_batch(other)))
    assert wrapped.shape == table.shape  # everything else is the table's


def test_another_spelling_of_a_persons_name_is_that_person() -> None:
    words = ["Oleksandra", "Marchenko", "spoke", ".", "Marchinko", "said", "and", "Oleksandra", "Marchennko", "left", "."]
    out = one_reading_per_text(words, {(0, 2, "PERSON"): 0.9})
    assert out == {(0, 2, "PERSON"): 0.9, (4, 5, "PERSON"): 0.9, (7, 9, "PERSON"): 0.9}


def test_short_names_have_no_spelling_variants() -> None:
    # "Mike" is a vowel away from "Make": below six letters no variant is looked for
    words = ["Mike", "Dunn", "spoke", ".", "Make", "Dann", "work", "."]
    out = one_reading_per_text(words, {(0, 2, "PERSON"): 0.9})
    assert out == {(0, 2, "PERSON"): 0.9}
