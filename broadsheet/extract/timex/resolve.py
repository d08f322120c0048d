"""What a grammar match means: whether it is a temporal expression, and its TIMEX3 normalization.

One handler per grammar rule reads the rule's parts and the text around the match and returns a
`Resolution` (type, value, mod, granularity, whether the anchor was used), or None to reject the
match ("May" the verb, "1990" the count of people). Relative expressions resolve against the
anchor (the article's date) the way news is written: a date without a year, a weekday or a
quarter is read in the past of the article unless its clause speaks of the future. Anaphoric
ones ("a year earlier", "the following day", "the year-ago quarter") resolve against the last
date the text itself mentioned, held in `Discourse`. Without an anchor a deictic expression keeps
an underspecified value (`XXXX-05-09`, `XXXX-WXX-3`) and no interval: never a silent guess.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from broadsheet.extract.timex import calendar as cal
from broadsheet.extract.timex.context import (
    _UNSET,
    Ctx,
    Discourse,
    Interval,
    Resolution,
)
from broadsheet.extract.timex.cues import after_a_name, mod_of
from broadsheet.extract.timex.cues import edge_mod as _edge_mod
from broadsheet.extract.timex.lexicon import Lexicon, phrase_key
from broadsheet.extract.timex.tense import is_past_verb as _is_past_verb
from broadsheet.extract.timex.values import GRANULARITY_ORDER as _ORDER
from broadsheet.extract.timex.values import (
    choose_year,
    day_value,
    duration_value,
    parse_number,
    render,
    shift_day,
    shift_value,
    two_digit_year,
)
from broadsheet.extract.timex.values import safe_day as _safe_day
from broadsheet.extract.timex.values import year_from_words as _year_from_words

__all__ = [
    "_UNSET", "Ctx", "Discourse", "Interval", "Resolution", "after_a_name", "mod_of", "choose_year", "day_value",
    "duration_value", "parse_number", "render", "shift_day", "shift_value", "two_digit_year", "Lexicon",
]

# ---------------------------------------------------------------------------------------------
# handlers


def h_iso(ctx: Ctx) -> Resolution | None:
    y, m, d = int(ctx.parts["y"]), int(ctx.parts["m"]), int(ctx.parts["d"])
    if _safe_day(y, m, d) is None:
        return None
    value = f"{y:04d}-{m:02d}-{d:02d}"
    if ctx.get("h"):
        value += f"T{ctx.parts['h']}:{ctx.parts['mi']}" + (f":{ctx.parts['s']}" if ctx.get("s") else "")
        return Resolution("TIME", value, "time")
    return Resolution("DATE", value, "day")


def h_slash(ctx: Ctx) -> Resolution | None:
    a, b, ys = int(ctx.parts["a"]), int(ctx.parts["b"]), ctx.parts["y"]
    year = int(ys) if len(ys) == 4 else two_digit_year(int(ys), ctx.anchor)
    # US order (month/day) unless only day/month is possible.
    month, day = (b, a) if a > 12 >= b else (a, b)
    if _safe_day(year, month, day) is None or not 1000 <= year <= 2999:
        return None
    if re.search(r"\b(?:score[ds]?|won|beat|ratio|odds)\W*$", ctx.before(30), re.I):
        return None
    return Resolution("DATE", f"{year:04d}-{month:02d}-{day:02d}", "day")


_SCORE_CONTEXT = re.compile(
    r"\b(?:won|win|wins|beat|beats|lost|lose|loses|defeat(?:ed)?|drew|draw|score[ds]?|victory|lead|led|trail(?:ed|ing)?|"
    r"final|half-?time|tie[ds]?|edged|routed|thrashed|vote[ds]?|margin|ratio|odds)\b[^.]{0,25}$",
    re.I,
)
_TIME_CUE_BEFORE = re.compile(r"\b(?:at|by|until|till|from|before|after|around|about|since|between|and|to|approximately|roughly|starting|begins?|began|ends?|ended|open|opens|close|closes)\s*$", re.I)


def _clock(ctx: Ctx) -> str | None:
    """HH:MM (24-hour) from the time rule's parts; None if the match is not a clock time."""
    p = ctx.parts
    words = ctx.lex.numbers
    if p.get("named"):
        if ctx.prev_words(1) == ["high"] or (p["named"][:1].isupper() and after_a_name(ctx)):
            return None  # "high noon": an idiom; "Midnight Rambler" after a name: a name
        return ctx.lex.named_times[p["named"].lower()]
    if p.get("h"):
        h = int(p["h"])
        mi = int(p.get("mi") or 0)
        ap = p["ap"].lower().replace(".", "").replace(" ", "")
        if h == 0 and ap == "am":
            return f"00:{mi:02d}"
        if not 1 <= h <= 12:
            return None
        if ap == "pm" and h < 12:
            h += 12
        if ap == "am" and h == 12:
            h = 0
        return f"{h:02d}:{mi:02d}"
    if p.get("h2"):
        # 24-hour "22:30" only where something says it is a time: a zone, "hours", or a
        # preposition of time before it; and never in a score or a vote count.
        if not (p.get("hrs") or p.get("tz") or _TIME_CUE_BEFORE.search(ctx.before(25))):
            return None
        if _SCORE_CONTEXT.search(ctx.before(60)) or re.match(r"\s*(?:win|victory|defeat|lead|margin|vote)", ctx.after(15), re.I):
            return None
        return f"{int(p['h2']):02d}:{int(p['mi2']):02d}"
    if p.get("h3"):
        h = int(p["h3"]) if p["h3"].isdigit() else words.get(p["h3"].lower(), 0)
        return f"{h:02d}:00" if 1 <= h <= 12 else None
    if p.get("h4"):
        h = int(p["h4"]) if p["h4"].isdigit() else words.get(p["h4"].lower(), 0)
        if not 1 <= h <= 12:
            return None
        if p["pod4"].lower() in ("afternoon", "evening") and h < 12:
            h += 12
        return f"{h:02d}:00"
    return None


def h_time(ctx: Ctx) -> Resolution | None:
    hhmm = _clock(ctx)
    if hhmm is None:
        return None
    mod = "APPROX" if ctx.get("qmod") else None  # about, around, approximately, roughly
    day_res = None
    if ctx.get("wd"):
        day_res = _weekday_day(ctx, ctx.lex.weekdays[ctx.parts["wd"].lower().rstrip(".")], None)
    elif ctx.get("rd"):
        day_res = _relday_day(ctx, ctx.parts["rd"].lower(), 0)
    elif ctx.get("month"):
        day_res = _month_day(ctx, ctx.parts["month"], int(re.sub(r"\D", "", ctx.parts["day"])), ctx.get("year"), None)
        if day_res is None:
            return None
    if day_res is not None:
        value, relative, anchored = day_res
        return Resolution("TIME", f"{value}T{hhmm}", "time", mod, relative, anchored)
    # A clock time alone belongs to the day the text is talking about, else to the anchor's day.
    if ctx.state.day is not None:
        return Resolution("TIME", f"{ctx.state.day.isoformat()}T{hhmm}", "time", mod, True, False, reference=False)
    if ctx.anchor is not None:
        return Resolution("TIME", f"{ctx.anchor.isoformat()}T{hhmm}", "time", mod, True, True)
    return Resolution("TIME", f"T{hhmm}", "time", mod, True, False)


def _month_number(ctx: Ctx, name: str) -> int:
    return ctx.lex.months[name.lower().rstrip(".")]


