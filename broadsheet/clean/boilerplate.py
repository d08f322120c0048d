"""The learned boilerplate classifier: how likely a paragraph left by the rules is page debris.

Rules cut the debris whose wording is known (`rules.yaml`); what a scraper keeps beyond that is
mostly shaped alike whatever its language: teaser headlines of other articles between the
paragraphs, subscription and cookie notices, captions, embedded posts, an author's box at the
end. Gradient-boosted trees of depth two over language-independent features of each paragraph and its
neighbours (length, final punctuation, punctuation and capitalisation shares, links, markup kind,
position, how far it is from the article's prose, a few cue words) scores those.

Model card. Trained by `broadsheet.lab.boilerplate` on the Fundus dev pages (real news pages of
about 150 publishers, four fifths of them not in English) rendered to text twice, as the HTML
reader gives it and as Markdown; a paragraph is labelled content when most of its words are in
the page's gold body. Cross-validated by publisher (the pages of a publisher are never both
trained on and scored); the figures are in the model file under `cross_validation`. The file
holds trees, feature names and figures only: no corpus text is stored. Known limits: news and
magazine pages of 2023-2026 as the HTML reader renders them; a paragraph is judged as a whole (debris inside a
paragraph is the rules'); text of another shape, such as wire copy with one short paragraph per
sentence, is outside what it has seen (on PolNeAR's dev articles it cut live-blog time stamps),
which is why its rule applies to HTML only and why it never cuts a sentence of `keep_words`
words or more, a quotation, a heading or a list (see :func:`decide`).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["FEATURES", "Model", "Paragraph", "decide", "feature_rows", "load_model", "plain_kind"]

_WORD = re.compile(r"\w+")
_CASED_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A sentence's end: Latin and CJK full stops, ?, !, an ellipsis; a closing quote or bracket may follow.
_SENTENCE_END = re.compile(r"[.!?…。！？](?:[\"'”’»)\]]+)?$")
_INNER_SENTENCE_END = re.compile(r"[.!?。！？][\"'”’»)]*\s+\S")
_PUNCT = re.compile(r"[,;:.!?，、。；：]")
_COMMA = re.compile(r"[,，、]")
# A short label and a colon opening the paragraph ("Read more:", "Photo:", "Sendung:").
_LABEL = re.compile(r"^[^\W\d_][\w'’-]*(?:\s+[\w'’-]+){0,2}\s*:")
_URL_OR_HANDLE = re.compile(r"https?://|www\.|\S@\S+\.\w|(?<!\w)@\w{2,}|pic\.twitter")
_DIGIT = re.compile(r"\d")
_SEPARATOR = re.compile(r"\s[|»›·•]\s")
# "— Name (@handle) Month 1, 2025" closing an embedded post, "– additional reporting by ...".
_DASH_OPENING = re.compile(r"^[—–-]\s*\S")
# The Markdown link shape the md-link rule unwraps: its anchor text is what a reader sees.
_MD_LINK = re.compile(r"\[([^\[\]\n]+)\]\((?:https?://|/|#|mailto:)[^)\s]*(?:\s+\"[^\"]*\")?\)")
_QUOTE = re.compile(r"[\"“”„«»「」]")
# A paragraph this long that ends like a sentence is article prose to the classifier's context features.
_PROSE_WORDS = 25

KINDS = ("heading", "list_item", "quote", "table")
# Text renderings of a page (the HTML reader's, a scraper's) write list items and quotes this way.
_PLAIN_KINDS = (
    ("list_item", re.compile(r"(?:[-*•–]|\d{1,3}[.)])\s")),
    ("quote", re.compile(r">\s?")),
    ("table", re.compile(r"\|")),
)

FEATURES = (
    "bias_markdown",
    "log_words",
    "ends_sentence",
    "inner_sentences",
    "punct_per_word",
    "comma_per_word",
    "capitalised_share",
    "upper_share",
    "digit_share",
    "link_share",
    *(f"kind_{k}" for k in KINDS),
    "label_colon",
    "url_or_handle",
    "copyright_sign",
    "separators",
    "dash_opening",
    "cue_debris",
    "cue_related",
    "position",
    "first",
    "last",
    "doc_log_words",
    "word_share",
    "before_prose",
    "after_prose",
    "prose_distance",
    "prev_log_words",
    "next_log_words",
    "prev_ends_sentence",
    "next_ends_sentence",
    "prev_prose",
    "next_prose",
    "repeated",
    "window_short_share",
)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph as the classifier sees it: the words a reader sees and what surrounds them."""

    text: str  # visible text, markup unwrapped, lines joined by a space
    raw: str  # the input text it was read from (Markdown links still written out)
    kind: str = "paragraph"  # paragraph | heading | list_item | quote | table | code | rule
    markdown: bool = False


