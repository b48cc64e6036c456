"""Sentence alignment of two articles: calibrated similarity and a monotone alignment.

Raw e5 cosines differ by language pair: sentence translations score 0.56-0.68 across languages and
0.78-0.91 within one, unrelated sentences of one story 0.28 across and 0.34 within (measured on
xling_dev, ru-en/de-fr/en-en). So similarities are *calibrated* against the bulk of the pair's own
matrix (most sentence pairs of two articles state different facts): z = (cos - median) / spread,
spread from the median absolute deviation. Translations then score z 2.2-4 in every language pair,
unrelated pairs below 2.2 at the 99th percentile.

``monotone_alignment`` aligns a translation, rewrite or copy with its original by dynamic
programming over calibrated similarity, the length ratio and shared numbers and names, with 1-1,
1-0, 0-1, 1-2 and 2-1 steps (in the spirit of Gale-Church, vecalign and bertalign). A gap is a
sentence one side leaves out or adds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# A matrix smaller than this says too little about its own bulk: use the prior measured on
# xling_dev's unrelated pairs instead (median, spread; same language, different languages).
MIN_NULL_PAIRS = 24
PRIOR_NULL = {True: (0.34, 0.14), False: (0.28, 0.11)}
MIN_SPREAD = 0.05
# DP costs, in z units. A 1-1 step gains z + bonus - MATCH_Z; a skipped sentence costs GAP, so two
# sentences in sequence align when z > MATCH_Z - 2 * GAP (1.5: the 95th percentile of unrelated
# pairs, while the order of the neighbours vouches for them). A 2-1 or 1-2 step costs MERGE more, and
# each part must be similar on its own (MERGE_PART_Z): a dropped sentence is not glued to its neighbour.
MATCH_Z = 2.5
GAP = 0.5
MERGE = 0.4
MERGE_PART_Z = 1.0
# Length: translations keep sentence length within about 30%; beyond that each log unit costs LENGTH.
LENGTH_TOLERANCE = 0.35
LENGTH = 1.5
# A shared number (not a year) or name is strong evidence that two sentences state the same fact.
NUMBER_BONUS = 0.6
NAME_BONUS = 0.25
MAX_BONUS = 1.2


@dataclass(frozen=True, slots=True)
class AlignedStep:
    """One step of an alignment: sentence positions on each side (empty on the side of a gap)."""

    left: tuple[int, ...]
    right: tuple[int, ...]
    score: float  # calibrated similarity of the step (0.0 for a gap)


def null_stats(sims: np.ndarray, same_language: bool) -> tuple[float, float]:
    """(median, spread) of the unrelated-pair distribution of a similarity matrix."""
    flat = np.asarray(sims, dtype=np.float64).ravel()
    if flat.size < MIN_NULL_PAIRS:
        return PRIOR_NULL[same_language]
    med = float(np.median(flat))
    spread = 1.4826 * float(np.median(np.abs(flat - med)))
    return med, max(spread, MIN_SPREAD)


def calibrate(sims: np.ndarray, same_language: bool) -> np.ndarray:
    """z-scores of a sentence similarity matrix against its own bulk (see module docstring)."""
    med, spread = null_stats(sims, same_language)
    return (np.asarray(sims, dtype=np.float32) - med) / spread


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


def _length_cost(a: float, b: float) -> float:
    ratio = abs(math.log(max(a, 1.0) / max(b, 1.0)))
    return LENGTH * max(0.0, ratio - LENGTH_TOLERANCE)


def _bonus(anchors_a: frozenset[str], anchors_b: frozenset[str]) -> float:
    shared = anchors_a & anchors_b
    if not shared:
        return 0.0
    numbers = sum(1 for x in shared if x[:1].isdigit())
    return min(MAX_BONUS, NUMBER_BONUS * numbers + NAME_BONUS * (len(shared) - numbers))


def monotone_alignment(va: np.ndarray, vb: np.ndarray, lengths_a: Sequence[int], lengths_b: Sequence[int],
                       anchors_a: Sequence[frozenset[str]], anchors_b: Sequence[frozenset[str]], *,
                       same_language: bool) -> list[AlignedStep]:
    """The best in-order alignment of two articles' sentences (unit vectors ``va``, ``vb``)."""
    n, m = len(va), len(vb)
    if n == 0 or m == 0:
        return [AlignedStep((i,), (), 0.0) for i in range(n)] + [AlignedStep((), (j,), 0.0) for j in range(m)]
    med, spread = null_stats(va @ vb.T, same_language)
    z = (va @ vb.T - med) / spread

    def merged_z(vec: np.ndarray, others: np.ndarray) -> float:
        return float((_unit(others.sum(axis=0)) @ vec - med) / spread)

    neg = -1e9
    best = np.full((n + 1, m + 1), neg)
    back: dict[tuple[int, int], tuple[int, int, float]] = {}
    best[0, 0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = best[i, j]
            if here <= neg / 2:
                continue
            moves: list[tuple[int, int, float, float]] = []  # (di, dj, gain, step score)
            if i < n:
                moves.append((1, 0, -GAP, 0.0))
            if j < m:
                moves.append((0, 1, -GAP, 0.0))
            if i < n and j < m:
                s = float(z[i, j])
                gain = s + _bonus(anchors_a[i], anchors_b[j]) - MATCH_Z - _length_cost(lengths_a[i], lengths_b[j])
                moves.append((1, 1, gain, s))
            if i + 1 < n and j < m and min(z[i, j], z[i + 1, j]) >= MERGE_PART_Z:
                s = merged_z(vb[j], va[i:i + 2])
                gain = s + _bonus(anchors_a[i] | anchors_a[i + 1], anchors_b[j]) - MATCH_Z - MERGE \
                    - _length_cost(lengths_a[i] + lengths_a[i + 1], lengths_b[j])
                moves.append((2, 1, gain, s))
            if i < n and j + 1 < m and min(z[i, j], z[i, j + 1]) >= MERGE_PART_Z:
                s = merged_z(va[i], vb[j:j + 2])
                gain = s + _bonus(anchors_a[i], anchors_b[j] | anchors_b[j + 1]) - MATCH_Z - MERGE \
                    - _length_cost(lengths_a[i], lengths_b[j] + lengths_b[j + 1])
                moves.append((1, 2, gain, s))
            for di, dj, gain, s in moves:
                total = here + gain
                if total > best[i + di, j + dj]:
                    best[i + di, j + dj] = total
                    back[(i + di, j + dj)] = (di, dj, s)
    steps: list[AlignedStep] = []
    i, j = n, m
    while (i, j) != (0, 0):
        di, dj, s = back[(i, j)]
        steps.append(AlignedStep(tuple(range(i - di, i)), tuple(range(j - dj, j)), round(s, 3) if di and dj else 0.0))
        i, j = i - di, j - dj
    steps.reverse()
    return steps


def aligned_share(steps: Sequence[AlignedStep], side: str) -> float:
    """Share of one side's sentences (``"left"`` or ``"right"``) that the alignment pairs up."""
    total = sum(len(getattr(s, side)) for s in steps)
    paired = sum(len(getattr(s, side)) for s in steps if s.left and s.right)
    return paired / total if total else 0.0
