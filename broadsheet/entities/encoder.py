"""A faster way to run the recognizer's token encoder at prediction time, with the same arithmetic.

The encoder is spaCy's CNN (``spacy.Tok2Vec.v2``: ``MultiHashEmbed.v2`` features and a
``MaxoutWindowEncoder.v2``). Run through thinc it costs about three quarters of the
recognizer's time. :class:`FastEncoder` computes the same function from the same weights, with
two changes that do not alter the result beyond float rounding (about 1e-5 on values of order 10):

* **Embedding tables folded into the mixing layer.** A token's features are the sum of four hashed
  rows of each attribute's table, concatenated with its static vector, then multiplied by the
  mixing layer's weights. Matrix products distribute over sums, so each table is multiplied by
  its slice of those weights once, when the model loads; a token then sums pre-multiplied rows
  instead of taking part in a 640-wide matrix product (about a third of the encoder's
  arithmetic). Distinct feature values are looked up once per batch.
* **Fewer passes over memory.** Each layer (window, matrix product, maxout, layer norm, residual)
  runs over blocks of rows that stay in the CPU cache, with the maxout pieces laid out side by
  side so the maximum is taken over contiguous blocks.

Everything else is as in thinc: the same padding around each text, the same layer norm (``1e-8``
added to the variance). The weights are read from the loaded pipeline; nothing is stored apart
from it. Models of another architecture get ``None`` from :meth:`FastEncoder.of` and keep
spaCy's own path.

**A text's vectors are a function of that text alone, bit for bit.** thinc lays a batch's texts
end to end and runs each matrix product over the whole batch; OpenBLAS's sgemm computes a row
with a different sequence of fused multiply-adds depending on where the row falls in its tile
of rows and on how many rows the call has (on the AVX2 machines measured: rows 0-5 and 6-11 of
each 12-row tile, the leftover rows at the end and calls of at most 8 rows each round their own
way), so the same text gave vectors differing by about 3e-6 with the texts before it, and a
mention's rounded confidence could change with the batch, the chunk a worker was given, or a
refresh that recognized a text with others. Here every matrix product covers one text's rows
only, in blocks that start at its own first row, so what each row goes through depends on the
text alone; the rest of the arithmetic is row by row. The cost is a few zero rows and a few
more calls per text (within the noise of the words-per-second figure).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: Rows per block: a block's window (3 x 128 floats a row) and products (3 x 128) fit in L2.
BLOCK_ROWS = 512


def _names(count: int, name: str, sep: str) -> str:
    return sep.join([name] * count)


def _piece_major(maxout: Any) -> tuple[Any, Any]:
    """A maxout layer's weights (out, piece, in) as rows ``piece * width + out``, and its bias
    alike, so that piece p of every output is the contiguous block p."""
    W = maxout.get_param("W")
    o, p, i = W.shape
    return W.transpose(1, 0, 2).reshape(p * o, i), maxout.get_param("b").T.reshape(-1)


class FastEncoder:
    """Encodes Docs into the same token vectors as a trained ``tok2vec`` component."""

    def __init__(self, model: Any) -> None:
        import numpy as np

        embed, encode = model.get_ref("embed"), model.get_ref("encode")
        hashes = [n for n in embed.walk() if n.name == "hashembed"]
        static = [n for n in embed.walk() if n.name == "static_vectors"]
        maxouts = [n for n in model.walk() if n.name == "maxout"]
        norms = [n for n in model.walk() if n.name == "layernorm"]
        windows = [n for n in encode.walk() if n.name == "expand_window"]
        mix = maxouts[0]
        nO, nP, _ = mix.get_param("W").shape
        self.width = int(nO)
        #: maxout pieces of the mixing layer, then of each encoder layer (they may differ)
        self.pieces = [int(nP)]
        self.columns = list(next(n for n in embed.walk() if n.name == "extract_features").attrs["columns"])
        W, mix_bias = _piece_major(mix)
        self.tables: list[tuple[int, int, Any]] = []
        for k, table in enumerate(hashes):
            E = table.get_param("E")
            folded = E @ W[:, k * nO : (k + 1) * nO].T
            self.tables.append((k, int(table.attrs["seed"]), np.ascontiguousarray(folded, dtype=np.float32)))
        self.static_vectors = bool(static)
        if static:
            # static vector (nM) -> projection (nO) -> its slice of the mixing layer, as one matrix
            projection = static[0].get_param("W")
            self.static = np.ascontiguousarray((W[:, len(hashes) * nO :] @ projection).T, dtype=np.float32)
        self.mix_bias = np.ascontiguousarray(mix_bias, dtype=np.float32)
        self.mix_norm = (norms[0].get_param("G"), norms[0].get_param("b"))
        self.window = int(windows[0].attrs["window_size"])
        self.layers: list[tuple[Any, Any, Any, Any]] = []
        for maxout, norm in zip(maxouts[1:], norms[1:], strict=True):
            Wl, bl = _piece_major(maxout)
            self.pieces.append(int(maxout.get_param("W").shape[1]))
            self.layers.append(
                (
                    np.ascontiguousarray(Wl.T, dtype=np.float32),
                    np.ascontiguousarray(bl, dtype=np.float32),
                    norm.get_param("G"),
                    norm.get_param("b"),
                )
            )
        self.pad = int(encode.attrs["pad"])

    @classmethod
    def of(cls, model: Any) -> FastEncoder | None:
        """The fast path for ``model`` (a tok2vec component's model), or ``None`` when the model
        is not exactly the architecture this class reproduces."""
        try:
            embed, encode = model.get_ref("embed"), model.get_ref("encode")
        except (KeyError, ValueError):
            return None
        hashes = sum(1 for n in embed.walk() if n.name == "hashembed")
        static = any(n.name == "static_vectors" for n in embed.walk())
        layer = "residual(expand_window>>maxout>>layernorm>>dropout)"
        depth = sum(1 for n in encode.walk() if n.name == layer)
        features = f"extract_features>>list2ragged>>with_array({_names(hashes, 'ints-getitem>>hashembed', '|')})"
        expected_embed = (
            features + ("|static_vectors" if static else "") + ">>with_array(maxout>>layernorm>>dropout)>>ragged2list"
        )
        expected_encode = f"with_array({_names(depth, layer, '>>')})"
        if not hashes or not depth or embed.name != expected_embed or encode.name != expected_encode:
            return None
        if encode.attrs.get("pad") != depth * next(n for n in encode.walk() if n.name == "expand_window").attrs["window_size"]:
            return None
        return cls(model)

    def _maxout_norm(self, Y: Any, pieces: int, gain: Any, bias: Any, out: Any) -> Any:
        """Maxout over the ``pieces`` blocks of ``Y``, then thinc's layer norm, into ``out``."""
        import numpy as np

        n = self.width
        if pieces == 1:
            out[...] = Y
        else:
            np.maximum(Y[:, :n], Y[:, n : 2 * n], out=out)
        for p in range(2, pieces):
            np.maximum(out, Y[:, p * n : (p + 1) * n], out=out)
        out -= out.mean(axis=1, keepdims=True)
        variance = np.einsum("ij,ij->i", out, out)[:, None] / n + 1e-8
        out *= variance**-0.5
        out *= gain
        out += bias
        return out

    def embed(self, docs: Sequence[Any]) -> Any:
        """The embedding layer's output for the tokens of ``docs``, one row per token."""
        import numpy as np
        from spacy.attrs import ORTH
        from thinc.backends.numpy_ops import NumpyOps

        ops = NumpyOps()
        lengths = [len(doc) for doc in docs]
        features = np.concatenate([doc.to_array(self.columns) for doc in docs]).astype(np.uint64, copy=False)
        vectors = None
        if self.static_vectors:
            # as spaCy's StaticVectors layer: the table of the Docs' vocabulary, keyed by its attribute
            table = docs[0].vocab.vectors
            keys = np.concatenate([doc.to_array(getattr(table, "attr", ORTH)) for doc in docs]).astype(np.uint64, copy=False)
            vectors = np.asarray(table.get_batch(keys), dtype=np.float32)
        # Per attribute, the summed pre-multiplied rows of each distinct value, and which one each
        # token takes; the mixing layer's bias rides on the first attribute's rows. (A value's row
        # is a sum of rows in a fixed order: the same whatever else the batch holds.)
        lookups = []
        for column, seed, table in self.tables:
            values, where = np.unique(features[:, column], return_inverse=True)
            rows = ops.hash(np.ascontiguousarray(values), seed) % table.shape[0]
            summed = table[rows[:, 0]]
            for j in range(1, rows.shape[1]):
                summed += table[rows[:, j]]
            if not lookups:
                summed += self.mix_bias
            lookups.append((summed, where.reshape(-1)))
        n = len(features)
        out = np.empty((n, self.width), dtype=np.float32)
        pre = np.empty((BLOCK_ROWS, self.pieces[0] * self.width), dtype=np.float32)
        part = np.empty_like(pre)
        end = 0
        for length in lengths:
            # blocks within one text, from its first token (see the module's docstring)
            begin, end = end, end + length
            for a in range(begin, end, BLOCK_ROWS):
                e = min(a + BLOCK_ROWS, end)
                m = e - a
                summed, where = lookups[0]
                np.take(summed, where[a:e], axis=0, out=pre[:m])
                for summed, where in lookups[1:]:
                    np.take(summed, where[a:e], axis=0, out=part[:m])
                    pre[:m] += part[:m]
                if vectors is not None:
                    np.matmul(vectors[a:e], self.static, out=part[:m])
                    pre[:m] += part[:m]
                self._maxout_norm(pre[:m], self.pieces[0], *self.mix_norm, out[a:e])
        return out

    def __call__(self, docs: Sequence[Any]) -> list[Any]:
        """One array of token vectors per Doc, as ``tok2vec.predict(docs)`` gives."""
        import numpy as np

        width, pad, w = self.width, self.pad, self.window
        lengths = [len(doc) for doc in docs]
        filled = [doc for doc, n in zip(docs, lengths, strict=True) if n]
        if not filled:
            return [np.zeros((0, width), dtype=np.float32) for _ in docs]
        vectors = self.embed(filled)
        out = np.empty_like(vectors)
        block = BLOCK_ROWS
        span = 2 * w + 1
        window = np.empty((block, span * width), dtype=np.float32)
        products = np.empty(block * max(self.pieces[1:]) * width, dtype=np.float32)
        hidden = np.empty((block, width), dtype=np.float32)
        # One text at a time, as thinc lays it out: ``pad`` zero rows on each side, so that its
        # vectors depend on nothing outside it. Layer k computes only the rows the layers after
        # it read (the text's tokens and ``(depth - 1 - k) * w`` rows each side), which leaves
        # the tokens' arithmetic as thinc's.
        rows = max(lengths) + 2 * pad
        X = np.empty((rows, width), dtype=np.float32)
        Z = np.empty_like(X)
        depth = len(self.layers)
        at = 0
        for n in (n for n in lengths if n):
            X[:pad] = 0
            X[pad : pad + n] = vectors[at : at + n]
            X[pad + n : 2 * pad + n] = 0
            for k, ((weights, bias, gain, shift), pieces) in enumerate(zip(self.layers, self.pieces[1:], strict=True)):
                reach = (depth - 1 - k) * w
                first, last = pad - reach, pad + n + reach
                for a in range(first, last, block):
                    e = min(a + block, last)
                    m = e - a
                    for j in range(span):
                        window[:m, j * width : (j + 1) * width] = X[a - w + j : e - w + j]
                    Y = products[: m * pieces * width].reshape(m, pieces * width)
                    np.matmul(window[:m], weights, out=Y)
                    Y += bias
                    np.add(X[a:e], self._maxout_norm(Y, pieces, gain, shift, hidden[:m]), out=Z[a:e])
                X, Z = Z, X
            out[at : at + n] = X[pad : pad + n]
            at += n
        found = iter(np.split(out, np.cumsum([n for n in lengths if n])[:-1]))
        return [next(found) if n else np.zeros((0, width), dtype=np.float32) for n in lengths]
