"""Scores the claims extractor against PolNeAR attribution relations, and prints them with its speed.

    python -m broadsheet.lab.evaluation.claims --corpora ../shared/corpora [--split dev|train-sample] [--agreement]

Matching: a predicted claim matches a gold relation when its content span covers at least half of
the gold content's word tokens; each gold relation and each prediction is matched at most once,
greedily, the pairs whose word sets overlap best (Dice coefficient) first. Over the matched pairs:

- speaker accuracy: the predicted claimant span overlaps the gold Source span, or the gold relation
  has no source and the prediction has no claimant;
- cue accuracy: the predicted cue span overlaps the gold Cue span (both absent also counts).

The direct-quote subset repeats all figures with only the gold relations whose content is enclosed
in quotation marks and only the predictions of kind ``direct_quote``.

The headline figures count every claim row the release would publish: authorial assertions
(PolNeAR annotates attribution only, so one counts unless it happens to hold an attribution the
extractor read as the author's) and partial quotes (a quote inside a reported-speech claim with the
same cue) included. Each kind's share of the rows and its precision follow, then the figures of
attributions alone (assertions and partial quotes set aside, as this evaluation used to report),
then precision and recall of the rows at or above each confidence, which is what a user filtering
on ``confidence`` gets. Where a document has several annotators, the first annotator file in sorted
order is the gold standard (see `broadsheet.lab.evaluation.polnear.read_split`).

Two dev sets: PolNeAR ``dev``, and ``train-sample``, the fixed sample of training articles that
neither the cue model nor the cue lexicon is derived from (`polnear.in_train_sample`).
Speed is words (``\\w+`` runs) and documents per second of `extract_claims` alone.
"""

from __future__ import annotations

import argparse
import bisect
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from broadsheet.lab.evaluation.polnear import Relation, read_split

# The confidences at which the report shows what a user filtering on them would keep.
CONFIDENCE_STEPS = (0.5, 0.6, 0.7, 0.8, 0.9)
KINDS = ("direct_quote", "reported_speech", "assertion")

_WORD = re.compile(r"\w+")
_OPENING = "\"“‘'«`"
_CLOSING = "\"”’'»"

Span = tuple[int, int]


@dataclass(frozen=True)
class Predicted:
    """What scoring needs of a prediction: its content, claimant and cue spans and whether it is a
    direct quote. Built from a `Claim`, or from another annotator's relation for agreement."""

    content: Span
    claimant: Span | None
    cue: Span | None
    direct_quote: bool
    kind: str = "reported_speech"
    confidence: float = 1.0
    partial: bool = False


@dataclass(frozen=True)
class Gold:
    content: tuple[Span, ...]
    source: tuple[Span, ...]
    cue: tuple[Span, ...]
    direct_quote: bool


