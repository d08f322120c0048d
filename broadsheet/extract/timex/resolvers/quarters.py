"""Quarters and halves of a year: "the third quarter of 1989", "Q3 2019", "3Q19", "H1 2020", "last
quarter", "the year-ago period", "the quarter ended Sept. 30".

Results news names a quarter in two ways. By number, with or without its year ("the fourth
quarter"), placed like any yearless date. Or by its relation to the quarter the text reports on
("the latest quarter", "the year-earlier period", "the same period of 1988"), which is the last
quarter the text named, else the last one completed at the anchor.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from broadsheet.extract.timex import calendar as cal
from broadsheet.extract.timex.context import Ctx, Interval, Resolution
from broadsheet.extract.timex.cues import mod_of, reference_year
from broadsheet.extract.timex.lexicon import phrase_key
from broadsheet.extract.timex.values import choose_year, render, safe_day, shift_day, shift_value, two_digit_year

_ORD_QUARTER = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "final": 4,
    "last": 4,
    "latter": 4,
}
_LAST_ONE = frozenset({"final", "last", "latter"})
_YEAR_SHIFT = {"last": -1, "this": 0, "next": 1, "the current": 0, "the previous": -1}
# Relation words that put the quarter a year before the one the text reports on
_YEAR_BACK_WORDS = frozenset({"corresponding", "prior-year", "year-before"})
_YEAR_BACK_PREFIXES = ("year-ago", "year-earlier", "comparable year")
# Relation words that count quarters from the anchor's: how many quarters away
_FROM_ANCHOR = {
    "current": 0, "this": 0, "next": 1, "coming": 1,
    # the last completed quarter: the one results news reports on
    "last": -1, "past": -1, "just-ended": -1, "just-completed": -1, "recent": -1,
}  # fmt: skip
_EARLIER_IN_TEXT = frozenset({"previous", "prior", "preceding"})
_ENDED = re.compile(r"\s+(?:ended|ending)\s+([A-Z][a-z]+)\.?\s+(\d{1,2})\b(?:,\s*(\d{4})\b)?")


def resolve_quarter(ctx: Ctx) -> Resolution | None:
    if ctx.get("ordinal") or ctx.get("quarter_number") or ctx.get("half_number"):
        return _numbered_period(ctx)
    return _related_quarter(ctx)


# ---------------------------------------------------------------------------------------------
# by number


def _period_make(unit: str, n: int) -> Callable[[int], Interval]:
    if unit == "half":
        return lambda y: (dt.date(y, 1, 1), dt.date(y, 6, 30)) if n == 1 else (dt.date(y, 7, 1), dt.date(y, 12, 31))
    return lambda y: cal.quarter_interval(y, n)


def _which_period(ctx: Ctx) -> tuple[str, int] | None:
    """("quarter" or "half", its number); None when the words are not a period of a year."""
    p = ctx.parts
    if p.get("half_number"):
        return "half", int(p["half_number"])
    if p.get("quarter_number"):
        return "quarter", int(p["quarter_number"])
    unit, ordinal = p["unit"].lower(), p["ordinal"].lower()
    n = _ORD_QUARTER[ordinal]
    if unit != "half":
        return unit, n
    if n > 2 and ordinal not in _LAST_ONE:
        return None
    if not (p.get("year") or p.get("of_year") or p.get("possessive_year") or p.get("possessive_rel") or p.get("of_rel")):
        return None  # "the second half" alone is a game's or a story's as often as a year's
    return unit, min(n, 2)


def _stated_year(ctx: Ctx) -> tuple[int | None, bool, bool]:
    """(year, is_relative, anchored) of the year written with a numbered period, if any."""
    p = ctx.parts
    a = ctx.anchor
    written = p.get("possessive_year") or p.get("of_year") or p.get("year")
    year = int(written) if written else None
    relative = anchored = False
    if p.get("short_year"):
        year, relative, anchored = two_digit_year(int(p["short_year"]), a), True, a is not None
    rel = phrase_key(p.get("of_rel") or p.get("possessive_rel") or "")
    if year is None and rel:
        relative = True
        if rel in ("the", "that"):
            year = reference_year(ctx)
            anchored = year is not None and ctx.state.point is None
        elif a is not None:
            year = a.year + _YEAR_SHIFT[rel]
            anchored = True
    return year, relative, anchored


def _numbered_period(ctx: Ctx) -> Resolution | None:
    period = _which_period(ctx)
    if period is None:
        return None
    unit, n = period
    letter = "H" if unit == "half" else "Q"
    mod = mod_of(ctx)
    a = ctx.anchor
    year, relative, anchored = _stated_year(ctx)
    if year is not None:
        return Resolution("DATE", f"{year:04d}-{letter}{n}", unit, mod, relative, anchored)
    if ctx.parts.get("ordinal", "").lower() == "last" and not ctx.get("the"):
        # "last quarter": the one before the anchor's, not the fourth
        if a is None:
            return Resolution("DATE", f"XXXX-{letter}X", unit, mod, True, False)
        return Resolution("DATE", render(shift_day(a, unit, -1), unit), unit, mod, True, True)
    if a is None:
        return Resolution("DATE", f"XXXX-{letter}{n}", unit, mod, True, False)
    year = choose_year(a, _period_make(unit, n), ctx.tense())
    if year is None:
        return None
    return Resolution("DATE", f"{year:04d}-{letter}{n}", unit, mod, True, True)


# ---------------------------------------------------------------------------------------------
# by relation to the quarter the text reports on


@dataclass(frozen=True)
class _Relation:
    word: str  # "latest", "year-ago", "previous"... or "" for "the quarter"
    mod: str | None
    back_a_year: bool  # a year before the quarter it relates to ("the year-ago quarter")


def _relation(ctx: Ctx) -> _Relation:
    p = ctx.parts
    word = phrase_key(p.get("relation") or "")
    back_a_year = (
        bool(p.get("year_back") or p.get("year_ago")) or word.startswith(_YEAR_BACK_PREFIXES) or word in _YEAR_BACK_WORDS
    )
    return _Relation(word, mod_of(ctx), back_a_year)


def _year_ago_numbered(ctx: Ctx, rel: _Relation) -> Resolution | None:
    """ "the year-ago first quarter": that quarter of the year before the one the text is on."""
    if not (rel.word.startswith(("year-ago ", "year-earlier ")) and rel.word.split()[-1] in _ORD_QUARTER):
        return None
    n = _ORD_QUARTER[rel.word.split()[-1]]
    year = reference_year(ctx)
    if year is None:
        return Resolution("DATE", f"XXXX-Q{n}", "quarter", rel.mod, True, False)
    return Resolution("DATE", f"{year - 1:04d}-Q{n}", "quarter", rel.mod, True, ctx.state.point is None, reference=False)


def _of_a_stated_year(ctx: Ctx, rel: _Relation) -> Resolution | None:
    """ "the 1988 quarter", "the 1988 period", "the same period of 1988": the period the text
    reports on, in that year."""
    written = ctx.get("year") or ctx.get("of_year")
    if not written:
        return None
    year = int(written)
    base = ctx.state.period
    if base and base[1] == "quarter" and not ctx.state.span:
        return Resolution("DATE", f"{year:04d}-{base[0][5:]}", "quarter", rel.mod, True, False, reference=False)
    return Resolution("DATE", f"{year:04d}", "year", rel.mod)


def _quarter_by_end(ctx: Ctx) -> str | None:
    """ "The quarter ended July 31": the calendar quarter that holds most of its three months,
    i.e. the one its middle falls in (a fiscal quarter ended July 31 is mostly May to July:
    Q2). TimeBank values an unnumbered reporting quarter by the calendar, as it does the
    quarters "ended Sept. 30" that are most of them."""
    m = _ENDED.match(ctx.after(40))
    if m is None or m[1].lower() not in ctx.lex.months:
        return None
    month, day = ctx.lex.months[m[1].lower()], int(m[2])
    if m[3]:
        year: int | None = int(m[3])
    elif ctx.anchor is not None:
        year = choose_year(ctx.anchor, lambda y: safe_day(y, month, day), "past")
    else:
        return None
    if year is None or safe_day(year, month, day) is None:
        return None
    middle = dt.date(year, month, day) - dt.timedelta(days=45)
    return render(middle, "quarter")


def _by_its_end(ctx: Ctx, rel: _Relation) -> Resolution | None:
    # a quarter the text already named ("its fiscal first quarter") keeps its name when its end is given
    if rel.word or rel.back_a_year or ctx.state.period is not None:
        return None
    ended = _quarter_by_end(ctx)
    return None if ended is None else Resolution("DATE", ended, "quarter", rel.mod, True, ctx.anchor is not None)


def _months_a_year_back(ctx: Ctx, rel: _Relation) -> Resolution | None:
    """ "year-earlier net" after "for the nine months": the same months of the year before."""
    span_year = ctx.state.span_year(ctx.anchor)
    if not (rel.back_a_year and span_year is not None and (ctx.get("year_ago") or phrase_key(ctx.get("unit") or "") == "period")):
        return None
    return Resolution("DATE", f"{span_year - 1:04d}", "year", rel.mod, True, False, reference=False)


def _from_the_anchor(ctx: Ctx, rel: _Relation) -> Resolution | None:
    if rel.word not in _FROM_ANCHOR or ctx.anchor is None:
        return None
    value = render(shift_day(ctx.anchor, "quarter", _FROM_ANCHOR[rel.word]), "quarter")
    return Resolution("DATE", value, "quarter", rel.mod, True, True)


def _reported_quarter(ctx: Ctx, rel: _Relation) -> Resolution:
    """The quarter the text is reporting on: the last one it named, else the last completed one;
    moved back a quarter or a year when the relation says so."""
    if ctx.state.period is not None:
        value, gran = ctx.state.period
        anchored = False
    elif ctx.anchor is not None:
        value, gran = render(shift_day(ctx.anchor, "quarter", -1), "quarter"), "quarter"
        anchored = True
    else:
        return Resolution("DATE", "XXXX-QX", "quarter", rel.mod, True, False)
    moved = False
    if rel.word in _EARLIER_IN_TEXT:
        value, moved = shift_value(value, gran, gran, -1) or value, True
    if rel.back_a_year:
        value, moved = shift_value(value, gran, "year", -1) or value, True
    return Resolution("DATE", value, gran, rel.mod, True, anchored, reference=anchored and not moved)


# The readings of a related quarter, from the most specific; the first that applies is taken.
_RELATED_READINGS: tuple[Callable[[Ctx, _Relation], Resolution | None], ...] = (
    _year_ago_numbered,
    _of_a_stated_year,
    _by_its_end,
    _months_a_year_back,
    _from_the_anchor,
)


def _related_quarter(ctx: Ctx) -> Resolution:
    rel = _relation(ctx)
    for reading in _RELATED_READINGS:
        res = reading(ctx, rel)
        if res is not None:
            return res
    return _reported_quarter(ctx, rel)
