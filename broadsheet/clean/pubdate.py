"""A document's publication date as an interval: stated where the source states it, inferred only from evidence that dates the writing.

Where the metadata, a byline or a dateline states the day, the interval is that day. Where none
does, the text is asked, and only for evidence about when it was *written*, never for the dates it
merely talks about (an article about the 1990s written in 2024 mentions 1990s dates; a report on
a budget mentions the years it plans for):

1. writing dates, a full calendar day that the text itself presents as its date: "Published
   March 3, 2024", "Posted on 3 March 2024" (that day); "Updated March 3, 2024" (written on or
   before it); a line near the top holding only a full date (that day); "Today, March 3, 2024"
   (that day);
2. a lower bound, the latest day, month or year that a sentence in the past tense places an
   event "in", "on", "of", "since", "after", "during" or "at", in a sentence with no word about the future, a plan, a condition or
   a span ("in 2003 the plant was closed": written in 2003 or later). It bounds the day from
   below only: the interval is open at its end and `published_date` stays empty.

Both read English cues and the English date grammar (`broadsheet.extract.dates`), so they are asked
only of English text (or text too short to tell); elsewhere the answer is unknown. Unknown is also the answer when no rule
fires: a wrong date is worse than none, since relative dates ("on Tuesday") are resolved against
it. `broadsheet evaluate pubdate --corpora PATH` measures these rules with the stated dates
removed (real news pages and TempEval-3 newswire).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from broadsheet.clean import CleanResult
from broadsheet.extract.dates import TemporalExpression, find_temporal_expressions, plausible_publication_date
from broadsheet.language import detect_language
from broadsheet.text import sentence_spans

# How far each place that states a publication date is trusted. Metadata is what the publisher
# declared; a byline/date line is nearly as good but may be a scrape or update date; a dateline in
# the prose is written by the newsroom but parsed from free text.
DATE_CONFIDENCE = {"metadata": 1.0, "byline": 0.9, "text": 0.8}
# Inferred dates: a day the text gives as its own date ("Published March 3, 2024") is trusted
# enough to anchor relative dates (the extract stage's threshold is 0.5); an "updated" day bounds
# the writing from above only, and a lower bound from a past event says least of all.
INFERRED_CONFIDENCE = {"writing_day": 0.6, "updated": 0.3, "lower_bound": 0.1}

# "Published", "Posted", "First published", "Updated", "Last modified", then at most a few words
# (": on", "at 10:31 on") before the date.
_WRITING_CUE = re.compile(
    r"\b(?:(?:first\s+)?published|posted|(?:last\s+)?(?:updated|modified|edited|revised))\b[^.\n]{0,20}$",
    re.I,
)
_UPDATE_CUE = re.compile(r"\b(?:updated|modified|edited|revised)\b", re.I)
_TODAY = re.compile(r"\b(?:today|this\s+morning|this\s+evening)\b\W{0,3}$", re.I)
# A line that holds a date and at most a weekday, a time and punctuation, among the first lines.
_DATE_LINE_SPAN = 3
_PUNCT = r"[\s,.|:()\-–—]*"
_DATE_LINE_REST = re.compile(
    rf"^{_PUNCT}(?:[A-Za-z]+day)?{_PUNCT}(?:\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?)?{_PUNCT}(?:[A-Z]{{2,5}})?\s*$"
)
# A sentence with one of these says nothing safe about when it was written: the future, plans,
# conditions, expectations, periods running up to or from a date ("by 2030", "from ... to"), fiscal
# or budget years. "by" alone is a passive ("was closed by police") and says nothing of the future.
_NOT_A_PAST_EVENT = re.compile(
    r"\b(?:will|would|shall|could|might|may|should|must|can|next|upcoming|coming|due|scheduled|expected|expects?|"
    r"plans?|planned|aims?|target|forecasts?|projected|until|by\s+(?:the\s+end|early|mid|late|\d{4})|from|through|"
    r"to|ahead|before|begins?|starts?|"
    r"deadline|later|tomorrow|going|set|if|beyond|end|season|fiscal|year-end|budget|goal|vision|outlook)\b|'ll",
    re.I,
)
# ... and it must read as a report of something past.
_PAST = re.compile(r"\b(?:was|were|had|did|said|told|ago|last|earlier)\b|\b\w{3,}ed\b", re.I)
_PREPOSITION_REACH = 16  # characters before a date searched for its preposition ("during early ")
_EVENT_PREPOSITION = re.compile(r"\b(?:in|on|of|since|after|during|at)\s+(?:early\s+|mid-?|late\s+)?$", re.I)
_BOUND_GRANULARITIES = ("day", "month", "year")
# English, or too short to tell (every rule needs its English cue words to fire anyway).
_ENGLISH = ("en", "und")


@dataclass(frozen=True)
class PublicationDate:
    """The day published (when one day is known), the interval it lies in, where it comes from, how sure."""

    date: dt.date | None
    earliest: dt.date | None
    latest: dt.date | None
    source: str  # metadata | byline | text | inferred | unknown
    confidence: float

    @classmethod
    def stated(cls, day: dt.date, source: str) -> PublicationDate:
        return cls(day, day, day, source, DATE_CONFIDENCE[source])


UNKNOWN = PublicationDate(None, None, None, "unknown", 0.0)


def resolve_published_date(record: Mapping[str, Any], cleaned: CleanResult) -> PublicationDate:
    """The publication date: stated by the metadata, else by a byline or dateline, else inferred.

    A stated date outside PUBLICATION_DATES is not believed, wherever it is stated: the next
    place is asked instead (its raw form stays in `published_date_raw`).
    """
    if plausible_publication_date(record.get("published_date")):
        return PublicationDate.stated(record["published_date"], "metadata")
    if plausible_publication_date(cleaned.published_date) and cleaned.published_date_source in DATE_CONFIDENCE:
        return PublicationDate.stated(cleaned.published_date, cleaned.published_date_source)
    return infer_publication_date(cleaned.text)


def infer_publication_date(text: str) -> PublicationDate:
    """The interval the text was written in, from its own evidence (see the module docstring), or UNKNOWN."""
    if detect_language(text) not in _ENGLISH:
        return UNKNOWN
    timexes = [t for t in find_temporal_expressions(text, anchor=None) if _absolute_date(t)]
    writing = _writing_date(text, timexes)
    if writing is not None and writing.date is not None:
        return writing
    lower = _lower_bound(text, timexes)
    if writing is not None:  # an update day: written on or before it, on or after the lower bound
        if lower is not None and lower > writing.latest:
            return UNKNOWN  # the evidence disagrees
        return PublicationDate(None, lower, writing.latest, "inferred", writing.confidence)
    if lower is not None:
        return PublicationDate(None, lower, None, "inferred", INFERRED_CONFIDENCE["lower_bound"])
    return UNKNOWN


def _absolute_date(t: TemporalExpression) -> bool:
    return (
        not t.is_relative
        and t.timex_type == "DATE"
        and t.granularity in _BOUND_GRANULARITIES
        and plausible_publication_date(t.interval_start)
    )


def _writing_date(text: str, timexes: list[TemporalExpression]) -> PublicationDate | None:
    """The first full day the text gives as its own date (rule 1), or None."""
    first_lines_end = _end_of_line(text, _DATE_LINE_SPAN)
    for t in timexes:
        if t.granularity != "day":
            continue
        day = t.interval_start
        line_start = text.rfind("\n", 0, t.start) + 1
        before = text[line_start : t.start]
        if _WRITING_CUE.search(before):
            if _UPDATE_CUE.search(before):
                return PublicationDate(None, None, day, "inferred", INFERRED_CONFIDENCE["updated"])
            return _writing_day(day)
        if _TODAY.search(before):
            return _writing_day(day)
        line_end = text.find("\n", t.end)
        line_end = len(text) if line_end < 0 else line_end
        if t.start < first_lines_end and _DATE_LINE_REST.match(before) and _DATE_LINE_REST.match(text[t.end : line_end]):
            return _writing_day(day)
    return None


def _writing_day(day: dt.date) -> PublicationDate:
    return PublicationDate(day, day, day, "inferred", INFERRED_CONFIDENCE["writing_day"])


def _end_of_line(text: str, lines: int) -> int:
    """The offset where the first `lines` non-empty lines end."""
    for seen, m in enumerate(re.finditer(r"[^\n]*\S[^\n]*", text), start=1):
        if seen == lines:
            return m.end()
    return len(text)


def _lower_bound(text: str, timexes: list[TemporalExpression]) -> dt.date | None:
    """The start of the latest day, month or year a past-tense sentence places an event in (rule 2)."""
    best: dt.date | None = None
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if _NOT_A_PAST_EVENT.search(sentence) or not _PAST.search(sentence):
            continue
        for t in timexes:
            in_sentence = start <= t.start < end
            if (
                in_sentence
                and _EVENT_PREPOSITION.search(text, max(start, t.start - _PREPOSITION_REACH), t.start)
                and (best is None or t.interval_start > best)
            ):
                best = t.interval_start
    return best
