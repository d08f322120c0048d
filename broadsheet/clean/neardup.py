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
from collections import defaultdict
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


def shingles(text: str) -> set[int]:
    """64-bit hashes of the word 5-grams of the lower-cased text (all words when shorter)."""
    words = _WORD.findall(text.lower())
    n = SHINGLE_WORDS if len(words) >= SHINGLE_WORDS else max(len(words), 1)
    grams = {" ".join(words[i : i + n]) for i in range(max(len(words) - n + 1, 1))}
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little") for g in grams}


def _mix(x: np.ndarray) -> np.ndarray:
    # splitmix64 finalizer: a cheap, well-distributed permutation of 64-bit integers.
    with np.errstate(over="ignore"):
        x = (x + np.uint64(0x9E3779B97F4A7C15)) & _MASK64
        x = ((x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & _MASK64
        x = ((x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & _MASK64
        return x ^ (x >> np.uint64(31))


def minhash(shingle_set: set[int]) -> np.ndarray:
    values = np.fromiter(shingle_set, dtype=np.uint64, count=len(shingle_set))
    return _mix(values[None, :] ^ _SEEDS[:, None]).min(axis=1)


def jaccard(a: set[int], b: set[int]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def cluster_near_duplicates(texts: Mapping[str, str], threshold: float = JACCARD_THRESHOLD) -> dict[str, str]:
    """Map each document id to its cluster id: the smallest document id among its near-duplicates.

    Clusters are the connected components of the "Jaccard >= threshold" graph, so the result does
    not depend on the order documents are given in.
    """
    ids = sorted(texts)
    sets = {doc_id: shingles(texts[doc_id]) for doc_id in ids}
    rows = NUM_PERM // BANDS
    buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)
    for doc_id in ids:
        signature = minhash(sets[doc_id])
        for band in range(BANDS):
            buckets[(band, signature[band * rows : (band + 1) * rows].tobytes())].append(doc_id)

    parent = {doc_id: doc_id for doc_id in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    checked: set[tuple[str, str]] = set()
    for members in buckets.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if (a, b) in checked or find(a) == find(b):
                    continue
                checked.add((a, b))
                if jaccard(sets[a], sets[b]) >= threshold:
                    ra, rb = find(a), find(b)
                    parent[max(ra, rb)] = min(ra, rb)
    return {doc_id: find(doc_id) for doc_id in ids}
