"""Clock times and parts of a day: "5:30 p.m. Tuesday", "noon", "22:00 GMT", "late Friday evening",
"in the morning"."""

from __future__ import annotations

import re
from collections.abc import Callable

from broadsheet import calendar
from broadsheet.extract.timex.context import Ctx, Resolution
from broadsheet.extract.timex.cues import after_a_name, day_number, edge_mod, weekday_number
from broadsheet.extract.timex.resolvers.calendar_dates import month_day
from broadsheet.extract.timex.resolvers.days import relday_day, weekday_day

_SCORE_CONTEXT = re.compile(
    r"\b(?:won|win|wins|beat|beats|lost|lose|loses|defeat(?:ed)?|drew|draw|score[ds]?|victory|lead|led|trail(?:ed|ing)?|"
    r"final|half-?time|tie[ds]?|edged|routed|thrashed|vote[ds]?|margin|ratio|odds)\b[^.]{0,25}$",
    re.I,
)
_SCORE_AFTER = re.compile(r"\s*(?:win|victory|defeat|lead|margin|vote)", re.I)
_TIME_CUE_BEFORE = re.compile(
    r"\b(?:at|by|until|till|from|before|after|around|about|since|between|and|to|approximately|roughly|starting|begins?|began|ends?|ended|open|opens|close|closes)\s*$",
    re.I,
)
_NOT_A_TIME_AFTER_POD = re.compile(r"\s+(?:shows?|hosts?|television|tv|comed(?:y|ians?)|talk|radio|hours?\s+of\s+the)\b", re.I)
_LATER_IN_DAY = frozenset({"afternoon", "evening"})
# Zones that are Coordinated Universal Time: TIMEX3 writes the time with ISO 8601's "Z"
# ("14:00 UTC" is T14:00Z). Other zones keep the local clock time, as TimeBank writes them.
_UTC_ZONES = frozenset({"UTC", "GMT", "Z"})


def _hour_number(ctx: Ctx, text: str) -> int:
    return int(text) if text.isdigit() else ctx.lex.numbers.get(text.lower(), 0)


def _named_time(ctx: Ctx) -> str | None:
    named = ctx.parts["named_time"]
    if ctx.prev_words(1) == ["high"] or (named[:1].isupper() and after_a_name(ctx)):
        return None  # "high noon": an idiom; "Midnight Rambler" after a name: a name
    return ctx.lex.named_times[named.lower()]


def _twelve_hour(ctx: Ctx) -> str | None:
    """ "5:30 p.m.", "12 a.m." """
    h = int(ctx.parts["hour"])
    mi = int(ctx.parts.get("minute") or 0)
    meridiem = ctx.parts["meridiem"].lower().replace(".", "").replace(" ", "")
    if h == 0 and meridiem == "am":
        return f"00:{mi:02d}"
    if not 1 <= h <= 12:
        return None
    if meridiem == "pm" and h < 12:
        h += 12
    if meridiem == "am" and h == 12:
        h = 0
    return f"{h:02d}:{mi:02d}"


def _twenty_four_hour(ctx: Ctx) -> str | None:
    """ "22:30": only where something says it is a time (a zone, "hours", or a preposition of
    time before it), and never in a score or a vote count."""
    p = ctx.parts
    if not (p.get("hours_word") or p.get("zone") or _TIME_CUE_BEFORE.search(ctx.before(25))):
        return None
    if _SCORE_CONTEXT.search(ctx.before(60)) or _SCORE_AFTER.match(ctx.after(15)):
        return None
    return f"{int(p['hour24']):02d}:{int(p['minute24']):02d}"


def _four_digit(ctx: Ctx) -> str:
    """ "1600 GMT": the grammar takes four digits for a clock only before GMT or UTC."""
    return f"{ctx.parts['hour4']}:{ctx.parts['minute4']}"


def _oclock(ctx: Ctx) -> str | None:
    h = _hour_number(ctx, ctx.parts["oclock_hour"])
    return f"{h:02d}:00" if 1 <= h <= 12 else None


def _hour_in_part_of_day(ctx: Ctx) -> str | None:
    """ "five in the afternoon" """
    h = _hour_number(ctx, ctx.parts["hour_in_part"])
    if not 1 <= h <= 12:
        return None
    if ctx.parts["part_of_day"].lower() in _LATER_IN_DAY and h < 12:
        h += 12
    return f"{h:02d}:00"


# Each way of writing a clock time, by the part only it has, in the order of the rule's branches.
_CLOCK_READERS: tuple[tuple[str, Callable[[Ctx], str | None]], ...] = (
    ("named_time", _named_time),
    ("hour", _twelve_hour),
    ("hour24", _twenty_four_hour),
    ("hour4", _four_digit),
    ("oclock_hour", _oclock),
    ("hour_in_part", _hour_in_part_of_day),
)


def _clock(ctx: Ctx) -> str | None:
    """HH:MM (24-hour) from the time rule's parts; None if the match is not a clock time."""
    for part, read in _CLOCK_READERS:
        if ctx.parts.get(part):
            return read(ctx)
    return None


