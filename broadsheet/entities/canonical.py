"""Canonical entities: one id and one name for all mentions of one real-world entity.

:func:`canonicalize` takes every document's mentions and groups them into entities, recording
why differing names were put together. The rules, in the order they apply:

1. **Same name.** Names are compared after dropping titles from people ("Gen.", "Mr",
   "President"; ``names.yaml``), a leading "the", a possessive "'s", full stops and accents, and
   case: "Mr Rassam" and "RASSAM" are one name; "U.S." and "US" are one name.
2. **Countries.** Every name the gazetteer knows as a country (ISO 3166 names plus the news forms
   in ``countries.yaml``: "U.S.", "United States", "America") is that country, whatever type the
   tagger gave the mention. A place the gazetteer lists under several names of one city
   (``cities.yaml``: "Kyiv", "Kiev") is that city.
3. **Spelling variants.** Names with the same number of words whose words differ only by vowels
   inside the word, doubled letters or i/y ("Qasem"/"Qassem", "Soleimani"/"Soleymani",
   "Teheran"/"Tehran", "Barrack"/"Barack"); the first and last letters must agree, so
   "Maria"/"Mario" stay apart.
4. **One name, one type.** A name of two or more words that the tagger typed one way in some
   places and another way in others (in a headline, "Iran buries Qasem Soleimani" can come out
   as an organization) is one entity when one type has at least twice the mentions of the
   other, across the corpus and with its spelling variants; the entity takes that type, each
   mention keeps its own. One-word names are left alone: "Jordan" and "Washington" are often
   both a person and a place.
5. **Short forms in one article.** A person named by surname only ("Putin", "Mr Rassam", "Assad"
   for "Bashar al-Assad", "Abdul Mahdi" for "Adel Abdul Mahdi") is the person with that surname
   named in full nearest before it in the same article (else the first after it); a full name
   without its middle part ("Barack Obama" for "Barack Hussein Obama") likewise; a first name
   that is nobody's surname there ("Jenna") is the one person of the article with that first
   name, if there is one. An all-capitals organization name that spells the initials of an
   organization named in the same article ("IRGC") is that organization, and so is one named
   without the place in front of its full name there ("Senate" for "U.S. Senate").
6. **Short forms across articles.** A surname, acronym or first-and-last name ("Donald Trump" for
   "Donald J. Trump") left unresolved in its own article joins the one entity in the whole corpus
   it fits, and only if there is exactly one: two people who share a surname stay apart, and so
   does a lone surname that could be either.

Ids are ``e_`` + 16 hex digits of SHA-256 over the entity's type and canonical key, so the same
inputs give the same ids on any machine. To keep ids stable when new articles change which
form is canonical, pass the previous release's entities (:func:`id_registry`): an entity that
contains a name an earlier entity had keeps that entity's id.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import yaml

from broadsheet.entities.gazetteer import country_code, country_name, place_country_code, usual_city_name
from broadsheet.entities.labels import is_norp
from broadsheet.ids import stable_id

_NAMES_FILE = Path(__file__).with_name("names.yaml")
_TOKEN = re.compile(r"[^\s]+")
_EDGE_PUNCT = "\"'“”‘’«»()[]{}<>,;:!?"
_VOWELS = set("aeiouy")
# Short words inside organization names that initials skip ("Bank of England" → BoE/BE).
_ACRONYM_SKIP = {"of", "the", "and", "for", "&", "in", "on", "de", "du", "des", "la", "le", "al"}

MentionKey = tuple[str, int, int]  # (doc_id, start, end)

#: Rule 4: how many times the mentions of a name's other type must outnumber its mentions of
#: one type before those join the other's entity; nearer than this, both readings stand.
TYPE_MAJORITY = 2


class MentionLike(Protocol):
    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True)
class _Mention:
    doc_id: str
    start: int
    end: int
    text: str
    label: str
    tokens: tuple[str, ...]  # the name as compared: titles, "the", possessive removed
    key: str  # folded tokens joined by spaces
    country: str | None
    # an organization named without the place in front of its full name in the same article
    # ("Senate" for "U.S. Senate"): like a surname, which one it is depends on the article
    placeless: bool = False


@dataclass
class CanonicalEntities:
    """Entities rows (schema ``entities``) and the entity of each mention."""

    entities: list[dict[str, Any]]
    entity_of: dict[MentionKey, str]


@dataclass(frozen=True)
class _Alias:
    start: int
    end: int
    text: str
    label: str


@functools.cache
def _names_file() -> dict:
    with _NAMES_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@functools.cache
def _titles() -> frozenset[str]:
    return frozenset(str(t).casefold().rstrip(".") for t in _names_file()["titles"])


@functools.cache
def _surname_article() -> re.Pattern[str]:
    """The Arabic articles of ``names.yaml`` joined to a surname ("al-" in "al-Assad")."""
    articles = sorted((re.escape(str(a).casefold()) for a in _names_file()["surname_articles"]), key=len, reverse=True)
    return re.compile(rf"^(?:{'|'.join(articles)})[-‐](?=\w{{3}})")


def fold(word: str) -> str:
    """A word as compared: no accents, no full stops or apostrophes, case-folded."""
    decomposed = unicodedata.normalize("NFKD", word)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[.'’`]", "", plain).casefold()


def name_tokens(surface: str, label: str) -> tuple[str, ...]:
    """The words of a name as compared (see rule 1), keeping their written form."""
    words = [w.strip(_EDGE_PUNCT) for w in _TOKEN.findall(surface)]
    words = [w for w in words if w]
    if words and re.fullmatch(r"(?i)['’]s", words[-1]):
        words.pop()
    if words:
        words[-1] = re.sub(r"(?i)['’]s$", "", words[-1]) or words[-1]
    if len(words) > 1 and words[0].casefold() == "the":
        words = words[1:]
    if label == "PERSON":
        titles = _titles()
        i = 0
        while i < len(words) - 1 and (fold(words[i]).rstrip(".") in titles or not words[i][:1].isupper()):
            i += 1
        words = words[i:]
    return tuple(words)


def _fold_key(tokens: Sequence[str]) -> str:
    return " ".join(f for f in (fold(t) for t in tokens) if f)


def _hyphen_split(tokens: Sequence[str]) -> list[str]:
    return [p for t in tokens for p in re.split(r"[-‐]", t) if p]


def spelling_variant(a: str, b: str) -> bool:
    """Whether two (folded) words are spellings of one name (rule 3).

    They must share first and last letters and be at most two edits apart, where the only edits
    allowed are a vowel (a, e, i, o, u, y) swapped for another, a vowel added or dropped inside
    the word, and a letter doubled or undoubled (one edit only in words under six letters):
    "Qasem"/"Qassem", "Soleimani"/"Soleymani", "Teheran"/"Tehran", "Barrack"/"Barack",
    "Mohammed"/"Muhammad"; not "Putin"/"Patton", not "Conn"/"Coon".
    """
    if a == b:
        return True
    if len(a) < 4 or len(b) < 4 or a[0] != b[0] or a[-1] != b[-1]:
        return False
    # two edits in a short word make another word ("Conn" ~ "Coon"): one below six letters
    allowed = _MAX_VARIANT_EDITS if min(len(a), len(b)) >= 6 else 1
    return _variant_cost(a, b) <= allowed


_MAX_VARIANT_EDITS = 2
#: Longest name (in words) a shorter one is resolved to as its surname (rule 5).
MAX_NAME_WORDS = 4
_NO = 99


def _variant_cost(a: str, b: str) -> int:
    def dropable(w: str, i: int) -> bool:
        inner_vowel = 0 < i < len(w) - 1 and w[i] in _VOWELS
        doubled = (i > 0 and w[i - 1] == w[i]) or (i + 1 < len(w) and w[i + 1] == w[i])
        return inner_vowel or doubled

    n, k = len(a), len(b)
    cost = [[_NO] * (k + 1) for _ in range(n + 1)]
    cost[0][0] = 0
    for i in range(n + 1):
        for j in range(k + 1):
            here = cost[i][j]
            if here >= _NO:
                continue
            if i < n and j < k:
                step = 0 if a[i] == b[j] else (1 if a[i] in _VOWELS and b[j] in _VOWELS else _NO)
                cost[i + 1][j + 1] = min(cost[i + 1][j + 1], here + step)
            if i < n and dropable(a, i):
                cost[i + 1][j] = min(cost[i + 1][j], here + 1)
            if j < k and dropable(b, j):
                cost[i][j + 1] = min(cost[i][j + 1], here + 1)
    return cost[n][k]


def surname_fits(last: str, short: str) -> bool:
    """Whether ``short`` (folded) can stand for a person whose full name ends in ``last``
    (folded): the same word, a spelling of it, or either without a joined Arabic article."""
    if spelling_variant(last, short):
        return True
    article = _surname_article()
    a, b = article.sub("", last), article.sub("", short)
    return (a, b) != (last, short) and spelling_variant(a, b)


def _same_name(a: Sequence[str], b: Sequence[str]) -> bool:
    return len(a) == len(b) and all(spelling_variant(x, y) for x, y in zip(a, b, strict=True))


def acronym_of(tokens: Sequence[str]) -> str:
    """Initials of a multi-word name, skipping short function words ("Bank of England" → "BE")."""
    words = [w for w in _hyphen_split(tokens) if fold(w) not in _ACRONYM_SKIP]
    return "".join(fold(w)[:1] for w in words if fold(w)).upper()


def _is_acronym(surface_tokens: Sequence[str]) -> bool:
    if len(surface_tokens) != 1:
        return False
    plain = re.sub(r"[.&]", "", surface_tokens[0])
    return 2 <= len(plain) <= 8 and plain.isalpha() and plain.isupper()


def entity_id(entity_type: str, canonical_key: str) -> str:
    return stable_id("e", entity_type, canonical_key)


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.reasons: dict[int, list[str]] = defaultdict(list)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int, reason: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        keep, gone = min(ra, rb), max(ra, rb)
        self.parent[gone] = keep
        self.reasons[keep].extend(self.reasons.pop(gone, []))
        if reason:
            self.reasons[keep].append(reason)


def _prepare(doc_id: str, m: MentionLike) -> _Mention:
    tokens = name_tokens(m.text, m.label) or (m.text.strip(),)
    code = None if m.label in {"PERSON", "NORP", "EVENT", "MISC"} else country_code(tokens)
    key = _fold_key(tokens)
    if m.label in {"GPE", "LOC"} and code is None:
        # one city under its several names ("Kiev", "Kyiv"): one name to compare
        usual = usual_city_name(tokens)
        key = _fold_key(usual.split()) if usual else key
    return _Mention(doc_id, m.start, m.end, m.text, m.label, tokens, key, code)


def _is_short_form(m: _Mention) -> bool:
    """A surname alone, an acronym or an organization without its place: which entity it is
    depends on where it stands."""
    return (m.label == "PERSON" and len(m.tokens) == 1) or (m.label == "ORG" and (_is_acronym(m.tokens) or m.placeless))


def _without_place(mentions: Sequence[_Mention], idxs: Sequence[int]) -> dict[int, int]:
    """Organizations of one article named without the place in front of their full name there
    ("Senate" for "U.S. Senate", "Red Sox" for "Boston Red Sox", "Foreign Ministry" for "Iranian
    Foreign Ministry"): each such mention → the nearest mention of that full name.

    The place must be one: a country or region the gazetteer knows, a nationality, or a name
    the article itself tags as a place; "House" is not "White House".
    """
    places = {mentions[i].key for i in idxs if mentions[i].label in {"GPE", "LOC"} or mentions[i].country}
    longer = [(j, [fold(t) for t in mentions[j].tokens]) for j in idxs if mentions[j].label == "ORG" and len(mentions[j].tokens) > 1]
    out: dict[int, int] = {}
    for i in idxs:
        m = mentions[i]
        if m.label != "ORG" or _is_acronym(m.tokens):
            continue
        words = [fold(t) for t in m.tokens]
        fits = []
        for j, full in longer:
            n = len(full) - len(words)
            if n < 1 or full[n:] != words:
                continue
            prefix = [re.sub(r"(?i)['’]s$", "", t) for t in mentions[j].tokens[:n]]
            if place_country_code(prefix) or _fold_key(prefix) in places or (n == 1 and is_norp(prefix[0])):
                fits.append(j)
        target = _nearest(mentions, fits, m)
        if target is not None:
            out[i] = target
    return out


def _group_key(m: _Mention) -> tuple[str, str]:
    """The unit rules 3-6 join: all mentions of one exact name, or one short-form mention alone.

    A short form is its own unit because one article can use "Bush" for two people; short forms
    left unresolved join the other short forms of the same name at the end.
    """
    if m.country:
        return ("GPE", f"country:{m.country}")
    if _is_short_form(m):
        return (m.label, f"{m.key}\x1f{m.doc_id}\x1f{m.start}")
    return (m.label, m.key)


def _name_key(m: _Mention) -> str:
    """``"TYPE|name key"``: the name without where it stands (what an id registry remembers)."""
    return f"GPE|country:{m.country}" if m.country else f"{m.label}|{m.key}"


def canonicalize(
    mentions_by_doc: Mapping[str, Sequence[MentionLike]],
    previous: Mapping[str, str] | None = None,
) -> CanonicalEntities:
    """Group all mentions into canonical entities (rules in the module docstring).

    ``previous`` maps ``"TYPE|name key"`` to an earlier release's entity id (see
    :func:`id_registry`); entities that contain such a name keep that id.
    """
    mentions = [_prepare(doc_id, m) for doc_id in sorted(mentions_by_doc) for m in sorted(mentions_by_doc[doc_id], key=lambda x: (x.start, x.end))]
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_doc[m.doc_id].append(i)
    placeless: dict[int, int] = {}
    for idxs in by_doc.values():
        placeless.update(_without_place(mentions, idxs))
    mentions = [replace(m, placeless=True) if i in placeless else m for i, m in enumerate(mentions)]
    # Rule 1 and 2: exact name (or country) groups are the units the later rules join.
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        groups[_group_key(m)].append(i)
    keys = sorted(groups)
    index = {k: n for n, k in enumerate(keys)}
    uf = _Union(len(keys))
    for k in keys:
        if k[1].startswith("country:"):
            forms = sorted({mentions[i].text for i in groups[k]})
            if len(forms) > 1:
                uf.reasons[index[k]].append(f"country {k[1][8:]}: {', '.join(forms)} (gazetteer)")
    tokens_of = {k: mentions[groups[k][0]].tokens for k in keys}
    folded_of = {k: tuple(fold(t) for t in tokens_of[k]) for k in keys}

    # Rule 3: spelling variants, compared within buckets of same type, word count and initials.
    buckets: dict[tuple[str, int, str], list[tuple[str, str]]] = defaultdict(list)
    for k in keys:
        if k[1].startswith("country:") or "\x1f" in k[1]:
            continue  # countries are settled; short forms are settled by where they stand
        f = folded_of[k]
        buckets[(k[0], len(f), "".join(w[:1] for w in f))].append(k)
    for bucket in buckets.values():
        for a_pos, a in enumerate(bucket):
            for b in bucket[a_pos + 1 :]:
                if _same_name(folded_of[a], folded_of[b]) and uf.find(index[a]) != uf.find(index[b]):
                    uf.union(index[a], index[b], f"spelling variant: {' '.join(tokens_of[a])} ~ {' '.join(tokens_of[b])}")

    # Rule 4: one name, one type (see the module docstring).
    weight: dict[int, int] = defaultdict(int)
    for k in keys:
        weight[uf.find(index[k])] += len(groups[k])
    across: dict[tuple[int, str], list[tuple[str, str]]] = defaultdict(list)
    for k in keys:
        f = folded_of[k]
        if len(f) >= 2 and not k[1].startswith("country:") and "\x1f" not in k[1]:
            across[(len(f), "".join(w[:1] for w in f))].append(k)
    for bucket in across.values():
        for a_pos, a in enumerate(bucket):
            for b in bucket[a_pos + 1 :]:
                ra, rb = uf.find(index[a]), uf.find(index[b])
                if a[0] == b[0] or ra == rb or not _same_name(folded_of[a], folded_of[b]):
                    continue
                (small, n_small), (large, n_large) = sorted([(a, weight[ra]), (b, weight[rb])], key=lambda x: x[1])
                if n_large >= TYPE_MAJORITY * n_small:
                    uf.union(
                        index[small],
                        index[large],
                        f"one name, one type: {' '.join(tokens_of[small])} ({small[0]}, {n_small}) → "
                        f"{' '.join(tokens_of[large])} ({large[0]}, {n_large})",
                    )
                    weight[uf.find(index[large])] = n_small + n_large

    # Rule 5: short forms resolved inside their article.
    unresolved: list[tuple[str, str]] = []
    for idxs in by_doc.values():
        people = _ByName(mentions, [i for i in idxs if mentions[i].label == "PERSON" and len(mentions[i].tokens) > 1])
        orgs = _ByName(mentions, [i for i in idxs if mentions[i].label == "ORG" and len(mentions[i].tokens) > 1])
        for i in idxs:
            m = mentions[i]
            k = _group_key(m)
            target: int | None = None
            reason = ""
            if m.label == "PERSON":
                f = folded_of[k]
                if len(f) == 1:
                    fits = people.where(("surname", f), lambda tokens: surname_fits(fold(tokens[-1]), f[0]))
                    target = _nearest(mentions, fits, m)
                    reason = "surname in the same article"
                    if target is None:
                        # a first name alone ("Jenna" for "Jenna Marbles"), when it is the first
                        # name of one person only in the article and nobody's surname there
                        fits = people.where(("first", f), lambda tokens: fold(tokens[0]) == f[0])
                        if len({uf.find(index[_group_key(mentions[j])]) for j in fits}) == 1:
                            target = _nearest(mentions, fits, m)
                            reason = "first name of the only such person in the same article"
                else:
                    # a surname of several words ("Abdul Mahdi" for "Adel Abdul Mahdi"); a
                    # "full name" longer than four words is more likely a tagging slip
                    # ("Elizabeth Warren Hammers Wells Fargo") than a name
                    fits = people.where(
                        ("ends", f), lambda tokens: len(f) < len(tokens) <= MAX_NAME_WORDS and _ends_with(tokens, f)
                    )
                    target = _nearest(mentions, fits, m)
                    reason = "surname in the same article"
                if target is None and len(f) == 2:
                    fits = people.where(
                        ("outer", f),
                        lambda tokens: len(tokens) > 2
                        and spelling_variant(fold(tokens[0]), f[0])
                        and spelling_variant(fold(tokens[-1]), f[1]),
                    )
                    target = _nearest(mentions, fits, m)
                    reason = "full name without its middle part, same article"
            elif i in placeless:
                target = placeless[i]
                reason = "organization without its place, same article"
            elif m.label == "ORG" and _is_acronym(m.tokens):
                letters = re.sub(r"[.&]", "", m.tokens[0]).upper()
                fits = orgs.where(("initials", letters), lambda tokens: acronym_of(tokens) == letters)
                target = _nearest(mentions, fits, m)
                reason = "initials of a name in the same article"
            if target is not None:
                t = _group_key(mentions[target])
                if uf.find(index[k]) != uf.find(index[t]):
                    uf.union(index[k], index[t], f"{reason}: {' '.join(m.tokens)} → {' '.join(mentions[target].tokens)}")
            elif _is_short_form(m):
                unresolved.append(k)

    # Rule 6, names of two words: a first and last name that no article tied to a longer name
    # is the one longer name in the corpus with that first and last word ("Donald Trump" →
    # "Donald J. Trump"); with two ("George W. Bush", "George H. W. Bush") it stays apart.
    longest: dict[int, int] = defaultdict(int)
    longer: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    for k in keys:
        if k[1].startswith("country:") or "\x1f" in k[1]:
            continue
        f = folded_of[k]
        longest[uf.find(index[k])] = max(longest[uf.find(index[k])], len(f))
        if k[0] == "PERSON" and 2 < len(f) <= MAX_NAME_WORDS:
            longer[(f[0][:1], f[-1][:1], f[-1][-1:])].append(k)
    for k in keys:
        f = folded_of[k]
        if k[0] != "PERSON" or "\x1f" in k[1] or len(f) != 2 or longest[uf.find(index[k])] > 2:
            continue
        fits = [x for x in longer[(f[0][:1], f[1][:1], f[1][-1:])] if spelling_variant(folded_of[x][0], f[0]) and spelling_variant(folded_of[x][-1], f[1])]
        if len({uf.find(index[x]) for x in fits}) == 1:
            uf.union(index[k], index[fits[0]], f"full name without its middle part, the only such name in the corpus: {' '.join(tokens_of[k])} → {' '.join(tokens_of[fits[0]])}")

    # Rule 6, short forms: unresolved ones that fit exactly one entity in the corpus; the others
    # join the other unresolved mentions of the same short name.
    by_name: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for k in unresolved:
        by_name[(k[0], k[1].split("\x1f")[0])].append(k)
    for (label, _), units in sorted(by_name.items()):
        k = units[0]
        candidates: set[int] = set()
        for x in keys:
            if x[0] != label or len(folded_of[x]) < 2:
                continue
            if label == "PERSON" and surname_fits(folded_of[x][-1], folded_of[k][0]):
                candidates.add(uf.find(index[x]))
            elif label == "ORG" and acronym_of(tokens_of[x]) == re.sub(r"[.&]", "", tokens_of[k][0]).upper():
                candidates.add(uf.find(index[x]))
        for other in units[1:]:
            uf.union(index[k], index[other], "")
        if len(candidates) == 1:
            (target,) = candidates
            full = next(x for x in keys if uf.find(index[x]) == target and len(folded_of[x]) > 1)
            what = "surname" if label == "PERSON" else "initials"
            uf.union(index[k], target, f"{what} of the only such name in the corpus: {' '.join(tokens_of[k])} → {' '.join(tokens_of[full])}")

    return _entities(mentions, groups, keys, index, uf, previous or {})


def _ends_with(tokens: Sequence[str], tail: Sequence[str]) -> bool:
    """Whether a name's last words are ``tail`` (folded), each the same or a spelling of it."""
    return all(spelling_variant(fold(a), b) for a, b in zip(tokens[-len(tail) :], tail, strict=True))


