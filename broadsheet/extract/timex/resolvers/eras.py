"""Decades, centuries and seasons: "the 1990s", "the '80s", "the early nineties", "the 20th
century", "the next millennium", "last summer", "spring 2019"."""

from __future__ import annotations

import datetime as dt
import re

from broadsheet.extract.timex import calendar as cal
from broadsheet.extract.timex.context import Ctx, Resolution
from broadsheet.extract.timex.cues import after_a_name, edge_mod, mod_of, ordinal_or_day, reference_year
from broadsheet.extract.timex.lexicon import phrase_key
from broadsheet.extract.timex.values import choose_year, two_digit_year, year_from_words

_DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}
# "in their 70s", "temperatures in the mid 90s": ages and readings, not decades
_AGE_OR_READING_BEFORE = re.compile(r"\b(?:their|his|her|its|mid|low|high|upper|lower)\s*$", re.I)
_READING_AFTER = re.compile(r"\s*(?:degrees|°|percent|%)", re.I)
_CENTURY_SHIFT = {
    "this": 0, "the current": 0, "the new": 0, "last": -1, "the previous": -1, "the past": -1, "the last": -1,
    "next": 1, "the next": 1,
}  # fmt: skip
_YEAR_SHIFT = {"last": -1, "this": 0, "next": 1}
# Words before a bare season that make it a time ("in spring"), not a verb or a noun ("spring up")
_SEASON_PREPOSITIONS = frozenset("in during by since until till through throughout over before after all each every".split())
# "fall"/"spring" as nouns of change: "the fall of the Berlin Wall", "the fall in prices"
_CHANGE_NOUN_AFTER = re.compile(r"\s+(?:of|in|to|from|on|was|is|has|had|and|by)\b")
_DEICTIC_SEASON = frozenset({"last", "this", "next", "this past", "this coming"})
_PAST_SEASON = frozenset({"last", "past", "this past", "previous", "prior", "preceding"})
_NEXT_SEASON = frozenset({"next", "coming", "this coming", "following", "upcoming"})
_CURRENT_SEASON = frozenset({"this", "current", "present", "same", "that"})
# "that summer", "the same winter": the season of the year the text is talking about, which a
# story set in another year has named ("The firm moved in 1998. That summer it hired..."); only
# without such a date is it the season of the time of writing
_ANAPHORIC_SEASON = frozenset({"that", "same", "that same"})


