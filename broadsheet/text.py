"""Shared text primitives: paragraphs, sentences and words as character spans.

Every extractor and the documents table count sentences the same way, so `sentence_index` in any
table means the same sentence. Spans are end-exclusive offsets into the text they were computed on.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

import pysbd
from pysbd.utils import TextSpan

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# pysbd's time grows faster than linearly with the length of what it is given (measured: 6,000
# characters 0.08 s, 48,000 characters 2.0 s, so a 5 MB one-line article would take hours). A
# paragraph longer than this is cut into pieces of at most this size before pysbd sees it. News
# paragraphs are far shorter (no English page of a real news corpus comes near it), so ordinary
# articles are segmented exactly as before.
MAX_SEGMENT_CHARS = 5_000
# Where a long paragraph is cut: after a lower-case word of three or more letters and a full stop,
# question or exclamation mark (and any closing quote or bracket), before a capital or an opening
# quote. No abbreviation pysbd knows ends that way ("Mr.", "U.S.", "Jan." do not), so pysbd
# would end a sentence there too.
_SAFE_SENTENCE_END = re.compile(r"[a-z]{3}[.!?][\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z])")
_WORD = re.compile(r"\w+(?:[-'’.]{1,2}\w+)*")

Span = tuple[int, int]


class _Segmenter(pysbd.Segmenter):
    """pysbd's segmenter, placing its sentences in the text with `str.find` instead of a regular
    expression compiled for every sentence (the escaped sentence followed by ``\\s*``).

    Those one-off patterns were most of pysbd's time: with the clean stage's publication-date
    inference and the extract stage each segmenting every text, about a quarter of a build's
    CPU on the TempEval-3 silver newswire. The placing is the same: for each sentence, its first
    occurrence (scanning as `re.finditer` does, without overlaps) whose end, trailing whitespace
    included, lies past the previous sentence's end; `str.isspace` is what ``\\s`` matches in
    a str pattern. `tests/test_text.py` holds it to pysbd's own method.
    """

    def sentences_with_char_spans(self, sentences: list[str]) -> list[TextSpan]:
        if any(not sent for sent in sentences):
            return super().sentences_with_char_spans(sentences)  # empty matches: pysbd's own way
        text = self.original_text
        spans: list[TextSpan] = []
        prior_end = 0
        for sent in sentences:
            pos = 0
            while (start := text.find(sent, pos)) >= 0:
                end = start + len(sent)
                while end < len(text) and text[end].isspace():
                    end += 1
                if end > prior_end:
                    spans.append(TextSpan(text[start:end], start, end))
                    prior_end = end
                    break
                pos = end
        return spans


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    # clean=False keeps the text byte-for-byte so spans stay valid.
    return _Segmenter(language="en", clean=False, char_span=True)


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
    return list(_sentence_spans(text))


# The documents table, the publication-date inference and the extractors each ask for the same
# text's sentences; segmenting is the costly part of all of them, so the last few are kept.
@lru_cache(maxsize=8)
def _sentence_spans(text: str) -> tuple[Span, ...]:
    spans: list[Span] = []
    for p_start, p_end in paragraph_spans(text):
        for c_start, c_end in _segment_pieces(text, p_start, p_end):
            for piece in _segmenter().segment(text[c_start:c_end]):
                span = _trim(text, c_start + piece.start, c_start + piece.end)
                if span:
                    spans.append(span)
    return tuple(spans)


def _segment_pieces(text: str, start: int, end: int, limit: int = MAX_SEGMENT_CHARS) -> list[Span]:
    """`text[start:end]` cut into pieces of at most `limit` characters for the sentence splitter.

    Cuts go at the last safe sentence end (see `_SAFE_SENTENCE_END`) of each window; a window
    without one (a run of text with no sentence punctuation) is cut at its last whitespace, and
    one without whitespace at the limit itself, so the splitter's work stays linear in the length.
    """
    pieces: list[Span] = []
    while end - start > limit:
        window_end = start + limit
        cut = None
        outside_quotes = None
        for match in _SAFE_SENTENCE_END.finditer(text, start, window_end):
            cut = match.end()
            # pysbd keeps a quotation of several sentences together; cutting inside one would
            # split it where a whole-paragraph run does not, so a cut outside quotes is preferred.
            if _quotes_closed(text, start, cut):
                outside_quotes = cut
        cut = outside_quotes or cut
        if cut is None or cut <= start:
            space = max(text.rfind(" ", start + 1, window_end), text.rfind("\n", start + 1, window_end))
            cut = space + 1 if space > start else window_end
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _quotes_closed(text: str, start: int, end: int) -> bool:
    piece = text[start:end]
    return piece.count("“") == piece.count("”") and piece.count('"') % 2 == 0


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
