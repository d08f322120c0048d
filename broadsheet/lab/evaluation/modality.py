"""Scores the modality of claims (`broadsheet.extract.claims.modality`) against a hand-labelled sample of PolNeAR.

    broadsheet evaluate modality --corpora ../shared/corpora [--json PATH]

The labelled set
----------------
PolNeAR marks who said what, not how surely it is said, so the labels are our own. The items are
attribution relations of the PolNeAR **training** split (never its dev split, which the claims
evaluation uses), drawn as follows, so that anyone with the corpus draws the same ones:

- **random** stratum: every relation with a content and a cue, of the one annotator file per
  document that `read_split` keeps, sorted by (document, content fragments, cue fragments); 300 of
  them drawn with ``random.Random(18).sample``; the items at even positions of the draw form the
  held-out half, those at odd positions the dev half.
- **epistemic** stratum: hedges are about one relation in ten, too few for a per-class figure that
  means something, so a second draw of 200 comes from the relations, not already drawn, whose cue,
  content or the three words before the cue hold a word of `EPISTEMIC_POOL` (a deliberately broad
  list of modal, belief and appearance words, most of which do *not* hedge: "can", "would",
  "think", "know", "sure", "may"), with ``random.Random(1818)``; halves as above.

The repository keeps only each item's identifiers (document stem, the spans of the content and of
the cue as character offsets) and its label, in ``modality_labels.tsv`` next to this module; the
text is read from the corpus. The held-out half of each stratum was labelled first, before the
rules were looked at, and not looked at while they were tuned; the dev half was read while
writing them. Labels were given by one person reading the whole sentence around each relation.

The guideline
-------------
The label says how surely the *content* is put forward by its source, as the attribution as a
whole reads (source, cue and content; the words framing the cue count: "is widely believed",
"will likely"). Only main clauses count: a modal inside a relative clause or a noun's modifier
("the pickle a candidate might be in") leaves the claim asserted. Where a content holds several
sentences or clauses with different readings, the first in the order questioned > conditional >
hedged > predicted > negated is the label (the order the classifier applies).

- **questioned**: the content is a question, direct ("Can she stay?") or indirect ("asked whether
  ...", "asked about the searches", "the question is whether ..."). A rhetorical question inside
  an assertion leaves it asserted.
- **conditional**: the main claim holds under a stated condition ("if", "unless", "as long as",
  "Elect me and ...").
- **hedged**: the source or the writer signals that the content is not certain: epistemic modals
  ("may", "might", "could" as possibility, "likely", "probably", "presumably", "possibly"),
  appearance ("seems", "appears to", "looks like"), belief rather than knowledge ("I think",
  "believes", "is believed to", "in his mind", "suspects", "I guess", "feels that"), rumour and
  allegation ("rumors", "word is", "allegations that", "reportedly"), estimates ("estimates",
  "pegs ... at"), suggestion as evidence ("suggests that"), and uncertainty stated outright ("not
  sure", "not certain that", "it is not a certainty that", "unclear"). A hedged prediction ("will
  likely", "could win") is hedged.
- **predicted**: the content is a future event stated as expected, intended or promised ("will",
  "is going to", "is set to", "expects", "plans to", "vowed to", "threatened to", "hopes that ...
  will", a future-in-the-past "would"). A wish or demand ("wants", "urged", "called for"), a
  proposal or a recommendation is asserted.
- **negated**: the main claim is denied: "not", "never", "no" on its predicate, a denial or
  rejection by the cue ("denied", "rejected", "refused to", "declined to").
- **asserted**: anything else, including approximate figures ("about 500", "nearly 20 points"): a
  vague number is stated, not doubted. Deontic and ability modals ("must", "have to", "can",
  "should") assert.

Scoring
-------
Each item's modality is computed by `classify_modality` from the gold relation: the tokens of its
content fragments, its cue text (fragments joined), and the tokens just before its cue (the words
that frame a cue: "it is widely", "will likely"), exactly as the extractor calls it on a claim.
This measures the modality reading alone, apart from whether the extractor finds the relation.
Per-class precision, recall and F1 are printed for each half of each stratum and for each half of
the two strata together.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadsheet.extract.claims._text import TextView
from broadsheet.extract.claims.lexicon import default_lexicon
from broadsheet.extract.claims.modality import classify_modality, frame_before
from broadsheet.lab.evaluation import print_results
from broadsheet.lab.evaluation.classes import ClassScores
from broadsheet.lab.evaluation.polnear import Relation, read_split
from broadsheet.schema import vocabulary

LABELS_FILE = Path(__file__).with_name("modality_labels.tsv")
MODALITIES = vocabulary("claims", "modality")
RANDOM_SEED, RANDOM_SIZE = 18, 300
EPISTEMIC_SEED, EPISTEMIC_SIZE = 1818, 200
# The epistemic stratum's pool: broad on purpose (most of these words do not hedge), so that the
# pool is not the classifier's own lexicon.
EPISTEMIC_POOL = frozenset(
    """may might could would can should must likely unlikely probably possibly possible perhaps maybe
    presumably apparently seem seems seemed appear appears appeared look looks looked sound sounds
    think thinks thought believe believes believed guess suppose supposed feel feels felt suspect
    suspects suspected expect expects expected sure certain certainty clear unclear doubt doubts
    rumor rumors rumour rumours allegation allegations alleged allegedly reportedly suggest
    suggests suggested estimate estimates estimated widely whether if unless""".split()
)
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")

Span = tuple[int, int]


@dataclass(frozen=True)
class Item:
    """One relation of the labelled set: where it is, and (once labelled) its label."""

    stem: str
    content: tuple[Span, ...]
    cue: tuple[Span, ...]
    stratum: str  # "random" or "epistemic"
    half: str  # "dev" or "heldout"

    @property
    def key(self) -> tuple[str, int, int, int, int]:
        return (self.stem, self.content[0][0], self.content[-1][1], self.cue[0][0], self.cue[-1][1])


def _candidates(train_dir: Path) -> tuple[list[tuple[str, Relation]], dict[str, str]]:
    texts: dict[str, str] = {}
    out: list[tuple[str, Relation]] = []
    for doc in read_split(train_dir):
        texts[doc.stem] = doc.text
        out.extend((doc.stem, r) for r in doc.relations if r.content and r.cue)
    out.sort(key=lambda x: (x[0], x[1].content, x[1].cue))
    return out, texts


def _halves(drawn: Sequence[tuple[str, Relation]], stratum: str) -> list[Item]:
    return [Item(stem, r.content, r.cue, stratum, "heldout" if k % 2 == 0 else "dev") for k, (stem, r) in enumerate(drawn)]


def in_epistemic_pool(text: str, r: Relation) -> bool:
    """Whether a relation's cue, content or the three words before its cue hold a pool word."""
    before = _WORD.findall(text[max(0, r.cue[0][0] - 60) : r.cue[0][0]])[-3:]
    words = [*before]
    for a, b in (*r.cue, *r.content):
        words.extend(_WORD.findall(text[a:b]))
    return any(w.lower().replace("'", "") in EPISTEMIC_POOL or w.lower() in EPISTEMIC_POOL for w in words)


