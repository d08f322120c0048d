"""Years and months standing alone: "1990", "fiscal 1989", "FY2019", "nineteen ninety-one",
"March", "last May", "since October"."""

from __future__ import annotations

import datetime as dt
import re

from broadsheet import calendar
from broadsheet.extract.timex import calendar as cal
from broadsheet.extract.timex.context import Ctx, Resolution
from broadsheet.extract.timex.cues import mod_of, month_number, narrative_day, nearest_year, reference_year, year_that_follows
from broadsheet.extract.timex.lexicon import phrase_key
from broadsheet.extract.timex.tense import is_past_verb
from broadsheet.extract.timex.values import choose_year, two_digit_year, year_from_words

_PREFIX_MODS = {"pre": "BEFORE", "post": "AFTER", "mid": "MID"}
_BEFORE_OPEN_END = re.compile(r"earlier|before", re.I)
_NUMBER_SIGN_BEFORE = re.compile(r"[$€£#¥]\s*$|[\d]\s*$|\bNo\.\s*$")
_NUMBER_BEFORE = re.compile(r"(\d+)[-./)]\s*$")
_WORDS_AFTER = re.compile(r"\s+([A-Za-z]+)(?:\s+([A-Za-z]+))?")
# "1,500 new jobs" reads "1500 new jobs" once the comma is gone: a count of what follows
_COUNT_ADJECTIVES = frozenset({"new", "more", "other", "additional", "extra", "fewer", "of"})
_YEAR_ADDRESS = re.compile(
    r"\s+(?:[A-Z][a-z]+\s+){1,3}(?:Avenue|Ave\.?|Street|St\.|Road|Rd\.|Boulevard|Blvd\.?|Lane|Drive|Way|Place|Court)\b"
)
_YEARS_OLD_AFTER = re.compile(r"[-\s]years?[-\s]old\b", re.I)
_PHONE_AFTER = re.compile(r"\s*(?:-|–)\s*\d{3}\b|\s*\)\s*\d{3}")

_MAY_VERB_AFTER = re.compile(
    r"\s+(?:be|have|not|never|also|well|still|just|only|even|soon|yet|already|take|make|need|help|want|seem|become|"
    r"come|go|get|face|lose|win|see|find|try|leave|hold|include|affect|require|cause|lead|prove|decide|choose|allow|"
    r"remain|appear|result|mean|call|do|say|use|give)\b",
    re.I,
)
_MONTH_NAMES = tuple(names[0] for names in calendar.MONTHS.values())
# Month names that are seldom first names, so that "<Month>'s" is the month's ("September's jobs
# report"): all but March to August, as "April's", "June's", "May's" are as often a person's.
_POSSESSIVE_MONTHS = frozenset(_MONTH_NAMES) - {"march", "april", "may", "june", "july", "august"}
_POSSESSIVE_AFTER = re.compile(r"['’]s\b")
# A lower-case noun after "the <Month>", not a preposition or a verb ("the March on Washington").
_NOUN_AFTER = re.compile(
    r"\s+(?!(?:on|of|to|for|in|at|by|from|with|and|or|is|was|will|would|has|had|be|can|could|should|might|must|"
    r"not|also)\b)[a-z][a-z-]+\b"
)
# "in March and May", "from January to March": a coordinated month after a date
_DATE_AND_BEFORE = re.compile(r"(?:" + "|".join(name.capitalize() for name in _MONTH_NAMES) + r"|\d{4})\W+(?:and|or|to)\s+$")
_COORDINATORS = frozenset({"and", "or", "to"})
# "the year to March", "the three months to December": the month a stretch of time runs to, the
# British way of writing "the year ended March 31", not the verb "to march"
_STRETCH_TO_BEFORE = re.compile(r"\b(?:year|months|quarter|half|period|weeks)\s+to\s+$", re.I)
_MONTH_VERBS = frozenset({"may", "march"})
_PAST_MONTH = frozenset({"last", "past", "this past", "previous", "preceding", "prior"})
_NEXT_MONTH = frozenset({"next", "coming", "this coming", "following"})
# "the following January", "the previous March": the first such month after or before the last
# date the text named, as "the following year" is; from the anchor only when none was named
_ANAPHORIC_MONTH = {
    "following": 1, "the following": 1, "the next": 1,
    "previous": -1, "the previous": -1, "the preceding": -1, "the prior": -1,
}  # fmt: skip


def _part_of_a_number(ctx: Ctx) -> bool:
    before = ctx.before(30)
    if _NUMBER_SIGN_BEFORE.search(before):
        return True
    group = _NUMBER_BEFORE.search(before)
    # "555-2020", "12.2019": part of a longer number, not a year after a year ("1998-2020")
    return bool(group and not (len(group[1]) == 4 and 1600 <= int(group[1]) <= 2099 and before.rstrip()[-1] == "-"))


