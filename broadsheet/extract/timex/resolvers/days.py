"""Days named relative to the anchor or to the text: "yesterday", "tomorrow night", "Friday",
"last Tuesday", "the following Monday", "Saturdays"."""

from __future__ import annotations

import datetime as dt
import re

from broadsheet.extract.timex import calendar as cal
from broadsheet.extract.timex.context import Ctx, Resolution
from broadsheet.extract.timex.cues import mod_of, narrative_day, quoted_document_day, weekday_number
from broadsheet.extract.timex.lexicon import phrase_key
from broadsheet.extract.timex.tense import is_past_verb
from broadsheet.extract.timex.values import day_value

_RELDAY = {"today": 0, "tonight": 0, "tonite": 0, "yesterday": -1, "tomorrow": 1}
# Weekdays relative to the day the text is on ("the following Monday") rather than to the anchor
_ANAPHORIC = frozenset({"the previous", "the following", "the next", "that"})
_BACK = frozenset({"last", "past", "this past", "previous", "the previous"})
_FORWARD = frozenset({"next", "coming", "this coming", "following", "the following", "the next"})
_THAT_CLAUSE = re.compile(r"that\s+", re.I)


def relday_day(ctx: Ctx, word: str, extra: int) -> tuple[str, bool, bool]:
    """(value, is_relative, anchored) of "today", "yesterday", "tomorrow", moved by `extra` days;
    inside a quoted document, from the day it was written."""
    if (written := quoted_document_day(ctx)) is not None:
        return day_value(written + dt.timedelta(days=_RELDAY[word] + extra)), True, False
    if ctx.anchor is None:
        return "XXXX-XX-XX", True, False
    return day_value(ctx.anchor + dt.timedelta(days=_RELDAY[word] + extra)), True, True


def _one_day_either_side(words: str) -> int:
    return -1 if "before" in words.lower() else 1


# "USA Today", "VOA Today", "India Today magazine": "Today" capitalised right after a capitalised
# word, in a line that is not itself written in title case, ends the name of a newspaper or a
# programme; and "(Today)" alone in brackets glosses one ("An-Nahar (Today)"). Temporal
# expressions inside proper names are not marked (TimeML, after the TIDES guidelines).
_NAME_BEFORE = re.compile(r"(?<![\w.&-])(?-i:[A-Z](?:[\w&.-]*\w)?)[ \t]+$")
_LOWER_WORD = re.compile(r"\b(?-i:[a-z]{4,})\b")


def _in_a_title(ctx: Ctx) -> bool:
    surface = ctx.text[ctx.start : ctx.end]
    if not surface[:1].isupper() or surface[1:2].isupper():
        return False
    if ctx.text[ctx.start - 1 : ctx.start] == "(" and ctx.text[ctx.end : ctx.end + 1] == ")":
        return True
    line_start = ctx.text.rfind("\n", 0, ctx.start) + 1
    if _NAME_BEFORE.search(ctx.text, line_start, ctx.start) is None:
        return False
    line_end = ctx.text.find("\n", ctx.end)
    # a line in title case ("Markets Rally Today As Fed Holds") is a headline, not a name
    return _LOWER_WORD.search(ctx.text, line_start, len(ctx.text) if line_end < 0 else line_end) is not None


def resolve_relday(ctx: Ctx) -> Resolution | None:
    word = ctx.parts["relday"].lower()
    if word == "today" and not ctx.get("day_before_after") and not ctx.get("part_of_day") and _in_a_title(ctx):
        return None
    extra = _one_day_either_side(ctx.parts["day_before_after"]) if ctx.get("day_before_after") else 0
    value, relative, anchored = relday_day(ctx, word, extra)
    mod = mod_of(ctx)
    pod = ctx.get("part_of_day")
    if word in ("tonight", "tonite") and not pod:
        pod = "night"
    if pod:
        return Resolution("TIME", f"{value}T{ctx.lex.parts_of_day[pod.lower()][1:]}", "time", mod, relative, anchored)
    return Resolution("DATE", value, "day", mod, relative, anchored)


