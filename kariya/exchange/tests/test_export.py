from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from kariya.accounts.roles import MATRIX, Role
from kariya.cases.factories import open_case
from kariya.cases.services import case_note_add, gbv_section_save
from kariya.core.models import AuditAction, AuditEvent
from kariya.exchange.writing import csv_lines, neutralise
from kariya.people.factories import register

pytestmark = pytest.mark.django_db


def _rows(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _cases(world: Any, count: int, **register_kwargs: Any) -> list[Any]:
    return [
        open_case(world["caseworker"], register(world["caseworker"], **register_kwargs))
        for _ in range(count)
    ]


def test_csv_export_without_identity_has_no_names_and_is_audited(
    client: Any, org_a: Any, org_b: Any
) -> None:
    _cases(org_a, 2, given_names="Mariama", phone_numbers=["90123456"])
    _cases(org_b, 1, given_names="Zeinabou")
    client.force_login(org_a["supervisor"])
    response = client.get("/exchange/export/cases.csv")
    assert response.status_code == 200
    rows = _rows(response)
    assert len(rows) == 3  # header + the two cases of org A only
    text = repr(rows)
    assert "Mariama" not in text and "Zeinabou" not in text and "90123456" not in text
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == org_a["supervisor"]
    assert event.object_type == "cases.case"
    assert "count:2" in event.changed_fields
    assert not AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="people.identity"
    ).exists()


def test_export_with_identity_reads_through_access_and_audits_each(client: Any, org_a: Any) -> None:
    cases = _cases(org_a, 2, given_names="Mariama", phone_numbers=["90123456"])
    client.force_login(org_a["supervisor"])
    response = client.get("/exchange/export/cases.csv?include_identity=on&priority=medium")
    rows = _rows(response)
    assert rows[0][-3:] == ["Prénoms", "Noms de famille", "Numéros de téléphone"]
    assert [r[-3] for r in rows[1:]] == ["Mariama", "Mariama"]
    assert rows[1][-1] == "'+22790123456"  # neutralised: + starts a formula
    reads = AuditEvent.objects.filter(action=AuditAction.READ, object_type="people.identity")
    assert reads.count() == 2
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert set(event.changed_fields) == {"count:2", "format:csv", "filter:priority", "identity"}
    assert {str(c.public_id) for c in cases} == {r[1] for r in rows[1:]}


def test_role_without_view_identity_never_gets_names(
    client: Any, org_a: Any, monkeypatch: Any
) -> None:
    """If the matrix gives the export to a role without people.view_identity, asking for
    names gives none (and the form does not offer them)."""
    _cases(org_a, 1, given_names="Mariama")
    monkeypatch.setitem(MATRIX, Role.SUPERVISOR, MATRIX[Role.SUPERVISOR] - {"people.view_identity"})
    client.force_login(org_a["supervisor"])
    page = client.get("/exchange/export/")
    assert "include_identity" not in page.content.decode()
    rows = _rows(client.get("/exchange/export/cases.csv?include_identity=on"))
    assert len(rows) == 2
    assert "Mariama" not in repr(rows) and "Prénoms" not in rows[0]
    assert "identity" not in AuditEvent.objects.get(action=AuditAction.EXPORT).changed_fields


def test_export_never_holds_notes_or_gbv(client: Any, org_a: Any) -> None:
    case = _cases(org_a, 1)[0]
    case_note_add(actor=org_a["caseworker"], case=case, body="=secret note text")
    from kariya.cases.models import GBVType

    gbv_section_save(
        actor=org_a["supervisor"],
        case=case,
        incident_type=next(iter(GBVType.values)),
        narrative="narrative that must not leave",
    )
    client.force_login(org_a["supervisor"])
    text = repr(_rows(client.get("/exchange/export/cases.csv?include_identity=on")))
    assert "secret note" not in text and "must not leave" not in text


def test_formula_injection_is_neutralised(client: Any, org_a: Any) -> None:
    _cases(org_a, 1, given_names='=HYPERLINK("http://x")', family_names="@SUM(A1)")
    assert neutralise("=1+2") == "'=1+2"
    assert neutralise("-2") == "'-2"
    assert neutralise("Moussa") == "Moussa"
    assert neutralise(1994) == 1994
    assert "'+1" in "".join(csv_lines(["h"], [["+1"]]))
    client.force_login(org_a["supervisor"])
    rows = _rows(client.get("/exchange/export/cases.csv?include_identity=on"))
    assert rows[1][-3] == '\'=HYPERLINK("http://x")'
    assert rows[1][-2] == "'@SUM(A1)"
    response = client.get("/exchange/export/cases.xlsx?include_identity=on")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    values = [cell.value for cell in sheet[2]]
    assert '\'=HYPERLINK("http://x")' in values
    assert sheet.cell(row=2, column=len(values) - 2).data_type == "s"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 2


def test_xlsx_export_filters_by_caseworker(client: Any, org_a: Any) -> None:
    _cases(org_a, 2)
    client.force_login(org_a["supervisor"])
    other = org_a["caseworker"].public_id
    response = client.get(f"/exchange/export/cases.xlsx?caseworker={other}&status=open")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert sheet.max_row == 3
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert {"filter:caseworker", "filter:status", "format:xlsx"} <= set(event.changed_fields)
    response = client.get("/exchange/export/cases.xlsx?status=nonsense")
    assert response.status_code == 400


@pytest.mark.parametrize("identity", ["", "&include_identity=on"])
def test_export_query_count_does_not_grow_with_rows(
    client: Any, org_a: Any, django_assert_max_num_queries: Any, identity: str
) -> None:
    _cases(org_a, 2)
    client.force_login(org_a["supervisor"])
    url = "/exchange/export/cases.csv?status=open" + identity

    def run() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            _rows(client.get(url))
        return len(queries)

    few = run()
    _cases(org_a, 8)
    assert run() == few
    with django_assert_max_num_queries(few):
        _rows(client.get(url))
