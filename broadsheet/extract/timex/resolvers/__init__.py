"""One resolver per grammar rule, grouped by family of expression.

Each reads its rule's parts and the text around the match and returns a `Resolution`, or None to
reject the match ("May" the verb, "1990" the count of people).
"""

from __future__ import annotations

from collections.abc import Callable

from broadsheet.extract.timex.context import Ctx, Resolution
from broadsheet.extract.timex.resolvers.calendar_dates import resolve_date, resolve_iso, resolve_month_year, resolve_slash
from broadsheet.extract.timex.resolvers.clock import resolve_podmod, resolve_thepod, resolve_time
from broadsheet.extract.timex.resolvers.days import resolve_relday, resolve_weekday
from broadsheet.extract.timex.resolvers.durations import resolve_duration
from broadsheet.extract.timex.resolvers.eras import resolve_century, resolve_decade, resolve_season
from broadsheet.extract.timex.resolvers.holidays import resolve_holiday
from broadsheet.extract.timex.resolvers.offsets import resolve_ago
from broadsheet.extract.timex.resolvers.quarters import resolve_quarter
from broadsheet.extract.timex.resolvers.sets import resolve_set, resolve_vague
from broadsheet.extract.timex.resolvers.units import resolve_periodend, resolve_relunit, resolve_theunit
from broadsheet.extract.timex.resolvers.years import resolve_month, resolve_year

Resolver = Callable[[Ctx], Resolution | None]

# By the grammar's rule name (`grammar._rules`).
HANDLERS: dict[str, Resolver] = {
    "iso": resolve_iso,
    "slash": resolve_slash,
    "time": resolve_time,
    "date": resolve_date,
    "month_year": resolve_month_year,
    "holiday": resolve_holiday,
    "quarter": resolve_quarter,
    "decade": resolve_decade,
    "century": resolve_century,
    "season": resolve_season,
    "podmod": resolve_podmod,
    "thepod": resolve_thepod,
    "relday": resolve_relday,
    "weekday": resolve_weekday,
    "ago": resolve_ago,
    "relunit": resolve_relunit,
    "periodend": resolve_periodend,
    "theunit": resolve_theunit,
    "set": resolve_set,
    "duration": resolve_duration,
    "year": resolve_year,
    "month": resolve_month,
    "vague": resolve_vague,
}
