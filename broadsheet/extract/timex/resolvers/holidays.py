"""Holidays: "Christmas", "last Thanksgiving", "Easter 2019", "Christmas week"."""

from __future__ import annotations

import datetime as dt
import re

from broadsheet.extract.timex import calendar as cal
from broadsheet.extract.timex.context import Ctx, Interval, Resolution
from broadsheet.extract.timex.cues import after_a_name, mod_of, year_that_follows
from broadsheet.extract.timex.lexicon import phrase_key
from broadsheet.extract.timex.values import choose_year, day_value, safe_day

_THING_AFTER = re.compile(r"[\s-]+([A-Za-z-]+)")


def _holiday_interval(spec: dict, year: int) -> Interval | None:
    """The day of a holiday in a year, by the lexicon's rule for it."""
    if "fixed" in spec:
        month, day = (int(x) for x in spec["fixed"].split("-"))
        return safe_day(year, month, day)
    if "nth_weekday" in spec:
        month, weekday, n = spec["nth_weekday"]
        d = cal.nth_weekday(year, month, weekday, n)
        return d, d
    if "easter" in spec:
        d = cal.easter(year) + dt.timedelta(days=int(spec["easter"]))
        return d, d
    if spec.get("us_election_day"):
        d = cal.us_election_day(year)
        return d, d
    return None


def resolve_holiday(ctx: Ctx) -> Resolution | None:
    res = _holiday_day(ctx)
    if res is None or not ctx.get("week"):
        return res
    # "Easter week", "Christmas week": the ISO week that holds the holiday
    iv = cal.interval_of(res.value)
    week = cal.week_value(iv[0]) if iv else "XXXX-WXX"
    return Resolution("DATE", week, "week", res.mod, res.is_relative, res.anchored)


def _not_the_holiday(ctx: Ctx, mod: str | None) -> bool:
    """A holiday's name that is not its date: part of a name, a thing, a greeting."""
    if not ctx.get("rel") and not mod and after_a_name(ctx):
        return True
    thing = _THING_AFTER.match(ctx.after(20))
    if not ctx.get("year") and thing and thing[1].lower() in ctx.lex.holiday_things:
        return True  # "Christmas trees", "Easter eggs", "Christmas Island": things, not a date
    return not ctx.get("rel") and ctx.prev_words(1) in (["merry"], ["happy"])  # "Merry Christmas": a greeting


def _holiday_year(ctx: Ctx, spec: dict, a: dt.date) -> int:
    """The year of a yearless holiday: by its relation word, else where news puts it."""
    rel = phrase_key(ctx.get("rel") or "")
    if rel in ("last", "this past"):
        return a.year if (iv := _holiday_interval(spec, a.year)) and iv[0] < a else a.year - 1
    if rel in ("next", "this coming"):
        return a.year if (iv := _holiday_interval(spec, a.year)) and iv[0] > a else a.year + 1
    if rel == "this":
        return a.year
    if not rel and (year := year_that_follows(ctx)) is not None:
        return year  # "on Christmas Eve in 2000", as "that January day in 1998"
    return choose_year(a, lambda y: _holiday_interval(spec, y), ctx.tense()) or a.year


def _holiday_day(ctx: Ctx) -> Resolution | None:
    spec = ctx.lex.holidays[phrase_key(ctx.parts["holiday"])]
    mod = mod_of(ctx)
    if _not_the_holiday(ctx, mod):
        return None
    if ctx.get("year"):
        iv = _holiday_interval(spec, int(ctx.parts["year"]))
        return Resolution("DATE", day_value(iv[0]), "day", mod) if iv else None
    if ctx.anchor is None:
        if "fixed" in spec:
            return Resolution("DATE", f"XXXX-{spec['fixed']}", "day", mod, True, False)
        return Resolution("DATE", "XXXX-XX-XX", "day", mod, True, False)
    iv = _holiday_interval(spec, _holiday_year(ctx, spec, ctx.anchor))
    return Resolution("DATE", day_value(iv[0]), "day", mod, True, True) if iv else None
