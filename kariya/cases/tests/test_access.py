"""Who sees what: other organisation, wrong role, the GBV restriction, and list query counts."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from kariya.accounts.factories import UserFactory
from kariya.cases import access, selectors, services
from kariya.cases.factories import open_case
from kariya.cases.models import Case, GBVSection, GBVType
from kariya.core.models import AuditEvent
from kariya.people.factories import code

NARRATIVE = "Agressée au point de passage par deux hommes armés"


def test_the_assigned_caseworker_and_the_supervisor_see_the_case(org_a: Any, case: Case) -> None:
    assert access.case_get_for(org_a["caseworker"], case.public_id) == case
    assert access.case_get_for(org_a["supervisor"], case.public_id) == case
    assert access.case_get_for_edit(org_a["supervisor"], case.public_id) == case


@pytest.mark.parametrize(
    "role",
    [
        "gbv_focal_point",
        "service_focal_point",
        "monitor",
        "outreach_officer",
        "me_officer",
        "network_coordinator",
        "org_admin",
        "dpo",
    ],
)
def test_other_roles_get_404(org_a: Any, case: Case, role: str) -> None:
    with pytest.raises(Http404):
        access.case_get_for(org_a[role], case.public_id)
    assert not selectors.case_list_for(org_a[role]).exists()


def test_another_caseworker_of_the_organisation_gets_404(org_a: Any, case: Case) -> None:
    other = UserFactory(organisation=org_a.org, roles=["caseworker"])
    with pytest.raises(Http404):
        access.case_get_for(other, case.public_id)
    assert not selectors.case_list_for(other).exists()


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "gbv_focal_point"])
def test_the_other_organisation_gets_404(org_b: Any, case: Case, role: str) -> None:
    with pytest.raises(Http404):
        access.case_get_for(org_b[role], case.public_id)
    with pytest.raises(Http404):
        access.case_get_for_gbv(org_b[role], case.public_id)
    assert not selectors.case_list_for(org_b[role]).exists()


def test_absent_and_malformed_ids_get_404(org_a: Any) -> None:
    for public_id in (uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(Http404):
            access.case_get_for(org_a["supervisor"], public_id)


def test_anonymous_gets_404(case: Case) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Http404):
        access.case_get_for(AnonymousUser(), case.public_id)


def test_list_filters_combine(org_a: Any) -> None:
    caseworker = org_a["caseworker"]
    first = open_case(caseworker)
    second = open_case(caseworker)
    services.case_transition(
        actor=caseworker, case=second, to_status="assessment", expected_version=second.version
    )
    other = UserFactory(organisation=org_a.org, roles=["caseworker"])
    third = open_case(org_a["supervisor"], caseworker=other)
    supervisor = org_a["supervisor"]
    assert set(selectors.case_list_for(supervisor)) == {first, second, third}
    assert list(selectors.case_list_for(caseworker, status="assessment")) == [second]
    assert list(selectors.case_list_for(supervisor, caseworker=other)) == [third]
    assert not selectors.case_list_for(supervisor, status="open", priority="high").exists()


@pytest.mark.parametrize("count", [3, 30])
def test_a_case_list_page_costs_a_constant_number_of_queries(
    org_a: Any, django_assert_num_queries: Any, count: int
) -> None:
    supervisor = org_a["supervisor"]
    for _ in range(count):
        open_case(org_a["caseworker"])
    supervisor.role_codes()  # resolved once per request by the middleware
    with django_assert_num_queries(2):  # count, page
        page = Paginator(selectors.case_list_for(supervisor), 25).page(1)
        rows = [
            (c.person.case_code, c.caseworker.username, c.opened_from.screened_on, c.status)
            for c in page
        ]
    assert len(rows) == min(count, 25)


# --- GBV --------------------------------------------------------------------------------


def _gbv(org_a: Any, case: Case) -> GBVSection:
    return services.gbv_section_save(
        actor=org_a["gbv_focal_point"],
        case=case,
        incident_type=GBVType.SEXUAL_ASSAULT,
        incident_date=datetime.date(2025, 3, 2),
        narrative=NARRATIVE,
        services_offered=[code("service_type", "mhpss")],
    )


def test_the_gbv_focal_point_and_the_supervisor_read_the_section_and_it_is_audited(
    org_a: Any, case: Case
) -> None:
    section = _gbv(org_a, case)
    for role in ("gbv_focal_point", "supervisor"):
        actor = org_a[role]
        gbv_case = access.case_get_for_gbv(actor, case.public_id)
        read = access.gbv_get_for(actor, gbv_case)
        assert read.narrative == NARRATIVE
        assert AuditEvent.objects.filter(
            actor=actor, action="read", object_id=str(section.public_id)
        ).exists()


@pytest.mark.parametrize(
    "role", ["caseworker", "service_focal_point", "monitor", "me_officer", "org_admin", "dpo"]
)
def test_other_roles_get_404_on_the_gbv_section(org_a: Any, case: Case, role: str) -> None:
    _gbv(org_a, case)
    with pytest.raises(Http404):
        access.gbv_get_for(org_a[role], case)
    with pytest.raises(Http404):
        access.case_get_for_gbv(org_a[role], case.public_id)
    with pytest.raises(PermissionDenied):
        services.gbv_section_save(
            actor=org_a[role], case=case, incident_type=GBVType.NON_GBV, expected_version=1
        )


def test_the_other_organisations_gbv_focal_point_gets_404(
    org_a: Any, org_b: Any, case: Case
) -> None:
    _gbv(org_a, case)
    for role in ("gbv_focal_point", "supervisor"):
        with pytest.raises(Http404):
            access.gbv_get_for(org_b[role], case)


def test_a_caseworkers_case_list_carries_no_gbv_data(org_a: Any, case: Case) -> None:
    _gbv(org_a, case)
    caseworker = org_a["caseworker"]
    with CaptureQueriesContext(connection) as queries:
        cases = list(selectors.case_list_for(caseworker))
        for item in cases:
            # Everything a list row can reach, as a template would.
            values = [str(getattr(item, f.attname)) for f in Case._meta.concrete_fields]
            values += [str(item.person), str(item.caseworker), str(item.opened_from)]
    assert cases == [case]
    assert not hasattr(case, "gbvsection")  # no reverse accessor to follow by mistake
    assert all("gbv" not in q["sql"].lower() for q in queries.captured_queries)
    assert NARRATIVE not in repr(values)
    assert "sexual_assault" not in repr(values)
    with pytest.raises(Http404):
        access.gbv_get_for(caseworker, case)


def test_gbv_narrative_is_not_stored_in_plaintext(org_a: Any, case: Case) -> None:
    _gbv(org_a, case)
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative FROM cases_gbvsection")
        stored = str(cursor.fetchone()[0])
    assert "Agressée" not in stored
    assert stored.startswith("k")


def test_gbv_section_edits_are_locked_and_audited_by_field_name(org_a: Any, case: Case) -> None:
    section = _gbv(org_a, case)
    focal = org_a["gbv_focal_point"]
    with pytest.raises(ValidationError, match="already has a GBV section"):
        services.gbv_section_save(actor=focal, case=case, incident_type=GBVType.RAPE)
    services.gbv_section_save(
        actor=org_a["supervisor"],
        case=case,
        incident_type=GBVType.RAPE,
        incident_date=section.incident_date,
        narrative=NARRATIVE,
        services_offered=[code("service_type", "mhpss")],
        expected_version=section.version,
    )
    with pytest.raises(ValidationError) as caught:  # the focal point's copy is stale
        services.gbv_section_save(
            actor=focal,
            case=case,
            incident_type=GBVType.PHYSICAL_ASSAULT,
            narrative="Autre version",
            expected_version=section.version,
        )
    assert caught.value.code == "stale"
    stored = GBVSection.objects.get(pk=section.pk)
    assert stored.incident_type == GBVType.RAPE
    assert stored.narrative == NARRATIVE
    event = AuditEvent.objects.filter(object_id=str(section.public_id), action="update").get()
    assert event.changed_fields == ["incident_type"]


def test_gbv_types_are_the_gbvims_core_types_and_translated() -> None:
    from django.utils import translation

    assert len(GBVType.values) == 7
    with translation.override("fr"):
        assert str(GBVType.RAPE.label) == "Viol"