def plain_kind(raw: str) -> str:
    """The block kind a paragraph of plain text shows by its first characters."""
    return next((kind for kind, mark in _PLAIN_KINDS if mark.match(raw)), "paragraph")


@dataclass(frozen=True)
class _Shape:
    words: int
    ends_sentence: bool
    prose: bool


def _shape(p: Paragraph) -> _Shape:
    words = len(_WORD.findall(p.text))
    ends = bool(_SENTENCE_END.search(p.text))
    return _Shape(words, ends, ends and words >= _PROSE_WORDS and p.kind not in ("heading", "table"))


def _key(text: str) -> str:
    """A paragraph's words, for telling that the page repeats it (a notice in every embed box)."""
    return " ".join(_WORD.findall(text.casefold()))


def feature_rows(
    paragraphs: Sequence[Paragraph],
    cues: re.Pattern[str] | None = None,
    related: re.Pattern[str] | None = None,
) -> list[list[float]]:
    """The feature vector (in `FEATURES` order) of every paragraph of one article.

    `cues`: a pattern searched in the paragraph (words that mark page furniture); `related`: a
    pattern a related-articles label matches whole ("Read more"). Both come from `rules.yaml`.
    """
    shapes = [_shape(p) for p in paragraphs]
    n = len(paragraphs)
    total = sum(s.words for s in shapes) or 1
    prose = [i for i, s in enumerate(shapes) if s.prose]
    first_prose, last_prose = (prose[0], prose[-1]) if prose else (n, -1)
    seen = Counter(_key(p.text) for p in paragraphs)
    rows = []
    for i, (p, s) in enumerate(zip(paragraphs, shapes, strict=True)):
        text = p.text
        words = _CASED_WORD.findall(text)
        cased = [w for w in words if w[0].isupper() or w[0].islower()]
        capitalised = sum(1 for w in cased if w[0].isupper()) / len(cased) if cased else 0.0
        upper = sum(1 for w in cased if len(w) > 1 and w.isupper()) / len(cased) if cased else 0.0
        chars = max(1, len(text))
        prev_s = shapes[i - 1] if i > 0 else None
        next_s = shapes[i + 1] if i + 1 < n else None
        window = shapes[max(0, i - 2) : i + 3]
        distance = min((abs(i - j) for j in prose), default=n)
        row = {
            "bias_markdown": float(p.markdown),
            "log_words": math.log1p(s.words),
            "ends_sentence": float(s.ends_sentence),
            "inner_sentences": math.log1p(len(_INNER_SENTENCE_END.findall(text))),
            "punct_per_word": len(_PUNCT.findall(text)) / max(1, s.words),
            "comma_per_word": len(_COMMA.findall(text)) / max(1, s.words),
            "capitalised_share": capitalised,
            "upper_share": upper,
            "digit_share": len(_DIGIT.findall(text)) / chars,
            "link_share": _link_share(p),
            **{f"kind_{k}": float(p.kind == k) for k in KINDS},
            "label_colon": float(bool(_LABEL.match(text))),
            "url_or_handle": float(bool(_URL_OR_HANDLE.search(text))),
            "copyright_sign": float("©" in text),
            "separators": float(bool(_SEPARATOR.search(text))),
            "dash_opening": float(bool(_DASH_OPENING.match(text))),
            "cue_debris": float(bool(cues and cues.search(text))),
            "cue_related": float(bool(related and related.fullmatch(text.strip(" :»›>")))),
            "position": i / (n - 1) if n > 1 else 0.0,
            "first": float(i == 0),
            "last": float(i == n - 1),
            "doc_log_words": math.log1p(total),
            "word_share": s.words / total,
            "before_prose": float(i < first_prose),
            "after_prose": float(i > last_prose),
            "prose_distance": math.log1p(distance),
            "prev_log_words": math.log1p(prev_s.words) if prev_s else 0.0,
            "next_log_words": math.log1p(next_s.words) if next_s else 0.0,
            "prev_ends_sentence": float(prev_s.ends_sentence) if prev_s else 0.0,
            "next_ends_sentence": float(next_s.ends_sentence) if next_s else 0.0,
            "prev_prose": float(prev_s.prose) if prev_s else 0.0,
            "next_prose": float(next_s.prose) if next_s else 0.0,
            "repeated": float(seen[_key(text)] > 1),
            "window_short_share": sum(1 for w in window if w.words < 12 and not w.ends_sentence) / len(window),
        }
        rows.append([row[name] for name in FEATURES])
    return rows


Tree = float | list  # a leaf's score, or [feature index, threshold, tree if <=, tree if >]


