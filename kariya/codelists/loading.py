"""Load the shipped code lists (``data/<list>.csv``) idempotently; used by data migrations."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
COLUMNS = ["code", "parent", "label_fr", "label_en", "label_ha", "label_ar"]


def load_list(model: Any, list_name: str) -> tuple[int, int]:
    """Insert new codes and update changed labels of ``list_name``. Returns (added, changed).

    Parents must come before their children in the file. Codes absent from the file are left
    alone (an admin may have added them).
    """
    path = DATA_DIR / f"{list_name}.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    existing = {c.code: c for c in model.objects.filter(list=list_name)}
    added = changed = 0
    for order, row in enumerate(rows, start=1):
        values = {k: (row.get(k) or "").strip() for k in COLUMNS if k != "parent"}
        parent_code = (row.get("parent") or "").strip()
        parent = existing[parent_code] if parent_code else None
        code = existing.get(values["code"])
        if code is None:
            code = model.objects.create(list=list_name, parent=parent, order=order, **values)
            existing[code.code] = code
            added += 1
            continue
        labels = {k: v for k, v in values.items() if k != "code"}
        if any(getattr(code, k) != v for k, v in labels.items()) or code.parent_id != (
            parent.pk if parent else None
        ):
            for k, v in labels.items():
                setattr(code, k, v)
            code.parent = parent
            code.version += 1
            code.save()
            changed += 1
    return added, changed


def shipped_lists() -> list[str]:
    return sorted(p.stem for p in DATA_DIR.glob("*.csv"))
