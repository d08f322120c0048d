"""A text's entity mentions are a function of that text alone, bit for bit, and the per-text
tagger scores states as spaCy's own does."""

from __future__ import annotations

import random

import numpy as np

from broadsheet.entities.encoder import BLOCK_ROWS
from broadsheet.entities.tagger import FastTagger
from broadsheet.workers import one_blas_thread

TEXTS = [
    "Iranian Gen. Qassem Soleimani was killed near Baghdad airport on Friday, the Pentagon said.",
    "Angela Merkel met Emmanuel Macron in Berlin.",
    "",
    "Soleimani led the Quds Force.\n\nPresident Donald Trump said the United States acted alone.",
    "a",
    "ÉMILE ZOLA wrote in Paris about Alfred Dreyfus, and the Ligue des droits de l'homme answered.",
    "Shares of Pirelli SpA rose 3 percent in Milan on Tuesday after the company said first-quarter profit climbed. " * 3,
]


def _decode(recognizer, texts):  # noqa: ANN001, ANN202
    docs = [recognizer._nlp.make_doc(t) for t in texts]
    return recognizer._decode([docs] * len(recognizer._members))


def test_a_text_gets_the_same_bits_alone_and_in_any_batch(recognizer) -> None:  # noqa: ANN001
    # Unrounded confidences: any difference in the arithmetic shows (a rounded one can hide it).
    long = " ".join(TEXTS) * (BLOCK_ROWS // 40 + 1)
    texts = [t for t in TEXTS if t] + [long]
    rng = random.Random(7)
    with one_blas_thread():
        alone = [_decode(recognizer, [t])[0] for t in texts]
        vectors = [recognizer._fast[0]([recognizer._nlp.make_doc(t)])[0] for t in texts]
        for _ in range(4):
            picked = rng.sample(range(len(texts)), rng.randint(2, len(texts)))
            batch = [texts[i] for i in picked]
            for i, scored in zip(picked, _decode(recognizer, batch), strict=True):
                assert scored == alone[i], texts[i][:40]
            together = recognizer._fast[0]([recognizer._nlp.make_doc(t) for t in batch])
            for i, got in zip(picked, together, strict=True):
                assert np.array_equal(got, vectors[i]), texts[i][:40]


def test_the_tagger_scores_states_as_spacy_does(recognizer) -> None:  # noqa: ANN001
    for member, tok2vec, fast, tagger, ner in zip(
        recognizer._members, recognizer._tok2vecs, recognizer._fast, recognizer._taggers, recognizer._ners, strict=True
    ):
        assert tagger is not None, "the shipped tagger should take the per-text path"
        docs = [member.make_doc(t) for t in TEXTS]
        tokvecs = fast(docs)
        tok2vec.set_annotations(docs, tokvecs)
        ours, theirs = tagger.step_model(docs, tokvecs), ner.model.predict(docs)
        states = [s for s in ner.moves.init_batch(docs) if not s.is_final()]
        steps = 0
        while states:
            scores = ours.predict(states)
            # float32 sums in another order
            np.testing.assert_allclose(scores, theirs.predict(states), rtol=0, atol=1e-4)
            states = ner.transition_states(states, scores)
            steps += 1
        assert steps == max(len(d) for d in docs)


def test_another_tagger_architecture_keeps_spacys_path() -> None:
    import spacy

    for config in [{}, {"model": {"maxout_pieces": 1}}, {"model": {"use_upper": False}}]:
        # ({}: a tagger with an encoder of its own, not the shared one's listener)
        nlp = spacy.blank("en")
        ner = nlp.add_pipe("ner", config=config)
        ner.add_label("ORG")
        nlp.initialize()
        assert FastTagger.of(ner.model) is None
