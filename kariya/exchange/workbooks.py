"""The import templates: an XLSX workbook (data sheet, instructions, one sheet per code list,
drop-down lists where one value is expected) and a CSV with the header row only."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kariya.exchange import selectors
from kariya.exchange.choices import CHOICE_SETS
from kariya.exchange.columns import COLUMNS, Column, Kind, label_in
from kariya.exchange.reading import MAX_ROWS
from kariya.exchange.writing import csv_lines

DATA_SHEET = _("Data")
INSTRUCTIONS_SHEET = _("Instructions")

# Code sheets: (title, source) where source names a choice set or a code list.
CHOICE_SHEETS: tuple[tuple[Promise, str], ...] = (
    (_("Sexes"), "sex"),
    (_("Document statuses"), "document_status"),
    (_("Migration statuses"), "migration_status"),
    (_("Consent given by"), "consent_given_by"),
    (_("Consent methods"), "consent_method"),
    (_("Legal bases"), "legal_basis"),
    (_("Ratings"), "rating"),
    (_("Screening outcomes"), "screening_outcome"),
)
CODE_SHEETS: tuple[tuple[Promise, str], ...] = (
    (_("Population categories"), "population_category"),
    (_("Document types"), "document_type"),
    (_("Languages"), "language"),
)
COUNTRIES_SHEET = _("Countries")
COMMUNES_SHEET = _("Communes")


def sheet_title(label: Promise) -> str:
    french, english = label_in(label, "fr"), label_in(label, "en")
    title = french if french == english else f"{french} - {english}"
    return title[:31]


def _bold_row(sheet: Any, values: Sequence[Any]) -> None:
    from openpyxl.styles import Font

    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _instructions(sheet: Any) -> None:
    sheet.append([label_in(_("How to fill the data sheet"), "fr")])
    sheet.append([label_in(_("How to fill the data sheet"), "en")])
    sheet.append([])
    for line in (
        _("One row per person. Leave a cell empty when you do not know."),
        _(
            "Each person needs a services consent (given by, method, language) or a legal "
            "basis with its reason."
        ),
        _("Give the exact date of birth or at least the year of birth (and mark it estimated)."),
        _("Codes: use the codes listed in the other sheets (the code, or its label)."),
        _("Several values in one cell: separate them with | or ;."),
        _(
            "A first screening is optional; to open a case, fill the screening and the "
            "caseworker's username."
        ),
        _(
            "The whole file is checked first: if one row has an error, nothing is saved and "
            "every error is listed."
        ),
    ):
        sheet.append([label_in(line, "fr"), label_in(line, "en")])
    sheet.append([])
    _bold_row(
        sheet,
        [
            label_in(_("Column"), "fr") + " / " + label_in(_("Column"), "en"),
            label_in(_("Key"), "fr") + " / " + label_in(_("Key"), "en"),
            "Explication (français)",
            "Explanation (English)",
        ],
    )
    for column in COLUMNS:
        sheet.append(
            [column.header(), column.key, label_in(column.help, "fr"), label_in(column.help, "en")]
        )
    sheet.column_dimensions["A"].width = 45
    sheet.column_dimensions["C"].width = 70
    sheet.column_dimensions["D"].width = 70


def _code_header() -> list[str]:
    return ["code", "libellé (français)", "label (English)"]


def _add_validation(data: Any, column_index: int, title: str, count: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    quoted = title.replace("'", "''")
    validation = DataValidation(
        type="list",
        formula1=f"='{quoted}'!$A$2:$A${count + 1}",
        allow_blank=True,
        showErrorMessage=False,
    )
    letter = get_column_letter(column_index)
    validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    data.add_data_validation(validation)


def people_template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    workbook = Workbook()
    data = workbook.active
    data.title = sheet_title(DATA_SHEET)
    _bold_row(data, [column.header() for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = data.cell(row=1, column=index)
        cell.comment = Comment(
            f"{label_in(column.help, 'fr')}\n\n{label_in(column.help, 'en')}", "Kariya"
        )
        data.column_dimensions[cell.column_letter].width = max(14, min(40, len(column.header())))
    data.freeze_panes = "A2"
    _instructions(workbook.create_sheet(sheet_title(INSTRUCTIONS_SHEET)))

    sheet_of: dict[str, tuple[str, int]] = {}
    for label, source in CHOICE_SHEETS:
        sheet = workbook.create_sheet(sheet_title(label))
        _bold_row(sheet, _code_header())
        pairs = [(v, label) for v, label in CHOICE_SETS[source].choices if v]
        for value, choice_label in pairs:
            sheet.append([value, label_in(choice_label, "fr"), label_in(choice_label, "en")])
        sheet_of[source] = (sheet.title, len(pairs))
    for label, list_name in CODE_SHEETS:
        sheet = workbook.create_sheet(sheet_title(label))
        _bold_row(sheet, _code_header())
        codes = selectors.active_codes(list_name)
        for code in codes:
            sheet.append([code.code, code.label_fr, code.label_en])
        sheet_of[list_name] = (sheet.title, len(codes))
    sheet = workbook.create_sheet(sheet_title(COUNTRIES_SHEET))
    _bold_row(sheet, ["ISO3", "ISO2", "nom (français)", "name (English)"])
    for country in selectors.countries():
        sheet.append([country.iso3, country.iso2, country.name_fr, country.name_en])
    sheet = workbook.create_sheet(sheet_title(COMMUNES_SHEET))
    _bold_row(sheet, ["P-code", "commune", "département", "région"])
    for unit in selectors.communes():
        department = unit.parent
        region = department.parent if department else None
        sheet.append(
            [
                unit.pcode,
                unit.name_fr,
                department.name_fr if department else "",
                region.name_fr if region else "",
            ]
        )

    for index, column in enumerate(COLUMNS, start=1):
        if column.kind in (Kind.CHOICE, Kind.CODE) and column.source in sheet_of:
            title, count = sheet_of[column.source]
            _add_validation(data, index, title, count)
        if column.kind == Kind.BOOL:
            _add_bool_validation(data, index, column)

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _add_bool_validation(data: Any, column_index: int, column: Column) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(
        type="list", formula1='"oui,non,yes,no"', allow_blank=True, showErrorMessage=False
    )
    letter = get_column_letter(column_index)
    validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    data.add_data_validation(validation)


def people_template_csv() -> bytes:
    """The header row only (``;``-separated, UTF-8 with BOM); the README documents it."""
    return "".join(csv_lines([column.header() for column in COLUMNS], [])).encode("utf-8")
