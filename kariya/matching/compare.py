"""Comparison levels of record pairs, vectorised over numpy arrays.

A pair (left[i], right[j]) gets one level per field: -1 when either value is empty, 0 when
they disagree, higher when they agree more strongly. String similarities are computed once per
distinct pair of coded values (rapidfuzz, all cores), never once per record pair.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import distance, fuzz, process

from kariya.matching.records import Encoded, Encoder


@dataclass(frozen=True)
class FieldSpec:
    name: str
    levels: tuple[str, ...]  # level 0 first ("different"), the strongest last

    @property
    def n_levels(self) -> int:
        return len(self.levels)


NAME_LEVELS = ("different", "similar", "very similar", "same")
FIELD_SPECS = (
    FieldSpec("given_name", NAME_LEVELS),
    FieldSpec("family_name", NAME_LEVELS),
    FieldSpec("father_name", NAME_LEVELS),
    FieldSpec("sex", ("different", "same")),
    FieldSpec(
        "birth",
        ("different", "2 years apart", "1 year apart or other day", "same year", "same date"),
    ),
    FieldSpec("nationality", ("different", "same")),
    FieldSpec("origin", ("different", "similar", "same")),
    FieldSpec("address", ("different", "similar", "same")),
    FieldSpec("phone", ("different", "same")),
    FieldSpec("document_number", ("different", "one typo", "same")),
)
FIELD_INDEX = {spec.name: k for k, spec in enumerate(FIELD_SPECS)}
# Name fields whose exact agreement is adjusted by the value's frequency: (field, vocabulary
# array on the left record).
TF_FIELDS = ("given_name", "family_name", "father_name")

_SHIFT = np.int64(32)
_MASK = np.int64((1 << 32) - 1)


def unique_inverse(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_inverse=True)`` by one sort (faster here than numpy's own)."""
    order = np.argsort(keys)
    ordered = keys[order]
    first = np.empty(len(keys), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    inverse = np.empty(len(keys), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


class Strings:
    """A vocabulary's strings as an object array indexed by code (a lookup query's own values,
    coded past the vocabulary's end, included), and which of them hold a space."""

    def __init__(self, encoder: Encoder, vocab: str, encoded: Encoded) -> None:
        base, spaced = encoder.string_array(vocab)
        self._encoder, self._vocab, self._beyond = encoder, vocab, len(base)
        extra = encoded.extra.get(vocab)
        if extra:
            size = len(base)
            beyond = {c: v for c, v in extra.items() if c >= size}
            top = max(beyond, default=size - 1) + 1
            strings = np.full(top, "", dtype=object)
            strings[:size] = base
            codes = np.fromiter(beyond, dtype=np.int64, count=len(beyond))
            strings[codes] = list(beyond.values())
            base = strings
            spaced = np.fromiter((" " in v for v in strings.tolist()), dtype=bool, count=top)
        self.array = base
        self.spaced = spaced

    def token_sets(self) -> list[frozenset[str]]:
        """Each string's set of words, by code (the vocabulary's computed once)."""
        sets = self._encoder.token_sets(self._vocab)
        if len(self.array) > self._beyond:
            sets = sets + [frozenset(v.split()) for v in self.array[self._beyond :].tolist()]
        return sets


def _similarities(
    a: np.ndarray,
    b: np.ndarray,
    strings_a: Strings,
    strings_b: Strings,
    scorer: Callable[..., float],
    symmetric: bool,
) -> np.ndarray:
    """Similarity of each (a[k], b[k]) pair of codes (both ≥ 0), once per distinct pair."""
    if len(a) == 0:
        return np.zeros(0, dtype=np.float32)
    lo, hi = (np.minimum(a, b), np.maximum(a, b)) if symmetric else (a, b)
    keys = (lo.astype(np.int64) << _SHIFT) | hi.astype(np.int64)
    unique, inverse = unique_inverse(keys)
    codes_a, codes_b = unique >> _SHIFT, unique & _MASK
    left = strings_a.array[codes_a].tolist()
    right = strings_b.array[codes_b].tolist()
    # Threads only pay off on large inputs (a lookup compares a few hundred pairs).
    workers = -1 if len(left) > 20_000 else 1
    sims = process.cpdist(left, right, scorer=scorer, workers=workers, dtype=np.float32)
    if scorer is distance.JaroWinkler.normalized_similarity:
        # A name contained in the other ("mohamed" in "mohamed sani") counts as very similar.
        spaced = np.flatnonzero(
            (strings_a.spaced[codes_a] | strings_b.spaced[codes_b]) & (sims < 0.9)
        )
        if len(spaced):
            sets_a, sets_b = strings_a.token_sets(), strings_b.token_sets()
            for k, x, y in zip(
                spaced.tolist(), codes_a[spaced].tolist(), codes_b[spaced].tolist(), strict=True
            ):
                xs, ys = sets_a[x], sets_b[y]
                if xs <= ys or ys <= xs:
                    sims[k] = 0.9
    return np.asarray(sims, dtype=np.float32)[inverse.reshape(-1)]


def _levels_from_similarity(
    a: np.ndarray,
    b: np.ndarray,
    thresholds: tuple[float, ...],
    strings_a: Strings,
    strings_b: Strings,
    scorer: Callable[..., float],
    symmetric: bool,
) -> np.ndarray:
    """-1 empty, top level when equal codes, else the number of thresholds reached."""
    out = np.full(len(a), -1, dtype=np.int8)
    both = (a >= 0) & (b >= 0)
    same = both & (a == b)
    out[same] = len(thresholds) + 1
    todo = np.flatnonzero(both & ~same)
    sims = _similarities(a[todo], b[todo], strings_a, strings_b, scorer, symmetric)
    level = np.zeros(len(todo), dtype=np.int8)
    for t in thresholds:
        level += sims >= t
    out[todo] = level
    return out


def _equal(a: np.ndarray, b: np.ndarray, missing: int = -1) -> np.ndarray:
    out = (a == b).astype(np.int8)
    out[(a == missing) | (b == missing)] = -1
    return out


def _birth(ly: np.ndarray, ld: np.ndarray, ry: np.ndarray, rd: np.ndarray) -> np.ndarray:
    out = np.full(len(ly), -1, dtype=np.int8)
    known = (ly > 0) & (ry > 0)
    gap = np.abs(ly.astype(np.int16) - ry.astype(np.int16))
    out[known] = 0
    out[known & (gap == 2)] = 1
    out[known & (gap == 1)] = 2
    same_year = known & (gap == 0)
    both_dates = (ld > 0) & (rd > 0)
    out[same_year] = 3
    out[same_year & both_dates & (ld != rd)] = 2
    out[same_year & both_dates & (ld == rd)] = 4
    return out


def _compare_names(
    encoder: Encoder,
    left: Encoded,
    li: np.ndarray,
    right: Encoded,
    ri: np.ndarray,
    gamma: np.ndarray,
    exact: np.ndarray,
) -> None:
    """Fills the given, family and father's name levels of ``gamma`` and ``exact``."""
    symmetric = left is right
    n = len(li)
    names_l, names_r = Strings(encoder, "name", left), Strings(encoder, "name", right)
    jw = distance.JaroWinkler.normalized_similarity
    name_t = (0.80, 0.90)

    def name_levels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return _levels_from_similarity(a, b, name_t, names_l, names_r, jw, symmetric)

    lg, lf, rg, rf = left.given[li], left.family[li], right.given[ri], right.family[ri]
    gg, ff = name_levels(lg, rg), name_levels(lf, rf)
    straight = np.maximum(gg, 0).astype(np.int16) + np.maximum(ff, 0)
    # Given and family names swapped: tried only where the straight reading is not perfect.
    top = NAME_LEVELS.index("same")
    maybe = np.flatnonzero(straight < 2 * top)
    gf, fg = name_levels(lg[maybe], rf[maybe]), name_levels(lf[maybe], rg[maybe])
    swapped = np.maximum(gf, 0).astype(np.int16) + np.maximum(fg, 0)
    swap = np.zeros(n, dtype=bool)
    swap[maybe] = swapped > straight[maybe]
    gamma[:, 0], gamma[:, 1] = gg, ff
    chosen = swap[maybe]
    gamma[maybe[chosen], 0] = gf[chosen]
    gamma[maybe[chosen], 1] = fg[chosen]
    lfa, rfa = left.father[li], right.father[ri]
    gamma[:, 2] = name_levels(lfa, rfa)
    exact[:, 0] = np.where(gamma[:, 0] == top, lg, -1)
    exact[:, 1] = np.where(gamma[:, 1] == top, lf, -1)
    exact[:, 2] = np.where(gamma[:, 2] == top, lfa, -1)


def compare(
    encoder: Encoder,
    left: Encoded,
    li: np.ndarray,
    right: Encoded,
    ri: np.ndarray,
    names: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Levels (pairs × fields, int8) and, per name field, the left value's code where the two
    agree exactly (for the frequency adjustment; -1 elsewhere). Without ``names`` the three
    name fields — most of the cost — are left empty (-1)."""
    symmetric = left is right
    n = len(li)
    gamma = np.empty((n, len(FIELD_SPECS)), dtype=np.int8)
    exact = np.full((n, len(TF_FIELDS)), -1, dtype=np.int32)
    if names:
        _compare_names(encoder, left, li, right, ri, gamma, exact)
    else:
        gamma[:, :3] = -1
    jw = distance.JaroWinkler.normalized_similarity
    gamma[:, 3] = _equal(left.sex[li], right.sex[ri], missing=0)
    gamma[:, 4] = _birth(left.year[li], left.date[li], right.year[ri], right.date[ri])
    gamma[:, 5] = _equal(left.nationality[li], right.nationality[ri])
    text_l, text_r = Strings(encoder, "text", left), Strings(encoder, "text", right)
    gamma[:, 6] = _levels_from_similarity(
        left.origin[li], right.origin[ri], (0.88,), text_l, text_r, jw, symmetric
    )
    gamma[:, 7] = _levels_from_similarity(
        left.address[li],
        right.address[ri],
        (80.0,),
        text_l,
        text_r,
        fuzz.token_set_ratio,
        symmetric,
    )
    gamma[:, 8] = _equal(left.phone[li], right.phone[ri])
    doc_l, doc_r = Strings(encoder, "document", left), Strings(encoder, "document", right)
    gamma[:, 9] = _levels_from_similarity(
        left.document[li],
        right.document[ri],
        (0.85,),
        doc_l,
        doc_r,
        distance.Levenshtein.normalized_similarity,
        symmetric,
    )
    return gamma, exact
