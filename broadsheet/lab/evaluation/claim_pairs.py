"""Scores cross-article claim clusters and conflicts (`broadsheet.extract.claims.clusters`) on hand-labelled PolNeAR claim pairs.

    broadsheet evaluate claim-pairs --corpora ../shared/corpora [--json PATH]

The claims
----------
PolNeAR's articles come from eight outlets covering the same 2016 campaign, often on the same
days, so its attributed contents are claims that different articles make about the same events.
A *claim* here is the longest fragment of a gold attribution content (train and dev splits, the
one annotator file per document that `read_split` keeps) of at least six words; its identity is
(document stem, start, end) as character offsets. Scoring builds the claims table the pipeline
would build from them (entity ids from the shipped recognizer and canonicalizer run over the
documents concerned, dates from the date extractor anchored on the publication date of
``data/metadata.tsv``) and runs `link_claims` over every claim of those documents, each document
dated by that publication date as the extract stage dates it.

The pairs
---------
Pairs join claims of different articles published at most seven days apart, drawn with fixed
seeds from four pools defined without the clusterer's own features (names are capitalised words
past a sentence start, other words the lower-cased ones of four letters or more), so that anyone
with the corpus draws the same pairs. Disagreements are rare among real pairs, so two pools are
built to hold them and are taken whole:

- **number** (seed 42, all 136): the claims share a name and two other words, and each holds a
  number counting the same word ("delegates", "percent", "dollars") with different values, or a
  year with different values;
- **polarity** (seed 43, all 239): they share a name and two fifths of their words (Dice), and
  exactly one of them holds a negation;
- **shared** (seed 41, 100 of 2,569): at most three days apart, they share a name and three
  other words (mostly claims on one topic that state different things, some restatements);
- **background** (seed 44, 40): any two claims at most three days apart.

Within each stratum, pairs at even positions of the draw form the held-out half, the others the
dev half. The repository keeps the two claims' identifiers and the label, in
``claim_pairs_labels.tsv`` next to this module; never their text. The held-out half was labelled
first and not looked at while the clusterer's word and frame rules were tuned; the poll, fraction
and denial rules were written after reading all twelve conflicting pairs of both halves (too few
to hide half of them), their thresholds chosen on the dev half, so the held-out conflict figure is
no unseen measurement. Of the 515 pairs, the dev half has 28
same, 3 conflicting and 226 unrelated; the held-out half 22 same, 9 conflicting and 227 unrelated:
real conflicts across these articles are that rare (12 among 515 pairs drawn to find them), so a
conflict figure moves by a twelfth of recall per pair and is best read on both halves together.
The number and polarity pools are already taken whole, so the procedure has no more conflicts to
draw from these splits (no pair sharing two names with different counts in one week is left out).

Labels
------
- **same**: both claims state the same thing about the same subject and event (a restatement,
  possibly partial or in other words), without disagreeing;
- **conflicting**: both are about the same subject and event or quantity, and they cannot both
  hold as stated: a different number for the same count (two polls' shares for the same candidate
  and group in the same week count, since a reader cannot tell which holds), a different date for
  the same event, or one denies what the other asserts;
- **unrelated**: anything else, including claims on the same topic that state different things.

A pair is predicted *conflicting* when one claim lists the other in its conflicting claims,
*same* when they share a cluster without conflict, *unrelated* otherwise. Per-class precision,
recall and F1 over the labelled pairs are printed for each half, with each stratum's counts.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadsheet.calendar import MONTH_PATTERN, WEEKDAY_PATTERN
from broadsheet.lab.evaluation import print_results
from broadsheet.lab.evaluation.classes import ClassScores
from broadsheet.lab.evaluation.polnear import read_split

LABELS_FILE = Path(__file__).with_name("claim_pairs_labels.tsv")
LABELS = ("same", "conflicting", "unrelated")
SPLITS = ("train", "dev")
MIN_WORDS = 6
WINDOW_DAYS = 3
NUMBER_WINDOW_DAYS = 7
STRATA = {"number": (42, 200), "polarity": (43, 300), "shared": (41, 100), "background": (44, 40)}
POLARITY_DICE = 0.4

_WORD = re.compile(r"\w+")
_LONG = re.compile(r"[a-z]{4,}")
_NAME = re.compile(r"(?<=[\w,] )[A-Z][a-z]+")
_CALENDAR = re.compile(rf"^(?:{MONTH_PATTERN}|{WEEKDAY_PATTERN})$", re.I)
_NUMBER = re.compile(r"(\$)?(\d[\d,]*(?:\.\d+)?)\s*(%|percent\b|million\b|billion\b|thousand\b)?\s*([A-Za-z]+)?")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NEGATION = re.compile(r"\b(?:not|never|no|nobody|nothing|none|neither|nor|denied|denies)\b|n['’]t\b", re.I)
_COMMON = frozenset(
    "that this with from have were been they their them will would about what when which there said says into than more most only also just some other".split()
)

ClaimKey = tuple[str, int, int]


@dataclass(frozen=True)
class PairClaim:
    stem: str
    start: int
    end: int
    text: str
    published: dt.date

    @property
    def key(self) -> ClaimKey:
        return (self.stem, self.start, self.end)


@dataclass(frozen=True)
class Pair:
    a: ClaimKey
    b: ClaimKey
    stratum: str
    half: str


def read_metadata(corpora: Path) -> dict[str, dict[str, str]]:
    with (corpora / "polnear" / "data" / "metadata.tsv").open(encoding="utf-8", newline="") as f:
        return {r["filename"]: r for r in csv.DictReader(f, delimiter="\t")}


def read_claims(corpora: Path) -> tuple[list[PairClaim], dict[str, str]]:
    """Every claim of the train and dev splits (see the module's docstring), and the texts."""
    meta = read_metadata(corpora)
    texts: dict[str, str] = {}
    claims: set[PairClaim] = set()
    for split in SPLITS:
        for doc in read_split(corpora / "polnear" / "data" / split):
            texts[doc.stem] = doc.text
            published = dt.date.fromisoformat(meta[doc.stem]["publication_date"])
            for r in doc.relations:
                if not r.content:
                    continue
                a, b = max(r.content, key=lambda s: (s[1] - s[0], -s[0]))
                if len(_WORD.findall(doc.text[a:b])) >= MIN_WORDS:
                    claims.add(PairClaim(doc.stem, a, b, doc.text[a:b], published))
    return sorted(claims, key=lambda c: c.key), texts


def _names(text: str) -> frozenset[str]:
    return frozenset(w for w in _NAME.findall(text) if not _CALENDAR.match(w))


def _long_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _LONG.findall(text.lower()) if w not in _COMMON)


