"""Import of people (with consents, a first screening and a case) and audited case exports.

``people_import`` is all or nothing: every row is read and checked for shape, then every row
without a shape error goes through the bulk services (``people.services.person_register_bulk``,
``cases.services.case_bulk_record``, which check the rules of ``person_register``,
``screening_record`` and ``case_open``) in batches of ``BATCH_ROWS``, all inside one
transaction. If any row has an error, the transaction is rolled back and the report lists every
error as (row, column, message); nothing is saved but the report itself. A failure while
writing, in any batch, rolls back everything as well.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from kariya.accounts.models import Office, User
from kariya.cases import services as case_services
from kariya.cases.models import Case, ScreeningOutcome
from kariya.cases.selectors import case_list_for
from kariya.core.audit import audit_record
from kariya.core.models import AuditAction
from kariya.exchange import access, selectors
from kariya.exchange.cells import CellError, Lookups, choice_index, code_index, convert
from kariya.exchange.choices import CHOICE_SETS
from kariya.exchange.columns import BY_KEY, COLUMNS, Column, Kind, resolve_header
from kariya.exchange.models import ImportRun, ImportStatus
from kariya.exchange.reading import Table
from kariya.people import services as people_services
from kariya.people.access import identities_for_list
from kariya.people.models import ConsentScope

logger = logging.getLogger(__name__)

MAX_ERRORS = 10_000
EXPORT_CHUNK = 500

# Field names in the services' ValidationErrors → the import column they come from.
SERVICE_FIELDS = {
    "sex": "sex",
    "birth_date": "birth_date",
    "birth_year": "birth_year",
    "languages": "languages",
    "population_category": "population_category",
    "phones": "phones",
    "legal_basis": "legal_basis",
    "legal_basis_reason": "legal_basis_reason",
    "document_type": "document_type",
    "number": "document_number",
    "origin_country": "origin_country",
    "current_commune": "current_commune",
    "arrival_date": "arrival_date",
    "scope": "consent_given_by",
    "given_by": "consent_given_by",
    "method": "consent_method",
    "language": "consent_language",
    "given_at": "consent_date",
    "screened_on": "screening_date",
    "intervention_rating": "screening_rating",
    "outcome": "screening_outcome",
    "caseworker": "caseworker",
    "opened_at": "caseworker",
}


class _RejectedError(Exception):
    """Raised inside the transaction to roll it back when a row has an error."""


@dataclass
class _Report:
    headers: dict[str, str]  # column key → header as written in the file
    errors: list[list[Any]] = field(default_factory=list)
    truncated: bool = False

    def add(self, row: int, key: str, message: str) -> None:
        header = self.headers.get(key) or (BY_KEY[key].header() if key in BY_KEY else "")
        self.errors.append([row, header, str(message)])

    @property
    def full(self) -> bool:
        """More errors than will be listed: the rows after this one cannot be listed."""
        return len(self.errors) > MAX_ERRORS

    def finish(self) -> None:
        """The first ``MAX_ERRORS`` errors in the order of the file's rows. The services'
        errors are found after every row's shape errors, but a row has one kind or the other;
        the sort is stable, so a row's errors keep their column order."""
        self.errors.sort(key=lambda error: error[0])
        if len(self.errors) > MAX_ERRORS:
            del self.errors[MAX_ERRORS:]
            self.truncated = True


@dataclass
class _Counts:
    people: int = 0
    consents: int = 0
    screenings: int = 0
    cases: int = 0


# --- import -----------------------------------------------------------------------------------


def _lookups(actor: User) -> Lookups:
    lookups = Lookups()
    for name in {c.source for c in COLUMNS if c.kind in (Kind.CODE, Kind.CODES)}:
        lookups.codes[name] = code_index(selectors.active_codes(name))
    for name in CHOICE_SETS:
        lookups.choices[name] = choice_index(name)
    for country in selectors.countries():
        lookups.countries[country.iso3.upper()] = country
        lookups.countries[country.iso2.upper()] = country
    lookups.communes = {unit.pcode.upper(): unit for unit in selectors.communes()}
    lookups.caseworkers = {u.username.lower(): u for u in selectors.caseworkers_for(actor)}
    return lookups


