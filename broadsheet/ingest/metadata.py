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
import unicodedata
from collections.abc import Iterable

from broadsheet import calendar
from broadsheet.ingest.decode import scrub_surrogates

__all__ = ["clean_metadata_string", "dedupe_authors", "parse_published_date"]


def parse_published_date(raw: str | None) -> datetime.date | None:
    """The calendar day a metadata date string names, or None when it names no single real day."""
    if raw is None:
        return None
    return calendar.parse_date(raw, whole=True)


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
