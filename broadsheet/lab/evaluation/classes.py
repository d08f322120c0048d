"""Per-class precision, recall and F1 of a labelling task (gold label against predicted label),
shared by the evaluations over hand-labelled sets (claim modality, cross-article claim pairs)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass
class ClassScores:
    gold: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> ClassScores:
        scores = cls()
        for gold, pred in pairs:
            scores.add(gold, pred)
        return scores

    def add(self, gold: str, pred: str) -> None:
        self.gold[gold] += 1
        self.predicted[pred] += 1
        self.correct[gold] += gold == pred
        self.confusion[(gold, pred)] += 1

    def prf(self, label: str) -> tuple[float, float, float]:
        c, p, g = self.correct[label], self.predicted[label], self.gold[label]
        precision = c / p if p else 0.0
        recall = c / g if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    @property
    def accuracy(self) -> float:
        n = sum(self.gold.values())
        return sum(self.correct.values()) / n if n else 0.0

    def lines(self, labels: Sequence[str]) -> list[str]:
        """One line per label: gold and predicted counts, P, R and F1."""
        out = []
        for label in labels:
            p, r, f = self.prf(label)
            out.append(
                f"  {label:12s} gold {self.gold[label]:4d}  predicted {self.predicted[label]:4d}  P {p:.3f}  R {r:.3f}  F1 {f:.3f}"
            )
        return out