@dataclass
class Tally:
    """Counts accumulated over documents; figures are computed from them."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    speaker_correct: int = 0
    cue_correct: int = 0

    def add(self, other: Tally) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched
        self.speaker_correct += other.speaker_correct
        self.cue_correct += other.cue_correct

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_correct / self.matched if self.matched else 0.0

    @property
    def cue_accuracy(self) -> float:
        return self.cue_correct / self.matched if self.matched else 0.0


def is_enclosed_in_quotes(text: str, spans: Sequence[Span]) -> bool:
    """Whether content (its fragments joined) opens and closes with quote marks, inside or just
    outside the span; trailing punctuation after the closing mark is allowed."""
    start, end = spans[0][0], spans[-1][1]
    inner = text[start:end].strip()
    if not inner:
        return False
    opens = inner[0] in _OPENING or (start > 0 and text[start - 1] in _OPENING)
    tail = inner.rstrip(".,;:!?—– ")
    closes = (tail[-1:] in _CLOSING) or inner[-1] in _CLOSING or text[end : end + 1] in _CLOSING
    return opens and closes


def gold_relations(text: str, relations: Iterable[Relation]) -> list[Gold]:
    """Gold relations that can be scored (those with content)."""
    out = []
    for r in relations:
        if not r.content:
            continue
        out.append(Gold(r.content, r.source, r.cue, is_enclosed_in_quotes(text, r.content)))
    return out


def _overlaps(a: Span, spans: Sequence[Span]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def score_document(text: str, gold: Sequence[Gold], predicted: Sequence[Predicted]) -> Tally:
    """Greedy one-to-one matching of predictions to gold relations in one document."""
    tally, _ = score_and_match(text, gold, predicted)
    return tally


def score_and_match(text: str, gold: Sequence[Gold], predicted: Sequence[Predicted]) -> tuple[Tally, list[int]]:
    """The tally of `score_document` and the indexes of the predictions that matched a gold relation."""
    word_starts: list[int] = []
    word_ends: list[int] = []
    for m in _WORD.finditer(text):
        word_starts.append(m.start())
        word_ends.append(m.end())

    def words_in(spans: Sequence[Span]) -> list[int]:
        ids: list[int] = []
        for s, e in spans:
            lo = bisect.bisect_right(word_ends, s)
            hi = bisect.bisect_left(word_starts, e)
            ids.extend(range(lo, hi))
        return ids

    gold_words = [words_in(g.content) for g in gold]
    pairs: list[tuple[float, float, int, int]] = []
    for gi, words in enumerate(gold_words):
        if not words:
            continue
        for pi, p in enumerate(predicted):
            ps, pe = p.content
            covered = sum(1 for w in words if word_starts[w] < pe and ps < word_ends[w])
            if covered * 2 < len(words):
                continue
            p_words = len(words_in([p.content])) or 1
            # Pairs that overlap best both ways first (Dice of word sets), so that a long
            # prediction covering several relations does not take one from a tight, exact one.
            pairs.append((2 * covered / (len(words) + p_words), covered / len(words), gi, pi))
    pairs.sort(key=lambda x: (-x[0], -x[1], x[2], x[3]))
    tally = Tally(gold=sum(1 for w in gold_words if w), predicted=len(predicted))
    used_g: set[int] = set()
    used_p: set[int] = set()
    matched: list[int] = []
    for _, _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        g, p = gold[gi], predicted[pi]
        tally.matched += 1
        matched.append(pi)
        if g.source:
            tally.speaker_correct += p.claimant is not None and _overlaps(p.claimant, g.source)
        else:
            tally.speaker_correct += p.claimant is None
        if g.cue:
            tally.cue_correct += p.cue is not None and _overlaps(p.cue, g.cue)
        else:
            tally.cue_correct += p.cue is None
    return tally, sorted(matched)


@dataclass
class Report:
    every_row: Tally  # every claim row: assertions and partial quotes included
    every_row_quotes: Tally
    attributions: Tally  # assertions and partial quotes set aside
    attribution_quotes: Tally
    kinds: dict[str, list[int]]  # kind -> [rows, rows matched] in the every-row matching
    by_confidence: dict[float, Tally]  # the every-row figures of rows at or above a confidence
    documents: int
    words: int
    seconds: float
    name: str = "PolNeAR"

    def lines(self) -> list[str]:
        out = [f"{self.name}: {self.documents} documents, {self.words} words"]
        out.append("every claim row (assertions and partial quotes included):")
        out += _figures(self.every_row, self.every_row_quotes)
        rows = sum(n for n, _ in self.kinds.values())
        for kind in KINDS:
            n, m = self.kinds.get(kind, [0, 0])
            out.append(f"  {kind:16s} rows {n:5d} ({n / rows if rows else 0:.0%})  matched {m:5d}  P {m / n if n else 0:.3f}")
        out.append("attributions alone (assertions and partial quotes set aside):")
        out += _figures(self.attributions, self.attribution_quotes)
        out.append("every claim row at or above a confidence:")
        for step, t in sorted(self.by_confidence.items()):
            out.append(f"  >= {step:.1f}  rows {t.predicted:5d}  P {t.precision:.3f}  R {t.recall:.3f}  F1 {t.f1:.3f}")
        rate = self.words / self.seconds if self.seconds else float("inf")
        docs = self.documents / self.seconds if self.seconds else float("inf")
        out.append(f"speed: {rate:,.0f} words/s, {docs:,.0f} documents/s ({self.seconds:.2f} s in extract_claims)")
        return out


def _figures(overall: Tally, quotes: Tally) -> list[str]:
    return [
        f"  {name:14s} gold {t.gold:5d}  predicted {t.predicted:5d}  matched {t.matched:5d}  "
        f"P {t.precision:.3f}  R {t.recall:.3f}  F1 {t.f1:.3f}  "
        f"speaker acc {t.speaker_accuracy:.3f}  cue acc {t.cue_accuracy:.3f}"
        for name, t in (("all relations", overall), ("direct quotes", quotes))
    ]


def is_partial_quote(claim: object, claims: Sequence[object]) -> bool:
    """Whether a direct quote lies inside a reported-speech claim with the same cue span."""
    c = claim
    if c.kind != "direct_quote" or c.cue_start is None:  # type: ignore[attr-defined]
        return False
    return any(
        o.kind == "reported_speech"
        and o.cue_start == c.cue_start
        and o.cue_end == c.cue_end  # type: ignore[attr-defined]
        and o.start <= c.start
        and c.end <= o.end + 1  # type: ignore[attr-defined]
        for o in claims
    )


def predictions_from_claims(
    claims: Sequence[object], with_assertions: bool = True, with_partial_quotes: bool = True
) -> list[Predicted]:
    """What scoring needs of each claim; by default every claim, as the release publishes them."""
    out = []
    for c in claims:
        if c.kind == "assertion" and not with_assertions:  # type: ignore[attr-defined]
            continue
        partial = is_partial_quote(c, claims)
        if partial and not with_partial_quotes:
            continue
        out.append(
            Predicted(
                content=(c.start, c.end),  # type: ignore[attr-defined]
                claimant=(c.claimant_start, c.claimant_end) if c.claimant_start is not None else None,  # type: ignore[attr-defined]
                cue=(c.cue_start, c.cue_end) if c.cue_start is not None else None,  # type: ignore[attr-defined]
                direct_quote=c.kind == "direct_quote",  # type: ignore[attr-defined]
                kind=c.kind,  # type: ignore[attr-defined]
                confidence=c.confidence,  # type: ignore[attr-defined]
                partial=partial,
            )
        )
    return out


def _quotes_only(gold: Sequence[Gold], predicted: Sequence[Predicted]) -> tuple[list[Gold], list[Predicted]]:
    return [g for g in gold if g.direct_quote], [p for p in predicted if p.direct_quote]


def evaluate(split_dir: Path, sample: str = "all", name: str = "PolNeAR") -> Report:
    """Run `extract_claims` over one PolNeAR split folder (or its sample) and score it."""
    from broadsheet.extract.claims import extract_claims

    every, every_q, attrs, attrs_q = Tally(), Tally(), Tally(), Tally()
    kinds: dict[str, list[int]] = {k: [0, 0] for k in KINDS}
    by_confidence = {step: Tally() for step in CONFIDENCE_STEPS}
    documents = words = 0
    seconds = 0.0
    for doc in read_split(split_dir, sample):
        documents += 1
        words += sum(1 for _ in _WORD.finditer(doc.text))
        t0 = time.perf_counter()
        claims = extract_claims(doc.text)
        seconds += time.perf_counter() - t0
        gold = gold_relations(doc.text, doc.relations)
        predicted = predictions_from_claims(claims)
        tally, matched = score_and_match(doc.text, gold, predicted)
        every.add(tally)
        every_q.add(score_document(doc.text, *_quotes_only(gold, predicted)))
        for p in predicted:
            kinds[p.kind][0] += 1
        for k in matched:
            kinds[predicted[k].kind][1] += 1
        attributed = [p for p in predicted if p.kind != "assertion" and not p.partial]
        attrs.add(score_document(doc.text, gold, attributed))
        attrs_q.add(score_document(doc.text, *_quotes_only(gold, attributed)))
        for step, t in by_confidence.items():
            t.add(score_document(doc.text, gold, [p for p in predicted if p.confidence >= step]))
    return Report(every, every_q, attrs, attrs_q, kinds, by_confidence, documents, words, seconds, name)


def agreement(split_dir: Path) -> tuple[Tally, Tally, int]:
    """Annotators scored against each other on the documents several of them annotated: every
    ordered pair, one as gold and the other as prediction (its content, source and cue spans
    taken from first to last fragment). A ceiling for what an extractor can reach on the split."""
    from broadsheet.lab.evaluation.polnear import annotator_files, parse_ann

    overall, quotes = Tally(), Tally()
    documents = 0
    for stem, paths in annotator_files(split_dir).items():
        if len(paths) < 2:
            continue
        documents += 1
        text = (split_dir / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        annotations = [gold_relations(text, parse_ann(p.read_text(encoding="utf-8"))) for p in paths]
        for i, gold in enumerate(annotations):
            for j, other in enumerate(annotations):
                if i == j:
                    continue
                predicted = [
                    Predicted(
                        content=(o.content[0][0], o.content[-1][1]),
                        claimant=(o.source[0][0], o.source[-1][1]) if o.source else None,
                        cue=(o.cue[0][0], o.cue[-1][1]) if o.cue else None,
                        direct_quote=o.direct_quote,
                    )
                    for o in other
                ]
                overall.add(score_document(text, gold, predicted))
                quotes.add(score_document(text, [g for g in gold if g.direct_quote], [p for p in predicted if p.direct_quote]))
    return overall, quotes, documents


# The sets the command measures: name -> (split folder, sample of it).
DEV_SETS = {"dev": ("dev", "all"), "train-sample": ("train", "sample"), "annotator-training": ("annotator-training", "all")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m broadsheet.lab.evaluation.claims", description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=Path("../shared/corpora"), help="the annotated corpora folder")
    parser.add_argument(
        "--split",
        action="append",
        choices=sorted(DEV_SETS),
        help="a dev set to measure (repeatable); default: dev and train-sample",
    )
    parser.add_argument("--agreement", action="store_true", help="score the annotators against each other instead")
    args = parser.parse_args(argv)
    names = args.split or ["dev", "train-sample"]
    for name in names:
        folder, sample = DEV_SETS[name]
        split_dir = args.corpora / "polnear" / "data" / folder
        if not (split_dir / "attributions").is_dir():
            print(f"PolNeAR {folder} split not found under {args.corpora}; nothing to evaluate.", file=sys.stderr)
            continue
        if args.agreement:
            overall, quotes, documents = agreement(split_dir)
            print(f"PolNeAR {name}: annotator agreement on {documents} documents with several annotators")
            for label, t in (("all relations", overall), ("direct quotes", quotes)):
                print(
                    f"{label:14s} P {t.precision:.3f}  R {t.recall:.3f}  F1 {t.f1:.3f}  "
                    f"speaker acc {t.speaker_accuracy:.3f}  cue acc {t.cue_accuracy:.3f}"
                )
            continue
        report = evaluate(split_dir, sample, name=f"PolNeAR {name}")
        print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
