"""Finding, inside one article, the full name a short form stands for (rule 5 of
:mod:`broadsheet.entities.canonical`): the nearest fitting mention before it, else the first after.

Each question is answered once per distinct name, never once per pair of mentions, so an article
that names one person or organization thousands of times (a hostile or concatenated input)
costs time in proportion to its mentions.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from broadsheet.entities.gazetteer import countries_of_long_form, place_country_code
from broadsheet.entities.labels import is_norp
from broadsheet.entities.names import ComparedMention, fold, fold_key, is_acronym


def without_place(mentions: Sequence[ComparedMention], idxs: Sequence[int]) -> dict[int, int]:
    """Organizations of one article named without the place in front of their full name there
    ("Senate" for "U.S. Senate", "Red Sox" for "Boston Red Sox", "Foreign Ministry" for "Iranian
    Foreign Ministry"): each such mention → the nearest mention of that full name.

    The place must be one: a country or region the gazetteer knows, a nationality, or a name
    the article itself tags as a place; "House" is not "White House".
    """
    places = {mentions[i].key for i in idxs if mentions[i].label in {"GPE", "LOC"} or mentions[i].country}
    # Looked up by the shorter name and answered once per name, not compared pair by pair: an
    # article naming one organization thousands of times stays linear.
    by_tail: dict[tuple[str, ...], list[tuple[int, int]]] = defaultdict(list)
    for j in idxs:
        if mentions[j].label == "ORG" and len(mentions[j].tokens) > 1:
            full = tuple(fold(t) for t in mentions[j].tokens)
            for n in range(1, len(full)):
                by_tail[full[n:]].append((j, n))
    is_place: dict[tuple[str, ...], bool] = {}
    fits_of: dict[tuple[str, ...], _InOrder] = {}
    out: dict[int, int] = {}
    for i in idxs:
        m = mentions[i]
        if m.label != "ORG" or is_acronym(m.tokens):
            continue
        words = tuple(fold(t) for t in m.tokens)
        fits = fits_of.get(words)
        if fits is None:
            placed = [j for j, n in by_tail.get(words, ()) if _is_place(mentions[j].tokens[:n], places, is_place)]
            fits = fits_of[words] = _in_order(mentions, placed)
        target = nearest(mentions, fits, m)
        if target is not None:
            out[i] = target
    return out


def long_form_countries(mentions: Sequence[ComparedMention], idxs: Sequence[int]) -> dict[int, str]:
    """Mentions of one article that name a country by its official name's head ("the Islamic
    Republic" for Iran, "the Hashemite Kingdom" for Jordan) → that country's code, when the
    article names exactly one country with such an official name."""
    named = {mentions[i].country for i in idxs if mentions[i].country}
    out: dict[int, str] = {}
    for i in idxs:
        m = mentions[i]
        if m.country or m.label in {"PERSON", "NORP", "EVENT", "MISC"} or len(m.tokens) < 2:
            continue
        fits = countries_of_long_form(m.tokens) & named
        if len(fits) == 1:
            out[i] = next(iter(fits))
    return out


def _is_place(words: tuple[str, ...], places: set[str], memo: dict[tuple[str, ...], bool]) -> bool:
    """Whether the words in front of an organization's name are a place (see
    :func:`without_place`)."""
    if words not in memo:
        prefix = [re.sub(r"(?i)['’]s$", "", t) for t in words]
        memo[words] = bool(place_country_code(prefix) or fold_key(prefix) in places or (len(prefix) == 1 and is_norp(prefix[0])))
    return memo[words]


class ByName:
    """One article's mentions of one kind, grouped by their written name, so that a question asked
    of a name ("does it end in this surname?") is answered once per distinct name and short form,
    not once per pair of mentions: an article naming one person thousands of times (a hostile or
    concatenated input) stays linear instead of quadratic."""

    def __init__(self, mentions: Sequence[ComparedMention], idxs: Sequence[int]) -> None:
        self.mentions = mentions
        self.by_tokens: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for i in idxs:  # in reading order
            self.by_tokens[tuple(mentions[i].tokens)].append(i)
        self.memo: dict[tuple[Any, ...], _InOrder] = {}

    def where(self, question: tuple[Any, ...], test) -> _InOrder:
        """The mentions whose name passes ``test``, in reading order; ``question`` names the test."""
        found = self.memo.get(question)
        if found is None:
            found = _in_order(self.mentions, sorted(i for tokens, idxs in self.by_tokens.items() if test(tokens) for i in idxs))
            self.memo[question] = found
        return found


class _InOrder(list):
    """Mention indexes in reading order, with their start offsets for bisection."""

    starts: list[int]


def _in_order(mentions: Sequence[ComparedMention], idxs: Sequence[int]) -> _InOrder:
    """``idxs`` (in reading order already) with their start offsets."""
    found = _InOrder(idxs)
    found.starts = [mentions[i].start for i in found]
    return found


def nearest(mentions: Sequence[ComparedMention], candidates: _InOrder, m: ComparedMention) -> int | None:
    """The candidate mention nearest before ``m`` in its article, else the first after it.

    ``candidates`` are in reading order (by start), so both are found by bisection.
    """
    pos = bisect.bisect_left(candidates.starts, m.start)
    # by position rather than over slices: a slice copies the list, once per mention
    for p in range(pos - 1, -1, -1):
        if mentions[candidates[p]].end <= m.start:
            return candidates[p]
    for p in range(pos, len(candidates)):
        if mentions[candidates[p]].start >= m.end:
            return candidates[p]
    return None
