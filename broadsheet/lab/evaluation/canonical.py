"""Score the canonical entities against GUM's coreference: ``python -m broadsheet.lab.evaluation.canonical``.

    python -m broadsheet.lab.evaluation.canonical --corpora ../shared/corpora [--genres news]

GUM says, for every mention, which entity of its document it is, and for many named entities
which Wikipedia article they are. That is what :func:`broadsheet.entities.canonical.canonicalize`
has to get right, so it is scored on GUM's own names (gold spans and types, read as for the NER
dev set), which keeps the recognizer's errors out of the figure:

* **within documents**: pairs of names in one document that GUM puts in one entity, against
  pairs we put in one entity (pairwise precision, recall and F1), and B-cubed over the names;
* **across documents**: pairs of names in different documents, both linked to Wikipedia, that
  share an article, against pairs we put in one entity.

A baseline that joins only names of the same type written the same way is printed beside it,
so the figure shows what the rules add. With ``--predicted`` the names come from the shipped
recognizer instead, as in the pipeline, and the names it finds with exactly GUM's span are
scored (how many that is is printed too); GUM documents the recognizer was trained on are left
out of that run. All of GUM's genres are scored (``--genres`` picks some), news on its own
line. The rules are hand-written, not fitted to GUM, but some were written after reading its
errors (see the README), so this is not a figure on unseen data.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadsheet.entities.canonical import canonicalize
from broadsheet.lab.evaluation import print_results
from broadsheet.lab.evaluation.entities import PRF, char_offsets
from broadsheet.lab.ner.annotated import AnnotatedSentence
from broadsheet.lab.ner.corpora import join_sentences, to_our_labels
from broadsheet.lab.ner.gum import gum_documents, read_gum_document


@dataclass(frozen=True)
class GoldName:
    """One name of a GUM document, as a mention the canonicalizer reads, with GUM's links."""

    doc_id: str
    start: int
    end: int
    text: str
    label: str
    entity: str  # GUM's entity number within the document
    identity: str  # its Wikipedia title, or ""


def gold_names(document: AnnotatedSentence) -> list[GoldName]:
    """The document's names (in our labels) as character spans of its text."""
    offsets = char_offsets(document)
    text = document.text
    out = []
    for span in document.spans:
        start, end = offsets[span.start][0], offsets[span.end - 1][1]
        out.append(GoldName(document.doc_id, start, end, text[start:end], span.label, span.entity, span.identity))
    return out


def read_documents(corpora: Path, genres: Sequence[str] = (), unseen: bool = False) -> list[AnnotatedSentence]:
    """Every GUM document (or those of ``genres``; with ``unseen``, only those the recognizer's
    training leaves out), sentences joined, labels mapped to ours."""
    paths = gum_documents(corpora, "all")
    if unseen:
        trained = set(gum_documents(corpora, "train"))
        paths = [p for p in paths if p not in trained]
    if genres:
        paths = [p for p in paths if p.stem.split("_")[1] in set(genres)]
    docs = []
    for path in paths:
        sentences = [to_our_labels(s, "gum") for s in read_gum_document(path)]
        if sentences:
            docs.append(join_sentences(sentences, "\n"))
    return docs


def pairwise(gold: Sequence[Hashable], predicted: Sequence[Hashable], scope: Sequence[Hashable] | None = None) -> PRF:
    """Pairs of items that gold puts together vs pairs the prediction puts together, counting
    only pairs whose ``scope`` values differ (``scope``: each item's document, for pairs across
    documents) or, with ``scope=None``, all pairs."""
    n = len(gold)
    tp = fp = fn = 0
    for i in range(n):
        for j in range(i + 1, n):
            if scope is not None and scope[i] == scope[j]:
                continue
            g, p = gold[i] == gold[j], predicted[i] == predicted[j]
            tp += g and p
            fp += p and not g
            fn += g and not p
    return PRF(tp, fp, fn)


