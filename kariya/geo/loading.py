"""Loading reference geography: Niger's admin units, countries, the site gazetteer.

The functions take the model classes as arguments so that data migrations (which must use
historical models from ``apps.get_model``) and the ``import-admin-units`` command share them.
Nothing here writes an audit event: the command goes through ``services.admin_units_import``,
which does; migrations load the shipped reference data as part of installing Kariya.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
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
LEVEL_NAMES = {1: "region", 2: "department", 3: "commune"}
NAME_MAX_LENGTH = 100
COD_AB_COLUMNS = ("ADM1_PCODE", "ADM1_FR", "ADM2_PCODE", "ADM2_FR", "ADM3_PCODE", "ADM3_FR")
KARIYA_COLUMNS = ("level", "pcode", "name_fr")

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


def fold(text: str) -> str:
    """Accents and apostrophes removed: COD-AB's ``ADMx_REF`` spelling ("N'Guigmi" → "NGuigmi").

    Checked against the shipped table: it gives the published reference name for all 341 units.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("'", "").replace("\u2019", "")


def reference_name(name: str) -> str:
    """The accent-free name as COD-AB stores it: empty when it would equal the name."""
    folded = fold(name)
    return "" if folded == name else folded


@dataclass(frozen=True)
class UnitRow:
    line: int
    level: int
    pcode: str
    name_fr: str
    name_ref: str
    parent_pcode: str | None


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class LoadReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    # P-code → [(field, value before, value after)] for every changed unit.
    changes: dict[str, list[tuple[str, Any, Any]]] = field(default_factory=dict)
    # Units in the database that the file does not mention; they are left as they are.
    missing: list[str] = field(default_factory=list)
    # The name of every unit in the file, to print next to P-codes.
    names: dict[str, str] = field(default_factory=dict)


class AdminUnitFileError(ValueError):
    """Every problem found in a file; raised before anything is written."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = sorted(errors, key=lambda e: e.line)


def decode_table(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is allowed), or an error naming the first bad line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise AdminUnitFileError(
            [
                RowError(
                    line,
                    "",
                    "the file is not UTF-8 text; in a spreadsheet, save it as "
                    "'CSV UTF-8 (comma delimited)'",
                )
            ]
        ) from None


def _cell(row: dict[str, str | None], name: str) -> str:
    return " ".join((row.get(name) or "").split())


def _delimiter(text: str) -> str:
    # A spreadsheet set to French saves CSV with semicolons.
    header = text.split("\n", 1)[0]
    return max([",", ";", "\t"], key=header.count)


class _Collector:
    """Checks each unit as it is read and keeps the first occurrence of every P-code."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.units: dict[str, UnitRow] = {}

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append(RowError(line, column, message))

    def add(
        self,
        *,
        line: int,
        level: int,
        pcode: str,
        name: str,
        ref: str,
        parent: str | None,
        pcode_column: str,
        name_column: str,
        parent_column: str,
    ) -> bool:
        """Record one unit; return whether it is valid (its children are checked only then)."""
        ok = True
        kind = LEVEL_NAMES[level]
        if not pcode:
            self.error(line, pcode_column, f"the {kind} P-code is empty")
            ok = False
        elif not PCODE_PATTERN[level].match(pcode):
            self.error(
                line,
                pcode_column,
                f"'{pcode}' is not a {kind} P-code: expected NE followed by "
                f"{3 * level} digits (3 per level)",
            )
            ok = False
        if not name:
            self.error(line, name_column, f"the {kind} {pcode} has no name")
            ok = False
        elif len(name) > NAME_MAX_LENGTH:
            self.error(line, name_column, f"the name is longer than {NAME_MAX_LENGTH} characters")
            ok = False
        if ok and parent is not None and pcode[:-3] != parent:
            self.error(
                line,
                parent_column,
                f"{pcode} cannot belong to {parent}: a P-code starts with its parent's "
                f"({pcode[:-3]})",
            )
            ok = False
        if not ok:
            return False
        unit = UnitRow(line, level, pcode, name, ref or reference_name(name), parent)
        known = self.units.get(pcode)
        if known is None:
            self.units[pcode] = unit
            return True
        if known.name_fr != unit.name_fr:
            self.error(
                line,
                name_column,
                f"{pcode} is named '{unit.name_fr}' here but '{known.name_fr}' on line "
                f"{known.line}",
            )
            return False
        if known.name_ref != unit.name_ref:
            self.error(
                line,
                name_column,
                f"{pcode} has the reference name '{unit.name_ref}' here but "
                f"'{known.name_ref}' on line {known.line}",
            )
            return False
        return True


