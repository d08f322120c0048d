"""Claims that state the same thing across documents, and the ones among them that disagree.

`link_claims(claims, dates, published)` works on claims rows and dates rows of a whole corpus (the
extract stage's rows: a claim's ``doc_id``, ``claim_id``, span, ``surface`` and ``entity_ids``; a
date's span and calendar interval) and each document's publication day, and returns, per claim
id, its cluster and its conflicts. What it reads of a claim (its *item*) comes from its own
document's rows alone, so the extract stage reads the items where each document is extracted
(`document_items`), gathers them with the entity ids (`Items`) and links them (`link_items`).

What a claim states is read from its words and its entities, not its speaker (the word lists are
those of ``cues.yaml``, ``clustering``; `wording` reads them):

- its *signature*: the content words of its surface, stemmed, with function words, speech verbs and
  time words left out, and variants that say the same thing mapped to one form ("entry" and
  "entered" -> "enter", "Chilean" -> "chile");
- its *predicate*: the signature's words written in lower case, less the words that say who
  someone is ("presumptive nominee"): what happens, not to whom;
- its *entities*: the canonical entity ids of the mentions inside it, the same for "Mr. Trump" and
  "Donald J. Trump";
- its *frames*: for each date, number and fraction ("three-quarters": 75 percent) inside it, the
  signature of the clause around it ("the company entered the Chilean market" around "in 2015"),
  with what the number counts ("$5 million": dollar, "40%": percent, "25 people": people),
  whether the clause is denied, and whether a date is written with its year;
- its *denial*: the words in the reach of its main-clause negation ("Mexico would not pay for a
  wall": pay, wall), and whether it states a fact at all (no question, no wish: "Sanders to
  accept the reality");
- its *standing*: the shares its poll figures give candidates, and the group polled (`polls`).

Two claims are compared only when they share two of their rarer words (`candidates`: each claim is
keyed by the pairs of its twelve rarest signature words; a key held by more than a few hundred
claims proposes nothing), or give shares to the same two candidates, which keeps the linking of
tens of thousands of claims to seconds and never compares all pairs. Two claims whose entities are both known and
have none in common are about other subjects. Otherwise they state the same thing when they share
at least two predicate words and either most of their words (at least three, Dice coefficient) or
nearly all of the shorter one's (a short claim restated inside a long quotation); when a frame of
one matches a frame of the other: at least three shared words covering three quarters of the
smaller frame and half of the larger, and a shared name (a capitalised word past the clause's
first) or a shared entity; or when their polls give the same candidates the same shares. Clusters
are the connected groups of such pairs; a claim alone is its own cluster. Within one document, a
claim never pairs with a claim whose span overlaps its own (a quote inside the reported speech
that holds it restates it).

Two claims conflict when matching frames carry disjoint calendar intervals, both written with a
year (a date conflict: "in 2015" against "in the spring of 2014"; a weekday is read against each
article's own day), numbers of the same thing that differ by more than a tenth (a number conflict:
"25 people" against "40 people"), or the same value in a clause that only one of them denies;
frames that share only two words, one of them no name, still conflict on a year ("the 2011
attacks in Benghazi" against "2012 Benghazi attacks") or on a denied figure of at least a thousand,
without joining a cluster. Polls conflict when they give a common candidate other shares of the
same group in articles not known to be more than a week apart (percent frames of such claims are
left to the polls). A denial conflicts with a claim that states as a fact what it denies: the
first denied word and half of the claim's other words are in the negation's reach, about one
subject (a polarity conflict; a negation inside a relative clause or a condition, a denied gerund
"for not releasing", or a claim that holds a denying verb such as "ban" does not count). Conflicts
point both ways. ``broadsheet evaluate claim-pairs`` measures all this on hand-labelled pairs of
PolNeAR claims from different outlets.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from broadsheet.extract.claims import polls
from broadsheet.extract.claims.candidates import candidate_pairs
from broadsheet.extract.claims.wording import (
    NUMBER,
    YEAR,
    Vocabulary,
    asserts,
    clause,
    denied_words,
    frame_words,
    load_vocabulary,
    main_negation,
    negated,
    quantity,
    signature,
    word_sets,
)
from broadsheet.frames import ColumnRows
from broadsheet.schema import vocabulary

Row = Mapping[str, Any]

CONFLICT_KINDS = vocabulary("claims", "conflict_kinds")

_MIN_SHARED = 3
_SAME_DICE = 0.6
_FRAME_SHARE = 0.75
# ... and half of the larger one's: "Trump leads Clinton among men by 8 points" is not the frame of
# "Trump leads Clinton" with another figure.
_FRAME_OF_LARGER = 0.5
# Frames that share only two words and two thirds of the smaller one's ("2012 Benghazi attacks"
# against "the 2011 terrorist attacks in Benghazi") are close enough to disagree, not to agree:
# they flag a conflict (on a year, or on a denied figure at least this large) but join no cluster.
_LOOSE_FRAME_SHARED = 2
_LOOSE_FRAME_SHARE = 0.66
_LOOSE_FIGURE = 1000
_NUMBER_TOLERANCE = 0.1
# A claim that shares this many words, and this share of the shorter one's, restates it.
_CONTAINED_SHARED = 4
_CONTAINED_SHARE = 0.75
# Two claims state the same thing only when they share this many words of what happens.
_MIN_PREDICATE = 2
# A denial contradicts a claim when the words it denies include this many of the claim's.
_DENIED_SHARED = 2
_DENIED_COVER = 0.5
# Poll figures of articles further apart than this are not compared.
_POLL_WINDOW_DAYS = 7


@dataclass(frozen=True, slots=True)
class ClaimLink:
    """A claim's cluster (the smallest claim id in it) and the claims it conflicts with."""

    cluster_id: str
    conflicting_claim_ids: tuple[str, ...]
    conflict_kinds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Frame:
    words: frozenset[str]
    names: frozenset[str]  # the capitalised words among them, past the clause's first word
    kind: str  # "date" or "number"
    interval: tuple[Any, Any] | None = None  # calendar interval of a date
    value: float | None = None  # a number's value
    unit: str | None = None  # the stem of the word the number counts
    negated: bool = False  # whether the clause around it is denied
    # Whether a date is written with its year ("in 2015", "Sept. 11, 2001"), not read against the
    # article's own day ("on Monday", "next week", "today").
    absolute: bool = False