def _map_header(header: Sequence[str], report: _Report) -> dict[int, Column]:
    """Column index → column; unknown and repeated headers are errors of row 1."""
    positions: dict[int, Column] = {}
    seen: set[str] = set()
    for index, text in enumerate(header):
        if not text:
            continue
        column = resolve_header(text)
        if column is None:
            # The text is not kept: a first row of data instead of headers would put names
            # in the report. The column letter locates it.
            report.errors.append(
                [
                    1,
                    get_column_letter(index + 1),
                    _("Unknown column header: use the headers of the template."),
                ]
            )
            continue
        if column.key in seen:
            report.errors.append([1, text, _("This column appears twice.")])
            continue
        seen.add(column.key)
        positions[index] = column
        report.headers[column.key] = text
    return positions


def _row_values(
    number: int,
    cells: Sequence[Any],
    positions: dict[int, Column],
    lookups: Lookups,
    report: _Report,
) -> tuple[dict[str, Any], set[str]]:
    """The row's typed values, and the keys of the cells that could not be read."""
    values: dict[str, Any] = {}
    failed: set[str] = set()
    for index, column in positions.items():
        raw = cells[index] if index < len(cells) else None
        try:
            values[column.key] = convert(column, raw, lookups)
        except CellError as exc:
            report.add(number, column.key, str(exc))
            failed.add(column.key)
    return values, failed


def _filled(values: dict[str, Any], group: str) -> bool:
    return any(values.get(c.key) not in (None, "", [], False) for c in COLUMNS if c.group == group)


def _check_row(number: int, values: dict[str, Any], failed: set[str], report: _Report) -> bool:
    """Shape rules across the columns of a row (the services check the rest). A cell that
    could not be read counts as given here: its error is already reported."""
    before = len(report.errors)
    values = {**values, **dict.fromkeys(failed, True)}
    required = _("This column is required.")
    if not values.get("sex"):
        report.add(number, "sex", required)
    if values.get("birth_date") is None and values.get("birth_year") is None:
        report.add(number, "birth_year", _("Give the date of birth or at least an estimated year."))
    if _filled(values, "document"):
        if values.get("document_type") is None:
            report.add(number, "document_type", _("Give the type of the document."))
        if not values.get("document_status"):
            report.add(number, "document_status", _("Give the status of the document."))
    if _filled(values, "consent"):
        for key in ("consent_given_by", "consent_method", "consent_language"):
            if values.get(key) in (None, ""):
                report.add(number, key, _("Required when a consent is recorded."))
    elif not values.get("legal_basis"):
        report.add(
            number,
            "consent_given_by",
            _(
                "Record the services consent (given by, method, language) or a legal basis "
                "with its reason."
            ),
        )
    caseworker = values.get("caseworker")
    if _filled(values, "screening") or caseworker is not None:
        if values.get("screening_date") is None:
            report.add(number, "screening_date", _("Give the date of the screening."))
        if not values.get("screening_rating"):
            report.add(number, "screening_rating", _("Give the intervention rating."))
        outcome = values.get("screening_outcome") or ""
        if caseworker is not None and outcome not in ("", ScreeningOutcome.CASE_OPENED):
            report.add(
                number,
                "screening_outcome",
                _("A case is opened only from a screening whose outcome is “case opened”."),
            )
        elif caseworker is None and not outcome:
            report.add(number, "screening_outcome", _("Give the outcome of the screening."))
    return len(report.errors) == before


def _consent_moment(day: datetime.date | None) -> datetime.datetime | None:
    """The consent's time: 08:00 on its day, or now for today before 08:00. A day in the
    future stays in the future, for the service to refuse."""
    if day is None:
        return None
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
    if day == timezone.localdate():
        return min(moment, timezone.now())
    return moment


def _report_service_error(
    number: int, error: ValidationError, default: str, report: _Report
) -> None:
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            key = SERVICE_FIELDS.get(name, default)
            for message in messages:
                report.add(number, key, message)
    else:
        for message in error.messages:
            report.add(number, default, message)


# Rows written per call of the bulk services. All batches run inside the import's one
# transaction: a batch refused late rolls back every batch before it.
BATCH_ROWS = 1000