def _after_a_non_year_prefix(ctx: Ctx) -> bool:
    """ "page 2019", "flight 1990": the lexicon's words after which a number is not a year."""
    prev = ctx.prev_words(2)
    joined = " ".join(prev)
    for prefix in ctx.lex.non_year_prefixes:
        key = phrase_key(prefix)
        if joined == key or joined.endswith(" " + key) or (prev and prev[-1] == key):
            return True
    return False


def _a_count(ctx: Ctx) -> bool:
    """ "1990 people", "2000 new jobs": a number of things."""
    following = _WORDS_AFTER.match(ctx.after(40))
    if not following:
        return False
    nouns = ctx.lex.count_nouns
    if following[1].lower() in nouns:
        return True
    return bool(following[2]) and following[1].lower() in _COUNT_ADJECTIVES and following[2].lower() in nouns


def _not_a_bare_year(ctx: Ctx) -> bool:
    """A four-digit number with nothing to make it a year that reads as something else."""
    if _part_of_a_number(ctx) or _after_a_non_year_prefix(ctx) or _a_count(ctx):
        return True
    if _YEAR_ADDRESS.match(ctx.after(60)):
        return True  # "1600 Pennsylvania Avenue"
    if _YEARS_OLD_AFTER.match(ctx.after(12)):
        return True  # "a 2000 year old tradition"
    return _PHONE_AFTER.match(ctx.after(8)) is not None


