"""Readings of a match's parts and surroundings that resolvers of several families share."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from broadsheet import calendar
from broadsheet.extract.timex import calendar as cal
from broadsheet.extract.timex.context import Ctx
from broadsheet.extract.timex.lexicon import phrase_key

_NOT_NAME_WORDS = frozenset(
    "the a an in on at by of for since until from to during before after this last next every each and or but "
    "early late mid on".split()
)
_CAPITALISED_BEFORE = re.compile(r"([A-Z][\w'’.-]*)\s+$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:\n]\s*|[\"“‘(]\s*)$")
_EDGE_MODS = {"early": "START", "mid": "MID", "late": "END"}


def after_a_name(ctx: Ctx) -> bool:
    """Whether a capitalised word stands right before the match inside a sentence: "LA Weekly",
    "Johnnie Christmas", "Arab Spring" are names, not dates."""
    before = ctx.before(40)
    m = _CAPITALISED_BEFORE.search(before)
    if m is None:
        return False
    if m[1].lower().rstrip(".") in _NOT_NAME_WORDS or m[1].lower().rstrip(".") in ctx.lex.months:
        return False
    return not _SENTENCE_START.search(before[: m.start()])


def mod_of(ctx: Ctx, name: str = "mod") -> str | None:
    """The TIMEX3 mod of a modifier part ("early" -> START, "about" -> APPROX)."""
    text = ctx.get(name)
    if not text:
        return None
    key = phrase_key(text)
    return ctx.lex.point_modifiers.get(key) or ctx.lex.quantity_modifiers.get(key)


def edge_mod(text: str | None) -> str | None:
    """The mod of "early"/"mid"/"late" written into a period ("the early 1990s", "late-afternoon")."""
    if not text:
        return None
    return _EDGE_MODS.get(text.lower())


def month_number(ctx: Ctx, name: str) -> int:
    """1 to 12 for a month part the grammar matched ("Sept.", "JAN"); KeyError for any other word."""
    number = calendar.month_number(name)
    if number is None:
        raise KeyError(name)
    return number


def weekday_number(ctx: Ctx, name: str) -> int:
    """1 (Monday) to 7 for a weekday part the grammar matched ("Thurs."); KeyError for any other word."""
    number = calendar.weekday_number(name)
    if number is None:
        raise KeyError(name)
    return number


def ordinal_or_day(ctx: Ctx, text: str) -> int:
    """The number of "third", "3rd" or "3"."""
    key = text.lower()
    if key in ctx.lex.ordinals:
        return ctx.lex.ordinals[key]
    return int(re.sub(r"\D", "", key))


# An amount right before "a" and a unit ("$5 million a year", "40 flights a week", "two
# dollars a day"), with at most the amount's noun between them, unless that word is a preposition
# ("fell 3% during a week of losses" is a length).
_AMOUNT_BEFORE = re.compile(
    r"(?:\d|\b(?:million|billion|trillion|thousand|hundred|dozen|percent|cents?|dollars?|euros?|pounds?|yen|"
    r"each|apiece|one|two|three|four|five|six|seven|eight|nine|ten|tens|hundreds|thousands|millions|billions)|%|\$)"
    r"[\s)]*(?:(?!(?:and|or|in|of|for|during|within|over|after|before|about|around|at|on|by|to|from|since|until|than|"
    r"under|into|per)\b)[a-z]+\s+)?$",
    re.I,
)
_NOT_A_RATE_AFTER = re.compile(r"[-\s]*(?:old|long|later|earlier|ago|before|after)\b")


def a_rate(ctx: Ctx) -> bool:
    """Whether "a year" or "annually" at the match is the unit of a rate ("$5 million a year", "40
    flights a week") rather than a length or a recurrence. TimeML corpora leave rates unmarked:
    TimeBank marks 3 of the 12 that follow an amount, the silver newswire 19 of 117, GUM news
    none (counted with "per day" and the like, which no rule matches any more); a frequency
    ("twice a year", "every week", "daily") is still a SET."""
    return bool(_AMOUNT_BEFORE.search(ctx.before(40))) and not _NOT_A_RATE_AFTER.match(ctx.after(10))


def reference_year(ctx: Ctx) -> int | None:
    """The year the text is talking about: that of the last date it named, else the anchor's."""
    if ctx.state.point is not None:
        iv = cal.interval_of(ctx.state.point[0])
        if iv is not None:
            return iv[0].year
    return ctx.anchor.year if ctx.anchor else None


def day_number(text: str) -> int:
    """The day of "9th" or "09"."""
    return int(re.sub(r"\D", "", text))


# A year written after a yearless date, past a word for the day: "that January day in 1998",
# "on March 3 of 2001", "the May morning in 1994". The date is in that year, not in the anchor's.
_YEAR_AFTER = re.compile(
    r"(?:\s+(?:day|morning|afternoon|evening|night|weekend))?\s+(?:in|of)\s+((?:1[6-9]|20)\d\d)\b(?![-.,]?\d|\s*(?:%|percent))"
)


def year_that_follows(ctx: Ctx) -> int | None:
    """The year written right after the match ("January day in 1998"), if any."""
    m = _YEAR_AFTER.match(ctx.text, ctx.end)
    return int(m[1]) if m else None


# "last year", "this year" or "next year" right after a yearless date ("arrested on July 15 last
# year", "the vote on May 3 next year"): the date is in that year of the anchor's, not in the
# year the tense of its clause would choose ("July 15" read alone in an April article of a past
# clause is the last July 15, the year before the one meant). The words stay an expression of
# their own, as TimeBank and GUM mark them; "last year's" is the owner of a noun, not the date's
# year.
_RELATIVE_YEAR_AFTER = re.compile(r"\s+(?:of\s+)?(last|this|next)\s+year\b(?!['’]s)", re.I)
_YEAR_SHIFT = {"last": -1, "this": 0, "next": 1}


def relative_year_that_follows(ctx: Ctx) -> int | None:
    """The anchor's year moved by "last year", "this year", "next year" written right after the
    match, if any and if there is an anchor."""
    if ctx.anchor is None:
        return None
    m = _RELATIVE_YEAR_AFTER.match(ctx.text, ctx.end)
    return ctx.anchor.year + _YEAR_SHIFT[m[1].lower()] if m else None


# The other end of a range or of a pair of days, written with its year right after a yearless
# first end: "from June 2 to Sept. 14, 2031", "on April 3 and 5, 1927", "Dec. 27 through Jan. 4,
# 1951". TimeML gives each end its own TIMEX3 with a full value, and the year written once is
# the first end's year too, not the anchor's.
_RANGE_END_WITH_YEAR = re.compile(
    r"(?:\s*[-–]\s*|\s+(?:and|or|to|through|thru|until|till)\s+)(?:([A-Z][a-z]{2,8})\.?\s+)?(\d{1,2})(?:st|nd|rd|th)?"
    r",?\s+((?:1[6-9]|20)\d\d)\b(?![-.,]?\d|\s*(?:%|percent))"
)


def year_of_range_end(ctx: Ctx, month: int) -> int | None:
    """The year of a yearless month-day (in `month`) that opens a range whose other end is
    written with its year, if it does; a range that crosses New Year ("Dec. 27 to Jan. 4, 1951")
    starts in the year before."""
    m = _RANGE_END_WITH_YEAR.match(ctx.text, ctx.end)
    if m is None:
        return None
    year = int(m[3])
    if m[1]:
        end_month = calendar.month_number(m[1])
        if end_month is None:
            return None  # "June 2 and Hall 7, 1990": a name, not a month, after the conjunction
        if end_month < month:
            year -= 1
    return year


# Where one sentence ends and the next begins (a full date ends the sentence only when its year does)
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+[\"'“‘(]?[A-Z]|\n")


def narrative_day(ctx: Ctx) -> dt.date | None:
    """The day a sentence is set in when it wrote one out with its year in a year before the
    anchor's ("On Oct. 3, 1990, the troops crossed, and on Nov. 5 they left"): its yearless
    dates are read next to that day, not next to the time of writing. Only within the sentence:
    across sentences, news goes back to the present without saying so (a background date, then
    "in April" of the current year), which a wider scope misreads on all three dev sets."""
    written = ctx.state.written
    if written is None or ctx.anchor is None or written[0].year >= ctx.anchor.year or written[1] > ctx.start:
        return None
    return None if _SENTENCE_BREAK.search(ctx.text, written[1], ctx.start) else written[0]


def nearest_year(day: dt.date, make: Callable[[int], tuple[dt.date, dt.date] | None]) -> int | None:
    """The year, of the day's and those either side, that puts a yearless date nearest the day:
    a narrative moves on from its date as often as it looks back."""
    best: tuple[int, int] | None = None
    for year in (day.year - 1, day.year, day.year + 1):
        iv = make(year)
        if iv is None:
            continue
        cost = 0 if iv[0] <= day <= iv[1] else min(abs((iv[0] - day).days), abs((iv[1] - day).days))
        if best is None or cost < best[0]:
            best = (cost, year)
    return best[1] if best else None


_PARAGRAPH_BREAK = "\n\n"


# A written document that a story quotes from: its words were written on its own day.
_DOCUMENT_NOUN = re.compile(
    r"\b(?:e-?mails?|letters?|messages?|memos?|memorandum|notes?|statements?|posts?|posting|tweets?|texts?|diary|entry|"
    r"blog|cables?|telegrams?|faxe?s?|wrote|writes|writing|posted|tweeted|texted|cabled|faxed)\b",
    re.I,
)
_OPENING_QUOTES = ("“", "``")
_CLOSING_QUOTES = ("”", "''")


def _quote_opening(text: str, start: int, pos: int) -> int | None:
    """Where the quotation holding `pos` opens, searching back to `start`; None outside one."""
    depth = 0
    i = pos
    while i > start:
        i -= 1
        two = text[i - 1 : i + 1]
        if two in _CLOSING_QUOTES or text[i] == "”":
            depth += 1
        elif two in _OPENING_QUOTES or text[i] == "“":
            if depth == 0:
                return i - 1 if two == "``" else i
            depth -= 1
    plain = [k for k in range(start, pos) if text[k] == '"']
    return plain[-1] if len(plain) % 2 == 1 else None


def quoted_document_day(ctx: Ctx) -> dt.date | None:
    """The day a quoted document was written, when the match is inside a quotation from one
    whose day the paragraph named before the quote opened ("In an e-mail sent on March 3,
    2009, he wrote: 'I will call you tomorrow'"): its "today", "tomorrow" and "Friday" count
    from that day, not from the day the story was written. Only a written document: a quoted
    speaker's "today" after "said Monday" is as often the day of writing (reading every dated
    quotation so lowers the silver newswire's value F1), and a quote's day named after it is not
    known when the quote is read."""
    paragraph = ctx.text.rfind(_PARAGRAPH_BREAK, 0, ctx.start) + 1
    opening = _quote_opening(ctx.text, paragraph, ctx.start)
    if opening is None:
        return None
    if opening not in ctx.state.quoted:
        day, at = ctx.state.day, ctx.state.day_at
        dated = day is not None and at is not None and paragraph <= at <= opening and day != ctx.anchor
        document = _DOCUMENT_NOUN.search(ctx.text, paragraph, opening) is not None
        ctx.state.quoted[opening] = day if dated and document else None
    return ctx.state.quoted[opening]
