"""In-memory index for single-record lookups: the likely existing records for a new one.

Built from a fitted ``Matcher``: per blocking rule, the records' keys sorted (numpy), so a
lookup is a binary search per rule, then the same comparisons and model as batch matching on a
few hundred candidates. Pure Python/numpy over dicts; no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from kariya.matching.blocking import RULES
from kariya.matching.compare import FIELD_SPECS, compare
from kariya.matching.engine import Matcher
from kariya.matching.names import VariantDictionary
from kariya.matching.records import Encoded

# Records taken from one block of one rule: a lookup stays fast even for "Mohamed Moussa".
LOOKUP_CAP = 200


@dataclass(frozen=True)
class Reason:
    field: str
    level: str  # e.g. "same", "very similar", "1 year apart or other day", "different"
    weight: float  # log Bayes factor: > 0 for a match, < 0 against


@dataclass(frozen=True)
class Candidate:
    id: str
    score: float
    reasons: tuple[Reason, ...]


class MatchIndex:
    def __init__(self, matcher: Matcher) -> None:
        if matcher.model is None:
            matcher.fit()
        self.matcher = matcher
        self._keys: list[tuple[np.ndarray, np.ndarray]] = []
        for rule in RULES:
            keys = rule.key(matcher.data)
            present = np.flatnonzero(keys >= 0)
            order = present[np.argsort(keys[present], kind="stable")]
            self._keys.append((keys[order], order.astype(np.int32)))

    @classmethod
    def build(
        cls, records: Iterable[Mapping[str, object]], variants: VariantDictionary | None = None
    ) -> MatchIndex:
        matcher = Matcher.from_records(records, variants)
        matcher.fit()
        return cls(matcher)

    def candidates_for(self, record: Mapping[str, object]) -> tuple[Encoded, np.ndarray]:
        query = self.matcher.encoder.encode_records([{"id": "", **record}], frozen=True)
        found = []
        for rule, (keys, order) in zip(RULES, self._keys, strict=True):
            key = rule.key(query)[0]
            if key < 0:
                continue
            lo = int(np.searchsorted(keys, key, side="left"))
            hi = int(np.searchsorted(keys, key, side="right"))
            if hi > lo:
                found.append(order[lo : min(hi, lo + LOOKUP_CAP)])
        if not found:
            return query, np.zeros(0, dtype=np.int64)
        return query, np.unique(np.concatenate(found)).astype(np.int64)

    def lookup(
        self, record: Mapping[str, object], limit: int = 10, min_score: float = 0.0
    ) -> list[Candidate]:
        """The best ``limit`` existing records for ``record`` (same keys as the batch input;
        ``id`` optional: a record with the same id is left out), best first, with reasons."""
        model = self.matcher.model
        assert model is not None  # noqa: S101 - fitted in __init__
        query, cand = self.candidates_for(record)
        data = self.matcher.data
        own = str(record.get("id", "") or "")
        if own:
            cand = np.array([c for c in cand.tolist() if data.ids[c] != own], dtype=np.int64)
        if len(cand) == 0:
            return []
        gamma, exact = compare(
            self.matcher.encoder, query, np.zeros(len(cand), dtype=np.int64), data, cand
        )
        scores = model.probability(gamma, exact)
        weights = model.field_weights(gamma, exact)
        best = np.argsort(-scores, kind="stable")[:limit]
        out = []
        for k in best.tolist():
            if scores[k] < min_score:
                break
            reasons = tuple(
                Reason(spec.name, spec.levels[int(gamma[k, f])], round(float(weights[k, f]), 2))
                for f, spec in enumerate(FIELD_SPECS)
                if gamma[k, f] >= 0
            )
            out.append(Candidate(data.ids[int(cand[k])], float(scores[k]), reasons))
        return out