def draw_items(train_dir: Path) -> tuple[list[Item], dict[str, str]]:
    """The labelled set's items, drawn from the PolNeAR training split as the docstring says."""
    candidates, texts = _candidates(train_dir)
    first = random.Random(RANDOM_SEED).sample(candidates, RANDOM_SIZE)
    taken = {(stem, r.content, r.cue) for stem, r in first}
    pool = [(s, r) for s, r in candidates if (s, r.content, r.cue) not in taken and in_epistemic_pool(texts[s], r)]
    second = random.Random(EPISTEMIC_SEED).sample(pool, EPISTEMIC_SIZE)
    return _halves(first, "random") + _halves(second, "epistemic"), texts


def read_labels(path: Path = LABELS_FILE) -> dict[tuple[str, int, int, int, int], str]:
    """The labels by item key (stem, content start, content end, cue start, cue end)."""
    labels: dict[tuple[str, int, int, int, int], str] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            key = (row["stem"], int(row["content_start"]), int(row["content_end"]), int(row["cue_start"]), int(row["cue_end"]))
            if row["label"] not in MODALITIES:
                raise ValueError(f"unknown modality {row['label']!r} in {path.name}")
            labels[key] = row["label"]
    return labels


def predict(text: str, view: TextView, item: Item) -> tuple[str, tuple[str, ...]]:
    """The classifier's modality of one item, from its gold spans, as the extractor calls it."""
    lex = default_lexicon()
    tokens = [t for a, b in item.content for t in view.tokens[view.token_at(a) : view.token_at(b)]]
    cue_text = " ".join(text[a:b] for a, b in item.cue)
    cue_first = view.token_at(item.cue[0][0])
    frame = frame_before(view.tokens, cue_first)
    return classify_modality(tokens, text, item.content[-1][1], cue_text, lex, frame=frame)


def evaluate(
    train_dir: Path, labels: dict[tuple[str, int, int, int, int], str]
) -> tuple[dict[str, ClassScores], list[dict[str, Any]]]:
    """Scores by group ("random/dev", ..., "all/heldout") and one record per labelled item."""
    items, texts = draw_items(train_dir)
    views: dict[str, TextView] = {}
    records: list[dict[str, Any]] = []
    for item in items:
        if item.key not in labels:
            raise ValueError(f"item {item.key} of the drawn sample has no label in {LABELS_FILE.name}")
        text = texts[item.stem]
        view = views.setdefault(item.stem, TextView(text))
        modality, cues = predict(text, view, item)
        records.append(
            {
                "key": list(item.key),
                "stratum": item.stratum,
                "half": item.half,
                "gold": labels[item.key],
                "predicted": modality,
                "cues": list(cues),
            }
        )
    groups: dict[str, ClassScores] = {}
    for stratum in ("random", "epistemic", "all"):
        for half in ("dev", "heldout"):
            chosen = [r for r in records if r["half"] == half and stratum in ("all", r["stratum"])]
            groups[f"{stratum}/{half}"] = ClassScores.of((r["gold"], r["predicted"]) for r in chosen)
    return groups, records


def report_lines(groups: dict[str, ClassScores]) -> list[str]:
    lines = []
    for name, s in groups.items():
        lines.append(f"{name}: {sum(s.gold.values())} items, accuracy {s.accuracy:.3f}")
        lines += s.lines(MODALITIES)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="broadsheet evaluate modality", description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=Path("../shared/corpora"), help="the annotated corpora folder")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write every figure and every item's reading as JSON")
    args = parser.parse_args(argv)
    train_dir = args.corpora / "polnear" / "data" / "train"
    if not (train_dir / "attributions").is_dir():
        print(f"PolNeAR train split not found under {args.corpora}; nothing to evaluate.", file=sys.stderr)
        return 0
    groups, records = evaluate(train_dir, read_labels())
    results = {
        name: {
            "items": sum(s.gold.values()),
            "accuracy": s.accuracy,
            **{label: dict(zip(("precision", "recall", "f1"), s.prf(label), strict=True)) for label in MODALITIES},
        }
        for name, s in groups.items()
    }
    results["items"] = records  # type: ignore[assignment]
    return print_results("\n".join(report_lines(groups)), results, args.json)


if __name__ == "__main__":
    sys.exit(main())
