"""Recurrences and vague references: "every Monday", "daily", "twice a year"; "now",
"recently", "the past", "in the future"."""

from __future__ import annotations

import re

from broadsheet.extract.timex.context import Ctx, Resolution
from broadsheet.extract.timex.cues import a_rate, after_a_name, month_number, weekday_number
from broadsheet.extract.timex.lexicon import phrase_key
from broadsheet.extract.timex.values import duration_value, parse_number

# What follows a newspaper's name ending in "daily" ("the Herald daily said")
_NEWSPAPER_AFTER = re.compile(r"\s*(?:[.,;:!?\"”)]|[A-Z]|(?:said|says|reported|reports|quoted|wrote|added|cited|published)\b)")
_NOT_CURRENT_TIME = re.compile(
    r"\s+(?:account|accounts|affairs|events|assets|liabilities|ratio|flows?|density|source|sources|rules?|law|laws|system|owner|owners|"
    r"name|names|form|version|members?|management|staff|holder|holders|president|chairman|chief)\b",
    re.I,
)
_OF_AFTER = re.compile(r"\s+of\b")
_OWNER_BEFORE = re.compile(r"(?:['’]s|s['’]|\b(?:his|her|their|our|my|your|its))\s+$", re.I)
_NOW_AND_THEN = re.compile(r"\s+and\s+(?:then|again)\b")
_NOUN_AFTER = re.compile(r"\s+[a-z]")


def _adverb(ctx: Ctx) -> Resolution | None:
    """ "daily", "annually" """
    adverb = ctx.parts["adverb"]
    if adverb[:1].isupper() and after_a_name(ctx):
        return None  # "LA Weekly"
    if (
        adverb.lower() in ("daily", "weekly", "monthly")
        and (ctx.prev_words(1) in (["the"], ["a"]) or after_a_name(ctx))
        and _NEWSPAPER_AFTER.match(ctx.after(15))
    ):
        return None  # "the state-run Herald daily said": a newspaper, not a frequency
    if a_rate(ctx):
        # "$40 million annually", "10,000 units yearly": a rate, unmarked as "a year" after an
        # amount is (TimeBank marks none of the 4, the silver newswire none of 15)
        return None
    return Resolution("SET", ctx.lex.frequency_adverbs[adverb.lower()], "set")


def _every(ctx: Ctx) -> Resolution | None:
    """ "every two weeks", "each Monday", "every other month", "every spring" """
    p = ctx.parts
    lex = ctx.lex
    if p.get("unit"):
        if p["unit"].lower() == "day" and not p.get("number") and _OWNER_BEFORE.search(ctx.before(20)):
            return None  # "people's every day lives": the adjective "everyday", written in two words
        every = 2 if p.get("other") else 1
        unit = lex.unit(p["unit"].lower())
        n = parse_number(p["number"], lex) if p.get("number") else 1
        n = None if n is None else n * every * unit.multiplier
        return Resolution("SET", duration_value(n, unit.code, unit.is_time), "set")
    if p.get("weekday"):
        return Resolution("SET", f"XXXX-WXX-{weekday_number(ctx, p['weekday'])}", "set")
    if p.get("month"):
        return Resolution("SET", f"XXXX-{month_number(ctx, p['month']):02d}", "set")
    if p.get("season"):
        return Resolution("SET", f"XXXX-{lex.seasons[p['season'].lower()]}", "set")
    if p.get("part_of_day"):
        return Resolution("SET", f"XXXX-XX-XX{lex.parts_of_day[p['part_of_day'].lower()]}", "set")
    return None


_UNITS_BEFORE = re.compile(r"\b(?:hours|days|nights|weeks|months|shifts|sessions)\s+$", re.I)


def _units_per_unit(ctx: Ctx) -> Resolution | None:
    """ "six days a week", "24 hours per day": a frequency, as "three times a week" is. After any
    other amount ("$5 million a year", "40 flights a week") the unit is a rate's, which TimeML
    corpora leave unmarked (`cues.a_rate`), and "a week" alone is a length (the rules after)."""
    if not _UNITS_BEFORE.search(ctx.before(20)):
        return None
    unit = ctx.lex.unit(ctx.parts["unit"].lower())
    return Resolution("SET", duration_value(unit.multiplier, unit.code, unit.is_time), "set")


def resolve_set(ctx: Ctx) -> Resolution | None:
    if ctx.get("adverb"):
        return _adverb(ctx)
    if ctx.get("every"):
        return _every(ctx)
    if ctx.get("times"):
        # "twice a year": a frequency TimeML writes as the period alone
        unit = ctx.lex.unit(ctx.parts["unit"].lower())
        return Resolution("SET", duration_value(unit.multiplier, unit.code, unit.is_time), "set")
    return _units_per_unit(ctx)


def _not_a_reference(ctx: Ctx, phrase: str, after: str) -> bool:
    if phrase in ("the future", "the past", "the present") and _OF_AFTER.match(after):
        return True
    if phrase == "now" and (_NOW_AND_THEN.match(after) or ctx.prev_words(1) == ["every"]):
        return True  # "every now and then": a frequency idiom
    if phrase == "the present" and _NOUN_AFTER.match(after):
        return True
    # "recent" alone is no expression, before a noun or not ("a recent filing")
    return phrase == "recent"


def resolve_vague(ctx: Ctx) -> Resolution | None:
    written = ctx.parts["phrase"]
    phrase = phrase_key(written)
    value = ctx.lex.vague_references[phrase]
    after = ctx.after(25)
    if phrase == "current" and _NOT_CURRENT_TIME.match(after):
        return None  # "current account", "current president"
    if phrase == "future":
        if not (ctx.prev_words(1) == ["in"] or ctx.get("noun")):
            return None  # "future" is the time to come only in "in future" or before a plural noun
    elif ctx.get("noun"):
        # "recent years", "past generations": the reference without its noun
        return Resolution("DATE", value, "ref", end=ctx.start + len(written))
    if _not_a_reference(ctx, phrase, after):
        return None
    return Resolution("DATE", value, "ref")
