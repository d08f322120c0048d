"""Lengths of time: "two years", "three to four weeks", "the past six months", "an hour and a
half", "for years", "decade-long", "for a while"."""

from __future__ import annotations

import re

from broadsheet.extract.timex.context import Ctx, Resolution
from broadsheet.extract.timex.cues import a_rate, mod_of
from broadsheet.extract.timex.lexicon import Unit, phrase_key
from broadsheet.extract.timex.values import duration_value, parse_number

_AGE_AFTER = re.compile(r"\s*(?:-|\s)old\b")
# An age given after "aged" or "at the age of" ("children aged 8-10 years", "at the age of four
# months"): how old someone is, not a stretch of time, as "a 52-year-old" is not. The lower end
# of a range ("8-", "8 to") may stand between the words and the length.
_AGE_BEFORE = re.compile(r"\b(?:aged|at\s+the\s+ages?\s+of|between\s+the\s+ages\s+of)\s+(?:[\w.]+\s*(?:[-–]|to|and)\s*)?$", re.I)
_MODALS = frozenset({"will", "would", "may", "might", "could", "can", "should", "must", "shall"})
_QUOTE_BEFORE = re.compile(r"[\"“‘']\s*$")
_MONEY_BEFORE = re.compile(r"[$€£]\s*$")
# What may follow "a second" when it is a length of time rather than an ordinal ("a second term")
_AFTER_A_SECOND = re.compile(r"\s*(?:[.,;:!?)]|or\b|and\b|later|earlier|ago|$)")
_OF_AFTER = re.compile(r"\s+of\b")
_ENDED_AFTER = re.compile(r"\s+(?:ended|ending)\b")
# The word between the ends of a range of lengths ("12 to 18 months", "between 12 and 18 months")
_RANGE_WORD = re.compile(r"\s+(to|and|or)\s+", re.I)


def _duration_mod(ctx: Ctx) -> str | None:
    p = ctx.parts
    if phrase_key(p.get("quantity_mod") or "") == "over" and p.get("the"):
        return None  # "over the past two months": a preposition, not "more than"
    return mod_of(ctx, "quantity_mod") or ("APPROX" if p.get("or_so") else None)


def _unit_alone(ctx: Ctx, mod: str | None) -> Resolution:
    """ "for years", "the coming months", "year-long": a unit without a number, of a vague number
    of units when it is plural."""
    p = ctx.parts
    word = (p.get("bare_unit") or p.get("vague_unit") or p["long_unit"]).lower()
    unit = ctx.lex.unit(word)
    plural = word.endswith(("s", "ies", "ia")) and word not in ctx.lex.units
    n = None if plural or p.get("vague_unit") or p.get("bare_unit") else 1.0
    return Resolution("DURATION", duration_value(n, unit.code, unit.is_time), "duration", mod)


def _some_day(ctx: Ctx, num_text: str, unit: Unit) -> bool:
    """ "Islam will one day be...": some day in the future, not a length of one day."""
    prev = ctx.prev_words(1)
    return phrase_key(num_text) == "one" and unit.name == "day" and not ctx.get("the") and bool(prev) and prev[0] in _MODALS


def _not_a_length(ctx: Ctx, num_text: str, unit: Unit, unit_word: str, n: float | None) -> bool:
    p = ctx.parts
    if p.get("suffix") == "old" or (p.get("suffix") is None and _AGE_AFTER.match(ctx.after(6))):
        return True  # an age ("a 52-year-old man", "52 years old", "their 6-month-old son")
    if _AGE_BEFORE.search(ctx.before(40)):
        return True  # "aged 8-10 years", "at the age of four months"
    one = phrase_key(num_text) in ("a", "one")
    if phrase_key(num_text) in ("a", "an") and a_rate(ctx):
        return True  # "$5 million a year": the unit of a rate, which TimeML corpora leave unmarked
    if unit.name == "second" and one and not _AFTER_A_SECOND.match(ctx.after(10)):
        return True  # "a second term": an ordinal
    if unit.name == "quarter" and n is not None and n <= 3 and _OF_AFTER.match(ctx.after(5)):
        return True  # "a quarter of the shares", "three quarters of": a fraction
    if unit.name == "quarter" and not unit_word.endswith("s") and one:
        return True  # "a quarter" alone is too often a fraction
    return bool(_MONEY_BEFORE.search(ctx.before(3))) or (n is not None and n > 10000)


