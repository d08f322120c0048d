"""What every resolver is given and gives back: the match in its text (`Ctx`), the dates the text
has mentioned so far (`Discourse`), and the reading of one match (`Resolution`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from broadsheet.extract.timex.lexicon import Lexicon
from broadsheet.extract.timex.tense import WORD, clause_tense, sentence_around

Interval = tuple[dt.date, dt.date]
_UNSET = object()


@dataclass(frozen=True)
class Resolution:
    timex_type: str
    value: str
    granularity: str
    mod: str | None = None
    is_relative: bool = False
    anchored: bool = False
    # The interval when the value alone does not say it ("earlier this year" runs from
    # January to the anchor); by default it is derived from value, granularity and mod.
    interval: object = _UNSET
    start: int | None = None  # extent, when it is not the whole match
    end: int | None = None
    # Where the scan goes on when the match holds a second expression: the end of a range
    # ("18 months" of "between 12 and 18 months") is read as an expression of its own.
    resume: int | None = None
    # Whether later anaphoric expressions may resolve against this one. Those that were
    # themselves resolved against the text ("a year earlier") may not: a comparison does not
    # move the time the text is about, and chains of them would drift.
    reference: bool = True
    # A stretch of the year that results are reported for without being a quarter or a half
    # ("for the nine months", "in the first six months"): comparisons after it are with the year.
    reports_span: bool = False


@dataclass
class Discourse:
    """The dates the text has mentioned so far, for anaphoric expressions."""

    day: dt.date | None = None
    day_at: int | None = None  # where the expression that named `day` ends
    period: tuple[str, str] | None = None  # last quarter or half: (value, granularity)
    point: tuple[str, str] | None = None  # last date with an interval: (value, granularity)
    # Whether the last reporting period the text named was a run of months ("for the nine
    # months") rather than a quarter or a half: "a year earlier" then compares whole stretches
    # of two years, and TimeBank writes its value as the earlier year ("1988"), not a quarter.
    span: bool = False
    # The last day the text wrote out with its year ("Oct. 3, 1990") and where it ends:
    # a yearless date in the same sentence is read in the time of that one (see
    # `cues.narrative_day`).
    written: tuple[dt.date, int] | None = None
    # The day each quotation the text quotes from a dated document was written, by where the
    # quotation opens (see `cues.quoted_document_day`).
    quoted: dict[int, dt.date | None] = field(default_factory=dict)

    def note(self, res: Resolution, interval: Interval | None, anchor: dt.date | None, at: int | None = None) -> None:
        if at is not None and res.timex_type == "DATE" and res.granularity == "day" and not res.is_relative and interval:
            self.written = (interval[0], at)
        if res.reports_span:
            self.span = True
            return
        if res.timex_type == "DATE" and res.granularity in ("quarter", "half"):
            self.span = False  # any quarter named, even "the year-ago quarter", is back to quarters
        if res.timex_type not in ("DATE", "TIME") or interval is None or not res.reference:
            return
        self.point = (res.value, res.granularity)
        if res.granularity in ("day", "time"):
            self.day = interval[0]
            self.day_at = at
        # Only a period that has ended can be the one results are reported for: "expects a
        # profit in the fourth quarter" does not make the fourth the quarter "a year ago" refers to.
        if res.granularity in ("quarter", "half") and (anchor is None or interval[1] < anchor):
            self.period = (res.value, res.granularity)
            self.span = False

    def span_year(self, anchor: dt.date | None) -> int | None:
        """The year of the run of months being reported on, when that is what the text reports."""
        if not self.span:
            return None
        if self.period is not None:
            return int(self.period[0][:4])
        return anchor.year if anchor else None


@dataclass
class Ctx:
    text: str
    start: int
    end: int
    anchor: dt.date | None
    lex: Lexicon
    state: Discourse
    parts: dict[str, str]
    _tense: object = field(default=_UNSET, repr=False)

    def get(self, name: str) -> str | None:
        return self.parts.get(name)

    def sentence(self) -> tuple[int, int]:
        """The sentence around the match: up to the nearest sentence end or line break."""
        return sentence_around(self.text, self.start, self.end)

    def tense(self) -> str | None:
        """ "past", "future", or None when the clause around the match does not say (see `tense`)."""
        if self._tense is _UNSET:
            self._tense = clause_tense(self.text, self.start, self.end, self.lex)
        return self._tense  # type: ignore[return-value]

    def future(self) -> bool:
        return self.tense() == "future"

    def prev_words(self, n: int = 1) -> list[str]:
        words = WORD.findall(self.text[max(0, self.start - 60) : self.start])
        return [w.lower() for w in words[-n:]]

    def before(self, n: int = 40) -> str:
        return self.text[max(0, self.start - n) : self.start]

    def after(self, n: int = 40) -> str:
        return self.text[self.end : self.end + n]
