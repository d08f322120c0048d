"""Training and cross-validating the boilerplate classifier (`broadsheet/clean/boilerplate_model.json`).

Data: the Fundus dev pages (`fundus-dev/`, see :mod:`broadsheet.lab.evaluation.fundus`), each
rendered to text twice, as the pipeline would read it: by the HTML reader (trafilatura's main
text), and as trafilatura's Markdown read as a scraped `.md`
file. Every rule of `rules.yaml` but the model runs first; the paragraphs left are the examples.
A paragraph is labelled content when most of it is in the page's gold body: at least half of its
word trigrams (case-folded `\\w+` tokens) occur in the gold body, or, under three words, its words
occur there as one run.

Model: gradient-boosted regression trees of depth two (numpy: Newton leaf scores, split points at
feature quantiles) over the features of :mod:`broadsheet.clean.boilerplate`, each example
weighted by its number of words, since the figure that matters is the body's token F1. Measured
the same way, a logistic regression over the same features cut twice as many content paragraphs
for a like F1. The probability above which a paragraph is cut is the lowest at which 95 % of
the paragraphs cut from the training pages are debris (the cut-off with the best body F1 cut a
point more of the gold paragraphs for no better F1).

Measure: cross-validation by publisher. Publishers are split into folds; a fold's pages are
scored by a model trained on the other folds' publishers only, and the body token F1 of each page
(the paragraphs kept against the gold body) is averaged over English, non-English and all pages,
beside the rules alone (every paragraph kept) and plain trafilatura. Run:
`broadsheet train-boilerplate --corpora ../shared/corpora` (add `--no-write` to only measure).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from broadsheet.clean.boilerplate import Paragraph
from broadsheet.lab.evaluation.documents import DEFAULT_CORPORA, FUNDUS_SUBDIR, paragraphs_kept, render_markdown, token_scores
from broadsheet.lab.evaluation.fundus import GoldPage, read_pages

MODEL_FILE = "boilerplate_model.json"
FORMATS = ("html", "md")
GROUPS = ("english", "non-english", "all")
_FOLDS = 5
_ROUNDS = 150
_DEPTH = 2
_RATE = 0.1
_BINS = 16
_LEAF_L2 = 1.0
_MIN_LEAF = 20
# A paragraph ending like a sentence with this many words is never cut (see clean.boilerplate.decide).
_KEEP_WORDS = 8
_TOKEN = re.compile(r"\w+")
# Of the paragraphs the model cuts from its training pages, the share that must be debris.
_CUT_PRECISION = 0.95
_THRESHOLDS = tuple(round(0.30 + 0.025 * k, 3) for k in range(25))  # 0.30 .. 0.90


@dataclass
class PageData:
    """One page in one rendering: its paragraphs' features, labels and words, and the gold body."""

    page_id: str
    publisher: str
    english: bool
    source_format: str
    paragraphs: list[Paragraph]
    labels: list[int]  # 1: debris, 0: content
    gold: str
    gold_paragraphs: tuple[str, ...]
    trafilatura: str
    rows: list[list[float]] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [p.text for p in self.paragraphs]


def featurize(data: Sequence[PageData]) -> None:
    """Each page's feature rows, as the packaged rules' model rule computes them."""
    from broadsheet.clean.boilerplate import feature_rows
    from broadsheet.clean.rules import load_rules

    rule = next(iter(load_rules().of_kind("model", "html")), None)
    cues = rule.cues if rule else None
    related = rule.related if rule else None
    for d in data:
        d.rows = feature_rows(d.paragraphs, cues, related)


def gold_index(gold: str) -> tuple[set[tuple[str, str, str]], str]:
    words = _TOKEN.findall(gold.casefold())
    return set(zip(words, words[1:], words[2:], strict=False)), " " + " ".join(words) + " "


def is_content(text: str, trigrams: set[tuple[str, str, str]], joined: str) -> bool:
    """Whether a paragraph is part of the gold body (see the module docstring)."""
    words = _TOKEN.findall(text.casefold())
    if not words:
        return False
    if len(words) < 3:
        return f" {' '.join(words)} " in joined
    grams = list(zip(words, words[1:], words[2:], strict=False))
    return sum(g in trigrams for g in grams) >= 0.5 * len(grams)


