"""Calendar units named by their relation to the anchor or to the text: "last year", "this
week", "the following month", "last night", "this weekend", "year-end", "in the quarter"."""

from __future__ import annotations

import datetime as dt
import re

from broadsheet import calendar
from broadsheet.extract.timex import calendar as cal
from broadsheet.extract.timex.context import _UNSET, Ctx, Resolution
from broadsheet.extract.timex.cues import mod_of
from broadsheet.extract.timex.lexicon import phrase_key
from broadsheet.extract.timex.values import GRANULARITY_ORDER, UNANCHORED, duration_value, render, shift_day

# Relation words and how many units away they point: from the last date the text named, or
# from the anchor
_ANAPHORIC = {"previous": -1, "prior": -1, "preceding": -1, "following": 1, "same": 0, "that": 0}
_DEICTIC = {
    "last": -1,
    "past": -1,
    "this past": -1,
    "most recent": -1,
    "latest": -1,
    "this": 0,
    "current": 0,
    "present": 0,
    "next": 1,
    "coming": 1,
    "this coming": 1,
    "upcoming": 1,
}
# After "the", these point from the text even where they could point from the anchor ("the next year")
_ANAPHORIC_AFTER_THE = frozenset({"next", "following", "previous", "prior", "preceding", "same"})
_POD_UNITS = {"night", "morning", "afternoon", "evening"}
# "of" and the thing a final stretch is the end of ("the last week of the race", "the last
# half of the '80s"); "in the last week of trying" is still the past week.
_OF_A_THING = re.compile(r"\s+of\s+(?:(?:the|a|an|his|her|its|their|our|this|that|these|those)\b|[A-Z0-9'’])")
_QUOTE_BEFORE = re.compile(r"[\"“‘']\s*$")
_UNIT_CODES = {"year": "Y", "month": "M", "week": "W", "quarter": "Q", "decade": "DE", "century": "CE"}
# "the year ended March 31", "the year to March 1998" (the British way of writing it): a stretch of
# twelve months that ends on a day or in a month the text names, not the calendar year
_RUNNING_TO_DATE = re.compile(
    rf"\s+(?:ended|ending|ends|that\s+ended|that\s+ends|to\s+date|to\s+(?=(?-i:[A-Z])){calendar.MONTH_PATTERN}\b)\b", re.I
)
_NOT_THE_CURRENT_AFTER = re.compile(r"\s+(?:in\s+which|when|before|after|that|ahead|of|to\s+come)\b")
# "in the year", "during the month": the prepositions that make "the <unit>" the current one
_IN_THE_UNIT = frozenset({"in", "for", "during", "throughout", "over", "through", "since", "until", "by"})
# "the rest of the year", "the end of the month": words that make "of the <unit>" the current one
_PERIOD_WORDS = {
    "months",
    "weeks",
    "days",
    "quarter",
    "quarters",
    "half",
    "rest",
    "part",
    "end",
    "beginning",
    "start",
    "middle",
    "remainder",
    "balance",
    "course",
    "bulk",
    "turn",
    "close",
}


def _weekend_of(d: dt.date) -> str:
    return f"{cal.week_value(d)}-WE"


def weekend(ctx: Ctx, shift: int | None) -> tuple[str, bool, bool]:
    """The weekend `shift` weekends from the anchor's; None: the one the sentence talks about."""
    a = ctx.anchor
    if a is None:
        return "XXXX-WXX-WE", True, False
    if shift is None:
        if ctx.future():
            shift = 0 if a.isoweekday() <= 6 else 1
        else:
            shift = 0 if a.isoweekday() >= 6 else -1
    return _weekend_of(a + dt.timedelta(weeks=shift)), True, True


def _not_a_unit_of_time(ctx: Ctx, rel: str, the: bool, unit: str) -> bool:
    p = ctx.parts
    if unit == "season":
        return True  # "last season" is a sports season: no calendar value
    if p["rel"][:1].isupper() and p["unit"][:1].isupper() and _QUOTE_BEFORE.search(ctx.before(2)):
        return True  # "This Week", quoted and capitalised: a title
    # "the last week of the campaign", "the last half of the '80s": the final one, not the past one
    return (the or ctx.prev_words(1) == ["the"]) and rel == "last" and _OF_A_THING.match(ctx.text, ctx.end) is not None