@dataclass(frozen=True, slots=True)
class _Item:
    claim_id: str
    doc_id: str
    span: tuple[int, int]
    signature: frozenset[str]
    frames: tuple[_Frame, ...]
    negated: bool
    # The signature's words that are not of its predicate (the words that say what happens, not
    # who it happens to: those written in lower case, less the words that describe a person's
    # role, "presidential front-runner"). Held as what the predicate lacks, which is a few names
    # and role words, instead of the predicate itself, which is most of the signature: every
    # claim's item is held while the corpus is linked.
    not_predicate: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()
    # The stems of the capitalised words: a shared one ties two claims to one subject.
    names: frozenset[str] = frozenset()
    # The lower-case words a main-clause negation denies ("would not pay for a wall": pay, wall).
    denied: frozenset[str] = frozenset()
    # The first word it denies ("pay" in "would not pay for a wall").
    denied_head: str | None = None
    # The words of the negation's clause before it: who denies or is denied ("Mexico").
    subject: frozenset[str] = frozenset()
    # Whether a verb that denies what follows it ("ban", "refuse") is in the claim.
    contrary: bool = False
    # Whether it states something as a fact: not a question ("whether he would support Trump"),
    # not a wish ("Sanders to accept the reality"), not a bare noun phrase.
    asserts: bool = True
    standing: polls.Standing = polls.Standing()


