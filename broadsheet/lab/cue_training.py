"""Training of the cue detector (`cue_model.json`) on the PolNeAR training split.

    python -m broadsheet.lab.cue_training --corpora ../shared/corpora

Only the training articles outside the fixed second dev set are read
(`broadsheet.lab.evaluation.polnear.in_train_sample`), so that set measures what was never fitted.

The cue lexicon is derived from them by counts: a word is a cue word when it heads at least
`_MIN_HEADS` gold cue spans and is the head of one in at least a given share of its occurrences
outside quotations (inside a quotation the extractor never reads a cue: the quote is the claim).
The share is the word's precision as a cue in the annotators' own reading: "said" heads a cue in
92 % of its occurrences, "in" in 1 %, "support" in 9 %; a low share means that the word attributes
only in a few constructions, which the extractor, without a parser, cannot tell apart from the
others. A verb of communication, cognition or stance (the classes of ``cues.yaml``) needs a lower
share than any other word: PolNeAR's annotators also marked "went", "made" or "picked" as cues in
one occurrence of seven, but those attribute only in constructions the shallow grammar cannot
see. The model scores only the words of that lexicon.

The same held-out documents calibrate the claims' confidence: the share of each reading's claims
that matched an annotated attribution (printed as the ``confidence`` table of ``cues.yaml``).

Reproducible: fixed shuffling seeds, documents in file-name order. The lexicon thresholds and the
model's decision thresholds are chosen on every seventh of those documents held out from a first
fit (never on a dev set), by the F1 of every claim row the extractor returns (assertions
included): among the settings within half a point of the best F1, the most precise. The model is
then refitted on all of them.
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
from broadsheet.extract.claims.cue_detection import after_be, is_passive
from broadsheet.extract.claims.cue_model import MODEL_PATH, CueModel, quote_mask, token_features
from broadsheet.extract.claims.lexicon import Lexicon, default_lexicon
from broadsheet.extract.claims.passage import Passage

# A cue word heads at least this many gold cues (fewer is one article's idiom) ...
_MIN_HEADS = 3
# A form of a lexicon verb that occurs at least this often outside quotations is judged by its own
# share as well as by its lemma's (`family_forms`).
_OWN_EVIDENCE = 5
# ... and is a cue in at least this share of its occurrences outside quotations: candidate shares
# for the lexicon's verbs of communication, cognition and stance, and for any other word.
_LEXICON_SHARES = (0.1, 0.2)
_OTHER_SHARES = (0.25, 0.4)
# A participle after "be" speaks with the subject before it when at least this share of its gold
# cues there (and at least `_MIN_HEADS`) have their source before it.
_SUBJECT_SHARE = 0.75
# Settings whose F1 is within this of the best are equals; the most precise of them is chosen.
_F1_TIE = 0.005
# Assertions: 33 of a hand-checked sample of 40 were checkable statements (see assertions.py).
_ASSERTIONS_CHECKABLE = 33 / 40
_MIN_FEATURE_COUNT = 5  # features seen fewer times are noise the model would memorise
_PRUNE_BELOW = 0.05  # weights smaller than this are dropped from the shipped model
_THRESHOLDS = (0.2, 0.25, 0.3, 0.4, 0.45, 0.5)
_QUOTE_THRESHOLDS = (0.2, 0.3)


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


def cue_counts(data: Sequence[Example], lex: Lexicon) -> dict[str, tuple[int, int]]:
    """word -> (gold cue heads, occurrences), over the tokens outside quotations: every word that
    heads a gold cue, and every form of a lexicon verb (a form that never heads one is evidence
    against its lemma's other forms too, see `family_forms`)."""
    heads = Counter(ex.word for ex in data if ex.label and "q=0" in ex.features)
    seen = Counter(ex.word for ex in data if "q=0" in ex.features)
    return {w: (heads[w], n) for w, n in seen.items() if heads[w] or w in lex.verb_forms}


def vocabulary_of(counts: dict[str, tuple[int, int]], lex: Lexicon, lexicon_share: float, other_share: float) -> frozenset[str]:
    """The derived cue lexicon: words that head enough gold cues, in a large enough share of
    their occurrences (a lower share for the lexicon's verbs and their particles), and the forms
    of the lexicon's verbs that their lemma's forms vouch for (`family_forms`)."""
    known = set(lex.verb_forms) | set(lex.particle_cues)
    return frozenset(
        w for w, (h, n) in counts.items() if h >= _MIN_HEADS and h / n >= (lexicon_share if w in known else other_share)
    ) | family_forms(counts, lex, lexicon_share)


def family_forms(counts: dict[str, tuple[int, int]], lex: Lexicon, share: float) -> frozenset[str]:
    """Forms of a ``cues.yaml`` verb too rare to be judged alone ("urges" beside "urged" and
    "urging"), judged by the gold cue heads and occurrences of all the lemma's forms together.

    A form that occurs often enough for its own share to mean something (`_OWN_EVIDENCE`) must
    still reach the share itself, so that a form mostly used as a noun ("attacks", "post") stays
    out while its verb forms are in. Of the cues the derived lexicon missed on the training
    articles outside the sample, many were such forms: one article's "urges" among others'
    "urged". Forms the training articles never use outside quotations count as rare.
    """
    forms: dict[str, list[str]] = defaultdict(list)
    for form, (lemma, _) in lex.verb_forms.items():
        forms[lemma].append(form)
    out: set[str] = set()
    for family in forms.values():
        own = [counts.get(f, (0, 0)) for f in family]
        heads, seen = sum(h for h, _ in own), sum(n for _, n in own)
        if heads < _MIN_HEADS or heads < share * seen:
            continue
        out.update(f for f, (h, n) in zip(family, own, strict=True) if n < _OWN_EVIDENCE or h >= share * n)
    return frozenset(out)


def subject_participle_counts(
    texts: Sequence[str], relations: Sequence[Sequence[object]], lex: Lexicon
) -> dict[str, tuple[int, int]]:
    """participle -> (gold cues it heads after "be" whose source stands before it, all gold cues
    it heads after "be"): "worried", "convinced" keep their subject as speaker, "expected",
    "asked" are passives whose subject is not the speaker."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for text, rels in zip(texts, relations, strict=True):
        view = TextView(text)
        p = Passage.of(view, lex)
        for r in rels:
            if not r.cue:  # type: ignore[attr-defined]
                continue
            h = cue_head(view, r.cue[0][0], r.cue[-1][1], lex)  # type: ignore[attr-defined]
            if h is None or not is_passive(p, h) or not after_be(p, h):
                continue
            w = view.tokens[h].lower
            counts[w][1] += 1
            counts[w][0] += bool(r.source) and r.source[-1][1] <= view.tokens[h].start  # type: ignore[attr-defined]
    return {w: (s, n) for w, (s, n) in counts.items()}


def subject_participles(counts: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    return {w: (s, n) for w, (s, n) in counts.items() if s >= _MIN_HEADS and s / n >= _SUBJECT_SHARE}


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
    from broadsheet.lab.evaluation.claims import Tally, gold_relations, predictions_from_claims, score_and_match
    from broadsheet.lab.evaluation.polnear import read_split

    lex = lex or default_lexicon()
    docs = list(read_split(corpora / "polnear" / "data" / "train", sample="rest"))
    texts = [d.text for d in docs]
    spans = [[(r.cue[0][0], r.cue[-1][1]) for r in d.relations if r.cue] for d in docs]
    data = examples(texts, spans, lex)
    held_out = set(range(0, len(docs), 7))
    fitted = [d for d in range(len(docs)) if d not in held_out]
    speaking = subject_participles(
        subject_participle_counts([texts[d] for d in fitted], [docs[d].relations for d in fitted], lex)
    )
    counts = cue_counts([ex for ex in data if ex.doc not in held_out], lex)
    # The final lexicon is counted on all the documents, the one the thresholds are chosen with on
    # the fitted ones: the candidates are the words of either, so that no word whose third gold
    # cue lies in the held-out seventh is lost from the final model.
    all_counts = cue_counts(data, lex)
    widest = vocabulary_of(counts, lex, min(_LEXICON_SHARES), min(_OTHER_SHARES)) | vocabulary_of(
        all_counts, lex, min(_LEXICON_SHARES), min(_OTHER_SHARES)
    )
    data = [ex for ex in data if ex.word in widest]
    log(
        f"{len(docs)} documents, {len(data)} candidate tokens, {sum(ex.label for ex in data)} cue heads, widest lexicon {len(widest)}"
    )

    first = fit([ex for ex in data if ex.doc not in held_out])

    def run(model: CueModel) -> tuple[Tally, list[tuple[object, bool]]]:
        tally, rows = Tally(), []
        for d in sorted(held_out):
            claims = extract_claims(texts[d], lex, cue_model=model)
            predicted = predictions_from_claims(claims)
            t, matched = score_and_match(texts[d], gold_relations(texts[d], docs[d].relations), predicted)
            tally.add(t)
            rows += [(c, k in matched) for k, c in enumerate(claims)]
        return tally, rows

    results: list[tuple[float, float, float, float, float, float]] = []
    for lexicon_share in _LEXICON_SHARES:
        for other_share in _OTHER_SHARES:
            vocabulary = vocabulary_of(counts, lex, lexicon_share, other_share)
            for threshold in _THRESHOLDS:
                for quote_threshold in _QUOTE_THRESHOLDS:
                    tally, _ = run(CueModel(first, vocabulary, threshold, min(quote_threshold, threshold), {}, speaking))
                    log(
                        f"lexicon {lexicon_share:.2f}/{other_share:.2f} ({len(vocabulary)} words), threshold {threshold:.2f} "
                        f"quote {quote_threshold:.2f}: P {tally.precision:.3f} R {tally.recall:.3f} F1 {tally.f1:.3f}"
                    )
                    results.append(
                        (tally.f1, tally.precision, lexicon_share, other_share, threshold, min(quote_threshold, threshold))
                    )
    top = max(r[0] for r in results)
    _, _, lexicon_share, other_share, threshold, quote_threshold = max(
        (r for r in results if r[0] >= top - _F1_TIE), key=lambda r: (r[1], r[0])
    )
    _, rows = run(
        CueModel(first, vocabulary_of(counts, lex, lexicon_share, other_share), threshold, quote_threshold, {}, speaking)
    )
    log("confidence, measured on the held-out documents (the `confidence` table of cues.yaml):")
    for key, value in calibration(rows).items():
        log(f"  {key}: {value}")
    counts = all_counts
    vocabulary = vocabulary_of(counts, lex, lexicon_share, other_share)
    weights = fit([ex for ex in data if ex.word in vocabulary])
    log(
        f"chosen lexicon: at least {_MIN_HEADS} gold cue heads in at least {lexicon_share:.0%} of the occurrences of a "
        f"lexicon verb, {other_share:.0%} of any other word ({len(vocabulary)} words); threshold {threshold:.2f}, "
        f"quote threshold {quote_threshold:.2f}; {len(weights)} weights kept"
    )
    speaking = subject_participles(subject_participle_counts(texts, [d.relations for d in docs], lex))
    log(f"participles speaking with their subject after 'be': {', '.join(sorted(speaking))}")
    return CueModel(weights, vocabulary, threshold, quote_threshold, {w: counts.get(w, (0, 0)) for w in vocabulary}, speaking)


_OTHER_CLASSES = frozenset({"belief", "evidence", "stance", "learned"})


def calibration(rows: Sequence[tuple[object, bool]]) -> dict[str, float]:
    """Each reading's share of claims that matched an annotated attribution, with the cue the
    model was sure of and a speech verb; the penalties are the measured drops for an unsure cue
    and for any other class of cue; assertions: the share that held no annotated attribution
    times the share of checkable statements by hand."""
    plain: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    drops = {"ambiguous_cue_penalty": [0, 0], "other_cue_penalty": [0, 0]}
    for c, ok in rows:
        reading = c.reading  # type: ignore[attr-defined]
        if reading == "assertion":
            plain[reading][0] += 1
            plain[reading][1] += not ok
            continue
        ambiguous, other = c.ambiguous_cue, c.cue_class in _OTHER_CLASSES  # type: ignore[attr-defined]
        if not ambiguous and not other:
            plain[reading][0] += 1
            plain[reading][1] += ok
        for key, flag in (("ambiguous_cue_penalty", ambiguous), ("other_cue_penalty", other)):
            if flag:
                drops[key][0] += 1
                drops[key][1] += ok
    share = {k: n[1] / n[0] for k, n in plain.items() if n[0]}
    overall_plain = sum(n[1] for k, n in plain.items() if k != "assertion") / max(
        1, sum(n[0] for k, n in plain.items() if k != "assertion")
    )
    out = {k: round(v, 2) for k, v in sorted(share.items()) if k != "assertion"}
    for key, (n, ok) in drops.items():
        out[key] = round(max(0.0, overall_plain - ok / n), 2) if n else 0.0
    if "assertion" in share:
        out["assertion"] = round(share["assertion"] * _ASSERTIONS_CHECKABLE, 2)
    return out


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
