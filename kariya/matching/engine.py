"""Batch deduplication: block, compare, estimate the model by EM, score (see README.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np

from kariya.matching.blocking import (
    DEFAULT_CAP,
    candidate_pairs,
    names_key,
    pairs_in_blocks,
    sample_pairs_in_blocks,
    sex_date_key,
)
from kariya.matching.compare import FIELD_INDEX, FIELD_SPECS, TF_FIELDS, _birth, _equal, compare
from kariya.matching.model import FellegiSunter, estimate, full_name_key
from kariya.matching.names import VariantDictionary
from kariya.matching.records import Encoded, Encoder

# Chosen on development data (the benchmark generator, 20k records, seed 1; see README.md): the
# best F1 of 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9 with the transitive pairs.
DEFAULT_THRESHOLD = 0.4
RANDOM_PAIRS = 100_000
TRAINING_PAIRS = 200_000
CHUNK = 2_000_000
# Progress is reported after each chunk: at least this many reports when there are enough
# pairs (a registry of 100,000 records gives 1–2 million pairs, which would be one chunk).
PROGRESS_STEPS = 20
MIN_CHUNK = 100_000
TRAINING_CAP = 200
# EM sessions: (blocking key, the fields whose m the session estimates). Pairs sharing both names
# are mostly namesakes, and namesakes agree on what goes with a name far more often than random
# pairs do (sex with the given name; nationality and origin with the language group; the father's
# name with the family name, a patronymic): with u from random pairs, EM took them for matches
# (λ 0.94 at 100k, 3.5 % true). That session therefore estimates only the fields independent of
# the name among non-matches; the names and the rest come from pairs sharing sex and a birth date.
TRAINING_SESSIONS: tuple[tuple[Callable[[Encoded], np.ndarray], tuple[str, ...]], ...] = (
    (names_key, ("birth", "address", "phone", "document_number")),
    (
        sex_date_key,
        tuple(spec.name for spec in FIELD_SPECS if spec.name not in ("sex", "birth")),
    ),
)

# Transitivity: a record's strongest links (at most this many) are paired with each other.
TRANSITIVE_NEIGHBOURS = 10

Progress = Callable[[str, int, int], None]


def _silent(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class Pairs:
    """Matched pairs as parallel arrays of record positions and scores."""

    left: np.ndarray
    right: np.ndarray
    score: np.ndarray

    def __len__(self) -> int:
        return len(self.left)


class Matcher:
    """A coded data set and the model fitted on it."""

    def __init__(self, encoder: Encoder, data: Encoded, cap: int = DEFAULT_CAP) -> None:
        self.encoder = encoder
        self.data = data
        self.cap = cap
        self.model: FellegiSunter | None = None
        self._candidates: tuple[np.ndarray, np.ndarray] | None = None
        # Rows from this position on are other names of earlier records (other spellings,
        # aliases): compared with the records, never with each other (``candidates``).
        self.alternates_from: int | None = None

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, object]], variants: VariantDictionary | None = None
    ) -> Matcher:
        encoder = Encoder(variants)
        return cls(encoder, encoder.encode_records(records))

    @classmethod
    def from_columns(
        cls,
        columns: Mapping[str, Sequence[str]],
        ids: Sequence[str],
        rows: Sequence[int] | None = None,
        variants: VariantDictionary | None = None,
    ) -> Matcher:
        encoder = Encoder(variants)
        return cls(encoder, encoder.encode_columns(columns, ids, rows))

    def head(self, n: int) -> Matcher:
        """The first ``n`` records, sharing this matcher's encoder: a model fitted on them
        scores this matcher's records too (the same codes, term frequencies included; a
        name met only past ``n`` counts as rare)."""
        d = self.data
        arrays = {
            f.name: getattr(d, f.name)[:n]
            for f in fields(Encoded)
            if isinstance(getattr(d, f.name), np.ndarray)
        }
        return Matcher(self.encoder, Encoded(ids=d.ids[:n], **arrays), self.cap)

    def candidates(self) -> tuple[np.ndarray, np.ndarray]:
        if self._candidates is None:
            n = self.alternates_from
            if n is None:
                self._candidates = candidate_pairs(self.data, self.cap)
            else:
                # The records' own pairs exactly as without other names (in a block over the
                # cap, extra rows would crowd the birth-year windows), then each other name
                # with the records it blocks with. Never two other names: both records' own
                # names were compared already, and a spelling shared by two namesakes (both
                # "Saidu" for Seydou) is no news.
                own_i, own_j = candidate_pairs(self.head(n).data, self.cap)
                all_i, all_j = candidate_pairs(self.data, self.cap)
                one = (all_i < n) != (all_j < n)
                self._candidates = (
                    np.concatenate([own_i, all_i[one]]),
                    np.concatenate([own_j, all_j[one]]),
                )
        return self._candidates

    def compare(
        self, i: np.ndarray, j: np.ndarray, names: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        return compare(self.encoder, self.data, i, self.data, j, names=names)

    def fit(self, seed: int = 0, progress: Progress = _silent) -> FellegiSunter:
        """Estimate the model on this data set: u from random pairs, m by EM in two sessions
        (pairs sharing names: m of the birth, address, phone and document; pairs sharing a birth
        date and sex: m of the names and the rest), the prior from the matches expected among
        same-name pairs."""
        rng = np.random.default_rng(seed)
        n = len(self.data)
        progress("train", 0, 4)
        k = min(RANDOM_PAIRS, max(n * (n - 1) // 2, 1))
        ri = rng.integers(0, max(n, 1), k)
        rj = rng.integers(0, max(n, 1), k)
        keep = ri != rj
        random_gamma, _ = self.compare(ri[keep], rj[keep])
        progress("train", 1, 4)
        sessions = []
        for rule, estimated in TRAINING_SESSIONS:
            i, j = pairs_in_blocks(rule(self.data), TRAINING_CAP)
            size = len(i)
            if size > TRAINING_PAIRS:
                pick = rng.choice(size, TRAINING_PAIRS, replace=False)
                i, j = i[pick], j[pick]
            used = [spec.name in estimated for spec in FIELD_SPECS]
            # the names, the costly comparisons, only if this session estimates them
            gamma, _exact = self.compare(i, j, names=any(used[FIELD_INDEX[f]] for f in TF_FIELDS))
            sessions.append((gamma, used, size))
            progress("train", 1 + len(sessions), 4)
        si, sj, total = sample_pairs_in_blocks(
            TRAINING_SESSIONS[0][0](self.data), TRAINING_PAIRS, rng
        )
        prior_gamma, _ = self.compare(si, sj, names=False)
        model = estimate(sessions, random_gamma, n, prior_sample=(prior_gamma, total))
        self._term_frequencies(model)
        self.model = model
        return model

    def _term_frequencies(self, model: FellegiSunter) -> None:
        """Name frequencies, and the typical frequency: the geometric mean of a record's name
        frequency, exp(Σ tf·log tf). A name as common as that gets no adjustment, a rarer one
        a bonus, a commoner one a malus. (Tried and dropped: Splink's Σ tf², which rewarded
        rare family names shared by whole households; the mean over same-name training pairs,
        which drifted with the file's size.)"""
        d = self.data
        names = np.concatenate([d.given, d.family])
        columns = {"given_name": names, "family_name": names, "father_name": d.father}
        for name in TF_FIELDS:
            values = columns[name]
            values = values[values >= 0]
            if len(values) == 0:
                continue
            table = np.bincount(values).astype(np.float64) / len(values)
            model.tf[name] = table
            model.tf_floor[name] = 1.0 / len(values)
            present = table[table > 0]
            model.tf_typical[name] = float(np.exp((present * np.log(present)).sum()))
        both = (d.given >= 0) & (d.family >= 0)
        if both.any():
            keys, counts = np.unique(
                full_name_key(d.given[both], d.family[both]), return_counts=True
            )
            freq = counts / both.sum()
            model.full_name_keys, model.full_name_freq = keys, freq
            model.full_name_floor = 1.0 / both.sum()
            model.full_name_typical = float(np.exp((freq * np.log(freq)).sum()))

    def _optimistic_log_odds(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """An upper bound of each pair's log odds from equality tests only (no string
        similarity): a string field that differs is assumed at its best non-equal level."""
        model = self.model
        assert model is not None  # noqa: S101 - called after fit
        d = self.data
        weights = model.weights()
        total = np.full(len(i), np.log(model.lam / (1 - model.lam)))

        def similar(k: int, a: np.ndarray, b: np.ndarray, alt: np.ndarray | None = None):  # noqa: ANN202
            table = weights[k]
            n_levels = FIELD_SPECS[k].n_levels
            present = a >= 0
            both = present & (b >= 0)
            equal = both & (a == b)
            if alt is not None:
                both |= present & (alt >= 0)
                equal |= present & (a == alt)
            out = np.where(both, table[n_levels - 1], 0.0)
            return out, equal, table[n_levels]

        lg, lf, rg, rf = d.given[i], d.family[i], d.given[j], d.family[j]
        exact = np.full((len(i), len(TF_FIELDS)), -1, dtype=np.int32)
        parts = [
            (0, lg, rg, rf, 0),
            (1, lf, rf, rg, 1),
            (2, d.father[i], d.father[j], None, 2),
        ]
        tops = []
        for k, a, b, alt, t in parts:
            out, equal, top = similar(k, a, b, alt)
            exact[:, t] = np.where(equal, a, -1)
            tops.append((out, equal, top, t))
        adjustment = model.tf_adjustment(exact)
        for out, equal, top, t in tops:
            # np.where rather than masks: the same values where equal, fewer copies
            total += np.where(equal, np.maximum(top + adjustment[:, t], out), out)
        total += weights[3][_equal(d.sex[i], d.sex[j], missing=0).astype(np.int64) + 1]
        total += weights[4][_birth(d.year[i], d.date[i], d.year[j], d.date[j]).astype(np.int64) + 1]
        total += weights[5][_equal(d.nationality[i], d.nationality[j]).astype(np.int64) + 1]
        total += weights[8][_equal(d.phone[i], d.phone[j]).astype(np.int64) + 1]
        for k, field in ((6, d.origin), (7, d.address), (9, d.document)):
            out, equal, top = similar(k, field[i], field[j])
            total += np.where(equal, top, out)
        return total

    def dedupe(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        progress: Progress = _silent,
        transitive: bool = True,
    ) -> Pairs:
        """Pairs of records scoring at least ``threshold`` (fits the model first if needed);
        with ``transitive``, also the pairs two such links imply (``transitive_pairs``)."""
        if self.model is None:
            self.fit(progress=progress)
        assert self.model is not None  # noqa: S101 - set by fit
        i, j = self.candidates()
        kept_i, kept_j, kept_s = [], [], []
        # Chunks bound the memory of the comparisons; smaller ones make the progress finer.
        chunk = min(CHUNK, max(MIN_CHUNK, -(-len(i) // PROGRESS_STEPS)))
        for start in range(0, len(i), chunk):
            ci, cj = i[start : start + chunk], j[start : start + chunk]
            if 0 < threshold < 1:
                # Pairs that cannot reach the threshold even if every string were as similar
                # as it can be without being equal are dropped before the string comparisons.
                bar = np.log(threshold / (1 - threshold))
                hopeful = self._optimistic_log_odds(ci, cj) >= bar - 1e-9
                ci, cj = ci[hopeful], cj[hopeful]
            gamma, exact = self.compare(ci, cj)
            score = self.model.probability(gamma, exact)
            keep = score >= threshold
            kept_i.append(ci[keep])
            kept_j.append(cj[keep])
            kept_s.append(score[keep])
            progress("score", min(start + chunk, len(i)), len(i))
        if not kept_i:
            empty = np.zeros(0, dtype=np.int64)
            return Pairs(empty, empty, np.zeros(0))
        found = Pairs(np.concatenate(kept_i), np.concatenate(kept_j), np.concatenate(kept_s))
        return transitive_pairs(found, threshold, len(self.data)) if transitive else found


def transitive_pairs(pairs: Pairs, threshold: float, n_records: int) -> Pairs:
    """``pairs`` and the pairs they imply: if A–C and B–C score p and q, A and B are one
    person with probability at least p + q − 1 (Fréchet's bound on "both links are right").
    A pair whose bound reaches ``threshold`` is added with the bound as its score, or keeps its
    own score if higher. One step (triangles), over each record's ``TRANSITIVE_NEIGHBOURS``
    strongest links. Measured on the benchmark generator (see README.md): most of the pairs it
    adds are the third pair of a person registered three or four times, whose own comparison
    was missed by blocking or weak (a first name written in two ways, the year only)."""
    if len(pairs) < 2:
        return pairs
    src = np.concatenate([pairs.left, pairs.right])
    dst = np.concatenate([pairs.right, pairs.left])
    weight = np.concatenate([pairs.score, pairs.score])
    order = np.lexsort((-weight, src))
    src, dst, weight = src[order], dst[order], weight[order]
    starts = np.flatnonzero(np.r_[True, src[1:] != src[:-1]])
    sizes = np.diff(np.r_[starts, len(src)])
    sizes = np.minimum(sizes, TRANSITIVE_NEIGHBOURS)
    new_i, new_j, new_s = [pairs.left], [pairs.right], [pairs.score]
    for size in np.unique(sizes[sizes >= 2]).tolist():
        rows = starts[sizes == size][:, None] + np.arange(size)[None, :]
        a, b = np.triu_indices(size, k=1)
        bound = weight[rows[:, a]] + weight[rows[:, b]] - 1.0
        keep = bound >= threshold
        x, y = dst[rows[:, a]][keep], dst[rows[:, b]][keep]
        new_i.append(np.minimum(x, y))
        new_j.append(np.maximum(x, y))
        new_s.append(bound[keep])
    left, right, score = np.concatenate(new_i), np.concatenate(new_j), np.concatenate(new_s)
    # one row per pair, its highest score
    key = left.astype(np.int64) * np.int64(n_records) + right
    order = np.lexsort((-score, key))
    key, score = key[order], score[order]
    first = np.r_[True, key[1:] != key[:-1]]
    key, score = key[first], score[first]
    return Pairs(key // n_records, key % n_records, score)


def dedupe(
    records: Iterable[Mapping[str, object]],
    threshold: float = DEFAULT_THRESHOLD,
    variants: VariantDictionary | None = None,
) -> list[tuple[str, str, float]]:
    """(id_1, id_2, score) of the likely duplicates among plain-dict records."""
    matcher = Matcher.from_records(records, variants)
    pairs = matcher.dedupe(threshold)
    ids = matcher.data.ids
    return [
        (ids[a], ids[b], float(s))
        for a, b, s in zip(
            pairs.left.tolist(), pairs.right.tolist(), pairs.score.tolist(), strict=True
        )
    ]
