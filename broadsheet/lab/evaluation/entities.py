"""Score the entity recognizer on the dev sets: ``python -m broadsheet.lab.evaluation.entities``.

    python -m broadsheet.lab.evaluation.entities --corpora ../shared/corpora [--model PATH]

Prints per-type and micro precision, recall and F1 (exact character span and type) on CoNLL-2003
``eng.testa``, UNER EWT dev, the GUM news documents, the wikigold documents held out of training
and re3d (see :mod:`broadsheet.lab.evaluation.entity_sets`), the mean micro F1 over those five,
and the recognizer's words per second on one core. Choices about the recognizer are judged on
that mean and on every set's own figure, never on one file. Scoring goes through the public recognizer API on each sentence's text, so the
tokenizer is scored too, not just the tagger on gold tokens.

Each dev set is scored in its own type system, reached from ours by :data:`VIEWS`:

* CoNLL-2003: PER, ORG, LOC (our GPE and LOC), MISC (our NORP, EVENT, MISC).
* UNER EWT: PER, ORG, LOC. UNER leaves other names unannotated, so predictions of our NORP,
  EVENT and MISC types are not scored there (they are neither right nor wrong).
* wikigold (held out): as CoNLL-2003.
* re3d: PER, ORG, LOC, as UNER (re3d's other types are not ours); ``re3d-news`` is its BBC
  news part, printed on its own and not counted twice in the mean.
* GUM news: PER, ORG, LOC, EVENT. GUM annotates entities by mention; names are read from its
  proper-noun mentions (see :mod:`broadsheet.lab.ner.corpora`), GUM's "organization" countries
  are GPE as in our scheme, and its MISC-like types are too uneven to score.

Predictions that overlap a span the corpus leaves unspecified (``missing``) and match no gold
name are ignored rather than counted as false positives.
"""

from __future__ import annotations

import os

# One thread, so that the words-per-second figure is a one-core figure. Set before numpy or thinc
# are imported (hence the imports below this loop).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from broadsheet.entities.labels import CONLL_OF, LABELS
from broadsheet.lab.evaluation import print_results
from broadsheet.lab.evaluation.entity_sets import EXTRA_DEV_SETS
from broadsheet.lab.ner.annotated import AnnotatedSentence
from broadsheet.lab.ner.corpora import DEV_SETS, documents, load_sets

HELDOUT = "heldout-train"

#: Every dev set this command knows: the training command's and the further ones.
ALL_DEV_SETS = {**DEV_SETS, **EXTRA_DEV_SETS}
#: The dev sets whose micro F1 is averaged (a subset of another is left out: no double count).
MEAN_OVER = ("conll2003-testa", "uner-ewt-dev", "gum-news", "wikigold-heldout", "re3d")