def resolve_decade(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    mod = mod_of(ctx) or edge_mod(p.get("edge"))
    if p.get("century"):
        c, t = p["century"], p["decade"]
        if t == "0" and int(c) < 20:  # "the 1800s": a century
            return Resolution("DATE", c, "century", mod)
        return Resolution("DATE", f"{c}{t}", "decade", mod)
    if p.get("bare_decade") and _not_a_bare_decade(ctx):
        return None
    digit = int(p.get("short_decade") or p.get("bare_decade") or _DECADE_WORDS.get((p.get("decade_word") or "").lower(), 0))
    if ctx.anchor is not None:
        # the latest such decade that has begun by the anchor's year ("the nineties" in 2020 -> 1990s)
        decade = ctx.anchor.year // 100 * 10 + digit
        if decade * 10 > ctx.anchor.year:
            decade -= 10
        return Resolution("DATE", f"{decade:03d}", "decade", mod, True, True)
    return Resolution("DATE", f"19{digit}", "decade", mod, True, False)


def _not_a_bare_decade(ctx: Ctx) -> bool:
    """ "70s" without an apostrophe or a century is a decade only after "the" or a modifier, and
    not an age or a reading ("in their 70s", "in the 90s degrees")."""
    p = ctx.parts
    if not (p.get("the") or p.get("edge") or p.get("mod")):
        return True
    return bool(_AGE_OR_READING_BEFORE.search(ctx.before(12)) or _READING_AFTER.match(ctx.after(12)))


_STRETCH_RELS = frozenset({"the past", "the last", "the next"})
# "the last century of the empire": the final one of something, not the hundred years to now
_OF_A_THING = re.compile(r"\s+of\b")


def resolve_century(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    mod = mod_of(ctx) or edge_mod(p.get("edge"))
    unit = p["unit"].lower()
    if p.get("ordinal"):
        n = ordinal_or_day(ctx, p["ordinal"])
        if not 1 <= n <= 30:
            return None
        if unit == "millennium":
            return Resolution("DATE", f"{n - 1}", "millennium", mod)
        return Resolution("DATE", f"{n - 1:02d}", "century", mod)
    rel = ("the " if p.get("the") else "") + phrase_key(p["rel"])
    if rel in _STRETCH_RELS and not _OF_A_THING.match(ctx.text, ctx.end):
        # "the past century", "the next millennium": the hundred or thousand years up to or from
        # now, a DURATION, as "the past decade" (see units)
        return Resolution("DURATION", "P100Y" if unit == "century" else "P1000Y", "duration", mod)
    if ctx.anchor is None:
        return Resolution("DATE", "XX" if unit == "century" else "X", unit, mod, True, False)
    size = 100 if unit == "century" else 1000
    n = ctx.anchor.year // size + _CENTURY_SHIFT[phrase_key(p["rel"])]
    return Resolution("DATE", f"{n:02d}" if unit == "century" else str(n), unit, mod, True, True)


def _has_year(ctx: Ctx) -> bool:
    p = ctx.parts
    return bool(p.get("year") or p.get("year_rel") or p.get("short_year") or p.get("year_words"))


def _not_the_season(ctx: Ctx, rel: str, mod: str | None) -> bool:
    p = ctx.parts
    has_year = _has_year(ctx)
    if not (has_year or rel or mod or p.get("the")):
        prev = ctx.prev_words(1)
        if not prev or prev[0] not in _SEASON_PREPOSITIONS:
            return True
    if has_year:
        return False
    # "last fall in his home": after a bare "last"/"this"/"next" the word is the season; "the last
    # fall in prices", with its article, stays a noun
    deictic = rel in _DEICTIC_SEASON and not p.get("the") and ctx.prev_words(1) != ["the"]
    if not deictic and p["season"].lower() in ("fall", "spring") and _CHANGE_NOUN_AFTER.match(ctx.after(8)):
        return True
    return p["season"][0].isupper() and after_a_name(ctx)  # "Arab Spring", "Prague Spring": a name


def _season_of_stated_year(ctx: Ctx, code: str, mod: str | None) -> Resolution | None:
    p = ctx.parts
    if p.get("year"):
        return Resolution("DATE", f"{int(p['year']):04d}-{code}", "season", mod)
    if p.get("year_words"):
        year = year_from_words(p["year_words"], ctx.lex)
        return Resolution("DATE", f"{year:04d}-{code}", "season", mod) if year else None
    if p.get("short_year"):
        year = two_digit_year(int(p["short_year"].lstrip("'’")), ctx.anchor)
        return Resolution("DATE", f"{year:04d}-{code}", "season", mod, True, ctx.anchor is not None)
    if ctx.anchor is None:
        return Resolution("DATE", f"XXXX-{code}", "season", mod, True, False)
    year = ctx.anchor.year + _YEAR_SHIFT[p["year_rel"].lower()]
    return Resolution("DATE", f"{year:04d}-{code}", "season", mod, True, True)


def _season_year(ctx: Ctx, code: str, rel: str, a: dt.date) -> int:
    """The year of a season named without one: the last or next such season, the one the anchor
    is in, or where news puts it."""

    def make(y: int) -> tuple[dt.date, dt.date]:
        return cal.season_interval(y, code)

    if rel in _PAST_SEASON:
        return max(y for y in (a.year - 2, a.year - 1, a.year) if make(y)[1] < a)
    if rel in _NEXT_SEASON:
        return min(y for y in (a.year, a.year + 1) if make(y)[0] > a)
    if rel in _ANAPHORIC_SEASON and ctx.state.point is not None and (year := reference_year(ctx)) is not None:
        return year
    if rel in _CURRENT_SEASON:
        current = [y for y in (a.year - 1, a.year) if make(y)[0] <= a <= make(y)[1]]
        return current[0] if current else a.year
    return choose_year(a, make, ctx.tense()) or a.year


def resolve_season(ctx: Ctx) -> Resolution | None:
    p = ctx.parts
    code = ctx.lex.seasons[p["season"].lower()]
    mod = mod_of(ctx) or edge_mod(p.get("edge"))
    rel = phrase_key(p.get("rel") or "")
    if _not_the_season(ctx, rel, mod):
        return None
    if _has_year(ctx):
        return _season_of_stated_year(ctx, code, mod)
    if ctx.anchor is None:
        return Resolution("DATE", f"XXXX-{code}", "season", mod, True, False)
    return Resolution("DATE", f"{_season_year(ctx, code, rel, ctx.anchor):04d}-{code}", "season", mod, True, True)
