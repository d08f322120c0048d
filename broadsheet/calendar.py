"""The English month and weekday words the pipeline reads, and the one reader of a written date.

`MONTHS` and `WEEKDAYS` hold every spelling a reader of dates accepts: the full name and the
abbreviations news copy uses ("Sept." beside "Sep.", "Thurs." beside "Thu."). `month_number`
and `weekday_number` look a word up in any case, with or without its full stop;
`MONTH_PATTERN` and `WEEKDAY_PATTERN` are the same words as regular-expression alternations for
code that finds them in text.

`parse_date` turns a date string into the one calendar day it names, or None. It has two
readings, because its callers hold two kinds of string:

- in running text (`whole=False`, a byline or date line the clean stage captured), the first
  date-shaped piece is read and what surrounds it (a label, a weekday, a time) is ignored:
  "2020-01-08", "2020/01/08", "January 8, 2020", "8 Jan. 2020", "08.01.2020";
- as a whole value (`whole=True`, a metadata field or a feed's date), the string must be a date
  and nothing else, but it may be ISO 8601 with a time and zone, an ISO week date or a compact
  "20200108", RFC 2822 ("Wed, 08 Jan 2020 10:30:00 GMT"), or a written date with a weekday
  before it and a time and zone after it.

In both, a date needs a four-digit year (without one it names no single day), a weekday or time
never moves or checks the day (it is the day the publisher wrote, not its UTC equivalent), and a
numeric day/month date is read only when it cannot be misread ("13/01/2020", never
"01/02/2020"), unless `dotted_day_first` says that dotted dates ("08.01.2020") put the day first.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

__all__ = [
    "MONTHS",
    "MONTH_PATTERN",
    "WEEKDAYS",
    "WEEKDAY_PATTERN",
    "month_number",
    "parse_date",
    "weekday_number",
]

# May has no abbreviation: its name is as short as one.
MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan"),
    2: ("february", "feb"),
    3: ("march", "mar"),
    4: ("april", "apr"),
    5: ("may",),
    6: ("june", "jun"),
    7: ("july", "jul"),
    8: ("august", "aug"),
    9: ("september", "sept", "sep"),
    10: ("october", "oct"),
    11: ("november", "nov"),
    12: ("december", "dec"),
}

# Numbered as ISO 8601 and `datetime.isoweekday` number them: 1 is Monday.
WEEKDAYS: dict[int, tuple[str, ...]] = {
    1: ("monday", "mon"),
    2: ("tuesday", "tues", "tue"),
    3: ("wednesday", "wed"),
    4: ("thursday", "thurs", "thur", "thu"),
    5: ("friday", "fri"),
    6: ("saturday", "sat"),
    7: ("sunday", "sun"),
}

_MONTH_OF = {name: number for number, names in MONTHS.items() for name in names}
_WEEKDAY_OF = {name: number for number, names in WEEKDAYS.items() for name in names}


def _alternation(words) -> str:
    # Longest first, so that "sept" is not read as "sep" followed by a stray "t".
    return "(?:" + "|".join(sorted(words, key=lambda w: (-len(w), w))) + ")"


MONTH_PATTERN = _alternation(_MONTH_OF)  # lower case: compile with re.IGNORECASE
WEEKDAY_PATTERN = _alternation(_WEEKDAY_OF)


def month_number(word: str) -> int | None:
    """1 to 12 for a month's name or abbreviation ("Sept.", "JAN", "march"), else None."""
    return _MONTH_OF.get(word.casefold().removesuffix("."))


def weekday_number(word: str) -> int | None:
    """1 (Monday) to 7 (Sunday) for a weekday's name or abbreviation ("Thurs.", "wed"), else None."""
    return _WEEKDAY_OF.get(word.casefold().removesuffix("."))


def parse_date(text: str, *, whole: bool = False, dotted_day_first: bool = False) -> dt.date | None:
    """The calendar day `text` names, or None (no date, no year, an impossible or ambiguous day).

    `whole`: the string is a metadata value that must be a date and nothing else, rather than
    text in which the first date-shaped piece is read. `dotted_day_first`: "08.01.2020" is
    8 January (the rules file's convention for bylines), not a date that could be misread.
    """
    if whole:
        return _whole_value(text, dotted_day_first)
    return _in_text(text, dotted_day_first)


_MONTH = rf"(?P<month>{MONTH_PATTERN})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_MONTH_DAY_YEAR = rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}"
_DAY_MONTH_YEAR = rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}"

# In text, the first form that matches anywhere wins, even over an earlier piece of a later form,
# and a form whose day does not exist ends the search: the line named an impossible day.
_IN_TEXT = (
    ("numbers", re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)")),
    ("numbers", re.compile(r"(?<!\d)(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<day>\d{1,2})(?!\d)")),
    ("named", re.compile(rf"\b{_MONTH_DAY_YEAR}(?!\d)", re.IGNORECASE)),
    ("named", re.compile(rf"(?<!\d){_DAY_MONTH_YEAR}(?!\d)", re.IGNORECASE)),
    ("year_last", re.compile(r"(?<![\d.])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})(?!\d)")),
)


