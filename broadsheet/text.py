"""Shared text primitives: paragraphs, sentences and words as character spans.

Every extractor and the documents table count sentences the same way, so `sentence_index` in any
table means the same sentence. Spans are end-exclusive offsets into the text they were computed on.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from pathlib import Path

import sentencex

from broadsheet import yamlfile

_ABBREVIATIONS_FILE = Path(__file__).with_name("abbreviations.yaml")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WORD = re.compile(r"\w+(?:[-'’.]{1,2}\w+)*")

Span = tuple[int, int]

# Sentences are sentencex's (Wikimedia's rule-based splitter), mended where it errs in ways news
# text shows often. Each rule's count is how often it changed the splitter's output on the 2,452
# articles of the TempEval-3 silver newswire and on the 928 PolNeAR political news articles;
# `broadsheet evaluate sentences` measures the result on gold sentences.
# - An opening quote left at the end of the sentence before it ('he said. "' | 'We ...'): 33, 54.
_OPENING_QUOTE_AT_END = re.compile(r"\s([\"“‘`]+|'')\s*$")
# - A sentence end inside a quotation, or before one opens, which sentencex does not cut (it keeps
#   a quotation whole; the gold of every set `broadsheet evaluate sentences` reads cuts there):
#   after a lower-case word of two letters or more, a capitalised one of three or more (not a title
#   or a company's abbreviation), or a closing quote or bracket, then a capital
#   ('"It is over. We lost."', 'she said. "Ask them."'): 928, 2,465.
_ENDS_BEFORE_QUOTATION = re.compile(r"(?:\b[a-z]{2,}|\b[A-Z][a-z]{2,}|[\"”’')\]])([.!?]+)[\"”’]*\s+(?=[\"“‘]*[A-Z])")
# - A list marker taken for a sentence of its own ("1." | "First point."): 15, 53.
_LIST_MARKER = re.compile(r"^(?:\(?\d{1,3}[.)]|\(?[A-Za-z][.)]|[-*•])$")
# - A said-tag cut from the quoted question or exclamation before it ('"Why?"' | 'she asked.'):
#   a sentence does not start with a lower-case word there. 0, 2.
_QUOTED_QUESTION_END = re.compile(r"[?!][\"”’')\]]+$")
# - A title or rank before a name ("Ms." | "Warren said."), which never ends a sentence: 2, 129
#   (nearly all "Ms."; `titles` in abbreviations.yaml). After a company's legal form ("Corp.",
#   `companies` there) no cut is added, though the splitter's own cuts stay.
# - An initialism cut inside a hyphenated word ("Pakistan-U." | "S. relations"): 7, 13.
_INITIAL_END = re.compile(r"(?:^|[^\w.])[A-Z]\.$")
_INITIAL_START = re.compile(r"^[A-Z]\.")


@lru_cache(maxsize=1)
def _abbreviation_ends() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Patterns for a piece ending with a title, and with a company's legal form (abbreviations.yaml)."""
    with _ABBREVIATIONS_FILE.open(encoding="utf-8") as fh:
        data = yamlfile.load(fh)

    def ending(words: list) -> re.Pattern[str]:
        alternatives = "|".join(sorted((re.escape(str(w).capitalize()) for w in words), key=len, reverse=True))
        return re.compile(rf"(?:^|[^\w.])(?:{alternatives})\.$")

    return ending(data["titles"]), ending(data["companies"])


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
        line_start = p_start
        # A line break ends a sentence: a heading, a byline or a list item is a line of its own.
        for line in text[p_start:p_end].split("\n"):
            spans.extend(_line_sentences(text, line_start, line))
            line_start += len(line) + 1
    return tuple(spans)


def _line_sentences(text: str, start: int, line: str) -> list[Span]:
    """The sentences of one line of `text` (which starts at `start`), as trimmed spans.

    sentencex gives pieces that add up to the line exactly, so each piece's place is the sum of
    the lengths before it."""
    pieces = [part for piece in sentencex.segment("en", line) for part in _before_quotations(piece)]
    for k in range(len(pieces) - 1):
        quote = _OPENING_QUOTE_AT_END.search(pieces[k])
        if quote:
            pieces[k], pieces[k + 1] = pieces[k][: quote.start(1)], pieces[k][quote.start(1) :] + pieces[k + 1]
    out: list[Span] = []
    pos = start
    for piece in pieces:
        span = _trim(text, pos, pos + len(piece))
        pos += len(piece)
        if span is None:
            continue
        if out and _continues(text[out[-1][0] : out[-1][1]], text[span[0] : span[1]], joined=out[-1][1] == span[0]):
            out[-1] = (out[-1][0], span[1])
        else:
            out.append(span)
    return out


def _before_quotations(piece: str) -> list[str]:
    """`piece` cut where a sentence ends and a quotation starts, which sentencex leaves whole."""
    title_end, company_end = _abbreviation_ends()
    parts = []
    last = 0
    for end in _ENDS_BEFORE_QUOTATION.finditer(piece):
        if title_end.search(piece, 0, end.end(1)) or company_end.search(piece, 0, end.end(1)):
            continue  # "Gen." before a name, "Corp." before the day it did something
        parts.append(piece[last : end.end()])
        last = end.end()
    parts.append(piece[last:])
    return [p for p in parts if p]


def _continues(before: str, after: str, joined: bool) -> bool:
    """Whether `after` goes on the sentence `before` rather than starting one."""
    if _LIST_MARKER.match(before):
        return True
    if _QUOTED_QUESTION_END.search(before) and after[:1].islower():
        return True
    if _abbreviation_ends()[0].search(before) and after[:1].isupper():
        return True
    return joined and bool(_INITIAL_END.search(before) and _INITIAL_START.match(after))


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
