from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from kariya.accounts.models import Office
from kariya.cases.models import Case, Screening
from kariya.core.models import AuditEvent
from kariya.exchange import services
from kariya.exchange.columns import BY_KEY, COLUMNS
from kariya.exchange.models import ImportRun, ImportStatus
from kariya.exchange.reading import FileProblemError, read_csv, read_upload
from kariya.exchange.tests.helpers import csv_bytes, good_row, upload, with_case
from kariya.exchange.workbooks import people_template_xlsx
from kariya.people.models import Consent, Identity, IdentityDocument, MigrationProfile, Person

pytestmark = pytest.mark.django_db


def _office(world: Any) -> Office:
    return Office.objects.filter(organisation=world.org).first()


def _post(client: Any, world: Any, data: bytes, name: str = "people.csv") -> Any:
    client.force_login(world["supervisor"])
    return client.post(
        "/exchange/import/", {"office": _office(world).pk, "file": upload(data, name)}
    )


def _nothing_saved() -> None:
    assert Person.objects.count() == 0
    assert Identity.objects.count() == 0
    assert Consent.objects.count() == 0
    assert Screening.objects.count() == 0
    assert Case.objects.count() == 0


def test_good_file_creates_people_identities_consents_screenings_cases(
    client: Any, org_a: Any
) -> None:
    rows = [
        good_row(),
        with_case("alpha_caseworker", given_names="Ibrahim", sex="male", phones=""),
        good_row(
            given_names="",
            family_names="",
            consent_given_by="",
            consent_method="",
            consent_language="",
            consent_date="",
            legal_basis="vital_interest",
            legal_basis_reason="Found unconscious in the desert, cannot consent yet.",
            document_type="",
            document_number="",
            document_country="",
            document_status="",
        ),
    ]
    response = _post(client, org_a, csv_bytes(rows))
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/exchange/imports/{run.public_id}/"
    assert run.status == ImportStatus.IMPORTED, run.errors
    assert (run.rows, run.people, run.consents, run.screenings, run.cases) == (3, 3, 2, 1, 1)
    people = Person.objects.filter(organisation=org_a.org)
    assert people.count() == 3
    first = next(i for i in Identity.objects.filter(person__in=people) if i.given_names == "Aïcha")
    assert first.family_names == "Maïga"
    assert first.alias_list == ["Aïssa", "Tata"]
    assert first.phone_list == ["+22790123456"]
    assert first.person.birth_year == 1995 and first.person.birth_estimated
    assert [c.iso3 for c in first.person.nationalities.all()] == ["MLI"]
    assert sorted(c.code for c in first.person.languages.all()) == ["fra", "hau"]
    assert first.person.population_category.code == "transit"
    document = IdentityDocument.objects.get(person=first.person)
    assert (document.number, document.status, document.issuing_country_id) == (
        "AB 123456",
        "held",
        "MLI",
    )
    profile = MigrationProfile.objects.get(person=first.person)
    assert profile.current_commune.pcode == "NE001003001"
    assert profile.status == "in_transit"
    consent = Consent.objects.get(person=first.person)
    assert (consent.scope, consent.given_by, consent.language.code) == ("services", "self", "hau")
    assert consent.given_at.date() == datetime.date(2026, 1, 16)
    case = Case.objects.get()
    assert case.caseworker == org_a["caseworker"]
    assert case.priority == "high"
    assert case.organisation == org_a.org
    basis = Person.objects.get(legal_basis="vital_interest")
    assert basis.legal_basis_reason.startswith("Found unconscious")
    # The identity is encrypted at rest: the raw column does not hold the name.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT given_names, phones FROM people_identity WHERE id = %s", [first.pk])
        raw_names, raw_phones = cursor.fetchone()
    assert "Aïcha" not in raw_names and "90123456" not in raw_phones
    # One import event with counts, no values.
    event = AuditEvent.objects.get(object_type="exchange.importrun")
    assert "people:3" in event.changed_fields and "cases:1" in event.changed_fields
    assert not any("Aïcha" in field for field in event.changed_fields)