class _ByName:
    """One article's mentions of one kind, grouped by their written name, so that a question asked
    of a name ("does it end in this surname?") is answered once per distinct name and short form,
    not once per pair of mentions: an article naming one person thousands of times (a hostile or
    concatenated input) stays linear instead of quadratic."""

    def __init__(self, mentions: Sequence[_Mention], idxs: Sequence[int]) -> None:
        self.mentions = mentions
        self.by_tokens: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for i in idxs:  # in reading order
            self.by_tokens[tuple(mentions[i].tokens)].append(i)
        self.memo: dict[tuple[Any, ...], _InOrder] = {}

    def where(self, question: tuple[Any, ...], test) -> _InOrder:
        """The mentions whose name passes ``test``, in reading order; ``question`` names the test."""
        found = self.memo.get(question)
        if found is None:
            found = _InOrder(sorted(i for tokens, idxs in self.by_tokens.items() if test(tokens) for i in idxs))
            found.starts = [self.mentions[i].start for i in found]
            self.memo[question] = found
        return found


class _InOrder(list):
    """Mention indexes in reading order, with their start offsets for bisection."""

    starts: list[int]


def _nearest(mentions: Sequence[_Mention], candidates: Sequence[int], m: _Mention) -> int | None:
    """The candidate mention nearest before ``m`` in its article, else the first after it.

    ``candidates`` are in reading order (by start), so both are found by bisection.
    """
    starts = candidates.starts if isinstance(candidates, _InOrder) else [mentions[j].start for j in candidates]
    pos = bisect.bisect_left(starts, m.start)
    for j in reversed(candidates[:pos]):
        if mentions[j].end <= m.start:
            return j
    for j in candidates[pos:]:
        if mentions[j].start >= m.end:
            return j
    return None


