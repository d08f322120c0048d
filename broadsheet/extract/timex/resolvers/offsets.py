"""Dates a number of units away: "two years ago", "a year earlier" (where figures are compared
with it), "the day before"; and the stretches of time TimeML reads in "three days later", "a month
earlier" and "ten years from now", whose signal stays outside."""

from __future__ import annotations

import re
from dataclasses import dataclass

from broadsheet.extract.timex.context import Ctx, Resolution
from broadsheet.extract.timex.cues import mod_of
from broadsheet.extract.timex.lexicon import Unit, phrase_key
from broadsheet.extract.timex.values import UNANCHORED, duration_value, parse_number, render, shift_day, shift_value

_CLAUSE_END = re.compile(r"\s*(?:[.,;:!?)\"'”’—–]|-{2}|$|\s(?:and|but|when|as|while|that|because|so|or)\b)")
# Directions that are also prepositions: "two years after the war" is a duration and a signal
_SIGNAL_DIRECTIONS = frozenset({"before", "after", "prior", "since", "previously"})
# Directions counted from the anchor, never from a date the text named
_DEICTIC_DIRECTIONS = frozenset({"ago", "back", "from now", "hence"})
_BACKWARD = frozenset({"ago", "back", "earlier", "before", "previously", "prior"})
_SPAN_UNITS = frozenset({"time", "day", "week"})
# "nearly three weeks ago": about then, a little later
_NEARLY = frozenset({"nearly", "almost", "just under", "not quite", "barely"})
_MORE = frozenset({"MORE_THAN", "EQUAL_OR_MORE"})
_LESS = frozenset({"LESS_THAN", "EQUAL_OR_LESS"})
_TIME_UNITS_PER_DAY = {"H": 24, "M": 1440, "S": 86400}
# Units longer than a year are counted in years, which the calendar shifts by
_YEARS_IN = {"decade": 10, "century": 100, "millennium": 1000}
_YEARS_PER = {"year": 1, "quarter": 0.25, "half": 0.5, "month": 1 / 12, "week": 1 / 52, "day": 1 / 365}


@dataclass(frozen=True)
class _Offset:
    unit_word: str
    direction: str  # "ago", "earlier", "from now"...
    n: float | None  # None for a vague number ("several years ago")
    qmod: str | None  # the mod of its quantity modifier ("more than", "about")
    counted: bool  # a number of units ("two days before"), not a unit alone ("the day before")


def _offset(ctx: Ctx) -> _Offset:
    p = ctx.parts
    qmod = mod_of(ctx, "quantity_mod")
    if p.get("anaphoric_unit"):
        return _Offset(p["anaphoric_unit"], p["direction"].lower(), 1.0, qmod, False)
    return _Offset(p["unit"], phrase_key(p["direction"]), parse_number(p["number"], ctx.lex), qmod, True)


def _unit_granularity(ctx: Ctx, unit_word: str) -> str:
    unit = ctx.lex.unit(unit_word)
    if unit.is_time:
        return "day"
    return unit.granularity


# A comparison of figures ("up 15% from 4 pence a year earlier", "higher than a year earlier",
# "compared with C$307 million a year earlier"): the offset names the period compared with, a date.
_COMPARISON_BEFORE = re.compile(r"\b(?:from|than|compared|comparable|compares|versus|vs\.?|over)\b[^.;:!?\n]{0,50}$", re.I)
# A money figure or a rate in the same clause: "$1.24 a share, a year earlier", "A year earlier
# UniFirst earned $2.4 million": results set against those of the year before.
_FIGURE = r"(?:[$€£#]\s?\d|\d\s?%|\b\d[\d,.]*\s+(?:percent|cents?|million|billion|pence|points)\b|\ba\s+share\b)"
_FIGURE_BEFORE = re.compile(_FIGURE + r"[^.;:!?\n]{0,12}$", re.I)
_FIGURE_AFTER = re.compile(r"[^.;:!?\n]{0,50}" + _FIGURE, re.I)
_FORWARD_FROM_NOW = frozenset({"from now", "hence"})


def _is_a_stretch(ctx: Ctx, off: _Offset, unit: Unit) -> bool:
    """ "three days later", "a month earlier", "ten years from now": TimeML marks the stretch of
    time, a DURATION, and leaves "later", "earlier" or "from now" outside as the signal tying it
    to an event or to now (the TimeML guidelines; the TempEval-3 silver newswire writes 159 of its
    ones after a unit this way). "Ago" stays inside a date, as TimeBank writes it. An offset that
    names what figures are compared with ("up 15% from a year earlier", or "a year earlier" where
    results for a period are being reported) stays a date, as TimeBank writes all of them."""
    if not off.counted or off.direction in ("ago", "back"):
        return False
    if off.direction in _FORWARD_FROM_NOW or off.direction in ("later", "after"):
        return True
    if unit.granularity in _SPAN_UNITS:
        return True
    if _COMPARISON_BEFORE.search(ctx.before(60)):
        return False
    reporting = ctx.state.period is not None or ctx.state.span
    figures = _FIGURE_BEFORE.search(ctx.before(40)) or _FIGURE_AFTER.match(ctx.after(70))
    return not (unit.granularity in ("year", "quarter") and (reporting or figures))


