"""Fellegi–Sunter scoring with parameters estimated from the data (see README.md, "Model").

- u (how often non-matches agree at each level) starts from random record pairs, as Splink does;
- m (how often matches do), u and the share of matches λ among candidate pairs are then
  re-estimated by expectation–maximisation over the candidate pairs (grouped by comparison
  pattern, so an iteration costs the number of distinct patterns, not of pairs);
- agreement on a name is worth more for a rare name than for "Mohamed": the exact-agreement
  weight is adjusted by log(typical frequency / this name's frequency) (term frequency).

The score is the posterior match probability, logistic(logit λ + Σ weights).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from kariya.matching.compare import FIELD_SPECS, TF_FIELDS

# Pseudo-count (as a share of the data) that keeps every probability off zero.
SMOOTHING = 1e-4
TF_CLIP = 3.0
# A common name's malus is bounded tighter than a rare name's bonus: "Mahamadou Mahamadou" is
# common, but two records of it with the same birth year are still often one person.
TF_MALUS = 2.0
# A rare family or father's name is shared by a whole household: unless the given names agree
# too, its bonus stays small, or siblings would look like one person.
TF_BONUS_SHARED = 0.5


def _radices() -> np.ndarray:
    sizes = np.array([spec.n_levels + 1 for spec in FIELD_SPECS], dtype=np.int64)
    return np.concatenate([[1], np.cumprod(sizes)[:-1]])


def patterns(gamma: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct comparison patterns (as a levels matrix) and how many pairs have each."""
    codes = (gamma.astype(np.int64) + 1) @ _radices()
    codes.sort()
    first = np.r_[True, codes[1:] != codes[:-1]] if len(codes) else np.zeros(0, dtype=bool)
    unique = codes[first]
    counts = np.diff(np.r_[np.flatnonzero(first), len(codes)])
    sizes = np.array([spec.n_levels + 1 for spec in FIELD_SPECS], dtype=np.int64)
    levels = (unique[:, None] // _radices()[None, :]) % sizes[None, :] - 1
    return levels.astype(np.int8), counts.astype(np.float64)


def level_frequencies(levels: np.ndarray, weights: np.ndarray) -> list[np.ndarray]:
    """Per field, the weighted share of each level among non-empty comparisons."""
    out = []
    for k, spec in enumerate(FIELD_SPECS):
        col = levels[:, k]
        present = col >= 0
        counts = np.bincount(col[present], weights=weights[present], minlength=spec.n_levels)
        total = counts.sum()
        counts = counts + SMOOTHING * max(total, 1.0)
        out.append(counts / counts.sum())
    return out


def _log_table(probs: list[np.ndarray]) -> list[np.ndarray]:
    # index 0 is "empty" (contributes nothing), then the levels
    return [np.concatenate([[0.0], np.log(p)]) for p in probs]


@dataclass
class FellegiSunter:
    m: list[np.ndarray]
    u: list[np.ndarray]
    lam: float
    iterations: int = 0
    # term frequencies of name codes (per TF field) and their typical value among agreeing pairs
    tf: dict[str, np.ndarray] = field(default_factory=dict)
    tf_typical: dict[str, float] = field(default_factory=dict)
    tf_floor: dict[str, float] = field(default_factory=dict)
    expected_matches: float = 0.0
    # the same for the full name: (smaller, larger) name code pairs as sorted int64 keys
    # (``full_name_key``), their frequencies, typical value and floor
    full_name_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    full_name_freq: np.ndarray = field(default_factory=lambda: np.zeros(0))
    full_name_typical: float = 0.0
    full_name_floor: float = 0.0
    # per TF field: (the tf table it was computed from, log ratio per code, past the table)
    _log_ratio: dict[str, tuple[np.ndarray, np.ndarray, float]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def weights(self) -> list[np.ndarray]:
        """log(m/u) per field and level, made non-decreasing with the level (index 0: empty)."""
        out = []
        for name, m, u in zip(FIELD_NAMES, self.m, self.u, strict=True):
            w = np.maximum.accumulate(np.log(m) - np.log(u))
            if name in WEIGHT_CEILING:
                w = np.minimum(w, WEIGHT_CEILING[name])
            out.append(np.concatenate([[0.0], w]))
        return out

    def _tf_log_ratio(self, name: str, codes: np.ndarray) -> np.ndarray:
        """log(typical frequency / the code's frequency, at least the floor) per code: the
        same division and logarithm as per pair, done once per distinct name and looked up."""
        table = self.tf[name]
        cached = self._log_ratio.get(name)
        if cached is None or cached[0] is not table:
            typical, floor = self.tf_typical[name], self.tf_floor[name]
            ratio = np.log(typical / np.maximum(table, floor))
            beyond = np.log(typical / np.full(1, floor))[0]  # a code past the table
            cached = self._log_ratio[name] = (table, ratio, beyond)
        _, ratio, beyond = cached
        if not len(codes) or codes.max() < len(ratio):  # a batch: every code in the table
            return ratio[codes]
        out = np.full(len(codes), beyond)
        inside = codes < len(ratio)
        out[inside] = ratio[codes[inside]]
        return out

    def tf_adjustment(self, exact: np.ndarray) -> np.ndarray:
        """Per pair and TF field, log(typical frequency / frequency of the shared value)."""
        adj = np.zeros(exact.shape, dtype=np.float64)
        given_agrees = exact[:, 0] >= 0
        for k, name in enumerate(TF_FIELDS):
            if name not in self.tf:
                continue
            codes = exact[:, k]
            rows = np.flatnonzero(codes >= 0)
            value = np.clip(self._tf_log_ratio(name, codes[rows]), -TF_MALUS, TF_CLIP)
            if name != "given_name":
                # min(clip(x, -TF_MALUS, TF_CLIP), TF_BONUS_SHARED) is clip(x, -TF_MALUS,
                # TF_BONUS_SHARED), the bound being smaller
                shared = ~given_agrees[rows]
                value[shared] = np.minimum(value[shared], TF_BONUS_SHARED)
            adj[rows, k] = value
        if len(self.full_name_keys):
            self._full_name_adjustment(exact, adj)
        return adj

    def _full_name_adjustment(self, exact: np.ndarray, adj: np.ndarray) -> None:
        """Where both names agree exactly: the mean of the two names' adjustments summed (as if
        independent) and the full name's own (its frequency as a pair), put on the given name.
        Names go together within a language group — "Moussa Mahamadou" is commoner than its
        two names' frequencies multiplied — while a rare pair's frequency, counted on a
        record or two, is noisy: the mean of the two log-frequencies shrinks one to the other.
        (Measured on the benchmark generator, seed 1, with the transitive pairs at 0.4: F1 20k
        0.899 -> 0.901, 100k 0.861 -> 0.864; the full name's adjustment alone: worse.)"""
        both = np.flatnonzero((exact[:, 0] >= 0) & (exact[:, 1] >= 0))
        if not len(both):
            return
        keys = full_name_key(exact[both, 0], exact[both, 1])
        keys_known = self.full_name_keys
        pos = np.minimum(np.searchsorted(keys_known, keys), len(keys_known) - 1)
        known, unknown = self._full_name_log_ratio()
        joint = np.where(keys_known[pos] == keys, known[pos], unknown)
        adj[both, 0] = 0.5 * (joint + adj[both, 0] + adj[both, 1])
        adj[both, 1] = 0.0

    def _full_name_log_ratio(self) -> tuple[np.ndarray, float]:
        """The full name's adjustment per known full name, and for an unknown one: clipped
        log(typical / frequency, at least the floor), computed once per full name."""
        cached = self._log_ratio.get("full_name")
        if cached is None or cached[0] is not self.full_name_freq:
            floor, typical = self.full_name_floor, self.full_name_typical
            known = np.clip(
                np.log(typical / np.maximum(self.full_name_freq, floor)), -TF_MALUS, TF_CLIP
            )
            unknown = np.clip(np.log(typical / np.full(1, floor)), -TF_MALUS, TF_CLIP)[0]
            cached = self._log_ratio["full_name"] = (self.full_name_freq, known, unknown)
        return cached[1], cached[2]

    def field_weights(self, gamma: np.ndarray, exact: np.ndarray | None) -> np.ndarray:
        """Per pair and field, the weight (log Bayes factor) of its level, TF included."""
        out = np.empty(gamma.shape, dtype=np.float64)
        for k, table in enumerate(self.weights()):
            out[:, k] = table[gamma[:, k].astype(np.int64) + 1]
        if exact is not None and self.tf:
            adjustment = self.tf_adjustment(exact)
            for k, name in enumerate(TF_FIELDS):
                out[:, FIELD_NAMES.index(name)] += adjustment[:, k]
        if RELATIVES_GUARD:
            # Different given names with the same father's name or phone: relatives, not one
            # person written twice; their shared family and father's names are then no evidence
            # of a match (they would count twice what the household shares).
            relatives = (gamma[:, 0] == 0) & ((gamma[:, 2] >= 2) | (gamma[:, 8] == 1))
            for name in ("family_name", "father_name"):
                k = FIELD_NAMES.index(name)
                out[relatives, k] = np.minimum(out[relatives, k], RELATIVES_CEILING)
        return out

    def log_odds(self, gamma: np.ndarray, exact: np.ndarray | None = None) -> np.ndarray:
        prior = np.log(self.lam / (1 - self.lam))
        return prior + self.field_weights(gamma, exact).sum(axis=1)

    def probability(self, gamma: np.ndarray, exact: np.ndarray | None = None) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.log_odds(gamma, exact)))


