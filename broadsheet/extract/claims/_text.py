"""Tokens, sentences and quotations of one text, as character spans: the claims extractor's view of it.

The extractor walks tokens around cue words many times per sentence, so this module computes every
token, sentence and quotation once, with a regular-expression sentence splitter of its own (written
when the shared splitter of `broadsheet.text` was an order of magnitude slower; good enough to
bound claims, which may run across sentences anyway).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from broadsheet.extract.claims.lexicon import default_lexicon

# Initials and dotted abbreviations ("U.S.", "D.C.") stay one token, as do words with inner
# hyphens or apostrophes ("Kendall-Taylor", "don't", "Russia's").
_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}"
    r"|\w+(?:[-'’]\w+)*"
    r"|''|``|\S"
)

OPEN_DOUBLE = {"“", "«", "„", "``"}
CLOSE_DOUBLE = {"”", "»"}
STRAIGHT_DOUBLE = {'"', "''"}
OPEN_SINGLE = "‘"
CLOSE_SINGLE = "’"
QUOTE_MARKS = OPEN_DOUBLE | CLOSE_DOUBLE | STRAIGHT_DOUBLE | {OPEN_SINGLE, CLOSE_SINGLE, "'", "‛", "‟"}


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    lower: str


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: ``start``/``end`` bound the words inside the marks, ``open``/``close`` the marks.

    ``close`` is None when the quotation was never closed (it then ends at its paragraph's end).
    A quotation that runs over several paragraphs (each reopened with a quote mark) is one Quote.
    """

    open: int
    close: int | None
    start: int
    end: int