def _person_row(office: Office, values: dict[str, Any]) -> people_services.PersonRow:
    """The row's person, consent, document and migration profile, as ``person_register``
    takes them."""
    consents = []
    if values.get("consent_given_by"):
        consents.append(
            people_services.ConsentInput(
                scope=ConsentScope.SERVICES,
                given_by=values["consent_given_by"],
                method=values["consent_method"],
                language=values["consent_language"],
                child_assent=values.get("consent_child_assent", False),
                child_mature=values.get("consent_child_mature", False),
                interpreter_used=values.get("consent_interpreter", False),
                given_at=_consent_moment(values.get("consent_date")),
            )
        )
    documents = []
    if values.get("document_type") is not None:
        documents.append(
            people_services.DocumentInput(
                document_type=values["document_type"],
                status=values["document_status"],
                number=values.get("document_number", ""),
                issuing_country=values.get("document_country"),
            )
        )
    migration = None
    if _filled(values, "migration"):
        migration = people_services.MigrationInput(
            origin_country=values.get("origin_country"),
            arrival_date=values.get("arrival_date"),
            current_commune=values.get("current_commune"),
            status=values.get("migration_status", ""),
        )
    return people_services.PersonRow(
        office=office,
        sex=values["sex"],
        birth_date=values.get("birth_date"),
        birth_year=values.get("birth_year"),
        birth_estimated=values.get("birth_estimated", False),
        nationalities=values.get("nationalities", []),
        languages=values.get("languages", []),
        population_category=values.get("population_category"),
        given_names=values.get("given_names", ""),
        family_names=values.get("family_names", ""),
        aliases=values.get("aliases", []),
        phone_numbers=values.get("phones", []),
        documents=documents,
        migration=migration,
        consents=consents,
        legal_basis=values.get("legal_basis", ""),
        legal_basis_reason=values.get("legal_basis_reason", ""),
    )


def _screening_row(
    office: Office, person: Any, values: dict[str, Any], opened_at: datetime.datetime
) -> case_services.ScreeningRow:
    """The row's first screening, and the case opened from it for the named caseworker (a
    user of the organisation, found by username when the cell was read)."""
    caseworker = values.get("caseworker")
    return case_services.ScreeningRow(
        person=person,
        office=office,
        screened_on=values["screening_date"],
        intervention_rating=values["screening_rating"],
        outcome=values.get("screening_outcome") or ScreeningOutcome.CASE_OPENED,
        immediate_danger=values.get("screening_danger", False),
        case=(
            case_services.CaseRow(caseworker=caseworker, opened_at=opened_at)
            if caseworker is not None
            else None
        ),
    )


def _bulk_write(
    write: Callable[[list[Any]], list[Any]],
    rows: list[Any],
    numbers: list[int],
    default: Callable[[Any], str],
    report: _Report,
) -> tuple[list[Any], list[int]]:
    """Write ``rows`` with the bulk service ``write``. When it refuses rows, their errors go
    to the report (file row number, column of each field) and the other rows are written, so
    that they are checked by the next steps too (the import is rolled back in the end).
    Returns what was written, with the file row number of each."""
    while rows:
        try:
            return write(rows), numbers
        except people_services.BulkRowsError as exc:
            bad = set()
            for position, error in exc.rows:
                row = rows[position - 1]
                _report_service_error(numbers[position - 1], error, default(row), report)
                bad.add(position - 1)
            rows = [row for i, row in enumerate(rows) if i not in bad]
            numbers = [number for i, number in enumerate(numbers) if i not in bad]
    return [], []


def _write_batch(
    *,
    actor: User,
    office: Office,
    batch: list[tuple[int, dict[str, Any]]],
    report: _Report,
    counts: _Counts,
) -> None:
    """Register a batch of checked rows: the people with ``person_register_bulk``, then their
    screenings and cases with ``case_bulk_record``. Errors go to the report."""
    by_number = dict(batch)
    people, numbers = _bulk_write(
        lambda rows: people_services.person_register_bulk(actor=actor, rows=rows),
        [_person_row(office, values) for _number, values in batch],
        [number for number, _values in batch],
        lambda _row: "consent_given_by",
        report,
    )
    counts.people += len(people)
    counts.consents += sum(1 for number in numbers if by_number[number].get("consent_given_by"))
    # Opened after the people were registered (a case never opens before the registration).
    opened_at = timezone.now()
    screened = [
        (number, _screening_row(office, person, by_number[number], opened_at))
        for number, person in zip(numbers, people, strict=True)
        if by_number[number].get("screening_date") is not None
    ]
    screenings, numbers = _bulk_write(
        lambda rows: case_services.case_bulk_record(actor=actor, rows=rows),
        [row for _number, row in screened],
        [number for number, _row in screened],
        # An error without a field: about the case (outcome, one active case), since the
        # person was just registered with a consent or a legal basis.
        lambda row: "caseworker" if row.case is not None else "screening_date",
        report,
    )
    counts.screenings += len(screenings)
    counts.cases += sum(1 for number in numbers if by_number[number].get("caseworker") is not None)


