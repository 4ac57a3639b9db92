"""Reading a CSV of people for ``kariya match``: compression, encoding, column mapping.

Encoding rule: the bytes are decoded as UTF-8 (a BOM is dropped); if that fails they are read as
Latin-1 only when plausible — no NUL byte and no byte in 0x80–0x9F (C1 controls, which real
Latin-1 text does not use but UTF-16, Windows-1252 quotes and binary files do). Anything else is
refused, naming the line of the first byte that is not UTF-8.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from kariya.matching.records import FIELDS

_C1_OR_NUL = re.compile(rb"[\x00\x80-\x9f]")
MAX_VARIANT_ROWS = 10_000
MAX_VARIANT_BYTES = 1_000_000


class InputError(Exception):
    """A problem with the input file, explained for the user (translated)."""


@dataclass
class Table:
    ids: list[str]
    columns: dict[str, list[str]]
    rows: list[int]  # line number of each record in the file
    encoding: str
    absent: list[str]  # default columns the file does not have


def read_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            head = handle.read(2)
        if head == b"\x1f\x8b":
            with gzip.open(path, "rb") as handle:
                return handle.read()
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(_("Input file not found: %(path)s") % {"path": path}) from exc
    except (OSError, EOFError) as exc:
        raise InputError(_("Cannot read the input file (damaged gzip file?).")) from exc


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) by the rule in the module docstring, or InputError."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        if not _C1_OR_NUL.search(data):
            return data.decode("latin-1"), "latin-1"
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            _(
                "Line %(line)d: the file is neither UTF-8 nor Latin-1. Save it as UTF-8 and "
                "try again."
            )
            % {"line": line}
        ) from exc


def parse_mapping(spec: str | None) -> dict[str, list[str]]:
    """``given_name=prenom,address=rue+ville`` → {field: [source columns]}."""
    mapping: dict[str, list[str]] = {}
    if not spec:
        return mapping
    for item in spec.split(","):
        if not item.strip():
            continue
        if "=" not in item:
            raise InputError(
                _("--columns: %(item)s is not of the form field=column.") % {"item": item.strip()}
            )
        target, source = (part.strip() for part in item.split("=", 1))
        if target != "id" and target not in FIELDS:
            raise InputError(
                _("--columns: unknown field %(field)s (known: %(known)s).")
                % {"field": target, "known": ", ".join(("id", *FIELDS))}
            )
        mapping[target] = [s.strip() for s in source.split("+") if s.strip()]
    return mapping


def _column(records: list[list[str]], k: int, narrowest: int) -> list[str]:
    """The stripped values of column ``k`` ("" where a row is too short); ``narrowest`` is the
    length of the shortest row."""
    if k < narrowest:
        return list(map(str.strip, map(itemgetter(k), records)))
    return [record[k].strip() if k < len(record) else "" for record in records]


def _records(text: str, reader: Any) -> tuple[list[list[str]], list[int], csv.Error | None, int]:
    """The non-blank records after the header, the line of each, the CSV error that stopped
    the reading if any, and the line it stopped on.

    When the file has as many lines as records (no quoted line break, no lone carriage return),
    record k is on line k + 2: the records are read in one call. Otherwise, or on an error,
    the file is read again record by record, counting lines."""
    lines = text.count("\n") + (not text.endswith("\n"))
    if text.count("\r") == text.count("\r\n"):
        try:
            body = list(reader)
        except csv.Error:
            body = None
        if body is not None and len(body) + 1 == lines:
            keep = list(map(any, body))
            if all(keep):
                return body, list(range(2, len(body) + 2)), None, lines
            lines_kept = [k + 2 for k, ok in enumerate(keep) if ok]
            return list(compress(body, keep)), lines_kept, None, lines
        reader = csv.reader(io.StringIO(text, newline=""))
        next(reader)  # the header, read before
    records: list[list[str]] = []
    rows: list[int] = []
    try:
        for record in reader:
            if any(record):
                records.append(record)
                rows.append(reader.line_num)
    except csv.Error as exc:
        return records, rows, exc, reader.line_num
    return records, rows, None, reader.line_num


def read_table(path: Path, columns: str | None = None) -> Table:
    text, encoding = decode(read_bytes(path))
    mapping = parse_mapping(columns)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration as exc:
        raise InputError(_("The input file is empty.")) from exc
    except csv.Error as exc:
        raise InputError(_("Line 1: unreadable CSV header.")) from exc
    position = {name: k for k, name in enumerate(header)}
    sources: dict[str, list[int]] = {}
    for target in ("id", *FIELDS):
        names = mapping.get(target, [target])
        missing = [name for name in names if name not in position]
        if target in mapping and missing:
            raise InputError(
                _("--columns: the file has no column %(column)s.") % {"column": missing[0]}
            )
        if not missing:
            sources[target] = [position[name] for name in names]
    if "id" not in sources:
        raise InputError(
            _("The file has no %(column)s column (use --columns id=…).")
            % {"column": mapping.get("id", ["id"])[0]}
        )
    records, rows, unreadable, line_num = _records(text, reader)
    # Whole columns at once (C loops), not row by row: the per-row loop was most of the
    # reading time at 100k rows. Errors are still reported for the first bad line in file order.
    narrowest = min(map(len, records), default=0)
    ids = _column(records, sources["id"][0], narrowest)
    if "" in ids or len(set(ids)) != len(ids):
        seen: dict[str, int] = {}
        for rid, line in zip(ids, rows, strict=True):
            if not rid:
                raise InputError(_("Line %(line)d: the id is empty.") % {"line": line})
            if rid in seen:
                raise InputError(
                    _("Line %(line)d: the id is already used on line %(first)d.")
                    % {"line": line, "first": seen[rid]}
                )
            seen[rid] = line
    if unreadable is not None:
        raise InputError(
            _("Line %(line)d: unreadable CSV (%(error)s).")
            % {"line": line_num, "error": unreadable}
        ) from unreadable
    values: dict[str, list[str]] = {}
    for name in FIELDS:
        if name not in sources:
            continue
        idx = sources[name]
        if len(idx) == 1:
            values[name] = _column(records, idx[0], narrowest)
        else:
            values[name] = [
                " ".join(record[k].strip() for k in idx if k < len(record)).strip()
                for record in records
            ]
    absent = [name for name in FIELDS if name not in sources]
    return Table(ids=ids, columns=values, rows=rows, encoding=encoding, absent=absent)


def read_variant_rows(data: bytes) -> list[tuple[int, str, str]]:
    """(line, canonical, variant) of a variant dictionary CSV (``canonical,variant`` named on the
    first line, other columns ignored; encoding as in the module docstring), or InputError."""
    if len(data) > MAX_VARIANT_BYTES:
        raise InputError(_("The file is larger than %(size)s; split it.") % {"size": "1 MB"})
    text, _encoding = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [column.strip().lower() for column in next(reader, [])]
    if "canonical" not in header or "variant" not in header:
        raise InputError(
            _("The first line must name the columns canonical and variant (CSV, comma-separated).")
        )
    c, v = header.index("canonical"), header.index("variant")
    rows: list[tuple[int, str, str]] = []
    try:
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            line = reader.line_num
            if len(rows) >= MAX_VARIANT_ROWS:
                raise InputError(
                    _("Line %(line)d: a file may hold at most %(n)d rows; split it.")
                    % {"line": line, "n": MAX_VARIANT_ROWS}
                )
            padded = values + [""] * (max(c, v) + 1 - len(values))
            rows.append((line, padded[c], padded[v]))
    except csv.Error as exc:
        raise InputError(
            _("Line %(line)d: unreadable CSV (%(error)s).")
            % {"line": reader.line_num, "error": exc}
        ) from exc
    if not rows:
        raise InputError(_("The file holds no rows under its header."))
    return rows
