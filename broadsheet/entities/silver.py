"""Silver training data: unlabeled news text labeled by a trained recognizer (the teacher).

The shipped ensemble is more accurate than any one pipeline but half as fast. Training one
pipeline on the gold corpora plus news text the ensemble has labeled (knowledge distillation
with hard labels) moves the single pipeline towards the ensemble's accuracy at the single
pipeline's speed. The text is what :data:`broadsheet.entities.corpora.UNLABELED_SOURCES` names:
training splits only, never a dev split.

The teacher reads each article whole (its one-reading-per-text step needs the whole article);
the article is then cut at paragraph breaks into training texts of about ``max_tokens`` tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from broadsheet.entities.corpora import AnnotatedSentence, EntitySpan


class _Finder(Protocol):
    def find_many(self, texts: Sequence[str], batch_size: int = ...) -> list[list[Any]]: ...


def _token_span(doc: Any, start: int, end: int) -> tuple[int, int, bool]:
    """The tokens of characters ``[start, end)`` and whether they match it exactly."""
    span = doc.char_span(start, end)
    if span is not None:
        return span.start, span.end, True
    wide = doc.char_span(start, end, alignment_mode="expand")
    return wide.start, wide.end, False


def _is_break(token: Any) -> bool:
    return token.is_space and "\n" in token.text


def silver_documents(
    articles: Iterable[tuple[str, str]],
    teacher: _Finder,
    make_doc: Any,
    max_tokens: int = 400,
) -> list[AnnotatedSentence]:
    """Training texts from ``(doc_id, text)`` articles with the teacher's mentions as gold.

    A mention whose edges fall inside a token (the tokenizers disagree) is left unannotated,
    neither entity nor outside, rather than taught wrongly; so is a mention cut by a piece
    boundary, which cannot happen as pieces end at line breaks and names do not span them.
    """
    articles = [(doc_id, text) for doc_id, text in articles if text.strip()]
    found = teacher.find_many([text for _, text in articles])
    out: list[AnnotatedSentence] = []
    for (doc_id, text), mentions in zip(articles, found, strict=True):
        doc = make_doc(text)
        spans: list[EntitySpan] = []
        missing: list[tuple[int, int]] = []
        for m in mentions:
            a, b, exact = _token_span(doc, m.start, m.end)
            if exact:
                spans.append(EntitySpan(a, b, m.label))
            else:
                missing.append((a, b))
        # Cut after a line break once a piece has max_tokens tokens.
        cuts = [0]
        for token in doc:
            if token.i + 1 - cuts[-1] >= max_tokens and _is_break(token):
                cuts.append(token.i + 1)
        if cuts[-1] != len(doc):
            cuts.append(len(doc))
        for k, (lo, hi) in enumerate(zip(cuts, cuts[1:])):
            words = [t.text for t in doc[lo:hi]]
            if not any(w.strip() for w in words):
                continue
            spaces = [bool(t.whitespace_) for t in doc[lo:hi]]
            spaces[-1] = False
            piece_spans = tuple(EntitySpan(s.start - lo, s.end - lo, s.label) for s in spans if lo <= s.start and s.end <= hi)
            piece_missing = tuple((max(a, lo) - lo, min(b, hi) - lo) for a, b in missing if a < hi and lo < b)
            cut_spans = tuple((max(s.start, lo) - lo, min(s.end, hi) - lo) for s in spans if s.start < hi and lo < s.end and not (lo <= s.start and s.end <= hi))
            out.append(
                AnnotatedSentence(
                    words=tuple(words),
                    spans=piece_spans,
                    spaces=tuple(spaces),
                    doc_id=f"{doc_id}#{k}",
                    missing=tuple(sorted(set(piece_missing + cut_spans))),
                )
            )
    return out