def _counts(text: str) -> dict[str, set[str]]:
    """The numbers of a claim by the word they count ("758 delegates" -> delegates: {758})."""
    out: dict[str, set[str]] = defaultdict(set)
    for m in _NUMBER.finditer(text):
        dollar, value, scale, word = m.groups()
        unit = "dollars" if dollar else ("percent" if scale in {"%", "percent"} else (word or "").lower())
        if _YEAR.fullmatch(value) or not unit:
            continue
        out[unit].add(value.replace(",", "") + (scale or ""))
    for y in _YEAR.findall(text):
        out["<year>"].add(y)
    return out


@dataclass(frozen=True)
class _Features:
    names: frozenset[str]
    words: frozenset[str]
    counts: dict[str, set[str]]
    negated: bool


def _pools(claims: Sequence[PairClaim]) -> dict[str, list[tuple[int, int]]]:
    feats = [_Features(_names(c.text), _long_words(c.text), _counts(c.text), bool(_NEGATION.search(c.text))) for c in claims]
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        by_day[c.published].append(i)
    pools: dict[str, list[tuple[int, int]]] = {name: [] for name in STRATA}
    for i, c in enumerate(claims):
        for k in range(-NUMBER_WINDOW_DAYS, NUMBER_WINDOW_DAYS + 1):
            for j in by_day.get(c.published + dt.timedelta(days=k), ()):
                if j <= i or claims[j].stem == c.stem:
                    continue
                fi, fj = feats[i], feats[j]
                near = abs(k) <= WINDOW_DAYS
                if near:
                    pools["background"].append((i, j))
                if not fi.names & fj.names:
                    continue
                shared = len(fi.words & fj.words)
                if near and shared >= 3:
                    pools["shared"].append((i, j))
                if shared >= 2 and any(u in fj.counts and fi.counts[u] != fj.counts[u] for u in fi.counts):
                    pools["number"].append((i, j))
                total = len(fi.words) + len(fj.words)
                if fi.negated != fj.negated and total and 2 * shared >= POLARITY_DICE * total:
                    pools["polarity"].append((i, j))
    return pools


def draw_pairs(claims: Sequence[PairClaim]) -> list[Pair]:
    """The labelled set's pairs, drawn as the module's docstring says; a pair drawn for an earlier
    stratum is not drawn again."""
    pools = _pools(claims)
    taken: set[tuple[int, int]] = set()
    out: list[Pair] = []
    for name, (seed, size) in STRATA.items():
        pool = [p for p in pools[name] if p not in taken]
        drawn = random.Random(seed).sample(pool, min(size, len(pool)))
        taken.update(drawn)
        for k, (i, j) in enumerate(drawn):
            out.append(Pair(claims[i].key, claims[j].key, name, "heldout" if k % 2 == 0 else "dev"))
    return out


