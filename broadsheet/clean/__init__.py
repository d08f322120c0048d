"""The clean stage's library: remove scraping debris from an article's text, keep every sentence
of the article, and turn bylines, date lines and source lines into metadata.

What to cut lives in `rules.yaml` (reviewable data, one rule per kind of debris, each saying why);
`rules.py` loads and checks it, `cleaner.py` applies it, and `dates.py` reads the dates that
bylines and datelines write. See `cleaner` for the order rules run in and how clean offsets map
back to the input.
"""

from broadsheet.clean.cleaner import CleanResult, Segment, clean_text
from broadsheet.clean.dates import parse_date
from broadsheet.clean.rules import DEFAULT_RULES_PATH, Rule, Rules, RulesError, load_rules

__all__ = [
    "DEFAULT_RULES_PATH",
    "CleanResult",
    "Rule",
    "Rules",
    "RulesError",
    "Segment",
    "clean_text",
    "load_rules",
    "parse_date",
]
