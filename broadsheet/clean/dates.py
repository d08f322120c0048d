"""Reading the date written on a byline, date line or dateline as a calendar day.

What belongs here: turning one date string that a cleaning rule captured into a
`datetime.date`, or None when it does not name exactly one real day. Finding dates in running
prose is the extractors' job (`broadsheet.extract`), not this module's.

Accepted: "January 08, 2020", "Jan. 8, 2020", "8 January 2020", "Wednesday, January 8, 2020
10:31 AM", "2020-01-08" (with or without a time), "2020/01/08", and numeric day/month dates
with a four-digit year. A numeric date is read day-first when its separator is a dot and the
rules say dotted dates are day-first ("08.01.2020" is 8 January); otherwise only when it cannot
be misread ("13/01/2020" yes, "01/02/2020" no). A weekday or a time next to the date is
ignored, never checked or used to shift the day. A date without a year names no single day.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"

# The first date-shaped piece of the string wins; what surrounds it (weekday, time) is ignored.
_FORMS = (
    ("iso", re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)")),
    ("year_first", re.compile(r"(?<!\d)(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<day>\d{1,2})(?!\d)")),
    ("month_name_first", re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}(?!\d)", re.I)),
    ("day_first_month_name", re.compile(rf"(?<!\d){_DAY}\s+{_MONTH},?\s+{_YEAR}(?!\d)", re.I)),
    ("numeric", re.compile(r"(?<![\d.])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})(?!\d)")),
)


def parse_date(value: str, dotted_numeric: str = "day_first") -> dt.date | None:
    """The calendar day `value` names, or None (no date, no year, an impossible or ambiguous day).

    `dotted_numeric` is the rules file's reading of dotted numeric dates: "day_first" or
    "unambiguous_only".
    """
    for form, pattern in _FORMS:
        match = pattern.search(value)
        if match is None:
            continue
        year = int(match["year"])
        if form == "numeric":
            a, b = int(match["a"]), int(match["b"])
            if match["sep"] == "." and dotted_numeric == "day_first":
                return _day(year, b, a)
            return _unambiguous(year, a, b)
        if form in ("iso", "year_first"):
            return _day(year, int(match["month"]), int(match["day"]))
        return _day(year, _MONTHS[match["month"][:3].lower()], int(match["day"]))
    return None


def _unambiguous(year: int, a: int, b: int) -> dt.date | None:
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