def b_cubed(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering of items (each item's cluster ids)."""
    by_gold: dict[Hashable, set[int]] = defaultdict(set)
    by_pred: dict[Hashable, set[int]] = defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        by_gold[g].add(i)
        by_pred[p].add(i)
    if not gold:
        return 0.0, 0.0, 0.0
    precision = recall = 0.0
    for g, p in zip(gold, predicted, strict=True):
        shared = len(by_gold[g] & by_pred[p])
        precision += shared / len(by_pred[p])
        recall += shared / len(by_gold[g])
    precision, recall = precision / len(gold), recall / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def same_text_baseline(names: Sequence[GoldName]) -> list[str]:
    """One entity per type and exact text: what the rules are measured against."""
    return [f"{n.label}|{n.text}" for n in names]


def canonical_ids(names: Sequence[GoldName], texts: Mapping[str, str] | None = None) -> list[str]:
    by_doc: dict[str, list[GoldName]] = defaultdict(list)
    for n in names:
        by_doc[n.doc_id].append(n)
    result = canonicalize(by_doc, texts=texts)
    return [_entity(result, n) for n in names]


def _entity(result: Any, n: GoldName) -> str:
    """The name's entity, or one of its own when vetting dropped it (it joins nothing)."""
    return result.entity_of.get((n.doc_id, n.start, n.end), f"dropped|{n.doc_id}|{n.start}")


def score(names: Sequence[GoldName], predicted: Sequence[str]) -> dict[str, Any]:
    """Within- and across-document scores of one clustering of ``names``."""
    within = PRF(0, 0, 0)
    gold_all: list[str] = []
    pred_all: list[str] = []
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, n in enumerate(names):
        by_doc[n.doc_id].append(i)
    for idxs in by_doc.values():
        g = [names[i].entity for i in idxs]
        p = [predicted[i] for i in idxs]
        d = pairwise(g, p)
        within = PRF(within.tp + d.tp, within.fp + d.fp, within.fn + d.fn)
        gold_all += [f"{names[i].doc_id}|{names[i].entity}" for i in idxs]
        pred_all += [f"{names[i].doc_id}|{predicted[i]}" for i in idxs]
    bp, br, bf = b_cubed(gold_all, pred_all)
    linked = [i for i, n in enumerate(names) if n.identity]
    across = pairwise(
        [names[i].identity for i in linked], [predicted[i] for i in linked], scope=[names[i].doc_id for i in linked]
    )
    return {
        "within_documents": within.as_dict(),
        "within_documents_b_cubed": {"precision": round(bp, 4), "recall": round(br, 4), "f1": round(bf, 4)},
        "across_documents": across.as_dict(),
    }


def predicted_names(documents: Sequence[AnnotatedSentence], recognizer: Any) -> tuple[list[GoldName], dict[str, list[Any]]]:
    """The recognizer's mentions of each document, and those of them on exactly a gold name's
    span, carrying that name's links (and the recognizer's type)."""
    found = recognizer.find_many([d.text for d in documents])
    by_doc = {d.doc_id: mentions for d, mentions in zip(documents, found, strict=True)}
    matched = []
    for doc in documents:
        gold = {(n.start, n.end): n for n in gold_names(doc) if n.entity}
        for m in by_doc[doc.doc_id]:
            g = gold.get((m.start, m.end))
            if g is not None:
                matched.append(GoldName(doc.doc_id, m.start, m.end, m.text, m.label, g.entity, g.identity))
    return matched, by_doc


def evaluate(corpora: Path, genres: Sequence[str] = (), recognizer: Any = None) -> dict[str, Any]:
    """Scores of the canonical entities on GUM's gold names, or with ``recognizer`` on the names
    it finds (all its mentions are canonicalized; those on a gold span are scored)."""
    docs = read_documents(corpora, genres, unseen=recognizer is not None)
    names = [n for doc in docs for n in gold_names(doc) if n.entity]
    texts = {d.doc_id: d.text for d in docs}
    extra: dict[str, Any] = {}
    if recognizer is None:
        by_gold: dict[str, list[GoldName]] = defaultdict(list)
        for n in names:
            by_gold[n.doc_id].append(n)
        result = canonicalize(by_gold, texts=texts)
        ours = [_entity(result, n) for n in names]
        extra["purity"] = purity(result, by_gold, docs)
    else:
        extra["gold_names"] = len(names)
        names, by_doc = predicted_names(docs, recognizer)
        result = canonicalize(by_doc, texts=texts)
        ours = [_entity(result, n) for n in names]
        extra["purity"] = purity(result, by_doc, docs)
    results: dict[str, Any] = {
        "documents": len(docs),
        "names": len(names),
        **extra,
        "gold_entities_within_documents": len({(n.doc_id, n.entity) for n in names}),
        "names_linked_to_wikipedia": sum(1 for n in names if n.identity),
        "canonical": score(names, ours),
        "same_text_baseline": score(names, same_text_baseline(names)),
    }
    news = [i for i, n in enumerate(names) if n.doc_id.startswith("gum/GUM_news_")]
    if recognizer is None and news and len(news) < len(names):
        sub = [names[i] for i in news]
        results["news_only"] = {
            "documents": len({n.doc_id for n in sub}),
            "names": len(sub),
            "canonical": score(sub, canonical_ids(sub, texts)),
        }
    return results


def purity(
    result: Any, by_doc: Mapping[str, Sequence[Any]], documents: Sequence[AnnotatedSentence], top: int = 50
) -> dict[str, Any]:
    """How pure the ``top`` largest canonical entities are: of each one's mentions, how many
    are on a gold name of its most common gold identity (GUM's Wikipedia title where it has
    one, else its entity within the document), how many on a gold name of another identity,
    and how many on no gold name at all (a name GUM does not annotate as one, or junk)."""
    gold: dict[tuple[str, int, int], str] = {}
    for doc in documents:
        for n in gold_names(doc):
            if n.entity:
                gold[(n.doc_id, n.start, n.end)] = n.identity or f"{n.doc_id}#{n.entity}"
    members: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for doc_id, mentions in by_doc.items():
        for m in mentions:
            eid = result.entity_of.get((doc_id, m.start, m.end))
            if eid is not None:
                members[eid].append((doc_id, m.start, m.end))
    names = {row["entity_id"]: row["canonical_name"] for row in result.entities}
    rows = []
    for eid, keys in sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:top]:
        identities = [gold[k] for k in keys if k in gold]
        counts: dict[str, int] = defaultdict(int)
        for i in identities:
            counts[i] += 1
        main = max(sorted(counts), key=lambda i: counts[i]) if counts else ""
        rows.append(
            {
                "entity": names.get(eid, eid),
                "mentions": len(keys),
                "main_identity": main,
                "on_main": counts.get(main, 0),
                "on_other": len(identities) - counts.get(main, 0),
                "on_no_gold_name": len(keys) - len(identities),
            }
        )
    on_main = sum(r["on_main"] for r in rows)
    on_gold = sum(r["on_main"] + r["on_other"] for r in rows)
    total = sum(r["mentions"] for r in rows)
    return {
        "entities": rows,
        "purity": round(on_main / on_gold, 4) if on_gold else 0.0,
        "on_gold_names": round(on_gold / total, 4) if total else 0.0,
    }


def format_report(results: Mapping[str, Any]) -> str:
    found = (
        f" found by the recognizer on exactly a gold name's span (of {results['gold_names']} gold names)"
        if "gold_names" in results
        else ""
    )
    lines = [
        f"GUM: {results['documents']} documents, {results['names']} names{found} in "
        f"{results['gold_entities_within_documents']} entities (within documents), "
        f"{results['names_linked_to_wikipedia']} linked to Wikipedia",
        "",
        f"  {'':<40}{'P':>8}{'R':>8}{'F1':>8}{'pairs':>9}",
    ]

    def row(title: str, prf: Mapping[str, Any], pairs: bool = True) -> None:
        n = f"{prf['tp'] + prf['fn']:>9}" if pairs else ""
        lines.append(f"  {title:<40}{prf['precision']:>8.4f}{prf['recall']:>8.4f}{prf['f1']:>8.4f}{n}")

    for name, key in (("canonical", "canonical"), ("same type and text", "same_text_baseline")):
        s = results[key]
        row(f"{name}: within documents", s["within_documents"])
        row(f"{name}: within, B-cubed", s["within_documents_b_cubed"], pairs=False)
        row(f"{name}: across documents", s["across_documents"])
    if "news_only" in results:
        s = results["news_only"]["canonical"]
        lines.append("")
        lines.append(f"  news only ({results['news_only']['documents']} documents, {results['news_only']['names']} names):")
        row("canonical: within documents", s["within_documents"])
        row("canonical: across documents", s["across_documents"])
    if "purity" in results:
        p = results["purity"]
        lines.append("")
        lines.append(
            f"  the {len(p['entities'])} largest entities: purity {p['purity']:.4f} (mentions on a gold name that are "
            f"on its main identity), {p['on_gold_names']:.4f} of their mentions on a gold name"
        )
        lines.append(f"  {'entity':<32}{'mentions':>9}{'main':>6}{'other':>6}{'none':>6}  main identity")
        for r in p["entities"]:
            lines.append(
                f"  {r['entity'][:31]:<32}{r['mentions']:>9}{r['on_main']:>6}{r['on_other']:>6}{r['on_no_gold_name']:>6}  {r['main_identity'][:40]}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m broadsheet.lab.evaluation.canonical", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, required=True, help="the annotated corpora folder (../shared/corpora)")
    parser.add_argument("--genres", default="", help="comma-separated GUM genres (default: all), e.g. news,interview")
    parser.add_argument("--predicted", action="store_true", help="canonicalize the recognizer's mentions, not GUM's names")
    parser.add_argument("--model", type=Path, default=None, help="with --predicted: model folder (default: the shipped model)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    if not (args.corpora / "gum").is_dir():
        print(f"GUM not found under {args.corpora}; nothing to evaluate on", file=sys.stderr)
        return 2
    recognizer = None
    if args.predicted:
        from broadsheet.entities.recognizer import load_recognizer

        recognizer = load_recognizer(args.model)
    results = evaluate(args.corpora, [g for g in args.genres.split(",") if g], recognizer)
    return print_results(format_report(results), results, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
