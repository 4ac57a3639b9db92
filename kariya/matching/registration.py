"""Scoring a registration draft against a few existing records with a shipped model.

One registration is too little data to fit a Fellegi–Sunter model by EM, so the registration
check (``people.selectors.registration_candidates``) uses default parameters estimated with
this package's engine on the synthetic generator (``synthetic.generate_people``) and stored in
``data/default_model.json``. This module loads them, scores pairs and turns the comparison
levels into the words of ``dedup`` (``exact``, ``variant``, ``strong``, ``close``, ``weak``,
``swapped``, ``different``) — field names and levels only, never values.

Rebuild the file (about a minute)::

    uv run python -m kariya.matching.registration --records 20000 --seed 5

It prints the calibration: the share of true matches among the candidates a key lookup finds
(the prior λ), and precision / recall of the candidates scoring at least each threshold.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from kariya.matching.compare import FIELD_INDEX, FIELD_SPECS, compare
from kariya.matching.model import (
    M_DIFFERENT_CEILING,
    FellegiSunter,
    _cap_first,
    level_frequencies,
    patterns,
)
from kariya.matching.names import VariantDictionary, fold_name, name_tokens
from kariya.matching.records import Encoder, normalise_phone

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "data" / "default_model.json"

# The fields Kariya's identity and core hold (no father's name, origin or address).
REGISTRATION_FIELDS = (
    "given_name",
    "family_name",
    "sex",
    "birth_date",
    "birth_year",
    "nationality",
    "phone",
    "document_number",
)
REGISTRATION_COMPARED = (
    "given_name",
    "family_name",
    "sex",
    "birth",
    "nationality",
    "phone",
    "document_number",
)
# How many records sharing keys with the draft are read and scored (ranked by shared keys).
CANDIDATES = 20


@dataclass(frozen=True)
class Scored:
    index: int  # position in the candidates given
    score: float  # posterior match probability, 0–1
    reasons: dict[str, str]  # field -> level word (dedup.services.LEVELS)


def model_from_dict(data: Mapping[str, Any]) -> FellegiSunter:
    return FellegiSunter(
        m=[np.asarray(level, dtype=np.float64) for level in data["m"]],
        u=[np.asarray(level, dtype=np.float64) for level in data["u"]],
        lam=float(data["lam"]),
    )


@lru_cache(maxsize=2)
def load_default_model(path: Path = DEFAULT_MODEL_PATH) -> tuple[FellegiSunter, float]:
    """The shipped model and its threshold (read once per process)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    fields = [spec.name for spec in FIELD_SPECS]
    if data["fields"] != fields:
        raise ValueError("default_model.json was built for other comparison fields")
    return model_from_dict(data), float(data["threshold"])


@lru_cache(maxsize=20_000)
def _canon(text: str, variants: VariantDictionary | None = None) -> frozenset[str]:
    # Keyed by the dictionary object too: a new dictionary (an administrator's addition) is a
    # new object, so nothing read through an older one is reused.
    return frozenset(name_tokens(text, variants)) if text else frozenset()


def _name_word(level: int, raw_a: str, raw_b: str) -> str:
    top = FIELD_SPECS[FIELD_INDEX["given_name"]].n_levels - 1
    if level == top:
        return "exact" if fold_name(raw_a) == fold_name(raw_b) else "variant"
    return {2: "strong", 1: "close"}.get(level, "different")


_BIRTH_WORDS = {4: "exact", 3: "strong", 2: "close", 1: "weak", 0: "different"}