def _check_rows(
    *, actor: User, table: Table, positions: dict[int, Column], report: _Report
) -> list[tuple[int, dict[str, Any]]]:
    """Read and check the shape of every row (reads only: done before the transaction, so
    that SQLite's write lock is held only while writing). Returns the rows without an
    error, with their file row numbers."""
    lookups = _lookups(actor)
    checked: list[tuple[int, dict[str, Any]]] = []
    for number, cells in table.rows:
        if report.full:
            break
        values, failed = _row_values(number, cells, positions, lookups, report)
        if _check_row(number, values, failed, report) and not failed:
            checked.append((number, values))
    return checked


def _write_rows(
    *, actor: User, office: Office, checked: list[tuple[int, dict[str, Any]]], report: _Report
) -> _Counts:
    """Write the checked rows in batches through the bulk services, so that every rule they
    enforce is checked too (even when other rows already have errors: the report lists every
    error). The caller's transaction holds every batch."""
    total = _Counts()
    for start in range(0, len(checked), BATCH_ROWS):
        _write_batch(
            actor=actor,
            office=office,
            batch=checked[start : start + BATCH_ROWS],
            report=report,
            counts=total,
        )
    return total


def _save_run(
    *,
    actor: User,
    office: Office,
    table: Table,
    status: str,
    counts: _Counts,
    report: _Report,
    started: float,
) -> ImportRun:
    organisation = actor.organisation
    if organisation is None:  # pragma: no cover - can_import() needs an organisation
        raise PermissionDenied(_("You are not allowed to do this."))
    run = ImportRun.objects.create(
        organisation=organisation,
        created_by=actor,
        updated_by=actor,
        status=status,
        file_format=table.file_format,
        office=office,
        rows=len(table.rows),
        people=counts.people,
        consents=counts.consents,
        screenings=counts.screenings,
        cases=counts.cases,
        errors=report.errors,
        errors_truncated=report.truncated,
        seconds=round(time.monotonic() - started, 3),
    )
    # Counts only: the audit log never holds a value of the file.
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=run,
        changed_fields=[
            f"status:{status}",
            f"format:{table.file_format}",
            f"rows:{run.rows}",
            f"people:{run.people}",
            f"consents:{run.consents}",
            f"screenings:{run.screenings}",
            f"cases:{run.cases}",
            f"errors:{len(report.errors)}",
        ],
    )
    return run


def people_import(*, actor: User, office: Office, table: Table) -> ImportRun:
    """Import the rows of ``table`` (people, their consents, first screenings and cases).

    All or nothing: with any error in any row nothing is saved and the returned run (status
    "rejected") lists every error; otherwise everything is created in one transaction through
    ``person_register_bulk`` and ``case_bulk_record``, in batches. The office must be an active
    office of the actor's organisation. One audit event per import, with counts only.
    """
    if not access.can_import(actor):
        raise PermissionDenied(_("You are not allowed to do this."))
    if office.organisation_id != actor.organisation_id or not office.is_active:
        raise ValidationError({"office": _("Choose an active office of your organisation.")})
    started = time.monotonic()
    report = _Report(headers={})
    positions = _map_header(table.header, report)
    if not positions and not report.errors:
        report.errors.append([1, "", _("No column of the template was found in the first row.")])
    counts = _Counts()
    if not report.errors:
        checked = _check_rows(actor=actor, table=table, positions=positions, report=report)
        try:
            with transaction.atomic():
                counts = _write_rows(actor=actor, office=office, checked=checked, report=report)
                report.finish()
                if report.errors:
                    raise _RejectedError
                return _save_run(
                    actor=actor,
                    office=office,
                    table=table,
                    status=ImportStatus.IMPORTED,
                    counts=counts,
                    report=report,
                    started=started,
                )
        except _RejectedError:
            counts = _Counts()
        except DatabaseError as exc:
            # The database refused a write: everything above was rolled back. The exception
            # text may quote values, so only its type is logged.
            logger.error("import failed while writing: %s", type(exc).__name__)
            return _save_run(
                actor=actor,
                office=office,
                table=table,
                status=ImportStatus.FAILED,
                counts=_Counts(),
                report=_Report(
                    headers={},
                    errors=[[0, "", _("The database refused a write: nothing was saved.")]],
                ),
                started=started,
            )
    return _save_run(
        actor=actor,
        office=office,
        table=table,
        status=ImportStatus.REJECTED,
        counts=counts,
        report=report,
        started=started,
    )