class TextView:
    """Tokens, sentences and quotations of a text, with lookups between them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[Token] = [Token(m.start(), m.end(), m.group(), m.group().lower()) for m in _TOKEN.finditer(text)]
        self.token_starts = [t.start for t in self.tokens]
        self.sentences: list[tuple[int, int]] = _sentences(text, self.tokens)  # token index ranges
        self._sentence_of = [0] * len(self.tokens)
        for i, (a, b) in enumerate(self.sentences):
            for k in range(a, b):
                self._sentence_of[k] = i
        self.quotes: list[Quote] = _quotes(text)
        self._quote_starts = [q.open for q in self.quotes]

    def sentence_of(self, token_index: int) -> int:
        return self._sentence_of[token_index]

    def token_at(self, char: int) -> int:
        """Index of the first token starting at or after ``char``."""
        return bisect.bisect_left(self.token_starts, char)

    def quote_containing(self, char: int) -> Quote | None:
        """The innermost-by-construction (quotes never nest here) quotation whose words hold ``char``."""
        i = bisect.bisect_right(self._quote_starts, char) - 1
        if i >= 0:
            q = self.quotes[i]
            if q.start <= char < q.end:
                return q
        return None

    def is_quote_mark(self, token_index: int) -> bool:
        return 0 <= token_index < len(self.tokens) and self.tokens[token_index].text in QUOTE_MARKS


def _sentences(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Sentence boundaries as token index ranges [a, b).

    A sentence ends at a line break, or after ``.``, ``!`` or ``?`` (and any closing quote marks or
    brackets after it) when the next token starts a new sentence: an upper-case word, a digit or an
    opening quote. A full stop after a known abbreviation or a single initial does not end one, and
    a dotted abbreviation ("U.S.") is one token that never ends a sentence except before a line
    break: "U.S. officials" is far more common than "U.S." closing a sentence.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        boundary_after = None
        if tok.text in {".", "!", "?", "…"} or tok.text.endswith("..."):
            j = i + 1
            while j < n and tokens[j].text in {'"', "”", "’", "'", ")", "]", "''", "»"} and tokens[j].start == tokens[j - 1].end:
                j += 1
            if j >= n:
                boundary_after = j
            else:
                gap = text[tokens[j - 1].end : tokens[j].start]
                nxt = tokens[j].text
                if "\n" in gap:
                    boundary_after = j
                elif gap and (
                    nxt[:1].isupper() or nxt[:1].isdigit() or nxt in OPEN_DOUBLE or nxt in STRAIGHT_DOUBLE or nxt == OPEN_SINGLE
                ):
                    if tok.text == "." and i > 0 and tokens[i - 1].end == tok.start and _is_abbreviation(tokens[i - 1]):
                        boundary_after = None
                    else:
                        boundary_after = j
            if boundary_after is not None:
                spans.append((start, boundary_after))
                start = boundary_after
                i = boundary_after
                continue
        if i + 1 < n and "\n" in text[tok.end : tokens[i + 1].start]:
            spans.append((start, i + 1))
            start = i + 1
        i += 1
    if start < n:
        spans.append((start, n))
    return spans


def is_abbreviation_stop(tokens: list[Token], i: int) -> bool:
    """Whether the full stop at token ``i`` closes an abbreviation or initial ("Mr.", "W.")."""
    return tokens[i].text == "." and i > 0 and tokens[i - 1].end == tokens[i].start and _is_abbreviation(tokens[i - 1])


def _is_abbreviation(tok: Token) -> bool:
    # "then-Sen." and "ex-Gov." abbreviate their last part.
    abbreviations = default_lexicon().abbreviations
    if tok.lower in abbreviations or tok.lower.rsplit("-", 1)[-1] in abbreviations:
        return True
    # Single initials ("George W. Bush") but not the pronoun "I" ending a sentence.
    return len(tok.text) == 1 and tok.text.isupper() and tok.text != "I"


# A run of three apostrophes closes a single quotation nested at the end of a double one
# (NYT style), so it is matched before the pair.
_QUOTE_CHAR = re.compile(r"[\"“”«»„‟]|'''|''|``|[‘’']")
_APOS3 = "'''"
_LINE = re.compile(r"[^\n]+")


def _quotes(text: str) -> list[Quote]:
    """Quotations in double quote marks (straight, curly, guillemets, doubled primes) and, outside
    those, in single marks.

    Straight double marks alternate between opening and closing within a paragraph. A quotation
    left open at a paragraph's end continues into the next paragraph when that one opens with a
    quote mark (the news convention for quotes of several paragraphs); otherwise it ends with its
    paragraph. Single marks are apostrophes far more often, so a single-quoted span needs an opening
    mark after a space and a closing one before a space or punctuation, within one paragraph.
    """
    quotes: list[Quote] = []
    carried: tuple[int, int] | None = None  # (opening mark, its length) of a quotation left open
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.group().strip()]
    for li, (a, b) in enumerate(lines):
        open_at: tuple[int, int] | None = None
        marks = list(_QUOTE_CHAR.finditer(text, a, b))
        if carried is not None:
            if _reopens(text, a, marks):
                open_at = carried
                marks = marks[1:]
            else:
                prev_end = _rstrip_pos(text, lines[li - 1][1])
                quotes.append(Quote(carried[0], None, carried[0] + carried[1], prev_end))
        carried = _line_quotes(text, a, b, marks, open_at, quotes)
    if carried is not None:
        quotes.append(Quote(carried[0], None, carried[0] + carried[1], _rstrip_pos(text, lines[-1][1])))
    quotes.sort(key=lambda q: q.open)
    kept: list[Quote] = []
    for q in quotes:
        if q.end > q.start and not (kept and q.open < kept[-1].end):
            kept.append(q)
    return kept


def _reopens(text: str, a: int, marks: list[re.Match[str]]) -> bool:
    """Whether a paragraph opens with a double mark that continues the quotation left open."""
    if not marks or text[a : marks[0].start()].strip() != "":
        return False
    return _is_double(marks[0].group()) and marks[0].group() not in CLOSE_DOUBLE


def _line_quotes(
    text: str, a: int, b: int, marks: list[re.Match[str]], open_at: tuple[int, int] | None, quotes: list[Quote]
) -> tuple[int, int] | None:
    """Add the quotations the marks of the paragraph [a, b) close to ``quotes``; return the
    double quotation still open at its end, if any."""
    single_at: int | None = None
    skip_to = -1
    for i, m in enumerate(marks):
        if i <= skip_to:
            continue
        ch, pos = m.group(), m.start()
        if open_at is not None and ch == "“" and text[open_at[0] : open_at[0] + open_at[1]] in STRAIGHT_DOUBLE:
            # A curly quotation inside a straight one ('"I read the question: “Is it ...?” He
            # said no."') is nested when it closes before the next straight mark: skip over it.
            close = _nested_close(marks, i)
            if close is not None:
                skip_to = close
                continue
        if ch == _APOS3:
            # The nested single quote ends at the first mark, the double one at the other two.
            ch, pos = "''", pos + 1
        if _is_double(ch):
            if open_at is None and ch not in CLOSE_DOUBLE:
                single_at = None
            open_at = _double_mark(text, ch, pos, open_at, quotes)
        elif open_at is None:
            single_at = _single_mark(text, a, b, m, ch, pos, single_at, quotes)
    return open_at


def _nested_close(marks: list[re.Match[str]], i: int) -> int | None:
    """The index of the ” closing the “ at ``i``, when one comes before any straight double mark."""
    for j in range(i + 1, len(marks)):
        ch = marks[j].group()
        if ch == "”":
            return j
        if ch in STRAIGHT_DOUBLE or ch == "“":
            return None
    return None


def _double_mark(text: str, ch: str, pos: int, open_at: tuple[int, int] | None, quotes: list[Quote]) -> tuple[int, int] | None:
    """The open double quotation after the mark ``ch`` at ``pos``; a quotation it ends goes to ``quotes``."""
    if open_at is None:
        return (pos, len(ch)) if ch not in CLOSE_DOUBLE else None
    if ch in OPEN_DOUBLE:
        # An opening mark inside an open quotation: the earlier one was never closed.
        quotes.append(Quote(open_at[0], None, open_at[0] + open_at[1], _rstrip_pos(text, pos)))
        return (pos, len(ch))
    quotes.append(Quote(open_at[0], pos, open_at[0] + open_at[1], pos))
    return None


def _single_mark(
    text: str, a: int, b: int, m: re.Match[str], ch: str, pos: int, single_at: int | None, quotes: list[Quote]
) -> int | None:
    """The open single quotation after the mark ``ch`` at ``pos``; a quotation it ends goes to ``quotes``."""
    before = text[pos - 1] if pos > a else " "
    after = text[m.end()] if m.end() < b else " "
    if ch in {OPEN_SINGLE, "'"} and (before.isspace() or before in "([—–") and after.isalnum():
        return pos
    if ch in {CLOSE_SINGLE, "'"} and single_at is not None and not before.isspace() and (after.isspace() or after in ".,;:!?)—–"):
        if before in "sS" and after.isspace() and text.count(" ", single_at, pos) < 2:
            return single_at  # a plural possessive ("the voters’ roll") more likely than a closing mark
        quotes.append(Quote(single_at, pos, single_at + 1, pos))
        return None
    return single_at


def _is_double(ch: str) -> bool:
    return ch in OPEN_DOUBLE or ch in CLOSE_DOUBLE or ch in STRAIGHT_DOUBLE or ch == "‟"


def _rstrip_pos(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end
