"""Calendar arithmetic for TIMEX3 values: what interval a value denotes, and how units shift.

Everything here is a pure function of dates and value strings; nothing reads text. Conventions,
stated once:

- Intervals are first and last day, both inclusive (`interval_end` is the LAST day).
- Weeks are ISO 8601 weeks (Monday to Sunday; `2020-W02`), a weekend (`2020-W02-WE`) is its
  Saturday and Sunday.
- Seasons are northern-hemisphere meteorological seasons: spring March-May, summer June-August,
  fall September-November, winter December of the year named through February of the next
  (`2014-WI` is 2014-12-01..2015-02-28).
- A decade value (`199`) is 1990-1999, a century (`19`) is 1900-1999, a millennium (`1`)
  1000-1999: the digit-prefix reading TimeML uses, not the ordinal one ("the 20th century" is
  written `19`, so it is 1900-1999).
- `START`/`MID`/`END` narrow an interval to its first, middle or last third in the unit's own
  terms: January-April / May-August / September-December of a year, days 1-10 / 11-20 / 21-end
  of a month, 1990-1993 / 1994-1996 / 1997-1999 of a decade (a century or millennium in the same
  proportions), one month of a quarter or season, two of a half. A week or a day is not narrowed.
  Other mods leave the interval alone (`APPROX`) or make it open-ended, hence none
  (`BEFORE`, `AFTER`, `ON_OR_BEFORE`, `ON_OR_AFTER`).
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import re

Interval = tuple[dt.date, dt.date]

SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_DECADE = re.compile(r"^(\d{3})$")
_CENTURY = re.compile(r"^(\d{2})$")
_MILLENNIUM = re.compile(r"^(\d)$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_OPEN_MODS = {"BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER"}


def last_day(year: int, month: int) -> int:
    return _cal.monthrange(year, month)[1]


def month_interval(year: int, month: int) -> Interval:
    return dt.date(year, month, 1), dt.date(year, month, last_day(year, month))


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def add_years_to_day(day: dt.date, n: int) -> dt.date:
    """The same day `n` years away; 29 February becomes 28 February in a common year."""
    year = day.year + n
    return dt.date(year, day.month, min(day.day, last_day(year, day.month)))


def add_months_to_day(day: dt.date, n: int) -> dt.date:
    year, month = add_months(day.year, day.month, n)
    return dt.date(year, month, min(day.day, last_day(year, month)))


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_interval(year: int, quarter: int) -> Interval:
    first = 3 * (quarter - 1) + 1
    return dt.date(year, first, 1), dt.date(year, first + 2, last_day(year, first + 2))


def add_quarters(year: int, quarter: int, n: int) -> tuple[int, int]:
    index = year * 4 + (quarter - 1) + n
    return index // 4, index % 4 + 1


def season_interval(year: int, code: str) -> Interval:
    first, last = SEASON_MONTHS[code]
    end_year = year + 1 if last < first else year
    return dt.date(year, first, 1), dt.date(end_year, last, last_day(end_year, last))


def season_of(day: dt.date) -> tuple[int, str]:
    """The season a day falls in, named by the year the season starts in."""
    for code, (first, last) in SEASON_MONTHS.items():
        if first <= last and first <= day.month <= last:
            return day.year, code
    return (day.year, "WI") if day.month == 12 else (day.year - 1, "WI")


def week_value(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def week_interval(year: int, week: int) -> Interval:
    monday = dt.date.fromisocalendar(year, week, 1)
    return monday, monday + dt.timedelta(days=6)


def easter(year: int) -> dt.date:
    """Western (Gregorian) Easter Sunday, by the anonymous Gregorian algorithm."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th `weekday` (1 = Monday) of a month; n = -1 is the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        offset = (weekday - first.isoweekday()) % 7
        return first + dt.timedelta(days=offset + 7 * (n - 1))
    last = dt.date(year, month, last_day(year, month))
    return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)


def us_election_day(year: int) -> dt.date:
    """The Tuesday after the first Monday in November."""
    return nth_weekday(year, 11, 1, 1) + dt.timedelta(days=1)


def interval_of(value: str) -> Interval | None:
    """First and last day of the calendar interval a TIMEX3 value denotes; None if it denotes none.

    Underspecified values (`XXXX-05-09`), durations (`P2Y`), sets and vague references have no
    interval. A time of day (`2020-01-08T10:30`) gives its day.
    """
    try:
        if m := _DAY.match(value):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if m := _MONTH.match(value):
            return month_interval(int(m[1]), int(m[2]))
        if m := _YEAR.match(value):
            year = int(m[1])
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if m := _QUARTER.match(value):
            return quarter_interval(int(m[1]), int(m[2]))
        if m := _HALF.match(value):
            year, half = int(m[1]), int(m[2])
            return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if half == 1 else (dt.date(year, 7, 1), dt.date(year, 12, 31))
        if m := _SEASON.match(value):
            return season_interval(int(m[1]), m[2])
        if m := _WEEK.match(value):
            monday, sunday = week_interval(int(m[1]), int(m[2]))
            return (sunday - dt.timedelta(days=1), sunday) if m[3] else (monday, sunday)
        if m := _DECADE.match(value):
            first = int(m[1]) * 10
            return dt.date(max(first, 1), 1, 1), dt.date(first + 9, 12, 31)
        if m := _CENTURY.match(value):
            first = int(m[1]) * 100
            return dt.date(max(first, 1), 1, 1), dt.date(first + 99, 12, 31)
        if m := _MILLENNIUM.match(value):
            first = int(m[1]) * 1000
            return dt.date(max(first, 1), 1, 1), dt.date(first + 999, 12, 31)
    except ValueError:  # a value naming a day that does not exist (2019-02-30)
        return None
    return None


def apply_mod(interval: Interval | None, granularity: str, mod: str | None) -> Interval | None:
    """Narrow an interval for START/MID/END (see the module docstring); open mods give none."""
    if interval is None or mod is None:
        return interval
    if mod in _OPEN_MODS:
        return None
    if mod not in ("START", "MID", "END"):
        return interval
    part = ("START", "MID", "END").index(mod)
    start, end = interval
    if granularity in ("year", "half", "quarter", "season"):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        size = months // 3
        first_y, first_m = add_months(start.year, start.month, part * size)
        last_y, last_m = add_months(start.year, start.month, (part + 1) * size - 1)
        return dt.date(first_y, first_m, 1), dt.date(last_y, last_m, last_day(last_y, last_m))
    if granularity == "month":
        bounds = ((1, 10), (11, 20), (21, end.day))[part]
        return start.replace(day=bounds[0]), start.replace(day=bounds[1])
    if granularity in ("decade", "century", "millennium"):
        span = end.year - start.year + 1
        cuts = (0, round(span * 0.4), round(span * 0.7), span)
        return dt.date(start.year + cuts[part], 1, 1), dt.date(start.year + cuts[part + 1] - 1, 12, 31)
    return interval
