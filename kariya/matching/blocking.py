"""Blocking: which record pairs are compared at all.

Each rule gives every record an integer key (-1: the rule does not apply); records sharing a
key are candidate pairs. A block larger than ``cap`` records is skipped by that rule (a name
shared by thousands says nothing); finer rules (the same names plus the birth year or the
father's name) cover the records of such common names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from kariya.matching.records import Encoded

DEFAULT_CAP = 25
# Neighbours (by birth year and sex) paired within a block larger than the cap.
WINDOW = 4


def _combine(*parts: np.ndarray) -> np.ndarray:
    """One int64 key from non-negative integer parts (mixed radix); -1 if any part is < 0."""
    key = np.zeros(len(parts[0]), dtype=np.int64)
    missing = np.zeros(len(parts[0]), dtype=bool)
    for part in parts:
        p = part.astype(np.int64)
        missing |= p < 0
        key = key * (1 << 21) + np.maximum(p, 0)
    key[missing] = -1
    return key


def _pair_skeleton(e: Encoded) -> tuple[np.ndarray, np.ndarray]:
    """Given and family skeletons, ordered so that swapped names give the same key."""
    return np.minimum(e.given_skel, e.family_skel), np.maximum(e.given_skel, e.family_skel)


def _year(e: Encoded) -> np.ndarray:
    return np.where(e.year > 0, e.year.astype(np.int32), -1)


def _date(e: Encoded) -> np.ndarray:
    """A real birth date as a small integer (fits a key part), -1 if none."""
    d = e.date.astype(np.int64)
    small = (d // 10000 - 1800) * 372 + (d // 100 % 100) * 31 + d % 100
    return np.where(d > 0, small, -1)


def _year_sex(e: Encoded) -> np.ndarray:
    return e.year.astype(np.int64) * 3 + e.sex


@dataclass(frozen=True)
class Rule:
    name: str
    key: Callable[[Encoded], np.ndarray]
    # order of records within a block larger than the cap (neighbours are paired)
    order: Callable[[Encoded], np.ndarray] = _year_sex


def names_key(e: Encoded) -> np.ndarray:
    lo, hi = _pair_skeleton(e)
    return _combine(lo, hi)


def sex_date_key(e: Encoded) -> np.ndarray:
    return _combine(e.sex, _date(e))


RULES = (
    Rule("names", names_key),
    Rule("names+year", lambda e: _combine(*_pair_skeleton(e), _year(e))),
    Rule("names+father", lambda e: _combine(*_pair_skeleton(e), e.father_skel)),
    Rule("given+year+sex", lambda e: _combine(e.given_skel, _year(e), e.sex)),
    Rule("family+year", lambda e: _combine(e.family_skel, _year(e))),
    Rule("given+father", lambda e: _combine(e.given_skel, e.father_skel)),
    Rule("family+father", lambda e: _combine(e.family_skel, e.father_skel)),
    Rule("phone", lambda e: e.phone.astype(np.int64)),
    Rule("document", lambda e: e.document.astype(np.int64)),
    Rule("given+date", lambda e: _combine(e.given_skel, _date(e))),
    Rule("family+date", lambda e: _combine(e.family_skel, _date(e))),
    Rule("given+family prefix", lambda e: _combine(e.given_skel, e.family_prefix)),
    Rule("date", lambda e: sex_date_key(e), lambda e: e.family_skel.astype(np.int64)),
    Rule("address", lambda e: e.address.astype(np.int64), lambda e: e.given_skel.astype(np.int64)),
)


def pairs_in_blocks(
    keys: np.ndarray, cap: int, secondary: np.ndarray | None = None, window: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j), i < j, of records sharing a key, in blocks of 2..cap records.

    Records of a larger block are ordered by ``secondary`` (e.g. the birth year) and each is
    paired with the next ``window`` records of its block only (sorted neighbourhood)."""
    idx = np.flatnonzero(keys >= 0)
    if secondary is not None and window:
        order = idx[np.lexsort((secondary[idx], keys[idx]))]
    else:
        order = idx[np.argsort(keys[idx], kind="stable")]
    empty = np.zeros(0, dtype=np.int64)
    if len(order) < 2:
        return empty, empty
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    keep = (sizes >= 2) & (sizes <= cap)
    firsts, seconds = [], []
    # Blocks of the same size form a matrix (blocks × size): all their pairs at once.
    for size in np.unique(sizes[keep]).tolist():
        block_starts = starts[keep & (sizes == size)]
        members = order[block_starts[:, None] + np.arange(size)[None, :]]
        a, b = np.triu_indices(size, k=1)
        firsts.append(members[:, a].ravel())
        seconds.append(members[:, b].ravel())
    big = sizes > cap
    if window and big.any():
        in_big = np.repeat(big, sizes)
        block = np.repeat(np.arange(len(sizes)), sizes)
        for d in range(1, window + 1):
            same = in_big[:-d] & (block[:-d] == block[d:])
            firsts.append(order[:-d][same])
            seconds.append(order[d:][same])
    if not firsts:
        return empty, empty
    x, y = np.concatenate(firsts), np.concatenate(seconds)
    return np.minimum(x, y).astype(np.int64), np.maximum(x, y).astype(np.int64)


def sample_pairs_in_blocks(
    keys: np.ndarray, k: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, int]:
    """Up to ``k`` pairs drawn uniformly (with replacement) from all pairs of records sharing a
    key, whatever the size of their block, and how many such pairs there are in all."""
    idx = np.flatnonzero(keys >= 0)
    order = idx[np.argsort(keys[idx], kind="stable")]
    empty = np.zeros(0, dtype=np.int64)
    if len(order) < 2:
        return empty, empty, 0
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sizes = np.diff(np.r_[starts, len(order)]).astype(np.int64)
    pairs = sizes * (sizes - 1) // 2
    total = int(pairs.sum())
    if total == 0:
        return empty, empty, 0
    cumulative = np.cumsum(pairs)
    draw = rng.integers(0, total, min(k, total))
    block = np.searchsorted(cumulative, draw, side="right")
    size = sizes[block]
    a = rng.integers(0, size)
    b = (a + rng.integers(1, size)) % size  # another member of the same block
    x, y = order[starts[block] + a], order[starts[block] + b]
    return np.minimum(x, y).astype(np.int64), np.maximum(x, y).astype(np.int64), total


def candidate_pairs(
    e: Encoded, cap: int = DEFAULT_CAP, rules: tuple[Rule, ...] = RULES
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct candidate pairs (i < j) over all rules."""
    n = np.int64(len(e))
    keys = []
    for rule in rules:
        a, b = pairs_in_blocks(rule.key(e), cap, rule.order(e), WINDOW)
        keys.append(a * n + b)
    merged = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
    merged.sort()
    merged = merged[np.r_[True, merged[1:] != merged[:-1]]] if len(merged) else merged
    return merged // n, merged % n
