"""Pairwise metrics used by the matching tests and benchmark."""

from __future__ import annotations

import pytest

from kariya.matching import evaluation as ev


def test_true_pairs_from_clusters_with_an_optional_filter():
    records = [("a1", "x"), ("a2", "x"), ("b1", "x"), ("c", "y"), ("d", "z"), ("e", "z")]
    assert ev.true_pairs(records) == {("a1", "a2"), ("a1", "b1"), ("a2", "b1"), ("d", "e")}
    across = ev.true_pairs(records, keep=lambda i, j: i[0] != j[0])
    assert across == {("a1", "b1"), ("a2", "b1"), ("d", "e")}
    assert ev.count_true_pairs([3, 1, 2]) == 4


def test_pairwise_scores_count_each_pair_once_whatever_its_order():
    truth = {ev.pair("a", "b"), ev.pair("c", "d")}
    scores = ev.pairwise_scores([ev.pair("b", "a"), ("a", "b"), ev.pair("a", "c")], truth)
    assert (scores.true_positives, scores.predicted, scores.actual) == (1, 2, 2)
    assert scores.precision == 0.5
    assert scores.recall == 0.5
    assert scores.f1 == 0.5
    assert ev.pairwise_scores([], truth).f1 == 0.0


def test_curve_recall_at_precision_and_best_f1():
    truth = {("a", "b"), ("c", "d"), ("e", "f"), ("g", "h")}
    scored = [
        (("a", "b"), 0.99),
        (("c", "d"), 0.9),
        (("x", "y"), 0.8),  # a false positive
        (("e", "f"), 0.7),
        (("c", "d"), 0.1),  # the same pair scored lower again: its best score counts
    ]
    curve = ev.threshold_curve(scored, truth)
    assert [t for t, _ in curve] == [0.99, 0.9, 0.8, 0.7]
    assert [(s.true_positives, s.predicted) for _, s in curve] == [(1, 1), (2, 2), (2, 3), (3, 4)]
    assert ev.recall_at_precision(curve, 0.99) == (0.5, 0.9)
    assert ev.recall_at_precision(curve, 0.75) == (0.75, 0.7)
    f1, threshold = ev.best_f1(curve)
    assert threshold == 0.7
    assert f1 == pytest.approx(0.75)
    assert ev.recall_at_precision(ev.threshold_curve([(("x", "y"), 1.0)], truth)) == (0.0, None)


def test_ties_are_one_threshold():
    truth = {("a", "b")}
    curve = ev.threshold_curve([(("a", "b"), 0.5), (("x", "y"), 0.5)], truth)
    assert len(curve) == 1
    assert curve[0][1].precision == 0.5


def test_pairs_completeness_hit_at_k_and_percentiles():
    truth = {("a", "b"), ("c", "d")}
    assert ev.pairs_completeness([("a", "b"), ("a", "b"), ("a", "c")], truth) == (0.5, 2)
    assert ev.hit_at_k([["x", "b"], ["y"]], [{"b"}, {"d"}], k=10) == 0.5
    assert ev.hit_at_k([["x", "b"]], [{"b"}], k=1) == 0.0
    assert ev.percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert ev.percentile([5.0], 99) == 5.0
    assert ev.percentile(list(map(float, range(101))), 95) == 95.0
