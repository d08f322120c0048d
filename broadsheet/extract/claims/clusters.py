"""Claims that state the same thing across documents, and the ones among them that disagree.

`link_claims(claims, dates)` works on claims rows and dates rows of a whole corpus (the extract
stage's rows: a claim's ``doc_id``, ``claim_id``, span, ``surface`` and ``modality``; a date's span
and calendar interval) and returns, per claim id, its cluster and its conflicts.

What a claim states is read from its words, not its speaker:

- its *signature*: the content words of its surface, stemmed, with function words, speech verbs and
  time words left out (``cues.yaml``, ``clustering``), and variants that say the same thing mapped
  to one form ("entry" and "entered" -> "enter", "Chilean" -> "chile");
- its *frames*: for each date and each number inside it, the signature of the clause around it
  ("the company entered the Chilean market" around "in 2015").

Two claims state the same thing when their signatures share at least three words and most of their
words (Dice coefficient), or when a frame of one matches a frame of the other: at least three
shared words covering three quarters of the smaller frame, one of them a name (a capitalised word
past the clause's first), so that two polls' margins of error are not one statement. Clusters are
the connected groups of such pairs; a claim alone is its own cluster. Within one document, a claim
never pairs with a claim whose span overlaps its own (a quote inside the reported speech that holds
it restates it). Only words found in at most a few hundred claims propose pairs, which keeps the
linking of tens of thousands of claims to seconds.

Two claims of a cluster conflict when matching frames carry disjoint calendar intervals (a date
conflict: "in 2015" against "in the spring of 2014"), or numbers of the same thing that differ by
more than a tenth (a number conflict: "25 people" against "40 people"), or when they share nearly
all their words and only one denies it in its main clause (a polarity conflict). Conflicts point
both ways.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from broadsheet.extract.claims.lexicon import lexicon_data, with_calendar_words
from broadsheet.schema import vocabulary

Row = Mapping[str, Any]

CONFLICT_KINDS = vocabulary("claims", "conflict_kinds")

_MIN_SHARED = 3
_SAME_DICE = 0.6
# A polarity conflict needs the two claims to say nearly the same words, one of them denied.
_POLARITY_DICE = 0.75
_FRAME_SHARE = 0.75
_NUMBER_TOLERANCE = 0.1
# Words in more claims than this are too common to propose pairs (they still count in a match).
_MAX_POSTINGS = 200

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])\d+(?:\.\d+)?(?![\w])")


@dataclass(frozen=True)
class ClaimLink:
    """A claim's cluster (the smallest claim id in it) and the claims it conflicts with."""

    cluster_id: str
    conflicting_claim_ids: tuple[str, ...]
    conflict_kinds: tuple[str, ...]


@dataclass(frozen=True)
class _Vocabulary:
    stop: frozenset[str]
    same_as: Mapping[str, str]
    clause_break: re.Pattern[str]
    negation: re.Pattern[str]
    multipliers: Mapping[str, float]
    relative_pronouns: frozenset[str]


@dataclass(frozen=True)
class _Frame:
    words: frozenset[str]
    names: frozenset[str]  # the capitalised words among them, past the clause's first word
    kind: str  # "date" or "number"
    interval: tuple[Any, Any] | None = None  # calendar interval of a date
    value: float | None = None  # a number's value
    unit: str | None = None  # the stem of the word the number counts


@dataclass(frozen=True)
class _Item:
    claim_id: str
    doc_id: str
    span: tuple[int, int]
    signature: frozenset[str]
    frames: tuple[_Frame, ...]
    negated: bool


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    data = lexicon_data()["clustering"]
    return _Vocabulary(
        stop=frozenset(str(w).lower() for w in with_calendar_words(data["stop_words"])),
        same_as={str(k).lower(): str(v).lower() for k, v in data["same_as"].items()},
        clause_break=re.compile(r"[,;:()\u2014\u2013]|\b(?:" + _alternatives(data["clause_breaks"]) + r")\b", re.I),
        negation=re.compile(r"\b(?:" + _alternatives(data["negations"]) + r")\b|n['’]t\b", re.I),
        multipliers={str(k).lower(): float(v) for k, v in data["multipliers"].items()},
        relative_pronouns=frozenset(str(w).lower() for w in data["relative_pronouns"]),
    )


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(str(w)) for w in words)