def _item(claim: Row, dates: Sequence[Row], vocab: Vocabulary) -> _Item:
    text: str = claim["surface"]
    base: int = claim["start_char"]
    frames: list[_Frame] = []
    date_spans: list[tuple[int, int]] = []
    for d in dates:
        a, b = d["start_char"] - base, d["end_char"] - base
        date_spans.append((a, b))
        if d.get("interval_start") is None or d.get("interval_end") is None:
            continue
        c0, c1 = clause(text, a, vocab)
        words, names = frame_words(text[c0:a] + " " + text[b:c1], vocab)
        interval = (d["interval_start"], d["interval_end"])
        absolute = bool(YEAR.search(text, max(a, 0), b))
        frames.append(_Frame(words, names, "date", interval=interval, negated=negated(text[c0:c1], vocab), absolute=absolute))
    for m in NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in date_spans):
            continue  # a year or a day of a date is the date's, not a count
        value, unit, end = quantity(text, m, vocab)
        if unit is None:
            continue  # a bare number counts nothing that can be compared
        if unit == "percent" and value == 100:
            continue  # "supports him 100 percent": a way of saying "fully", not a figure
        c0, c1 = clause(text, m.start(), vocab)
        words, names = frame_words(text[c0 : m.start()] + " " + text[end:c1], vocab)
        denies = negated(text[c0:c1], vocab)
        frames.append(_Frame(words - {unit}, names, "number", value=value, unit=unit, negated=denies))
    for m in vocab.fractions.finditer(text):
        # "three-quarters of Republican voters": a share, compared with "65 percent of Republicans".
        c0, c1 = clause(text, m.start(), vocab)
        words, names = frame_words(text[c0 : m.start()] + " " + text[m.end() : c1], vocab)
        value = vocab.fraction_values[m.group().lower()]
        frames.append(_Frame(words, names, "number", value=value, unit="percent", negated=negated(text[c0:c1], vocab)))
    denial = main_negation(text, vocab)
    denial_words = denied_words(text, denial, vocab) if denial is not None else ()
    words = word_sets(text, vocab)
    return _Item(
        claim_id=claim["claim_id"],
        doc_id=claim["doc_id"],
        span=(claim["start_char"], claim["end_char"]),
        signature=words.signature,
        entities=frozenset(claim.get("entity_ids") or ()),
        frames=tuple(f for f in frames if len(f.words) >= _MIN_SHARED),
        negated=denial is not None,
        not_predicate=words.signature - words.predicate,
        names=words.names,
        denied=frozenset(denial_words),
        denied_head=denial_words[0] if denial_words else None,
        subject=signature(text[clause(text, denial.start(), vocab)[0] : denial.start()], vocab) if denial else frozenset(),
        contrary=words.contrary,
        asserts=asserts(text, vocab),
        standing=polls.standing(text),
    )


def _spans_overlap(a: _Item, b: _Item) -> bool:
    return a.span[0] < b.span[1] and b.span[0] < a.span[1]


def _same(a: frozenset[str], b: frozenset[str], dice: float = _SAME_DICE, min_shared: int = _MIN_SHARED) -> bool:
    shared = len(a & b)
    return shared >= min_shared and 2 * shared >= dice * (len(a) + len(b))


def _contained(a: frozenset[str], b: frozenset[str]) -> bool:
    """One claim restates most of the other: a short claim inside a longer quotation."""
    shared = len(a & b)
    return shared >= _CONTAINED_SHARED and shared >= _CONTAINED_SHARE * min(len(a), len(b))


def _same_frame(a: frozenset[str], b: frozenset[str], loose: bool = False) -> bool:
    shared = len(a & b)
    shortest, longest = sorted((len(a), len(b)))
    least, share = (_LOOSE_FRAME_SHARED, _LOOSE_FRAME_SHARE) if loose else (_MIN_SHARED, _FRAME_SHARE)
    return shared >= least and shared >= share * shortest and shared >= _FRAME_OF_LARGER * longest


def _frames_match(f: _Frame, g: _Frame, shared_entities: frozenset[str] = frozenset(), loose: bool = False) -> bool:
    """Two frames say the same thing about the same subject: their words match and they share a
    name, or their claims share a canonical entity (two polls' margins of error share every word
    but the poll's)."""
    return f.kind == g.kind and bool(f.names & g.names or shared_entities) and _same_frame(f.words, g.words, loose)


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