def _month_day(ctx: Ctx, month_name: str, day: int, year_text: str | None, weekday: int | None) -> tuple[str, bool, bool] | None:
    """(value, is_relative, anchored) of a month-day with or without its year."""
    month = _month_number(ctx, month_name)
    if year_text:
        year = int(year_text)
        if _safe_day(year, month, day) is None:
            return None
        return f"{year:04d}-{month:02d}-{day:02d}", False, False
    if _safe_day(2000, month, day) is None:  # 2000 is a leap year: 29 February is possible
        return None
    if ctx.anchor is None:
        return f"XXXX-{month:02d}-{day:02d}", True, False
    year = None
    if weekday is not None:  # "Friday, Oct. 23": the year in which Oct. 23 is a Friday
        for y in (ctx.anchor.year, ctx.anchor.year - 1, ctx.anchor.year + 1):
            iv = _safe_day(y, month, day)
            if iv and iv[0].isoweekday() == weekday:
                year = y
                break
    if year is None:
        year = choose_year(ctx.anchor, lambda y: _safe_day(y, month, day), ctx.tense())
    if year is None:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}", True, True


def _ordinal_or_day(ctx: Ctx, text: str) -> int:
    key = text.lower()
    if key in ctx.lex.ordinals:
        return ctx.lex.ordinals[key]
    return int(re.sub(r"\D", "", key))


def h_date(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    weekday = ctx.lex.weekdays[p["wd"].lower().rstrip(".")] if p.get("wd") else None
    if p.get("month"):
        month_name, day_text, year_text = p["month"], p["day"], p.get("year")
        if p.get("yy"):
            year_text = str(two_digit_year(int(p["yy"]), ctx.anchor))
    elif p.get("month2"):
        month_name, day_text, year_text = p["month2"], p["day2"], p.get("year2")
    elif p.get("month3"):
        month_name, day_text, year_text = p["month3"], p["ord3"], p.get("year3")
    else:
        month_name, day_text, year_text = p["month4"], p["ord4"], p.get("year4")
    day = _ordinal_or_day(ctx, day_text)
    if not year_text and weekday is None:
        following = re.match(r"\s+([A-Za-z]+)", ctx.after(30))
        if following and following[1].lower() in ctx.lex.count_nouns:
            return None  # "May 10 people": a count after a name, not a date
        if month_name.rstrip(".").lower() in ("may", "march") and ctx.prev_words(1) in (["may"], ["march"]):
            return None
    res = _month_day(ctx, month_name, day, year_text, weekday)
    if res is None:
        return None
    value, relative, anchored = res
    if p.get("weekof"):
        # "the week of March 6": the ISO week that holds the day
        iv = cal.interval_of(value)
        week = cal.week_value(iv[0]) if iv else "XXXX-WXX"
        return Resolution("DATE", week, "week", mod_of(ctx), relative, anchored)
    return Resolution("DATE", value, "day", mod_of(ctx), relative, anchored)


def h_month_year(ctx: Ctx) -> Resolution | None:
    month = _month_number(ctx, ctx.parts["month"])
    mod = mod_of(ctx)
    if ctx.get("year"):
        return Resolution("DATE", f"{int(ctx.parts['year']):04d}-{month:02d}", "month", mod)
    if ctx.get("yy"):
        year = two_digit_year(int(ctx.parts["yy"]), ctx.anchor)
        return Resolution("DATE", f"{year:04d}-{month:02d}", "month", mod, ctx.anchor is not None, ctx.anchor is not None)
    if ctx.get("wyear"):
        year = _year_from_words(ctx.parts["wyear"], ctx.lex)
        return Resolution("DATE", f"{year:04d}-{month:02d}", "month", mod) if year else None
    rel = ctx.parts["rel"].lower()
    if ctx.anchor is None:
        return Resolution("DATE", f"XXXX-{month:02d}", "month", mod, True, False)
    year = ctx.anchor.year + {"last": -1, "this": 0, "next": 1}[rel]
    return Resolution("DATE", f"{year:04d}-{month:02d}", "month", mod, True, True)


def _holiday_interval(spec: dict, year: int) -> Interval | None:
    if "fixed" in spec:
        month, day = (int(x) for x in spec["fixed"].split("-"))
        return _safe_day(year, month, day)
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


def h_holiday(ctx: Ctx) -> Resolution | None:
    res = _holiday_day(ctx)
    if res is None or not ctx.get("hweek"):
        return res
    # "Easter week", "Christmas week": the ISO week that holds the holiday
    iv = cal.interval_of(res.value)
    week = cal.week_value(iv[0]) if iv else "XXXX-WXX"
    return Resolution("DATE", week, "week", res.mod, res.is_relative, res.anchored)


def _holiday_day(ctx: Ctx) -> Resolution | None:
    spec = ctx.lex.holidays[phrase_key(ctx.parts["hol"])]
    mod = mod_of(ctx)
    if not ctx.get("rel") and not mod and after_a_name(ctx):
        return None
    thing = re.match(r"[\s-]+([A-Za-z-]+)", ctx.after(20))
    if not ctx.get("year") and thing and thing[1].lower() in ctx.lex.holiday_things:
        return None  # "Christmas trees", "Easter eggs", "Christmas Island": things, not a date
    if not ctx.get("rel") and ctx.prev_words(1) in (["merry"], ["happy"]):
        return None  # "Merry Christmas": a greeting
    if ctx.get("year"):
        iv = _holiday_interval(spec, int(ctx.parts["year"]))
        return Resolution("DATE", day_value(iv[0]), "day", mod) if iv else None
    if ctx.anchor is None:
        if "fixed" in spec:
            return Resolution("DATE", f"XXXX-{spec['fixed']}", "day", mod, True, False)
        return Resolution("DATE", "XXXX-XX-XX", "day", mod, True, False)
    rel = phrase_key(ctx.get("rel") or "")
    a = ctx.anchor
    if rel in ("last", "this past"):
        year = a.year if (iv := _holiday_interval(spec, a.year)) and iv[0] < a else a.year - 1
    elif rel in ("next", "this coming"):
        year = a.year if (iv := _holiday_interval(spec, a.year)) and iv[0] > a else a.year + 1
    elif rel == "this":
        year = a.year
    else:
        year = choose_year(a, lambda y: _holiday_interval(spec, y), ctx.tense()) or a.year
    iv = _holiday_interval(spec, year)
    return Resolution("DATE", day_value(iv[0]), "day", mod, True, True) if iv else None


_ORD_QUARTER = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4, "last": 4, "latter": 4}


def _period_make(unit: str, n: int) -> Callable[[int], Interval]:
    if unit == "half":
        return lambda y: (dt.date(y, 1, 1), dt.date(y, 6, 30)) if n == 1 else (dt.date(y, 7, 1), dt.date(y, 12, 31))
    return lambda y: cal.quarter_interval(y, n)


def _reference_year(ctx: Ctx) -> int | None:
    if ctx.state.point is not None:
        iv = cal.interval_of(ctx.state.point[0])
        if iv is not None:
            return iv[0].year
    return ctx.anchor.year if ctx.anchor else None


_ENDED = re.compile(r"\s+(?:ended|ending)\s+([A-Z][a-z]+)\.?\s+(\d{1,2})\b(?:,\s*(\d{4})\b)?")


