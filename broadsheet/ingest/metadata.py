"""Reading source metadata values: publication dates, author lists, plain metadata strings.

Only values a source states in its metadata (JSON fields, HTML meta tags) are handled here;
bylines and datelines inside the article text belong to the clean stage.

`parse_published_date` accepts a date only when the string names exactly one calendar day:
ISO 8601 (with or without a time), year-first numeric dates, RFC 2822 (e-mail and RSS), and
dates with an English month name ("January 8, 2020", "8 Jan. 2020", "Wednesday, Jan 8th
2020, 10:30 AM"). Numeric day/month orders are accepted only when they cannot be misread
("13/01/2020", never "01/02/2020"). A time or a zone after the date does not move it: the day
is the one the publisher wrote, not its UTC equivalent.
"""

from __future__ import annotations

import datetime
import email.utils
import re
import unicodedata
from collections.abc import Iterable

from broadsheet.ingest.decode import scrub_surrogates

__all__ = ["clean_metadata_string", "dedupe_authors", "parse_published_date"]

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
# What may follow a written date without making it a different date: a time, a zone.
_ZONE = r"(?:\s*\(?[a-z]{1,5}\)?|\s*[+-]\d{2}:?\d{2})"
_TIME_TAIL = rf"(?:[,\s]+(?:at\s+)?\d{{1,2}}(?:[:.]\d{{2}}){{1,2}}(?:\s*[ap]\.?m\.?)?{_ZONE}?)?"

_MONTH_FIRST = re.compile(rf"^{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}{_TIME_TAIL}$", re.IGNORECASE)
_DAY_FIRST = re.compile(rf"^{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}{_TIME_TAIL}$", re.IGNORECASE)
_ISO_LIKE = re.compile(
    rf"^\d{{4}}-(?:\d{{2}}-\d{{2}}|W\d{{2}}-\d)(?:[T ]\d{{2}}:?\d{{2}}\S*{_ZONE}?)?$|^\d{{8}}$", re.IGNORECASE
)
_YEAR_FIRST = re.compile(r"^(?P<year>\d{4})[/.](?P<month>\d{1,2})[/.](?P<day>\d{1,2})$")
_NUMERIC_YEAR_LAST = re.compile(r"^(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<year>\d{4})$")
# RFC 2822 with a four-digit year: the obsolete two-digit form would have to guess the century.
_RFC2822 = re.compile(
    r"^(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s+(?:[+-]\d{4}|[a-z]{1,5}))?$",
    re.IGNORECASE,
)


def parse_published_date(raw: str | None) -> datetime.date | None:
    """The calendar day a metadata date string names, or None when it names no single real day."""
    if raw is None:
        return None
    value = " ".join(raw.split())
    if not value:
        return None
    try:
        if _ISO_LIKE.match(value):
            return _iso_date(value)
        if _RFC2822.match(value):
            return email.utils.parsedate_to_datetime(value).date()
        if match := _YEAR_FIRST.match(value):
            return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
        if match := _MONTH_FIRST.match(value) or _DAY_FIRST.match(value):
            month = _MONTHS[match["month"].lower()]
            return datetime.date(int(match["year"]), month, int(match["day"]))
        if match := _NUMERIC_YEAR_LAST.match(value):
            return _unambiguous_numeric(int(match["a"]), int(match["b"]), int(match["year"]))
    except (ValueError, TypeError, OverflowError):
        return None  # the shape matched but the day does not exist (February 30, hour 25, ...)
    return None


def clean_metadata_string(value: str | None) -> str | None:
    """A metadata string in NFC with runs of whitespace collapsed; None when nothing is left."""
    if value is None:
        return None
    collapsed = " ".join(unicodedata.normalize("NFC", scrub_surrogates(value)).split())
    return collapsed or None


def dedupe_authors(names: Iterable[str]) -> tuple[str, ...]:
    """Cleaned author names in order of appearance, without blanks or repeats."""
    seen: dict[str, None] = {}
    for name in names:
        cleaned = clean_metadata_string(name)
        if cleaned is not None:
            seen.setdefault(cleaned, None)
    return tuple(seen)


def _iso_date(value: str) -> datetime.date:
    try:
        return datetime.datetime.fromisoformat(value).date()
    except ValueError:
        # A valid day followed by a time Python does not read (a leap second, a zone name):
        # the day is still stated exactly.
        return datetime.date.fromisoformat(value[:10])


def _unambiguous_numeric(a: int, b: int, year: int) -> datetime.date | None:
    if a == b:
        return datetime.date(year, a, b)
    if a > 12 >= b:
        return datetime.date(year, b, a)  # day/month/year
    if b > 12 >= a:
        return datetime.date(year, a, b)  # month/day/year
    return None  # both orders are real days: refusing beats guessing