def test_bad_rows_save_nothing_and_every_error_is_reported(client: Any, org_a: Any) -> None:
    rows = [
        good_row(),  # row 2: fine
        good_row(sex="x", birth_year="95", nationalities="ZZZ"),  # row 3: three errors
        good_row(),  # row 4: fine
        good_row(phones="12", current_commune="NE999", consent_method=""),  # row 5
        good_row(birth_year="2090"),  # row 6: caught by the service
        with_case("nobody_here"),  # row 7
    ]
    response = _post(client, org_a, csv_bytes(rows))
    assert response.status_code == 302
    _nothing_saved()
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.REJECTED
    assert run.people == 0
    found = {(row, column) for row, column, _message in run.errors}
    h = {key: BY_KEY[key].header() for key in BY_KEY}
    assert {
        (3, h["sex"]),
        (3, h["birth_year"]),
        (3, h["nationalities"]),
        (5, h["current_commune"]),
        (5, h["consent_method"]),
        (5, h["phones"]),
        (6, h["birth_year"]),
        (7, h["caseworker"]),
    } <= found, run.errors
    assert not any(row in (2, 4) for row, _c, _m in run.errors)
    # Messages never repeat the cell's value.
    assert not any("ZZZ" in message or "NE999" in message for _r, _c, message in run.errors)
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "rien n’a été enregistré" in html
    assert html.count('data-label="Ligne"') == len(run.errors)
    report = client.get(f"/exchange/imports/{run.public_id}/errors.csv")
    text = report.content.decode("utf-8-sig")
    assert text.count("\n") == len(run.errors) + 1
    assert h["current_commune"] in text


def test_import_refused_at_write_time_rolls_back_everything(client: Any, org_a: Any) -> None:
    """Row 3 passes every shape check; screening_record refuses its future date after row 2
    was written in full and row 3's person, identity and consent were written: nothing stays."""
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    rows = [
        with_case("alpha_caseworker"),
        with_case("alpha_caseworker", given_names="Ali", screening_date=tomorrow),
    ]
    _post(client, org_a, csv_bytes(rows))
    _nothing_saved()
    assert not AuditEvent.objects.filter(object_type="people.person").exists()
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.REJECTED
    assert [e[:2] for e in run.errors] == [[3, BY_KEY["screening_date"].header()]]


def test_legal_basis_reason_checked_by_the_service(org_a: Any) -> None:
    from kariya.exchange.reading import Table

    keys = [c.key for c in COLUMNS]
    good = good_row()
    bad = good_row(
        consent_given_by="",
        consent_method="",
        consent_language="",
        consent_date="",
        legal_basis="vital_interest",
        legal_basis_reason="short",
    )
    table = Table(
        "csv",
        [c.header() for c in COLUMNS],
        [(2, [good.get(k, "") for k in keys]), (3, [bad.get(k, "") for k in keys])],
    )
    run = services.people_import(actor=org_a["supervisor"], office=_office(org_a), table=table)
    assert run.status == ImportStatus.REJECTED
    assert [e[:2] for e in run.errors] == [[3, BY_KEY["legal_basis_reason"].header()]]
    _nothing_saved()


def test_child_consent_rules_come_from_the_service(org_a: Any) -> None:
    from kariya.exchange.reading import Table

    keys = [c.key for c in COLUMNS]
    child = good_row(birth_year=str(timezone.localdate().year - 8), birth_estimated="non")
    table = Table("csv", [c.header() for c in COLUMNS], [(2, [child.get(k, "") for k in keys])])
    run = services.people_import(actor=org_a["supervisor"], office=_office(org_a), table=table)
    assert run.status == ImportStatus.REJECTED
    assert run.errors[0][:2] == [2, BY_KEY["consent_given_by"].header()]
    _nothing_saved()


