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

from broadsheet.extract.timex.context import _UNSET, Ctx, Discourse, Resolution
from broadsheet.extract.timex.resolvers import HANDLERS

# What the scan needs to resolve a match; the resolvers themselves are in `resolvers`.
__all__ = ["HANDLERS", "Ctx", "Discourse", "Resolution", "_UNSET"]