def page_data(page: GoldPage) -> list[PageData]:
    """Both renderings of one page as examples; a rendering the pipeline would reject is left out."""
    import trafilatura

    from broadsheet.clean.cleaner import model_paragraphs
    from broadsheet.clean.rules import load_rules
    from broadsheet.ingest.readers import read_source
    from broadsheet.ingest.records import SourceRecord

    rules = load_rules()
    html = page.html()
    baseline = trafilatura.bare_extraction(html, with_metadata=True)
    baseline_text = (baseline.text or "") if baseline is not None else ""
    trigrams, joined = gold_index(page.body)
    out = []
    for fmt in FORMATS:
        title = None  # a Markdown rendering carries its title as its first heading
        if fmt == "html":
            items = [r for r in read_source("html", html, f"{page.page_id}.html") if isinstance(r, SourceRecord)]
            if not items:
                continue
            text, title = items[0].text, items[0].title
        else:
            text = render_markdown(html) or ""
            if not text.strip():
                continue
        paragraphs = model_paragraphs(text, fmt, rules, title)
        out.append(
            PageData(
                page_id=page.page_id,
                publisher=page.publisher,
                english=page.english,
                source_format=fmt,
                paragraphs=paragraphs,
                labels=[0 if is_content(p.text, trigrams, joined) else 1 for p in paragraphs],
                gold=page.body,
                gold_paragraphs=page.body_paragraphs,
                trafilatura=baseline_text,
            )
        )
    return out


def collect(folder: Path, jobs: int = 1) -> list[PageData]:
    pages = [p for p in read_pages(folder) if p.body.strip()]
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            found = list(pool.map(_safe_page_data, pages, chunksize=4))
    else:
        found = [_safe_page_data(p) for p in pages]
    data = [d for ds in found for d in ds]
    featurize(data)
    return data


def _safe_page_data(page: GoldPage) -> list[PageData]:
    try:
        return page_data(page)
    except Exception as exc:  # an unreadable page is left out of training, and said so
        print(f"{page.page_id}: left out ({type(exc).__name__}: {exc})", file=sys.stderr)
        return []


# --- the model ------------------------------------------------------------------------------