def _kind_and_shift(rel: str, the: bool) -> tuple[str, int] | None:
    """("anaphoric" or "deictic", how many units away)."""
    if the and rel in _ANAPHORIC_AFTER_THE:
        return "anaphoric", {"next": 1}.get(rel, _ANAPHORIC.get(rel, 0))
    if rel in _ANAPHORIC:
        return "anaphoric", _ANAPHORIC[rel]
    if rel in _DEICTIC:
        return "deictic", _DEICTIC[rel]
    return None


def _not_this_day(unit: str, kind: str, rel: str, the: bool) -> bool:
    """ "the last day", "this day", "the last night": not yesterday or today."""
    if kind != "deictic":
        return False
    if unit == "day":
        return True
    if unit in _POD_UNITS and (the or rel not in ("last", "this")):
        return True
    return unit == "night" and rel == "this"


# "the past decade", "over the next century": the ten or hundred years up to or from now, a
# DURATION (TimeBank writes "the past decade" P10Y), since a calendar decade ("the 2010s") is
# never what they mean: said in 2013, "the next decade" runs to 2023, not through the 2020s.
_STRETCH_UNITS = frozenset({"decade", "century"})
_STRETCH_RELS = frozenset({"past", "last", "next", "coming"})


# The value of an unknown day, week or month inside a known month or year ("that same day" after
# "last October" is some day of that October: 1998-10-XX), as TimeML writes an underspecified part.
_UNKNOWN_PART = {("day", "month"): "{}-XX", ("day", "year"): "{}-XX-XX", ("week", "year"): "{}-WXX", ("month", "year"): "{}-XX"}


def _unknown_part_of(base_value: str, base_gran: str, gran: str, shift: int, pod_code: str, mod: str | None) -> Resolution | None:
    """ "that day", "the same week" when the text last named a longer period: a part of it, which
    the text does not say (TimeBank writes "that same day" after "last October" as 1998-10-XX)."""
    pattern = _UNKNOWN_PART.get((gran, base_gran))
    if pattern is None or shift != 0 or pod_code or not base_value[:4].isdigit():
        return None
    return Resolution("DATE", pattern.format(base_value), gran, mod, True, False, reference=False)


def _from_the_text(ctx: Ctx, gran: str, shift: int, pod_code: str, mod: str | None) -> Resolution | None:
    """A unit relative to the last date the text named, when that date is no coarser than the unit."""
    if ctx.state.point is None:
        return None
    base_value, base_gran = ctx.state.point
    order = GRANULARITY_ORDER
    if order.index(base_gran if base_gran in order else "day") > order.index(gran):
        part = _unknown_part_of(base_value, base_gran, gran, shift, pod_code, mod)
        if part is not None or gran != "day" or shift == 0 or ctx.state.day is None:
            return part
        # "The vote was on Sunday; in 2008 fewer voted; the count ended the next day": a year
        # named in between does not move the day the story is on, and "the next day" is the one
        # after the last day named (TimeML resolves it against the reference time, never the
        # publication date when the text has named a day).
        base_value, base_gran = render(ctx.state.day, "day"), "day"
    iv = cal.interval_of(base_value)
    if iv is None:
        return None
    value = render(shift_day(iv[0], gran, shift), gran)
    return Resolution(
        "TIME" if pod_code else "DATE", value + pod_code, "time" if pod_code else gran, mod, True, False, reference=False
    )


def _part_up_to_the_anchor(ctx: Ctx, value: str, mod: str | None, shift: int) -> object:
    """ "earlier this year" runs from the start of the year to the anchor, "later this year" from
    the anchor to its end."""
    said = ctx.parts.get("mod", "").lower()
    if shift != 0 or not ((mod == "START" and said == "earlier") or (mod == "END" and said == "later")):
        return _UNSET
    iv = cal.interval_of(value)
    if iv is None:
        return None
    return (iv[0], ctx.anchor) if mod == "START" else (ctx.anchor, iv[1])


