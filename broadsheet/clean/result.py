"""What cleaning one article returns: the clean text, every cut made, and the metadata read.

`Segment` is one cut, as offsets into the input text; `CleanResult` holds the clean text with the
verbatim runs that map its offsets back to the input (see `broadsheet.clean.cleaner` for how a
text is cleaned, and for the offset conventions).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = ["CleanResult", "Segment"]


@dataclass(frozen=True)
class Segment:
    start: int  # offsets into the INPUT text (end-exclusive)
    end: int
    rule_id: str  # id of the rule in rules.yaml that matched
    action: str  # "remove" | "metadata" | "unwrap" (markdown syntax removed, anchor text kept)
    field: str | None  # for action == "metadata": authors | published_date | original_url | original_source | publisher
    value: str | None  # the metadata value extracted (e.g. "Marianna Belenkaya", "2020-01-08")
    text: str  # the removed text itself


@dataclass(frozen=True)
class CleanResult:
    text: str  # the cleaned text (paragraphs separated by "\n\n", no trailing spaces)
    segments: tuple[Segment, ...]  # every removed piece, in input order
    authors: tuple[str, ...]
    published_date: dt.date | None
    published_date_source: str | None  # "byline" (a byline or date line) or "text" (a dateline)
    original_url: str | None
    original_source: str | None  # "the Harbour Gazette", "Northern Review"
    publisher: str | None = None  # from a copyright line, when the text has one
    # The words of a leading level-1 heading (Markdown), which are also the text's first paragraph.
    title: str | None = None
    # Verbatim stretches of `text`: (clean_start, input_start, length); see the module docstring.
    runs: tuple[tuple[int, int, int], ...] = field(default=(), repr=False)

    def offset_map(self) -> tuple[int, ...]:
        """Input offset of every clean position 0..len(text) (the last one is the end).

        A separator written by the normalisation maps to the input offset where the whitespace
        it replaces begins (the end of the verbatim run before it).
        """
        mapping = [0] * (len(self.text) + 1)
        pos, input_pos = 0, 0
        for clean_start, input_start, length in self.runs:
            for c in range(pos, clean_start):  # separator characters
                mapping[c] = input_pos
            for k in range(length):
                mapping[clean_start + k] = input_start + k
            pos, input_pos = clean_start + length, input_start + length
        for c in range(pos, len(self.text) + 1):
            mapping[c] = input_pos
        return tuple(mapping)

    def input_span(self, start: int, end: int) -> tuple[int, int]:
        """The input span a clean span `[start, end)` was taken from (end-exclusive)."""
        mapping = self.offset_map()
        if end <= start:
            return mapping[start], mapping[start]
        return mapping[start], mapping[end - 1] + 1