def _parse_cod_ab(reader: csv.DictReader[str], out: _Collector) -> None:
    for raw in reader:
        line = reader.line_num
        row = {k.strip().upper(): v for k, v in raw.items() if k}
        parent: str | None = None
        for level in (1, 2, 3):
            prefix = f"ADM{level}_"
            pcode = _cell(row, prefix + "PCODE").upper()
            ok = out.add(
                line=line,
                level=level,
                pcode=pcode,
                name=_cell(row, prefix + "FR"),
                ref=_cell(row, prefix + "REF"),
                parent=parent,
                pcode_column=prefix + "PCODE",
                name_column=prefix + "FR",
                parent_column=prefix + "PCODE",
            )
            if not ok:
                break  # the row's lower levels would only repeat the same problem
            parent = pcode


def _parse_kariya(reader: csv.DictReader[str], out: _Collector) -> None:
    for raw in reader:
        line = reader.line_num
        row = {k.strip().lower(): v for k, v in raw.items() if k}
        level_text = _cell(row, "level")
        if level_text not in {"1", "2", "3"}:
            out.error(line, "level", f"the level must be 1, 2 or 3, not '{level_text}'")
            continue
        level = int(level_text)
        pcode = _cell(row, "pcode").upper()
        parent = _cell(row, "parent_pcode").upper()
        if level == 1:
            if parent not in {"", "NE"}:
                out.error(line, "parent_pcode", "a region's parent can only be NE (Niger)")
                continue
            parent_pcode = None
        else:
            # P-codes are hierarchical: the parent column may be left empty.
            parent_pcode = parent or pcode[:-3]
        out.add(
            line=line,
            level=level,
            pcode=pcode,
            name=_cell(row, "name_fr"),
            ref=_cell(row, "name_ref"),
            parent=parent_pcode,
            pcode_column="pcode",
            name_column="name_fr",
            parent_column="parent_pcode",
        )


def parse_admin_units(text: str) -> list[UnitRow]:
    """Parse Kariya's table (level, pcode, name_fr, …) or an OCHA COD-AB admin-3 table.

    In a COD-AB table each row names a commune with its département and région; the units of
    levels 1 and 2 are derived from it. Reference (accent-free) names are taken from the
    ``*_REF`` columns when present, otherwise derived as COD-AB does. Raises
    ``AdminUnitFileError`` listing every problem, with its line and column.
    """
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text), delimiter=_delimiter(text))
    headers = {h.strip() for h in (reader.fieldnames or []) if h}
    upper = {h.upper() for h in headers}
    lower = {h.lower() for h in headers}
    out = _Collector()
    if {"ADM1_PCODE", "ADM2_PCODE", "ADM3_PCODE"} <= upper:
        missing = [c for c in COD_AB_COLUMNS if c not in upper]
        if missing:
            raise AdminUnitFileError(
                [RowError(1, c, "this COD-AB column is missing from the header") for c in missing]
            )
        _parse_cod_ab(reader, out)
    elif set(KARIYA_COLUMNS) <= lower:
        _parse_kariya(reader, out)
    else:
        raise AdminUnitFileError(
            [
                RowError(
                    1,
                    "",
                    "unrecognised columns: expected an OCHA COD-AB admin-3 table (ADM1_PCODE, "
                    "ADM1_FR, ADM2_PCODE, ADM2_FR, ADM3_PCODE, ADM3_FR) or Kariya's table "
                    "(level, pcode, name_fr, name_ref, parent_pcode)",
                )
            ]
        )
    if not out.units and not out.errors:
        out.error(1, "", "the file has a header but no rows")
    if out.errors:
        raise AdminUnitFileError(out.errors)
    return sorted(out.units.values(), key=lambda u: (u.level, u.pcode))


