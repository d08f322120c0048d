"""The fast token encoder computes what spaCy's own tok2vec computes, from the same weights."""

from __future__ import annotations

import numpy as np
import pytest

from broadsheet.entities.encoder import BLOCK_ROWS, FastEncoder
from broadsheet.entities.recognizer import load_recognizer

TEXTS = [
    "Iranian Gen. Qassem Soleimani was killed near Baghdad airport on Friday, the Pentagon said.",
    "",
    "Soleimani led the Quds Force.\n\nPresident Donald Trump said the United States acted alone.",
    "a",
    "   ",
    "ÉMILE ZOLA wrote in Paris 🇫🇷 about Alfred Dreyfus, l'affaire qui divisa la France.",
]


def _same(fast: list[np.ndarray], slow: list[np.ndarray]) -> None:
    assert len(fast) == len(slow)
    for f, s in zip(fast, slow, strict=True):
        assert f.shape == s.shape
        # float32 sums in another order: values of order 1-10 agree to about 1e-5
        np.testing.assert_allclose(f, s, rtol=0, atol=2e-4)


def _tok2vec(config: dict):  # noqa: ANN202
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec", config={"model": config})
    nlp.initialize()
    return nlp, nlp.get_pipe("tok2vec")


def _config(width: int, depth: int, window: int, pieces: int, attrs: list[str], rows: list[int]) -> dict:
    return {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": width,
            "attrs": attrs,
            "rows": rows,
            "include_static_vectors": False,
        },
        "encode": {
            "@architectures": "spacy.MaxoutWindowEncoder.v2",
            "width": width,
            "depth": depth,
            "window_size": window,
            "maxout_pieces": pieces,
        },
    }


def test_shipped_members_match_spacy(recognizer) -> None:  # noqa: ANN001
    for nlp, tok2vec, fast in zip(recognizer._members, recognizer._tok2vecs, recognizer._fast, strict=True):
        assert fast is not None, "the recognizer model's encoder should take the fast path"
        assert fast.static_vectors
        docs = [nlp.make_doc(t) for t in TEXTS]
        _same(fast(docs), tok2vec.model.predict(docs))


def test_a_text_encodes_alike_alone_and_in_a_batch(recognizer) -> None:  # noqa: ANN001
    nlp, fast = recognizer._members[0], recognizer._fast[0]
    docs = [nlp.make_doc(t) for t in TEXTS]
    together = fast(docs)
    for doc, vectors in zip(docs, together, strict=True):
        np.testing.assert_allclose(fast([doc])[0], vectors, rtol=0, atol=2e-5)


def test_texts_longer_than_a_block_match_spacy(recognizer) -> None:  # noqa: ANN001
    nlp, tok2vec, fast = recognizer._members[0], recognizer._tok2vecs[0], recognizer._fast[0]
    long = " ".join(TEXTS) * (2 * BLOCK_ROWS // 40 + 1)
    docs = [nlp.make_doc(long), nlp.make_doc(TEXTS[0])]
    assert len(docs[0]) > 2 * BLOCK_ROWS
    _same(fast(docs), tok2vec.model.predict(docs))


def test_only_empty_texts(recognizer) -> None:  # noqa: ANN001
    nlp, fast = recognizer._members[0], recognizer._fast[0]
    out = fast([nlp.make_doc(""), nlp.make_doc("")])
    assert [a.shape for a in out] == [(0, fast.width), (0, fast.width)]


@pytest.mark.parametrize(
    ("width", "depth", "window", "pieces", "attrs", "rows"),
    [
        (32, 2, 2, 2, ["NORM", "PREFIX"], [500, 300]),
        (48, 1, 1, 4, ["NORM", "PREFIX", "SUFFIX", "SHAPE", "LOWER"], [400, 200, 200, 100, 300]),
    ],
)
def test_other_shapes_of_the_architecture_match_spacy(width, depth, window, pieces, attrs, rows) -> None:  # noqa: ANN001
    nlp, tok2vec = _tok2vec(_config(width, depth, window, pieces, attrs, rows))
    fast = FastEncoder.of(tok2vec.model)
    assert fast is not None and not fast.static_vectors
    assert (fast.width, fast.window, fast.pieces, len(fast.layers)) == (width, window, [3] + [pieces] * depth, depth)
    docs = [nlp.make_doc(t) for t in TEXTS]
    _same(fast(docs), tok2vec.model.predict(docs))


def test_another_architecture_keeps_spacys_path() -> None:
    config = _config(32, 2, 1, 3, ["NORM"], [500])
    config["encode"] = {"@architectures": "spacy.MishWindowEncoder.v2", "width": 32, "depth": 2, "window_size": 1}
    _, tok2vec = _tok2vec(config)
    assert FastEncoder.of(tok2vec.model) is None


def test_the_recognizer_finds_the_same_with_either_encoder(recognizer) -> None:  # noqa: ANN001
    slow = load_recognizer(fast=False)
    assert all(f is None for f in slow._fast)
    texts = [t for t in TEXTS if t.strip()] + [" ".join(TEXTS) * 3]
    found, expected = recognizer.find_many(texts), slow.find_many(texts)
    for fast_mentions, slow_mentions in zip(found, expected, strict=True):
        assert [(m.start, m.end, m.label) for m in fast_mentions] == [(m.start, m.end, m.label) for m in slow_mentions]
        for f, s in zip(fast_mentions, slow_mentions, strict=True):
            assert abs(f.confidence - s.confidence) <= 1e-3
