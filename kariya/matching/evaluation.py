"""Pairwise evaluation of deduplication against known truth (tests and benchmarks).

A pair is a tuple of two record ids in sorted order (``pair(a, b)``); the truth is the set of
pairs of records that share a cluster. Pure functions, no Django.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

Pair = tuple[str, str]


def pair(a: str, b: str) -> Pair:
    return (a, b) if a <= b else (b, a)


def true_pairs(
    records: Iterable[tuple[str, str]], *, keep: Callable[[str, str], bool] | None = None
) -> set[Pair]:
    """Pairs of ids that share a cluster, from ``(id, cluster)`` items.

    ``keep(id_1, id_2)``, if given, filters the pairs (e.g. only pairs across two files).
    """
    clusters: dict[str, list[str]] = defaultdict(list)
    for record_id, cluster in records:
        clusters[cluster].append(record_id)
    truth: set[Pair] = set()
    for ids in clusters.values():
        for a, b in itertools.combinations(ids, 2):
            if keep is None or keep(a, b):
                truth.add(pair(a, b))
    return truth


def count_true_pairs(cluster_sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in cluster_sizes)


@dataclass(frozen=True)
class Scores:
    true_positives: int
    predicted: int
    actual: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.actual if self.actual else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def pairwise_scores(predicted: Iterable[Pair], truth: set[Pair]) -> Scores:
    """Precision, recall and F1 of a set of predicted pairs (duplicates counted once)."""
    found = set(predicted)
    return Scores(len(found & truth), len(found), len(truth))


def threshold_curve(
    scored: Iterable[tuple[Pair, float]], truth: set[Pair]
) -> list[tuple[float, Scores]]:
    """Scores at every distinct threshold: ``(t, scores of the pairs with score >= t)``.

    Thresholds in decreasing order; a pair scored twice keeps its higher score.
    """
    best: dict[Pair, float] = {}
    for p, score in scored:
        if score > best.get(p, float("-inf")):
            best[p] = score
    ranked = sorted(((score, p in truth) for p, score in best.items()), reverse=True)
    curve: list[tuple[float, Scores]] = []
    tp = 0
    for i, (score, is_true) in enumerate(ranked):
        tp += is_true
        if i + 1 == len(ranked) or ranked[i + 1][0] != score:
            curve.append((score, Scores(tp, i + 1, len(truth))))
    return curve


def recall_at_precision(
    curve: Sequence[tuple[float, Scores]], min_precision: float = 0.99
) -> tuple[float, float | None]:
    """The highest recall at any threshold whose precision is at least ``min_precision``.

    Returns ``(recall, threshold)``; ``(0.0, None)`` if no threshold reaches that precision.
    """
    best: tuple[float, float | None] = (0.0, None)
    for threshold, scores in curve:
        if scores.precision >= min_precision and scores.recall > best[0]:
            best = (scores.recall, threshold)
    return best


def best_f1(curve: Sequence[tuple[float, Scores]]) -> tuple[float, float | None]:
    """The best F1 over all thresholds (an oracle: the threshold is chosen on the truth)."""
    best: tuple[float, float | None] = (0.0, None)
    for threshold, scores in curve:
        if scores.f1 > best[0]:
            best = (scores.f1, threshold)
    return best


def pairs_completeness(candidates: Iterable[Pair], truth: set[Pair]) -> tuple[float, int]:
    """Share of the true pairs among the candidate pairs, and the number of distinct candidates."""
    distinct = set(candidates)
    found = len(distinct & truth)
    return (found / len(truth) if truth else 1.0), len(distinct)


def hit_at_k(results: Sequence[Sequence[str]], expected: Sequence[set[str]], k: int = 10) -> float:
    """Share of queries whose first ``k`` results hold at least one expected id."""
    if not results:
        return 0.0
    hits = sum(
        1 for found, wanted in zip(results, expected, strict=True) if set(found[:k]) & wanted
    )
    return hits / len(results)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation between closest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