def reasons_for(
    gamma: np.ndarray,
    draft: Mapping[str, str],
    candidate: Mapping[str, str],
    variants: VariantDictionary | None = None,
) -> dict[str, str]:
    """Field → level word for one compared pair (levels only; empty fields left out)."""
    reasons: dict[str, str] = {}
    g, f = gamma[FIELD_INDEX["given_name"]], gamma[FIELD_INDEX["family_name"]]
    dg, df = draft.get("given_name", ""), draft.get("family_name", "")
    cg, cf = candidate.get("given_name", ""), candidate.get("family_name", "")
    canon_dg, canon_df = _canon(dg, variants), _canon(df, variants)
    canon_cg, canon_cf = _canon(cg, variants), _canon(cf, variants)
    swapped = (
        bool(canon_dg and canon_df)
        and canon_dg == canon_cf
        and canon_df == canon_cg
        and canon_dg != canon_cg
    )
    if swapped:
        reasons["given_name"] = reasons["family_name"] = "swapped"
    else:
        if g >= 0:
            reasons["given_name"] = _name_word(int(g), dg, cg)
        if f >= 0:
            reasons["family_name"] = _name_word(int(f), df, cf)
    sex = gamma[FIELD_INDEX["sex"]]
    if sex >= 0:
        reasons["sex"] = "exact" if sex == 1 else "different"
    birth = gamma[FIELD_INDEX["birth"]]
    if birth >= 0:
        reasons["birth_date" if birth == 4 else "birth_year"] = _BIRTH_WORDS[int(birth)]
    for name in ("nationality", "phone"):
        level = gamma[FIELD_INDEX[name]]
        if level >= 0:
            reasons[name] = "exact" if level == 1 else "different"
    document = gamma[FIELD_INDEX["document_number"]]
    if document >= 0:
        reasons["document_number"] = {2: "exact", 1: "close"}.get(int(document), "different")
    return reasons


def _gamma(
    draft: Mapping[str, str],
    candidates: Sequence[Mapping[str, str]],
    variants: VariantDictionary | None = None,
) -> np.ndarray:
    encoder = Encoder(variants)
    rows = [{"id": str(k), **dict(r)} for k, r in enumerate([draft, *candidates])]
    data = encoder.encode_records(rows)
    right = np.arange(1, len(rows), dtype=np.int64)
    gamma, _exact = compare(encoder, data, np.zeros(len(right), dtype=np.int64), data, right)
    return gamma


def score(
    draft: Mapping[str, str],
    candidates: Sequence[Mapping[str, str]],
    model: FellegiSunter | None = None,
    variants: VariantDictionary | None = None,
) -> list[Scored]:
    """Score every candidate against the draft (plain dicts with ``REGISTRATION_FIELDS``),
    best first. ``variants``: the name dictionary (default: the shipped one; the application
    passes the one in force, ``matching.dictionary.current_variants``)."""
    if not candidates:
        return []
    model = model or load_default_model()[0]
    gamma = _gamma(draft, candidates, variants)
    # No term frequencies: the shipped model cannot know this organisation's name frequencies.
    scores = model.probability(gamma, None)
    order = np.argsort(-scores, kind="stable")
    return [
        Scored(int(k), float(scores[k]), reasons_for(gamma[k], draft, candidates[int(k)], variants))
        for k in order.tolist()
    ]


# --- building the default model ---------------------------------------------------------------


def registration_keys(record: Mapping[str, str]) -> set[str]:
    """The keys a lookup shares (canonical name tokens, phone, document), as the database's
    blind indexes hold them (in clear here: synthetic data)."""
    keys = {f"n:{t}" for t in name_tokens(record.get("given_name", "") or "")}
    keys |= {f"n:{t}" for t in name_tokens(record.get("family_name", "") or "")}
    phone = normalise_phone(record.get("phone", "") or "")
    if phone:
        keys.add(f"p:{phone}")
    document = "".join(ch for ch in (record.get("document_number") or "").upper() if ch.isalnum())
    if document:
        keys.add(f"d:{document}")
    return keys


def _stripped(record: Mapping[str, str]) -> dict[str, str]:
    out = {name: record.get(name, "") or "" for name in REGISTRATION_FIELDS}
    out["sex"] = {"M": "male", "F": "female"}.get(out["sex"], "")
    return out


def _lookups(records: list[dict[str, str]], queries: Iterable[int]) -> list[tuple[int, list[int]]]:
    """For each query record, the top ``CANDIDATES`` others by number of shared keys."""
    postings: dict[str, list[int]] = defaultdict(list)
    keys = [registration_keys(r) for r in records]
    for i, found in enumerate(keys):
        for key in found:
            postings[key].append(i)
    out = []
    for q in queries:
        shared: dict[int, int] = defaultdict(int)
        for key in keys[q]:
            for i in postings[key]:
                if i != q:
                    shared[i] += 1
        ranked = sorted(shared, key=lambda i: (-shared[i], i))[:CANDIDATES]
        out.append((q, ranked))
    return out


