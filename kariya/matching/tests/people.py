"""A small deterministic generator of Niger-style people with known duplicates, for tests.

Not the benchmark's generator (benchmarks/matching): a quick stand-in with the same kinds of
noise — spelling variants, typos, swapped names, particles, Arabic script, year-only and
1 January birth dates, ages off by one or two, phone formats, households sharing a family
name, a father's name, an origin and a phone.
"""

from __future__ import annotations

import csv
import gzip
import random
from pathlib import Path

MALE = [
    ["Mahamadou", "Mohamed", "Muhammad", "Mamadou", "Mohammed", "Mamane", "محمد"],
    ["Abdoulaye", "Abdullahi", "Abdallah"],
    ["Boubacar", "Aboubacar", "Abubakar"],
    ["Moussa", "Musa", "Mousa"],
    ["Ibrahim", "Ibrahima", "Brahim"],
    ["Issa", "Isa"],
    ["Oumarou", "Oumar", "Omar", "Umar"],
    ["Ousmane", "Usman", "Osman"],
    ["Ahmed", "Ahmad", "Amadou", "Hamadou"],
    ["Mahmoud", "Mahmud", "Mamoudou"],
    ["Moustapha", "Mustafa"],
    ["Souleymane", "Suleiman", "Souleimane"],
    ["Yacouba", "Yakubu", "Yacoub"],
    ["Youssouf", "Yusuf", "Youssef"],
    ["Rhissa", "Ghissa"],
    ["Idrissa", "Idris"],
    ["Harouna", "Haruna"],
    ["Ali", "Aliou", "Aliyu"],
    ["Alhassane", "Alassane"],
    ["Hassane", "Hassan"],
    ["Seydou", "Seidou"],
    ["Abdourahamane", "Abderrahmane", "Abdulrahman"],
    ["Adamou", "Adam", "Adamu"],
    ["Daouda", "Dauda"],
    ["Garba"],
    ["Sani"],
    ["Issaka", "Isaka"],
    ["Halidou", "Khalid"],
    ["Zakari", "Zakaria"],
    ["Nouhou", "Nuhu"],
]
FEMALE = [
    ["Aïssa", "Aisha", "Aïchatou", "Aissatou"],
    ["Hadiza", "Khadija", "Hadijatou"],
    ["Fatouma", "Fatima", "Fatoumata"],
    ["Mariama", "Mariam", "Maryam"],
    ["Zeinabou", "Zeinab", "Zainab"],
    ["Hawa", "Haoua", "Awa"],
    ["Halima", "Halimatou"],
    ["Rakia", "Rakiatou", "Roukaya"],
    ["Ramatou", "Rahmatou"],
    ["Habsatou", "Hafsa"],
    ["Balkissa", "Bilkisu"],
    ["Amina", "Aminatou"],
    ["Safiya", "Safia"],
    ["Nafissa", "Nafisa"],
    ["Salamatou", "Salamata"],
]
FAMILY_EXTRA = [
    ["Maïga", "Maiga"],
    ["Touré", "Toure"],
    ["Diallo", "Djallo"],
    ["Cissé", "Cisse"],
    ["Abdou", "Abdu"],
    ["Bello"],
    ["Djibo", "Jibo"],
    ["Dicko", "Diko"],
]
TOWNS = [
    "Agadez",
    "Arlit",
    "Assamaka",
    "Niamey",
    "Zinder",
    "Maradi",
    "Tahoua",
    "Dosso",
    "Kano",
    "Gao",
    "Bamako",
    "Ouagadougou",
    "Tillabéri",
    "Diffa",
    "Ingall",
    "Dirkou",
    "Bilma",
]
NATIONS = ["NER"] * 6 + ["NGA", "MLI", "BFA", "TCD", "SEN", "GIN", "CMR", "CIV", "SDN"]
SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "ta",
    "ni",
    "sa",
    "la",
    "ba",
    "di",
    "ko",
    "ma",
    "ha",
    "zou",
    "ya",
    "gou",
    "tin",
    "ra",
    "wa",
    "fa",
    "na",
    "ti",
    "dja",
    "kou",
    "ne",
    "bi",
]
QUARTERS = [
    "Dagmanet",
    "Sabon Gari",
    "Obitara",
    "Katanga",
    "Nasarawa",
    "Gadafawa",
    "Pays Bas",
    "Bobiel",
    "Lazaret",
    "Yantala",
    "Koira Tegui",
    "Talladjé",
]
FIELDNAMES = [
    "id",
    "given_name",
    "family_name",
    "father_name",
    "sex",
    "birth_date",
    "birth_year",
    "nationality",
    "origin",
    "address",
    "phone",
    "document_number",
    "cluster",
]


def _zipf(rng: random.Random, pool: list, s: float = 1.1) -> object:
    weights = [1 / (k + 1) ** s for k in range(len(pool))]
    return rng.choices(pool, weights)[0]


def _rare(rng: random.Random) -> list[str]:
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return [name]


def _typo(rng: random.Random, name: str) -> str:
    if len(name) < 4 or not name.isascii():
        return name
    k = rng.randrange(1, len(name) - 1)
    op = rng.random()
    if op < 0.4:
        return name[:k] + name[k + 1 :]
    if op < 0.7:
        return name[:k] + name[k] + name[k:]
    return name[:k] + name[k + 1] + name[k] + name[k + 2 :]


