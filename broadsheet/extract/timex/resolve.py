"""What a grammar match means: whether it is a temporal expression, and its TIMEX3 normalization.

One resolver per grammar rule (`resolvers`, by family of expression) reads the rule's parts and
the text around the match and returns a `Resolution` (type, value, mod, granularity, whether the
anchor was used), or None to reject the match ("May" the verb, "1990" the count of people).
Relative expressions resolve against the anchor (the article's date) the way news is written: a
date without a year, a weekday or a quarter is read in the past of the article unless its clause
speaks of the future (`tense`). Anaphoric ones ("a year earlier", "the following day", "the
year-ago quarter") resolve against the last date the text itself mentioned, held in `Discourse`.
Without an anchor a deictic expression keeps an underspecified value (`XXXX-05-09`,
`XXXX-WXX-3`) and no interval: never a silent guess.

This module is where the scan (`broadsheet.extract.dates`) finds them all; the pieces live in
`context` (what a resolver is given and returns), `values` (TIMEX3 arithmetic), `tense`, `cues`
and `resolvers`.
"""

from __future__ import annotations

from broadsheet.extract.timex.context import _UNSET, Ctx, Discourse, Interval, Resolution
from broadsheet.extract.timex.cues import after_a_name, mod_of
from broadsheet.extract.timex.resolvers import HANDLERS, Resolver
from broadsheet.extract.timex.resolvers.calendar_dates import resolve_date as h_date
from broadsheet.extract.timex.resolvers.calendar_dates import resolve_iso as h_iso
from broadsheet.extract.timex.resolvers.calendar_dates import resolve_month_year as h_month_year
from broadsheet.extract.timex.resolvers.calendar_dates import resolve_slash as h_slash
from broadsheet.extract.timex.resolvers.clock import resolve_podmod as h_podmod
from broadsheet.extract.timex.resolvers.clock import resolve_thepod as h_thepod
from broadsheet.extract.timex.resolvers.clock import resolve_time as h_time
from broadsheet.extract.timex.resolvers.days import resolve_relday as h_relday
from broadsheet.extract.timex.resolvers.days import resolve_weekday as h_weekday
from broadsheet.extract.timex.resolvers.durations import resolve_duration as h_duration
from broadsheet.extract.timex.resolvers.eras import resolve_century as h_century
from broadsheet.extract.timex.resolvers.eras import resolve_decade as h_decade
from broadsheet.extract.timex.resolvers.eras import resolve_season as h_season
from broadsheet.extract.timex.resolvers.holidays import resolve_holiday as h_holiday
from broadsheet.extract.timex.resolvers.offsets import resolve_ago as h_ago
from broadsheet.extract.timex.resolvers.quarters import resolve_quarter as h_quarter
from broadsheet.extract.timex.resolvers.sets import resolve_set as h_set
from broadsheet.extract.timex.resolvers.sets import resolve_vague as h_vague
from broadsheet.extract.timex.resolvers.units import resolve_periodend as h_periodend
from broadsheet.extract.timex.resolvers.units import resolve_relunit as h_relunit
from broadsheet.extract.timex.resolvers.units import resolve_theunit as h_theunit
from broadsheet.extract.timex.resolvers.years import resolve_month as h_month
from broadsheet.extract.timex.resolvers.years import resolve_year as h_year
from broadsheet.extract.timex.values import (
    choose_year,
    day_value,
    duration_value,
    parse_number,
    render,
    shift_day,
    shift_value,
    two_digit_year,
)

# The names this module has always offered (the resolvers under their old `h_` names too).
__all__ = [
    "HANDLERS", "Ctx", "Discourse", "Interval", "Resolution", "Resolver", "_UNSET", "after_a_name", "choose_year",
    "day_value", "duration_value", "h_ago", "h_century", "h_date", "h_decade", "h_duration", "h_holiday", "h_iso",
    "h_month", "h_month_year", "h_periodend", "h_podmod", "h_quarter", "h_relday", "h_relunit", "h_season", "h_set",
    "h_slash", "h_theunit", "h_thepod", "h_time", "h_vague", "h_weekday", "h_year", "mod_of", "parse_number", "render",
    "shift_day", "shift_value", "two_digit_year",
]  # fmt: skip