_DAY_PARTS = ("weekday", "relday", "month")


def _says_its_day(ctx: Ctx) -> bool:
    return any(ctx.parts.get(part) for part in _DAY_PARTS)


def _day_said(ctx: Ctx) -> tuple[str, bool, bool] | None:
    """The day a time of day is said to be on ("5 p.m. Tuesday"): (value, is_relative, anchored),
    None when it is not a day."""
    p = ctx.parts
    if p.get("weekday"):
        return weekday_day(ctx, weekday_number(ctx, p["weekday"]), p.get("rel"))
    if p.get("relday"):
        return relday_day(ctx, p["relday"].lower(), 0)
    return month_day(ctx, p["month"], day_number(p["day"]), p.get("year"), None)


# The day written after a time, past its zone or its conversion into another one (or the end of
# the brackets the conversion is in): "at 6 a.m. on Sunday", "11:30 p.m. local time (2230 GMT) on
# Tuesday", "at 9 a.m., March 17". The time is on that day, not on the one the text was on before.
_DAY_AFTER_TIME = re.compile(
    rf"\)?(?:\s+(?:local\s+time|(?-i:[A-Z]{{2,4}})))?(?:\s*\([^()]{{1,30}}\))?\s*,?\s+(?:on\s+)?"
    rf"(?:(?P<weekday>{calendar.WEEKDAY_PATTERN})\b(?!['’]s)(?:,?\s+(?=(?-i:[A-Z]))(?P<month_w>{calendar.MONTH_PATTERN})\.?\s+(?P<day_w>\d{{1,2}})\b)?"
    rf"|(?P<relday>today|yesterday|tomorrow)\b(?!['’]s)"
    rf"|(?=(?-i:[A-Z]))(?P<month>{calendar.MONTH_PATTERN})\.?\s+(?P<day>\d{{1,2}})\b(?!,?\s*\d{{4}})(?!\s*[-–:]))",
    re.I,
)


def _day_written_after(ctx: Ctx) -> tuple[str, bool, bool] | None:
    m = _DAY_AFTER_TIME.match(ctx.text, ctx.end)
    if m is None:
        return None
    if m["month"] or m["month_w"]:
        month, day = (m["month"], m["day"]) if m["month"] else (m["month_w"], m["day_w"])
        return month_day(ctx, month, day_number(day), None, None)
    if m["weekday"]:
        return weekday_day(ctx, weekday_number(ctx, m["weekday"]), None)
    return relday_day(ctx, m["relday"].lower(), 0)


def _on_the_day_in_hand(ctx: Ctx, suffix: str, mod: str | None, unanchored: str) -> Resolution:
    """A time of day said alone: on the day written right after it, else on the day the text is
    talking about, else on the anchor's."""
    if suffix.startswith("T") and (after := _day_written_after(ctx)) is not None:
        value, relative, anchored = after
        return Resolution("TIME", f"{value}{suffix}", "time", mod, relative, anchored, reference=False)
    if ctx.state.day is not None:
        return Resolution("TIME", f"{ctx.state.day.isoformat()}{suffix}", "time", mod, True, False, reference=False)
    if ctx.anchor is not None:
        return Resolution("TIME", f"{ctx.anchor.isoformat()}{suffix}", "time", mod, True, True)
    return Resolution("TIME", f"{unanchored}{suffix}", "time", mod, True, False)


def resolve_time(ctx: Ctx) -> Resolution | None:
    hhmm = _clock(ctx)
    if hhmm is None:
        return None
    mod = "APPROX" if ctx.get("approx") else None  # about, around, approximately, roughly
    if (ctx.get("zone") or "").upper() in _UTC_ZONES:
        hhmm += "Z"
    if not _says_its_day(ctx):
        return _on_the_day_in_hand(ctx, f"T{hhmm}", mod, "")
    day = _day_said(ctx)
    if day is None:
        return None
    value, relative, anchored = day
    return Resolution("TIME", f"{value}T{hhmm}", "time", mod, relative, anchored)


def resolve_podmod(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    if _NOT_A_TIME_AFTER_POD.match(ctx.after(25)):
        return None  # "late night television": a kind of programme, not a time
    mod = edge_mod(p["edge"])
    code = ctx.lex.parts_of_day[p["part_of_day"].lower()]
    if not _says_its_day(ctx):
        return _on_the_day_in_hand(ctx, code, mod, "XXXX-XX-XX")
    day = _day_said(ctx)
    if day is None:
        return None
    value, relative, anchored = day
    return Resolution("TIME", value + code, "time", mod, relative, anchored)


def resolve_thepod(ctx: Ctx) -> Resolution | None:
    """ "in the morning", "during the night": that part of the day the text is on, else of the
    anchor's day."""
    return _on_the_day_in_hand(ctx, ctx.lex.parts_of_day[ctx.parts["part_of_day"].lower()], None, "XXXX-XX-XX")
