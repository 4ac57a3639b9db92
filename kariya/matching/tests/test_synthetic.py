"""The synthetic data generator: deterministic, with the shape and the noise it promises."""

from __future__ import annotations

import collections
import csv
import gzip
import inspect
import re
import unicodedata

import pytest

from kariya.matching import synthetic

N = 6000


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return list(synthetic.generate_people(N, seed=7))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_it_streams_exactly_the_records_asked_for_with_every_column(rows):
    assert inspect.isgenerator(synthetic.generate_people(10, seed=1))
    assert len(rows) == N
    assert all(tuple(row) == synthetic.ALL_COLUMNS for row in rows)
    assert len({row["id"] for row in rows}) == N
    assert list(synthetic.generate_people(0)) == []


def test_same_seed_same_records_other_seed_other_records(rows):
    assert list(synthetic.generate_people(N, seed=7)) == rows
    other = list(synthetic.generate_people(N, seed=8))
    assert [r["given_name"] for r in other] != [r["given_name"] for r in rows]


def test_a_third_of_people_have_two_to_four_records(rows):
    sizes = collections.Counter(collections.Counter(r["cluster"] for r in rows).values())
    people = sum(sizes.values())
    assert set(sizes) <= {1, 2, 3, 4}
    assert 0.28 < (people - sizes[1]) / people < 0.39
    assert sizes[2] > sizes[3] > sizes[4] > 0


def test_records_of_a_person_are_scattered_not_adjacent(rows):
    adjacent_same = sum(a["cluster"] == b["cluster"] for a, b in itertools_pairwise(rows))
    assert adjacent_same < N * 0.01


def itertools_pairwise(items):
    return zip(items, items[1:], strict=False)


def test_names_follow_a_zipf_law_with_a_long_tail(rows):
    given = collections.Counter(_fold(r["given_name"]) for r in rows if r["given_name"])
    top = given.most_common(1)[0][1]
    assert top > 0.015 * N  # a few names are very common (each spelt several ways)...
    singletons = sum(1 for count in given.values() if count == 1)
    assert singletons > 300  # ...and many are rare


def test_both_sexes_and_weighted_nationalities(rows):
    sexes = collections.Counter(r["sex"] for r in rows)
    assert sexes["M"] > sexes["F"] > 0.2 * N
    nationalities = collections.Counter(r["nationality"] for r in rows if r["nationality"])
    assert nationalities.most_common(1)[0][0] == "NER"
    assert {"NGA", "MLI", "BFA", "GIN", "CIV", "SEN", "CMR", "GHA", "TCD", "SDN"} <= set(
        nationalities
    )


def _clusters(rows):
    by_cluster = collections.defaultdict(list)
    for row in rows:
        by_cluster[row["cluster"]].append(row)
    return [records for records in by_cluster.values() if len(records) > 1]


def test_records_of_one_person_disagree_the_ways_the_issue_lists(rows):
    clusters = _clusters(rows)
    pairs = [(a, b) for records in clusters for a in records for b in records if a["id"] < b["id"]]

    def share(condition):
        return sum(1 for a, b in pairs if condition(a, b)) / len(pairs)

    # another spelling of the given name (not only case or accents)
    assert share(lambda a, b: _fold(a["given_name"]) != _fold(b["given_name"])) > 0.2
    # given and family names swapped
    assert (
        share(
            lambda a, b: (
                a["given_name"]
                and _fold(a["given_name"]) == _fold(b["family_name"])
                and _fold(a["family_name"]) == _fold(b["given_name"])
                and _fold(a["given_name"]) != _fold(a["family_name"])
            )
        )
        > 0.02
    )
    # a birth year only, a 1 January placeholder, an age-derived year one or two off
    assert share(lambda a, b: bool(a["birth_date"]) != bool(b["birth_date"])) > 0.2
    assert any(r["birth_date"].endswith("-01-01") for r in rows)

    def year(r):
        return int(r["birth_date"][:4] or r["birth_year"] or 0)

    assert share(lambda a, b: year(a) and year(b) and abs(year(a) - year(b)) in (1, 2)) > 0.02
    # a different phone, or the same phone written another way
    assert share(lambda a, b: a["phone"] and b["phone"] and a["phone"] != b["phone"]) > 0.1
    # particles present in one record, left out or glued in another
    particle = re.compile(r"^(ag|welet|walet|ult|ould|mint|ben|bent|wad|bint) ", re.IGNORECASE)
    assert (
        share(
            lambda a, b: (
                bool(particle.match(a["family_name"])) != bool(particle.match(b["family_name"]))
            )
        )
        > 0.005
    )


def test_phones_are_written_in_many_forms(rows):
    phones = [r["phone"] for r in rows if r["phone"]]
    assert any(p.startswith("+227") for p in phones)
    assert any(p.startswith("00227") for p in phones)
    assert any(" " in p for p in phones)
    assert any(re.fullmatch(r"\d{8}", p) for p in phones)


def test_some_names_are_in_arabic_script_and_some_in_capitals(rows):
    arabic = [r for r in rows if re.search("[\u0600-\u06ff]", r["given_name"])]
    assert 0.01 * N < len(arabic) < 0.06 * N
    assert any(r["family_name"].isupper() for r in rows)


def test_households_are_hard_negatives(rows):
    # different people sharing a phone and a family or father's name
    by_phone = collections.defaultdict(set)
    for row in rows:
        if row["phone"] and row["family_name"]:
            key = (re.sub(r"\D", "", row["phone"])[-8:], _fold(row["family_name"]))
            by_phone[key].add(row["cluster"])
    assert sum(1 for clusters in by_phone.values() if len(clusters) > 1) > 50


def test_write_csv_plain_and_gzip_round_trip(tmp_path):
    records = list(synthetic.generate_people(50, seed=3))
    for name in ("people.csv", "people.csv.gz"):
        path = tmp_path / name
        assert synthetic.write_csv(iter(records), path) == 50
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8", newline="") as handle:
            assert list(csv.DictReader(handle)) == records
    # byte for byte reproducible, compressed too
    first = (tmp_path / "people.csv.gz").read_bytes()
    synthetic.generate_csv(tmp_path / "again.csv.gz", 50, seed=3)
    assert (tmp_path / "again.csv.gz").read_bytes() == first
