"""Which claims the claim clusters compare: those that share two of their rarer words.

Comparing every pair of a corpus's claims grows with the square of their number; the clusters
(`broadsheet.extract.claims.clusters`) compare only the pairs proposed here, from postings of
words and of pairs of rare words, made a range of claims at a time and handed over in order.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np

from broadsheet.extract.claims import polls

# Pairs of words in more claims than this are too common to propose pairs (they still count in a
# match); a claim is keyed by pairs of its rarest words only.
_MAX_POSTINGS = 200
_KEY_WORDS = 12


class Keyed(Protocol):
    """What a claim is keyed by: its signature words and its poll standing."""

    @property
    def signature(self) -> frozenset[str]: ...

    @property
    def standing(self) -> polls.Standing: ...


def candidate_pairs(items: Sequence[Keyed]) -> Iterator[tuple[int, int]]:
    """The pairs (i, j), i < j, of `items` worth comparing, in ascending order."""
    return _in_order(_pair_keys(items), len(items))


def _in_order(blocks: Iterator[np.ndarray], n: int, block: int = 1 << 16):
    """The pairs (i, j) of ascending keys ``i * n + j``, given as ascending arrays of keys, a
    slice at a time (as Python integers only while they are read)."""
    for keys in blocks:
        for start in range(0, len(keys), block):
            for key in keys[start : start + block].tolist():
                yield divmod(key, n)


def _pair_keys(items: Sequence[Keyed]) -> Iterator[np.ndarray]:
    """The pairs of claims worth comparing: those that share two of their rarer words, as
    ascending keys ``i * len(items) + j`` (i < j), in ascending arrays of a range of claims each.

    Two keys propose pairs, and a key held by more than `_MAX_POSTINGS` claims proposes nothing,
    so the work grows with the number of claims, not with its square: a single word, for claims
    that share two such words; and a pair of words among each claim's `_KEY_WORDS` rarest, so
    that two claims whose shared words are all common ("Muslims", "United States") are still
    proposed by the rarer pair among them ("enter" and "Muslims"). Keys, postings and pairs are
    integer arrays, not Python tuples and sets: a corpus ten times larger has ten times as many
    of each, and as tuples they took several times the memory of the claims themselves. The
    pairs are made a range of claims at a time (`_blocks`) and never all held at once: a claim
    and its copies in other articles share every key, so their pairs grow with the square of the
    number of copies (12.6 million proposals of 5.2 million pairs for the claims of 9,808 silver
    articles, the corpus and three altered copies of it).
    """
    n = len(items)
    frequency: Counter[str] = Counter(w for it in items for w in it.signature)
    word_id = {w: k for k, w in enumerate(sorted(w for w, f in frequency.items() if f > 1))}
    # Two claims giving shares to the same two candidates are compared, whatever their other words.
    poll_keys: dict[tuple[str, str], int] = {}
    polled = [(i, [poll_keys.setdefault(key, len(poll_keys)) for key in polls.keys(it.standing)]) for i, it in enumerate(items)]
    polled = [(i, found) for i, found in polled if found]
    first_poll_key = len(word_id) ** 2
    top_key = first_poll_key + len(poll_keys)
    word_entries, pair_entries = _KeyedClaims(top_key, n), _KeyedClaims(top_key, n)
    for i, it in enumerate(items):
        # A word no other claim has cannot be shared: the rarest of the others key the claim.
        shareable = [w for w in it.signature if w in word_id]
        word_entries.add([word_id[w] for w in shareable], i)
        rare = np.array(
            sorted(word_id[w] for w in sorted(shareable, key=lambda w: (frequency[w], w))[:_KEY_WORDS]), dtype=np.int64
        )
        if len(rare) > 1:
            a, b = _upper_triangle(len(rare))
            pair_entries.add(rare[a] * len(word_id) + rare[b], i)
    for i, found in polled:
        pair_entries.add([first_poll_key + k for k in found], i)
    # Each kind's entries are let go as soon as its postings are made (`_Postings.taken`).
    words = _Postings.taken(word_entries)
    pairs = _Postings.taken(pair_entries)
    for lo, hi in _blocks(n, [words, pairs]):
        yield np.union1d(words.pairs(lo, hi, n, times=2), pairs.pairs(lo, hi, n))


# A key and its claim are one 64-bit integer, ``key << bits | claim``, when they fit in 63 bits
# (for the silver corpus x10, about 200,000 claims and 60,000 shared words: 18 and 32 bits).
_PACKED_BITS = 63


class _KeyedClaims:
    """The (key, claim) entries of one kind of key as they are made, a claim at a time, in claim
    order: packed into one growing array of machine integers where key and claim fit in one (8
    bytes an entry, sorted in place), otherwise as two (12 bytes, sorted by index: 32 bytes an
    entry while sorted). A claim holds up to 66 word pairs: for the claims of the silver corpus
    x10, ten million entries."""

    def __init__(self, top_key: int, n: int) -> None:
        self.shift = max(n - 1, 1).bit_length()
        self.packed = (top_key << self.shift) < (1 << _PACKED_BITS)
        self.keys = array("q")
        self.claims = array("i")

    def add(self, keys: Sequence[int] | np.ndarray, claims: int | np.ndarray) -> None:
        """Entries of `keys`, held by the claim `claims` (or each by its own claim)."""
        if len(keys) == 0:
            return
        keys = np.asarray(keys, dtype=np.int64)
        if self.packed:
            self.keys.frombytes(((keys << self.shift) | claims).tobytes())
        else:
            self.keys.frombytes(keys.tobytes())
            self.claims.frombytes(np.broadcast_to(np.asarray(claims, dtype=np.int32), keys.shape).tobytes())


# Entries read at once where a whole array's worth of temporary values is not needed.
_SLICE = 1 << 18

# Proposals (a pair proposed by each key its claims share) made at once: a range of claims is
# taken whose proposals add up to about this many (about 24 bytes each while they are counted).
_BLOCK_PROPOSALS = 200_000


class _Postings:
    """The ascending lists of claims that hold each key, for the keys two to `_MAX_POSTINGS`
    claims hold, flattened into one array (``claims``; list ``k`` ends before ``ends[k]``); from
    each entry a claim pairs with the claims after it in its list. ``by_claim[offsets[c]:
    offsets[c + 1]]`` are the entries of claim ``c``. Held while the corpus is linked: 8 bytes an
    entry (the claim and where it is), not 16 (with how many come after it and the claims sorted
    again), since both are read a range of claims at a time."""

    def __init__(self, claims: np.ndarray, ends: np.ndarray) -> None:
        self.claims = claims
        self.ends = ends
        self.by_claim = np.argsort(claims, kind="stable").astype(np.int32)
        counts = np.bincount(claims) if len(claims) else np.zeros(0, dtype=np.int64)
        self.offsets = np.r_[0, np.cumsum(counts)].astype(np.int64)
        # What each claim proposes (the claims after it in its lists), for `_blocks`: counted a
        # slice of entries at a time, since counting weights makes them 8-byte floats.
        self._proposals = np.zeros(len(counts))
        for start in range(0, len(claims), _SLICE):
            at = np.arange(start, min(start + _SLICE, len(claims)))
            later = ends[np.searchsorted(ends, at, side="right")] - at - 1
            self._proposals += np.bincount(claims[at], weights=later, minlength=len(counts))

    @classmethod
    def taken(cls, entries: _KeyedClaims | list[np.ndarray]) -> _Postings:
        """The postings of the entries made (`_KeyedClaims`), or of ``[keys, claims]``
        (``claims[k]`` holds ``keys[k]``); the entries' arrays are let go once sorted."""
        if isinstance(entries, list):
            keys, claims = entries.pop(0), entries.pop(0)
            made = _KeyedClaims(int(keys.max()) + 1 if len(keys) else 1, int(claims.max()) + 1 if len(claims) else 1)
            made.add(keys, claims)
            del keys, claims
            return cls.taken(made)
        if entries.packed:
            # Sorted where they were made (the array's own buffer): by key, then by claim.
            keys = np.frombuffer(entries.keys, dtype=np.int64)
            entries.keys = array("q")
            keys.sort()
            claims = np.empty(len(keys), dtype=np.int32)
            for start in range(0, len(keys), _SLICE):  # a slice at a time: no 8-byte copy of all
                claims[start : start + _SLICE] = keys[start : start + _SLICE] & ((1 << entries.shift) - 1)
            keys >>= entries.shift
        else:
            keys = np.frombuffer(entries.keys, dtype=np.int64)
            claims = np.frombuffer(entries.claims, dtype=np.int32)
            order = np.lexsort((claims, keys))
            entries.keys, entries.claims = array("q"), array("i")
            keys, claims = keys[order], claims[order]
            del order
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        sizes = np.diff(np.r_[starts, len(keys)]).astype(np.int32)
        del keys, starts
        proposing = (sizes > 1) & (sizes <= _MAX_POSTINGS)
        claims = claims[np.repeat(proposing, sizes)]
        sizes = sizes[proposing]
        return cls(claims, np.cumsum(sizes, dtype=np.int64))

    def proposals_per_claim(self, n: int) -> np.ndarray:
        out = np.zeros(n)
        out[: len(self._proposals)] = self._proposals[:n]
        return out

    def pairs(self, lo: int, hi: int, n: int, times: int = 1) -> np.ndarray:
        """The distinct keys ``i * n + j``, i < j, ascending, of claims ``lo <= i < hi`` paired by
        at least `times` lists (a claim a list holds twice pairs with nobody)."""
        last = len(self.offsets) - 1
        a, b = self.offsets[min(lo, last)], self.offsets[min(hi, last)]
        entries = self.by_claim[a:b].astype(np.int64)
        counts = self.ends[np.searchsorted(self.ends, entries, side="right")] - entries - 1
        first = np.r_[0, np.cumsum(counts)[:-1]]
        places = np.repeat(entries + 1 - first, counts) + np.arange(counts.sum())
        i = np.repeat(self.claims[entries].astype(np.int64), counts)
        j = self.claims[places].astype(np.int64)
        keys = (i * n + j)[i < j]
        if times == 1:
            return np.unique(keys)
        values, seen = np.unique(keys, return_counts=True)
        return values[seen >= times]


def _blocks(n: int, postings: Sequence[_Postings]) -> Iterator[tuple[int, int]]:
    """Ranges of claims [lo, hi) whose proposals add up to about `_BLOCK_PROPOSALS` (a claim with
    more is a range of its own)."""
    total = sum(p.proposals_per_claim(n) for p in postings) if n else np.zeros(0)
    ends = np.cumsum(total)
    lo = 0
    while lo < n:
        hi = int(np.searchsorted(ends, (ends[lo - 1] if lo else 0) + _BLOCK_PROPOSALS, side="right"))
        hi = max(hi, lo + 1)
        yield lo, min(hi, n)
        lo = hi


@lru_cache(maxsize=_KEY_WORDS + 1)
def _upper_triangle(size: int) -> tuple[np.ndarray, np.ndarray]:
    """The index pairs (a, b), a < b, of a claim's ``size`` key words (at most `_KEY_WORDS`)."""
    return np.triu_indices(size, 1)
