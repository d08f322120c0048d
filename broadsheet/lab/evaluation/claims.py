"""Scores the claims extractor against PolNeAR attribution relations, and prints them with its speed.

    python -m broadsheet.lab.evaluation.claims --corpora ../shared/corpora [--split dev] [--agreement]

Matching: a predicted claim matches a gold relation when its content span covers at least half of
the gold content's word tokens; each gold relation and each prediction is matched at most once,
greedily, the pairs whose word sets overlap best (Dice coefficient) first. Over the matched pairs:

- speaker accuracy: the predicted claimant span overlaps the gold Source span, or the gold relation
  has no source and the prediction has no claimant;
- cue accuracy: the predicted cue span overlaps the gold Cue span (both absent also counts).

The direct-quote subset repeats all figures with only the gold relations whose content is enclosed
in quotation marks and only the predictions of kind ``direct_quote``.

PolNeAR annotates attribution only, so authorial assertions are left out of the predictions
(``--with-assertions`` keeps them, to show what they would cost). A partial quote (a direct quote
inside a reported-speech claim that has the same cue: the Pentagon said he "approved the attacks")
restates that claim's attribution, where PolNeAR has one relation; such quotes are set aside
rather than scored as extra relations, and the report says how many (``--strict`` scores them). Where a document has several
annotators, the first annotator file in sorted order is the gold standard (see
`broadsheet.lab.evaluation.polnear.read_split`). Speed is words (``\\w+`` runs) per second of
`extract_claims` alone, over the split's texts.
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
    for _, _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        g, p = gold[gi], predicted[pi]
        tally.matched += 1
        if g.source:
            tally.speaker_correct += p.claimant is not None and _overlaps(p.claimant, g.source)
        else:
            tally.speaker_correct += p.claimant is None
        if g.cue:
            tally.cue_correct += p.cue is not None and _overlaps(p.cue, g.cue)
        else:
            tally.cue_correct += p.cue is None
    return tally


@dataclass
class Report:
    overall: Tally
    direct_quotes: Tally
    documents: int
    words: int
    seconds: float
    partial_quotes: int = 0
    strict: bool = False

    def lines(self) -> list[str]:
        out = [f"PolNeAR: {self.documents} documents, {self.words} words"]
        if self.strict:
            out.append("partial quotes scored as separate predictions (--strict)")
        else:
            out.append(f"partial quotes set aside (inside a reported claim with the same cue): {self.partial_quotes}")
        for name, t in (("all relations", self.overall), ("direct quotes", self.direct_quotes)):
            out.append(
                f"{name:14s} gold {t.gold:5d}  predicted {t.predicted:5d}  matched {t.matched:5d}  "
                f"P {t.precision:.3f}  R {t.recall:.3f}  F1 {t.f1:.3f}  "
                f"speaker acc {t.speaker_accuracy:.3f}  cue acc {t.cue_accuracy:.3f}"
            )
        rate = self.words / self.seconds if self.seconds else float("inf")
        out.append(f"speed: {rate:,.0f} words/s ({self.seconds:.2f} s in extract_claims)")
        return out


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
    claims: Sequence[object], with_assertions: bool = False, with_partial_quotes: bool = True
) -> list[Predicted]:
    out = []
    for c in claims:
        if c.kind == "assertion" and not with_assertions:  # type: ignore[attr-defined]
            continue
        if not with_partial_quotes and is_partial_quote(c, claims):
            continue
        out.append(
            Predicted(
                content=(c.start, c.end),  # type: ignore[attr-defined]
                claimant=(c.claimant_start, c.claimant_end) if c.claimant_start is not None else None,  # type: ignore[attr-defined]
                cue=(c.cue_start, c.cue_end) if c.cue_start is not None else None,  # type: ignore[attr-defined]
                direct_quote=c.kind == "direct_quote",  # type: ignore[attr-defined]
            )
        )
    return out


def evaluate(split_dir: Path, with_assertions: bool = False, strict: bool = False) -> Report:
    """Run `extract_claims` over one PolNeAR split folder and score it."""
    from broadsheet.extract.claims import extract_claims

    overall, quotes = Tally(), Tally()
    documents = words = partial = 0
    seconds = 0.0
    for doc in read_split(split_dir):
        documents += 1
        words += sum(1 for _ in _WORD.finditer(doc.text))
        t0 = time.perf_counter()
        claims = extract_claims(doc.text)
        seconds += time.perf_counter() - t0
        predicted = predictions_from_claims(claims, with_assertions, with_partial_quotes=strict)
        if not strict:
            partial += sum(1 for c in claims if is_partial_quote(c, claims))
        gold = gold_relations(doc.text, doc.relations)
        overall.add(score_document(doc.text, gold, predicted))
        quotes.add(score_document(doc.text, [g for g in gold if g.direct_quote], [p for p in predicted if p.direct_quote]))
    return Report(overall, quotes, documents, words, seconds, partial, strict)


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m broadsheet.lab.evaluation.claims", description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=Path("../shared/corpora"), help="the annotated corpora folder")
    parser.add_argument("--split", default="dev", choices=["dev", "train", "annotator-training"])
    parser.add_argument("--with-assertions", action="store_true", help="count authorial assertions as predictions too")
    parser.add_argument("--strict", action="store_true", help="score partial quotes as separate predictions")
    parser.add_argument("--agreement", action="store_true", help="score the annotators against each other instead")
    args = parser.parse_args(argv)
    split_dir = args.corpora / "polnear" / "data" / args.split
    if not (split_dir / "attributions").is_dir():
        print(f"PolNeAR {args.split} split not found under {args.corpora}; nothing to evaluate.", file=sys.stderr)
        return 0
    if args.agreement:
        overall, quotes, documents = agreement(split_dir)
        print(f"PolNeAR {args.split}: annotator agreement on {documents} documents with several annotators")
        for name, t in (("all relations", overall), ("direct quotes", quotes)):
            print(
                f"{name:14s} P {t.precision:.3f}  R {t.recall:.3f}  F1 {t.f1:.3f}  "
                f"speaker acc {t.speaker_accuracy:.3f}  cue acc {t.cue_accuracy:.3f}"
            )
        return 0
    report = evaluate(split_dir, with_assertions=args.with_assertions, strict=args.strict)
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
