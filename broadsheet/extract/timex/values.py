"""TIMEX3 values and the arithmetic on them: rendering a day at a granularity, moving it by units,
written numbers and durations, and which year a yearless date falls in."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from broadsheet.extract.timex import calendar as cal
from broadsheet.extract.timex.lexicon import Lexicon, phrase_key

Interval = tuple[dt.date, dt.date]


def day_value(d: dt.date) -> str:
    return d.isoformat()


def render(d: dt.date, granularity: str) -> str:
    """The TIMEX3 value of the `granularity`-sized interval that contains day `d`."""
    if granularity in ("day", "time"):
        return d.isoformat()
    if granularity == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if granularity == "year":
        return f"{d.year:04d}"
    if granularity == "quarter":
        return f"{d.year:04d}-Q{cal.quarter_of(d)}"
    if granularity == "half":
        return f"{d.year:04d}-H{1 if d.month <= 6 else 2}"
    if granularity == "week":
        return cal.week_value(d)
    if granularity == "season":
        year, code = cal.season_of(d)
        return f"{year:04d}-{code}"
    if granularity == "decade":
        return f"{d.year // 10:03d}"
    if granularity == "century":
        return f"{d.year // 100:02d}"
    if granularity == "millennium":
        return f"{d.year // 1000}"
    raise ValueError(granularity)


def _add_days(d: dt.date, n: int) -> dt.date:
    return d + dt.timedelta(days=n)


# Each calendar unit as a whole number of days, months or years.
_SHIFTS: dict[str, tuple[Callable[[dt.date, int], dt.date], int]] = {
    "day": (_add_days, 1),
    "time": (_add_days, 1),
    "week": (_add_days, 7),
    "weekend": (_add_days, 7),
    "month": (cal.add_months_to_day, 1),
    "quarter": (cal.add_months_to_day, 3),
    "season": (cal.add_months_to_day, 3),
    "half": (cal.add_months_to_day, 6),
    "year": (cal.add_years_to_day, 1),
    "decade": (cal.add_years_to_day, 10),
    "century": (cal.add_years_to_day, 100),
    "millennium": (cal.add_years_to_day, 1000),
}


def shift_day(d: dt.date, unit: str, n: int) -> dt.date:
    """Move a day by n units of a calendar granularity."""
    if unit not in _SHIFTS:
        raise ValueError(unit)
    add, size = _SHIFTS[unit]
    return add(d, size * n)


# Where a value stands when the anchor it needs is missing, by granularity.
UNANCHORED = {
    "year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX", "quarter": "XXXX-QX", "half": "XXXX-HX",
    "decade": "XXX", "century": "XX", "day": "XXXX-XX-XX",
}  # fmt: skip

# From the finest to the coarsest.
GRANULARITY_ORDER = ["time", "day", "week", "month", "season", "quarter", "half", "year", "decade", "century", "millennium"]


def shift_value(value: str, granularity: str, unit: str, n: int) -> str | None:
    """A value moved by n units, kept at its own granularity ("1989-Q3" - 1 year = "1988-Q3").

    None when the unit is finer than the value (a year cannot move by two days).
    """
    interval = cal.interval_of(value)
    if interval is None or granularity not in GRANULARITY_ORDER or unit not in GRANULARITY_ORDER:
        return None
    if GRANULARITY_ORDER.index(unit) < GRANULARITY_ORDER.index(granularity) and not (granularity == "week" and unit == "day"):
        return None
    gran = "day" if granularity == "time" else granularity
    return render(shift_day(interval[0], unit, n), gran)


_FRACTION = re.compile(r"(\d+(?:\.\d+)?)(?:\s+(\d)/(\d))?$")


def parse_number(text: str, lex: Lexicon) -> float | None:
    """A written quantity as a number; None for a vague one ("several", "a few")."""
    t = phrase_key(text).replace(",", "")
    if t in ("a", "an"):
        return 1
    if t.startswith(("a ", "an ")) and t.split()[1] in ("hundred", "thousand", "dozen"):
        return float(lex.numbers[t.split()[1]])
    if m := _FRACTION.match(t):
        value = float(m[1])
        if m[2]:
            value += int(m[2]) / int(m[3])
        return value
    if t in ("a couple", "a couple of", "couple of"):
        return 2  # TimeBank writes "a couple of years" as P2Y
    if t in (phrase_key(v) for v in lex.vague_quantities):
        return None
    total = 0
    current = 0
    for word in re.split(r"[-\s]+", t):
        if word == "and":
            continue
        if word not in lex.numbers:
            return None
        n = lex.numbers[word]
        if n == 100:
            current = max(current, 1) * 100
        elif n == 1000:
            total += max(current, 1) * 1000
            current = 0
        else:
            current += n
    return float(total + current)


_SMALLER = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24)}
_SMALLER_TIME = {"H": ("M", 60), "M": ("S", 60)}


def duration_value(n: float | None, code: str, is_time: bool) -> str:
    """TIMEX3 duration: P2Y, PT5H, P2Y6M for 2.5 years, PXY for a vague number of years."""
    prefix = "PT" if is_time else "P"
    if n is None:
        return f"{prefix}X{code}"
    if code == "DE":
        n, code = n * 10, "Y"
    elif code == "CE":
        n, code = n * 100, "Y"
    elif code == "ML":
        n, code = n * 1000, "Y"
    whole = int(n)
    frac = n - whole
    if frac < 1e-9:
        return f"{prefix}{whole}{code}"
    smaller = _SMALLER_TIME if is_time else _SMALLER
    if code in smaller:
        small, factor = smaller[code]
        sub = round(frac * factor)
        if code == "D" and not is_time:  # days and hours sit either side of the T
            return f"P{whole}DT{sub}H" if whole else f"PT{sub}H"
        return f"{prefix}{whole}{code}{sub}{small}" if whole else f"{prefix}{sub}{small}"
    return f"{prefix}{n:g}{code}"


# How much farther a date may be on the side the sentence does not point to: news narrates the
# past, so a yearless date in a sentence without a future cue is read as past unless the future
# reading is four times closer ("Nov. 15" in an article of Nov. 2 is the coming one).
_OTHER_SIDE_WEIGHT = 4


def choose_year(anchor: dt.date, make: Callable[[int], Interval | None], tense: str | None) -> int | None:
    """The year that puts a yearless date (a month-day, a month, a quarter...) where news puts it.

    Candidates are the anchor's year and the years either side; each costs its distance in days
    from the anchor (none if it contains the anchor), multiplied by _OTHER_SIDE_WEIGHT when it
    lies on the side the clause does not point to: the future, unless the clause speaks of the
    future. A clause plainly in the past ("passed in March") rules the future out. The cheapest
    candidate wins.
    """
    best: tuple[float, int] | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        iv = make(year)
        if iv is None:
            continue
        start, end = iv
        if end < anchor:
            cost = (anchor - end).days * (_OTHER_SIDE_WEIGHT if tense == "future" else 1)
        elif start > anchor:
            if tense == "past":
                continue
            cost = (start - anchor).days * (1 if tense == "future" else _OTHER_SIDE_WEIGHT)
        else:
            cost = 0
        if best is None or cost < best[0]:
            best = (cost, year)
    return best[1] if best else None


def safe_day(year: int, month: int, day: int) -> Interval | None:
    try:
        d = dt.date(year, month, day)
    except ValueError:
        return None
    return d, d


def two_digit_year(yy: int, anchor: dt.date | None) -> int:
    """A two-digit year in the century that puts it at most a year after the anchor.

    Without an anchor, 00-29 are read as 20xx and 30-99 as 19xx (the pivot most software uses).
    """
    if anchor is None:
        return 2000 + yy if yy < 30 else 1900 + yy
    year = anchor.year // 100 * 100 + yy
    return year - 100 if year > anchor.year + 1 else year


def year_from_words(text: str, lex: Lexicon) -> int | None:
    t = phrase_key(text).replace("the year ", "")
    words = re.split(r"[-\s]+", t)
    if words[:2] == ["two", "thousand"]:
        rest = [w for w in words[2:] if w != "and"]
        return 2000 + (int(parse_number(" ".join(rest), lex) or 0) if rest else 0)
    if words[0] == "nineteen":
        rest = words[1:]
        if rest == ["hundred"]:
            return 1900
        n = parse_number(" ".join(rest), lex)
        return None if n is None else 1900 + int(n)
    return None