def _weekday_in_text(base: dt.date, weekday: int, rel: str) -> dt.date:
    """The weekday `rel` to a day the text named ("the previous Monday", "that Friday")."""
    if rel == "the previous":
        return base - dt.timedelta(days=(base.isoweekday() - weekday) % 7 or 7)
    if rel in ("the following", "the next"):
        return base + dt.timedelta(days=(weekday - base.isoweekday()) % 7 or 7)
    monday = base - dt.timedelta(days=base.isoweekday() - 1)
    return monday + dt.timedelta(days=weekday - 1)


def _weekday_from_anchor(ctx: Ctx, a: dt.date, weekday: int, rel: str) -> dt.date:
    """The weekday `rel` to the anchor; a bare one is the last, unless the clause speaks of the future."""
    back = (a.isoweekday() - weekday) % 7
    forward = (weekday - a.isoweekday()) % 7
    if rel in _BACK:
        return a - dt.timedelta(days=back or 7)
    if rel in _FORWARD:
        return a + dt.timedelta(days=forward or 7)
    if rel == "this":
        return a - dt.timedelta(days=a.isoweekday() - weekday)
    if ctx.future():
        return a + dt.timedelta(days=forward)
    return a - dt.timedelta(days=back)


def weekday_day(ctx: Ctx, weekday: int, rel: str | None) -> tuple[str, bool, bool]:
    """(value, is_relative, anchored) of a weekday with its relation word ("last", "the following")."""
    rel = phrase_key(rel or "")
    if rel in _ANAPHORIC and ctx.state.day is not None:
        return day_value(_weekday_in_text(ctx.state.day, weekday, rel)), True, False
    if (written := quoted_document_day(ctx)) is not None:
        return day_value(_weekday_from_anchor(ctx, written, weekday, rel)), True, False
    if not rel and (story := narrative_day(ctx)) is not None:
        # "On Oct. 3, 1990, the troops crossed, and on Friday they left": the Friday nearest
        # the day the sentence is set in, as a yearless date there is read next to that day
        forward = (weekday - story.isoweekday()) % 7
        return day_value(story + dt.timedelta(days=forward if forward <= 3 else forward - 7)), True, False
    if ctx.anchor is None:
        return f"XXXX-WXX-{weekday}", True, False
    return day_value(_weekday_from_anchor(ctx, ctx.anchor, weekday, rel)), True, True


def _that_introduces_a_clause(ctx: Ctx) -> bool:
    """ "warned that Sunday's announcement": "that" introduces a clause, it does not point back."""
    prev = ctx.prev_words(1)
    return bool(re.match(r"['’]s\b", ctx.text[ctx.end : ctx.end + 2]) or (prev and is_past_verb(prev[0])))


def resolve_weekday(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    mod = mod_of(ctx)
    pod = ctx.get("part_of_day")
    pod_code = ctx.lex.parts_of_day[pod.lower()] if pod else ""
    if p.get("weekdays"):
        weekday = ctx.lex.weekdays[p["weekdays"][:-1].lower()]
        return Resolution("SET", f"XXXX-WXX-{weekday}{pod_code}", "set", None)
    weekday = weekday_number(ctx, p["weekday"])
    if pod and pod.lower().endswith("s"):
        return Resolution("SET", f"XXXX-WXX-{weekday}{pod_code}", "set", None)  # "Friday nights"
    rel = p.get("rel")
    start = None
    if rel and rel.lower() == "that" and _that_introduces_a_clause(ctx):
        rel, start = None, ctx.start + len(_THAT_CLAUSE.match(ctx.text, ctx.start)[0])  # type: ignore[index]
    value, relative, anchored = weekday_day(ctx, weekday, rel)
    if p.get("day_before_after"):
        # "the day before last Tuesday's hearing": one day either side of the weekday
        iv = cal.interval_of(value)
        if iv is not None:
            value = day_value(iv[0] + dt.timedelta(days=_one_day_either_side(p["day_before_after"])))
        else:
            value, pod = "XXXX-XX-XX", None
    reference = anchored or not relative
    if pod:
        # "Friday night": TimeML's TIME with the part of the day (TimeBank, TempEval-3); some
        # corpora value it as the day alone (GUM, part of AQUAINT), which this does not follow
        return Resolution("TIME", f"{value}{pod_code}", "time", mod, relative, anchored, start=start, reference=reference)
    return Resolution("DATE", value, "day", mod, relative, anchored, start=start, reference=reference)
