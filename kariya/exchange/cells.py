"""Turning one raw cell (XLSX value or CSV text) into the value a service takes.

A converter raises :class:`CellError` with a message that never repeats the cell's content
(it may be a name or a phone number, and the report is kept).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kariya.accounts.models import User
from kariya.codelists.models import Code
from kariya.exchange.choices import CHOICE_SETS, SYNONYMS
from kariya.exchange.columns import Column, Kind, fold, label_in
from kariya.geo.models import AdminUnit, Country
from kariya.people import phones

MAX_TEXT = 500
LIST_SEPARATORS = re.compile(r"[|;]")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
YES = {"yes", "y", "oui", "o", "1", "true", "vrai", "x"}
NO = {"no", "n", "non", "0", "false", "faux"}


class CellError(Exception):
    pass


@dataclass
class Lookups:
    """Everything a row may point at, loaded once per import (a few queries in all)."""

    codes: dict[str, dict[str, Code]] = field(default_factory=dict)
    choices: dict[str, dict[str, str]] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    communes: dict[str, AdminUnit] = field(default_factory=dict)
    caseworkers: dict[str, User] = field(default_factory=dict)
    # Cells of the coded kinds already read in this import: a sheet repeats the same few
    # codes thousands of times. Never names, phones or other free text.
    seen: dict[tuple[str, Any], Any] = field(default_factory=dict)


def choice_index(name: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for value, label in CHOICE_SETS[name].choices:
        if not value:
            continue
        index[fold(value)] = value
        for language in ("fr", "en"):
            index.setdefault(fold(label_in(label, language)), value)
    for word, value in SYNONYMS.get(name, {}).items():
        index.setdefault(word, value)
    return index


def code_index(codes: list[Code]) -> dict[str, Code]:
    index: dict[str, Code] = {}
    for code in codes:
        index[fold(code.code)] = code
    for code in codes:
        index.setdefault(fold(code.label_fr), code)
        index.setdefault(fold(code.label_en), code)
    return index


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # a number typed in a spreadsheet cell: 90123456.0 → "90123456"
    if isinstance(raw, datetime.datetime | datetime.date):
        return raw.isoformat()
    text = " ".join(str(raw).split())
    if len(text) > MAX_TEXT:
        raise CellError(
            _("This text is too long (%(max)s characters at most).") % {"max": MAX_TEXT}
        )
    return text


def _items(raw: Any) -> list[str]:
    return [item.strip() for item in LIST_SEPARATORS.split(_text(raw)) if item.strip()]


def _date(raw: Any) -> datetime.date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = _text(raw)
    if not text:
        return None
    text = text.split("T")[0].split(" ")[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    raise CellError(_("Not a date: write it YYYY-MM-DD or DD/MM/YYYY."))


def _year(raw: Any) -> int | None:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if float(raw).is_integer():
            return int(raw)
        raise CellError(_("Not a year: write it with four digits, e.g. 1994."))
    text = _text(raw)
    if not text:
        return None
    if not (text.isdigit() and len(text) == 4):
        raise CellError(_("Not a year: write it with four digits, e.g. 1994."))
    return int(text)


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = fold(_text(raw))
    if text == "" or text in NO:
        return False
    if text in YES:
        return True
    raise CellError(_("Write yes or no (oui or non)."))


def _phone(item: str) -> str:
    try:
        return phones.to_e164(item)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc


def _unknown(column: Column) -> CellError:
    return CellError(_("Unknown value: use one of the codes the template lists for this column."))


def _code(column: Column, item: str, lookups: Lookups) -> Code:
    code = lookups.codes[column.source].get(fold(item))
    if code is None:
        raise _unknown(column)
    return code


def _country(item: str, lookups: Lookups) -> Country:
    country = lookups.countries.get(item.strip().upper())
    if country is None:
        raise CellError(_("Unknown country: use an ISO code of the sheet of countries."))
    return country


_EMPTY: dict[str, Any] = {
    Kind.TEXT: "",
    Kind.CHOICE: "",
    Kind.BOOL: False,
    Kind.DATE: None,
    Kind.YEAR: None,
    Kind.CODE: None,
    Kind.COUNTRY: None,
    Kind.COMMUNE: None,
    Kind.USER: None,
}
_EMPTY_LISTS = {Kind.LIST, Kind.PHONES, Kind.CODES, Kind.COUNTRIES}


_CODED = {Kind.CHOICE, Kind.CODE, Kind.CODES, Kind.BOOL, Kind.COUNTRY, Kind.COUNTRIES}


def convert(column: Column, raw: Any, lookups: Lookups) -> Any:
    """The typed value of a cell: "", None, [] or False when it is empty."""
    kind = column.kind
    if raw is None or raw == "":
        # Most cells of a sheet are empty: answer them without parsing.
        return [] if kind in _EMPTY_LISTS else _EMPTY[kind]
    if kind in _CODED and isinstance(raw, str | int | float | bool):
        key = (column.key, raw)
        if key not in lookups.seen:
            lookups.seen[key] = _convert(column, raw, lookups)
        value = lookups.seen[key]
        return list(value) if isinstance(value, list) else value
    return _convert(column, raw, lookups)


def _convert(column: Column, raw: Any, lookups: Lookups) -> Any:
    kind = column.kind
    if kind == Kind.TEXT:
        return _text(raw)
    if kind == Kind.LIST:
        return _items(raw)
    if kind == Kind.PHONES:
        return [_phone(item) for item in _items(raw)]
    if kind == Kind.DATE:
        return _date(raw)
    if kind == Kind.YEAR:
        return _year(raw)
    if kind == Kind.BOOL:
        return _bool(raw)
    if kind == Kind.CHOICE:
        text = _text(raw)
        if not text:
            return ""
        value = lookups.choices[column.source].get(fold(text))
        if value is None:
            raise _unknown(column)
        return value
    if kind == Kind.CODE:
        text = _text(raw)
        return _code(column, text, lookups) if text else None
    if kind == Kind.CODES:
        return list(dict.fromkeys(_code(column, item, lookups) for item in _items(raw)))
    if kind == Kind.COUNTRY:
        text = _text(raw)
        return _country(text, lookups) if text else None
    if kind == Kind.COUNTRIES:
        return list(dict.fromkeys(_country(item, lookups) for item in _items(raw)))
    if kind == Kind.COMMUNE:
        text = _text(raw).upper()
        if not text:
            return None
        commune = lookups.communes.get(text)
        if commune is None:
            raise CellError(_("Unknown commune: use a P-code of the sheet of communes."))
        return commune
    if kind == Kind.USER:
        text = _text(raw)
        if not text:
            return None
        user = lookups.caseworkers.get(text.lower())
        if user is None:
            raise CellError(_("No active caseworker of your organisation has this username."))
        return user
    raise AssertionError(kind)  # pragma: no cover - every kind is handled above
