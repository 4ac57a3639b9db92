"""Showing a case (its plan, services, visits, notes) is a read of personal data: audited, on
the page and in the API; another organisation's attempt is a 404 and leaves no read event."""

from __future__ import annotations

from typing import Any

from kariya.cases.factories import open_case
from kariya.core.models import AuditEvent


def _reads(case: Any) -> Any:
    return AuditEvent.objects.filter(action="read", object_id=str(case.public_id))


def test_case_page_read_is_audited(client: Any, org_a: Any, org_b: Any) -> None:
    case = open_case(org_a["caseworker"])
    client.force_login(org_b["supervisor"])
    assert client.get(f"/cases/{case.public_id}/").status_code == 404
    assert not _reads(case).exists()
    client.force_login(org_a["supervisor"])
    assert client.get(f"/cases/{case.public_id}/").status_code == 200
    event = _reads(case).get()
    assert event.actor == org_a["supervisor"]
    assert event.object_type == "cases.case"


def test_api_reads_are_audited_and_writes_are_not_reads(client: Any, org_a: Any) -> None:
    case = open_case(org_a["caseworker"])
    client.force_login(org_a["caseworker"])
    for suffix in ("", "notes/", "history/"):
        assert client.get(f"/api/v1/cases/{case.public_id}/{suffix}").status_code == 200
    assert _reads(case).count() == 3
    response = client.post(
        f"/api/v1/cases/{case.public_id}/notes/", {"body": "Appel"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert _reads(case).count() == 3
