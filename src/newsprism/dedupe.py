"""Near-duplicate detection: MinHash signatures + LSH candidates + exact shingle verification.

Exact re-ingest is caught earlier by ``CleanDocument.content_key``. This stage links syndicated
copies and light rewrites (other boilerplate, small edits, truncation, another title): an LSH
index over MinHash signatures of word shingles proposes candidates in sub-linear time, and each
candidate is verified on the real shingle sets with *containment* (|A∩B| / min(|A|,|B|)), which,
unlike Jaccard, stays high when one copy is a truncation of the other.

The index lives in memory and is rebuilt from the stored signatures when a pipeline starts
(O(n) once, then O(1) per article); datasketch can keep it in Redis instead at larger scale.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE_WORDS = 4
# LSH band threshold on estimated Jaccard: low enough that a copy truncated to half still becomes a
# candidate (Jaccard ~0.45); verification below decides.
LSH_THRESHOLD = 0.3
# A candidate is a duplicate when most of the shorter text's shingles appear in the other.
# Tuned on hand-made copy/rewrite/truncation pairs in tests/test_dedupe.py: syndicated copies with
# other boilerplate score 0.85-1.0, independent reports of one event 0.02-0.15.
CONTAINMENT_THRESHOLD = 0.6
MIN_SHINGLES = 8  # shorter texts are too small to call copies on shingles alone
SEED = 1
SCHEME = "affine32"  # datasketch 2.x default; pinned so stored signatures stay comparable

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Word n-gram shingles of the casefolded text (punctuation and spacing ignored)."""
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def minhash(shingle_set: Iterable[str]) -> MinHash:
    mh = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    mh.update_batch([s.encode("utf-8") for s in shingle_set])
    return mh


def signature_bytes(mh: MinHash) -> bytes:
    return np.asarray(mh.hashvalues, dtype=np.uint64).tobytes()


def signature_from_bytes(blob: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=np.frombuffer(blob, dtype=np.uint64),
                   scheme=SCHEME)


def containment(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    article_id: int
    containment: float


class DuplicateIndex:
    """LSH over stored signatures; ``text_of`` fetches a candidate's text for verification."""

    def __init__(self, text_of: Callable[[int], str]) -> None:
        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._text_of = text_of
        self._canonical: dict[int, int] = {}

    def add(self, article_id: int, mh: MinHash, canonical: int | None = None) -> None:
        key = str(article_id)
        if key not in self._lsh:
            self._lsh.insert(key, mh)
        self._canonical[article_id] = canonical if canonical is not None else article_id

    def canonical_of(self, article_id: int) -> int:
        return self._canonical.get(article_id, article_id)

    def find(self, text: str, mh: MinHash) -> DuplicateMatch | None:
        """The best verified near-duplicate among stored articles, or None."""
        mine = shingles(text)
        if len(mine) < MIN_SHINGLES:
            return None
        best: DuplicateMatch | None = None
        for key in sorted(self._lsh.query(mh), key=int):
            candidate = int(key)
            score = containment(mine, shingles(self._text_of(candidate)))
            if score >= CONTAINMENT_THRESHOLD and (best is None or score > best.containment):
                best = DuplicateMatch(candidate, score)
        return best
