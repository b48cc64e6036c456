"""Grouping metrics shared by the benchmarks and the quality-floor tests."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence


def bcubed(pred: Sequence[Hashable], gold: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a predicted grouping against gold labels, per item:
    precision = share of an item's predicted group sharing its gold label, recall = share of its gold
    group sharing its predicted group, both averaged over items."""
    return from_sums([bcubed_sums(pred, gold, [True] * len(pred))])


def bcubed_sums(pred: Sequence[Hashable], gold: Sequence[Hashable], scored: Sequence[bool]) -> tuple[float, float, int]:
    """Summed B-cubed precision and recall of the ``scored`` items, and their number, with every
    item's groups counted (a held-out article merged with a training article loses precision).
    Used to score held-out folds clustered inside the whole stream; pool with ``from_sums``."""
    pred_sets: dict = defaultdict(set)
    gold_sets: dict = defaultdict(set)
    for i, (p, g) in enumerate(zip(pred, gold)):
        pred_sets[p].add(i)
        gold_sets[g].add(i)
    prec = rec = 0.0
    n = 0
    for p, g, keep in zip(pred, gold, scored):
        if keep:
            both = len(pred_sets[p] & gold_sets[g])
            prec, rec, n = prec + both / len(pred_sets[p]), rec + both / len(gold_sets[g]), n + 1
    return prec, rec, n


def from_sums(parts: Sequence[tuple[float, float, int]]) -> tuple[float, float, float]:
    """(P, R, F1) of pooled ``bcubed_sums``."""
    n = sum(p[2] for p in parts) or 1
    prec, rec = sum(p[0] for p in parts) / n, sum(p[1] for p in parts) / n
    return prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0
