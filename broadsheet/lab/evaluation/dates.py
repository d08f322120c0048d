"""Scores the dates extractor against gold TIMEX3 annotation, with the TempEval-3 definitions.

- strict span match: same start and end; relaxed span match: any overlap (one-to-one, greedy by
  overlap size, so one prediction never claims two gold expressions);
- span precision, recall and F1 for both;
- type accuracy: share of relaxed matches whose TimeML type agrees (where gold has a type), and
  type precision, recall and F1 as TempEval-3 scores the type attribute: a gold expression is
  correct for type when it is matched (relaxed) with the same type, over all predictions and
  all gold expressions that carry a type (TE3's "attribute F1": accuracy times relaxed F1);
- value precision, recall and F1: a gold expression is correct for value when it is matched
  (relaxed) and its value is equal; precision divides by the predictions, recall by the gold
  expressions that carry a value (GUM marks some dates as ranges without one: a prediction
  matched to such a date counts in neither). Values are compared as written, as TempEval-3's
  scorer compares them: "2000-W7" is not "2000-W07" and "1989" is not "1989-XX", so a gold file's
  own spelling is never normalised away.

Three dev sets, so that no rule is chosen on one corpus: TimeBank + AQUAINT
(`tempeval3/Training/TBAQ-cleaned`, creation time as anchor), the GUM Wikinews documents
(`gum/not-to-release/sources/GUM_news_*.conllu`, anchor `# meta::dateCreated`), and the
TempEval-3 silver newswire (`tempeval3/Training/TE3-Silver-data-*`, 2,452 Gigaword documents
annotated by machine, not by people: its figures are a sanity check on unseen newswire, value F1
above all, never a target, as its own errors cap them). Run:
`python -m broadsheet.lab.evaluation.dates --corpora ../shared/corpora`.

What a rule changes is counted per corpus, not only scored: `--save rows.json` before the
change and `--compare rows.json` after it print the prediction rows removed and added and the
gold expressions whose strict span or value it got right or lost.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from broadsheet.extract.dates import TemporalExpression, find_temporal_expressions
from broadsheet.lab.evaluation import prf
from broadsheet.lab.evaluation.timeml import GoldDocument, GoldTimex, parse_gum_conllu, parse_timeml
from broadsheet.text import word_count

TBAQ_SUBDIR = Path("tempeval3/Training/TBAQ-cleaned")
GUM_SUBDIR = Path("gum/not-to-release/sources")
SILVER_DIR = Path("tempeval3/Training")
SILVER_GLOB = "TE3-Silver-data-*/*.tml"
DEFAULT_CORPORA = Path("../shared/corpora")

Extractor = Callable[[GoldDocument], list[TemporalExpression]]


@dataclass(frozen=True)
class Mismatch:
    doc_id: str
    kind: str  # "missed" | "spurious" | "span" | "type" | "value"
    gold: GoldTimex | None
    predicted: TemporalExpression | None
    context: str


def match_relaxed(gold: Sequence[GoldTimex], predicted: Sequence[TemporalExpression]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index) of overlapping spans, largest overlap first."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if overlap > 0:
                candidates.append((-overlap, gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


Row = tuple[int, int, str, str, "str | None"]  # start, end, type, value, mod of one prediction


def _rows(predicted: Sequence[TemporalExpression]) -> list[Row]:
    return [(p.start, p.end, p.timex_type, p.value, p.mod) for p in predicted]


def _correct(gold: Sequence[GoldTimex], predicted: Sequence[TemporalExpression]) -> tuple[set[int], set[int]]:
    """The gold expressions matched exactly (strict span) and those given their value."""
    spans = {(p.start, p.end) for p in predicted}
    strict = {gi for gi, g in enumerate(gold) if (g.start, g.end) in spans}
    valued = {gi for gi, pi in match_relaxed(gold, predicted) if gold[gi].value and gold[gi].value == predicted[pi].value}
    return strict, valued


def _as_predictions(rows: Iterable[Sequence]) -> list[TemporalExpression]:
    return [TemporalExpression(r[0], r[1], "", r[2], r[3], r[4], "", None, None, False, False) for r in rows]


def compare_rows(gold: Sequence[GoldTimex], before: Sequence[Sequence], after: Sequence[Sequence]) -> Counter[str]:
    """What a change did to one document: prediction rows removed and added, and gold expressions
    whose strict span or value it got right or lost."""
    old = {tuple(r) for r in before}
    new = {tuple(r) for r in after}
    counts: Counter[str] = Counter(rows_removed=len(old - new), rows_added=len(new - old))
    if old != new:
        s1, v1 = _correct(gold, _as_predictions(before))
        s2, v2 = _correct(gold, _as_predictions(after))
        counts.update(strict_gained=len(s2 - s1), strict_lost=len(s1 - s2), value_gained=len(v2 - v1), value_lost=len(v1 - v2))
    return counts


def score_documents(
    documents: Iterable[GoldDocument],
    extract: Extractor | None = None,
    keep_errors: bool = False,
    previous: dict[str, list] | None = None,
) -> dict:
    """TempEval-3 figures over documents, plus words per second of extraction alone; the rows
    predicted per document under "rows", and with `previous` (rows saved by an earlier run, by
    document id) what changed since, under "changes"."""
    extract = extract or (lambda d: find_temporal_expressions(d.text, anchor=d.creation_date))
    find_temporal_expressions("")  # compiles the grammar: a one-time cost, kept out of the timing
    n_gold = n_pred = strict = relaxed = typed = type_ok = value_gold = value_pred = value_ok = 0
    type_gold = type_pred = 0
    words = 0
    seconds = 0.0
    n_docs = 0
    errors: list[Mismatch] = []
    texts: dict[str, str] = {}
    rows: dict[str, list[Row]] = {}
    changes: Counter[str] = Counter()
    for doc in documents:
        n_docs += 1
        if keep_errors:
            texts[doc.doc_id] = doc.text
        words += word_count(doc.text)
        t0 = time.perf_counter()
        predicted = extract(doc)
        seconds += time.perf_counter() - t0
        gold = doc.timexes
        rows[doc.doc_id] = _rows(predicted)
        if previous is not None:
            changes += compare_rows(gold, previous.get(doc.doc_id, []), rows[doc.doc_id])
        n_gold += len(gold)
        n_pred += len(predicted)
        value_gold += sum(1 for g in gold if g.value)
        type_gold += sum(1 for g in gold if g.timex_type)
        spans = {(p.start, p.end) for p in predicted}
        strict += sum(1 for g in gold if (g.start, g.end) in spans)
        pairs = match_relaxed(gold, predicted)
        relaxed += len(pairs)
        matched_p = {pi for _, pi in pairs}
        matched_g = {gi for gi, _ in pairs}
        # predictions matched to a gold date without a value say nothing about values
        value_pred += len(predicted) - sum(1 for gi, _ in pairs if not gold[gi].value)
        type_pred += len(predicted) - sum(1 for gi, _ in pairs if not gold[gi].timex_type)
        for gi, pi in pairs:
            g, p = gold[gi], predicted[pi]
            if g.timex_type:
                typed += 1
                type_ok += g.timex_type == p.timex_type
            if g.value and g.value == p.value:
                value_ok += 1
            if keep_errors:
                if (g.start, g.end) != (p.start, p.end):
                    errors.append(Mismatch(doc.doc_id, "span", g, p, _context(doc.text, g.start, g.end)))
                if g.timex_type and g.timex_type != p.timex_type:
                    errors.append(Mismatch(doc.doc_id, "type", g, p, _context(doc.text, g.start, g.end)))
                if g.value and g.value != p.value:
                    errors.append(Mismatch(doc.doc_id, "value", g, p, _context(doc.text, g.start, g.end)))
        if keep_errors:
            errors += [
                Mismatch(doc.doc_id, "missed", g, None, _context(doc.text, g.start, g.end))
                for gi, g in enumerate(gold)
                if gi not in matched_g
            ]
            errors += [
                Mismatch(doc.doc_id, "spurious", None, p, _context(doc.text, p.start, p.end))
                for pi, p in enumerate(predicted)
                if pi not in matched_p
            ]
    sp, sr, sf = prf(strict, n_pred, n_gold)
    rp, rr, rf = prf(relaxed, n_pred, n_gold)
    vp, vr, vf = prf(value_ok, value_pred, value_gold)
    tp, tr, tf = prf(type_ok, type_pred, type_gold)
    result = {
        "documents": n_docs,
        "words": words,
        "gold": n_gold,
        "predicted": n_pred,
        "strict_precision": sp,
        "strict_recall": sr,
        "strict_f1": sf,
        "relaxed_precision": rp,
        "relaxed_recall": rr,
        "relaxed_f1": rf,
        "type_accuracy": type_ok / typed if typed else None,
        # where the gold annotation has no types (GUM), type scores are not defined
        "type_precision": tp if type_gold else None,
        "type_recall": tr if type_gold else None,
        "type_f1": tf if type_gold else None,
        "value_precision": vp,
        "value_recall": vr,
        "value_f1": vf,
        "seconds": seconds,
        "words_per_second": words / seconds if seconds else 0.0,
        "rows": rows,
    }
    if previous is not None:
        result["changes"] = changes
    if keep_errors:
        result["errors"] = errors
        result["error_classes"] = error_classes(errors, texts)
    return result


# The error classes that held-out news showed, each as a test on one mismatch: how many of each a
# change removes is the figure that says whether it fixed what it was for.
_RANGE = re.compile(r"\b(?:between\s+)?\S+\s+(?:to|and)\s+\S+\s+[a-z]+s\b", re.I)
_YEAR_NEAR = re.compile(r"\b(?:1[6-9]|20)\d\d\b")
_LINK_TOKEN = re.compile(r"\S*(?:://|www\.|@)\S*")
_DAYLIKE = re.compile(r"^\d{4}-\d\d(?:-\d\d)?$")


def error_class(e: Mismatch, text: str) -> str | None:
    """Which of the error classes of the held-out news a mismatch belongs to, if any."""
    g, p = e.gold, e.predicted
    if e.kind == "spurious" and p is not None:
        for m in _LINK_TOKEN.finditer(text, max(0, p.start - 80), min(len(text), p.end + 80)):
            if m.start() <= p.start and p.end <= m.end():
                return "date read out of a URL or e-mail address"
        return None
    if g is None or p is None:
        return None
    if e.kind == "type" and g.timex_type == "DURATION" and p.timex_type in ("DATE", "TIME"):
        return "duration read as a date"
    if e.kind == "type" and g.timex_type in ("DATE", "TIME") and p.timex_type == "DURATION":
        return "date read as a duration"
    if e.kind == "span" and _RANGE.search(p.surface):
        return "range folded into one expression"
    if e.kind == "span" and p.start <= g.start and g.end <= p.end:
        return "span longer than the gold one"
    if e.kind != "value" or not g.value:
        return None
    if g.value.endswith("Z") and not p.value.endswith("Z"):
        return "time zone Z lost"
    if _RANGE.search(p.surface) or _RANGE.search(g.surface):
        return "range folded into one expression"
    if _DAYLIKE.match(g.value) and _DAYLIKE.match(p.value) and g.value[4:] == p.value[4:] and g.value[:4] != p.value[:4]:
        after = text[p.end : p.end + 30]
        if any(m[0] == g.value[:4] for m in _YEAR_NEAR.finditer(after)):
            return "explicit year that follows ignored"
    if p.anchored and _DAYLIKE.match(g.value) and _DAYLIKE.match(p.value) and len(g.value) == len(p.value):
        return "relative date anchored on the wrong date"
    return None


def error_classes(errors: Iterable[Mismatch], texts: dict[str, str]) -> Counter[str]:
    """How many mismatches fall in each error class (see `error_class`)."""
    counts: Counter[str] = Counter()
    for e in errors:
        cls = error_class(e, texts.get(e.doc_id, ""))
        if cls:
            counts[cls] += 1
    return counts


def _context(text: str, start: int, end: int, width: int = 45) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"{left}[[{text[start:end]}]]{right}"


def read_tbaq(path: Path) -> list[GoldDocument]:
    files = sorted(Path(path).rglob("*.tml"))
    return [parse_timeml(f.read_text(encoding="utf-8"), f.stem) for f in files]


def read_gum_news(path: Path) -> list[GoldDocument]:
    files = sorted(f for f in Path(path).glob("*.conllu") if "news" in f.name)
    return [parse_gum_conllu(f.read_text(encoding="utf-8"), f.stem) for f in files]


def read_silver(path: Path, sample: int | None = None) -> list[GoldDocument]:
    """The silver `.tml` files under `path`; with `sample`, every k-th file so that about
    `sample` documents from all six folders are read."""
    files = sorted(Path(path).glob(SILVER_GLOB))
    if sample and sample < len(files):
        step = len(files) / sample
        files = [files[int(i * step)] for i in range(sample)]
    return [parse_timeml(f.read_text(encoding="utf-8"), f.stem) for f in files]


def evaluate_tbaq(path: Path | str, keep_errors: bool = False, previous: dict | None = None) -> dict:
    """Scores on the TBAQ-cleaned `.tml` files under `path` (searched recursively)."""
    docs = read_tbaq(Path(path))
    if not docs:
        raise FileNotFoundError(f"no .tml files under {path}")
    return score_documents(docs, keep_errors=keep_errors, previous=previous)


def evaluate_gum(path: Path | str, keep_errors: bool = False, previous: dict | None = None) -> dict:
    """Scores on the GUM news CoNLL-U files in `path` (the `sources` folder)."""
    docs = read_gum_news(Path(path))
    if not docs:
        raise FileNotFoundError(f"no GUM news .conllu files in {path}")
    return score_documents(docs, keep_errors=keep_errors, previous=previous)


# GUM's annotation marks calendar dates and clock times (`<date when=...>`), never a duration or a
# set: scored against it, a right "three years" is a false positive. This view scores only the
# predictions of the types GUM annotates, beside the figures that count every prediction.
GUM_TYPES = frozenset({"DATE", "TIME"})


def evaluate_gum_dates_only(path: Path | str, keep_errors: bool = False, previous: dict | None = None) -> dict:
    """GUM news scores counting only the predicted DATE and TIME expressions (see GUM_TYPES)."""
    docs = read_gum_news(Path(path))
    if not docs:
        raise FileNotFoundError(f"no GUM news .conllu files in {path}")

    def extract(doc: GoldDocument) -> list:
        return [p for p in find_temporal_expressions(doc.text, anchor=doc.creation_date) if p.timex_type in GUM_TYPES]

    return score_documents(docs, extract=extract, keep_errors=keep_errors, previous=previous)


def evaluate_silver(path: Path | str, keep_errors: bool = False, sample: int | None = None, previous: dict | None = None) -> dict:
    """Scores on the TempEval-3 silver files under `path` (the `Training` folder)."""
    docs = read_silver(Path(path), sample)
    if not docs:
        raise FileNotFoundError(f"no TE3 silver .tml files under {path}")
    return score_documents(docs, keep_errors=keep_errors, previous=previous)


def format_table(results: dict[str, dict]) -> str:
    rows = [
        ("documents", "documents", "{:d}"),
        ("gold expressions", "gold", "{:d}"),
        ("predicted", "predicted", "{:d}"),
        ("strict span P", "strict_precision", "{:.3f}"),
        ("strict span R", "strict_recall", "{:.3f}"),
        ("strict span F1", "strict_f1", "{:.3f}"),
        ("relaxed span P", "relaxed_precision", "{:.3f}"),
        ("relaxed span R", "relaxed_recall", "{:.3f}"),
        ("relaxed span F1", "relaxed_f1", "{:.3f}"),
        ("type accuracy", "type_accuracy", "{:.3f}"),
        ("type F1", "type_f1", "{:.3f}"),
        ("value P", "value_precision", "{:.3f}"),
        ("value R", "value_recall", "{:.3f}"),
        ("value F1", "value_f1", "{:.3f}"),
        ("words", "words", "{:d}"),
        ("words/s (one core)", "words_per_second", "{:,.0f}"),
    ]
    names = list(results)
    width = max(12, *(len(n) for n in names))
    lines = ["".ljust(20) + "".join(n.rjust(width + 2) for n in names)]
    for label, key, fmt in rows:
        cells = []
        for n in names:
            v = results[n].get(key)
            cells.append(("n/a" if v is None else fmt.format(v)).rjust(width + 2))
        lines.append(label.ljust(20) + "".join(cells))
    return "\n".join(lines)


def format_changes(changes: Counter[str]) -> str:
    """One line of what a change did to a corpus (see `compare_rows`)."""
    c = changes
    return (
        f"rows -{c['rows_removed']} +{c['rows_added']}; gold strict span +{c['strict_gained']} -{c['strict_lost']}; "
        f"gold value +{c['value_gained']} -{c['value_lost']}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m broadsheet.lab.evaluation.dates", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--corpora", type=Path, default=DEFAULT_CORPORA, help="folder holding tempeval3/ and gum/ (default: ../shared/corpora)"
    )
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="also print up to N errors of each kind per corpus")
    parser.add_argument(
        "--silver-sample", type=int, default=0, metavar="N", help="score N of the TE3 silver documents instead of all 2,452"
    )
    parser.add_argument(
        "--save", type=Path, metavar="PATH", help="write every predicted row of every corpus to PATH (JSON), for --compare"
    )
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="PATH",
        help="count, per corpus, the rows that changed since the run saved in PATH and the gold expressions gained and lost",
    )
    args = parser.parse_args(argv)
    corpora: Path = args.corpora
    saved = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else {}
    sets: dict[str, tuple[Path, Callable[..., dict]]] = {
        "TBAQ (dev)": (corpora / TBAQ_SUBDIR, evaluate_tbaq),
        "GUM news": (corpora / GUM_SUBDIR, evaluate_gum),
        "GUM (DATE/TIME)": (corpora / GUM_SUBDIR, evaluate_gum_dates_only),
        "TE3 silver": (
            corpora / SILVER_DIR,
            lambda p, keep_errors, previous: evaluate_silver(p, keep_errors, args.silver_sample or None, previous),
        ),
    }
    results: dict[str, dict] = {}
    for name, (path, evaluate) in sets.items():
        if not path.is_dir() or (name == "TE3 silver" and not any(path.glob(SILVER_GLOB))):
            print(f"skipping {name}: {path} not found", file=sys.stderr)
            continue
        previous = saved.get(name) if args.compare else None
        if args.compare and previous is None:
            print(f"{name}: not in {args.compare}, nothing to compare", file=sys.stderr)
        results[name] = evaluate(path, keep_errors=args.errors > 0, previous=previous)
    if not results:
        print(f"no evaluation corpus found under {corpora}; pass --corpora", file=sys.stderr)
        return 2
    print(format_table(results))
    if args.save:
        args.save.write_text(json.dumps({name: res["rows"] for name, res in results.items()}), encoding="utf-8")
    if args.compare:
        print(f"\nchanged since {args.compare}:")
        for name, res in results.items():
            if "changes" in res:
                print(f"  {name:18}" + format_changes(res["changes"]))
    if args.errors:
        print("\nerrors by class (the classes held-out news showed):")
        classes = sorted({c for res in results.values() for c in res["error_classes"]})
        for c in classes:
            print(f"  {c:44}" + "".join(f"{name}: {res['error_classes'].get(c, 0):<6d}" for name, res in results.items()))
    for name, res in results.items():
        if args.errors:
            print(f"\n== errors on {name} ==")
            for kind in ("missed", "spurious", "span", "type", "value"):
                shown = [e for e in res["errors"] if e.kind == kind][: args.errors]
                for e in shown:
                    g = f"{e.gold.timex_type}:{e.gold.value}" if e.gold else ""
                    p = f"{e.predicted.timex_type}:{e.predicted.value}:{e.predicted.surface!r}" if e.predicted else ""
                    print(f"{kind:8} {e.doc_id:24} gold={g:24} pred={p:40} {e.context}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
