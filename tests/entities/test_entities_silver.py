"""Silver training data: a teacher's mentions on unlabeled text, as training sentences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import spacy

from broadsheet.entities.silver import silver_documents


@dataclass(frozen=True)
class _M:
    start: int
    end: int
    label: str


class _Teacher:
    """Finds the given strings wherever they occur, as a trained recognizer would report them."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.calls: list[list[str]] = []

    def find_many(self, texts: Sequence[str], batch_size: int = 64) -> list[list[_M]]:
        self.calls.append(list(texts))
        out = []
        for text in texts:
            found = []
            for name, label in self.names.items():
                at = text.find(name)
                while at >= 0:
                    found.append(_M(at, at + len(name), label))
                    at = text.find(name, at + 1)
            out.append(sorted(found, key=lambda m: m.start))
        return out


MAKE_DOC = spacy.blank("en").make_doc


def _named(piece) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(" ".join(piece.words[s.start : s.end]), s.label) for s in piece.spans]


def test_the_teachers_mentions_become_token_spans_and_the_text_is_kept() -> None:
    text = "Angela Merkel met officials in Berlin.\n\nShe left for Paris on Monday."
    teacher = _Teacher({"Angela Merkel": "PERSON", "Berlin": "GPE", "Paris": "GPE"})
    (piece,) = silver_documents([("a1", text)], teacher, MAKE_DOC)
    assert teacher.calls == [[text]]  # the teacher reads the article whole
    assert piece.text == text and piece.doc_id == "a1#0"
    assert _named(piece) == [("Angela Merkel", "PERSON"), ("Berlin", "GPE"), ("Paris", "GPE")]
    assert piece.missing == ()


def test_a_mention_that_splits_a_token_is_left_unannotated_not_taught() -> None:
    text = "Shares of AcmeCorp rose."
    (piece,) = silver_documents([("a1", text)], _Teacher({"Acme": "ORG"}), MAKE_DOC)
    assert piece.spans == ()
    assert piece.missing == ((2, 3),) and piece.words[2] == "AcmeCorp"


def test_long_articles_are_cut_at_line_breaks_into_pieces() -> None:
    paragraph = "Rome is a city in Italy with many old buildings ."
    text = "\n".join([paragraph] * 12)
    pieces = silver_documents([("long", text)], _Teacher({"Rome": "GPE", "Italy": "GPE"}), MAKE_DOC, max_tokens=30)
    assert len(pieces) > 1
    assert [p.doc_id for p in pieces] == [f"long#{k}" for k in range(len(pieces))]
    # every piece ends at a line break (or the end), and together they are the article
    assert "".join(p.text + ("" if p.words[-1].endswith("\n") else "") for p in pieces).replace("\n", "") == text.replace("\n", "")
    assert sum(len(p.spans) for p in pieces) == 24
    for p in pieces:
        assert all(label == "GPE" and name in {"Rome", "Italy"} for name, label in _named(p))
        assert p.spaces[-1] is False


def test_empty_articles_are_skipped() -> None:
    teacher = _Teacher({})
    assert silver_documents([("e", "  \n"), ("f", "")], teacher, MAKE_DOC) == []
    assert teacher.calls == [[]]
