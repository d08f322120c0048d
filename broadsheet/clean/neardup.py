"""Near-duplicate clustering of documents: MinHash signatures, LSH banding, exact Jaccard check.

Two copies of one story scraped from different sites differ in debris and trims but share almost
all of their word 5-grams once cleaned. MinHash + banding finds candidate pairs in near-linear
time; each candidate is confirmed on the exact Jaccard similarity of the shingle sets, so the
banding only affects speed, never the result. Hashing is seeded and platform-independent
(Python's built-in `hash` is salted per process and would make cluster ids change between runs).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

import numpy as np

SHINGLE_WORDS = 5
NUM_PERM = 128
BANDS = 32  # 32 bands x 4 rows: pairs above ~0.45 Jaccard become candidates with high probability
JACCARD_THRESHOLD = 0.5

_WORD = re.compile(r"\w+")
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_SEEDS = np.array(
    [int.from_bytes(hashlib.blake2b(f"perm{i}".encode(), digest_size=8).digest(), "little") for i in range(NUM_PERM)],
    dtype=np.uint64,
)


def shingles(text: str) -> np.ndarray:
    """64-bit hashes of the word 5-grams of the lower-cased text (all words when shorter), sorted
    and unique.

    An array, not a set of Python integers: a set costs about 70 bytes a shingle, the array 8, and
    the near-duplicate step holds every document's shingles at once (about 250 a news article)."""
    words = _WORD.findall(text.lower())
    n = SHINGLE_WORDS if len(words) >= SHINGLE_WORDS else max(len(words), 1)
    grams = {" ".join(words[i : i + n]) for i in range(max(len(words) - n + 1, 1))}
    hashes = np.fromiter(
        (int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little") for g in grams),
        dtype=np.uint64,
        count=len(grams),
    )
    return np.unique(hashes)


def _mix(x: np.ndarray) -> np.ndarray:
    # splitmix64 finalizer: a cheap, well-distributed permutation of 64-bit integers.
    with np.errstate(over="ignore"):
        x = (x + np.uint64(0x9E3779B97F4A7C15)) & _MASK64
        x = ((x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & _MASK64
        x = ((x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & _MASK64
        return x ^ (x >> np.uint64(31))


def minhash(shingle_set: np.ndarray) -> np.ndarray:
    return _mix(shingle_set[None, :] ^ _SEEDS[:, None]).min(axis=1)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two shingle arrays (sorted and unique, as `shingles` gives them)."""
    if not a.size and not b.size:
        return 1.0
    shared = np.intersect1d(a, b, assume_unique=True).size
    return shared / (a.size + b.size - shared)


def _band_groups(signatures: np.ndarray, band: int) -> list[np.ndarray]:
    """The groups of two or more documents (row numbers, ascending) whose signatures agree on all
    the rows of one band: a sort of the band's columns, not a dict of byte strings (which held
    about 5 KB a document over the 32 bands)."""
    rows = NUM_PERM // BANDS
    keys = signatures[:, band * rows : (band + 1) * rows]
    order = np.lexsort(keys.T[::-1])  # stable: equal keys keep their rows' ascending order
    ordered = keys[order]
    starts = np.flatnonzero(np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)])
    ends = np.r_[starts[1:], len(order)]
    return [order[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True) if b - a > 1]


def cluster_near_duplicates(texts: Mapping[str, str], threshold: float = JACCARD_THRESHOLD) -> dict[str, str]:
    """Map each document id to its cluster id: the smallest document id among its near-duplicates.

    Clusters are the connected components of the "Jaccard >= threshold" graph, so the result does
    not depend on the order documents are given in.
    """
    ids = sorted(texts)
    sets = [shingles(texts[doc_id]) for doc_id in ids]
    signatures = np.empty((len(ids), NUM_PERM), dtype=np.uint64)
    for k, shingle_set in enumerate(sets):
        signatures[k] = minhash(shingle_set)
    parent = list(range(len(ids)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    checked: set[tuple[int, int]] = set()
    for band in range(BANDS):
        for members in _band_groups(signatures, band):
            group = members.tolist()
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    if (a, b) in checked or find(a) == find(b):
                        continue
                    checked.add((a, b))
                    if jaccard(sets[a], sets[b]) >= threshold:
                        ra, rb = find(a), find(b)
                        parent[max(ra, rb)] = min(ra, rb)
    # Documents are numbered in doc_id order, so a component's smallest number is its smallest id.
    return {doc_id: ids[find(k)] for k, doc_id in enumerate(ids)}