def _spell(rng: random.Random, group: list[str], noisy: bool) -> str:
    name = rng.choice(group) if noisy and len(group) > 1 and rng.random() < 0.5 else group[0]
    if noisy and rng.random() < 0.08:
        name = _typo(rng, name)
    return name


def _phone(rng: random.Random, digits: str, noisy: bool) -> str:
    if not noisy:
        return "+227" + digits
    form = rng.random()
    if form < 0.3:
        return digits
    if form < 0.5:
        return "00227" + digits
    if form < 0.7:
        return "+227 " + " ".join(digits[i : i + 2] for i in range(0, 8, 2))
    return "+227" + digits


def people(n_records: int, seed: int = 1) -> list[dict[str, str]]:
    """About ``n_records`` records; a third of the people have 2–4 records; households."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    person = 0
    while len(rows) < n_records:
        household = {
            "family": _zipf(rng, MALE + FAMILY_EXTRA) if rng.random() < 0.8 else _rare(rng),
            "father": _zipf(rng, MALE) if rng.random() < 0.85 else _rare(rng),
            "origin": _zipf(rng, TOWNS),
            "nationality": _zipf(rng, NATIONS, 0.6),
            "phone": f"9{rng.randrange(10_000_000):07d}" if rng.random() < 0.7 else "",
            "address": f"{rng.choice(QUARTERS)} {rng.randint(1, 40)}",
            "tamasheq": rng.random() < 0.15,
        }
        for _member in range(rng.choice([1, 1, 2, 3, 4])):
            person += 1
            sex = rng.choice("MF")
            if rng.random() < 0.75:
                given = _zipf(rng, MALE if sex == "M" else FEMALE)
            else:
                given = _rare(rng)
            year = rng.randint(1965, 2012)
            truth = {
                "given": given,
                "sex": sex,
                "year": year,
                "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "doc": f"{rng.choice('ABCN')}{rng.randrange(10**7):07d}"
                if rng.random() < 0.3
                else "",
                "phone": household["phone"]
                if rng.random() < 0.8
                else (f"9{rng.randrange(10_000_000):07d}" if rng.random() < 0.4 else ""),
            }
            copies = rng.choice([1, 1, 1, 1, 1, 1, 2, 2, 3, 4])
            for copy in range(copies):
                rows.append(_record(rng, f"r{len(rows)}", person, truth, household, copy > 0))
    return rows[:n_records]


def _record(
    rng: random.Random, rid: str, person: int, truth: dict, household: dict, noisy: bool
) -> dict[str, str]:
    given = _spell(rng, truth["given"], noisy)
    family = _spell(rng, household["family"], noisy)
    father = _spell(rng, household["father"], noisy)
    if household["tamasheq"] and rng.random() < 0.5:
        family = ("Ag " if truth["sex"] == "M" else "Welet ") + family
    if noisy and rng.random() < 0.1:
        given, family = family, given
    birth_date, birth_year = truth["date"], ""
    if noisy:
        r = rng.random()
        if r < 0.2:
            birth_date, birth_year = "", str(truth["year"])
        elif r < 0.3:
            birth_date = f"{truth['year']}-01-01"
        elif r < 0.45:
            birth_date, birth_year = "", str(truth["year"] + rng.choice([-2, -1, 1, 2]))
    return {
        "id": rid,
        "given_name": given,
        "family_name": family,
        "father_name": "" if noisy and rng.random() < 0.3 else father,
        "sex": truth["sex"],
        "birth_date": birth_date,
        "birth_year": birth_year,
        "nationality": "" if noisy and rng.random() < 0.2 else household["nationality"],
        "origin": household["origin"] if rng.random() < 0.8 else "",
        "address": household["address"] if rng.random() < 0.3 else "",
        "phone": ""
        if not truth["phone"] or (noisy and rng.random() < 0.3)
        else _phone(rng, truth["phone"], noisy),
        "document_number": truth["doc"] if rng.random() < 0.7 else "",
        "cluster": str(person),
    }


def write_csv(path: Path, rows: list[dict[str, str]], truth: bool = True) -> None:
    names = FIELDNAMES if truth else FIELDNAMES[:-1]
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8", newline="") as handle:  # type: ignore[operator]
        writer = csv.DictWriter(handle, names, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def true_pairs(rows: list[dict[str, str]]) -> set[tuple[str, str]]:
    clusters: dict[str, list[str]] = {}
    for row in rows:
        clusters.setdefault(row["cluster"], []).append(row["id"])
    pairs = set()
    for members in clusters.values():
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                pairs.add(tuple(sorted((members[a], members[b]))))
    return pairs  # type: ignore[return-value]


def f1(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float, float]:
    found = {tuple(sorted(p)) for p in found}  # type: ignore[misc]
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    score = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, score


if __name__ == "__main__":  # python -m kariya.matching.tests.people N OUT.csv[.gz]
    import sys

    write_csv(
        Path(sys.argv[2]),
        people(int(sys.argv[1]), seed=int(sys.argv[3]) if len(sys.argv) > 3 else 1),
    )
