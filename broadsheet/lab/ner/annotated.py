"""An annotated sentence: its words, their spacing, and the entity spans a corpus gives it, in
the corpus' own labels until `broadsheet.lab.ner.corpora.to_our_labels` maps them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class EntitySpan:
    """An entity over tokens ``start``..``end`` (end-exclusive) of a sentence."""

    start: int
    end: int
    label: str
    #: Which entity the corpus says this is, where it says (GUM): ``entity`` within the document,
    #: ``identity`` across documents (a Wikipedia title), else "". Not part of equality: two
    #: spans are the same annotation whatever the corpus links them to.
    entity: str = field(default="", compare=False)
    identity: str = field(default="", compare=False)


@dataclass(frozen=True)
class AnnotatedSentence:
    words: tuple[str, ...]
    spans: tuple[EntitySpan, ...]
    #: Whether a space follows each word (reconstructed where the corpus keeps the text).
    spaces: tuple[bool, ...]
    doc_id: str
    #: Token ranges (start, end) whose annotation the corpus leaves unspecified.
    missing: tuple[tuple[int, int], ...] = field(default=())

    @property
    def text(self) -> str:
        return "".join(w + (" " if s else "") for w, s in zip(self.words, self.spaces, strict=True))


class CorpusNotFound(FileNotFoundError):
    """A corpus file is not where the corpora folder should have it."""


def require_file(path: Path) -> Path:
    if not path.exists():
        raise CorpusNotFound(f"corpus file not found: {path}")
    return path