def _quarter_by_end(ctx: Ctx) -> str | None:
    """"The quarter ended July 31": the calendar quarter that holds most of its three months,
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
        year = choose_year(ctx.anchor, lambda y: _safe_day(y, month, day), "past")
    else:
        return None
    if year is None or _safe_day(year, month, day) is None:
        return None
    middle = dt.date(year, month, day) - dt.timedelta(days=45)
    return render(middle, "quarter")


def h_quarter(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    a = ctx.anchor
    if p.get("ord") or p.get("qn") or p.get("qn2") or p.get("hn"):
        if p.get("ord"):
            unit = p["unit"].lower()
            ordinal = p["ord"].lower()
            n = _ORD_QUARTER[ordinal]
            if unit == "half":
                if n > 2 and ordinal not in ("final", "last", "latter"):
                    return None
                n = min(n, 2)
                if not (p.get("year") or p.get("year2") or p.get("pyear") or p.get("poss") or p.get("rel")):
                    return None  # "the second half" alone is a game's or a story's as often as a year's
        else:
            unit = "half" if p.get("hn") else "quarter"
            n = int(p.get("qn") or p.get("qn2") or p.get("hn"))
        letter = "H" if unit == "half" else "Q"
        mod = mod_of(ctx)
        year: int | None = None
        relative = anchored = False
        for key in ("year", "year2", "pyear", "qy", "qy2", "qy3", "hy"):
            if p.get(key):
                year = int(p[key])
        if p.get("qyy") or p.get("qyy2"):
            year, relative, anchored = two_digit_year(int(p.get("qyy") or p["qyy2"]), a), True, a is not None
        rel = phrase_key(p.get("rel") or p.get("poss") or "")
        if year is None and rel:
            relative = True
            if rel in ("the", "that"):
                year = _reference_year(ctx)
                anchored = year is not None and ctx.state.point is None
            elif a is not None:
                year = a.year + {"last": -1, "this": 0, "next": 1, "the current": 0, "the previous": -1}[rel]
                anchored = True
        if year is None and p.get("ord") and p["ord"].lower() == "last" and not p.get("the"):
            # "last quarter": the one before the anchor's, not the fourth
            if a is None:
                return Resolution("DATE", f"XXXX-{letter}X", unit, mod, True, False)
            prev = shift_day(a, unit, -1)
            return Resolution("DATE", render(prev, unit), unit, mod, True, True)
        if year is None:
            relative = True
            if a is None:
                return Resolution("DATE", f"XXXX-{letter}{n}", unit, mod, True, False)
            year = choose_year(a, _period_make(unit, n), ctx.tense())
            if year is None:
                return None
            anchored = True
        return Resolution("DATE", f"{year:04d}-{letter}{n}", unit, mod, relative, anchored)

    # Quarters named by their relation to another ("the latest quarter", "the year-ago period").
    rq = phrase_key(p.get("rq") or "")
    mod = mod_of(ctx, "mod2")
    back_a_year = bool(p.get("ago") or p.get("ago2")) or rq.startswith(("year-ago", "year-earlier", "comparable year")) or rq in (
        "corresponding",
        "prior-year",
        "year-before",
    )
    if rq.startswith(("year-ago ", "year-earlier ")) and rq.split()[-1] in _ORD_QUARTER:
        n = _ORD_QUARTER[rq.split()[-1]]
        year = _reference_year(ctx)
        if year is None:
            return Resolution("DATE", f"XXXX-Q{n}", "quarter", mod, True, False)
        return Resolution("DATE", f"{year - 1:04d}-Q{n}", "quarter", mod, True, ctx.state.point is None, reference=False)
    if p.get("qy4") or p.get("qy5") or p.get("qy6"):
        # "the 1988 quarter", "the 1988 period", "the same period of 1988": the period the text
        # reports on, in that year
        year = int(p.get("qy4") or p.get("qy5") or p["qy6"])
        base = ctx.state.period
        if base and base[1] == "quarter" and not ctx.state.span:
            return Resolution("DATE", f"{year:04d}-{base[0][5:]}", "quarter", mod, True, False, reference=False)
        return Resolution("DATE", f"{year:04d}", "year", mod)
    if p.get("ya"):
        back_a_year = True
    # a quarter the text already named ("its fiscal first quarter") keeps its name when its end is given
    if not rq and not back_a_year and not p.get("qy5") and ctx.state.period is None and (ended := _quarter_by_end(ctx)) is not None:
        return Resolution("DATE", ended, "quarter", mod, True, a is not None)
    span_year = ctx.state.span_year(a)
    if back_a_year and span_year is not None and (p.get("ya") or phrase_key(p.get("unit2") or "") == "period"):
        # "year-earlier net" after "for the nine months": the same months of the year before
        return Resolution("DATE", f"{span_year - 1:04d}", "year", mod, True, False, reference=False)
    if rq in ("current", "this") and a is not None:
        return Resolution("DATE", render(a, "quarter"), "quarter", mod, True, True)
    if rq in ("next", "coming") and a is not None:
        return Resolution("DATE", render(shift_day(a, "quarter", 1), "quarter"), "quarter", mod, True, True)
    if (rq in ("last", "past", "latest", "most recent", "just-ended", "just-completed", "recent")) and a is not None:
        # the last completed quarter: the one results news reports on
        return Resolution("DATE", render(shift_day(a, "quarter", -1), "quarter"), "quarter", mod, True, True)
    # The quarter the text is reporting on: the last one it named, else the last completed one.
    if ctx.state.period is not None:
        value, gran = ctx.state.period
        anchored = False
    elif a is not None:
        value, gran = render(shift_day(a, "quarter", -1), "quarter"), "quarter"
        anchored = True
    else:
        return Resolution("DATE", "XXXX-QX", "quarter", mod, True, False)
    moved = False
    if rq in ("previous", "prior", "preceding"):
        value, moved = shift_value(value, gran, gran, -1) or value, True
    if back_a_year:
        value, moved = shift_value(value, gran, "year", -1) or value, True
    return Resolution("DATE", value, gran, mod, True, anchored, reference=anchored and not moved)


_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7, "eighties": 8, "nineties": 9}


def h_decade(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    mod = mod_of(ctx) or _edge_mod(p.get("mod2"))
    if p.get("c"):
        c, t = p["c"], p["t"]
        if t == "0" and int(c) < 20:  # "the 1800s": a century
            return Resolution("DATE", c, "century", mod)
        return Resolution("DATE", f"{c}{t}", "decade", mod)
    if p.get("t3") and not (p.get("the") or p.get("mod2") or p.get("mod")):
        return None  # "in their 70s", "temperatures in the 90s" need the determiner test below
    if p.get("t3") and re.search(r"\b(?:their|his|her|its|mid|low|high|upper|lower)\s*$", ctx.before(12), re.I):
        return None
    if p.get("t3") and re.match(r"\s*(?:degrees|°|percent|%)", ctx.after(12), re.I):
        return None
    digit = int(p.get("t2") or p.get("t3") or _DECADE_WORDS.get((p.get("w") or "").lower(), 0))
    if ctx.anchor is not None:
        # the latest such decade that has begun by the anchor's year ("the nineties" in 2020 -> 1990s)
        decade = ctx.anchor.year // 100 * 10 + digit
        if decade * 10 > ctx.anchor.year:
            decade -= 10
        return Resolution("DATE", f"{decade:03d}", "decade", mod, True, True)
    return Resolution("DATE", f"19{digit}", "decade", mod, True, False)


def h_century(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    mod = mod_of(ctx) or _edge_mod(p.get("mod2"))
    if p.get("ord"):
        n = _ordinal_or_day(ctx, p["ord"])
        unit = p["unit"].lower()
        if not 1 <= n <= 30:
            return None
        if unit == "millennium":
            return Resolution("DATE", f"{n - 1}", "millennium", mod)
        return Resolution("DATE", f"{n - 1:02d}", "century", mod)
    unit = p["unit2"].lower()
    rel = phrase_key(p["rel"])
    if ctx.anchor is None:
        return Resolution("DATE", "XX" if unit == "century" else "X", unit, mod, True, False)
    shift = {"this": 0, "the current": 0, "the new": 0, "last": -1, "the previous": -1, "the past": -1, "the last": -1, "next": 1, "the next": 1}[rel]
    size = 100 if unit == "century" else 1000
    n = ctx.anchor.year // size + shift
    return Resolution("DATE", f"{n:02d}" if unit == "century" else str(n), unit, mod, True, True)


def h_season(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    code = ctx.lex.seasons[p["season"].lower()]
    word = p["season"].lower()
    mod = mod_of(ctx) or _edge_mod(p.get("mod2"))
    rel = phrase_key(p.get("rel") or "")
    has_year = bool(p.get("year") or p.get("rel2") or p.get("yy") or p.get("wyear"))
    if not (has_year or rel or mod or p.get("the")):
        prev = ctx.prev_words(1)
        if not prev or prev[0] not in ("in", "during", "by", "since", "until", "till", "through", "throughout", "over", "before", "after", "all", "each", "every"):
            return None
    # "last fall in his home": after a bare "last"/"this"/"next" the word is the season; "the last
    # fall in prices", with its article, stays a noun
    deictic = rel in ("last", "this", "next", "this past", "this coming") and not p.get("the") and ctx.prev_words(1) != ["the"]
    if not has_year and not deictic and word in ("fall", "spring") and re.match(r"\s+(?:of|in|to|from|on|was|is|has|had|and|by)\b", ctx.after(8)):
        return None  # "the fall of the Berlin Wall", "the fall in prices"
    if p["season"][0].isupper() and not has_year and after_a_name(ctx):
        return None  # "Arab Spring", "Prague Spring": a name
    if p.get("year"):
        return Resolution("DATE", f"{int(p['year']):04d}-{code}", "season", mod)
    if p.get("wyear"):
        year = _year_from_words(p["wyear"], ctx.lex)
        return Resolution("DATE", f"{year:04d}-{code}", "season", mod) if year else None
    if p.get("yy"):
        year = two_digit_year(int(p["yy"].lstrip("'’")), ctx.anchor)
        return Resolution("DATE", f"{year:04d}-{code}", "season", mod, True, ctx.anchor is not None)
    if ctx.anchor is None:
        return Resolution("DATE", f"XXXX-{code}", "season", mod, True, False)
    a = ctx.anchor
    if p.get("rel2"):
        year = a.year + {"last": -1, "this": 0, "next": 1}[p["rel2"].lower()]
        return Resolution("DATE", f"{year:04d}-{code}", "season", mod, True, True)
    make = lambda y: cal.season_interval(y, code)  # noqa: E731
    if rel in ("last", "past", "this past", "previous", "prior", "preceding"):
        year = max(y for y in (a.year - 2, a.year - 1, a.year) if make(y)[1] < a)
    elif rel in ("next", "coming", "this coming", "following", "upcoming"):
        year = min(y for y in (a.year, a.year + 1) if make(y)[0] > a)
    elif rel in ("this", "current", "present", "same", "that"):
        current = [y for y in (a.year - 1, a.year) if make(y)[0] <= a <= make(y)[1]]
        year = current[0] if current else a.year
    else:
        year = choose_year(a, make, ctx.tense()) or a.year
    return Resolution("DATE", f"{year:04d}-{code}", "season", mod, True, True)


_RELDAY = {"today": 0, "tonight": 0, "tonite": 0, "yesterday": -1, "tomorrow": 1}


def _relday_day(ctx: Ctx, word: str, extra: int) -> tuple[str, bool, bool]:
    if ctx.anchor is None:
        return "XXXX-XX-XX", True, False
    return day_value(ctx.anchor + dt.timedelta(days=_RELDAY[word] + extra)), True, True


def h_relday(ctx: Ctx) -> Resolution | None:
    word = ctx.parts["rd"].lower()
    extra = 0
    if ctx.get("dba"):
        extra = -1 if "before" in ctx.parts["dba"].lower() else 1
    value, relative, anchored = _relday_day(ctx, word, extra)
    mod = mod_of(ctx)
    pod = ctx.get("pod")
    if word in ("tonight", "tonite") and not pod:
        pod = "night"
    if pod:
        return Resolution("TIME", f"{value}T{ctx.lex.parts_of_day[pod.lower()][1:]}", "time", mod, relative, anchored)
    return Resolution("DATE", value, "day", mod, relative, anchored)


_NOT_A_TIME_AFTER_POD = re.compile(r"\s+(?:shows?|hosts?|television|tv|comed(?:y|ians?)|talk|radio|hours?\s+of\s+the)\b", re.I)


def h_podmod(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    if _NOT_A_TIME_AFTER_POD.match(ctx.after(25)):
        return None  # "late night television": a kind of programme, not a time
    mod = _edge_mod(p["edge"])
    code = ctx.lex.parts_of_day[p["pod"].lower()]
    if p.get("rd"):
        value, relative, anchored = _relday_day(ctx, p["rd"].lower(), 0)
        return Resolution("TIME", value + code, "time", mod, relative, anchored)
    if p.get("wd"):
        value, relative, anchored = _weekday_day(ctx, ctx.lex.weekdays[p["wd"].lower().rstrip(".")], p.get("rel"))
        return Resolution("TIME", value + code, "time", mod, relative, anchored)
    if p.get("month"):
        day = _month_day(ctx, p["month"], int(re.sub(r"\D", "", p["day"])), p.get("year"), None)
        if day is None:
            return None
        value, relative, anchored = day
        return Resolution("TIME", value + code, "time", mod, relative, anchored)
    # Alone it belongs to the day the text is talking about, else to the anchor's day.
    if ctx.state.day is not None:
        return Resolution("TIME", ctx.state.day.isoformat() + code, "time", mod, True, False, reference=False)
    if ctx.anchor is not None:
        return Resolution("TIME", ctx.anchor.isoformat() + code, "time", mod, True, True)
    return Resolution("TIME", "XXXX-XX-XX" + code, "time", mod, True, False)


def h_thepod(ctx: Ctx) -> Resolution | None:
    """"in the morning", "during the night": that part of the day the text is on, else of the
    anchor's day."""
    code = ctx.lex.parts_of_day[ctx.parts["pod"].lower()]
    if ctx.state.day is not None:
        return Resolution("TIME", ctx.state.day.isoformat() + code, "time", None, True, False, reference=False)
    if ctx.anchor is not None:
        return Resolution("TIME", ctx.anchor.isoformat() + code, "time", None, True, True)
    return Resolution("TIME", "XXXX-XX-XX" + code, "time", None, True, False)


