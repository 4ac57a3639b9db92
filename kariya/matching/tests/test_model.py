"""Field normalisation, the EM estimation, batch matching and lookups on generated people."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pytest

from kariya.matching import synthetic
from kariya.matching.blocking import sample_pairs_in_blocks
from kariya.matching.compare import FIELD_INDEX, FIELD_SPECS, TF_FIELDS
from kariya.matching.engine import Matcher, Pairs, dedupe, transitive_pairs
from kariya.matching.index import MatchIndex
from kariya.matching.model import (
    FellegiSunter,
    estimate_lambda,
    estimate_m,
    full_name_key,
    level_frequencies,
    patterns,
)
from kariya.matching.records import Encoder, normalise_phone, parse_date
from kariya.matching.tests.people import f1, people, true_pairs


@pytest.mark.parametrize(
    "written",
    ["+227 90 12 34 56", "0022790123456", "90123456", "227 90 12 34 56", "+22790123456"],
)
def test_niger_phone_forms_agree(written: str) -> None:
    assert normalise_phone(written) == "22790123456"


def test_foreign_phone_keeps_its_country() -> None:
    assert normalise_phone("+234 803 123 4567") == "2348031234567"
    assert normalise_phone("00234 8031234567") == "2348031234567"


@pytest.mark.parametrize(
    ("written", "parsed"),
    [
        ("1990-03-15", (1990, 3, 15)),
        ("19900315", (1990, 3, 15)),
        ("15/03/1990", (1990, 3, 15)),
        ("1990-02-30", None),
        ("1990-13-01", None),
        ("1850-01-10", None),
        ("unknown", None),
    ],
)
def test_dates(written: str, parsed: tuple[int, int, int] | None) -> None:
    assert parse_date(written) == parsed


def test_placeholder_dates_keep_only_the_year_and_problems_name_the_row() -> None:
    encoded = Encoder().encode_records(
        [
            {"id": "a", "given_name": "Issa", "birth_date": "1990-01-01"},
            {"id": "b", "given_name": "Issa", "birth_date": "1990-02-30"},
            {"id": "c", "birth_year": "19x0"},
        ]
    )
    assert encoded.year.tolist() == [1990, 0, 0]
    assert encoded.date.tolist() == [0, 0, 0]
    problems = {(i.row, i.field, i.problem) for i in encoded.issues}
    assert problems == {
        (2, "birth_date", "bad_date"),
        (3, "birth_year", "bad_year"),
        (3, "given_name", "no_name"),
    }


def test_em_recovers_the_parameters_of_a_known_mixture() -> None:
    rng = np.random.default_rng(7)
    n, share = 40_000, 0.25
    m_true = {"phone": np.array([0.1, 0.9]), "sex": np.array([0.05, 0.95])}
    u_true = {"phone": np.array([0.97, 0.03]), "sex": np.array([0.5, 0.5])}
    birth_m, birth_u = (
        np.array([0.02, 0.08, 0.2, 0.3, 0.4]),
        np.array([0.8, 0.08, 0.07, 0.04, 0.01]),
    )
    is_match = rng.random(n) < share
    gamma = np.full((n, len(FIELD_SPECS)), -1, dtype=np.int8)
    for name, m in (*m_true.items(), ("birth", birth_m)):
        u = u_true.get(name, birth_u)
        k = FIELD_INDEX[name]
        gamma[is_match, k] = rng.choice(len(m), is_match.sum(), p=m)
        gamma[~is_match, k] = rng.choice(len(u), (~is_match).sum(), p=u)
    u = [np.full(spec.n_levels, 1 / spec.n_levels) for spec in FIELD_SPECS]
    u[FIELD_INDEX["phone"]], u[FIELD_INDEX["sex"]] = u_true["phone"], u_true["sex"]
    u[FIELD_INDEX["birth"]] = birth_u
    used = [spec.name in ("phone", "sex", "birth") for spec in FIELD_SPECS]
    m, lam, _ = estimate_m(gamma, u, used)
    assert lam == pytest.approx(share, abs=0.03)
    assert m[FIELD_INDEX["phone"]] == pytest.approx(m_true["phone"], abs=0.04)
    assert m[FIELD_INDEX["sex"]] == pytest.approx(m_true["sex"], abs=0.04)
    assert m[FIELD_INDEX["birth"]] == pytest.approx(birth_m, abs=0.04)


def test_lambda_alone_is_recovered_with_m_and_u_known() -> None:
    rng = np.random.default_rng(3)
    n, share = 50_000, 0.02  # matches rare, as among all pairs sharing a common name
    m = [np.full(spec.n_levels, 1 / spec.n_levels) for spec in FIELD_SPECS]
    u = [np.full(spec.n_levels, 1 / spec.n_levels) for spec in FIELD_SPECS]
    k = FIELD_INDEX["birth"]
    m[k] = np.array([0.01, 0.05, 0.14, 0.5, 0.3])
    u[k] = np.array([0.88, 0.05, 0.05, 0.019, 0.001])
    is_match = rng.random(n) < share
    gamma = np.full((n, len(FIELD_SPECS)), -1, dtype=np.int8)
    gamma[is_match, k] = rng.choice(5, is_match.sum(), p=m[k])
    gamma[~is_match, k] = rng.choice(5, (~is_match).sum(), p=u[k])
    used = [spec.name == "birth" for spec in FIELD_SPECS]
    assert estimate_lambda(gamma, m, u, used) == pytest.approx(share, rel=0.2)


def test_pairs_sampled_from_blocks_of_any_size_share_their_key() -> None:
    keys = np.array([5, 5, 5, -1, 7, 7] + [9] * 300, dtype=np.int64)
    i, j, total = sample_pairs_in_blocks(keys, 5_000, np.random.default_rng(0))
    assert total == 3 + 1 + 300 * 299 // 2  # the large block counts, whatever the cap
    assert len(i) == 5_000
    assert (i < j).all()
    assert (keys[i] == keys[j]).all()
    assert (keys[i] >= 0).all()
    # uniform over pairs: the 300-record block holds nearly all of them
    assert (keys[i] == 9).mean() > 0.99
    assert sample_pairs_in_blocks(np.array([1, 2, -1]), 10, np.random.default_rng(0))[2] == 0


def test_two_strong_links_imply_the_third_pair() -> None:
    # 0–1 and 1–2 strong: 0–2 implied at 0.9 + 0.8 − 1 = 0.7; 3–4 and 4–5 too weak together
    # (0.6 + 0.5 − 1 < 0.4); 6–7, 7–8 imply 6–8 at 0.9, above its own score of 0.5.
    left = np.array([0, 1, 3, 4, 6, 7, 6])
    right = np.array([1, 2, 4, 5, 7, 8, 8])
    score = np.array([0.9, 0.8, 0.6, 0.5, 0.95, 0.95, 0.5])
    out = transitive_pairs(Pairs(left, right, score), 0.4, 9)
    found = {
        (a, b): round(s, 6)
        for a, b, s in zip(out.left.tolist(), out.right.tolist(), out.score.tolist(), strict=True)
    }
    assert found == {
        (0, 1): 0.9,
        (1, 2): 0.8,
        (0, 2): 0.7,
        (3, 4): 0.6,
        (4, 5): 0.5,
        (6, 7): 0.95,
        (7, 8): 0.95,
        (6, 8): 0.9,
    }


def test_patterns_count_pairs() -> None:
    gamma = np.array([[0] * 10, [0] * 10, [-1] * 10], dtype=np.int8)
    levels, counts = patterns(gamma)
    assert counts.tolist() == [1, 2]
    assert level_frequencies(levels, counts)[0][0] == pytest.approx(1.0, abs=1e-3)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return people(3000, seed=11)


@pytest.fixture(scope="module")
def fitted(rows: list[dict[str, str]]) -> Matcher:
    matcher = Matcher.from_records(rows)
    matcher.fit()
    return matcher


def test_fitted_model_is_sensible(fitted: Matcher) -> None:
    model = fitted.model
    assert model is not None
    weights = dict(zip([s.name for s in FIELD_SPECS], model.weights(), strict=True))
    # index 0 is "empty"; then the levels from "different" to "same"
    for name in ("given_name", "family_name", "birth", "phone", "document_number"):
        assert weights[name][1] < 0 < weights[name][-1], name
    assert weights["phone"][-1] > weights["sex"][-1]
    assert model.u[FIELD_INDEX["sex"]][1] == pytest.approx(0.5, abs=0.05)
    assert 0 < model.lam < 0.01


def test_namesakes_are_not_taken_for_matches_by_em() -> None:
    """The benchmark's generator has many namesakes sharing a language group (nationality,
    origin, the father's name as family name): EM on same-name pairs once took them for matches
    (expected matches 10,069 for 2,673 true pairs here; m of a birth year two or more years off
    0.19)."""
    rows = list(synthetic.generate_people(5000, seed=3))
    clusters = Counter(row.pop("cluster") for row in rows)
    true_count = sum(k * (k - 1) // 2 for k in clusters.values())
    matcher = Matcher.from_records(rows)
    model = matcher.fit()
    assert model.expected_matches == pytest.approx(true_count, rel=0.25)
    m_birth = model.m[FIELD_INDEX["birth"]]
    assert m_birth[0] + m_birth[1] < 0.12
    assert m_birth[3] + m_birth[4] > 0.65


def test_common_names_weigh_less_than_rare_ones(fitted: Matcher) -> None:
    model = fitted.model
    assert model is not None
    vocab = fitted.encoder.vocabs["name"].codes
    table = model.tf["given_name"]
    common = vocab["mohamed"]
    rare = int(np.flatnonzero(table == table[table > 0].min())[0])
    adj = model.tf_adjustment(np.array([[common, -1, -1], [rare, -1, -1]]))
    assert adj[0, 0] < adj[1, 0]


def test_a_full_name_common_as_a_pair_weighs_less_than_a_rare_pairing() -> None:
    # names 0 and 1 are each as common as 2 and 3; 0+1 is a usual pairing, 2+3 a rare one
    table = np.array([0.25, 0.25, 0.25, 0.25])
    model = FellegiSunter(m=[], u=[], lam=0.01)
    for name in TF_FIELDS:
        model.tf[name], model.tf_floor[name], model.tf_typical[name] = table, 0.01, 0.25
    model.full_name_keys = np.sort(full_name_key(np.array([0, 2]), np.array([1, 3])))
    model.full_name_freq = np.array([0.4, 0.01])  # key order: (0, 1) then (2, 3)
    model.full_name_floor, model.full_name_typical = 0.01, 0.1
    exact = np.array([[0, 1, -1], [3, 2, -1], [0, -1, -1]], dtype=np.int32)
    adj = model.tf_adjustment(exact)
    usual, rare = adj[0, 0] + adj[0, 1], adj[1, 0] + adj[1, 1]
    assert usual < 0 < rare
    # the mean of the two estimates: independent names (0 here) and the pair's own
    assert rare == pytest.approx(0.5 * np.log(0.1 / 0.01))
    assert adj[2, 0] == 0.0  # one name only: its own frequency (typical here)


def test_batch_matching_reaches_f1(rows: list[dict[str, str]]) -> None:
    found = {(a, b) for a, b, _ in dedupe(rows)}
    precision, recall, score = f1(found, true_pairs(rows))
    assert score >= 0.85, (precision, recall, score)


def test_lookup_finds_the_other_record_with_reasons(fitted: Matcher) -> None:
    index = MatchIndex(fitted)
    query = {
        "given_name": "Muhammad",
        "family_name": "Ag Ghissa",
        "sex": "M",
        "birth_year": "1987",
        "phone": "0022790000001",
    }
    extra = Matcher.from_records(
        [
            {
                "id": "x1",
                "given_name": "Mahamadou",
                "family_name": "Rhissa",
                "sex": "M",
                "birth_date": "1988-01-01",
                "phone": "+227 90 00 00 01",
            },
            {
                "id": "x2",
                "given_name": "Hadiza",
                "family_name": "Rhissa",
                "sex": "F",
                "birth_date": "1995-06-01",
                "phone": "+227 90 00 00 01",
            },
        ]
    )
    extra.model = fitted.model
    result = MatchIndex(extra).lookup(query)
    assert [c.id for c in result][:1] == ["x1"]
    reasons = {r.field: r.level for r in result[0].reasons}
    assert reasons["phone"] == "same"
    assert reasons["given_name"] == "same"
    assert reasons["birth"] == "1 year apart or other day"
    assert result[0].score > result[-1].score
    assert index.lookup(query, limit=3) is not None


def test_lookup_of_a_known_record_returns_its_duplicate(
    fitted: Matcher, rows: list[dict[str, str]]
) -> None:
    index = MatchIndex(fitted)
    clusters: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        clusters.setdefault(row["cluster"], []).append(row)
    dupes = [members for members in clusters.values() if len(members) > 1][:50]
    hits = 0
    for members in dupes:
        found = index.lookup(members[0], limit=10)
        assert members[0]["id"] not in {c.id for c in found}
        hits += any(c.id == members[1]["id"] for c in found)
    assert hits >= 45


def test_other_names_are_paired_with_records_only() -> None:
    """Rows past ``alternates_from`` (other spellings of earlier records) are never paired with
    each other, and the records' own pairs are those blocked without them."""
    names = ["Seydou Coulibaly", "Seydou Coulibaly", "Saidu Coulibaly", "Amadou Diallo"]
    records = [
        {"id": str(k), "given_name": n.split()[0], "family_name": n.split()[1], "sex": "M"}
        for k, n in enumerate(names)
    ]
    # Records 0 and 1 are both also written "Saidu Coulibaly".
    extra = [{**records[0], "given_name": "Saidu"}, {**records[1], "given_name": "Saidu"}]
    plain = Matcher.from_records(records)
    both = Matcher.from_records([*records, *extra])
    both.alternates_from = len(records)
    i, j = both.candidates()
    pairs = {(min(a, b), max(a, b)) for a, b in zip(i.tolist(), j.tolist(), strict=True)}
    assert (4, 5) not in pairs  # two other names
    assert {(2, 4), (2, 5)} <= pairs  # an other name with the record written that way
    pi, pj = plain.candidates()
    own = {(min(a, b), max(a, b)) for a, b in zip(pi.tolist(), pj.tolist(), strict=True)}
    assert {p for p in pairs if p[1] < len(records)} == own
    # Without the rule the two other names are a candidate pair.
    free = Matcher.from_records([*records, *extra])
    fi, fj = free.candidates()
    assert (4, 5) in {(min(a, b), max(a, b)) for a, b in zip(fi.tolist(), fj.tolist(), strict=True)}