def _in_text(text: str, dotted_day_first: bool) -> dt.date | None:
    for form, pattern in _IN_TEXT:
        match = pattern.search(text)
        if match is None:
            continue
        year = int(match["year"])
        if form == "numbers":
            return _day(year, int(match["month"]), int(match["day"]))
        if form == "named":
            return _day(year, _matched_month(match["month"]), int(match["day"]))
        dotted = match["sep"] == "."
        return _year_last(year, int(match["a"]), int(match["b"]), dotted and dotted_day_first)
    return None


# A weekday before a metadata date is matched loosely, any abbreviation with any full name's
# ending, so that a misspelt one ("Thurday") does not cost the date after it; it is never checked.
_WEEKDAY_ENDINGS = ("day", "nesday", "sday", "urday")
_WEEKDAY_BEFORE = (
    r"(?:(?:"
    + "|".join(word for names in WEEKDAYS.values() for word in names[1:])
    + r")(?:"
    + "|".join(_WEEKDAY_ENDINGS)
    + r")?\.?,?\s+)?"
)
# What may follow a written date without making it a different date: a time, a zone.
_ZONE = r"(?:\s*\(?[a-z]{1,5}\)?|\s*[+-]\d{2}:?\d{2})"
_TIME_AFTER = rf"(?:[,\s]+(?:at\s+)?\d{{1,2}}(?:[:.]\d{{2}}){{1,2}}(?:\s*[ap]\.?m\.?)?{_ZONE}?)?"

_ISO_LIKE = re.compile(rf"^\d{{4}}-(?:\d{{2}}-\d{{2}}|W\d{{2}}-\d)(?:[T ]\d{{2}}:?\d{{2}}\S*{_ZONE}?)?$|^\d{{8}}$", re.IGNORECASE)
# RFC 2822 with a four-digit year: the obsolete two-digit form would have to guess the century.
_RFC2822 = re.compile(
    r"^(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s+(?:[+-]\d{4}|[a-z]{1,5}))?$",
    re.IGNORECASE,
)
_YEAR_FIRST = re.compile(r"^(?P<year>\d{4})[/.](?P<month>\d{1,2})[/.](?P<day>\d{1,2})$")
_WRITTEN = (
    re.compile(rf"^{_WEEKDAY_BEFORE}{_MONTH_DAY_YEAR}{_TIME_AFTER}$", re.IGNORECASE),
    re.compile(rf"^{_WEEKDAY_BEFORE}{_DAY_MONTH_YEAR}{_TIME_AFTER}$", re.IGNORECASE),
)
_YEAR_LAST = re.compile(r"^(?P<a>\d{1,2})(?P<sep1>[/.-])(?P<b>\d{1,2})(?P<sep2>[/.-])(?P<year>\d{4})$")


def _whole_value(text: str, dotted_day_first: bool) -> dt.date | None:
    value = " ".join(text.split())
    if not value:
        return None
    try:
        if _ISO_LIKE.match(value):
            return _iso_day(value)
        # Before the written forms, which would also take an hour 25 or a zone 99 hours away.
        if _RFC2822.match(value):
            return email.utils.parsedate_to_datetime(value).date()
        if match := _YEAR_FIRST.match(value):
            return _day(int(match["year"]), int(match["month"]), int(match["day"]))
        if match := _WRITTEN[0].match(value) or _WRITTEN[1].match(value):
            return _day(int(match["year"]), _matched_month(match["month"]), int(match["day"]))
        if match := _YEAR_LAST.match(value):
            dotted = match["sep1"] == match["sep2"] == "."
            return _year_last(int(match["year"]), int(match["a"]), int(match["b"]), dotted and dotted_day_first)
    except (ValueError, TypeError, OverflowError):
        return None  # the shape matched but the day or time does not exist (hour 25, ...)
    return None


def _matched_month(word: str) -> int:
    # Case-insensitive matching also lets "ſ", "ı" and "İ" stand for s and i ("Auguſt", "Aprıl"),
    # which no lookup of the whole word knows; the first three letters, case-folded, still do.
    return _MONTH_OF[word[:3].casefold()]


def _iso_day(value: str) -> dt.date:
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        # A valid day followed by a time Python does not read (a leap second, a zone name):
        # the day is still stated exactly.
        return dt.date.fromisoformat(value[:10])


def _year_last(year: int, a: int, b: int, day_first: bool) -> dt.date | None:
    if day_first:
        return _day(year, b, a)
    if a == b or b > 12 >= a:
        return _day(year, a, b)  # month/day (or both readings agree)
    if a > 12 >= b:
        return _day(year, b, a)  # day/month
    return None  # both readings are real days: refusing beats guessing


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:  # 31 February, month 13: the shape matched but no such day exists
        return None
