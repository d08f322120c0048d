"""Claims that state the same thing across documents, and the ones among them that disagree.

`link_claims(claims, dates)` works on claims rows and dates rows of a whole corpus (the extract
stage's rows: a claim's ``doc_id``, ``claim_id``, span, ``surface`` and ``entity_ids``; a date's
span and calendar interval) and returns, per claim id, its cluster and its conflicts.

What a claim states is read from its words and its entities, not its speaker:

- its *signature*: the content words of its surface, stemmed, with function words, speech verbs and
  time words left out (``cues.yaml``, ``clustering``), and variants that say the same thing mapped
  to one form ("entry" and "entered" -> "enter", "Chilean" -> "chile");
- its *predicate*: the signature's words written in lower case, less the words that say who
  someone is ("presumptive nominee"): what happens, not to whom;
- its *entities*: the canonical entity ids of the mentions inside it, the same for "Mr. Trump" and
  "Donald J. Trump";
- its *frames*: for each date and each number inside it, the signature of the clause around it
  ("the company entered the Chilean market" around "in 2015"), with what the number counts ("$5
  million": dollar, "40%": percent, "25 people": people) and whether the clause is denied.

Two claims are compared only when they share two of their rarer words (each claim is keyed by the
pairs of its twelve rarest signature words; a key held by more than a few hundred claims proposes
nothing), which keeps the linking of tens of thousands of claims to seconds and never compares all
pairs. Two claims whose entities are both known and have none in common are about other subjects.
Otherwise they state the same thing when they share at least two predicate words and either most
of their words (at least three, Dice coefficient) or nearly all of the shorter one's (a short claim
restated inside a long quotation); or when a frame of one matches a frame of the other: at least
three shared words covering three quarters of the smaller frame and half of the larger, and a
shared name (a capitalised word past the clause's first) or a shared entity. Clusters are the
connected groups of such pairs; a claim alone is its own cluster. Within one document, a claim
never pairs with a claim whose span overlaps its own (a quote inside the reported speech that holds
it restates it).

Two claims of a cluster conflict when matching frames carry disjoint calendar intervals (a date
conflict: "in 2015" against "in the spring of 2014"), numbers of the same thing that differ by
more than a tenth (a number conflict: "25 people" against "40 people"), or the same value in a
clause that only one of them denies, or when they say nearly the same words and only one denies
them in its main clause (a polarity conflict; a negation inside a relative clause or a condition
does not count). Conflicts point both ways. ``broadsheet evaluate claim-pairs`` measures all this on
hand-labelled pairs of PolNeAR claims from different outlets.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
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
# ... and half of the larger one's: "Trump leads Clinton among men by 8 points" is not the frame of
# "Trump leads Clinton" with another figure.
_FRAME_OF_LARGER = 0.5
_NUMBER_TOLERANCE = 0.1
# Pairs of words in more claims than this are too common to propose pairs (they still count in a
# match); a claim is keyed by pairs of its rarest words only.
_MAX_POSTINGS = 200
_KEY_WORDS = 12
# A claim that shares this many words, and this share of the shorter one's, restates it.
_CONTAINED_SHARED = 4
_CONTAINED_SHARE = 0.75
# Two claims state the same thing only when they share this many words of what happens.
_MIN_PREDICATE = 2

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
    sign_units: Mapping[str, str]
    roles: frozenset[str]


@dataclass(frozen=True)
class _Frame:
    words: frozenset[str]
    names: frozenset[str]  # the capitalised words among them, past the clause's first word
    kind: str  # "date" or "number"
    interval: tuple[Any, Any] | None = None  # calendar interval of a date
    value: float | None = None  # a number's value
    unit: str | None = None  # the stem of the word the number counts
    negated: bool = False  # whether the clause around it is denied


@dataclass(frozen=True)
class _Item:
    claim_id: str
    doc_id: str
    span: tuple[int, int]
    signature: frozenset[str]
    frames: tuple[_Frame, ...]
    negated: bool
    # The words that say what happens, not who it happens to: those written in lower case, less
    # the words that describe a person's role ("presidential front-runner").
    predicate: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    data = lexicon_data()["clustering"]
    return _Vocabulary(
        stop=frozenset(str(w).lower() for w in with_calendar_words(data["stop_words"])),
        same_as={str(k).lower(): str(v).lower() for k, v in data["same_as"].items()},
        # A comma before a number lists figures ("100,000, 200,000 or 250,000"); it ends no clause.
        clause_break=re.compile(r",(?!\s*\d)|[;:()\u2014\u2013]|\b(?:" + _alternatives(data["clause_breaks"]) + r")\b", re.I),
        negation=re.compile(r"\b(?:" + _alternatives(data["negations"]) + r")\b|n['’]t\b", re.I),
        multipliers={str(k).lower(): float(v) for k, v in data["multipliers"].items()},
        relative_pronouns=frozenset(str(w).lower() for w in data["relative_pronouns"]),
        sign_units={str(k): str(v).lower() for k, v in data["sign_units"].items()},
        roles=frozenset(str(w).lower() for w in data["role_words"]),
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
    form = _form(w, vocab)
    return None if form in vocab.stop else form


def _form(w: str, vocab: _Vocabulary) -> str:
    """A lower-cased word without its inflection, mapped to the word it varies ("entry" -> "enter")."""
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
        interval = (d["interval_start"], d["interval_end"])
        frames.append(_Frame(words, names, "date", interval=interval, negated=_negated(text[c0:c1], vocab)))
    for m in _NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in date_spans):
            continue  # a year or a day of a date is the date's, not a count
        value, unit, end = _quantity(text, m, vocab)
        if unit is None:
            continue  # a bare number counts nothing that can be compared
        c0, c1 = _clause(text, m.start(), vocab)
        words, names = _frame_words(text[c0 : m.start()] + " " + text[end:c1], vocab)
        negated = _negated(text[c0:c1], vocab)
        frames.append(_Frame(words - {unit}, names, "number", value=value, unit=unit, negated=negated))
    return _Item(
        claim_id=claim["claim_id"],
        doc_id=claim["doc_id"],
        span=(claim["start_char"], claim["end_char"]),
        signature=signature(text, vocab),
        entities=frozenset(claim.get("entity_ids") or ()),
        frames=tuple(f for f in frames if len(f.words) >= _MIN_SHARED),
        negated=_negated(text, vocab),
        predicate=_predicate(text, vocab),
    )


def _predicate(text: str, vocab: _Vocabulary) -> frozenset[str]:
    out = set()
    for m in _WORD.finditer(text):
        if m.group()[:1].isupper():
            continue
        s = stem(m.group(), vocab)
        if s is not None and s not in vocab.roles:
            out.add(s)
    return frozenset(out)


def _quantity(text: str, m: re.Match[str], vocab: _Vocabulary) -> tuple[float, str | None, int]:
    """A number's value, the form of what it counts and where its quantity ends: "$5 million"
    (dollar), "40%" (percent), "3 million people" (people), "25 people"; no unit for a bare number
    or one followed by a function word ("45 to 40")."""
    value = float(m.group().replace(",", ""))
    end = m.end()
    unit = vocab.sign_units.get(text[m.start() - 1]) if m.start() else None
    nxt = _next_word(text, end)
    if nxt and nxt[0].lower() in vocab.multipliers:
        value *= vocab.multipliers[nxt[0].lower()]
        end = nxt[1]
        nxt = _next_word(text, end)
    if unit is not None:
        return value, unit, end
    if text[end : end + 1] in vocab.sign_units:
        return value, vocab.sign_units[text[end]], end + 1
    if nxt:
        w = nxt[0].lower().replace("’", "'")
        form = _form(w, vocab)
        if w not in vocab.stop or form in vocab.sign_units.values():
            return value, form, nxt[1]
    return value, None, end


def _next_word(text: str, pos: int) -> tuple[str, int] | None:
    """The word right after one space at ``pos``, and where it ends."""
    if text[pos : pos + 1] != " ":
        return None
    w = _WORD.match(text, pos + 1)
    return (w.group(), w.end()) if w else None


def _spans_overlap(a: _Item, b: _Item) -> bool:
    return a.span[0] < b.span[1] and b.span[0] < a.span[1]


def _same(a: frozenset[str], b: frozenset[str], dice: float = _SAME_DICE, min_shared: int = _MIN_SHARED) -> bool:
    shared = len(a & b)
    return shared >= min_shared and 2 * shared >= dice * (len(a) + len(b))


def _contained(a: frozenset[str], b: frozenset[str]) -> bool:
    """One claim restates most of the other: a short claim inside a longer quotation."""
    shared = len(a & b)
    return shared >= _CONTAINED_SHARED and shared >= _CONTAINED_SHARE * min(len(a), len(b))


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
    shortest, longest = sorted((len(a), len(b)))
    return shared >= _MIN_SHARED and shared >= _FRAME_SHARE * shortest and shared >= _FRAME_OF_LARGER * longest


def _frames_match(f: _Frame, g: _Frame, shared_entities: frozenset[str] = frozenset()) -> bool:
    """Two frames say the same thing about the same subject: their words match and they share a
    name, or their claims share a canonical entity (two polls' margins of error share every word
    but the poll's)."""
    return f.kind == g.kind and bool(f.names & g.names or shared_entities) and _same_frame(f.words, g.words)


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
    for i, j in sorted(_candidate_pairs(items)):
        a, b = items[i], items[j]
        if a.doc_id == b.doc_id and _spans_overlap(a, b):
            continue
        says_alike = len(a.predicate & b.predicate) >= _MIN_PREDICATE
        if a.entities and b.entities and not a.entities & b.entities:
            continue  # both name their subjects, and no entity is common to them: other subjects
        same = says_alike and (_same(a.signature, b.signature) or _contained(a.signature, b.signature))
        kinds, framed = _compare_frames(i, a, j, b, frame_conflicts, agreements)
        if says_alike and a.negated != b.negated and _same(a.signature, b.signature, _POLARITY_DICE, _MIN_SHARED + 1):
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


def _candidate_pairs(items: list[_Item]) -> set[tuple[int, int]]:
    """The pairs of claims worth comparing: those that share two of their rarer words.

    Two keys propose pairs, and a key held by more than `_MAX_POSTINGS` claims proposes nothing,
    so the work grows with the number of claims, not with its square: a single word, for claims
    that share two such words; and a pair of words among each claim's `_KEY_WORDS` rarest, so
    that two claims whose shared words are all common ("Muslims", "United States") are still
    proposed by the rarer pair among them ("enter" and "Muslims").
    """
    frequency: Counter[str] = Counter(w for it in items for w in it.signature)
    singles: dict[str, list[int]] = defaultdict(list)
    doubles: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        # A word no other claim has cannot be shared: the rarest of the others key the claim.
        shareable = [w for w in it.signature if frequency[w] > 1]
        for w in shareable:
            singles[w].append(i)
        rare = sorted(shareable, key=lambda w: (frequency[w], w))[:_KEY_WORDS]
        for key in combinations(sorted(rare), 2):
            doubles[key].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in singles.values():
        if len(ids) <= _MAX_POSTINGS:
            shared.update(combinations(ids, 2))
    pairs = {pair for pair, n in shared.items() if n >= 2}
    for ids in doubles.values():
        if len(ids) <= _MAX_POSTINGS:
            pairs.update(combinations(ids, 2))
    return pairs


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
            if not _frames_match(f, g, a.entities & b.entities):
                continue
            framed = True
            kind = _values_disagree(f, g)
            if kind:
                kinds.add(kind)
                frame_conflicts.append((i, f, j, g))
            elif f.negated != g.negated:
                kinds.add("polarity")  # the same figure or date, and only one clause denies it
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
