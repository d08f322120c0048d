"""Authorial assertions: sentences the author states without attributing them, kept only when a
reader could check or dispute them (a quantity, a cause, a prediction). Precision first: a sentence
with any attributed claim, a question, an address to the reader or first/second person is skipped.
"""

from __future__ import annotations

from broadsheet.extract.claims._text import QUOTE_MARKS, TextView
from broadsheet.extract.claims.lexicon import Lexicon


def find_assertions(view: TextView, lex: Lexicon, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character spans of checkable authorial sentences that no attributed claim overlaps."""
    return []
