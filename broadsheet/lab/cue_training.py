"""Training of the cue detector (`cue_model.json`) on the PolNeAR training split.

    python -m broadsheet.lab.cue_training --corpora ../shared/corpora

Reproducible: fixed shuffling seeds, documents in file-name order. The decision thresholds are
chosen on every seventh training document held out from a first fit (never on the dev split), by
the attribution relation F1 of the whole extractor, then the model is refitted on all documents.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from broadsheet.extract.claims._text import TextView
from broadsheet.extract.claims.cue_model import MODEL_PATH, CueModel, quote_mask, token_features
from broadsheet.extract.claims.lexicon import Lexicon, default_lexicon

_MIN_HEAD_COUNT = 2  # a word must head at least this many gold cues to join the vocabulary ...
_MIN_HEAD_SHARE = 0.03  # ... and be a cue in at least this share of its occurrences
_MIN_FEATURE_COUNT = 5  # features seen fewer times are noise the model would memorise
_PRUNE_BELOW = 0.05  # weights smaller than this are dropped from the shipped model
_THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
_QUOTE_THRESHOLDS = (0.1, 0.2, 0.3)


@dataclass(frozen=True)
class Example:
    doc: int
    token: int
    word: str
    features: list[str]
    label: int


def cue_head(view: TextView, start: int, end: int, lex: Lexicon) -> int | None:
    """The token that stands for a gold cue span: its first word that is not an auxiliary,
    adverb or determiner ("has repeatedly said" -> "said", "according to" -> "according")."""
    i, j = view.token_at(start), view.token_at(end)
    for k in range(i, j):
        t = view.tokens[k]
        if t.lower in lex.adverbs_between or t.lower in lex.determiners:
            continue
        if t.lower.endswith("ly") and len(t.lower) > 4:
            continue
        if t.text[:1].isalpha():
            return k
    return i if i < j else None


def examples(texts: Sequence[str], cue_spans: Sequence[Sequence[tuple[int, int]]], lex: Lexicon) -> list[Example]:
    out: list[Example] = []
    for d, (text, spans) in enumerate(zip(texts, cue_spans, strict=True)):
        view = TextView(text)
        heads = {h for s, e in spans if (h := cue_head(view, s, e, lex)) is not None}
        mask = quote_mask(view)
        for i, tok in enumerate(view.tokens):
            if tok.text[:1].isalpha():
                out.append(Example(d, i, tok.lower, token_features(view, i, mask, lex), int(i in heads)))
    return out


def vocabulary_of(data: Sequence[Example], lex: Lexicon) -> frozenset[str]:
    """Words worth scoring: the lexicon's cue verbs and the words that often head a gold cue."""
    heads = Counter(ex.word for ex in data if ex.label)
    seen = Counter(ex.word for ex in data)
    learned = {w for w, c in heads.items() if c >= _MIN_HEAD_COUNT and c / seen[w] >= _MIN_HEAD_SHARE}
    return frozenset(learned | set(lex.verb_forms))


def fit(data: Sequence[Example], epochs: int = 5, rate: float = 0.2) -> dict[str, float]:
    """Logistic regression by AdaGrad over the features seen at least `_MIN_FEATURE_COUNT` times."""
    counts = Counter(f for ex in data for f in ex.features)
    data = [
        Example(ex.doc, ex.token, ex.word, [f for f in ex.features if counts[f] >= _MIN_FEATURE_COUNT], ex.label) for ex in data
    ]
    weights: dict[str, float] = defaultdict(float)
    grad_sq: dict[str, float] = defaultdict(float)
    order = list(range(len(data)))
    for epoch in range(epochs):
        random.Random(epoch).shuffle(order)
        for n in order:
            ex = data[n]
            z = sum(weights[f] for f in ex.features)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = p - ex.label
            if g == 0.0:
                continue
            for f in ex.features:
                grad_sq[f] += g * g
                weights[f] -= rate * g / math.sqrt(grad_sq[f] + 1e-8)
    return {f: round(w, 4) for f, w in weights.items() if abs(w) >= _PRUNE_BELOW}


def train(corpora: Path, lex: Lexicon | None = None, log=print) -> CueModel:  # type: ignore[no-untyped-def]
    from broadsheet.extract.claims import extract_claims
    from broadsheet.lab.evaluation.claims import Tally, gold_relations, predictions_from_claims, score_document
    from broadsheet.lab.evaluation.polnear import read_split

    lex = lex or default_lexicon()
    docs = list(read_split(corpora / "polnear" / "data" / "train"))
    texts = [d.text for d in docs]
    spans = [[(r.cue[0][0], r.cue[-1][1]) for r in d.relations if r.cue] for d in docs]
    data = examples(texts, spans, lex)
    vocabulary = vocabulary_of(data, lex)
    data = [ex for ex in data if ex.word in vocabulary]
    log(
        f"{len(docs)} documents, {len(data)} candidate tokens, {sum(ex.label for ex in data)} cue heads, "
        f"vocabulary {len(vocabulary)}"
    )

    held_out = set(range(0, len(docs), 7))
    first = fit([ex for ex in data if ex.doc not in held_out])
    best: tuple[float, float, float] | None = None
    for threshold in _THRESHOLDS:
        for quote_threshold in _QUOTE_THRESHOLDS:
            model = CueModel(first, vocabulary, threshold, min(quote_threshold, threshold))
            tally = Tally()
            for d in sorted(held_out):
                claims = extract_claims(texts[d], lex, cue_model=model)
                tally.add(
                    score_document(
                        texts[d],
                        gold_relations(texts[d], docs[d].relations),
                        predictions_from_claims(claims, with_partial_quotes=False),
                    )
                )
            log(
                f"threshold {threshold:.2f} quote {quote_threshold:.2f}: P {tally.precision:.3f} R {tally.recall:.3f} F1 {tally.f1:.3f}"
            )
            if best is None or tally.f1 > best[0]:
                best = (tally.f1, threshold, min(quote_threshold, threshold))
    assert best is not None
    weights = fit(data)
    log(f"chosen threshold {best[1]:.2f}, quote threshold {best[2]:.2f}; {len(weights)} weights kept")
    return CueModel(weights, vocabulary, best[1], best[2])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m broadsheet.lab.cue_training", description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=Path("../shared/corpora"))
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    if not (args.corpora / "polnear" / "data" / "train").is_dir():
        print(f"PolNeAR training split not found under {args.corpora}; nothing to train.", file=sys.stderr)
        return 1
    model = train(args.corpora)
    args.out.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
