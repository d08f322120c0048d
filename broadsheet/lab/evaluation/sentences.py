"""Sentence boundaries of `broadsheet.text.sentence_spans` against gold sentences.

The splitter numbers every table's `sentence_index` and the `sentences` table, and the clean
stage's publication-date inference reads sentence by sentence. Each gold document is rebuilt as
text (sentences joined by a space, paragraphs by a blank line), split, and the boundaries inside
paragraphs compared with the gold ones (a paragraph break is given to the splitter, so it is not
counted). Sets, under `--corpora`:
- GUM news (the 24 Wikinews documents) and all of GUM (238 documents, 15 genres): each
  sentence's `# text`, paragraphs from `# newpar`;
- CoNLL-2003 `eng.testa` (Reuters news) and wikigold: tokens joined back into text (no space
  before closing punctuation and contractions, quotes attached to what they enclose), and a gold
  sentence that does not end in `.`, `!` or `?` (a headline, a dateline, a table row) taken as a
  line of its own, as it stands in an article.

Run: `broadsheet evaluate sentences --corpora ../shared/corpora`.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from broadsheet.lab.evaluation import prf, print_results
from broadsheet.lab.ner.annotated import CorpusNotFound
from broadsheet.lab.ner.corpora import read_conll2003, read_wikigold
from broadsheet.lab.ner.gum import gum_documents

DEFAULT_CORPORA = Path("../shared/corpora")
# Paragraphs, each a list of its sentences' texts.
Document = list[list[str]]
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
_NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "%", "'s", "'S", "n't", "'re", "'ve", "'ll", "'d", "'m"}


@dataclass
class Tally:
    documents: int = 0
    sentences: int = 0
    true: int = 0
    false: int = 0
    missed: int = 0
    seconds: float = 0.0

    def figures(self) -> dict[str, float]:
        p, r, f = prf(self.true, self.true + self.false, self.true + self.missed)
        return {"P": p, "R": r, "F1": f}


def gum_paragraphs(path: Path) -> Document:
    """A GUM document's paragraphs: the `# text` of its sentences, grouped by `# newpar`."""
    paragraphs: Document = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newpar") and not line.startswith("# newpar_"):
            paragraphs.append([])
        elif line.startswith("# text = "):
            if not paragraphs:
                paragraphs.append([])
            paragraphs[-1].append(line.removeprefix("# text = "))
    return [p for p in paragraphs if p]


def detokenize(tokens: Sequence[str]) -> str:
    """Tokens as running text: no space before closing punctuation or a contraction, a straight
    double quote attached to the words it encloses (opening, unless one is open or it ends the sentence)."""
    out = ""
    quote_open = False
    previous = ""
    for k, token in enumerate(tokens):
        if token == '"':
            closes = quote_open or (out and all(t in _NO_SPACE_BEFORE or t == '"' for t in tokens[k + 1 :]))
            out += '"' if closes else (" " if out else "") + '"'
            quote_open = not closes
        elif not out or token in _NO_SPACE_BEFORE or previous in {"(", "[", "$"} or (previous == '"' and quote_open):
            out += token
        else:
            out += " " + token
        previous = token
    return out


def conll_paragraphs(sentences: Sequence) -> Iterator[Document]:
    """Documents of tokenized sentences (`AnnotatedSentence`), as paragraphs of running text."""
    by_doc: dict[str, list[str]] = {}
    for sentence in sentences:
        by_doc.setdefault(sentence.doc_id, []).append(detokenize(sentence.words))
    for texts in by_doc.values():
        paragraphs: Document = [[]]
        for text in texts:
            paragraphs[-1].append(text)
            if not _SENTENCE_END.search(text):
                paragraphs.append([])  # a headline, dateline or table row: a line of its own
        yield [p for p in paragraphs if p]


def as_text(document: Document) -> tuple[str, set[int], list[tuple[int, int]]]:
    """The document's text, the offsets where a gold sentence starts inside a paragraph, and the paragraphs' spans."""
    text = ""
    boundaries: set[int] = set()
    paragraphs: list[tuple[int, int]] = []
    for paragraph in document:
        if text:
            text += "\n\n"
        start = len(text)
        for k, sentence in enumerate(paragraph):
            if k:
                text += " "
                boundaries.add(len(text))
            text += sentence
        paragraphs.append((start, len(text)))
    return text, boundaries, paragraphs


def score(documents: Sequence[Document]) -> Tally:
    from broadsheet.text import _sentence_spans, sentence_spans

    tally = Tally()
    for document in documents:
        text, gold, paragraphs = as_text(document)
        _sentence_spans.cache_clear()  # time the splitting, not the cache
        started = time.perf_counter()
        spans = sentence_spans(text)
        tally.seconds += time.perf_counter() - started
        predicted = {start for start, _ in spans} - {start for start, _ in paragraphs}
        tally.documents += 1
        tally.sentences += sum(len(p) for p in document)
        tally.true += len(predicted & gold)
        tally.false += len(predicted - gold)
        tally.missed += len(gold - predicted)
    return tally


def dev_sets(corpora: Path) -> dict[str, list[Document]]:
    sets: dict[str, list[Document]] = {}
    for name, which in (("GUM news", "news"), ("GUM all", "all")):
        try:
            sets[name] = [gum_paragraphs(path) for path in gum_documents(corpora, which)]
        except CorpusNotFound as exc:
            print(f"skipped {name}: {exc}", file=sys.stderr)
    for name, read in (
        ("CoNLL-2003 testa", lambda: read_conll2003(corpora, "testa")),
        ("wikigold", lambda: read_wikigold(corpora)),
    ):
        try:
            sets[name] = list(conll_paragraphs(read()))
        except CorpusNotFound as exc:
            print(f"skipped {name}: {exc}", file=sys.stderr)
    return sets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="broadsheet evaluate sentences", description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="the annotated corpora folder")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    sets = dev_sets(args.corpora)
    if not sets:
        print(f"no sentence corpora under {args.corpora}; nothing measured", file=sys.stderr)
        return 0
    lines = []
    results: dict[str, dict[str, float]] = {}
    for name, documents in sets.items():
        tally = score(documents)
        figures = tally.figures()
        words = sum(len(s.split()) for d in documents for p in d for s in p)
        figures["words_per_s"] = words / tally.seconds if tally.seconds else 0.0
        results[name] = figures
        lines.append(
            f"{name:18s} {tally.documents:4d} documents {tally.sentences:6d} sentences  P {figures['P']:.3f}  "
            f"R {figures['R']:.3f}  F1 {figures['F1']:.3f}  ({figures['words_per_s']:,.0f} words/s on one core)"
        )
    mean = sum(f["F1"] for f in results.values()) / len(results)
    lines.append(f"mean boundary F1 over {len(results)} sets: {mean:.3f}")
    return print_results("\n".join(lines), {"sets": results, "mean_f1": mean}, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