def _entities(
    mentions: Sequence[_Mention],
    groups: Mapping[tuple[str, str], list[int]],
    keys: Sequence[tuple[str, str]],
    index: Mapping[tuple[str, str], int],
    uf: _Union,
    previous: Mapping[str, str],
) -> CanonicalEntities:
    clusters: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for k in keys:
        clusters[uf.find(index[k])].append(k)
    rows: list[dict[str, Any]] = []
    entity_of: dict[MentionKey, str] = {}
    found: list[tuple[int, list[_Mention], str, str, str, str | None]] = []
    for root in sorted(clusters, key=lambda r: clusters[r]):
        members = clusters[root]
        idxs = [i for k in members for i in groups[k]]
        ms = [mentions[i] for i in idxs]
        countries = {m.country for m in ms if m.country}
        if countries:
            entity_type = "GPE"
            code = sorted(countries)[0]
            canonical = country_name(code)
            canonical_key = f"country:{code}"
        else:
            entity_type = _majority(m.label for m in ms)
            place = entity_type in {"GPE", "LOC"}
            canonical = _canonical_form(ms, prefer_known_places=place)
            canonical_key = _fold_key(canonical.split())
            code = _place_code(ms) if place else None
        found.append((root, ms, entity_type, canonical, canonical_key, code))

    # Ids kept from the previous release are handed out first, so that a new entity whose
    # content-derived id happens to equal one of them cannot take it from its owner; a
    # content-derived id that is already taken (a namesake, or a kept id) gets a counter.
    ids: list[str | None] = _previous_ids([ms for _, ms, *_rest in found], previous)
    used_ids: set[str] = {eid for eid in ids if eid}
    for n, (_, _, entity_type, _, canonical_key, _) in enumerate(found):
        if ids[n] is None:
            eid = entity_id(entity_type, canonical_key)
            repeat = 2
            while eid in used_ids:
                eid = stable_id("e", entity_type, canonical_key, repeat)
                repeat += 1
            ids[n] = eid
            used_ids.add(eid)

    for (root, ms, entity_type, canonical, canonical_key, code), eid in zip(found, ids):
        for m in ms:
            entity_of[(m.doc_id, m.start, m.end)] = eid
        rows.append(
            {
                "entity_id": eid,
                "canonical_name": canonical,
                "entity_type": entity_type,
                "aliases": sorted({m.text for m in ms}),
                "merge_reasons": sorted(set(uf.reasons.get(root, []))),
                "country_code": code,
                "n_mentions": len(ms),
                "n_documents": len({m.doc_id for m in ms}),
            }
        )
    rows.sort(key=lambda r: r["entity_id"])
    return CanonicalEntities(rows, entity_of)