def _length(ctx: Ctx, n: float | None, unit: Unit, unit_word: str) -> float | None:
    """The number of the unit's duration code ("2.5" years, "36" months for "three years" of a
    unit counted in months); None for a range or a vague number."""
    p = ctx.parts
    if "and a half" in phrase_key(ctx.text[ctx.start : ctx.end]) and n is not None:
        n += 0.5
    if p.get("number_to"):
        n = None  # "two to three weeks": a range, stated as a vague number of the unit
    if n is not None:
        n *= unit.multiplier
    if p.get("suffix") == "long" and unit_word.endswith("s"):
        n = None
    return n


def _reports_span(ctx: Ctx, unit: Unit, n: float | None) -> bool:
    """ "for the nine months", "in the first ten months", "the first three quarters": the stretch of
    the year results are reported for, which later comparisons ("a year earlier") refer to; one
    "ended Aug. 12" is compared by the day it ended, which the text goes on to name."""
    p = ctx.parts
    if not p.get("the") or phrase_key(p.get("rel") or "") not in ("", "first", "latest") or p.get("number_to"):
        return False
    months = unit.name == "month" and n is not None and 2 <= n <= 11
    quarters = unit.name == "quarter" and n in (2, 3)
    return (months or quarters) and not _ENDED_AFTER.match(ctx.after(10))


def _first_end_of_a_range(ctx: Ctx, n: float | None, unit: Unit, mod: str | None) -> Resolution | None:
    """ "between 12 and 18 months", "two to three weeks": a range has two ends, and TimeML marks
    each as an expression of its own ("12" is P12M, the unit written once after the second), as it
    marks "from 1992 to 1995". "Two or three days" is one vague length, not a range, and stays
    whole, as does a range after "the past" or "the next" ("the past two to three years")."""
    p = ctx.parts
    if not p.get("number_to") or p.get("the") or p.get("rel") or n is None:
        return None
    matched = ctx.text[ctx.start : ctx.end]
    word = _RANGE_WORD.search(matched)
    if word is None or word[1].lower() == "or":
        return None
    steps = n * unit.multiplier
    return Resolution(
        "DURATION", duration_value(steps, unit.code, unit.is_time), "duration", mod,
        end=ctx.start + word.start(), resume=ctx.start + word.end(),
    )  # fmt: skip


def _counted(ctx: Ctx, mod: str | None) -> Resolution | None:
    """A number of units: "two years", "three to four weeks", "a 10-day"."""
    p = ctx.parts
    unit_word = p["unit"].lower()
    unit = ctx.lex.unit(unit_word)
    num_text = p["number"]
    if _some_day(ctx, num_text, unit):
        return Resolution("DATE", "FUTURE_REF", "ref")
    if p["unit"][:1].isupper() and _QUOTE_BEFORE.search(ctx.before(2)):
        return None  # "60 Minutes", quoted and capitalised: a title
    n = parse_number(num_text, ctx.lex)
    if _not_a_length(ctx, num_text, unit, unit_word, n):
        return None
    if (first := _first_end_of_a_range(ctx, n, unit, mod)) is not None:
        return first
    n = _length(ctx, n, unit, unit_word)
    return Resolution(
        "DURATION", duration_value(n, unit.code, unit.is_time), "duration", mod, reports_span=_reports_span(ctx, unit, n)
    )


def resolve_duration(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    lex = ctx.lex
    mod = _duration_mod(ctx)
    if p.get("a_while"):
        return Resolution("DURATION", "PXX", "duration", mod)  # "for a while": a length of no known unit
    if p.get("bare_unit") or p.get("vague_unit") or p.get("long_unit"):
        return _unit_alone(ctx, mod)
    if p.get("half"):
        unit = lex.unit(p["unit"].lower())
        return Resolution("DURATION", duration_value(0.5 * unit.multiplier, unit.code, unit.is_time), "duration", mod)
    if p.get("number_and_a_half"):
        n = parse_number(p["number_and_a_half"], lex)
        unit = lex.unit(p["unit"].lower())
        n = None if n is None else (n + 0.5) * unit.multiplier
        return Resolution("DURATION", duration_value(n, unit.code, unit.is_time), "duration", mod)
    return _counted(ctx, mod)
