"""Shared text primitives: paragraphs, sentences and words as character spans.

Every extractor and the documents table count sentences the same way, so `sentence_index` in any
table means the same sentence. Spans are end-exclusive offsets into the text they were computed on.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

import pysbd

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WORD = re.compile(r"\w+(?:[-'’.]{1,2}\w+)*")

Span = tuple[int, int]


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    # clean=False keeps the text byte-for-byte so spans stay valid.
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def paragraph_spans(text: str) -> list[Span]:
    """Non-blank paragraphs, separated by blank lines, with surrounding whitespace trimmed."""
    spans: list[Span] = []
    pos = 0
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        span = _trim(text, pos, end)
        if span:
            spans.append(span)
        pos = brk.end() if brk else len(text)
    return spans


def sentence_spans(text: str) -> list[Span]:
    """Sentences in reading order. A sentence never crosses a paragraph break."""
    spans: list[Span] = []
    for p_start, p_end in paragraph_spans(text):
        paragraph = text[p_start:p_end]
        for piece in _segmenter().segment(paragraph):
            span = _trim(text, p_start + piece.start, p_start + piece.end)
            if span:
                spans.append(span)
    return spans


def sentence_index(sentence_starts: list[int], offset: int) -> int:
    """Index of the sentence holding `offset` (the nearest earlier one when it falls between sentences).

    Takes the sorted sentence start offsets so callers locate many spans with one segmentation.
    """
    return max(bisect.bisect_right(sentence_starts, offset) - 1, 0)


def word_count(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