def test_csv_windows_1252_with_semicolons(client: Any, org_a: Any) -> None:
    rows = [good_row(given_names="Hélène", family_names="Bâ", aliases="Élé")]
    data = csv_bytes(rows, delimiter=";", encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    response = _post(client, org_a, data)
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert run.status == ImportStatus.IMPORTED, run.errors
    identity = Identity.objects.get()
    assert (identity.given_names, identity.family_names) == ("Hélène", "Bâ")
    assert identity.alias_list == ["Élé"]


def test_csv_utf8_with_bom_and_headers_in_one_language() -> None:
    data = "\ufeffPrénoms;Sex;birth_year\nAïcha;female;1990\n".encode()
    table = read_csv(data)
    assert table.header == ["Prénoms", "Sex", "birth_year"]
    assert table.rows == [(2, ["Aïcha", "female", "1990"])]


def test_xlsx_round_trip_with_the_template(client: Any, org_a: Any) -> None:
    client.force_login(org_a["supervisor"])
    response = client.get("/exchange/templates/people.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [c.header() for c in COLUMNS]
    assert "Sexes" in " ".join(workbook.sheetnames)
    communes = next(s for s in workbook.worksheets if s.title.startswith("Communes"))
    assert communes.max_row > 200
    for number, row in enumerate(
        [good_row(), with_case("alpha_caseworker", given_names="Ousmane", sex="Homme")], start=2
    ):
        for index, column in enumerate(COLUMNS, start=1):
            value: Any = row.get(column.key, "")
            if column.key == "birth_year":
                value = int(value)
            if column.key in ("arrival_date", "screening_date") and value:
                value = datetime.datetime.fromisoformat(value)
            if column.key == "phones":
                value = 90123456 if number == 2 else 96000000
            sheet.cell(row=number, column=index, value=value if value != "" else None)
    out = io.BytesIO()
    workbook.save(out)
    response = _post(client, org_a, out.getvalue(), name="rempli.xlsx")
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.IMPORTED, run.errors
    assert run.file_format == "xlsx"
    assert (run.people, run.cases) == (2, 1)
    assert Person.objects.filter(sex="male").count() == 1
    assert sorted(i.phone_list[0] for i in Identity.objects.all()) == [
        "+22790123456",
        "+22796000000",
    ]


def test_unknown_and_repeated_headers_are_reported() -> None:
    data = "Prénoms;Given names;Favourite colour\nA;B;C\n".encode()
    table = read_csv(data)
    from kariya.exchange.services import _map_header, _Report

    report = _Report(headers={})
    _map_header(table.header, report)
    assert [e[1] for e in report.errors] == ["Given names", "C"]
    assert "Favourite" not in repr(report.errors)


def test_file_limits_have_clear_messages(client: Any, org_a: Any, settings: Any) -> None:
    from kariya.exchange import reading

    header = ";".join(c.header() for c in COLUMNS)
    many = header + "\n" + "\n".join("x;y" for _ in range(reading.MAX_ROWS + 1))
    with pytest.raises(FileProblemError, match=str(reading.MAX_ROWS)):
        read_csv(many.encode())
    with pytest.raises(FileProblemError):
        read_upload(io.BytesIO(b"hello"), "notes.pdf")
    with pytest.raises(FileProblemError):
        read_upload(io.BytesIO(b"PK\x03\x04garbage"), "broken.xlsx")
    response = _post(client, org_a, many.encode())
    assert response.status_code == 400
    assert str(reading.MAX_ROWS) in response.content.decode()
    _nothing_saved()
    assert not ImportRun.objects.exists()


def test_office_of_another_organisation_is_refused(client: Any, org_a: Any, org_b: Any) -> None:
    client.force_login(org_a["supervisor"])
    response = client.post(
        "/exchange/import/",
        {"office": _office(org_b).pk, "file": upload(csv_bytes([good_row()]))},
    )
    assert response.status_code == 400
    _nothing_saved()


def test_consent_date_in_the_future_is_refused(org_a: Any) -> None:
    from kariya.exchange.reading import Table

    keys = [c.key for c in COLUMNS]
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    row = good_row(consent_date=tomorrow)
    table = Table("csv", [c.header() for c in COLUMNS], [(2, [row.get(k, "") for k in keys])])
    run = services.people_import(actor=org_a["supervisor"], office=_office(org_a), table=table)
    assert [e[:2] for e in run.errors] == [[2, BY_KEY["consent_date"].header()]]
    _nothing_saved()


def test_csv_encodings_fall_back_to_latin_1() -> None:
    from kariya.exchange.reading import decode_csv

    assert decode_csv("\ufeffAïcha".encode()) == "Aïcha"
    assert decode_csv("Aïcha – Bâ".encode("cp1252")) == "Aïcha – Bâ"
    # 0x81 is undefined in Windows-1252: Latin-1 reads every byte.
    assert decode_csv(b"A\x81\xefcha") == "A\x81ïcha"


def test_xlsx_too_large_once_uncompressed(monkeypatch: Any) -> None:
    from kariya.exchange import reading

    monkeypatch.setattr(reading, "MAX_XLSX_UNCOMPRESSED", 1000)
    with pytest.raises(FileProblemError, match="décompressé|uncompressed"):
        reading.read_xlsx(people_template_xlsx())


def test_error_report_csv_neutralises_formulas(client: Any, org_a: Any) -> None:
    data = b"Sexe;=HYPERLINK(1)\nfemale;x\n"
    _post(client, org_a, data)
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.REJECTED
    text = client.get(f"/exchange/imports/{run.public_id}/errors.csv").content.decode("utf-8-sig")
    assert "=HYPERLINK" not in text  # the unknown header is located by its letter, not quoted
    assert ";B;" in text
