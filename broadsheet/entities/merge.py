"""The merge rules of :mod:`broadsheet.entities.canonical`, in the order they apply.

:func:`merge` groups mentions into units of one exact name (rules 1 and 2), then joins units with
a union-find, one rule after another (3 to 6), each recording why it joined two names. The order
matters: a later rule asks which entity a name already belongs to, so spelling variants and
types are settled before short forms are resolved, and short forms inside their article before
across articles.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace

from broadsheet.entities.entity_rows import Cluster
from broadsheet.entities.in_article import ByName, long_form_countries, nearest, without_place
from broadsheet.entities.names import (
    ComparedMention,
    MentionLike,
    acronym_of,
    compared,
    ends_with,
    fold,
    initials,
    is_acronym,
    same_name,
    spelling_variant,
    surname_fits,
    surname_forms,
)

UnitKey = tuple[str, str]  # (type, name key); a short form's name key also says where it stands

#: Rule 4: how many times the mentions of a name's other type must outnumber its mentions of
#: one type before those join the other's entity; nearer than this, both readings stand.
TYPE_MAJORITY = 2
#: Longest name (in words) a shorter one is resolved to as its surname (rule 5).
MAX_NAME_WORDS = 4


def merge(mentions_by_doc: Mapping[str, Sequence[MentionLike]]) -> list[Cluster]:
    """The mentions of each entity, rules 1 to 6 applied, in the order of their names."""
    mentions = [
        compared(doc_id, m)
        for doc_id in sorted(mentions_by_doc)
        for m in sorted(mentions_by_doc[doc_id], key=lambda x: (x.start, x.end))
    ]
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_doc[m.doc_id].append(i)
    # An organization named without its place is a short form, and short forms are grouped
    # differently from full names (group_key), so they are found before any grouping.
    placeless: dict[int, int] = {}
    for idxs in by_doc.values():
        placeless.update(without_place(mentions, idxs))
    mentions = [replace(m, placeless=True) if i in placeless else m for i, m in enumerate(mentions)]
    # "the Islamic Republic" in an article about Iran is Iran (rule 2), as its full official name is
    long_forms: dict[int, str] = {}
    for idxs in by_doc.values():
        long_forms.update(long_form_countries(mentions, idxs))
    mentions = [replace(m, country=long_forms[i]) if i in long_forms else m for i, m in enumerate(mentions)]
    units = _Units(mentions)  # rules 1 and 2
    for i in sorted(long_forms):
        m = mentions[i]
        units.uf.reasons[units.root(group_key(m))].append(
            f"long form of a country named in the same article: {m.text} → {m.country}"
        )
    join_spelling_variants(units)  # rule 3
    join_one_name_one_type(units)  # rule 4
    unresolved = resolve_in_article(units, by_doc, placeless)  # rule 5
    join_names_without_middle_across(units)  # rule 6
    resolve_short_forms_across(units, unresolved)  # rule 6
    return units.clusters()


class _Union:
    """Union-find over the units, each root holding the reasons its units were joined for."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.reasons: dict[int, list[str]] = defaultdict(list)
        # Each root's units, so that one entity's members are found without a pass over all units.
        self._members: dict[int, list[int]] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def members(self, root: int) -> list[int]:
        """The units of the set whose root is ``root`` (the root is the smallest of them)."""
        return self._members.get(root, [root])

    def union(self, a: int, b: int, reason: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        keep, gone = min(ra, rb), max(ra, rb)
        self.parent[gone] = keep
        self._members.setdefault(keep, [keep]).extend(self._members.pop(gone, [gone]))
        self.reasons[keep].extend(self.reasons.pop(gone, []))
        if reason:
            self.reasons[keep].append(reason)


def is_short_form(m: ComparedMention) -> bool:
    """A surname alone, an acronym or an organization without its place: which entity it is
    depends on where it stands."""
    return (m.label == "PERSON" and len(m.tokens) == 1) or (m.label == "ORG" and (is_acronym(m.tokens) or m.placeless))


def group_key(m: ComparedMention) -> UnitKey:
    """The unit rules 3-6 join: all mentions of one exact name, or one short-form mention alone.

    A short form is its own unit because one article can use "Bush" for two people; short forms
    left unresolved join the other short forms of the same name at the end.
    """
    if m.country:
        return ("GPE", f"country:{m.country}")
    if is_short_form(m):
        return (m.label, f"{m.key}\x1f{m.doc_id}\x1f{m.start}")
    return (m.label, m.key)


def _is_full_name(k: UnitKey) -> bool:
    """A unit the name rules compare: countries are settled by the gazetteer, short forms by
    where they stand."""
    return not k[1].startswith("country:") and "\x1f" not in k[1]


class _Units:
    """Rules 1 and 2: the mentions grouped by exact name (or country), and the union-find over
    those groups that the later rules join."""

    def __init__(self, mentions: list[ComparedMention]) -> None:
        self.mentions = mentions
        self.groups: dict[UnitKey, list[int]] = defaultdict(list)
        for i, m in enumerate(mentions):
            self.groups[group_key(m)].append(i)
        self.keys = sorted(self.groups)
        self.index = {k: n for n, k in enumerate(self.keys)}
        self.uf = _Union(len(self.keys))
        for k in self.keys:
            if k[1].startswith("country:"):
                forms = sorted({mentions[i].text for i in self.groups[k]})
                if len(forms) > 1:
                    self.uf.reasons[self.index[k]].append(f"country {k[1][8:]}: {', '.join(forms)} (gazetteer)")
        self.tokens = {k: mentions[self.groups[k][0]].tokens for k in self.keys}
        self.folded = {k: tuple(fold(t) for t in self.tokens[k]) for k in self.keys}

    def root(self, k: UnitKey) -> int:
        return self.uf.find(self.index[k])

    def join(self, a: UnitKey, b: UnitKey, reason: str) -> None:
        self.uf.union(self.index[a], self.index[b], reason)

    def name(self, k: UnitKey) -> str:
        return " ".join(self.tokens[k])

    def clusters(self) -> list[Cluster]:
        members: dict[int, list[UnitKey]] = defaultdict(list)
        for k in self.keys:
            members[self.root(k)].append(k)
        return [
            Cluster([self.mentions[i] for k in members[r] for i in self.groups[k]], self.uf.reasons.get(r, []))
            for r in sorted(members, key=lambda r: members[r])
        ]


def _initial_letters(folded: Sequence[str]) -> str:
    return "".join(w[:1] for w in folded)


def join_spelling_variants(units: _Units) -> None:
    """Rule 3: names of one type that are spellings of each other.

    Names transliterated from Arabic, Persian or Russian reach English news under several
    spellings ("Qasem"/"Qassem"), and typing slips double letters ("Barrack"). Only names with
    the same type, word count and initials can be variants, so only those are compared.
    """
    buckets: dict[tuple[str, int, str], list[UnitKey]] = defaultdict(list)
    for k in filter(_is_full_name, units.keys):
        f = units.folded[k]
        buckets[(k[0], len(f), _initial_letters(f))].append(k)
    for bucket in buckets.values():
        for a, b in itertools.combinations(bucket, 2):
            if same_name(units.folded[a], units.folded[b]) and units.root(a) != units.root(b):
                units.join(a, b, f"spelling variant: {units.name(a)} ~ {units.name(b)}")


def join_one_name_one_type(units: _Units) -> None:
    """Rule 4: a name of two or more words typed one way in some places and another way in
    others is one entity when one type clearly outnumbers the other.

    The tagger mistypes names where the context misleads it (a headline's "Ministry honours Anna
    Keller" can make her an organization); the corpus-wide majority is the better guess. One-
    word names are left out because they really are shared ("Jordan" the person and the place).
    """
    weight: dict[int, int] = defaultdict(int)
    for k in units.keys:
        weight[units.root(k)] += len(units.groups[k])
    across: dict[tuple[int, str], list[UnitKey]] = defaultdict(list)
    for k in units.keys:
        f = units.folded[k]
        if len(f) >= 2 and _is_full_name(k):
            across[(len(f), _initial_letters(f))].append(k)
    for bucket in across.values():
        for a, b in itertools.combinations(bucket, 2):
            ra, rb = units.root(a), units.root(b)
            if a[0] == b[0] or ra == rb or not same_name(units.folded[a], units.folded[b]):
                continue
            (small, n_small), (large, n_large) = sorted([(a, weight[ra]), (b, weight[rb])], key=lambda x: x[1])
            if n_large >= TYPE_MAJORITY * n_small:
                units.join(
                    small,
                    large,
                    f"one name, one type: {units.name(small)} ({small[0]}, {n_small}) → {units.name(large)} ({large[0]}, {n_large})",
                )
                weight[units.root(large)] = n_small + n_large


def resolve_in_article(units: _Units, by_doc: Mapping[str, list[int]], placeless: Mapping[int, int]) -> list[UnitKey]:
    """Rule 5: short forms that name someone the same article names in full; returns the short
    forms left unresolved.

    Articles name a person in full once and by surname after; which "Bush" it is can only be
    told from the article, so the nearest full name before it is taken (else the first after).
    """
    mentions = units.mentions
    unresolved: list[UnitKey] = []
    for idxs in by_doc.values():
        people = ByName(mentions, [i for i in idxs if mentions[i].label == "PERSON" and len(mentions[i].tokens) > 1])
        orgs = ByName(mentions, [i for i in idxs if mentions[i].label == "ORG" and len(mentions[i].tokens) > 1])
        for i in idxs:
            m = mentions[i]
            k = group_key(m)
            target, reason = _in_article(units, people, orgs, placeless, i)
            if target is not None:
                t = group_key(mentions[target])
                if units.root(k) != units.root(t):
                    units.join(k, t, f"{reason}: {' '.join(m.tokens)} → {' '.join(mentions[target].tokens)}")
            elif is_short_form(m):
                unresolved.append(k)
    return unresolved


def _in_article(units: _Units, people: ByName, orgs: ByName, placeless: Mapping[int, int], i: int) -> tuple[int | None, str]:
    """The mention of the same article that mention ``i`` is short for, and why."""
    m = units.mentions[i]
    if m.label == "PERSON":
        return _person_in_article(units, people, m)
    if i in placeless:
        return placeless[i], "organization without its place, same article"
    if m.label == "ORG" and is_acronym(m.tokens):
        letters = initials(m.tokens[0])
        fits = orgs.where(("initials", letters), lambda tokens: acronym_of(tokens) == letters)
        return nearest(units.mentions, fits, m), "initials of a name in the same article"
    return None, ""


def _person_in_article(units: _Units, people: ByName, m: ComparedMention) -> tuple[int | None, str]:
    f = units.folded[group_key(m)]
    target: int | None
    if len(f) == 1:
        target, reason = _one_word_in_article(units, people, m, f[0])
    else:
        # a surname of several words ("Abdul Mahdi" for "Adel Abdul Mahdi"); a "full name"
        # longer than four words is more likely a tagging slip ("Elizabeth Warren Hammers Wells
        # Fargo") than a name
        fits = people.where(("ends", f), lambda tokens: len(f) < len(tokens) <= MAX_NAME_WORDS and ends_with(tokens, f))
        target, reason = nearest(units.mentions, fits, m), "surname in the same article"
    if target is None and len(f) == 2:
        fits = people.where(
            ("outer", f),
            lambda tokens: (
                len(tokens) > 2 and spelling_variant(fold(tokens[0]), f[0]) and spelling_variant(fold(tokens[-1]), f[1])
            ),
        )
        target, reason = nearest(units.mentions, fits, m), "full name without its middle part, same article"
    return target, reason


def _one_word_in_article(units: _Units, people: ByName, m: ComparedMention, word: str) -> tuple[int | None, str]:
    f = (word,)
    fits = people.where(("surname", f), lambda tokens: surname_fits(fold(tokens[-1]), word))
    target = nearest(units.mentions, fits, m)
    if target is not None:
        return target, "surname in the same article"
    # a first name alone ("Jenna" for "Jenna Marbles"), when it is the first name of one
    # person only in the article and nobody's surname there
    fits = people.where(("first", f), lambda tokens: fold(tokens[0]) == word)
    if len({units.root(group_key(units.mentions[j])) for j in fits}) == 1:
        return nearest(units.mentions, fits, m), "first name of the only such person in the same article"
    return None, ""


def join_names_without_middle_across(units: _Units) -> None:
    """Rule 6, names of two words: a first and last name that no article tied to a longer name
    is the one longer name in the corpus with that first and last word ("Donald Trump" →
    "Donald J. Trump").

    Articles differ in whether they give a middle name or initial; with two such longer names
    ("George W. Bush", "George H. W. Bush") the short one could be either and stays apart.
    """
    longest: dict[int, int] = defaultdict(int)
    longer: dict[tuple[str, str, str], list[UnitKey]] = defaultdict(list)
    for k in filter(_is_full_name, units.keys):
        f = units.folded[k]
        longest[units.root(k)] = max(longest[units.root(k)], len(f))
        if k[0] == "PERSON" and 2 < len(f) <= MAX_NAME_WORDS:
            longer[(f[0][:1], f[-1][:1], f[-1][-1:])].append(k)
    for k in units.keys:
        f = units.folded[k]
        if k[0] != "PERSON" or "\x1f" in k[1] or len(f) != 2 or longest[units.root(k)] > 2:
            continue
        fits = [
            x
            for x in longer[(f[0][:1], f[1][:1], f[1][-1:])]
            if spelling_variant(units.folded[x][0], f[0]) and spelling_variant(units.folded[x][-1], f[1])
        ]
        if len({units.root(x) for x in fits}) == 1:
            units.join(
                k,
                fits[0],
                f"full name without its middle part, the only such name in the corpus: {units.name(k)} → {units.name(fits[0])}",
            )


def resolve_short_forms_across(units: _Units, unresolved: Sequence[UnitKey]) -> None:
    """Rule 6, short forms: a surname or acronym no article resolved is the one entity in the
    corpus it fits; the others join the other unresolved mentions of the same short name.

    A wire story often names a person by surname only, trusting the reader to know who
    "Khamenei" is; when the corpus knows exactly one such person that is who it is, and when it
    knows two, guessing would merge namesakes.
    """
    by_name: dict[tuple[str, str], list[UnitKey]] = defaultdict(list)
    for k in unresolved:
        by_name[(k[0], k[1].split("\x1f")[0])].append(k)
    index = _LongNames(units)
    for (label, name), same in sorted(by_name.items()):
        k = same[0]
        for other in same[1:]:
            units.join(k, other, "")
        # "NATO" where other articles write "Nato": one name, case aside (rule 1)
        if (label, name) in units.index:
            units.join(k, (label, name), f"same name, case aside: {units.name(k)} = {units.name((label, name))}")
            continue
        candidates = _fitting_entities(units, index, k)
        target, why = None, "the only such name in the corpus"
        if len(candidates) == 1:
            (target,) = candidates
        elif len(candidates) > 1 and DOMINANT_SHARE:
            sizes = {r: _entity_size(units, r) for r in candidates}
            ranked = sorted(candidates, key=lambda r: (-sizes[r], r))
            if sizes[ranked[0]] >= DOMINANT_SHARE * sum(sizes[r] for r in ranked[1:]):
                target, why = ranked[0], "by far the most named such name in the corpus"
        if target is not None:
            # the first name of several words of that entity, in the units' order
            full = units.keys[min(i for i in units.uf.members(target) if len(units.folded[units.keys[i]]) > 1)]
            what = "surname" if label == "PERSON" else "initials"
            units.join(k, full, f"{what} of {why}: {units.name(k)} → {units.name(full)}")


#: Rule 6: an unresolved short form that fits several entities joins the one with at least this
#: many times the mentions of all the others together (0: never).
DOMINANT_SHARE = 3


def _entity_size(units: _Units, root: int) -> int:
    """How many mentions the entity whose root is ``root`` has."""
    return sum(len(units.groups[units.keys[i]]) for i in units.uf.members(root))


def _fitting_entities(units: _Units, index: _LongNames, short: UnitKey) -> set[int]:
    """The entities (roots) with a name of several words that the short form ``short`` fits."""
    return {units.root(x) for x in index.candidates(short) if _stands_for(units, short, x)}


class _LongNames:
    """The names of several words, looked up by what a short form could match in them, so that
    each short form is compared with the few names it might fit, not with every name in the
    corpus (comparing with all of them made rule 6 grow with the square of the corpus).

    A superset of the names :func:`_stands_for` accepts: a surname fits only a last word with its
    first and last letters (rule 3), with or without a joined article, and initials only a name
    that spells them. Joins done meanwhile change roots, never the keys, so one index serves the
    whole rule.
    """

    def __init__(self, units: _Units) -> None:
        self.surnames: dict[tuple[str, str], list[UnitKey]] = defaultdict(list)
        self.acronyms: dict[str, list[UnitKey]] = defaultdict(list)
        for x in units.keys:
            if len(units.folded[x]) < 2:
                continue
            if x[0] == "PERSON":
                for word in surname_forms(units.folded[x][-1]):
                    self.surnames[_ends(word)].append(x)
            elif x[0] == "ORG":
                self.acronyms[acronym_of(units.tokens[x])].append(x)
        self.units = units

    def candidates(self, short: UnitKey) -> list[UnitKey]:
        if short[0] == "PERSON":
            forms = surname_forms(self.units.folded[short][0])
            return list(dict.fromkeys(x for w in forms for x in self.surnames[_ends(w)]))
        if short[0] == "ORG":
            return self.acronyms.get(initials(self.units.tokens[short][0]), [])
        return []


def _ends(word: str) -> tuple[str, str]:
    return word[:1], word[-1:]


def _stands_for(units: _Units, short: UnitKey, full: UnitKey) -> bool:
    """Whether a person's surname or an organization's initials fit a name of several words."""
    if short[0] == "PERSON":
        return surname_fits(units.folded[full][-1], units.folded[short][0])
    return short[0] == "ORG" and acronym_of(units.tokens[full]) == initials(units.tokens[short][0])