def stem(word: str, vocab: _Vocabulary | None = None) -> str | None:
    """The form a word is compared in, or None for a word that says nothing about the claim."""
    vocab = vocab or _vocabulary()
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    if not w or w in vocab.stop:
        return None
    if w in vocab.same_as:
        return vocab.same_as[w]
    for suffix, repl, min_len in (("ies", "y", 5), ("ied", "y", 5), ("ing", "", 6), ("ed", "", 5), ("es", "", 5), ("s", "", 4)):
        if w.endswith(suffix) and len(w) >= min_len:
            if suffix == "es" and not w[:-2].endswith(("s", "x", "z", "ch", "sh")):
                continue
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                continue
            w = w[: -len(suffix)] + repl
            if suffix in {"ing", "ed"} and len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
                w = w[:-1]  # "planned" -> "plan", but "killed" -> "kill"
            break
    if w in vocab.stop:
        return None
    return vocab.same_as.get(w, w)


def signature(text: str, vocab: _Vocabulary | None = None) -> frozenset[str]:
    vocab = vocab or _vocabulary()
    return frozenset(s for m in _WORD.finditer(text) if (s := stem(m.group(), vocab)) is not None)


def _frame_words(clause: str, vocab: _Vocabulary) -> tuple[frozenset[str], frozenset[str]]:
    """A clause's signature, and the stems of its capitalised words after the first (names:
    "Syrian", "Tartus"), which tie a frame to a particular subject."""
    words: set[str] = set()
    names: set[str] = set()
    for k, m in enumerate(_WORD.finditer(clause)):
        s = stem(m.group(), vocab)
        if s is None:
            continue
        words.add(s)
        if k > 0 and m.group()[:1].isupper():
            names.add(s)
    return frozenset(words), frozenset(names)


def _clause(text: str, pos: int, vocab: _Vocabulary) -> tuple[int, int]:
    """The clause of ``text`` around character ``pos``: between the nearest clause breaks."""
    start, end = 0, len(text)
    for m in vocab.clause_break.finditer(text):
        if m.end() <= pos:
            start = m.end()
        elif m.start() > pos:
            end = m.start()
            break
    return start, end


def _item(claim: Row, dates: Sequence[Row], vocab: _Vocabulary) -> _Item:
    text: str = claim["surface"]
    base: int = claim["start_char"]
    frames: list[_Frame] = []
    date_spans: list[tuple[int, int]] = []
    for d in dates:
        a, b = d["start_char"] - base, d["end_char"] - base
        date_spans.append((a, b))
        if d.get("interval_start") is None or d.get("interval_end") is None:
            continue
        c0, c1 = _clause(text, a, vocab)
        words, names = _frame_words(text[c0:a] + " " + text[b:c1], vocab)
        frames.append(_Frame(words, names, "date", interval=(d["interval_start"], d["interval_end"])))
    for m in _NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in date_spans):
            continue  # a year or a day of a date is the date's, not a count
        value = float(m.group().replace(",", ""))
        after = _WORD.match(text, m.end() + 1) if text[m.end() : m.end() + 1] == " " else None
        unit_word = after.group().lower() if after else None
        if unit_word in vocab.multipliers:
            value *= vocab.multipliers[unit_word]
            after = _WORD.match(text, after.end() + 1) if text[after.end() : after.end() + 1] == " " else None
            unit_word = after.group().lower() if after else None
        unit = stem(unit_word, vocab) if unit_word else None
        if unit is None:
            continue  # a bare number counts nothing that can be compared
        c0, c1 = _clause(text, m.start(), vocab)
        words, names = _frame_words(text[c0 : m.start()] + " " + text[m.end() : c1], vocab)
        frames.append(_Frame(words - {unit}, names, "number", value=value, unit=unit))
    return _Item(
        claim_id=claim["claim_id"],
        doc_id=claim["doc_id"],
        span=(claim["start_char"], claim["end_char"]),
        signature=signature(text, vocab),
        frames=tuple(f for f in frames if len(f.words) >= _MIN_SHARED),
        negated=_negated(text, vocab),
    )