def resolve_relunit(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    rel = phrase_key(p["rel"])
    if rel == "that same":
        rel = "same"
    the = bool(p.get("the"))
    unit = p["unit"].lower()
    mod = mod_of(ctx) or ("APPROX" if p.get("or_so") else None)
    if _not_a_unit_of_time(ctx, rel, the, unit):
        return None
    kind_shift = _kind_and_shift(rel, the)
    if kind_shift is None:
        return None
    kind, shift = kind_shift
    if _not_this_day(unit, kind, rel, the):
        return None
    if (
        unit in _STRETCH_UNITS
        and rel in _STRETCH_RELS
        and (the or ctx.prev_words(1) == ["the"])
        and not _OF_A_THING.match(ctx.text, ctx.end)
    ):
        return Resolution("DURATION", duration_value(1, _UNIT_CODES[unit], False), "duration", mod)
    if unit == "weekend":
        value, relative, anchored = weekend(ctx, shift) if kind == "deictic" else weekend(ctx, None)
        return Resolution("DATE", value, "week", mod, relative, anchored)
    gran, pod_code = unit, ""
    if unit in _POD_UNITS:
        gran, pod_code = "day", ctx.lex.parts_of_day[unit]
        if kind == "deictic":
            shift = -1 if unit == "night" else 0  # "last night": the night before the anchor's day
    if kind == "anaphoric" and (res := _from_the_text(ctx, gran, shift, pod_code, mod)) is not None:
        return res
    ttype, tgran = ("TIME", "time") if pod_code else ("DATE", gran)
    if ctx.anchor is None:
        return Resolution(ttype, UNANCHORED[gran] + pod_code, tgran, mod, True, False)
    value = render(shift_day(ctx.anchor, gran, shift), gran)
    interval = _part_up_to_the_anchor(ctx, value, mod, shift)
    return Resolution(ttype, value + pod_code, tgran, mod, True, True, interval)


# "year-end rally", "a year-end news conference", "the No. 1 year-end ranking": the compound
# before a noun is a kind of thing (the rally that comes at years' ends), not the end of a year;
# before a function word (the lexicon's `function_words`) or punctuation it is the end itself
# ("by year-end, the bank...").
_NOUN_AFTER = re.compile(r"\s+([A-Za-z][a-z]+)\b")


def resolve_periodend(ctx: Ctx) -> Resolution | None:
    unit = ctx.parts["unit"].lower()
    noun = _NOUN_AFTER.match(ctx.text, ctx.end)
    if noun is not None and noun[1].lower() not in ctx.lex.function_words and not ctx.get("approx"):
        return None
    mod = "APPROX" if ctx.get("approx") else "END"
    if ctx.anchor is None:
        return Resolution("DATE", UNANCHORED[unit], unit, mod, True, False)
    return Resolution("DATE", render(ctx.anchor, unit), unit, mod, True, True)


def _not_the_current_unit(ctx: Ctx, unit: str, after: str) -> bool:
    """ "the year" without a modifier is the current one only after a preposition of time ("in
    the year") or a word of a part ("the rest of the year"), and not before a clause."""
    prev = ctx.prev_words(2)
    if unit in ("decade", "century") or not prev:
        return True
    if prev[-1] == "of":
        if len(prev) < 2 or prev[0] not in _PERIOD_WORDS:
            return True
    elif prev[-1] not in _IN_THE_UNIT:
        return True
    return _NOT_THE_CURRENT_AFTER.match(after) is not None


def resolve_theunit(ctx: Ctx) -> Resolution | None:
    unit = ctx.parts["unit"].lower()
    mod = mod_of(ctx)
    after = ctx.after(20)
    if unit == "weekend":
        value, relative, anchored = weekend(ctx, None)
        return Resolution("DATE", value, "week", mod, relative, anchored)
    if unit == "day":
        return None
    if _RUNNING_TO_DATE.match(after):
        return Resolution("DURATION", duration_value(1, _UNIT_CODES[unit], False), "duration", mod)
    if not mod and _not_the_current_unit(ctx, unit, after):
        return None
    if ctx.anchor is None:
        return Resolution("DATE", UNANCHORED[unit], unit, mod, True, False)
    return Resolution("DATE", render(ctx.anchor, unit), unit, mod, True, True)