# --- export of case lists ---------------------------------------------------------------------


@dataclass
class CaseExport:
    header: list[str]
    count: int
    rows: Iterator[list[Any]]


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _case_row(case: Case, identity: Any, with_identity: bool) -> list[Any]:
    person = case.person
    screening = case.opened_from
    row: list[Any] = [
        person.case_code,
        str(case.public_id),
        case.get_status_display(),
        case.get_priority_display(),
        timezone.localtime(case.opened_at).date(),
        case.caseworker.username,
        person.get_sex_display(),
        person.birth_year,
        _yes_no(person.birth_estimated),
        " | ".join(c.iso3 for c in person.nationalities.all()),
        person.population_category.label if person.population_category else "",
        person.registering_office.name,
        screening.screened_on,
        _yes_no(screening.immediate_danger),
    ]
    if with_identity:
        row += (
            [identity.given_names, identity.family_names, " | ".join(identity.phone_list)]
            if identity is not None
            else ["", "", ""]
        )
    return row


def _export_header(with_identity: bool) -> list[str]:
    header = [
        _("Case code"),
        _("Case reference"),
        _("Status"),
        _("Priority"),
        _("Opened on"),
        _("Caseworker"),
        _("Sex"),
        _("Year of birth"),
        _("Year estimated"),
        _("Nationalities"),
        _("Population category"),
        _("Registering office"),
        _("Screening date"),
        _("Immediate danger"),
    ]
    if with_identity:
        header += [_("Given names"), _("Family names"), _("Phone numbers")]
    return header


def case_list_export(
    *,
    actor: User,
    file_format: str,
    status: str = "",
    priority: str = "",
    caseworker: User | None = None,
    include_identity: bool = False,
) -> CaseExport:
    """The cases the actor sees (``cases.selectors.case_list_for``, same filters), as rows.

    Never the GBV section, notes, plans or any free text. Names and phones only when asked
    for and the actor holds ``people.view_identity``; they are read through
    ``people.access.identities_for_list``, which audits every identity shown. The export
    itself is one audit event (action EXPORT) with the count and the names of the filters used.
    """
    if not access.can_export_cases(actor):
        raise PermissionDenied(_("You are not allowed to do this."))
    with_identity = include_identity and access.can_export_identity(actor)
    cases = case_list_for(actor, status=status, priority=priority, caseworker=caseworker)
    count = cases.count()
    filters = [
        name
        for name, value in (("status", status), ("priority", priority), ("caseworker", caseworker))
        if value
    ]
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="cases.case",
        changed_fields=[
            f"count:{count}",
            f"format:{file_format}",
            *(f"filter:{name}" for name in filters),
            *(["identity"] if with_identity else []),
        ],
    )
    rows_qs = cases.select_related(
        "person__population_category", "person__registering_office"
    ).prefetch_related("person__nationalities")

    def rows() -> Iterator[list[Any]]:
        batch: list[Case] = []
        for case in rows_qs.iterator(chunk_size=EXPORT_CHUNK):
            batch.append(case)
            if len(batch) == EXPORT_CHUNK:
                yield from _batch_rows(batch)
                batch = []
        if batch:
            yield from _batch_rows(batch)

    def _batch_rows(batch: list[Case]) -> Iterator[list[Any]]:
        identities = (
            identities_for_list(actor, [case.person for case in batch]) if with_identity else {}
        )
        for case in batch:
            yield _case_row(case, identities.get(case.person_id), with_identity)

    return CaseExport(header=_export_header(with_identity), count=count, rows=rows())