def test_a_model_fitted_on_the_head_scores_the_whole_data() -> None:
    data = people(400, seed=3)
    matcher = Matcher.from_records([*data, *data[:50]])
    head = matcher.head(400)
    assert len(head.data) == 400 and head.encoder is matcher.encoder
    assert head.data.ids == matcher.data.ids[:400]
    matcher.model = head.fit()
    found = matcher.dedupe(0.4, transitive=False)
    # the copies of the first 50 records are found against them
    copies = {
        (int(a), int(b)) for a, b in zip(found.left.tolist(), found.right.tolist(), strict=True)
    }
    assert sum((k, 400 + k) in copies for k in range(50)) >= 45


def test_scoring_reports_progress_in_steps_with_the_same_pairs(monkeypatch: Any) -> None:
    from kariya.matching import engine

    data = people(400, seed=4)
    whole = Matcher.from_records(data)
    whole.fit()
    one = whole.dedupe(0.4, transitive=False)  # fewer pairs than MIN_CHUNK: one step
    monkeypatch.setattr(engine, "MIN_CHUNK", 10)
    steps: list[tuple[int, int]] = []
    stepped = whole.dedupe(
        0.4,
        transitive=False,
        progress=lambda stage, done, total: (
            steps.append((done, total)) if stage == "score" else None
        ),
    )
    total = len(whole.candidates()[0])
    assert len(steps) == engine.PROGRESS_STEPS or len(steps) == -(-total // 10)
    assert steps[-1] == (total, total) and [d for d, _t in steps] == sorted(d for d, _t in steps)
    assert _pair_list(stepped) == _pair_list(one)


def _pair_list(pairs: Pairs) -> list[tuple[int, int, float]]:
    return sorted(
        zip(pairs.left.tolist(), pairs.right.tolist(), pairs.score.round(12).tolist(), strict=True)
    )
