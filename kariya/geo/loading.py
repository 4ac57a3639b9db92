"""Loading reference geography: Niger's admin units, countries, the site gazetteer.

The functions take the model classes as arguments so that data migrations (which must use
historical models from ``apps.get_model``) and the ``import-admin-units`` command share them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
PCODE_PATTERN = {
    1: re.compile(r"^NE\d{3}$"),
    2: re.compile(r"^NE\d{6}$"),
    3: re.compile(r"^NE\d{9}$"),
}

# Nationalities most seen in Niger, in quick-pick order (reference/domain.md).
QUICK_PICK = [
    "NER",
    "NGA",
    "MLI",
    "GIN",
    "BFA",
    "SEN",
    "CIV",
    "CMR",
    "TCD",
    "SDN",
    "BEN",
    "GMB",
    "SLE",
    "GHA",
    "TGO",
    "LBR",
    "GNB",
    "MRT",
]


@dataclass(frozen=True)
class UnitRow:
    line: int
    level: int
    pcode: str
    name_fr: str
    name_ref: str
    parent_pcode: str | None


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class LoadReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0


class AdminUnitFileError(ValueError):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def _cell(row: dict[str, str], name: str) -> str:
    return (row.get(name) or "").strip()


def parse_admin_units(text: str) -> list[UnitRow]:
    """Parse Kariya's table (level, pcode, name_fr, …) or an OCHA COD-AB admin-3 table.

    In a COD-AB table each row names a commune with its département and région; the units of
    levels 1 and 2 are derived from it. Raises ``AdminUnitFileError`` listing every problem.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = {h.strip().upper() for h in (reader.fieldnames or [])}
    errors: list[RowError] = []
    units: dict[str, UnitRow] = {}

    def add(unit: UnitRow, column: str) -> None:
        if not PCODE_PATTERN[unit.level].match(unit.pcode):
            errors.append(
                RowError(
                    unit.line,
                    column,
                    f"'{unit.pcode}' is not a level-"
                    f"{unit.level} Niger P-code (NE + 3 digits per level)",
                )
            )
            return
        if not unit.name_fr:
            errors.append(RowError(unit.line, column, f"{unit.pcode} has no name"))
            return
        if unit.parent_pcode and not unit.pcode.startswith(unit.parent_pcode):
            errors.append(
                RowError(
                    unit.line,
                    column,
                    f"{unit.pcode} does not start with its parent's P-code {unit.parent_pcode}",
                )
            )
            return
        known = units.get(unit.pcode)
        if known and (known.name_fr, known.parent_pcode) != (unit.name_fr, unit.parent_pcode):
            errors.append(
                RowError(
                    unit.line,
                    column,
                    f"{unit.pcode} is given twice with different names or parents",
                )
            )
            return
        units.setdefault(unit.pcode, unit)

    if {"ADM3_PCODE", "ADM2_PCODE", "ADM1_PCODE"} <= headers:
        for line, raw in enumerate(reader, start=2):
            row = {k.strip().upper(): v for k, v in raw.items() if k}
            a1, a2, a3 = (_cell(row, f"ADM{i}_PCODE") for i in (1, 2, 3))
            add(
                UnitRow(line, 1, a1, _cell(row, "ADM1_FR"), _cell(row, "ADM1_REF"), None),
                "ADM1_PCODE",
            )
            add(
                UnitRow(line, 2, a2, _cell(row, "ADM2_FR"), _cell(row, "ADM2_REF"), a1),
                "ADM2_PCODE",
            )
            add(
                UnitRow(line, 3, a3, _cell(row, "ADM3_FR"), _cell(row, "ADM3_REF"), a2),
                "ADM3_PCODE",
            )
    elif {"LEVEL", "PCODE", "NAME_FR", "PARENT_PCODE"} <= headers:
        for line, raw in enumerate(reader, start=2):
            row = {k.strip().lower(): v for k, v in raw.items() if k}
            level_text = _cell(row, "level")
            if level_text not in {"1", "2", "3"}:
                errors.append(
                    RowError(line, "level", f"level must be 1, 2 or 3, not '{level_text}'")
                )
                continue
            level = int(level_text)
            parent = _cell(row, "parent_pcode") or None
            add(
                UnitRow(
                    line,
                    level,
                    _cell(row, "pcode"),
                    _cell(row, "name_fr"),
                    _cell(row, "name_ref"),
                    None if level == 1 else parent,
                ),
                "pcode",
            )
    else:
        raise AdminUnitFileError(
            [
                RowError(
                    1,
                    "",
                    "unrecognised columns: expected an OCHA "
                    "COD-AB table (ADM1_PCODE, ADM2_PCODE, ADM3_PCODE, ADMx_FR) "
                    "or Kariya's (level, pcode, name_fr, parent_pcode)",
                )
            ]
        )
    for unit in units.values():
        if unit.parent_pcode and unit.parent_pcode not in units:
            errors.append(
                RowError(
                    unit.line,
                    "parent_pcode",
                    f"parent {unit.parent_pcode} of {unit.pcode} is not in the file",
                )
            )
    if not units and not errors:
        errors.append(RowError(1, "", "the file has no rows"))
    if errors:
        raise AdminUnitFileError(errors)
    return sorted(units.values(), key=lambda u: (u.level, u.pcode))


def load_admin_units(
    model: Any, rows: Iterable[UnitRow], points: dict[str, tuple[float, float]] | None = None
) -> LoadReport:
    """Insert or update units, parents first, in one transaction. Idempotent."""
    report = LoadReport()
    points = points or {}
    with transaction.atomic():
        existing = {u.pcode: u for u in model.objects.all()}
        for row in rows:
            parent = existing.get(row.parent_pcode) if row.parent_pcode else None
            lon, lat = points.get(row.pcode, (None, None))
            values = {
                "level": row.level,
                "name_fr": row.name_fr,
                "name_ref": row.name_ref,
                "parent": parent,
            }
            if lon is not None:
                values |= {"lon": lon, "lat": lat}
            unit = existing.get(row.pcode)
            if unit is None:
                unit = model.objects.create(pcode=row.pcode, **values)
                existing[row.pcode] = unit
                report.added.append(row.pcode)
                continue
            diff = []
            for key, wanted in values.items():
                current = getattr(unit, key)
                if key == "parent":
                    current, wanted = unit.parent_id, (parent.pk if parent else None)
                if current != wanted:
                    diff.append(key)
            if diff:
                for k, v in values.items():
                    setattr(unit, k, v)
                unit.save()
                report.changed.append(row.pcode)
            else:
                report.unchanged += 1
    return report


def read_points() -> dict[str, tuple[float, float]]:
    with (DATA_DIR / "ner_adm3_points.csv").open(encoding="utf-8") as fh:
        return {r["adm3_pcode"]: (float(r["lon"]), float(r["lat"])) for r in csv.DictReader(fh)}


def load_shipped_admin_units(model: Any) -> LoadReport:
    text = (DATA_DIR / "ner_admin_units.csv").read_text(encoding="utf-8")
    return load_admin_units(model, parse_admin_units(text), read_points())


def load_countries(model: Any) -> int:
    with (DATA_DIR / "countries.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    existing = set(model.objects.values_list("iso3", flat=True))
    new = [
        model(
            iso3=r["iso3"],
            iso2=r["iso2"],
            name_en=r["name_en"],
            name_fr=r["name_fr"],
            quick_pick=(QUICK_PICK.index(r["iso3"]) + 1) if r["iso3"] in QUICK_PICK else None,
        )
        for r in rows
        if r["iso3"] not in existing
    ]
    model.objects.bulk_create(new)
    return len(new)
