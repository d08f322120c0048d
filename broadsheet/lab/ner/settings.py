"""What one training run of the entity recognizer is made of: its settings and the split of its
sources into training and held-out validation documents. Kept apart from the training loop so the
model card and the evaluation can read them without importing spaCy's training machinery.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from broadsheet.lab.ner.corpora import TRAIN_SOURCES, AnnotatedSentence, load_sets
from broadsheet.lab.ner.vectors import VectorSettings

#: The seeds of the shipped model: one pipeline per seed, decoded together.
DEFAULT_SEEDS: tuple[int, ...] = (1, 2)


#: Which training sources the shipped model uses.
DEFAULT_SOURCES: tuple[str, ...] = ("conll2003-train", "uner-ewt-train", "wikigold", "gum-train-nonnews")


@dataclass(frozen=True)
class TrainSettings:
    """The knobs of one training run; all of them go into the model card."""

    sources: tuple[str, ...] = DEFAULT_SOURCES
    seed: int = 1
    width: int = 128
    depth: int = 4
    window: int = 1
    embed_rows: tuple[int, int, int, int] = (10000, 4000, 4000, 1000)
    hidden_width: int = 64
    dropout: float = 0.1
    learn_rate: float = 0.001
    max_epochs: int = 6
    patience: int = 4000
    eval_frequency: int = 500
    # Words per batch, growing from start to stop: large batches because every step updates
    # the whole embedding table, which costs the same whatever the batch size.
    batch_start: int = 500
    batch_stop: int = 2000
    # Hold out one document in this many from each source to pick the best checkpoint.
    validation_every: int = 20
    # Static word vectors trained from unlabeled text (None: no static vectors).
    vectors: VectorSettings | None = field(default_factory=VectorSettings)
    # Epochs of pretraining the token encoder on the unlabeled text before the tagger is trained
    # (0: none). The objective is spaCy's character cloze: predict each word's first and last
    # characters from its context, which teaches the encoder what names look like in context.
    pretrain_epochs: int = 0
    # Per-sentence probabilities of rewriting a training sentence in UPPER, lower and Title case
    # while training (see broadsheet.lab.ner.augment); the other sentences keep their case.
    case_augment: tuple[float, float, float] = (0.0, 0.0, 0.0)


def is_validation_doc(doc_id: str, every: int) -> bool:
    """Whether a training document is held out for checkpoint selection (stable across runs)."""
    digest = hashlib.sha256(doc_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % every == 0


def split_sources(
    corpora: Path, sources: Sequence[str], every: int
) -> tuple[dict[str, list[AnnotatedSentence]], list[AnnotatedSentence]]:
    """Training sentences per source, and the held-out validation sentences of all sources."""
    sets = load_sets(corpora, sources, TRAIN_SOURCES)
    train: dict[str, list[AnnotatedSentence]] = {}
    validation: list[AnnotatedSentence] = []
    for name, sentences in sets.items():
        train[name] = [s for s in sentences if not is_validation_doc(s.doc_id, every)]
        validation.extend(s for s in sentences if is_validation_doc(s.doc_id, every))
    return train, validation