def _weekday_day(ctx: Ctx, weekday: int, rel: str | None) -> tuple[str, bool, bool]:
    rel = phrase_key(rel or "")
    if rel in ("the previous", "the following", "the next", "that") and ctx.state.day is not None:
        base = ctx.state.day
        if rel == "the previous":
            return day_value(base - dt.timedelta(days=(base.isoweekday() - weekday) % 7 or 7)), True, False
        if rel in ("the following", "the next"):
            return day_value(base + dt.timedelta(days=(weekday - base.isoweekday()) % 7 or 7)), True, False
        monday = base - dt.timedelta(days=base.isoweekday() - 1)
        return day_value(monday + dt.timedelta(days=weekday - 1)), True, False
    if ctx.anchor is None:
        return f"XXXX-WXX-{weekday}", True, False
    a = ctx.anchor
    back = (a.isoweekday() - weekday) % 7
    forward = (weekday - a.isoweekday()) % 7
    if rel in ("last", "past", "this past", "previous", "the previous"):
        d = a - dt.timedelta(days=back or 7)
    elif rel in ("next", "coming", "this coming", "following", "the following", "the next"):
        d = a + dt.timedelta(days=forward or 7)
    elif rel == "this":
        d = a - dt.timedelta(days=a.isoweekday() - weekday)
    elif ctx.future():
        d = a + dt.timedelta(days=forward)
    else:
        d = a - dt.timedelta(days=back)
    return day_value(d), True, True