def link_claims(
    claims: Sequence[Row], dates: Sequence[Row], published: Mapping[str, dt.date | None] | None = None
) -> dict[str, ClaimLink]:
    """Cluster and conflict links for every claim of a corpus, by claim id; ``published`` gives
    each document's publication day, without which its poll figures are compared with none."""
    return link_items(_items(claims, dates, load_vocabulary()), published)


class Items:
    """What linking reads of each claim of a corpus, gathered a document at a time.

    A claim's item is read from its own document's claim and date rows, so the extract stage
    reads them where each document is extracted (in worker processes when it has them) and
    adds the canonical entity ids, known only once the whole corpus is extracted, here.
    `link_items` then links them; the links are those `link_claims` gives for the same rows.

    Each document's items are held packed until they are taken: made into objects one document
    at a time, between the rows and columns of the documents after it, the items were left
    scattered through the heap when they were let go, and validation after the extract stage
    could not reuse that memory (on the silver corpus x4, the run's peak went from 1,049 MiB to
    1,171 and 1,190, at the release suite).
    """

    def __init__(self) -> None:
        self._packed: list[tuple[bytes, bytes]] = []

    def add(self, items: Sequence[_Item] | bytes, entity_ids: Sequence[Sequence[str]]) -> None:
        """One document's `document_items` (or them pickled, as `pickle_items` gives them), with
        each claim's entity ids (in the same order)."""
        packed = items if isinstance(items, bytes) else pickle_items(items)
        self._packed.append((packed, pickle.dumps([list(e) for e in entity_ids], protocol=pickle.HIGHEST_PROTOCOL)))

    def taken(self) -> list[_Item]:
        """Every item added, in claim id order (as `link_claims` reads the claims); this holds none after."""
        shared: dict[Any, Any] = {}
        items: list[_Item] = []
        packed, self._packed = self._packed, []
        while packed:
            # pickle: bytes this run's processes wrote, never read from outside it.
            doc_items, entity_ids = pickle.loads(packed[-1][0]), pickle.loads(packed[-1][1])
            packed.pop()
            for item, entities in zip(doc_items, entity_ids, strict=True):
                items.append(_compact(replace(item, entities=frozenset(entities)), shared))
        items.sort(key=lambda item: item.claim_id)
        return items


def pickle_items(items: Sequence[_Item]) -> bytes:
    """One document's items as `Items.add` takes them packed."""
    return pickle.dumps(list(items), protocol=pickle.HIGHEST_PROTOCOL)


def document_items(claims: Sequence[Row], dates: Sequence[Row]) -> list[_Item]:
    """The items of one document's claims (rows with ``claim_id``, ``doc_id``, ``start_char``,
    ``end_char`` and ``surface``), in their order, each with the document's dates inside it
    (rows with their span and ``interval_start``/``interval_end``); without entity ids."""
    vocab = load_vocabulary()
    return [
        _item(c, [d for d in dates if c["start_char"] <= d["start_char"] and d["end_char"] <= c["end_char"]], vocab)
        for c in claims
    ]


