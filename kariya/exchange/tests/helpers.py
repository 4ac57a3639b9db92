"""Building import files for the tests (synthetic people only)."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kariya.exchange.columns import BY_KEY, COLUMNS


def good_row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "given_names": "Aïcha",
        "family_names": "Maïga",
        "aliases": "Aïssa | Tata",
        "sex": "female",
        "birth_year": "1995",
        "birth_estimated": "oui",
        "nationalities": "MLI",
        "languages": "fra; hau",
        "population_category": "transit",
        "phones": "90 12 34 56",
        "document_type": "passport",
        "document_number": "AB 123456",
        "document_country": "MLI",
        "document_status": "held",
        "origin_country": "MLI",
        "arrival_date": "2026-01-15",
        "current_commune": "NE001003001",
        "migration_status": "in_transit",
        "consent_given_by": "self",
        "consent_method": "oral_witnessed",
        "consent_language": "hau",
        "consent_date": "2026-01-16",
    }
    row.update(overrides)
    return row


def with_case(caseworker: str, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "screening_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "screening_rating": "high",
        "screening_danger": "non",
        "caseworker": caseworker,
    }
    values.update(overrides)
    return good_row(**values)


def csv_bytes(
    rows: list[dict[str, Any]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> bytes:
    keys = [c.key for c in COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow([BY_KEY[k].header() for k in keys])
    for row in rows:
        writer.writerow([row.get(k, "") for k in keys])
    return out.getvalue().encode(encoding)


def upload(data: bytes, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
