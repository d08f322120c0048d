"""Calendar dates written out: "2019-05-09", "5/9/19", "May 9, 2019", "the 9th of May", "May 2019"."""

from __future__ import annotations

import re

from broadsheet.extract.timex import calendar as cal
from broadsheet.extract.timex.context import Ctx, Resolution
from broadsheet.extract.timex.cues import (
    mod_of,
    month_number,
    narrative_day,
    nearest_year,
    ordinal_or_day,
    relative_year_that_follows,
    weekday_number,
    year_of_range_end,
    year_that_follows,
)
from broadsheet.extract.timex.values import choose_year, safe_day, two_digit_year, year_from_words

_SCORE_BEFORE = re.compile(r"\b(?:score[ds]?|won|beat|ratio|odds)\W*$", re.I)
_YEAR_SHIFT = {"last": -1, "this": 0, "next": 1}


def resolve_iso(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    y, m, d = int(p["year"]), int(p["month"]), int(p["day"])
    if safe_day(y, m, d) is None:
        return None
    value = f"{y:04d}-{m:02d}-{d:02d}"
    if ctx.get("hour"):
        value += f"T{p['hour']}:{p['minute']}" + (f":{p['second']}" if ctx.get("second") else "")
        return Resolution("TIME", value, "time")
    return Resolution("DATE", value, "day")


def resolve_slash(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    a, b, ys = int(p["first"]), int(p["second"]), p["year"]
    year = int(ys) if len(ys) == 4 else two_digit_year(int(ys), ctx.anchor)
    # US order (month/day) unless only day/month is possible.
    month, day = (b, a) if a > 12 >= b else (a, b)
    if safe_day(year, month, day) is None or not 1000 <= year <= 2999:
        return None
    if _SCORE_BEFORE.search(ctx.before(30)):
        return None
    return Resolution("DATE", f"{year:04d}-{month:02d}-{day:02d}", "day")


def month_day(ctx: Ctx, month_name: str, day: int, year_text: str | None, weekday: int | None) -> tuple[str, bool, bool] | None:
    """(value, is_relative, anchored) of a month-day with or without its year."""
    month = month_number(ctx, month_name)
    if year_text:
        year = int(year_text)
        if safe_day(year, month, day) is None:
            return None
        return f"{year:04d}-{month:02d}-{day:02d}", False, False
    if safe_day(2000, month, day) is None:  # 2000 is a leap year: 29 February is possible
        return None
    if (year := year_that_follows(ctx) or year_of_range_end(ctx, month)) is not None:
        return (f"{year:04d}-{month:02d}-{day:02d}", False, False) if safe_day(year, month, day) else None
    if ctx.anchor is None:
        return f"XXXX-{month:02d}-{day:02d}", True, False
    year = relative_year_that_follows(ctx)
    if year is not None:
        return (f"{year:04d}-{month:02d}-{day:02d}", True, True) if safe_day(year, month, day) else None
    if weekday is not None:  # "Friday, Oct. 23": the year in which Oct. 23 is a Friday
        year = _year_of_weekday(ctx.anchor.year, month, day, weekday)
    if year is None and (story := narrative_day(ctx)) is not None:
        year = nearest_year(story, lambda y: safe_day(y, month, day))
    if year is None:
        year = choose_year(ctx.anchor, lambda y: safe_day(y, month, day), ctx.tense())
    if year is None:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}", True, True


def _year_of_weekday(around: int, month: int, day: int, weekday: int) -> int | None:
    for y in (around, around - 1, around + 1):
        iv = safe_day(y, month, day)
        if iv and iv[0].isoweekday() == weekday:
            return y
    return None


def _not_a_date(ctx: Ctx, month_name: str) -> bool:
    """A month name and a number that are not a yearless date."""
    following = re.match(r"\s+([A-Za-z]+)", ctx.after(30))
    if following and following[1].lower() in ctx.lex.count_nouns:
        return True  # "May 10 people": a count after a name, not a date
    # "they may march 10 miles": after "may" or "march", the other is a verb too, not the month
    return month_name.rstrip(".").lower() in ("may", "march") and ctx.prev_words(1) in (["may"], ["march"])


def resolve_date(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    weekday = weekday_number(ctx, p["weekday"]) if p.get("weekday") else None
    month_name, year_text = p["month"], p.get("year")
    if p.get("short_year"):
        year_text = str(two_digit_year(int(p["short_year"]), ctx.anchor))
    day = ordinal_or_day(ctx, p["day"])
    if not year_text and weekday is None and _not_a_date(ctx, month_name):
        return None
    res = month_day(ctx, month_name, day, year_text, weekday)
    if res is None:
        return None
    value, relative, anchored = res
    if p.get("week_of"):
        # "the week of March 6": the ISO week that holds the day
        iv = cal.interval_of(value)
        week = cal.week_value(iv[0]) if iv else "XXXX-WXX"
        return Resolution("DATE", week, "week", mod_of(ctx), relative, anchored)
    return Resolution("DATE", value, "day", mod_of(ctx), relative, anchored)


def resolve_month_year(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    month = month_number(ctx, p["month"])
    mod = mod_of(ctx)
    if ctx.get("year"):
        return Resolution("DATE", f"{int(p['year']):04d}-{month:02d}", "month", mod)
    if ctx.get("short_year"):
        year = two_digit_year(int(p["short_year"]), ctx.anchor)
        return Resolution("DATE", f"{year:04d}-{month:02d}", "month", mod, ctx.anchor is not None, ctx.anchor is not None)
    if ctx.get("year_words"):
        year = year_from_words(p["year_words"], ctx.lex)
        return Resolution("DATE", f"{year:04d}-{month:02d}", "month", mod) if year else None
    if ctx.anchor is None:
        return Resolution("DATE", f"XXXX-{month:02d}", "month", mod, True, False)
    year = ctx.anchor.year + _YEAR_SHIFT[p["year_rel"].lower()]
    return Resolution("DATE", f"{year:04d}-{month:02d}", "month", mod, True, True)
