"""Reading an uploaded XLSX or CSV into a header and rows of raw cell values.

Limits protect the server: the file size (checked by the form), the number of rows, and for
XLSX the uncompressed size of the archive (a small zip can expand to gigabytes).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_XLSX_UNCOMPRESSED = 60 * 1024 * 1024
MAX_COLUMNS = 80


class FileProblemError(Exception):
    """The file as a whole cannot be read; the message is shown to the user."""


@dataclass
class Table:
    file_format: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number in the file, cells)


def _blank(cells: list[Any]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


def _too_many_rows() -> FileProblemError:
    return FileProblemError(
        _("The file has more than %(max)s rows: split it into several files.") % {"max": MAX_ROWS}
    )


def _collect(lines: Iterator[list[Any]], file_format: str) -> Table:
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for number, cells in enumerate(lines, start=1):
        cells = list(cells)[:MAX_COLUMNS]
        if header is None:
            if _blank(cells):
                raise FileProblemError(_("The first row must hold the column headers."))
            header = ["" if c is None else str(c).strip() for c in cells]
            while header and header[-1] == "":
                header.pop()
            continue
        if _blank(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise _too_many_rows()
        rows.append((number, cells))
    if header is None:
        raise FileProblemError(_("The file is empty."))
    if not rows:
        raise FileProblemError(_("The file has headers but no data rows."))
    return Table(file_format=file_format, header=header, rows=rows)


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, else Latin-1 (which never fails)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_csv(data: bytes) -> Table:
    text = decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return _collect(iter(reader), "csv")
    except csv.Error as exc:
        raise FileProblemError(
            _("This CSV file cannot be read: check that it is a CSV file.")
        ) from exc


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    stream = io.BytesIO(data)
    try:
        with zipfile.ZipFile(stream) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNCOMPRESSED:
                raise FileProblemError(_("This XLSX file is too large once uncompressed."))
        stream.seek(0)
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except FileProblemError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise FileProblemError(
            _("This XLSX file cannot be read: save it again as an Excel workbook (.xlsx).")
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        return _collect(
            (list(row) for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)), "xlsx"
        )
    finally:
        workbook.close()


def read_upload(upload: IO[bytes], name: str) -> Table:
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise FileProblemError(
            _("The file is larger than %(max)s MB: split it into several files.")
            % {"max": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    lowered = name.lower()
    if lowered.endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        return read_xlsx(data)
    if lowered.endswith((".csv", ".txt")):
        return read_csv(data)
    raise FileProblemError(_("Upload an XLSX or CSV file."))
