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
The reading itself is `broadsheet.calendar.parse_date`'s, shared with the ingest stage's
metadata dates.
"""

from __future__ import annotations

import datetime as dt

from broadsheet import calendar


def parse_date(value: str, dotted_numeric: str = "day_first") -> dt.date | None:
    """The calendar day `value` names, or None (no date, no year, an impossible or ambiguous day).

    `dotted_numeric` is the rules file's reading of dotted numeric dates: "day_first" or
    "unambiguous_only".
    """
    return calendar.parse_date(value, dotted_day_first=dotted_numeric == "day_first")