def link_items(items: list[_Item], published: Mapping[str, dt.date | None] | None = None) -> dict[str, ClaimLink]:
    """`link_claims` over the items of a corpus's claims, in claim id order (`Items.taken`)."""
    published = published or {}
    parent = list(range(len(items)))
    conflicts: Conflicts = defaultdict(lambda: defaultdict(set))
    # Frame-level edges, for passing a conflict on to the claims that agree with one side:
    # "it entered the Chilean market in 2015" matches "Acme entered the Chilean market in 2015" but
    # shares too few words with "Acme's first sales in Chile came in 2014" to match it.
    frame_conflicts: list[tuple[int, _Frame, int, _Frame]] = []
    agreements: dict[FramePair, list[FramePair]] = defaultdict(list)
    # Components and conflict sets do not depend on the order pairs are read in.
    for i, j in candidate_pairs(items):
        a, b = items[i], items[j]
        if a.doc_id == b.doc_id and _spans_overlap(a, b):
            continue
        if a.entities and b.entities and not a.entities & b.entities:
            continue  # both name their subjects, and no entity is common to them: other subjects
        common = a.signature & b.signature
        # The predicates' common words: those of the signatures', less either's non-predicate words.
        says_alike = len(common) >= _MIN_PREDICATE and len(common - a.not_predicate - b.not_predicate) >= _MIN_PREDICATE
        same = says_alike and (_same(a.signature, b.signature) or _contained(a.signature, b.signature))
        framed_both, polled_both = a.frames and b.frames, a.standing.shares and b.standing.shares
        # Most pairs have no frame or no poll on one side: their articles' days are never read.
        near = not _far(a, b, published) if framed_both or polled_both else True
        kinds, framed = _compare_frames(i, a, j, b, near, frame_conflicts, agreements) if framed_both else (set(), False)
        if _denies(a, b) or _denies(b, a):
            kinds.add("polarity")
        poll = polls.compare(a.standing, b.standing) if near and polled_both else None
        if poll == "conflict":
            kinds.add("number")
        if same or framed or poll == "agree":
            parent[_find(parent, i)] = _find(parent, j)
        for kind in kinds:
            conflicts[i][j].add(kind)
            conflicts[j][i].add(kind)
    _pass_on_conflicts(items, frame_conflicts, agreements, conflicts)
    return _links(items, parent, conflicts)


def _denies(a: _Item, b: _Item) -> bool:
    """Claim ``a`` denies what ``b`` asserts of the same subject: the words its negation denies
    include two of ``b``'s, the first of them, and half of the others ``b`` states ("Mexico would
    not pay for a wall" against "he will ensure Mexico pays for the wall": the same act denied),
    both state facts, they are about one subject (a shared name or entity, or where neither names
    anyone, a word of what comes before the negation in its clause: "the dam operator never opened
    the gates"), and ``b`` neither denies anything nor holds a verb that denies ("ban Muslims from entering"
    states what "not allowing Muslims to enter" does)."""
    if not a.denied or b.negated or b.contrary or not (a.asserts and b.asserts):
        return False
    unnamed = not (a.names or b.names or a.entities or b.entities)
    if not (a.names & b.names or a.entities & b.entities or (unnamed and a.subject & b.signature)):
        return False
    shared = a.denied & b.signature
    # What b states, less the names a gives: a denial of two of its twenty words is about
    # something else ("would not support Clinton" against a long claim on superdelegates).
    stated = b.signature - a.names
    return a.denied_head in shared and len(shared) >= _DENIED_SHARED and len(shared) >= _DENIED_COVER * len(stated)


def _far(a: _Item, b: _Item, published: Mapping[str, dt.date | None]) -> bool:
    """Whether the claims' articles are known to be more than a week apart: a poll's shares a
    month later measure another moment, so percentages are not compared between them."""
    da, db = published.get(a.doc_id), published.get(b.doc_id)
    return da is not None and db is not None and abs((da - db).days) > _POLL_WINDOW_DAYS


def _items(claims: Sequence[Row], dates: Sequence[Row], vocab: Vocabulary) -> list[_Item]:
    """The claims in claim id order, each with the dates inside it."""
    dates_by_doc: dict[str, list[Row]] = defaultdict(list)
    for d in dates:
        dates_by_doc[d["doc_id"]].append(d)
    items: list[_Item] = []
    shared: dict[Any, Any] = {}
    # Rows held as columns are sorted as columns and read one at a time, never all as dicts.
    ordered = (
        ColumnRows(claims.frame.sort("claim_id"))
        if isinstance(claims, ColumnRows)
        else sorted(claims, key=lambda c: c["claim_id"])
    )
    for c in ordered:
        inside = [
            d for d in dates_by_doc.get(c["doc_id"], ()) if c["start_char"] <= d["start_char"] and d["end_char"] <= c["end_char"]
        ]
        items.append(_compact(_item(c, inside, vocab), shared))
    return items


_EMPTY: frozenset[str] = frozenset()
_NO_STANDING = polls.Standing()