def resolve_year(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    mod = mod_of(ctx)
    if p.get("prefix"):
        mod = _PREFIX_MODS[p["prefix"].lower()]
    if p.get("fiscal_year"):
        y = int(p["fiscal_year"])
        year = y if y >= 1000 else two_digit_year(y, ctx.anchor)
        return Resolution("DATE", f"{year:04d}", "year", mod)
    if p.get("year_words"):
        year = year_from_words(p["year_words"], ctx.lex)
        return Resolution("DATE", f"{year:04d}", "year", mod) if year else None
    if p.get("open_end"):
        mod = "ON_OR_BEFORE" if _BEFORE_OPEN_END.search(p["open_end"]) else "ON_OR_AFTER"
    bare = not (p.get("year_kind") or p.get("the_year") or p.get("prefix") or p.get("mod") or p.get("open_end"))
    if bare and _not_a_bare_year(ctx):
        return None
    return Resolution("DATE", f"{int(p['year']):04d}", "year", mod)


def _month_meant(ctx: Ctx, name: str) -> bool:
    """Whether a month name with no relation word or modifier is the month: after a word that
    cues one ("in", "since", "the", "for"), or as a possessive; "May" also not before a verb, and
    a month after "and"/"or"/"to" only when a date comes before those."""
    prev = ctx.prev_words(2)
    if not prev:
        return False
    key = name.rstrip(".").lower()
    strong = prev[-1] in ctx.lex.month_cues
    if prev[-1] in ("the", "a", "an", "for") and key not in _MONTH_VERBS:
        strong = True  # "the October slaying", "for January": the determiner of a month name
    elif prev[-1] == "the" and name[:1].isupper() and _NOUN_AFTER.match(ctx.after(20)):
        strong = True  # "the March accession", "the May vote": a month naming the noun's date
    possessive = key in _POSSESSIVE_MONTHS and _POSSESSIVE_AFTER.match(ctx.after(3)) is not None
    strong = strong or possessive  # "December's figures": no other word spells a possessive like that
    if not strong:
        return False
    if prev[-1] == "to" and name[:1].isupper() and _STRETCH_TO_BEFORE.search(ctx.before(30)):
        return True  # "in the year to March"
    coordinated = prev[-1] in _COORDINATORS and _DATE_AND_BEFORE.search(ctx.before(40)) is not None
    if key == "may" and ((prev[-1] in _COORDINATORS and not coordinated) or _MAY_VERB_AFTER.match(ctx.after(12))):
        # "sales rose and May fell" is rare; "rose and may fall" is a verb. After a month or a
        # year and "and"/"to" ("between March and May"), the capital M is the month's.
        return False
    return prev[-1] not in _COORDINATORS or possessive or coordinated


def _year_from_the_text(ctx: Ctx, month: int, direction: int) -> int | None:
    """The year of the first such month after (1) or before (-1) the last date the text named."""
    if ctx.state.point is None or (iv := cal.interval_of(ctx.state.point[0])) is None:
        return None
    if direction > 0:
        return iv[1].year if month > iv[1].month else iv[1].year + 1
    return iv[0].year if month < iv[0].month else iv[0].year - 1


def _year_of_month(ctx: Ctx, a: dt.date, month: int, rel: str) -> int:
    if rel in _ANAPHORIC_MONTH and (year := _year_from_the_text(ctx, month, _ANAPHORIC_MONTH[rel])) is not None:
        return year
    rel = rel.removeprefix("the ")
    if not rel and ctx.prev_words(1) == ["since"]:
        rel = "last"  # "since March": the last March, however the clause goes on
    if rel in _PAST_MONTH:
        return a.year if month < a.month else a.year - 1
    if rel in _NEXT_MONTH:
        return a.year if month > a.month else a.year + 1
    if rel == "this":
        return a.year
    if rel == "that":
        return reference_year(ctx) or a.year
    if (day := narrative_day(ctx)) is not None:
        return nearest_year(day, lambda y: cal.month_interval(y, month)) or day.year
    return choose_year(a, lambda y: cal.month_interval(y, month), ctx.tense()) or a.year


# "from January to October", "between March and May 2005": a range of months, the year written
# once after the last one or not at all
_RANGE_END_AFTER = re.compile(
    rf"\s+(?:to|and|until|till|through|thru|-)\s+(?=(?-i:[A-Z]))({calendar.MONTH_PATTERN})\b\.?(?:,?\s+(\d{{4}})\b)?", re.I
)
_PLAN_PARTICIPLE = re.compile(r"scheduled|planned|slated|set|due|expected", re.I)
_RANGE_START_BEFORE = re.compile(r"\b(?:from|between)\s+(?-i:[A-Z])[a-z]*\.?\s+(?:to|and|until|till|through|thru|-)\s+$", re.I)


def _range_year(ctx: Ctx, a: dt.date, month: int) -> int | None:
    """The year of the first month of a range ("from January to October", written in November):
    the range runs forward and is read as a whole, the year nearest the anchor that the clause's
    tense allows, or the year written after its last month. Read alone, January would be the
    coming one and October the last."""
    if ctx.prev_words(1) not in (["from"], ["between"]):
        return None
    after = _RANGE_END_AFTER.match(ctx.text, ctx.end)
    if after is None or (end_month := calendar.month_number(after[1])) is None:
        return None
    wraps = int(month > end_month)  # "from December to February" ends the next year
    if after[2]:
        return int(after[2]) - wraps

    tense = ctx.tense() or _tense_of_the_verb_before_the_range(ctx)

    def whole(year: int) -> cal.Interval | None:
        first, last = cal.month_interval(year, month), cal.month_interval(year + wraps, end_month)
        if tense == "past" and last[1] > a and last[0] > a:
            return None  # "fares rose from January to May" has ended
        return first[0], last[1]

    return choose_year(a, whole, tense)


def _tense_of_the_verb_before_the_range(ctx: Ctx) -> str | None:
    """ "Fares rose from January to May": the verb before "from" or "between", in the past unless
    it names a plan ("scheduled from")."""
    words = ctx.prev_words(3)[:-1]
    if words and is_past_verb(words[-1]) and not _PLAN_PARTICIPLE.fullmatch(words[-1]):
        return "past"
    return None


def _year_after_a_range_start(ctx: Ctx, month: int) -> int | None:
    """The year of the last month of a range, from its first one that the text just named."""
    if ctx.state.point is None or not _RANGE_START_BEFORE.search(ctx.before(30)):
        return None
    value = ctx.state.point[0]
    if not re.fullmatch(r"\d{4}-\d\d", value):
        return None
    start_year, start_month = int(value[:4]), int(value[5:])
    return start_year + int(month < start_month)


def resolve_month(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    name = p["month"]
    month = month_number(ctx, name)
    mod = mod_of(ctx)
    rel = phrase_key(p.get("rel") or "")
    if rel in ("each", "every"):
        return Resolution("SET", f"XXXX-{month:02d}", "set")
    if not (rel or mod) and not _month_meant(ctx, name):
        return None
    if rel in ("", "that") and (year := year_that_follows(ctx)) is not None:
        return Resolution("DATE", f"{year:04d}-{month:02d}", "month", mod)
    if ctx.anchor is None:
        return Resolution("DATE", f"XXXX-{month:02d}", "month", mod, True, False)
    year = not rel and (_range_year(ctx, ctx.anchor, month) or _year_after_a_range_start(ctx, month))
    year = year or _year_of_month(ctx, ctx.anchor, month, rel)
    return Resolution("DATE", f"{year:04d}-{month:02d}", "month", mod, True, True)