def _stretch(ctx: Ctx, off: _Offset, unit: Unit) -> Resolution:
    matched = ctx.text[ctx.start : ctx.end]
    cut = ctx.start + matched.lower().rfind(ctx.parts["direction"].split()[0].lower())
    steps = None if off.n is None else off.n * unit.multiplier
    return Resolution("DURATION", duration_value(steps, unit.code, unit.is_time), "duration", off.qmod, end=cut)


def _point_mod(ctx: Ctx, qmod: str | None, sign: int) -> str | None:
    """ "more than two years ago" is before the date two years ago, "less than" after it."""
    if phrase_key(ctx.get("quantity_mod") or "") in _NEARLY:
        return "APPROX"
    if qmod in _MORE:
        return "BEFORE" if sign < 0 else "AFTER"
    if qmod in _LESS:
        return "AFTER" if sign < 0 else "BEFORE"
    return qmod


def _whole_steps(n: float, unit: Unit | None, gran: str) -> tuple[str, int] | None:
    """The offset as a whole number of steps of a calendar granularity; None when it is not one
    ("1.5 months ago")."""
    steps = n * (unit.multiplier if unit else 1)
    if unit is not None and unit.is_time:
        # hours and minutes ago land on a day: the anchor's, or the one before for 24 hours and more
        return gran, int(steps // _TIME_UNITS_PER_DAY[unit.code])
    if gran in _YEARS_IN:
        return "year", int(steps * _YEARS_IN[gran])
    if steps != int(steps):
        return None
    return gran, int(steps)


def _from_the_text(ctx: Ctx, gran: str, whole: int, sign: int, mod: str | None, deictic: bool) -> Resolution | None:
    """Comparisons in results news ("up from $2 a year ago") are with the same period a year
    before: the quarter the text is reporting on, moved back a year. Other anaphoric offsets
    ("two days later") count from the last date the text named."""
    state = ctx.state
    a_year_back = gran == "year" and whole == 1 and sign < 0
    span_year = state.span_year(ctx.anchor)
    if a_year_back and span_year is not None:
        # "for the nine months ... a year earlier": the same months of the year before
        return Resolution("DATE", f"{span_year - 1:04d}", "year", mod, True, False, reference=False)
    if a_year_back and state.period is not None:
        value = shift_value(state.period[0], state.period[1], "year", -1)
        if value:
            return Resolution("DATE", value, state.period[1], mod, True, False, reference=False)
    if not deictic and state.point is not None:
        value = shift_value(state.point[0], state.point[1], gran, sign * whole)
        if value is not None:
            gran_out = state.point[1] if state.point[1] != "time" else "day"
            return Resolution("DATE", value, gran_out, mod, True, False, reference=False)
    return None


def _from_the_anchor(ctx: Ctx, gran: str, whole: int, sign: int, mod: str | None) -> Resolution:
    if ctx.anchor is None:
        return Resolution("DATE", UNANCHORED.get(gran, "XXXX-XX-XX"), gran, mod, True, False)
    years_away = whole * _YEARS_PER.get(gran, 1)
    if not 1 <= ctx.anchor.year + sign * years_away <= 9999:
        # "4,000 years ago" is before the year 1, which ISO 8601 dates cannot write
        return Resolution("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", "ref", mod)
    return Resolution("DATE", render(shift_day(ctx.anchor, gran, sign * whole), gran), gran, mod, True, True)


def resolve_ago(ctx: Ctx) -> Resolution | None:
    off = _offset(ctx)
    if off.direction in _SIGNAL_DIRECTIONS and not _CLAUSE_END.match(ctx.after(12)):
        return None  # "two years after the war": a duration and a signal, not a date
    if off.direction == "since":
        return None
    unit = ctx.lex.unit(off.unit_word.lower()) if off.unit_word.lower() != "weekend" else None
    gran = "week" if unit is None else _unit_granularity(ctx, off.unit_word)
    if unit is not None and _is_a_stretch(ctx, off, unit):
        return _stretch(ctx, off, unit)
    sign = -1 if off.direction in _BACKWARD else 1
    mod = _point_mod(ctx, off.qmod, sign)
    if off.n is None:
        return Resolution("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", "ref", None)
    steps = _whole_steps(off.n, unit, gran)
    if steps is None:
        return None
    gran, whole = steps
    deictic = off.direction in _DEICTIC_DIRECTIONS
    return _from_the_text(ctx, gran, whole, sign, mod, deictic) or _from_the_anchor(ctx, gran, whole, sign, mod)