def _compact(item: _Item, shared: dict[Any, Any]) -> _Item:
    """The same item with each of its sets one object across the corpus for all the items that
    hold the same set, each word and entity id one string object, and one empty poll standing for
    every claim without a poll (`shared` holds them: one dict for a corpus's items).

    Every claim's item is held while the corpus is linked. On the 2,452 silver articles a claim's
    empty sets (about 220 bytes each) and its own copies of entity ids were a sixth of its item;
    items read in worker processes come back with strings of their own for every word of every
    document; and a story repeated across outlets gives the same sets again and again (on the
    silver corpus x4, the articles and three altered copies, the items and the dates read with them
    took 67 MiB instead of 168; on the articles alone, 39 instead of 47).
    """

    def one(found: frozenset[str]) -> frozenset[str]:
        if not found:
            return _EMPTY
        known = shared.get(found)
        if known is None:
            known = frozenset(shared.setdefault(word, word) for word in found)
            shared[known] = known
        return known

    return replace(
        item,
        signature=one(item.signature),
        not_predicate=one(item.not_predicate),
        standing=item.standing if item.standing.shares or item.standing.group else _NO_STANDING,
        entities=one(item.entities),
        names=one(item.names),
        denied=one(item.denied),
        subject=one(item.subject),
        frames=tuple(replace(f, words=one(f.words), names=one(f.names)) for f in item.frames) if item.frames else (),
    )


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
    near: bool,
    frame_conflicts: list[tuple[int, _Frame, int, _Frame]],
    agreements: dict[FramePair, list[FramePair]],
) -> tuple[set[str], bool]:
    """The conflict kinds between two claims' matching frames, and whether any frame matched;
    records each frame-level conflict and agreement. Percentages are compared only between
    articles not known to be weeks apart (`_far`), and not at all where a claim gives two
    candidates' shares:
    those are compared candidate by candidate (`polls`), and a margin ("leading by 2.2 percent")
    is no share. Dates disagree only when both are written with their year: a weekday or "next
    week" is read against each article's own day, and two articles name one day from either side.
    Two claims that give one frame the same value agree on it, whatever other dates or figures of
    theirs differ (a list of dates in both: "the bombing in 1995 and the attacks of 2001")."""
    polled = len(a.standing.shares) >= 2 or len(b.standing.shares) >= 2
    kinds: set[str] = set()
    found: list[tuple[str, _Frame, _Frame]] = []
    agreed: set[str] = set()
    framed = False
    for f in a.frames:
        for g in b.frames:
            if "percent" in (f.unit, g.unit) and (polled or not near):
                continue
            if not _frames_match(f, g, a.entities & b.entities, loose=True):
                continue
            strict = _frames_match(f, g, a.entities & b.entities)
            kind = _values_disagree(f, g)
            if kind == "date" and not (f.absolute and g.absolute):
                continue
            if not strict and not _loose_conflict(f, g, kind):
                continue
            framed = framed or strict
            if kind:
                found.append((kind, f, g))
                continue
            agreed.add(f.kind)
            if f.negated != g.negated and (f.kind == "number" or f.interval == g.interval):
                # The same figure or date, and only one clause denies it; a date only when it is the
                # same one ("in 2016" does not restate "in July").
                kinds.add("polarity")
            elif strict:
                agreements[(i, f)].append((j, g))
                agreements[(j, g)].append((i, f))
    for kind, f, g in found:
        if f.kind not in agreed:
            kinds.add(kind)
            frame_conflicts.append((i, f, j, g))
    return kinds, framed


def _loose_conflict(f: _Frame, g: _Frame, kind: str | None) -> bool:
    """Whether frames that match only loosely still conflict: they share a word that is no name
    (the event: "attacks" of "2012 Benghazi attacks") and either date it differently, or state the
    same large figure ("250,000 Syrian refugees") and only one denies it; a figure that large is
    rarely stated of two different things in one week."""
    if not (f.words & g.words) - f.names - g.names:
        return False
    if kind == "date":
        return True
    same_figure = kind is None and f.kind == "number" and f.value == g.value and (f.value or 0) >= _LOOSE_FIGURE
    return same_figure and f.negated != g.negated


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
