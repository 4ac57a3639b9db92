"""The GBV sections page: the GBV focal point's way in (no case list for that role), every row
shown an audited read, nothing for anyone else."""

from __future__ import annotations

from typing import Any

import pytest

from kariya.cases import services
from kariya.cases.factories import open_case
from kariya.cases.models import GBVSection, GBVType
from kariya.core.models import AuditEvent

URL = "/cases/gbv/"


@pytest.fixture(autouse=True)
def english_pages(client: Any) -> None:
    client.cookies["django_language"] = "en"


@pytest.fixture
def sections(org_a: Any, org_b: Any) -> dict[str, Any]:
    case_a = open_case(org_a["caseworker"])
    case_b = open_case(org_b["caseworker"])
    for org, case in ((org_a, case_a), (org_b, case_b)):
        services.gbv_section_save(
            actor=org["supervisor"], case=case, incident_type=GBVType.PHYSICAL_ASSAULT
        )
    return {"a": case_a, "b": case_b}


def test_four_ways(client: Any, org_a: Any, org_b: Any, sections: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    client.force_login(org_a["caseworker"])
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"case_code": sections["a"].person.case_code}).status_code == 404
    for role in ("gbv_focal_point", "supervisor"):
        client.force_login(org_a[role])
        page = client.get(URL)
        assert page.status_code == 200
        html = page.content.decode()
        assert sections["a"].person.case_code in html
        assert sections["b"].person.case_code not in html


def test_each_row_shown_is_an_audited_read(client: Any, org_a: Any, sections: Any) -> None:
    section = GBVSection.objects.get(case=sections["a"])
    client.force_login(org_a["gbv_focal_point"])
    assert not AuditEvent.objects.filter(object_id=str(section.public_id)).filter(action="read")
    client.get(URL)
    event = AuditEvent.objects.get(action="read", object_id=str(section.public_id))
    assert event.actor == org_a["gbv_focal_point"]
    other = GBVSection.objects.get(case=sections["b"])
    assert not AuditEvent.objects.filter(action="read", object_id=str(other.public_id)).exists()


def test_case_code_opens_the_section_of_own_organisation_only(
    client: Any, org_a: Any, sections: Any
) -> None:
    client.force_login(org_a["gbv_focal_point"])
    code = sections["a"].person.case_code
    response = client.post(URL, {"case_code": code.lower().replace("-", "")})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{sections['a'].public_id}/gbv/"
    refused = client.post(URL, {"case_code": sections["b"].person.case_code})
    assert refused.status_code == 400
    assert "No case of your organisation has this case code." in refused.content.decode()


def test_empty_state(client: Any, org_a: Any) -> None:
    client.force_login(org_a["gbv_focal_point"])
    assert "No GBV section recorded" in client.get(URL).content.decode()


def test_query_count_does_not_grow_with_rows(
    client: Any, org_a: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(org_a["gbv_focal_point"])
    for _ in range(2):
        case = open_case(org_a["caseworker"])
        services.gbv_section_save(actor=org_a["supervisor"], case=case, incident_type="rape")
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    for _ in range(4):
        case = open_case(org_a["caseworker"])
        services.gbv_section_save(actor=org_a["supervisor"], case=case, incident_type="rape")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