def _score(tree: Tree, row: Sequence[float]) -> float:
    while isinstance(tree, list):
        tree = tree[2] if row[tree[0]] <= tree[1] else tree[3]
    return tree


@dataclass(frozen=True)
class Model:
    """Boosted shallow trees: p(debris) = σ(base + rate · Σ tree(x))."""

    features: tuple[str, ...]
    base: float
    rate: float
    trees: tuple[Tree, ...]
    threshold: float  # a paragraph is debris above this probability
    keep_words: int  # a paragraph of at least this many words ending like a sentence is never cut

    def probabilities(self, rows: Sequence[Sequence[float]]) -> list[float]:
        out = []
        for row in rows:
            z = self.base + self.rate * math.fsum(_score(tree, row) for tree in self.trees)
            out.append(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))))
        return out

    def debris(self, paragraphs: Sequence[Paragraph], rows: Sequence[Sequence[float]]) -> list[bool]:
        """Which paragraphs to cut (see :func:`decide`)."""
        return decide(paragraphs, self.probabilities(rows), self.threshold, self.keep_words)


def _structure(paragraphs: Sequence[Paragraph], i: int) -> bool:
    """Whether a paragraph is the article's own: a heading, a list or its lead-in, a quotation."""
    p = paragraphs[i]
    if p.kind == "heading":
        return True
    if p.kind == "list_item":
        return _link_share(p) < 0.5
    if _QUOTE.search(p.text):
        return True  # a quotation is reported speech: the article's, even in a short paragraph
    following = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
    if p.text.rstrip().endswith(":") and following is not None and following.kind == "list_item":
        return True
    # A short paragraph between two of prose is a section title or a sentence of the article.
    before = paragraphs[i - 1] if i > 0 else None
    return before is not None and following is not None and _shape(before).prose and _shape(following).prose


def _link_share(p: Paragraph) -> float:
    if not p.markdown:
        return 0.0
    return min(1.0, sum(len(m.group(1)) for m in _MD_LINK.finditer(p.raw)) / max(1, len(p.text)))


def decide(paragraphs: Sequence[Paragraph], probabilities: Sequence[float], threshold: float, keep_words: int) -> list[bool]:
    """Which paragraphs to cut: those scored above `threshold`, with six guards.

    The first paragraph stays: it is the article's title or headline where the text starts with
    one (a Markdown title heading, a plain text's headline line), which the documents take as
    the title. A Markdown heading stays: it is the article's own structure (section titles),
    which a teaser box does not mark up as one. So does a paragraph holding a quotation, and a list, and the line that introduces it
    (ending in a colon), unless the item is mostly link text: an article's own enumerations are
    content even where some publishers' gold leaves them out. A long paragraph that ends like a sentence
    (`keep_words` words or more) is prose and stays.
    A text without any paragraph of prose is left whole: the model reads a paragraph against the
    article's prose around it, and a short note has none. A verdict that would cut more words than
    it keeps is not trusted, and nothing is cut.
    """
    shapes = [_shape(p) for p in paragraphs]
    if not any(s.prose for s in shapes):
        return [False] * len(paragraphs)
    cut = [
        prob > threshold and not (s.ends_sentence and s.words >= keep_words) and not _structure(paragraphs, i)
        for i, (s, prob) in enumerate(zip(shapes, probabilities, strict=True))
    ]
    cut[0] = False
    if 2 * sum(s.words for s, c in zip(shapes, cut, strict=True) if c) > sum(s.words for s in shapes):
        return [False] * len(paragraphs)
    return cut


def _check_tree(tree: object, where: str) -> None:
    if isinstance(tree, int | float):
        return
    if not (isinstance(tree, list) and len(tree) == 4 and isinstance(tree[0], int) and 0 <= tree[0] < len(FEATURES)):
        raise ValueError(f"{where}: a tree node must be a score or [feature, threshold, left, right]")
    _check_tree(tree[2], where)
    _check_tree(tree[3], where)


def model_from_json(doc: dict[str, Any], where: str = "<memory>") -> Model:
    features = tuple(doc["features"])
    if features != FEATURES:
        # Features added, removed or reordered since training: the trees would read the wrong ones.
        raise ValueError(f"{where}: the model was trained on other features; retrain it (broadsheet train-boilerplate)")
    for tree in doc["trees"]:
        _check_tree(tree, where)
    return Model(
        features=features,
        base=float(doc["base"]),
        rate=float(doc["rate"]),
        trees=tuple(doc["trees"]),
        threshold=float(doc["threshold"]),
        keep_words=int(doc["keep_words"]),
    )


@lru_cache(maxsize=4)
def load_model(path: Path) -> Model:
    return model_from_json(json.loads(Path(path).read_text(encoding="utf-8")), str(path))