@dataclass
class Fitted:
    """Boosted trees as training holds them (see `broadsheet.clean.boilerplate.Model`)."""

    base: float
    rate: float
    trees: list[Any]
    threshold: float = 0.5

    def probabilities(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        x = np.asarray(rows, dtype=float)
        z = np.full(len(x), self.base)
        for tree in self.trees:
            z += self.rate * _predict(tree, x)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _predict(tree: Any, x: np.ndarray) -> np.ndarray:
    if not isinstance(tree, list):
        return np.full(len(x), float(tree))
    out = np.empty(len(x))
    left = x[:, tree[0]] <= tree[1]
    out[left] = _predict(tree[2], x[left])
    out[~left] = _predict(tree[3], x[~left])
    return out


def _grow(x: np.ndarray, g: np.ndarray, h: np.ndarray, mask: np.ndarray, depth: int, cuts: list[np.ndarray]) -> Any:
    """One regression tree on the loss's gradients (Newton leaves, L2 on the leaf scores)."""
    total_g, total_h = g[mask].sum(), h[mask].sum()
    leaf = float(-total_g / (total_h + _LEAF_L2))
    if depth == 0 or mask.sum() < _MIN_LEAF:
        return leaf
    best: tuple[float, int, float] | None = None
    parent = total_g * total_g / (total_h + _LEAF_L2)
    for j, thresholds in enumerate(cuts):
        xj, gj, hj = x[mask, j], g[mask], h[mask]
        for c in thresholds:
            left = xj <= c
            gl, hl = gj[left].sum(), hj[left].sum()
            gr, hr = total_g - gl, total_h - hl
            if hl < 1 or hr < 1:
                continue
            gain = gl * gl / (hl + _LEAF_L2) + gr * gr / (hr + _LEAF_L2) - parent
            if best is None or gain > best[0]:
                best = (gain, j, float(c))
    if best is None or best[0] <= 1e-6:
        return leaf
    _, j, c = best
    below = mask & (x[:, j] <= c)
    above = mask & (x[:, j] > c)
    return [j, c, _grow(x, g, h, below, depth - 1, cuts), _grow(x, g, h, above, depth - 1, cuts)]


def fit(data: Sequence[PageData], rounds: int = _ROUNDS, depth: int = _DEPTH, rate: float = _RATE) -> Fitted:
    """Gradient boosting of the logistic loss, each paragraph weighted by its words."""
    x = np.asarray([r for d in data for r in d.rows], dtype=float)
    y = np.asarray([lab for d in data for lab in d.labels], dtype=float)
    w = np.asarray([max(1, len(_TOKEN.findall(t))) for d in data for t in d.texts], dtype=float)
    w = w / w.mean()
    # Split points: quantiles of each feature, so a tree never splits on one page's odd value.
    cuts = [np.unique(np.quantile(x[:, j], np.linspace(0, 1, _BINS + 1)[1:-1])) for j in range(x.shape[1])]
    base = float(np.log((w * y).sum() / (w * (1 - y)).sum()))
    z = np.full(len(y), base)
    trees = []
    everything = np.ones(len(y), dtype=bool)
    for _ in range(rounds):
        p = 1.0 / (1.0 + np.exp(-z))
        tree = _grow(x, w * (p - y), w * p * (1 - p), everything, depth, cuts)
        z += rate * _predict(tree, x)
        trees.append(tree)
    return Fitted(base, rate, trees)


def kept_text(d: PageData, debris: Sequence[bool]) -> str:
    return "\n\n".join(t for t, cut in zip(d.texts, debris, strict=True) if not cut)


def _guarded(d: PageData, probs: np.ndarray, threshold: float, keep_words: int) -> list[bool]:
    """The pipeline's own decision (`broadsheet.clean.boilerplate.decide`) on these probabilities."""
    from broadsheet.clean.boilerplate import decide

    return decide(d.paragraphs, [float(p) for p in probs], threshold, keep_words)


def page_f1(d: PageData, debris: Sequence[bool]) -> float:
    return token_scores(d.gold, kept_text(d, debris))[2]


def choose_threshold(model: Fitted, data: Sequence[PageData], keep_words: int) -> float:
    """The lowest cut-off at which the paragraphs cut from `data` are debris `_CUT_PRECISION` of the time.

    Not the cut-off with the best body F1: that one costs whole paragraphs of articles for a
    gain of a few words, and the clean stage keeps every sentence of an article it can.
    """
    probs = [model.probabilities(d.rows) for d in data]
    for t in _THRESHOLDS:
        cut = right = 0
        for d, p in zip(data, probs, strict=True):
            for debris, label in zip(_guarded(d, p, t, keep_words), d.labels, strict=True):
                cut += debris
                right += debris and label
        if cut and right / cut >= _CUT_PRECISION:
            return t
    return _THRESHOLDS[-1]


def train(data: Sequence[PageData], keep_words: int = _KEEP_WORDS) -> Fitted:
    model = fit(data)
    model.threshold = choose_threshold(model, data, keep_words)
    return model


def fold_of(publisher: str, folds: int = _FOLDS) -> int:
    return int(hashlib.sha256(publisher.encode("utf-8")).hexdigest(), 16) % folds


def cross_validate(data: Sequence[PageData], folds: int = _FOLDS, keep_words: int = _KEEP_WORDS) -> dict:
    """Held-out figures: each fold of publishers scored by a model trained without them."""
    results: list[dict[str, Any]] = []
    for k in range(folds):
        train_set = [d for d in data if fold_of(d.publisher, folds) != k]
        test_set = [d for d in data if fold_of(d.publisher, folds) == k]
        if not test_set:
            continue
        model = train(train_set, keep_words)
        for d in test_set:
            debris = _guarded(d, model.probabilities(d.rows), model.threshold, keep_words)
            results.append(_page_result(d, debris, k, model.threshold))
    return summarize(results)


def _page_result(d: PageData, debris: Sequence[bool], fold: int, threshold: float) -> dict[str, Any]:
    return {
        "page": d.page_id,
        "publisher": d.publisher,
        "english": d.english,
        "format": d.source_format,
        "fold": fold,
        "threshold": threshold,
        "rules": token_scores(d.gold, kept_text(d, [False] * len(d.texts))),
        "model": token_scores(d.gold, kept_text(d, debris)),
        "trafilatura": token_scores(d.gold, d.trafilatura),
        "rules_kept_whole": paragraphs_kept(d.gold_paragraphs, kept_text(d, [False] * len(d.texts))),
        "model_kept_whole": paragraphs_kept(d.gold_paragraphs, kept_text(d, debris)),
        "cut": sum(debris),
        "cut_content": sum(1 for cut, lab in zip(debris, d.labels, strict=True) if cut and not lab),
    }


def summarize(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for fmt in FORMATS:
        for group in GROUPS:
            chosen = [r for r in results if r["format"] == fmt and (group == "all" or r["english"] == (group == "english"))]
            if not chosen:
                continue
            cell: dict[str, Any] = {"pages": len(chosen)}
            for system in ("rules", "model", "trafilatura"):
                for i, name in enumerate(("precision", "recall", "f1")):
                    cell[f"{system}_{name}"] = sum(r[system][i] for r in chosen) / len(chosen)
            for system in ("rules", "model"):
                kept = [r[f"{system}_kept_whole"] for r in chosen if r[f"{system}_kept_whole"] is not None]
                cell[f"{system}_kept_whole"] = sum(kept) / len(kept) if kept else None
            cell["worse_pages"] = sum(1 for r in chosen if r["model"][2] < r["rules"][2] - 1e-9)
            cell["better_pages"] = sum(1 for r in chosen if r["model"][2] > r["rules"][2] + 1e-9)
            cell["paragraphs_cut"] = sum(r["cut"] for r in chosen)
            cell["content_paragraphs_cut"] = sum(r["cut_content"] for r in chosen)
            table[f"{fmt}/{group}"] = cell
    return {"table": table, "pages": list(results)}


def format_table(summary: dict[str, Any]) -> str:
    lines = ["body token P / R / F1 per page, averaged; model = held-out publishers (cross-validated)"]
    lines.append(
        f"{'':22}{'rules alone':>24}{'rules + model':>24}{'trafilatura':>24}  pages  better/worse  cut (content)"
        "  kept whole: rules, model"
    )
    for key, c in summary["table"].items():
        cells = "".join(
            f"{c[f'{s}_precision']:.3f} {c[f'{s}_recall']:.3f} {c[f'{s}_f1']:.3f}".rjust(24)
            for s in ("rules", "model", "trafilatura")
        )
        lines.append(
            f"{key:22}{cells}  {c['pages']:5d}  {c['better_pages']:>5}/{c['worse_pages']:<5}  "
            f"{c['paragraphs_cut']} ({c['content_paragraphs_cut']})  {c['rules_kept_whole']:.3f} {c['model_kept_whole']:.3f}"
        )
    return "\n".join(lines)


def model_json(model: Fitted, keep_words: int, cv: dict[str, Any], n_pages: int, n_examples: int) -> dict[str, Any]:
    from broadsheet.clean.boilerplate import FEATURES

    return {
        "features": list(FEATURES),
        "base": round(model.base, 6),
        "rate": model.rate,
        "trees": [_rounded(t) for t in model.trees],
        "threshold": model.threshold,
        "keep_words": keep_words,
        "training": {
            "corpus": "Fundus dev pages (fundus-dev), HTML reader and Markdown renderings",
            "page_renderings": n_pages,
            "paragraphs": n_examples,
            "rounds": _ROUNDS,
            "depth": _DEPTH,
        },
        "cross_validation": {
            "folds": _FOLDS,
            "by": "publisher",
            "body_token_f1": {
                key: {s: round(c[f"{s}_f1"], 4) for s in ("rules", "model", "trafilatura")} | {"pages": c["pages"]}
                for key, c in cv["table"].items()
            },
        },
    }


def _rounded(tree: Any) -> Any:
    if not isinstance(tree, list):
        return round(float(tree), 6)
    return [int(tree[0]), round(float(tree[1]), 6), _rounded(tree[2]), _rounded(tree[3])]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="broadsheet train-boilerplate", description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="folder holding fundus-dev/")
    parser.add_argument("--jobs", type=int, default=1, metavar="N", help="pages rendered in N processes")
    parser.add_argument("--no-write", action="store_true", help="cross-validate only; leave the shipped model alone")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the per-page held-out figures")
    args = parser.parse_args(argv)
    folder = args.corpora / FUNDUS_SUBDIR
    if not folder.is_dir():
        print(f"no document corpus: {folder} not found; pass --corpora", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    data = collect(folder, max(1, args.jobs))
    if not data:
        print(f"no pages under {folder}", file=sys.stderr)
        return 2
    cv = cross_validate(data)
    print(format_table(cv))
    n_examples = sum(len(d.rows) for d in data)
    debris = sum(sum(d.labels) for d in data)
    print(f"\n{len(data)} page renderings, {n_examples} paragraphs ({debris} debris) in {time.perf_counter() - t0:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(cv, indent=1), encoding="utf-8")
    if not args.no_write:
        from broadsheet.clean.rules import DEFAULT_RULES_PATH

        model = train(data)
        path = DEFAULT_RULES_PATH.parent / MODEL_FILE
        doc = model_json(model, _KEEP_WORDS, cv, len(data), n_examples)
        path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        print(f"model written to {path.name} ({len(model.trees)} trees, threshold {model.threshold})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
