"""The vocabulary of the temporal grammar, read once from `broadsheet/extract/timex_lexicon.yaml`.

This module only loads and indexes the word lists (lower-cased lookups, longest-first regular
expression alternations); what the words mean in context is decided in `grammar` and `resolvers`.
Month and weekday words are not in the file: they are `broadsheet.calendar`'s, so that a
spelling the date readers accept is added in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from broadsheet import calendar, yamlfile

LEXICON_PATH = Path(__file__).resolve().parent.parent / "timex_lexicon.yaml"


def alternation(phrases: Iterable[str]) -> str:
    """A regex matching any of the literal phrases, any run of spaces between words.

    Built as a trie ("earl(?:ier|y)") rather than a flat list: Python's regex engine tries the
    branches of an alternation one by one, so a flat list of a hundred phrases costs a hundred
    failed tests at every position of the text, a trie one or two. Longer continuations are
    tried first, as Python takes the first branch that matches, not the longest: "the near
    future" wins over "the near".
    """
    trie: dict = {}
    for phrase in set(phrases):
        node = trie
        for ch in " ".join(phrase.split()):
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    branches = []
    for ch in sorted(k for k in node if k):
        atom = r"\s+" if ch == " " else re.escape(ch)
        branches.append(atom + _trie_regex(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:  # a phrase may end here: the longer ones are optional
        return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else "(?:" + body + ")?"
    return body


def capitalised(names: Iterable[str]) -> str:
    """Alternation matching names only as Title or UPPER case, inside a case-insensitive regex."""
    forms = {form for name in names for form in (name, name.upper())}
    return "(?-i:" + alternation(forms) + ")"


def phrase_key(text: str) -> str:
    """How a matched phrase is looked up: lower case, single spaces, curly apostrophes straight."""
    return " ".join(text.lower().replace("’", "'").split())


@dataclass(frozen=True)
class Unit:
    name: str
    code: str  # the TIMEX3 duration designator: Y, M, W, D, H, S, DE, CE, ML, Q
    granularity: str
    is_time: bool = False
    multiplier: int = 1


@dataclass(frozen=True)
class Lexicon:
    months: Mapping[str, int]  # every written form, lower-cased, without its full stop
    month_full_names: tuple[str, ...]
    month_abbreviations: tuple[str, ...]
    weekdays: Mapping[str, int]
    weekday_names: tuple[str, ...]
    numbers: Mapping[str, int]
    vague_quantities: tuple[str, ...]
    ordinals: Mapping[str, int]
    units: Mapping[str, Unit]  # singular and irregular plural forms
    unit_qualifiers: tuple[str, ...]
    seasons: Mapping[str, str]
    parts_of_day: Mapping[str, str]
    named_times: Mapping[str, str]
    time_zones: tuple[str, ...]
    frequency_adverbs: Mapping[str, str]
    point_modifiers: Mapping[str, str]  # phrase -> mod
    quantity_modifiers: Mapping[str, str]
    vague_references: Mapping[str, str]  # phrase -> PRESENT_REF | PAST_REF | FUTURE_REF
    holidays: Mapping[str, Mapping[str, Any]]
    count_nouns: frozenset[str]
    non_year_prefixes: tuple[str, ...]
    future_cues: tuple[str, ...]
    scheduled_verbs: frozenset[str]  # present-tense verbs that point a following date ahead
    month_cues: frozenset[str]
    holiday_things: frozenset[str]  # nouns a holiday's name only describes ("Christmas trees")
    function_words: frozenset[str]  # words no period's end describes ("by year-end, the ...")
    extent_excluded_modifiers: frozenset[str]

    def unit(self, word: str) -> Unit:
        """The unit a written unit word names ("years", "centuries", "Day")."""
        key = word.lower()
        if key in self.units:
            return self.units[key]
        if key.endswith("s") and key[:-1] in self.units:
            return self.units[key[:-1]]
        raise KeyError(word)


def _invert(groups: Mapping[str, Iterable[str]]) -> dict[str, str]:
    return {phrase_key(p): key for key, phrases in groups.items() for p in phrases}


@lru_cache(maxsize=1)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    raw = yamlfile.load(path.read_text(encoding="utf-8"))
    # The grammar matches month and weekday names only Capitalized or in CAPITALS: lower-case
    # "may", "march" and "august" are a verb, a noun and an adjective far more often than a month.
    months: dict[str, int] = {}
    full, abbr = [], []
    for number, names in calendar.MONTHS.items():
        full.append(names[0].capitalize())
        abbr.extend(name.capitalize() for name in names[1:])
        for name in names:
            months[name] = number
    # A weekday abbreviation is read only with its full stop, so "Sun" and "Wed" as words are
    # never days; the names carry it so that the grammar needs no rule of its own.
    weekdays: dict[str, int] = {}
    weekday_names = []
    for number, names in calendar.WEEKDAYS.items():
        weekday_names.append(names[0].capitalize())
        weekday_names.extend(name.capitalize() + "." for name in names[1:])
        for name in names:
            weekdays[name] = number
    units: dict[str, Unit] = {}
    for name, spec in raw["units"].items():
        units[name] = Unit(name, spec["code"], spec["granularity"], bool(spec.get("time")), int(spec.get("multiplier", 1)))
    for plural, singular in raw["unit_plurals"].items():
        units[plural] = units[singular]
    return Lexicon(
        months=months,
        month_full_names=tuple(full),
        month_abbreviations=tuple(abbr),
        weekdays=weekdays,
        weekday_names=tuple(weekday_names),
        numbers={k: int(v) for k, v in raw["numbers"].items()},
        vague_quantities=tuple(raw["vague_quantities"]),
        ordinals={k: int(v) for k, v in raw["ordinals"].items()},
        units=units,
        unit_qualifiers=tuple(raw["unit_qualifiers"]),
        seasons=dict(raw["seasons"]),
        parts_of_day=dict(raw["parts_of_day"]),
        named_times={k: str(v) for k, v in raw["named_times"].items()},
        time_zones=tuple(raw["time_zones"]),
        frequency_adverbs=dict(raw["frequency_adverbs"]),
        point_modifiers=_invert(raw["point_modifiers"]),
        quantity_modifiers=_invert(raw["quantity_modifiers"]),
        vague_references=_invert(raw["vague_references"]),
        holidays={phrase_key(k): v for k, v in raw["holidays"].items()},
        count_nouns=frozenset(w.lower() for w in raw["count_nouns"]),
        non_year_prefixes=tuple(raw["non_year_prefixes"]),
        future_cues=tuple(raw["future_cues"]),
        scheduled_verbs=frozenset(phrase_key(w) for w in raw["scheduled_verbs"]),
        month_cues=frozenset(phrase_key(w) for w in raw["month_cues"]),
        holiday_things=frozenset(w.lower() for w in raw["holiday_things"]),
        function_words=frozenset(w.lower() for w in raw["function_words"]),
        extent_excluded_modifiers=frozenset(phrase_key(w) for w in raw["extent_excluded_modifiers"]),
    )


def number_words(lex: Lexicon) -> list[str]:
    """Cardinal words from one to ninety-nine ("twenty-one" and "twenty one")."""
    small = [w for w, n in lex.numbers.items() if n < 20]
    tens = [w for w, n in lex.numbers.items() if 20 <= n < 100 and n % 10 == 0]
    ones = [w for w, n in lex.numbers.items() if 1 <= n <= 9]
    return small + tens + [f"{t}{sep}{o}" for t in tens for o in ones for sep in ("-", " ")]


def unit_words(lex: Lexicon) -> list[str]:
    """Every unit word, singular and plural ("year", "years", "centuries")."""
    return sorted({*lex.units, *(u + "s" for u in lex.units if not u.endswith(("ies", "ia")))})