FIELD_NAMES = [spec.name for spec in FIELD_SPECS]


def full_name_key(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One int64 per pair of name codes, whatever their order (given and family swapped)."""
    a, b = a.astype(np.int64), b.astype(np.int64)
    return np.minimum(a, b) * np.int64(1 << 31) + np.maximum(a, b)


def estimate_m(
    gamma: np.ndarray,
    u: list[np.ndarray],
    used: list[bool],
    max_iter: int = 60,
    tol: float = 1e-5,
) -> tuple[list[np.ndarray], float, int]:
    """One EM session (as Splink's): pairs blocked on some fields, u fixed from random pairs,
    m of the other fields (``used``) and the share of matches λ among these pairs estimated.

    Fields the pairs were blocked on agree by construction and stay out of the likelihood."""
    levels, counts = patterns(gamma)
    index = levels.astype(np.int64) + 1
    total = counts.sum()
    m = [np.asarray(1.5 ** np.arange(len(x)) * x**0.5) for x in u]
    m = [x / x.sum() for x in m]
    lam = 0.3
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 - returned
        log_m, log_u = _log_table(m), _log_table(u)
        score = np.full(len(levels), np.log(lam / (1 - lam)))
        for k in range(len(FIELD_SPECS)):
            if used[k]:
                score += log_m[k][index[:, k]] - log_u[k][index[:, k]]
        p = 1.0 / (1.0 + np.exp(-score))
        new_lam = float(np.clip((counts * p).sum() / total, 1e-9, 1 - 1e-9))
        new_m = level_frequencies(levels, counts * p)
        change = max(
            abs(new_lam - lam),
            max(float(np.abs(a - b).max()) for a, b, k in zip(new_m, m, used, strict=True) if k),
        )
        m = [nm if k else om for nm, om, k in zip(new_m, m, used, strict=True)]
        lam = new_lam
        if change < tol:
            break
    return m, lam, iterations


def estimate_lambda(
    gamma: np.ndarray,
    m: list[np.ndarray],
    u: list[np.ndarray],
    used: list[bool],
    max_iter: int = 200,
    tol: float = 1e-7,
) -> float:
    """The share of matches among ``gamma``'s pairs by EM with m and u fixed (fields ``used``)."""
    levels, counts = patterns(gamma)
    if not len(levels):
        return 0.0
    index = levels.astype(np.int64) + 1
    log_m, log_u = _log_table(m), _log_table(u)
    weight = np.zeros(len(levels))
    for k in range(len(FIELD_SPECS)):
        if used[k]:
            weight += log_m[k][index[:, k]] - log_u[k][index[:, k]]
    total = counts.sum()
    lam = 0.1
    for _ in range(max_iter):
        p = 1.0 / (1.0 + np.exp(-(weight + np.log(lam / (1 - lam)))))
        new_lam = float(np.clip((counts * p).sum() / total, 1e-12, 1 - 1e-9))
        if abs(new_lam - lam) < tol * max(lam, 1e-6):
            lam = new_lam
            break
        lam = new_lam
    return lam


# Upper bounds on m of the "different" level, where EM cannot tell a person from a same-named
# sibling sharing the household's phone, father and origin (conditional independence fails
# there): a birth year more than two years off is rare for the same person.
M_DIFFERENT_CEILING = {"birth": 0.03, "sex": 0.02}


def _cap_first(m: np.ndarray, ceiling: float) -> np.ndarray:
    if m[0] <= ceiling:
        return m
    rest = m[1:] / m[1:].sum() * (1 - ceiling)
    return np.concatenate([[ceiling], rest])


# Upper bound on the weight of a shared phone: households share one, so agreeing on it is no
# stronger than agreeing on a name (u from random pairs would make it outweigh two different
# given names and birth years: siblings). Addresses are left free: capping them cost FEBRL
# recall, and in Niger-style data they are rarely both filled.
WEIGHT_CEILING = {"phone": 3.0}


# Measured on the benchmark generator (20k: best F1 0.867 -> 0.880; 100k: 0.822 -> 0.830) and
# FEBRL (unchanged: there a given-name typo with the same surname is common, but no father).
RELATIVES_GUARD = True
RELATIVES_CEILING = 0.0

# Share of all true matches assumed to fall in the first session's blocks (same names, up to
# spelling): the prior λ is the matches that session finds divided by it, as Splink does.
FIRST_SESSION_RECALL = 0.8


def estimate(
    sessions: list[tuple[np.ndarray, list[bool], int]],
    gamma_random: np.ndarray,
    n_records: int,
    prior_sample: tuple[np.ndarray, int] | None = None,
) -> FellegiSunter:
    """u from random pairs; m from EM sessions (pairs, fields used, how many pairs the
    session's rule gives in all) averaged per field; the prior λ (two random records match)
    from the matches the first session expects among all its rule's pairs.

    ``prior_sample`` (levels of pairs drawn uniformly from *all* the first rule's pairs, and
    their number): the first session's blocks are capped, and at a million records the common
    names' blocks — where many true pairs are — exceed the cap, so the matches expected there
    are counted from this sample instead (λ by EM with the final m and u fixed)."""
    r_levels, r_counts = patterns(gamma_random)
    u = level_frequencies(r_levels, r_counts)
    collected: list[list[np.ndarray]] = [[] for _ in FIELD_SPECS]
    iterations = 0
    expected_matches = 0.0
    for number, (gamma, used, size) in enumerate(sessions):
        if len(gamma) == 0:
            continue
        m, lam, its = estimate_m(gamma, u, used)
        if number == 0:
            expected_matches = lam * size / FIRST_SESSION_RECALL
        iterations += its
        for k, flag in enumerate(used):
            if flag:
                collected[k].append(m[k])
    m_final = []
    for k, found in enumerate(collected):
        if found:
            m_final.append(np.mean(found, axis=0))
        else:  # no session could estimate it: a mild prior that agreement means a match
            prior = 2.0 ** np.arange(FIELD_SPECS[k].n_levels)
            m_final.append(prior / prior.sum())
    for name, ceiling in M_DIFFERENT_CEILING.items():
        k = FIELD_NAMES.index(name)
        m_final[k] = _cap_first(m_final[k], ceiling)
    if prior_sample is not None and len(prior_sample[0]) and sessions:
        gamma_all, size_all = prior_sample
        lam_all = estimate_lambda(gamma_all, m_final, u, sessions[0][1])
        expected_matches = lam_all * size_all / FIRST_SESSION_RECALL
    all_pairs = max(n_records * (n_records - 1) / 2, 1.0)
    lam = float(np.clip(expected_matches / all_pairs, 1e-12, 0.5))
    return FellegiSunter(
        m=m_final, u=u, lam=lam, iterations=iterations, expected_matches=expected_matches
    )
