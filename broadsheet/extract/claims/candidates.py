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
    # Growing arrays of machine integers (8 and 4 bytes an entry), not lists of Python integers
    # or of per-claim arrays that are then joined: a claim holds up to 66 key pairs, and the
    # entries of 78,000 claims were held twice while they were joined.
    word_keys, word_claims = array("q"), array("i")
    pair_keys, pair_claims = array("q"), array("i")
    for i, it in enumerate(items):
        # A word no other claim has cannot be shared: the rarest of the others key the claim.
        shareable = [w for w in it.signature if w in word_id]
        word_keys.extend(word_id[w] for w in shareable)
        word_claims.extend([i] * len(shareable))
        rare = np.array(
            sorted(word_id[w] for w in sorted(shareable, key=lambda w: (frequency[w], w))[:_KEY_WORDS]), dtype=np.int64
        )
        if len(rare) > 1:
            a, b = _upper_triangle(len(rare))
            pair_keys.frombytes((rare[a] * len(word_id) + rare[b]).tobytes())
            pair_claims.extend([i] * len(a))
    # Two claims giving shares to the same two candidates are compared, whatever their other words.
    poll_keys: dict[tuple[str, str], int] = {}
    first_poll_key = len(word_id) ** 2
    for i, it in enumerate(items):
        for key in polls.keys(it.standing):
            pair_keys.append(first_poll_key + poll_keys.setdefault(key, len(poll_keys)))
            pair_claims.append(i)
    # Handed over in a list that `_Postings.taken` empties, so that the unsorted entries are let
    # go as soon as they are sorted, not held by this frame until the postings are made.
    entries = [np.frombuffer(word_keys, dtype=np.int64), np.frombuffer(word_claims, dtype=np.int32)]
    del word_keys, word_claims
    words = _Postings.taken(entries)
    entries = [np.frombuffer(pair_keys, dtype=np.int64), np.frombuffer(pair_claims, dtype=np.int32)]
    del pair_keys, pair_claims
    pairs = _Postings.taken(entries)
    for lo, hi in _blocks(n, [words, pairs]):
        yield np.union1d(words.pairs(lo, hi, n, times=2), pairs.pairs(lo, hi, n))


# Proposals (a pair proposed by each key its claims share) made at once: a range of claims is
# taken whose proposals add up to about this many (about 24 bytes each while they are counted).
_BLOCK_PROPOSALS = 500_000


class _Postings:
    """The ascending lists of claims that hold each key, for the keys two to `_MAX_POSTINGS`
    claims hold (``claims[k]`` holds ``keys[k]``), flattened into one array; from each entry a
    claim pairs with the claims after it in its list."""

    def __init__(self, claims: np.ndarray, later: np.ndarray) -> None:
        self.claims = claims
        self.later = later
        self.by_claim = np.argsort(claims, kind="stable").astype(np.int32)
        self.sorted_claims = claims[self.by_claim]

    @classmethod
    def taken(cls, entries: list[np.ndarray]) -> _Postings:
        """The postings of ``[keys, claims]`` (``claims[k]`` holds ``keys[k]``), emptying the
        list: each array is let go once it is sorted."""
        keys, claims = entries.pop(0), entries.pop(0)
        order = np.lexsort((claims, keys))
        keys = keys[order]
        claims = claims[order]
        del order
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        sizes = np.diff(np.r_[starts, len(keys)]).astype(np.int32)
        del keys, starts
        proposing = (sizes > 1) & (sizes <= _MAX_POSTINGS)
        claims = claims[np.repeat(proposing, sizes)]
        sizes = sizes[proposing]
        # How many claims come after each entry in its list: those pair with it. (32-bit: a
        # corpus of tens of thousands of articles holds tens of millions of entries.)
        later = np.repeat(np.cumsum(sizes, dtype=np.int32), sizes)
        later -= np.arange(1, len(claims) + 1, dtype=np.int32)
        return cls(claims, later)

    def proposals_per_claim(self, n: int) -> np.ndarray:
        return np.bincount(self.claims, weights=self.later, minlength=n)

    def pairs(self, lo: int, hi: int, n: int, times: int = 1) -> np.ndarray:
        """The distinct keys ``i * n + j``, i < j, ascending, of claims ``lo <= i < hi`` paired by
        at least `times` lists (a claim a list holds twice pairs with nobody)."""
        a, b = np.searchsorted(self.sorted_claims, [lo, hi])
        entries = self.by_claim[a:b].astype(np.int64)
        counts = self.later[entries].astype(np.int64)
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
