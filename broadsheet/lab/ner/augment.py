"""Case augmentation for training the entity recognizer.

The training corpora are edited text: names are capitalized and little else is. Real articles
are not always so: headlines come in Title Case (every content word capitalized, so capitals
stop marking names) or ALL CAPS, and scraped text or social posts come lower-cased. A tagger that
has only seen edited text leans on capitals alone and fails on those lines. So, while training,
each sentence of a training document is, with a small probability, rewritten in one of those
three cases; its gold entities stay where they are. The other sentences keep their case, so the
tagger still learns what capitals mean in edited text, and an epoch costs what it cost before.

The augmenter is registered with spaCy as ``broadsheet.case_augmenter.v1``; the training config
names it (see :mod:`broadsheet.lab.ner.train`). spaCy draws from Python's ``random``, which the
training loop seeds: the same seed gives the same variants.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from functools import partial

#: Words a Title Case headline leaves lower-case (the usual English headline styles agree on these).
HEADLINE_LOWER = frozenset(
    "a an the and but or nor for so yet of in on at to by up as via with from into onto over per than".split()
)

SENTENCE_END = frozenset({".", "!", "?"})


def _title(word: str, first: bool) -> str:
    if not word[:1].isalpha() or (not first and word.lower() in HEADLINE_LOWER):
        return word
    return word[:1].upper() + word[1:]


def recase(words: list[str], mode: str) -> list[str]:
    """``words`` of one sentence written in ``mode``: ``upper``, ``lower`` or ``title``."""
    if mode == "upper":
        return [w.upper() for w in words]
    if mode == "lower":
        return [w.lower() for w in words]
    if mode == "title":
        return [_title(w, i == 0) for i, w in enumerate(words)]
    raise ValueError(f"unknown case {mode!r}")


def sentence_ranges(words: list[str]) -> list[tuple[int, int]]:
    """Token ranges of the sentences of a document: they end at sentence-final punctuation or at
    a line break (training documents join their sentences with spaces or line breaks)."""
    ranges: list[tuple[int, int]] = []
    start = 0
    for i, word in enumerate(words):
        if word in SENTENCE_END or "\n" in word:
            ranges.append((start, i + 1))
            start = i + 1
    if start < len(words):
        ranges.append((start, len(words)))
    return ranges


def recased_words(words: list[str], rates: dict[str, float], rng: random.Random) -> list[str] | None:
    """The document's words with some sentences recased (each sentence independently: ``upper``
    with probability ``rates['upper']``, and so on), or None when no sentence was drawn."""
    out = list(words)
    changed = False
    for start, end in sentence_ranges(words):
        draw = rng.random()
        for mode, rate in rates.items():
            if draw < rate:
                new = recase(words[start:end], mode)
                if new != words[start:end]:
                    out[start:end] = new
                    changed = True
                break
            draw -= rate
    return out if changed else None


def case_augmenter(nlp, example, *, rates: dict[str, float]) -> Iterator:  # noqa: ANN001 - spaCy types
    """spaCy augmenter: the example with some sentences recased (itself when none was drawn)."""
    from spacy.training.augment import _doc_to_biluo_tags_with_partial

    reference = example.reference
    words = [t.text for t in reference]
    new_words = recased_words(words, rates, random)  # type: ignore[arg-type] - the module draws like an instance
    if new_words is None:
        yield example
        return
    example_dict = example.to_dict()
    example_dict["doc_annotation"]["entities"] = _doc_to_biluo_tags_with_partial(reference)
    example_dict["token_annotation"]["ORTH"] = new_words
    text = "".join(w + t.whitespace_ for w, t in zip(new_words, reference, strict=True))
    yield example.from_dict(nlp.make_doc(text), example_dict)


def create_case_augmenter(upper: float, lower: float, title: float) -> Callable:
    """The augmenter for spaCy's config: per-sentence probabilities of each case."""
    if min(upper, lower, title) < 0 or upper + lower + title > 1:
        raise ValueError(f"case augmentation rates must be probabilities summing to at most 1: {upper}, {lower}, {title}")
    return partial(case_augmenter, rates={"upper": upper, "lower": lower, "title": title})


def register() -> None:
    """Make ``broadsheet.case_augmenter.v1`` known to spaCy's registry (idempotent)."""
    from spacy.util import registry

    if "broadsheet.case_augmenter.v1" not in registry.augmenters.get_all():
        registry.augmenters.register("broadsheet.case_augmenter.v1", func=create_case_augmenter)