def load_admin_units(
    model: Any,
    rows: Iterable[UnitRow],
    points: dict[str, tuple[float, float]] | None = None,
    *,
    dry_run: bool = False,
) -> LoadReport:
    """Insert or update units, parents first, in one transaction. Idempotent.

    A unit's parent must be in ``rows`` or already in the database, otherwise nothing is
    written (``AdminUnitFileError``). Units the rows do not mention are reported, never
    deleted: sites, offices and cases may point at them. With ``dry_run`` the report is the
    same and nothing is written.
    """
    rows = sorted(rows, key=lambda u: (u.level, u.pcode))
    points = points or {}
    report = LoadReport(names={r.pcode: r.name_fr for r in rows})
    with transaction.atomic():
        existing: dict[str, Any] = {u.pcode: u for u in model.objects.all()}
        pcode_of = {u.pk: u.pcode for u in existing.values()}
        in_rows = {r.pcode for r in rows}
        errors = [
            RowError(
                r.line,
                "parent",
                f"the parent {r.parent_pcode} of {r.pcode} is neither in the file nor in Kariya",
            )
            for r in rows
            if r.parent_pcode and r.parent_pcode not in in_rows | existing.keys()
        ]
        if errors:
            raise AdminUnitFileError(errors)
        update_fields: set[str] = set()
        for level in (1, 2, 3):
            to_create, to_update = [], []
            for row in (r for r in rows if r.level == level):
                wanted: dict[str, Any] = {
                    "level": row.level,
                    "name_fr": row.name_fr,
                    "name_ref": row.name_ref,
                }
                if row.pcode in points:
                    wanted["lon"], wanted["lat"] = points[row.pcode]
                unit = existing.get(row.pcode)
                if unit is None:
                    report.added.append(row.pcode)
                    if not dry_run:
                        parent = existing[row.parent_pcode] if row.parent_pcode else None
                        to_create.append(model(pcode=row.pcode, parent=parent, **wanted))
                    continue
                diff = [
                    (k, getattr(unit, k), v) for k, v in wanted.items() if getattr(unit, k) != v
                ]
                current_parent = pcode_of.get(unit.parent_id)
                if current_parent != row.parent_pcode:
                    diff.append(("parent", current_parent, row.parent_pcode))
                if not diff:
                    report.unchanged += 1
                    continue
                report.changed.append(row.pcode)
                report.changes[row.pcode] = diff
                for name, _before, after in diff:
                    if name == "parent":
                        unit.parent = existing[after] if after else None
                    else:
                        setattr(unit, name, after)
                    update_fields.add(name)
                to_update.append(unit)
            if dry_run:
                continue
            if to_create:
                model.objects.bulk_create(to_create, batch_size=500)
                # Re-read rather than trust bulk_create to set primary keys on every backend.
                created = model.objects.filter(pcode__in=[u.pcode for u in to_create])
                existing.update({u.pcode: u for u in created})
            if to_update:
                model.objects.bulk_update(to_update, sorted(update_fields), batch_size=500)
        report.missing = sorted(set(existing) - in_rows)
        report.names.update({p: existing[p].name_fr for p in report.missing})
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


# Sites of migration 0002 that lie in no single commune, and the region each lies in.
SITE_REGIONS = {
    "Assamaka": "NE001",
    "Point Zéro": "NE001",
    "Séguédine": "NE001",
    "Madama": "NE001",
    "Tahoua": "NE005",
}


def assign_site_regions(site_model: Any, unit_model: Any) -> int:
    """Give every site without a region the region of its commune (or of SITE_REGIONS)."""
    regions = {u.pcode: u for u in unit_model.objects.filter(level=1)}
    updated = []
    for site in site_model.objects.filter(region__isnull=True).select_related("commune"):
        pcode = site.commune.pcode[:5] if site.commune_id else SITE_REGIONS.get(site.name)
        if pcode in regions:
            site.region = regions[pcode]
            updated.append(site)
    site_model.objects.bulk_update(updated, ["region"])
    return len(updated)