def _spans_overlap(a: _Item, b: _Item) -> bool:
    return a.span[0] < b.span[1] and b.span[0] < a.span[1]


def _same(a: frozenset[str], b: frozenset[str], dice: float = _SAME_DICE, min_shared: int = _MIN_SHARED) -> bool:
    shared = len(a & b)
    return shared >= min_shared and 2 * shared >= dice * (len(a) + len(b))


def _negated(text: str, vocab: _Vocabulary) -> bool:
    """Whether a claim denies what it states: a negation in its main clause, not in a relative
    clause about one of its nouns ("voters who are not citizens"), nor an additive "not only"."""
    for m in vocab.negation.finditer(text):
        if re.match(r"\s+(?:just|only|merely)\b", text[m.end() :], re.I):
            continue
        before = _WORD.findall(text[max(0, m.start() - 30) : m.start()])[-3:]
        if not any(w.lower() in vocab.relative_pronouns for w in before):
            return True
    return False


def _same_frame(a: frozenset[str], b: frozenset[str]) -> bool:
    shared = len(a & b)
    return shared >= _MIN_SHARED and shared >= _FRAME_SHARE * min(len(a), len(b))


def _frames_match(f: _Frame, g: _Frame) -> bool:
    """Two frames say the same thing about the same subject: their words match and they share a
    name (two polls' margins of error share every word but the poll's)."""
    return f.kind == g.kind and bool(f.names & g.names) and _same_frame(f.words, g.words)


def _values_disagree(f: _Frame, g: _Frame) -> str | None:
    """The conflict kind when two frames of one kind carry values that cannot both hold."""
    if f.kind != g.kind:
        return None
    if f.kind == "date":
        (a0, a1), (b0, b1) = f.interval, g.interval  # type: ignore[misc]
        return "date" if a1 < b0 or b1 < a0 else None
    if f.unit != g.unit or f.value is None or g.value is None:
        return None
    big = max(abs(f.value), abs(g.value))
    return "number" if big and abs(f.value - g.value) > _NUMBER_TOLERANCE * big else None


Conflicts = dict[int, dict[int, set[str]]]
FramePair = tuple[int, _Frame]


def link_claims(claims: Sequence[Row], dates: Sequence[Row]) -> dict[str, ClaimLink]:
    """Cluster and conflict links for every claim of a corpus, by claim id."""
    items = _items(claims, dates, _vocabulary())
    parent = list(range(len(items)))
    conflicts: Conflicts = defaultdict(lambda: defaultdict(set))
    # Frame-level edges, for passing a conflict on to the claims that agree with one side:
    # "it entered the Chilean market in 2015" matches "Acme entered the Chilean market in 2015" but
    # shares too few words with "Acme's first sales in Chile came in 2014" to match it.
    frame_conflicts: list[tuple[int, _Frame, int, _Frame]] = []
    agreements: dict[FramePair, list[FramePair]] = defaultdict(list)
    # Components and conflict sets do not depend on the order pairs are read in.
    for (i, j), n in _shared_word_counts(items).items():
        if n < _MIN_SHARED:
            continue
        a, b = items[i], items[j]
        if a.doc_id == b.doc_id and _spans_overlap(a, b):
            continue
        same = _same(a.signature, b.signature)
        kinds, framed = _compare_frames(i, a, j, b, frame_conflicts, agreements)
        if a.negated != b.negated and _same(a.signature, b.signature, _POLARITY_DICE, _MIN_SHARED + 1):
            kinds.add("polarity")
        if same or framed:
            parent[_find(parent, i)] = _find(parent, j)
        for kind in kinds:
            conflicts[i][j].add(kind)
            conflicts[j][i].add(kind)
    _pass_on_conflicts(items, frame_conflicts, agreements, conflicts)
    return _links(items, parent, conflicts)