def read_labels(path: Path = LABELS_FILE) -> dict[tuple[ClaimKey, ClaimKey], tuple[str, str, str]]:
    """(stratum, half, label) by pair of claim keys."""
    out: dict[tuple[ClaimKey, ClaimKey], tuple[str, str, str]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if r["label"] not in LABELS:
                raise ValueError(f"unknown label {r['label']!r} in {path.name}")
            a = (r["a_stem"], int(r["a_start"]), int(r["a_end"]))
            b = (r["b_stem"], int(r["b_start"]), int(r["b_end"]))
            out[(a, b)] = (r["stratum"], r["half"], r["label"])
    return out


def build_rows(
    claims: Sequence[PairClaim], texts: dict[str, str], stems: Iterable[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The claims and dates rows the extract stage would give for these claims of these documents:
    entity ids from the shipped recognizer and canonicalizer, dates anchored on the publication day."""
    from broadsheet.entities.recognizer import load_recognizer
    from broadsheet.entities.tables import entity_tables
    from broadsheet.extract.dates import find_temporal_expressions
    from broadsheet.extract.rows import BatchedRecognition
    from broadsheet.ids import stable_id

    wanted = sorted(set(stems))
    docs = [{"doc_id": s, "text": texts[s]} for s in wanted]
    batches = BatchedRecognition(load_recognizer(), docs)
    mentions = {}
    for d in docs:
        batches.prepare_document(d)
        mentions[d["doc_id"]] = batches.mentions(d["doc_id"], d["text"])
    _entities, mention_rows = entity_tables({d["doc_id"]: d["text"] for d in docs}, mentions)
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in mention_rows:
        by_doc[m["doc_id"]].append(m)
    published = {c.stem: c.published for c in claims}
    dates: list[dict[str, Any]] = []
    for stem in wanted:
        for t in find_temporal_expressions(texts[stem], anchor=published[stem]):
            dates.append(
                {
                    "doc_id": stem,
                    "start_char": t.start,
                    "end_char": t.end,
                    "interval_start": t.interval_start,
                    "interval_end": t.interval_end,
                }
            )
    rows: list[dict[str, Any]] = []
    keep = set(wanted)
    for c in claims:
        if c.stem not in keep:
            continue
        inside = sorted({m["entity_id"] for m in by_doc[c.stem] if c.start <= m["start_char"] and m["end_char"] <= c.end})
        rows.append(
            {
                "claim_id": stable_id("c", c.stem, c.start, c.end),
                "doc_id": c.stem,
                "start_char": c.start,
                "end_char": c.end,
                "surface": c.text,
                "entity_ids": inside,
                "modality": "asserted",
            }
        )
    return rows, dates


def predicted_label(a: str, b: str, links: dict[str, Any]) -> str:
    """What the clusterer says of two claims: conflicting, same (one cluster) or unrelated."""
    la, lb = links[a], links[b]
    if b in la.conflicting_claim_ids or a in lb.conflicting_claim_ids:
        return "conflicting"
    return "same" if la.cluster_id == lb.cluster_id else "unrelated"


def score(
    labels: dict[tuple[ClaimKey, ClaimKey], tuple[str, str, str]],
    rows: Sequence[dict[str, Any]],
    dates: Sequence[dict[str, Any]],
    published: dict[str, dt.date] | None = None,
) -> tuple[dict[str, ClassScores], list[dict[str, Any]]]:
    """Scores by half ("dev", "heldout", "all") after linking every claim in ``rows`` (documents
    dated by ``published``, as the extract stage dates them), and one record per labelled pair."""
    from broadsheet.extract.claims.clusters import link_claims

    links = link_claims(rows, dates, published)
    id_of = {(r["doc_id"], r["start_char"], r["end_char"]): r["claim_id"] for r in rows}
    records = []
    groups = {name: ClassScores() for name in ("dev", "heldout", "all")}
    for (a, b), (stratum, half, gold) in sorted(labels.items()):
        pred = predicted_label(id_of[a], id_of[b], links)
        records.append({"a": list(a), "b": list(b), "stratum": stratum, "half": half, "gold": gold, "predicted": pred})
        for g in (groups[half], groups["all"]):
            g.add(gold, pred)
    return groups, records


def report_lines(groups: dict[str, ClassScores], records: Sequence[dict[str, Any]]) -> list[str]:
    lines = []
    for name, s in groups.items():
        strata = Counter(r["stratum"] for r in records if name in ("all", r["half"]))
        lines.append(f"{name}: {sum(s.gold.values())} pairs ({', '.join(f'{k} {v}' for k, v in sorted(strata.items()))})")
        lines += s.lines(LABELS)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="broadsheet evaluate claim-pairs", description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=Path("../shared/corpora"), help="the annotated corpora folder")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write every figure and every pair's reading as JSON")
    args = parser.parse_args(argv)
    if not (args.corpora / "polnear" / "data" / "metadata.tsv").is_file():
        print(f"PolNeAR not found under {args.corpora}; nothing to evaluate.", file=sys.stderr)
        return 0
    claims, texts = read_claims(args.corpora)
    labels = read_labels()
    stems = {k[0][0] for k in labels} | {k[1][0] for k in labels}
    rows, dates = build_rows(claims, texts, stems)
    groups, records = score(labels, rows, dates, {c.stem: c.published for c in claims})
    results: dict[str, Any] = {
        name: {label: dict(zip(("precision", "recall", "f1"), s.prf(label), strict=True)) for label in LABELS}
        | {"pairs": sum(s.gold.values())}
        for name, s in groups.items()
    }
    results["pairs"] = records
    return print_results("\n".join(report_lines(groups, records)), results, args.json)


if __name__ == "__main__":
    sys.exit(main())
