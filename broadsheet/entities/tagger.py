"""The entity tagger's action scores at prediction time, each text's computed from that text alone.

spaCy's transition-based tagger (``spacy.TransitionBasedParser.v2``) scores the actions of a
batch of parse states in three matrix products: its input projection and its precomputed hidden
layer run over every token of the batch at once, and its output layer over the states still
being decoded. OpenBLAS rounds a row of a product differently depending on where the row falls
in the call and how many rows the call has (see :mod:`broadsheet.entities.encoder`), so a text's
action scores, and with them a mention's confidence, depended on the texts recognized with it.
:class:`FastTagger` makes the same steps with spaCy's own state handling and feature sums, but
runs the two token-level products over one text's tokens at a time, and the output layer as a
row-by-row sum of products (numpy reduces each row alone, the same way whatever the number of
rows), so that a state's scores depend only on its own text and the actions taken in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class FastTagger:
    """Scores a batch's parse states as a trained ``ner`` component's model does."""

    def __init__(self, model: Any) -> None:
        import numpy as np

        projection = next(n for n in model.get_ref("tok2vec").walk() if n.name == "linear")
        lower, upper = model.get_ref("lower"), model.get_ref("upper")
        self._model = model
        self._projection = (
            np.ascontiguousarray(projection.get_param("W").T, dtype=np.float32),
            np.asarray(projection.get_param("b"), dtype=np.float32),
        )
        W = lower.get_param("W")
        nF, nO, nP, nI = W.shape
        self._shape = (int(nF), int(nO), int(nP))
        self._lower = np.ascontiguousarray(W.reshape(nF * nO * nP, nI).T, dtype=np.float32)
        self._pad = np.asarray(lower.get_param("pad"), dtype=np.float32).reshape(nF, nO, nP)
        self._lower_model = lower
        self._upper = (np.asarray(upper.get_param("W"), dtype=np.float32), np.asarray(upper.get_param("b"), dtype=np.float32))

    @classmethod
    def of(cls, model: Any) -> FastTagger | None:
        """The per-text path for ``model`` (an ``ner`` component's model), or ``None`` when the
        model is not exactly the architecture this class reproduces."""
        try:
            tok2vec, lower, upper = model.get_ref("tok2vec"), model.get_ref("lower"), model.get_ref("upper")
        except (KeyError, ValueError):
            return None
        if model.name != "parser_model" or not model.attrs.get("has_upper") or model.attrs.get("unseen_classes"):
            # (an unseen class's score is the batch's lowest score: not a function of one text)
            return None
        # (a tagger with an encoder of its own would not read the shared encoder's vectors)
        if tok2vec.name != "tok2vec-listener>>list2array>>linear" or lower.name != "precomputable_affine":
            return None
        if lower.get_dim("nP") < 2 or upper.name != "linear" or len(model.layers) != 3:
            return None
        return cls(model)

    def step_model(self, docs: Sequence[Any], tokvecs: Sequence[Any]) -> Any:
        """A step model for ``docs``, as ``model.predict(docs)`` gives, from their token vectors
        (one array per Doc: the encoder's output)."""
        import numpy as np
        from spacy.ml.parser_model import ParserStepModel
        from thinc.api import Model

        nF, nO, nP = self._shape
        W, b = self._projection
        n = sum(len(t) for t in tokvecs)
        # Row 0 is the padding spaCy reads for a feature that points at no token; then each
        # text's tokens, in batch order (a state's token ids count from its text's offset).
        cached = np.empty((n + 1, nF * nO * nP), dtype=np.float32)
        cached[0] = self._pad.reshape(-1)
        at = 1
        for vectors in tokvecs:
            if len(vectors):
                projected = np.matmul(vectors, W)
                projected += b
                np.matmul(projected, self._lower, out=cached[at : at + len(vectors)])
                at += len(vectors)
        cached = cached.reshape(n + 1, nF, nO, nP)
        lower = self._lower_model
        # spaCy's step model over stand-ins for its three layers: the token vectors are already
        # projected and precomputed above, and the output layer is this class's.
        layers = [
            Model("precomputed-tokens", lambda model, X, is_train: (X, _no_backprop), ops=lower.ops),
            Model(
                "precomputed-hidden",
                lambda model, X, is_train: (cached, _no_backprop),
                dims={"nP": nP},
                params={"b": lower.get_param("b")},
                ops=lower.ops,
            ),
            Model("row-by-row-linear", self._scores, dims={"nO": int(self._upper[0].shape[0])}, ops=lower.ops),
        ]
        return ParserStepModel(docs, layers, has_upper=True, train=False)

    def _scores(self, model: Any, hidden: Any, is_train: bool) -> tuple[Any, Any]:
        import numpy as np

        W, b = self._upper
        products = hidden[:, None, :] * W[None, :, :]
        scores = products.sum(axis=2, dtype=np.float32)
        scores += b
        return scores, _no_backprop


def _no_backprop(*_: Any) -> Any:
    raise RuntimeError("the per-text tagger only predicts: the model is trained through spaCy")