def build(
    records: int, seed: int, queries: int = 3000, evaluate_seed: int | None = None
) -> dict[str, Any]:
    from kariya.matching.synthetic import generate_people

    rows = list(generate_people(records, seed=seed))
    clusters = [r["cluster"] for r in rows]
    stripped = [_stripped(r) for r in rows]
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(rows), min(queries, len(rows)), replace=False).tolist()
    lookups = _lookups(rows, picked)
    pairs = sum(len(found) for _q, found in lookups)
    matches = sum(clusters[q] == clusters[i] for q, found in lookups for i in found)
    lam = max(matches / max(pairs, 1), 1e-6)
    # m and u from the candidates themselves, labelled by the generator's truth: among records
    # that already share a name token, agreeing on a name is far weaker evidence than among
    # random pairs (the batch engine's u). Measured: with the engine's EM fit (m by EM, u from
    # random pairs) precision was 0.20 at 0.5 on these candidates; with these, see the file.
    gammas, truth = [], []
    for q, found in lookups:
        if found:
            gammas.append(_gamma(stripped[q], [stripped[i] for i in found]))
            truth += [clusters[q] == clusters[i] for i in found]
    gamma = np.concatenate(gammas)
    is_match = np.asarray(truth, dtype=bool)
    m_levels, m_counts = patterns(gamma[is_match])
    u_levels, u_counts = patterns(gamma[~is_match])
    m = level_frequencies(m_levels, m_counts)
    for name, ceiling in M_DIFFERENT_CEILING.items():
        k = FIELD_INDEX[name]
        m[k] = _cap_first(m[k], ceiling)
    u = level_frequencies(u_levels, u_counts)
    unused = [k for k, spec in enumerate(FIELD_SPECS) if spec.name not in REGISTRATION_COMPARED]
    for k in unused:  # never compared at registration (always empty): weight 0
        m[k] = u[k]
    model = FellegiSunter(m=m, u=u, lam=lam)
    if evaluate_seed is not None:
        rows = list(generate_people(records, seed=evaluate_seed))
        clusters = [r["cluster"] for r in rows]
        stripped = [_stripped(r) for r in rows]
        lookups = _lookups(rows, picked)
    size: dict[str, int] = defaultdict(int)
    for cluster in clusters:
        size[cluster] += 1
    all_matches = sum(size[clusters[q]] - 1 for q in picked)
    thresholds = (0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
    table = []
    scored_all = []
    for q, found in lookups:
        for s in score(stripped[q], [stripped[i] for i in found], model):
            scored_all.append((s.score, clusters[q] == clusters[found[s.index]]))
    for t in thresholds:
        kept = [truth for value, truth in scored_all if value >= t]
        true = sum(kept)
        precision = true / len(kept) if kept else 1.0
        recall = true / all_matches if all_matches else 0.0
        table.append({"threshold": t, "precision": round(precision, 3), "recall": round(recall, 3)})
    return {
        "about": (
            "Default Fellegi-Sunter parameters for the registration check: m and u are the "
            "engine's comparison levels among the candidates a key lookup returns on "
            "kariya.matching.synthetic, split by the generator's truth; lam is the share of true "
            "matches among them. Rebuild with: python -m kariya.matching.registration"
        ),
        "generator": "kariya.matching.synthetic.generate_people",
        "records": records,
        "seed": seed,
        "queries": len(picked),
        "fields": [spec.name for spec in FIELD_SPECS],
        "m": [[round(float(x), 8) for x in level] for level in model.m],
        "u": [[round(float(x), 8) for x in level] for level in model.u],
        "lam": round(lam, 6),
        "threshold": 0.5,
        "calibration": {
            "candidate_pairs": pairs,
            "true_matches_among_candidates": matches,
            "evaluated_on_seed": seed if evaluate_seed is None else evaluate_seed,
            "true_matches_of_queries": all_matches,
            "thresholds": table,
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--evaluate-seed", type=int, default=6)
    parser.add_argument("--output", type=Path, default=DEFAULT_MODEL_PATH)
    args = parser.parse_args(argv)
    result = build(args.records, args.seed, evaluate_seed=args.evaluate_seed)
    args.output.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    json.dump(result["calibration"], sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