def _majority(labels: Iterable[str]) -> str:
    counts = Counter(labels)
    best = max(counts.values())
    return sorted(label for label, n in counts.items() if n == best)[0]


def _canonical_form(ms: Sequence[_Mention], prefer_known_places: bool = False) -> str:
    """The fullest common name: most words, then (for places) one the gazetteer knows, under
    its usual name, then most frequent, then alphabetical."""
    forms = Counter(" ".join(m.tokens) for m in ms)

    def unknown(form: str) -> bool:
        return prefer_known_places and place_country_code(form) is None

    def other_name(form: str) -> bool:  # "Teheran" where the gazetteer's usual name is "Tehran"
        usual = usual_city_name(form) if prefer_known_places else None
        return usual is not None and fold(usual) != fold(form)

    return sorted(forms, key=lambda f: (-len(f.split()), unknown(f), other_name(f), -forms[f], f))[0]


def _place_code(ms: Sequence[_Mention]) -> str | None:
    """The country code most of a place's names have in the gazetteer, if any has one."""
    codes = Counter(c for c in (place_country_code(" ".join(m.tokens)) for m in ms) if c)
    if not codes:
        return None
    best = max(codes.values())
    return sorted(c for c, n in codes.items() if n == best)[0]


def _previous_ids(entities: Sequence[Sequence[_Mention]], previous: Mapping[str, str]) -> list[str | None]:
    """The earlier release's id each entity keeps, if any.

    Each entity's mentions vote for the ids their names had; the strongest claims are granted
    first, each id to one entity only. Granting by vote rather than in entity order matters when
    an entity holds a name the earlier release gave to another one as well: it must not take
    that other entity's id, which would renumber both and make a refresh of unchanged input
    publish a new release.
    """
    claims: list[tuple[int, str, int]] = []
    for n, ms in enumerate(entities):
        votes = Counter(previous[key] for key in map(_name_key, ms) if key in previous)
        claims.extend((count, eid, n) for eid, count in votes.items())
    ids: list[str | None] = [None] * len(entities)
    granted: set[str] = set()
    for _count, eid, n in sorted(claims, key=lambda c: (-c[0], c[1], c[2])):
        if ids[n] is None and eid not in granted:
            ids[n] = eid
            granted.add(eid)
    return ids


def id_registry(entities: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """``"TYPE|name key"`` → entity id from a release's entities rows, for ``previous``.

    Built from each entity's aliases and type, so a release's entities table is all a refresh
    needs to keep its ids.
    """
    registry: dict[str, str] = {}
    shared: set[str] = set()
    for row in sorted(entities, key=lambda r: r["entity_id"]):
        for alias in row["aliases"]:
            m = _prepare("", _Alias(0, len(alias), alias, row["entity_type"]))
            key = _name_key(m)
            if registry.setdefault(key, row["entity_id"]) != row["entity_id"]:
                shared.add(key)
    # A name two entities shared ("Smith" for two people) says nothing about which is which.
    return {key: eid for key, eid in registry.items() if key not in shared}