#: Our label → the type a dev set is scored in (absent: not scored on that set).
VIEWS: dict[str, dict[str, str]] = {
    "conll2003-testa": dict(CONLL_OF),
    "uner-ewt-dev": {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"},
    "gum-news": {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "EVENT": "EVENT"},
    "wikigold-heldout": dict(CONLL_OF),
    "re3d": {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"},
    "re3d-news": {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"},
    # The documents the training command holds out of its training sources: scored in our own
    # labels. Not a dev set (its NORP/EVENT/GPE/LOC come partly from word lists); it is what
    # choices about the recognizer are checked on, so the dev sets stay unseen.
    HELDOUT: {label: label for label in LABELS},
}

CharSpan = tuple[int, int, str]


@dataclass(frozen=True)
class PRF:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class SetScores:
    per_type: dict[str, PRF]
    micro: PRF
    ignored: int = 0
    sentences: int = 0
    words: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "micro": self.micro.as_dict(),
            "per_type": {k: v.as_dict() for k, v in sorted(self.per_type.items())},
            "ignored_predictions": self.ignored,
            "sentences": self.sentences,
            "words": self.words,
            **self.extra,
        }


def char_offsets(sentence: AnnotatedSentence) -> list[tuple[int, int]]:
    """Character (start, end) of each word in ``sentence.text``."""
    offsets: list[tuple[int, int]] = []
    pos = 0
    for word, space in zip(sentence.words, sentence.spaces, strict=True):
        offsets.append((pos, pos + len(word)))
        pos += len(word) + (1 if space else 0)
    return offsets


def gold_char_spans(sentence: AnnotatedSentence) -> tuple[list[CharSpan], list[tuple[int, int]]]:
    """Gold names and unspecified regions of a sentence as character spans of its text."""
    offsets = char_offsets(sentence)
    gold = [(offsets[s.start][0], offsets[s.end - 1][1], s.label) for s in sentence.spans]
    missing = [(offsets[a][0], offsets[b - 1][1]) for a, b in sentence.missing]
    return gold, missing


def score_spans(
    gold: Sequence[Sequence[CharSpan]],
    predicted: Sequence[Sequence[CharSpan]],
    view: Mapping[str, str],
    missing: Sequence[Sequence[tuple[int, int]]] | None = None,
) -> SetScores:
    """Exact-match scores per type and micro-averaged, after mapping both sides through ``view``.

    A span whose label the view does not list is dropped on both sides. A prediction that matches
    no gold span and overlaps a ``missing`` region is ignored.
    """
    counts: dict[str, Counter[str]] = {}
    ignored = 0
    missing = missing or [[] for _ in gold]
    for gold_spans, pred_spans, holes in zip(gold, predicted, missing, strict=True):
        g = {(s, e, view[label]) for s, e, label in gold_spans if label in view}
        p = {(s, e, view[label]) for s, e, label in pred_spans if label in view}
        for span in p:
            c = counts.setdefault(span[2], Counter())
            if span in g:
                c["tp"] += 1
            elif any(span[0] < b and a < span[1] for a, b in holes):
                ignored += 1
            else:
                c["fp"] += 1
        for span in g - p:
            counts.setdefault(span[2], Counter())["fn"] += 1
    per_type = {k: PRF(c["tp"], c["fp"], c["fn"]) for k, c in counts.items()}
    micro = PRF(
        sum(x.tp for x in per_type.values()),
        sum(x.fp for x in per_type.values()),
        sum(x.fn for x in per_type.values()),
    )
    return SetScores(per_type=per_type, micro=micro, ignored=ignored)


def evaluate_set(
    recognizer: Any, sentences: Sequence[AnnotatedSentence], view: Mapping[str, str], vetting: bool = True
) -> SetScores:
    """Run the recognizer on each document's text and score it against the gold names.

    Documents, not sentences, because the pipeline gives the recognizer whole articles; each
    sentence of a document is on its own line, as in the corpus files. With ``vetting`` the
    mentions are vetted per document as the pipeline's entity tables are
    (:mod:`broadsheet.entities.vetting`: role words dropped, contradicted types re-typed), so
    the figure is that of the mentions a release holds.
    """
    docs = documents(sentences, separator="\n")
    texts = [d.text for d in docs]
    found = recognizer.find_many(texts)
    if vetting:
        from broadsheet.entities.vetting import vet

        found = [vet(mentions, text)[0] for mentions, text in zip(found, texts, strict=True)]
    gold: list[list[CharSpan]] = []
    holes: list[list[tuple[int, int]]] = []
    for doc in docs:
        g, m = gold_char_spans(doc)
        gold.append(g)
        holes.append(m)
    predicted = [[(m.start, m.end, m.label) for m in mentions] for mentions in found]
    scores = score_spans(gold, predicted, view, holes)
    untyped_view = {label: "NAME" for label in view}
    scores.extra["untyped_micro"] = score_spans(gold, predicted, untyped_view, holes).micro.as_dict()
    scores.sentences = len(sentences)
    scores.words = sum(len(s.words) for s in sentences)
    return scores


def cpu_name() -> str:
    """The processor's model name and widest vector instructions, so that a speed figure says
    what it was measured on (the same code has measured two to three times as fast on one
    machine as on another)."""
    name, flags = "", set()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and not name:
                name = value.strip()
            elif key.strip() == "flags" and not flags:
                flags = set(value.split())
    except OSError:
        pass
    if not name:
        import platform

        name = platform.processor() or platform.machine() or "unknown CPU"
    vector = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else ""
    return f"{name} ({vector})" if vector else name


def words_per_second(recognizer: Any, texts: Sequence[str], repeats: int = 3) -> dict[str, float]:
    """Whitespace-separated words per second of ``find_many`` over the texts, best of ``repeats``.

    Run with the thread variables set to one (this module sets them on import), so the figure is
    one core's.
    """
    words = sum(len(t.split()) for t in texts)
    recognizer.find_many(texts[: min(len(texts), 20)])  # warm-up: lazy allocations, caches
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        recognizer.find_many(texts)
        best = min(best, time.perf_counter() - t0)
    return {"words": words, "seconds": round(best, 3), "words_per_second": round(words / best, 1), "cpu": cpu_name()}


def mean_micro_f1(results: Mapping[str, Any]) -> dict[str, Any]:
    """The mean micro F1 over the :data:`MEAN_OVER` sets that were scored, and which they were."""
    scored = [name for name in MEAN_OVER if name in results["sets"]]
    f1s = [results["sets"][name]["micro"]["f1"] for name in scored]
    return {"sets": scored, "f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0}


def recased(sentences: Sequence[AnnotatedSentence], case: str) -> list[AnnotatedSentence]:
    """Every sentence written in ``case`` (``upper``, ``lower``, ``title``), its names where they were:
    how the recognizer reads an all-caps or Title Case headline, or lower-cased text."""
    from broadsheet.lab.ner.augment import recase

    return [replace(s, words=tuple(recase(list(s.words), case))) for s in sentences]


def evaluate(
    corpora: Path,
    recognizer: Any,
    sets: Sequence[str] = tuple(ALL_DEV_SETS),
    speed: bool = True,
    vetting: bool = True,
    case: str | None = None,
) -> dict[str, Any]:
    """Scores on each named dev set, their mean, and the speed on CoNLL-2003 ``eng.testa`` documents;
    with ``case``, on the sets with every sentence recased (see :func:`recased`)."""
    loaded = load_sets(corpora, [s for s in sets if s != HELDOUT], ALL_DEV_SETS)
    if HELDOUT in sets:
        from broadsheet.lab.ner.settings import DEFAULT_SOURCES, TrainSettings, split_sources

        loaded[HELDOUT] = split_sources(corpora, DEFAULT_SOURCES, TrainSettings.validation_every)[1]
    if case is not None:
        loaded = {name: recased(sentences, case) for name, sentences in loaded.items()}
    results: dict[str, Any] = {"model": getattr(recognizer, "version", "unknown"), "vetting": vetting, "sets": {}}
    if case is not None:
        results["case"] = case
    for name in sets:
        results["sets"][name] = evaluate_set(recognizer, loaded[name], VIEWS[name], vetting).as_dict()
    results["mean_micro_f1"] = mean_micro_f1(results)
    if speed:
        speed_set = loaded.get("conll2003-testa") or next(iter(loaded.values()))
        results["speed"] = {
            "texts": "CoNLL-2003 eng.testa documents",
            **words_per_second(recognizer, [d.text for d in documents(speed_set, separator="\n")]),
        }
    return results


def format_report(results: Mapping[str, Any]) -> str:
    vetted = ", mentions vetted as in the pipeline" if results.get("vetting") else ""
    recased_note = f"; every sentence written in {results['case']} case" if results.get("case") else ""
    lines = [f"model: {results['model']}{vetted}{recased_note}"]
    for name, scores in results["sets"].items():
        lines.append("")
        lines.append(
            f"{name}  ({scores['sentences']} sentences, {scores['words']} words; {scores['ignored_predictions']} predictions on unannotated spans ignored)"
        )
        lines.append(f"  {'type':<8}{'P':>8}{'R':>8}{'F1':>8}{'gold':>8}")
        for label, prf in scores["per_type"].items():
            lines.append(f"  {label:<8}{prf['precision']:>8.4f}{prf['recall']:>8.4f}{prf['f1']:>8.4f}{prf['tp'] + prf['fn']:>8}")
        m = scores["micro"]
        lines.append(f"  {'micro':<8}{m['precision']:>8.4f}{m['recall']:>8.4f}{m['f1']:>8.4f}{m['tp'] + m['fn']:>8}")
        u = scores["untyped_micro"]
        lines.append(f"  {'(spans)':<8}{u['precision']:>8.4f}{u['recall']:>8.4f}{u['f1']:>8.4f}")
    mean = results.get("mean_micro_f1")
    if mean and mean["sets"]:
        lines.append("")
        lines.append(f"mean micro F1 over {len(mean['sets'])} dev sets ({', '.join(mean['sets'])}): {mean['f1']:.4f}")
    if "speed" in results:
        s = results["speed"]
        lines.append("")
        lines.append(
            f"speed: {s['words_per_second']:,.0f} words/s on one core ({s['words']} words of {s['texts']} in {s['seconds']} s; {s.get('cpu', 'unknown CPU')})"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m broadsheet.lab.evaluation.entities", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, required=True, help="the annotated corpora folder (../shared/corpora)")
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: the shipped model)")
    parser.add_argument("--sets", default=",".join(ALL_DEV_SETS), help=f"comma-separated dev sets (or {HELDOUT})")
    parser.add_argument("--no-speed", action="store_true", help="skip the words-per-second measurement")
    parser.add_argument("--no-consistency", action="store_true", help="score the tagger without the one-reading-per-text step")

    parser.add_argument(
        "--no-vetting", action="store_true", help="score the recognizer's mentions as found, not vetted as the pipeline vets them"
    )
    parser.add_argument(
        "--case",
        choices=("upper", "lower", "title"),
        default=None,
        help="score on the dev sets with every sentence rewritten in this case (robustness to headlines and lower-cased text)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    if not args.corpora.is_dir():
        print(f"corpora folder not found: {args.corpora}; nothing to evaluate on", file=sys.stderr)
        return 2
    from broadsheet.entities.recognizer import load_recognizer

    recognizer = load_recognizer(args.model, consistent=not args.no_consistency)
    results = evaluate(
        args.corpora,
        recognizer,
        [s for s in args.sets.split(",") if s],
        speed=not args.no_speed,
        vetting=not args.no_vetting,
        case=args.case,
    )
    return print_results(format_report(results), results, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