def h_weekday(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    mod = mod_of(ctx)
    pod = ctx.get("pod")
    pod_code = ctx.lex.parts_of_day[pod.lower()] if pod else ""
    if p.get("wdp"):
        weekday = ctx.lex.weekdays[p["wdp"][:-1].lower()]
        return Resolution("SET", f"XXXX-WXX-{weekday}{pod_code}", "set", None)
    weekday = ctx.lex.weekdays[p["wd"].lower().rstrip(".")]
    if pod and pod.lower().endswith("s"):
        return Resolution("SET", f"XXXX-WXX-{weekday}{pod_code}", "set", None)
    rel = p.get("rel")
    start = None
    if rel and rel.lower() == "that" and (
        re.match(r"['’]s\b", ctx.text[ctx.end : ctx.end + 2]) or (ctx.prev_words(1) and _is_past_verb(ctx.prev_words(1)[0]))
    ):
        # "warned that Sunday's announcement": "that" introduces a clause, it does not point back
        rel, start = None, ctx.start + len(re.match(r"that\s+", ctx.text[ctx.start :], re.I)[0])
    value, relative, anchored = _weekday_day(ctx, weekday, rel)
    if p.get("dba") and not p.get("wdp"):
        # "the day before last Tuesday's hearing": one day either side of the weekday
        iv = cal.interval_of(value)
        if iv is not None:
            value = day_value(iv[0] + dt.timedelta(days=-1 if "before" in p["dba"].lower() else 1))
        else:
            value = "XXXX-XX-XX"
            pod = None
    reference = anchored or not relative
    if pod:
        # "Friday night": TimeML's TIME with the part of the day (TimeBank, TempEval-3); some
        # corpora value it as the day alone (GUM, part of AQUAINT), which this does not follow
        return Resolution("TIME", f"{value}{pod_code}", "time", mod, relative, anchored, start=start, reference=reference)
    return Resolution("DATE", value, "day", mod, relative, anchored, start=start, reference=reference)


_CLAUSE_END = re.compile(r"\s*(?:[.,;:!?)\"'”’—–]|-{2}|$|\s(?:and|but|when|as|while|that|because|so|or)\b)")


def _unit_granularity(ctx: Ctx, unit_word: str) -> str:
    unit = ctx.lex.unit(unit_word)
    if unit.is_time:
        return "day"
    return unit.granularity


_SPAN_UNITS = frozenset({"time", "day", "week"})
_LONG_UNITS = frozenset({"month", "year", "decade", "century"})


def h_ago(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    if p.get("unit2"):
        unit_word, direction, n = p["unit2"], p["dir2"].lower(), 1.0
        qmod = mod_of(ctx, "qmod2")
    else:
        unit_word, direction = p["unit"], phrase_key(p["dir"])
        n = parse_number(p["num"], ctx.lex)
        qmod = mod_of(ctx, "qmod")
    if direction in ("before", "after", "prior", "since", "previously") and not _CLAUSE_END.match(ctx.after(12)):
        return None  # "two years after the war": a duration and a signal, not a date
    if direction == "since":
        return None
    unit = ctx.lex.unit(unit_word.lower()) if unit_word.lower() != "weekend" else None
    gran = "week" if unit is None else _unit_granularity(ctx, unit_word)
    deictic = direction in ("ago", "back", "from now", "hence")
    if not deictic and not p.get("unit2") and unit is not None and (
        unit.granularity in _SPAN_UNITS or (direction in ("later", "after") and unit.granularity in _LONG_UNITS)
    ):
        # "three days later", "an hour earlier", "two years later": TimeML marks the stretch of
        # time, a DURATION, and leaves "later" outside as the signal tying it to an event.
        # "A year earlier" stays a date: results news compares with the same period a year before.
        matched = ctx.text[ctx.start : ctx.end]
        cut = ctx.start + matched.lower().rfind(p["dir"].lower())
        steps = None if n is None else n * unit.multiplier
        return Resolution("DURATION", duration_value(steps, unit.code, unit.is_time), "duration", qmod, end=cut)
    sign = -1 if direction in ("ago", "back", "earlier", "before", "previously", "prior") else 1
    mod = qmod
    qword = phrase_key(p.get("qmod") or p.get("qmod2") or "")
    if qword in ("nearly", "almost", "just under", "not quite", "barely"):
        mod = "APPROX"  # "nearly two years ago": about then, a little later
    elif qmod in ("MORE_THAN", "EQUAL_OR_MORE"):
        mod = "BEFORE" if sign < 0 else "AFTER"
    elif qmod in ("LESS_THAN", "EQUAL_OR_LESS"):
        mod = "AFTER" if sign < 0 else "BEFORE"
    if n is None:
        return Resolution("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", "ref", None)
    steps = n * (unit.multiplier if unit else 1)
    whole = int(steps)
    if unit is not None and unit.is_time:
        # hours and minutes ago land on a day: the anchor's, or the one before for 24 hours and more
        whole = int(steps // {"H": 24, "M": 1440, "S": 86400}[unit.code])
    elif gran == "decade":
        gran, whole = "year", int(steps * 10)
    elif gran == "century":
        gran, whole = "year", int(steps * 100)
    elif gran == "millennium":
        gran, whole = "year", int(steps * 1000)
    elif steps != whole:
        return None
    # Comparisons in results news ("up from $2 a year ago") are with the same period a year
    # before: the quarter the text is reporting on, moved back a year.
    state = ctx.state
    span_year = state.span_year(ctx.anchor)
    if gran == "year" and whole == 1 and sign < 0 and span_year is not None:
        # "for the nine months ... a year earlier": the same months of the year before
        return Resolution("DATE", f"{span_year - 1:04d}", "year", mod, True, False, reference=False)
    if gran == "year" and whole == 1 and state.period is not None and sign < 0:
        value = shift_value(state.period[0], state.period[1], "year", -1)
        if value:
            return Resolution("DATE", value, state.period[1], mod, True, False, reference=False)
    if not deictic and state.point is not None:
        value = shift_value(state.point[0], state.point[1], gran, sign * whole)
        if value is not None:
            gran_out = state.point[1] if state.point[1] != "time" else "day"
            return Resolution("DATE", value, gran_out, mod, True, False, reference=False)
    if ctx.anchor is None:
        placeholder = {"year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX", "quarter": "XXXX-QX", "half": "XXXX-HX"}.get(gran, "XXXX-XX-XX")
        return Resolution("DATE", placeholder, gran, mod, True, False)
    years_away = whole * {"year": 1, "quarter": 0.25, "half": 0.5, "month": 1 / 12, "week": 1 / 52, "day": 1 / 365}.get(gran, 1)
    if not 1 <= ctx.anchor.year + sign * years_away <= 9999:
        # "4,000 years ago" is before the year 1, which ISO 8601 dates cannot write
        return Resolution("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", "ref", mod)
    return Resolution("DATE", render(shift_day(ctx.anchor, gran, sign * whole), gran), gran, mod, True, True)


_ANAPHORIC = {"previous": -1, "prior": -1, "preceding": -1, "following": 1, "same": 0, "that": 0}
_DEICTIC = {"last": -1, "past": -1, "this past": -1, "most recent": -1, "latest": -1, "this": 0, "current": 0, "present": 0,
            "next": 1, "coming": 1, "this coming": 1, "upcoming": 1}
_POD_UNITS = {"night", "morning", "afternoon", "evening"}


def _weekend_of(d: dt.date) -> str:
    return f"{cal.week_value(d)}-WE"


def _weekend(ctx: Ctx, shift: int | None) -> tuple[str, bool, bool]:
    """The weekend `shift` weekends from the anchor's; None: the one the sentence talks about."""
    a = ctx.anchor
    if a is None:
        return "XXXX-WXX-WE", True, False
    if shift is None:
        if ctx.future():
            shift = 0 if a.isoweekday() <= 6 else 1
        else:
            shift = 0 if a.isoweekday() >= 6 else -1
    elif shift == -1 and a.isoweekday() >= 6:
        shift = -1
    return _weekend_of(a + dt.timedelta(weeks=shift)), True, True


# "of" and the thing a final stretch is the end of ("the last week of the race", "the last
# half of the '80s"); "in the last week of trying" is still the past week.
_OF_A_THING = re.compile(r"\s+of\s+(?:(?:the|a|an|his|her|its|their|our|this|that|these|those)\b|[A-Z0-9'’])")


def h_relunit(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    rel = phrase_key(p["rel"])
    if rel == "that same":
        rel = "same"
    the = bool(p.get("the"))
    unit = p["unit"].lower()
    mod = mod_of(ctx) or ("APPROX" if p.get("orso") else None)
    if unit == "season":
        return None  # "last season" is a sports season: no calendar value
    if p["rel"][:1].isupper() and p["unit"][:1].isupper() and re.search(r"[\"“‘']\s*$", ctx.before(2)):
        return None  # "This Week", quoted and capitalised: a title
    if (the or ctx.prev_words(1) == ["the"]) and rel == "last" and _OF_A_THING.match(ctx.text, ctx.end):
        return None  # "the last week of the campaign", "the last half of the '80s": the final one, not the past one
    if the and rel in ("next", "following", "previous", "prior", "preceding", "same"):
        kind, shift = "anaphoric", {"next": 1}.get(rel, _ANAPHORIC.get(rel, 0))
    elif rel in _ANAPHORIC:
        kind, shift = "anaphoric", _ANAPHORIC[rel]
    elif rel in _DEICTIC:
        kind, shift = "deictic", _DEICTIC[rel]
    else:
        return None
    if unit == "day" and kind == "deictic":
        return None  # "the last day", "this day": not yesterday or today
    if unit in _POD_UNITS and kind == "deictic" and (the or rel not in ("last", "this")):
        return None
    if unit == "night" and kind == "deictic" and rel == "this":
        return None
    if unit == "weekend":
        value, relative, anchored = _weekend(ctx, shift) if kind == "deictic" else _weekend(ctx, None)
        return Resolution("DATE", value, "week", mod, relative, anchored)
    gran = "day" if unit in _POD_UNITS else unit
    pod_code = ""
    if unit in _POD_UNITS:
        pod_code = ctx.lex.parts_of_day[unit]
        if unit == "night" and kind == "deictic":
            shift = -1  # "last night": the night before the anchor's day
        elif kind == "deictic":
            shift = 0
    state = ctx.state
    ttype = "TIME" if pod_code else "DATE"
    tgran = "time" if pod_code else gran
    if kind == "anaphoric" and state.point is not None:
        base_value, base_gran = state.point
        if _ORDER.index(base_gran if base_gran in _ORDER else "day") <= _ORDER.index(gran):
            iv = cal.interval_of(base_value)
            if iv is not None:
                value = render(shift_day(iv[0], gran, shift), gran)
                return Resolution(ttype, value + pod_code, tgran, mod, True, False, reference=False)
    if ctx.anchor is None:
        placeholder = {"year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX", "quarter": "XXXX-QX", "half": "XXXX-HX",
                       "decade": "XXX", "century": "XX", "day": "XXXX-XX-XX"}[gran]
        return Resolution(ttype, placeholder + pod_code, tgran, mod, True, False)
    d = shift_day(ctx.anchor, gran, shift)
    value = render(d, gran)
    interval: object = _UNSET
    if mod == "START" and p.get("mod", "").lower() == "earlier" and shift == 0:
        # "earlier this year": from the start of the year up to the anchor
        iv = cal.interval_of(value)
        interval = (iv[0], ctx.anchor) if iv else None
    elif mod == "END" and p.get("mod", "").lower() == "later" and shift == 0:
        iv = cal.interval_of(value)
        interval = (ctx.anchor, iv[1]) if iv else None
    return Resolution(ttype, value + pod_code, tgran, mod, True, True, interval)


def h_periodend(ctx: Ctx) -> Resolution | None:
    unit = ctx.parts["unit"].lower()
    mod = "APPROX" if ctx.get("approx") else "END"
    if ctx.anchor is None:
        placeholder = {"year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX", "quarter": "XXXX-QX"}[unit]
        return Resolution("DATE", placeholder, unit, mod, True, False)
    value = render(ctx.anchor, unit)
    return Resolution("DATE", value, unit, mod, True, True)


_PERIOD_WORDS = {"months", "weeks", "days", "quarter", "quarters", "half", "rest", "part", "end", "beginning", "start", "middle",
                 "remainder", "balance", "course", "bulk", "turn", "close"}


def h_theunit(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    unit = p["unit"].lower()
    mod = mod_of(ctx)
    after = ctx.after(20)
    if unit == "weekend":
        value, relative, anchored = _weekend(ctx, None)
        return Resolution("DATE", value, "week", mod, relative, anchored)
    if unit == "day":
        return None
    code = {"year": "Y", "month": "M", "week": "W", "quarter": "Q", "decade": "DE", "century": "CE"}[unit]
    if re.match(r"\s+(?:ended|ending|ends|that\s+ended|that\s+ends|to\s+date)\b", after):
        return Resolution("DURATION", duration_value(1, code, False), "duration", mod)
    if not mod:
        prev = ctx.prev_words(2)
        if unit in ("decade", "century"):
            return None
        if not prev:
            return None
        if prev[-1] == "of":
            if len(prev) < 2 or prev[0] not in _PERIOD_WORDS:
                return None
        elif prev[-1] not in ("in", "for", "during", "throughout", "over", "through", "since", "until", "by"):
            return None
        if re.match(r"\s+(?:in\s+which|when|before|after|that|ahead|of|to\s+come)\b", after):
            return None
    if ctx.anchor is None:
        placeholder = {"year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX", "quarter": "XXXX-QX", "decade": "XXX", "century": "XX"}[unit]
        return Resolution("DATE", placeholder, unit, mod, True, False)
    return Resolution("DATE", render(ctx.anchor, unit), unit, mod, True, True)


_AMOUNT_BEFORE = re.compile(
    r"(?:\d|\b(?:million|billion|trillion|thousand|hundred|dozen|percent|cents?|dollars?|euros?|pounds?|yen|times|once|twice|"
    r"each|apiece|one|two|three|four|five|six|seven|eight|nine|ten|tens|hundreds|thousands|millions|billions)|%|\$)"
    r"[\s)]*(?:(?!and\b|or\b|in\b|of\b)[a-z]+\s+)?$",
    re.I,
)


def h_set(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    lex = ctx.lex
    if p.get("adv"):
        if p["adv"][:1].isupper() and after_a_name(ctx):
            return None  # "LA Weekly"
        if (
            p["adv"].lower() in ("daily", "weekly", "monthly")
            and (ctx.prev_words(1) in (["the"], ["a"]) or after_a_name(ctx))
            and re.match(r"\s*(?:[.,;:!?\"”)]|[A-Z]|(?:said|says|reported|reports|quoted|wrote|added|cited|published)\b)", ctx.after(15))
        ):
            return None  # "the state-run Herald daily said": a newspaper, not a frequency
        return Resolution("SET", lex.frequency_adverbs[p["adv"].lower()], "set")
    if p.get("q"):
        every = 2 if p.get("other") else 1
        if p.get("unit"):
            unit = lex.unit(p["unit"].lower())
            n = parse_number(p["num"], lex) if p.get("num") else 1
            n = None if n is None else n * every * unit.multiplier
            return Resolution("SET", duration_value(n, unit.code, unit.is_time), "set")
        if p.get("wd"):
            return Resolution("SET", f"XXXX-WXX-{lex.weekdays[p['wd'].lower().rstrip('.')]}", "set")
        if p.get("month"):
            return Resolution("SET", f"XXXX-{_month_number(ctx, p['month']):02d}", "set")
        if p.get("season"):
            return Resolution("SET", f"XXXX-{lex.seasons[p['season'].lower()]}", "set")
        if p.get("pod"):
            return Resolution("SET", f"XXXX-XX-XX{lex.parts_of_day[p['pod'].lower()]}", "set")
        return None
    if p.get("times"):
        unit = lex.unit(p["unit2"].lower())
        return Resolution("SET", duration_value(unit.multiplier, unit.code, unit.is_time), "set")
    word = p["per"].lower()
    unit = lex.unit(p["unit3"].lower())
    if word != "per" and (unit.name in ("second", "minute") or not _AMOUNT_BEFORE.search(ctx.before(40))):
        return None  # "a second" alone is an ordinal far more often than a rate
    if re.match(r"[-\s]*(?:old|long|later|earlier|ago|before|after)\b", ctx.after(10)):
        return None
    return Resolution("SET", duration_value(unit.multiplier, unit.code, unit.is_time), "set")


_AGE_AFTER = re.compile(r"\s*(?:-|\s)old\b")


def h_duration(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    lex = ctx.lex
    mod = mod_of(ctx, "qmod") or ("APPROX" if p.get("orso") else None)
    if phrase_key(p.get("qmod") or "") == "over" and p.get("the"):
        mod = None  # "over the past two months": a preposition, not "more than"
    if p.get("awhile"):
        return Resolution("DURATION", "PXX", "duration", mod)  # "for a while": a length of no known unit
    bare = p.get("bunit") or p.get("bunit2") or p.get("bunit3") or p.get("bunit4")
    if bare or p.get("vunit") or p.get("aunit") or p.get("lunit"):
        word = (bare or p.get("vunit") or p.get("aunit") or p.get("lunit")).lower()
        unit = lex.unit(word)
        vague = word.endswith(("s", "ies", "ia")) and word not in lex.units
        n = None if vague or p.get("vunit") or p.get("aunit") or bare else 1.0
        code = unit.code
        if n is None and code == "DE":
            return Resolution("DURATION", "PXDE", "duration", mod)
        if n is None and code == "CE":
            return Resolution("DURATION", "PXCE", "duration", mod)
        return Resolution("DURATION", duration_value(n, code, unit.is_time), "duration", mod)
    if p.get("half"):
        unit = lex.unit(p["hunit"].lower())
        return Resolution("DURATION", duration_value(0.5 * unit.multiplier, unit.code, unit.is_time), "duration", mod)
    if p.get("num3"):
        n = parse_number(p["num3"], lex)
        unit = lex.unit(p["unit3"].lower())
        return Resolution("DURATION", duration_value(None if n is None else (n + 0.5) * unit.multiplier, unit.code, unit.is_time), "duration", mod)
    unit_word = p["unit"].lower()
    unit = lex.unit(unit_word)
    num_text = p["num"]
    if phrase_key(num_text) == "one" and unit.name == "day" and not p.get("the") and ctx.prev_words(1) and ctx.prev_words(1)[0] in (
        "will", "would", "may", "might", "could", "can", "should", "must", "shall",
    ):
        return Resolution("DATE", "FUTURE_REF", "ref")  # "Islam will one day be...": some day
    if p["unit"][:1].isupper() and re.search(r"[\"“‘']\s*$", ctx.before(2)):
        return None  # "60 Minutes", quoted and capitalised: a title
    n = parse_number(num_text, lex)
    matched = ctx.text[ctx.start : ctx.end]
    if p.get("post") == "old" or (p.get("post") is None and _AGE_AFTER.match(ctx.after(6))):
        return None  # an age ("a 52-year-old man", "52 years old", "their 6-month-old son")
    if unit.name == "second" and phrase_key(num_text) in ("a", "one") and not re.match(r"\s*(?:[.,;:!?)]|or\b|and\b|later|earlier|ago|$)", ctx.after(10)):
        return None  # "a second term": an ordinal
    if unit.name == "quarter" and n is not None and n <= 3 and re.match(r"\s+of\b", ctx.after(5)):
        return None  # "a quarter of the shares", "three quarters of": a fraction
    if unit.name in ("quarter",) and not unit_word.endswith("s") and phrase_key(num_text) in ("a", "one"):
        return None  # "a quarter" alone is too often a fraction
    if re.search(r"[$€£]\s*$", ctx.before(3)):
        return None
    if n is not None and n > 10000:
        return None
    if "and a half" in phrase_key(matched) and n is not None:
        n += 0.5
    if p.get("num2"):
        n = None  # "two to three weeks": a range, stated as a vague number of the unit
    if n is not None:
        n *= unit.multiplier
    if p.get("post") == "long" and unit_word.endswith("s"):
        n = None
    # "for the nine months", "in the first ten months", "the first three quarters": the stretch of
    # the year results are reported for, which later comparisons ("a year earlier") refer to; one "ended Aug. 12" is
    # compared by the day it ended, which the text goes on to name
    rel = phrase_key(p.get("rel") or "")
    reports = (
        bool(p.get("the")) and rel in ("", "first", "latest") and not p.get("num2")
        and ((unit.name == "month" and n is not None and 2 <= n <= 11) or (unit.name == "quarter" and n in (2, 3)))
        and not re.match(r"\s+(?:ended|ending)\b", ctx.after(10))
    )
    return Resolution("DURATION", duration_value(n, unit.code, unit.is_time), "duration", mod, reports_span=reports)


_YEAR_ADDRESS = re.compile(r"\s+(?:[A-Z][a-z]+\s+){1,3}(?:Avenue|Ave\.?|Street|St\.|Road|Rd\.|Boulevard|Blvd\.?|Lane|Drive|Way|Place|Court)\b")



def h_year(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    lex = ctx.lex
    mod = mod_of(ctx)
    if p.get("pre"):
        mod = {"pre": "BEFORE", "post": "AFTER", "mid": "MID"}[p["pre"].lower()]
    if p.get("fyy"):
        y = int(p["fyy"])
        year = y if y >= 1000 else two_digit_year(y, ctx.anchor)
        return Resolution("DATE", f"{year:04d}", "year", mod)
    if p.get("wy"):
        year = _year_from_words(p["wy"], lex)
        return Resolution("DATE", f"{year:04d}", "year", mod) if year else None
    year = int(p["year"])
    if p.get("open"):
        mod = "ON_OR_BEFORE" if re.search(r"earlier|before", p["open"], re.I) else "ON_OR_AFTER"
    bare = not (p.get("fy") or p.get("the") or p.get("pre") or p.get("mod") or p.get("open"))
    if bare:
        before = ctx.before(30)
        if re.search(r"[$€£#¥]\s*$|[\d]\s*$|\bNo\.\s*$", before):
            return None
        group = re.search(r"(\d+)[-./)]\s*$", before)
        if group and not (len(group[1]) == 4 and 1600 <= int(group[1]) <= 2099 and before.rstrip()[-1] == "-"):
            return None  # "555-2020", "12.2019": part of a longer number, not a year after a year
        prev = ctx.prev_words(2)
        joined = " ".join(prev)
        for prefix in lex.non_year_prefixes:
            key = phrase_key(prefix)
            if joined == key or joined.endswith(" " + key) or (prev and prev[-1] == key):
                return None
        following = re.match(r"\s+([A-Za-z]+)(?:\s+([A-Za-z]+))?", ctx.after(40))
        if following and following[1].lower() in lex.count_nouns:
            return None
        if following and following[2] and following[1].lower() in ("new", "more", "other", "additional", "extra", "fewer", "of")\
                and following[2].lower() in lex.count_nouns:
            return None
        if _YEAR_ADDRESS.match(ctx.after(60)):
            return None
        if re.match(r"[-\s]years?[-\s]old\b", ctx.after(12), re.I):
            return None  # "a 2000 year old tradition"
        if re.match(r"\s*(?:-|–)\s*\d{3}\b|\s*\)\s*\d{3}", ctx.after(8)):
            return None  # a phone number
    return Resolution("DATE", f"{year:04d}", "year", mod)


_MAY_VERB_AFTER = re.compile(
    r"\s+(?:be|have|not|never|also|well|still|just|only|even|soon|yet|already|take|make|need|help|want|seem|become|"
    r"come|go|get|face|lose|win|see|find|try|leave|hold|include|affect|require|cause|lead|prove|decide|choose|allow|"
    r"remain|appear|result|mean|call|do|say|use|give)\b",
    re.I,
)


# Month names that are seldom first names, so that "<Month>'s" is the month's ("September's jobs
# report"); "April's", "June's", "May's" are as often a person's.
_POSSESSIVE_MONTHS = frozenset("january february september october november december".split())
# A lower-case noun after "the <Month>", not a preposition or a verb ("the March on Washington").
_NOUN_AFTER = re.compile(
    r"\s+(?!(?:on|of|to|for|in|at|by|from|with|and|or|is|was|will|would|has|had|be|can|could|should|might|must|"
    r"not|also)\b)[a-z][a-z-]+\b"
)


def h_month(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    name = p["month"]
    month = _month_number(ctx, name)
    mod = mod_of(ctx)
    rel = phrase_key(p.get("rel") or "")
    if rel in ("each", "every"):
        return Resolution("SET", f"XXXX-{month:02d}", "set")
    if not (rel or mod):
        prev = ctx.prev_words(2)
        if not prev:
            return None
        strong = prev[-1] in ctx.lex.month_cues
        key = name.rstrip(".").lower()
        if prev[-1] in ("the", "a", "an", "for") and key not in ("may", "march"):
            strong = True  # "the October slaying", "for January": the determiner of a month name
        elif prev[-1] == "the" and name[:1].isupper() and _NOUN_AFTER.match(ctx.after(20)):
            strong = True  # "the March accession", "the May vote": a month naming the noun's date
        possessive = key in _POSSESSIVE_MONTHS and re.match(r"['’]s\b", ctx.after(3)) is not None
        strong = strong or possessive  # "December's figures": no other word spells a possessive like that
        if name.rstrip(".").lower() == "may":
            if prev[-1] in ("and", "or", "to") or not strong or _MAY_VERB_AFTER.match(ctx.after(12)):
                return None
        elif not strong:
            return None
        if prev[-1] in ("and", "or", "to") and not possessive and not re.search(
            r"(?:January|February|March|April|May|June|July|August|September|October|November|December|\d{4})\W+(?:and|or|to)\s+$",
            ctx.before(40),
        ):
            return None
    if ctx.anchor is None:
        return Resolution("DATE", f"XXXX-{month:02d}", "month", mod, True, False)
    a = ctx.anchor
    if not rel and ctx.prev_words(1) == ["since"]:
        rel = "last"  # "since March": the last March, however the clause goes on
    if rel in ("last", "past", "this past", "previous"):
        year = a.year if month < a.month else a.year - 1
    elif rel in ("next", "coming", "this coming", "following"):
        year = a.year if month > a.month else a.year + 1
    elif rel == "this":
        year = a.year
    elif rel == "that":
        year = _reference_year(ctx) or a.year
    else:
        year = choose_year(a, lambda y: cal.month_interval(y, month), ctx.tense()) or a.year
    return Resolution("DATE", f"{year:04d}-{month:02d}", "month", mod, True, True)


def h_vague(ctx: Ctx) -> Resolution | None:
    phrase = phrase_key(ctx.parts["v"])
    value = ctx.lex.vague_references[phrase]
    after = ctx.after(25)
    if phrase == "current" and re.match(
        r"\s+(?:account|accounts|affairs|events|assets|liabilities|ratio|flows?|density|source|sources|rules?|law|laws|system|owner|owners|"
        r"name|names|form|version|members?|management|staff|holder|holders|president|chairman|chief)\b",
        after,
        re.I,
    ):
        return None
    if phrase == "future":
        prev = ctx.prev_words(1)
        if not (prev == ["in"] or ctx.get("vnoun")):
            return None
    elif ctx.get("vnoun"):
        return Resolution("DATE", value, "ref", end=ctx.start + len(ctx.parts["v"]))
    if phrase in ("the future", "the past", "the present") and re.match(r"\s+of\b", after):
        return None
    if phrase == "now" and (re.match(r"\s+and\s+(?:then|again)\b", after) or ctx.prev_words(1) == ["every"]):
        return None  # "every now and then": a frequency idiom
    if phrase == "the present" and re.match(r"\s+[a-z]", after):
        return None
    if phrase == "recent" and not re.match(r"\s+[a-z]", after):
        return None  # "recent" is a date only before the noun it dates ("a recent filing")
    return Resolution("DATE", value, "ref")


HANDLERS: dict[str, Callable[[Ctx], Resolution | None]] = {
    "iso": h_iso,
    "slash": h_slash,
    "time": h_time,
    "date": h_date,
    "month_year": h_month_year,
    "holiday": h_holiday,
    "quarter": h_quarter,
    "decade": h_decade,
    "century": h_century,
    "season": h_season,
    "podmod": h_podmod,
    "thepod": h_thepod,
    "relday": h_relday,
    "weekday": h_weekday,
    "ago": h_ago,
    "relunit": h_relunit,
    "periodend": h_periodend,
    "theunit": h_theunit,
    "set": h_set,
    "duration": h_duration,
    "year": h_year,
    "month": h_month,
    "vague": h_vague,
}
