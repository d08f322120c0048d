"""Temporal expressions in English news text, normalized to TimeML TIMEX3 with calendar intervals.

`find_temporal_expressions(text, anchor)` returns every date, time, duration and set in the text
as exact character spans with their TIMEX3 type, value and mod, the unit the value is stated in,
and, wherever the value denotes a calendar interval, its first and last day. Relative
expressions ("last May", "Wednesday", "Jan. 3", "two years ago") are resolved against `anchor`,
the article's date, as news is written: in the past of the article unless the sentence speaks of
the future. With no anchor they keep an underspecified value (`XXXX-05-09`, `XXXX-WXX-3`) and no
interval.

The grammar (shapes) is in `broadsheet.extract.timex.grammar`, the vocabulary in
`timex_lexicon.yaml`, the meaning of each shape in `broadsheet.extract.timex.resolve`, and the
calendar conventions (ISO weeks, northern-hemisphere meteorological seasons, what "early 2019"
covers) in `broadsheet.extract.timex.calendar`. This module holds the public record and the scan
that ties them together.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from broadsheet import calendar
from broadsheet.extract.timex import calendar as cal
from broadsheet.extract.timex.grammar import Grammar, grammar
from broadsheet.extract.timex.lexicon import Lexicon, load_lexicon, phrase_key
from broadsheet.extract.timex.resolve import _UNSET, HANDLERS, Ctx, Discourse, Resolution
from broadsheet.schema import vocabulary

# The vocabularies of the dates table, as schemas/dates.yaml defines them.
TIMEX_TYPES = vocabulary("dates", "timex_type")
GRANULARITIES = vocabulary("dates", "granularity")


@dataclass(frozen=True)
class TemporalExpression:
    start: int  # character offsets into the text given, end-exclusive: text[start:end] == surface
    end: int
    surface: str
    timex_type: str  # "DATE" | "TIME" | "DURATION" | "SET"
    value: str  # TIMEX3 value: "2020-01-03", "2019-05", "2014-SU", "201", "P2Y", "XXXX-05-09", "PRESENT_REF", ...
    mod: str | None  # APPROX, START, MID, END, BEFORE, AFTER, ON_OR_BEFORE, ON_OR_AFTER, LESS_THAN, MORE_THAN, ...
    granularity: str  # one of GRANULARITIES
    interval_start: dt.date | None  # first day of the calendar interval denoted (None when underspecified)
    interval_end: dt.date | None  # LAST day of it, inclusive
    is_relative: bool  # needs an anchor (or an earlier date in the text) to be resolved
    anchored: bool  # True when the anchor was actually used to fill in the value


# A publication date outside these is an error of the source (a year 1 or 9999 placeholder, a
# typo), not a date: the first printed newspapers appeared in the early 17th century, and every
# relative date of the article is anchored on this one, so a date that is not believed is better
# than a wrong one (and calendar arithmetic near year 1 or 9999 overflows).
PUBLICATION_DATES = (dt.date(1600, 1, 1), dt.date(2199, 12, 31))


def plausible_publication_date(date: dt.date | None) -> bool:
    """Whether `date` can be when a news article was published (see PUBLICATION_DATES)."""
    return date is not None and PUBLICATION_DATES[0] <= date <= PUBLICATION_DATES[1]


_TRAILING = re.compile(r"[\s,]+$")


def find_temporal_expressions(text: str, anchor: dt.date | None = None) -> list[TemporalExpression]:
    """Every temporal expression in `text`, in reading order, without overlaps.

    `anchor` is the date the text was written (a news article's publication date). Expressions
    that need it and do not get it keep an underspecified value and no interval.
    """
    g = grammar()
    lex = load_lexicon()
    state = Discourse()
    found: list[TemporalExpression] = []
    pos = 0
    search = g.master.search
    links = _link_spans(text)
    dated = False  # whether the text's own date line has been read
    while True:
        m = search(text, pos)
        if m is None:
            break
        if links:
            inside = _inside(links, m.start())
            if inside is not None:
                pos = inside  # a date in a URL or an address names a page or a mailbox, not a time
                continue
        accepted = _accept(m, text, anchor, lex, state, g)
        if accepted is None:
            pos = m.start() + 1
            continue
        timex, match_end, resume = accepted
        found.append(timex)
        if not dated and _is_a_dateline(text, timex):
            dated = True
            # A line at the head of the text that holds only a full date is the text's own date
            # of writing ("Tuesday, June 19, 2018" under a Wikinews headline): what follows is
            # written from that day, and its "yesterday" and "Friday" count from there, not from
            # the date the source gave. Further down, a date alone on a line heads an entry of a
            # timeline, and changes nothing.
            anchor = timex.interval_start
        pos = match_end if resume else max(match_end, timex.end)
        second = _coordinated_day(text, timex, lex)
        if second is not None:
            found.append(second)
            pos = max(pos, second.end)
    return _join_compound_durations(text, found)


# A length written in several units, largest first ("three hours and 12 minutes", "2 hours 41
# minutes", "one day, six hours and 30 seconds"): TimeML marks one DURATION with one value
# (PT3H12M), not one per unit. Units joined by commas alone are a list ("for ten years, six days
# a week"; "one year, 40 days or three months") unless an "and" closes them.
_DURATION_PARTS = re.compile(r"P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
_DURATION_FIELDS = ("Y", "M", "D", "H", "M", "S")  # largest to smallest; the last three after the T
_UNIT_JOIN = re.compile(r"\s*(,)?\s*(and\s+)?$")


def _duration_fields(value: str) -> list[tuple[int, str]] | None:
    """The (field index, number) of each unit a whole-number duration value states, largest
    first; None for a vague ("PXY"), fractional or week value."""
    m = _DURATION_PARTS.match(value)
    if m is None:
        return None
    return [(i, n) for i, n in enumerate(m.groups()) if n is not None]


def _duration_value(fields: list[tuple[int, str]]) -> str:
    date = "".join(n + _DURATION_FIELDS[i] for i, n in fields if i < 3)
    time = "".join(n + _DURATION_FIELDS[i] for i, n in fields if i >= 3)
    return "P" + date + ("T" + time if time else "")


def _unit_join(text: str, first: TemporalExpression, second: TemporalExpression) -> str | None:
    """How two durations are joined into one length: "and", "comma" or "space"; None when they
    are not (another word between them, a range, a unit not smaller than the last)."""
    if first.timex_type != "DURATION" or second.timex_type != "DURATION" or second.mod is not None:
        return None
    gap = _UNIT_JOIN.match(text, first.end, second.start)
    a, b = _duration_fields(first.value), _duration_fields(second.value)
    if gap is None or not a or not b or a[-1][0] >= b[0][0]:
        return None  # "between 12 and 18 months" is a range: two ends of one unit
    return "and" if gap[2] else "comma" if gap[1] else "space"


def _join_compound_durations(text: str, found: list[TemporalExpression]) -> list[TemporalExpression]:
    out: list[TemporalExpression] = []
    i = 0
    while i < len(found):
        j, joins = i, []
        while j + 1 < len(found) and (join := _unit_join(text, found[j], found[j + 1])) is not None:
            joins.append(join)
            j += 1
        if "comma" in joins and joins[-1] != "and":
            j = i + joins.index("comma")  # a list: only what comes before its first comma is one length
        if j == i:
            out.append(found[i])
            i += 1
            continue
        first, last = found[i], found[j]
        fields = [f for t in found[i : j + 1] for f in _duration_fields(t.value) or ()]
        out.append(
            TemporalExpression(
                first.start, last.end, text[first.start : last.end], "DURATION", _duration_value(fields), first.mod,
                last.granularity, None, None, first.is_relative, first.anchored,
            )
        )  # fmt: skip
        i = j + 1
    return out


# A web address or an e-mail address left in the text: the digits in "/2019/05/03/" or
# "name.2019@" are a path and a mailbox, not dates, and no TimeML corpus marks them.
_LINK = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"')\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)


def _link_spans(text: str) -> list[tuple[int, int]]:
    if "://" not in text and "www." not in text and "@" not in text:
        return []
    return [m.span() for m in _LINK.finditer(text)]


def _inside(spans: list[tuple[int, int]], pos: int) -> int | None:
    """The end of the link that holds `pos`, or None."""
    for start, end in spans:
        if start <= pos < end:
            return end
        if start > pos:
            break
    return None


_DATELINE_WITHIN = 400  # characters from the start of the text: the headline and the date line


def _is_a_dateline(text: str, timex: TemporalExpression) -> bool:
    if timex.start > _DATELINE_WITHIN or timex.timex_type != "DATE" or timex.granularity != "day" or timex.is_relative:
        return False
    if not plausible_publication_date(timex.interval_start):
        return False
    line_start = text.rfind("\n", 0, timex.start) + 1
    line_end = text.find("\n", timex.end)
    line_end = len(text) if line_end < 0 else line_end
    return not text[line_start : timex.start].strip() and not text[timex.end : line_end].strip(" \t.")


_DAY_VALUE = re.compile(r"(\d{4}|XXXX)-(\d\d)-(\d\d)$")
_AND_DAY = re.compile(
    r"\s+(?:and|or|&)\s+(\d{1,2})(?:st|nd|rd|th)?\b(?![-/:.,]?\d)"
    r"(?:,?\s+((?:1[6-9]|20)\d\d)\b(?![-/:.,]?\d|\s*(?:%|percent)))?(?:\s+([A-Za-z]+))?"
)


def _coordinated_day(text: str, timex: TemporalExpression, lex: Lexicon) -> TemporalExpression | None:
    """The second day of "April 24 and 25": a later day of the same month, written as a bare
    number right after a month-day date. A year written after it ("April 3 and 5, 1927") is
    part of it, and of the first day's value too (see `cues.year_of_range_end`), not a third
    expression."""
    m = _DAY_VALUE.match(timex.value)
    if timex.timex_type != "DATE" or m is None or not timex.surface[-1:].isdigit():
        return None
    after = _AND_DAY.match(text, timex.end)
    if after is None or (not after[2] and after[3] and after[3].lower() in lex.count_nouns):
        return None  # "May 3 and 4 people": a count
    day = int(after[1])
    if day <= int(m[3]) or (after[2] and after[2] != m[1]):
        return None  # "March 3, 2009 and 4, 2010": the year after the second day is not the first day's
    value = f"{m[1]}-{m[2]}-{day:02d}"
    interval: tuple[dt.date, dt.date] | None = None
    if m[1] != "XXXX":
        try:
            d = dt.date(int(m[1]), int(m[2]), day)
        except ValueError:
            return None
        interval = (d, d)
    start, end = after.start(1), after.end(2) if after[2] else after.end(1)
    return TemporalExpression(
        start, end, text[start:end], "DATE", value, None, "day",
        interval[0] if interval else None, interval[1] if interval else None,
        timex.is_relative and not after[2], timex.anchored and not after[2],
    )  # fmt: skip


def _accept(
    m: re.Match[str], text: str, anchor: dt.date | None, lex: Lexicon, state: Discourse, g: Grammar
) -> tuple[TemporalExpression, int, bool] | None:
    """The expression the match at m.start() stands for: the first rule, in grammar order, that
    both matches there and survives its handler's checks."""
    group = m.lastgroup
    assert group is not None
    result = _resolve(m, group, text, anchor, lex, state, g)
    if result is not None:
        return result
    start = m.start()
    for later in g.order[g.order.index(group) + 1 :]:
        m2 = g.single[later].match(text, start)
        if m2 is not None:
            result = _resolve(m2, later, text, anchor, lex, state, g)
            if result is not None:
                return result
    return None


_POSSESSIVE = re.compile(r"['’]s\b")
_MOD_GAP = re.compile(r"[\s-]*")


def _resolve(
    m: re.Match[str], group: str, text: str, anchor: dt.date | None, lex: Lexicon, state: Discourse, g: Grammar
) -> tuple[TemporalExpression, int, bool] | None:
    rule = g.rules[group]
    parts = {}
    for part, name in rule.parts:
        v = m.group(name)
        if v is not None:
            parts[part] = v
    start, end = m.span(group)
    mod = parts.get("mod")
    if (
        mod
        and text.startswith(mod, start)
        and _POSSESSIVE.match(text, end)
        and lex.point_modifiers.get(phrase_key(mod)) == "APPROX"
    ):
        # "get around Wednesday's ruling", "a row about Monday's vote": before a possessive date
        # the word is a preposition of the clause, not an approximation of the day
        del parts["mod"]
        start = _MOD_GAP.match(text, start + len(mod)).end()
    ctx = Ctx(text, start, end, anchor, lex, state, parts)
    try:
        res = HANDLERS[rule.name](ctx)
    except (ValueError, OverflowError):
        # A calendar computation out of range (a day or year no date can hold, far-off
        # arithmetic on a reference date): the match is not used rather than the document lost.
        return None
    if res is None:
        return None
    start = res.start if res.start is not None else start
    end = res.end if res.end is not None else end
    start = _trim_start(text, start, end, lex)
    trail = _TRAILING.search(text, start, end)
    if trail is not None:
        end = trail.start()
    if end <= start:
        return None
    timex = _build(text, start, end, res)
    state.note(res, (timex.interval_start, timex.interval_end) if timex.interval_start else None, anchor, end)
    if res.resume is not None:
        return timex, res.resume, True  # the match holds a second expression: the scan goes on there
    return timex, m.end(group), False


_LEADING_WORD = re.compile(r"([A-Za-z]+)\s+")
_HYPHENATED_ADJECTIVE = re.compile(r"\S+-\S+\s+[A-Za-z]")
_THIS_WEEK = re.compile(r"this\s+week\b", re.I)
_DAY_WORD = re.compile(
    "(?:" + "|".join(names[0] for names in calendar.WEEKDAYS.values()) + r")\b|(?:today|tonight|yesterday|tomorrow)\b", re.I
)


def _trim_start(text: str, start: int, end: int, lex: Lexicon) -> int:
    """Leave out of the extent what TimeML leaves out: a modifier listed in the lexicon
    ("about [two weeks]"), "earlier"/"later" before a day ("Earlier [Friday]"), and the article
    before a hyphenated adjective ("the [third-quarter] loss", "the [14-day] period")."""
    m = _LEADING_WORD.match(text, start, end)
    if m is None:
        return start
    word = m[1].lower()
    if word in lex.extent_excluded_modifiers:
        # "just over an hour": "just" goes, and then "over" if it is excluded too
        return _trim_start(text, m.end(), end, lex) if word == "just" else m.end()
    if word in ("earlier", "later") and (_DAY_WORD.match(text, m.end()) or _THIS_WEEK.match(text, m.end())):
        # "Earlier [Friday]", "later [today]", "earlier [this week]": a signal before a day or the
        # current week, as TimeBank writes it (TBAQ leaves "earlier" out of all 4 "earlier this week",
        # the silver newswire out of 21 of 31; "earlier this year" it keeps whole, 7 of 8)
        return m.end()
    if (
        word == "the"
        and _HYPHENATED_ADJECTIVE.match(text, m.end())
        and "-" in text[m.end() : end]
        and " " not in text[m.end() : end].strip()
    ):
        return m.end()
    return start


def _build(text: str, start: int, end: int, res: Resolution) -> TemporalExpression:
    interval: tuple[dt.date, dt.date] | None
    if res.interval is not _UNSET:
        interval = res.interval  # type: ignore[assignment]
    elif res.timex_type in ("DATE", "TIME"):
        interval = cal.apply_mod(cal.interval_of(res.value), res.granularity, res.mod)
    else:
        interval = None
    return TemporalExpression(
        start=start,
        end=end,
        surface=text[start:end],
        timex_type=res.timex_type,
        value=res.value,
        mod=res.mod,
        granularity=res.granularity,
        interval_start=interval[0] if interval else None,
        interval_end=interval[1] if interval else None,
        is_relative=res.is_relative,
        anchored=res.anchored,
    )
