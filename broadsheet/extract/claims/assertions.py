"""Authorial assertions: sentences the author states without attributing them, kept only when a
reader could check or dispute them. In a hand-checked sample of 40 from PolNeAR training articles,
33 were checkable statements (the rest: vague or opinion, first person, headline fragments).

A sentence qualifies with one of these signals (word lists in ``cues.yaml``):

- a quantity: a number with a unit or a percentage ("killed 25 people", "rose 3 percent");
- a date: a year or a day of a named month ("entered Syria in 2015", "on March 3");
- a cause: "because", "led to", "as a result", ...;
- a prediction: "will", "is expected to", ...

Precision first: a sentence that overlaps an attributed claim or holds a cue word, a quotation, a
question, an exclamation, an address to the reader or first/second person is skipped, as are
headlines and fragments (fewer than six words, or no lower-case word after the first).
"""

from __future__ import annotations

import re

from broadsheet.extract.claims._text import QUOTE_MARKS, TextView, Token
from broadsheet.extract.claims.lexicon import Lexicon

_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)s?$")
_MIN_WORDS = 6
_MAX_WORDS = 80


def find_assertions(
    view: TextView,
    lex: Lexicon,
    covered: list[tuple[int, int]],
    cue_tokens: set[int] | None = None,
    cue_words: frozenset[str] = frozenset(),
) -> list[tuple[int, int, str]]:
    """(start, end, signal) of checkable authorial sentences that no attributed claim overlaps.

    ``covered`` are the character spans of the claims already found; ``cue_tokens`` the token
    indexes read as attribution cues (a sentence holding one is someone else's statement).
    A sentence holding any of the ``cue_words`` (the cue model's lexicon) or a cue verb of the
    lexicon is skipped too, even where no cue was read there: of the assertions such sentences
    gave, 40 to 48 % held an annotated attribution on the two PolNeAR dev sets (the author reports
    someone), against 23 % in the other sentences.
    """
    toks = view.tokens
    text = view.text
    cue_tokens = set(cue_tokens or ())
    cue_tokens |= {i for i, t in enumerate(toks) if t.lower in cue_words or t.lower in lex.verb_forms}
    spans = sorted(covered)
    out: list[tuple[int, int, str]] = []
    for a, b in view.sentences:
        while b > a and toks[b - 1].text in QUOTE_MARKS:
            b -= 1
        if b - a < _MIN_WORDS:
            continue
        start, end = toks[a].start, toks[b - 1].end
        if _overlaps(spans, start, end) or any(k in cue_tokens for k in range(a, b)):
            continue
        sentence = toks[a:b]
        words = [t for t in sentence if t.text[:1].isalnum()]
        if not (_MIN_WORDS <= len(words) <= _MAX_WORDS):
            continue
        if "\n" in text[start:end] or not _reads_as_prose(sentence):
            continue
        if any(t.text in QUOTE_MARKS or t.text in {"?", "!"} for t in sentence) or view.quote_containing(start) is not None:
            continue
        lower = [t.lower.replace("’", "'") for t in sentence]
        if any(_has_phrase(lower, p) for p in lex.assertion_excluded):
            continue
        signal = _signal(sentence, lower, lex)
        if signal is None:
            continue
        if sentence[-1].text in {".", ";", ":"}:
            end = sentence[-2].end if len(sentence) > 1 else end
        out.append((start, end, signal))
    return out


def _signal(sentence: list[Token], lower: list[str], lex: Lexicon) -> str | None:
    for i, t in enumerate(sentence):
        if t.text[:1].isdigit() or t.lower in lex.assertion_number_words:
            nxt = lower[i + 1] if i + 1 < len(lower) else ""
            nxt2 = lower[i + 2] if i + 2 < len(lower) else ""
            if nxt in lex.assertion_units or nxt2 in lex.assertion_units or t.text.endswith("%") or nxt == "%":
                return "quantity"
            if (
                _YEAR.match(t.text)
                and i > 0
                and (
                    lower[i - 1] in lex.assertion_date_prepositions
                    # "in September 2015": a month name between the preposition and the year
                    or (lower[i - 1].rstrip(".") in lex.assertion_months and sentence[i - 1].text[:1].isupper())
                )
            ):
                return "date"
            if (
                t.text.isdigit()
                and len(t.text) <= 2
                and i > 0
                and lower[i - 1] in lex.assertion_months
                and sentence[i - 1].text[:1].isupper()
            ):
                return "date"
    for phrase in lex.assertion_causal:
        if _has_phrase(lower, phrase):
            return "cause"
    for phrase in lex.assertion_prediction:
        if _has_phrase(lower, phrase):
            return "prediction"
    return None


def _reads_as_prose(sentence: list[Token]) -> bool:
    """A headline capitalises nearly every word; prose has lower-case words after the first."""
    words = [t for t in sentence[1:] if t.text[:1].isalpha()]
    lower = sum(1 for t in words if t.text[:1].islower())
    return bool(words) and lower / len(words) >= 0.4


def _has_phrase(words: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    first = phrase[0]
    if n == 1:
        return first in words
    return any(w == first and tuple(words[i : i + n]) == phrase for i, w in enumerate(words))


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)
