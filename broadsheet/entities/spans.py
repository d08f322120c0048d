"""Span and type repairs the tagger's output needs before its mentions are made consistent.

Each rule is a general pattern of English names, counted on the annotated training corpora
(CoNLL-2003 train, UNER EWT train, wikigold, GUM non-news) and checked on every dev set:

* **A name does not end in a connector.** "Bank of" + "England" is one name cut at "of"
  (the tagger's window is a word or two): a mention that ends in "of", "and", "for", "the" or
  "de" and is followed at once by another mention becomes one mention with the first one's
  type ("Bank of England", "University of California and the Pacific"); a mention ending in one
  with no name after it loses the connector.
* **A sentence does not start a name with a preposition.** "Near Kabul", "In Lima": a
  capitalised preposition at the start of a mention is left out of it.
* **A country's name followed by more words is not that country.** "Kenya Airways",
  "Japan Times", "Peru Football Federation": in the training corpora, names of two or more words
  that start with a country and are not themselves a known place are organizations 140 times,
  events 45, places 22 and anything else 6; the tagger reads such names as the country. A
  mention typed GPE that starts with a country and is no known place is an event when the
  event words say so ("U.S. Open"), a place when the place words do ("Taiwan Strait"), else an
  organization. A name ending in "City" ("Panama City") stays a place.
"""

from __future__ import annotations

from collections.abc import Sequence

from broadsheet.entities.gazetteer import country_code, place_country_code
from broadsheet.entities.labels import is_event, place_kind

Scored = dict[tuple[int, int, str], float]

# Words that join the parts of one name and cannot end one.
CONNECTORS = frozenset({"of", "and", "for", "the", "de", "&"})
# A last word that makes a country's name a city's ("Panama City", "Kuwait City").
CITY_WORDS = frozenset({"city", "town"})
# Prepositions that start a sentence, and so are capitalised, but never start a name.
PREPOSITIONS = frozenset(
    {"near", "in", "at", "on", "from", "after", "before", "during", "outside", "inside", "across", "throughout", "since", "until"}
)


def repair_spans(words: Sequence[str], scored: Scored) -> Scored:
    """The mentions with the rules of this module applied (see the module docstring)."""
    if not scored:
        return scored
    out = _join_across_connectors(words, scored)
    out = _drop_leading_prepositions(words, out)
    return {(s, e, _country_led_type(words[s:e], label)): conf for (s, e, label), conf in out.items()}


def _is_space(word: str) -> bool:
    return not word.strip()


def _join_across_connectors(words: Sequence[str], scored: Scored) -> Scored:
    items = sorted(scored.items())
    out: Scored = {}
    k = 0
    while k < len(items):
        (s, e, label), conf = items[k]
        if e - s > 1 and words[e - 1] in CONNECTORS:
            nxt = items[k + 1] if k + 1 < len(items) else None
            if nxt is not None and nxt[0][0] == e:
                (_, e2, _), conf2 = nxt
                out[(s, e2, label)] = min(conf, conf2)
                k += 2
                continue
            while e - s > 1 and words[e - 1] in CONNECTORS:
                e -= 1
        out[(s, e, label)] = conf
        k += 1
    return out


def _drop_leading_prepositions(words: Sequence[str], scored: Scored) -> Scored:
    out: Scored = {}
    for (s, e, label), conf in scored.items():
        at_start = s == 0 or _is_space(words[s - 1]) or words[s - 1] in {".", "!", "?", '"', "“"}
        if at_start and e - s > 1 and words[s][:1].isupper() and words[s].lower() in PREPOSITIONS:
            s += 1
        out[(s, e, label)] = conf
    return out


def _country_led_type(name: Sequence[str], label: str) -> str:
    if label != "GPE" or len(name) < 2 or place_country_code(list(name)) is not None:
        return label
    if name[-1].lower() in CITY_WORDS:
        return label  # "Panama City", "Kuwait City": a city named after its country
    if not any(country_code(list(name[:k])) for k in range(1, len(name))):
        return label
    if is_event(list(name)):
        return "EVENT"
    if place_kind(list(name)) == "LOC":
        return "LOC"
    return "ORG"