def _items(claims: Sequence[Row], dates: Sequence[Row], vocab: _Vocabulary) -> list[_Item]:
    """The claims in claim id order, each with the dates inside it."""
    dates_by_doc: dict[str, list[Row]] = defaultdict(list)
    for d in dates:
        dates_by_doc[d["doc_id"]].append(d)
    items: list[_Item] = []
    for c in sorted(claims, key=lambda c: c["claim_id"]):
        inside = [
            d for d in dates_by_doc.get(c["doc_id"], ()) if c["start_char"] <= d["start_char"] and d["end_char"] <= c["end_char"]
        ]
        items.append(_item(c, inside, vocab))
    return items


def _shared_word_counts(items: list[_Item]) -> dict[tuple[int, int], int]:
    """How many signature words each pair of claims shares, leaving out words too common to tell."""
    postings: dict[str, list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        for w in it.signature:
            postings[w].append(i)
    shared_counts: dict[tuple[int, int], int] = defaultdict(int)
    for ids in postings.values():
        if len(ids) > _MAX_POSTINGS:
            continue
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                shared_counts[(ids[x], ids[y])] += 1
    return shared_counts


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _compare_frames(
    i: int,
    a: _Item,
    j: int,
    b: _Item,
    frame_conflicts: list[tuple[int, _Frame, int, _Frame]],
    agreements: dict[FramePair, list[FramePair]],
) -> tuple[set[str], bool]:
    """The conflict kinds between two claims' matching frames, and whether any frame matched;
    records each frame-level conflict and agreement."""
    kinds: set[str] = set()
    framed = False
    for f in a.frames:
        for g in b.frames:
            if not _frames_match(f, g):
                continue
            framed = True
            kind = _values_disagree(f, g)
            if kind:
                kinds.add(kind)
                frame_conflicts.append((i, f, j, g))
            else:
                agreements[(i, f)].append((j, g))
                agreements[(j, g)].append((i, f))
    return kinds, framed


def _pass_on_conflicts(
    items: list[_Item],
    frame_conflicts: list[tuple[int, _Frame, int, _Frame]],
    agreements: dict[FramePair, list[FramePair]],
    conflicts: Conflicts,
) -> None:
    """A claim that states the same frame with the same value as one side of a conflict
    contradicts the other side too (one step: agreement is checked frame to frame)."""
    for i, f, j, g in frame_conflicts:
        for (x, fx), (y, gy) in (((i, f), (j, g)), ((j, g), (i, f))):
            for k, h in agreements.get((y, gy), ()):
                if k == x or (items[k].doc_id == items[x].doc_id and _spans_overlap(items[k], items[x])):
                    continue
                kind = _values_disagree(fx, h)
                if kind:
                    conflicts[x][k].add(kind)
                    conflicts[k][x].add(kind)


def _links(items: list[_Item], parent: list[int], conflicts: Conflicts) -> dict[str, ClaimLink]:
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        members[_find(parent, i)].append(i)
    out: dict[str, ClaimLink] = {}
    for group in members.values():
        cluster_id = min(items[i].claim_id for i in group)
        for i in group:
            mine = conflicts.get(i, {})
            out[items[i].claim_id] = ClaimLink(
                cluster_id=cluster_id,
                conflicting_claim_ids=tuple(sorted(items[j].claim_id for j in mine)),
                conflict_kinds=tuple(sorted({k for ks in mine.values() for k in ks})),
            )
    return out
