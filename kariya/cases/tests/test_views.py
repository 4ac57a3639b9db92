"""The case pages: who reaches what (anonymous, wrong role, other organisation, right role),
and what each page and form does."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.http import QueryDict
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kariya.accounts.factories import UserFactory
from kariya.accounts.models import Office
from kariya.cases import services
from kariya.cases.factories import open_case, screen
from kariya.cases.models import (
    Case,
    CaseApproval,
    CaseNote,
    CasePlanAction,
    CasePlanGoal,
    FollowUpVisit,
    GBVSection,
    GBVType,
    Screening,
    ServiceDelivery,
    VulnerabilityAssessment,
)
from kariya.cases.workflow import Status
from kariya.core.models import AuditEvent
from kariya.people.factories import code, register

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def english_pages(client: Any) -> None:
    """Pages in English (the source language) unless a test asks for French."""
    client.cookies["django_language"] = "en"


def _assessment(actor: Any, case: Case) -> VulnerabilityAssessment:
    return services.assessment_record(
        actor=actor,
        person=case.person,
        case=case,
        assessed_on=TODAY,
        specific_needs=[code("specific_need", "SV")],
    )


@pytest.fixture
def world(org_a: Any, org_b: Any) -> dict[str, Any]:
    """A case of organisation A with a goal, an action, a planned visit, a pending approval-free
    state, an assessment and a GBV section; and the ids the URLs need."""
    case = open_case(org_a["caseworker"])
    actor = org_a["caseworker"]
    goal = services.case_plan_goal_add(actor=actor, case=case, description="Soins")
    action = services.case_plan_action_add(
        actor=actor, goal=goal, description="Consultation au CSI", due_on=TODAY - DAY
    )
    services.follow_up_schedule(actor=actor, case=case, due_on=TODAY + DAY)
    assessment = _assessment(actor, case)
    services.gbv_section_save(
        actor=org_a["supervisor"], case=case, incident_type=GBVType.PHYSICAL_ASSAULT
    )
    case.refresh_from_db()
    return {
        "case": case,
        "goal": goal,
        "action": action,
        "assessment": assessment,
        "screening": case.opened_from,
        "person": case.person,
    }


def _pages(w: dict[str, Any]) -> list[tuple[str, str]]:
    """(url, role that may) for every GET page about organisation A's records."""
    case, person = w["case"].public_id, w["person"].public_id
    return [
        (f"/cases/{case}/", "caseworker"),
        (f"/cases/{case}/", "supervisor"),
        (f"/cases/screenings/new/{person}/", "caseworker"),
        (f"/cases/screenings/{w['screening'].public_id}/", "caseworker"),
        (f"/cases/assessments/new/{person}/", "caseworker"),
        (f"/cases/assessments/new/{person}/?case={case}", "caseworker"),
        (f"/cases/assessments/{w['assessment'].public_id}/", "caseworker"),
        (f"/cases/{case}/gbv/", "gbv_focal_point"),
        (f"/cases/{case}/gbv/", "supervisor"),
    ]


def test_every_page_four_ways(client: Any, org_a: Any, org_b: Any, world: Any) -> None:
    for url, role in _pages(world):
        client.logout()
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
        client.force_login(org_a["monitor"])
        assert client.get(url).status_code == 404, url
        client.force_login(org_b[role])
        assert client.get(url).status_code == 404, url
        client.force_login(org_a[role])
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("/cases/", "caseworker"),
        ("/cases/tasks/", "caseworker"),
        ("/cases/approvals/", "supervisor"),
    ],
)
def test_lists_four_ways(
    client: Any, org_a: Any, org_b: Any, world: Any, url: str, role: str
) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    client.force_login(org_a["monitor"])
    assert client.get(url).status_code == 404
    code_a = world["person"].case_code
    client.force_login(org_b[role])
    response = client.get(url)
    assert response.status_code == 200
    assert code_a not in response.content.decode()
    client.force_login(org_a[role])
    assert client.get(url).status_code == 200


def _version(case: Case) -> int:
    return int(Case.objects.get(pk=case.pk).version)


def _posts(w: dict[str, Any], org: Any) -> list[tuple[str, dict[str, Any], str, Any]]:
    """(url, valid data, role that may, how to count what it writes)."""
    case = w["case"]
    c = case.public_id
    other_caseworker = UserFactory(organisation=org.org, roles=["caseworker"])
    return [
        (f"/cases/{c}/notes/", {"body": "Vu au centre"}, "caseworker", CaseNote.objects.count),
        (
            f"/cases/{c}/goals/",
            {"description": "Papiers"},
            "caseworker",
            CasePlanGoal.objects.count,
        ),
        (
            f"/cases/{c}/actions/",
            {"goal": w["goal"].public_id, "description": "Démarche", "due_on": TODAY.isoformat()},
            "caseworker",
            CasePlanAction.objects.count,
        ),
        (
            f"/cases/{c}/actions/{w['action'].public_id}/done/",
            {},
            "caseworker",
            lambda: CasePlanAction.objects.filter(status="done").count(),
        ),
        (
            f"/cases/{c}/services/",
            {
                "service_type": code("service_type", "health_care").pk,
                "provider": org.org.public_id,
                "delivered_on": TODAY.isoformat(),
                "outcome": "delivered",
                "quantity": "2",
                "unit": "session",
            },
            "caseworker",
            ServiceDelivery.objects.count,
        ),
        (
            f"/cases/{c}/follow-ups/plan/",
            {"due_on": (TODAY + 3 * DAY).isoformat(), "method": "phone"},
            "caseworker",
            FollowUpVisit.objects.count,
        ),
        (
            f"/cases/{c}/follow-ups/",
            {"visited_on": TODAY.isoformat(), "method": "home"},
            "caseworker",
            lambda: FollowUpVisit.objects.filter(visited_on__isnull=False).count(),
        ),
        (
            f"/cases/{c}/status/",
            lambda: {"to_status": "assessment", "version": _version(case)},
            "caseworker",
            lambda: Case.objects.filter(status="assessment").count(),
        ),
        (
            f"/cases/{c}/approval/",
            {"kind": "closure", "closure_reason": "goals_met"},
            "caseworker",
            CaseApproval.objects.count,
        ),
        (
            f"/cases/{c}/gbv/",
            {
                "incident_type": "rape",
                "version": GBVSection.objects.get().version,
                "narrative": "Récit",
            },
            "gbv_focal_point",
            lambda: GBVSection.objects.filter(incident_type="rape").count(),
        ),
        (
            f"/cases/screenings/new/{w['person'].public_id}/",
            {
                "screened_on": TODAY.isoformat(),
                "office": Office.objects.filter(organisation=org.org).first().pk,
                "intervention_rating": "low",
                "outcome": "information",
            },
            "caseworker",
            Screening.objects.count,
        ),
        (
            f"/cases/assessments/new/{w['person'].public_id}/",
            {"assessed_on": TODAY.isoformat(), "factors_individual_risk": ["no_documents"]},
            "caseworker",
            VulnerabilityAssessment.objects.count,
        ),
        # Then the case belongs to another caseworker...
        (
            f"/cases/{c}/assign/",
            lambda: {"caseworker": other_caseworker.public_id, "version": _version(case)},
            "supervisor",
            lambda: Case.objects.filter(caseworker=other_caseworker).count(),
        ),
        # ... and last, the supervisor approves the closure requested above (it closes).
        (
            lambda: (
                f"/cases/{c}/approvals/"
                f"{CaseApproval.objects.get(status='pending').public_id}/decide/"
            ),
            {"decision": "approve", "comment": "D'accord"},
            "supervisor",
            lambda: CaseApproval.objects.filter(status="approved").count(),
        ),
    ]


def test_every_post_four_ways(client: Any, org_a: Any, org_b: Any, world: Any) -> None:
    for path, values, role, count in _posts(world, org_a):
        url = path() if callable(path) else path
        data = values() if callable(values) else values
        before = count()
        client.logout()
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
        client.force_login(org_a["monitor"])
        assert client.post(url, data).status_code == 404, url
        client.force_login(org_b[role])
        assert client.post(url, data).status_code == 404, url
        assert count() == before, url
        client.force_login(org_a[role])
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.content.decode()[-3000:])
        assert count() == before + 1, url


def test_open_a_case_from_a_screening(client: Any, org_a: Any, org_b: Any) -> None:
    screening = screen(org_a["caseworker"])
    url = f"/cases/screenings/{screening.public_id}/open/"
    assert client.post(url).status_code == 302
    client.force_login(org_a["monitor"])
    assert client.post(url).status_code == 404
    client.force_login(org_b["caseworker"])
    assert client.post(url).status_code == 404
    assert not Case.objects.exists()
    client.force_login(org_a["caseworker"])
    page = client.get(f"/cases/screenings/{screening.public_id}/").content.decode()
    assert "Open the case" in page
    response = client.post(url)
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.public_id}/"
    assert case.caseworker == org_a["caseworker"]


def test_a_supervisor_chooses_the_caseworker(client: Any, org_a: Any) -> None:
    screening = screen(org_a["supervisor"])
    client.force_login(org_a["supervisor"])
    page = client.get(f"/cases/screenings/{screening.public_id}/").content.decode()
    assert 'name="caseworker"' in page
    client.post(
        f"/cases/screenings/{screening.public_id}/open/",
        {"caseworker": org_a["caseworker"].public_id},
    )
    assert Case.objects.get().caseworker == org_a["caseworker"]


def test_a_caseworker_cannot_see_another_caseworkers_case(client: Any, org_a: Any) -> None:
    other = UserFactory(organisation=org_a.org, roles=["caseworker"])
    case = open_case(other)
    client.force_login(org_a["caseworker"])
    assert client.get(f"/cases/{case.public_id}/").status_code == 404
    response = client.post(f"/cases/{case.public_id}/notes/", {"body": "x"})
    assert response.status_code == 404
    assert case.person.case_code not in client.get("/cases/").content.decode()
    client.force_login(org_a["supervisor"])
    assert client.get(f"/cases/{case.public_id}/").status_code == 200
    assert case.person.case_code in client.get("/cases/").content.decode()


def test_gbv_section_is_hidden_from_caseworkers_and_its_reads_audited(
    client: Any, org_a: Any, world: Any
) -> None:
    case = world["case"]
    url = f"/cases/{case.public_id}/gbv/"
    client.force_login(org_a["caseworker"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"incident_type": "rape"}).status_code == 404
    page = client.get(f"/cases/{case.public_id}/").content.decode()
    assert "/gbv/" not in page
    section = GBVSection.objects.get()
    assert not AuditEvent.objects.filter(action="read", object_id=str(section.public_id)).exists()
    client.force_login(org_a["gbv_focal_point"])
    response = client.get(url)
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="read", object_id=str(section.public_id))
    assert event.actor == org_a["gbv_focal_point"]
    # The supervisor's case page links to it.
    client.force_login(org_a["supervisor"])
    assert url in client.get(f"/cases/{case.public_id}/").content.decode()


def test_gbv_section_created_then_a_stale_edit_refused(client: Any, org_a: Any) -> None:
    case = open_case(org_a["caseworker"])
    url = f"/cases/{case.public_id}/gbv/"
    client.force_login(org_a["gbv_focal_point"])
    assert "no GBV section yet" in client.get(url).content.decode()
    response = client.post(url, {"incident_type": "denial_of_resources", "narrative": "Récit"})
    assert response.status_code == 302
    section = GBVSection.objects.get()
    assert section.narrative == "Récit"
    response = client.post(
        url, {"incident_type": "rape", "narrative": "Autre", "version": section.version - 1}
    )
    assert response.status_code == 400
    assert "Someone else saved this record" in response.content.decode()
    section.refresh_from_db()
    assert section.incident_type == "denial_of_resources"


def _queries(client: Any, url: str) -> int:
    """Queries of a page once the filters' choices are kept (kariya.core.memo), as they are
    on a running server."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_case_list_query_count_does_not_grow_with_rows(client: Any, org_a: Any) -> None:
    actor = org_a["caseworker"]
    client.force_login(actor)
    for _ in range(2):
        _overdue(open_case(actor))
    few = _queries(client, "/cases/")
    for _ in range(4):
        _overdue(open_case(actor))
    many = _queries(client, "/cases/")
    assert many == few
    assert few <= 10
    # Every listed identity read is audited, in one insert.
    assert AuditEvent.objects.filter(action="read", object_type="people.identity").count() >= 6


def _overdue(case: Case) -> None:
    actor = case.caseworker
    goal = services.case_plan_goal_add(actor=actor, case=case, description="But")
    services.case_plan_action_add(actor=actor, goal=goal, description="A", due_on=TODAY - DAY)
    services.follow_up_schedule(actor=actor, case=case, due_on=TODAY + DAY)


def test_task_list_query_count_does_not_grow_with_rows(client: Any, org_a: Any) -> None:
    actor = org_a["caseworker"]
    client.force_login(actor)
    _overdue(open_case(actor))
    few = _queries(client, "/cases/tasks/")
    for _ in range(4):
        _overdue(open_case(actor))
    many = _queries(client, "/cases/tasks/")
    assert many == few
    page = client.get("/cases/tasks/").content.decode()
    assert page.count("Overdue") >= 5


def test_case_list_shows_the_overdue_marker_and_names(client: Any, org_a: Any) -> None:
    actor = org_a["caseworker"]
    late = open_case(actor, register(actor, given_names="Aminata", family_names="Diallo"))
    _overdue(late)
    client.force_login(actor)
    page = client.get("/cases/").content.decode()
    assert "Overdue" in page
    assert "Aminata Diallo" in page


def test_case_list_filters_combine(client: Any, org_a: Any) -> None:
    actor = org_a["caseworker"]
    aminata = open_case(actor, register(actor, given_names="Aminata", family_names="Diallo"))
    moussa = open_case(actor, register(actor, given_names="Moussa", family_names="Issa"))
    _assessment(actor, aminata)
    client.force_login(actor)

    def listed(query: str) -> set[str]:
        # Identity terms go in the body of a POST; the others may stay in the query string.
        data = QueryDict(query)
        if any(name in data for name in ("name", "phone", "document")):
            rows = client.post("/cases/", data.dict()).context["rows"]
        else:
            rows = client.get(f"/cases/?{query}").context["rows"]
        return {r.case_code for r in rows}

    a, m = aminata.person.case_code, moussa.person.case_code
    assert listed("name=aminata") == {a}
    assert listed(f"case_code={m.lower()}") == {m}
    assert listed("specific_need=SV") == {a}
    assert listed("specific_need=SV&name=moussa") == set()
    assert listed("priority=high") == {a}
    assert listed("status=open&sort=priority") == {a, m}
    assert listed("status=closed") == set()
    assert listed("commune=NE008001001") == set()
    assert listed("sort=priority") == {a, m}
    rows = client.get("/cases/?sort=priority").context["rows"]
    assert rows[0].public_id == aminata.public_id
    # A bad filter value is a field error, not a crash.
    response = client.get("/cases/?status=nonsense")
    assert response.context["form"].errors
    # htmx gets the rows only.
    partial = client.post("/cases/", {"name": "aminata"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert a in partial


def test_caseworker_filter_is_for_supervisors(client: Any, org_a: Any) -> None:
    other = UserFactory(organisation=org_a.org, roles=["caseworker"])
    mine = open_case(org_a["caseworker"])
    theirs = open_case(other)
    client.force_login(org_a["caseworker"])
    assert "caseworker" not in client.get("/cases/").context["form"].fields
    client.force_login(org_a["supervisor"])
    rows = client.get(f"/cases/?caseworker={other.public_id}").context["rows"]
    assert [r.public_id for r in rows] == [theirs.public_id]
    assert mine.pk != theirs.pk


def test_empty_state(client: Any, org_a: Any) -> None:
    client.force_login(org_a["caseworker"])
    assert "No case matches these filters." in client.get("/cases/").content.decode()


def test_bad_screening_saves_nothing_and_shows_field_errors(client: Any, org_a: Any) -> None:
    person = register(org_a["caseworker"])
    client.force_login(org_a["caseworker"])
    response = client.post(
        f"/cases/screenings/new/{person.public_id}/",
        {"screened_on": (TODAY + DAY).isoformat(), "intervention_rating": "extreme"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"office", "intervention_rating", "outcome"} <= set(errors)
    assert not Screening.objects.exists()


def test_screening_in_the_future_refused_by_the_service(client: Any, org_a: Any) -> None:
    person = register(org_a["caseworker"])
    client.force_login(org_a["caseworker"])
    response = client.post(
        f"/cases/screenings/new/{person.public_id}/",
        {
            "screened_on": (TODAY + DAY).isoformat(),
            "office": Office.objects.filter(organisation=org_a.org).first().pk,
            "intervention_rating": "low",
            "outcome": "information",
            "immediate_needs": [code("service_type", "health_care").pk],
            "protection_flags": [code("specific_need", "SV").pk],
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["screened_on"] == ["This date is in the future."]
    assert not Screening.objects.exists()


def test_bad_service_delivery_saves_nothing(client: Any, org_a: Any, case: Case) -> None:
    client.force_login(org_a["caseworker"])
    response = client.post(
        f"/cases/{case.public_id}/services/",
        {
            "service_type": code("service_type", "health_care").pk,
            "provider": org_a.org.public_id,
            "delivered_on": TODAY.isoformat(),
            "outcome": "delivered",
            "quantity": "-3",
            "unit": "session",
        },
    )
    assert response.status_code == 400
    assert response.context["delivery_form"].errors["quantity"]
    assert not ServiceDelivery.objects.exists()


def test_assessment_shows_priority_and_reasons_in_french(
    client: Any, org_a: Any, case: Case
) -> None:
    client.force_login(org_a["caseworker"])
    response = client.post(
        f"/cases/assessments/new/{case.person.public_id}/",
        {
            "case": case.public_id,
            "assessed_on": TODAY.isoformat(),
            "immediate_danger": "on",
            "specific_needs": [code("specific_need", "SC-UC").pk],
        },
    )
    assessment = VulnerabilityAssessment.objects.get()
    assert response["Location"] == f"/cases/assessments/{assessment.public_id}/"
    case.refresh_from_db()
    assert case.priority == "high"
    client.cookies["django_language"] = "fr"
    page = client.get(response["Location"]).content.decode()
    assert "Danger immédiat signalé." in page
    assert "Enfant non accompagné (SC-UC)." in page


def test_assessment_factors_are_grouped_and_recorded(client: Any, org_a: Any, case: Case) -> None:
    client.force_login(org_a["caseworker"])
    page = client.get(f"/cases/assessments/new/{case.person.public_id}/").content.decode()
    assert "Household and family" in page
    assert "Protective factor" in page
    client.post(
        f"/cases/assessments/new/{case.person.public_id}/",
        {
            "assessed_on": TODAY.isoformat(),
            "factors_individual_risk": ["no_documents", "distress"],
            "factors_community_risk": ["isolation"],
        },
    )
    assessment = VulnerabilityAssessment.objects.get()
    assert assessment.priority == "medium"
    assert {f.factor for f in assessment.factors.all()} == {"no_documents", "distress", "isolation"}


def test_bad_assessment_saves_nothing(client: Any, org_a: Any, case: Case) -> None:
    client.force_login(org_a["caseworker"])
    response = client.post(
        f"/cases/assessments/new/{case.person.public_id}/",
        {"assessed_on": "", "factors_individual_risk": ["not_a_factor"]},
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"assessed_on", "factors_individual_risk"}
    assert not VulnerabilityAssessment.objects.exists()


def test_a_stale_transition_is_refused(client: Any, org_a: Any, case: Case) -> None:
    client.force_login(org_a["caseworker"])
    stale = case.version
    services.case_transition(
        actor=org_a["caseworker"], case=case, to_status="assessment", expected_version=stale
    )
    response = client.post(
        f"/cases/{case.public_id}/status/", {"to_status": "case_plan", "version": stale}
    )
    assert response.status_code == 400
    assert "Someone else saved this record" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ASSESSMENT


def test_a_stale_assignment_is_refused(client: Any, org_a: Any, case: Case) -> None:
    other = UserFactory(organisation=org_a.org, roles=["caseworker"])
    client.force_login(org_a["supervisor"])
    response = client.post(
        f"/cases/{case.public_id}/assign/",
        {"caseworker": other.public_id, "version": case.version - 1 if case.version > 1 else 99},
    )
    assert response.status_code == 400
    assert "Someone else saved this record" in response.content.decode()
    case.refresh_from_db()
    assert case.caseworker == org_a["caseworker"]


def test_a_move_the_workflow_does_not_allow_is_refused(client: Any, org_a: Any, case: Case) -> None:
    client.force_login(org_a["caseworker"])
    response = client.post(
        f"/cases/{case.public_id}/status/", {"to_status": "implementation", "version": case.version}
    )
    assert response.status_code == 400
    assert "A case cannot move from “Open” to “Implementation”." in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.OPEN


def test_closure_needs_approval_then_works(client: Any, org_a: Any, case: Case) -> None:
    client.force_login(org_a["caseworker"])
    url = f"/cases/{case.public_id}/status/"
    response = client.post(
        url, {"to_status": "closed", "version": case.version, "closure_reason": "goals_met"}
    )
    assert response.status_code == 400
    assert "Closing a case needs a supervisor’s approval" in response.content.decode()
    # A closure request without its reason is refused, nothing saved.
    response = client.post(f"/cases/{case.public_id}/approval/", {"kind": "closure"})
    assert response.status_code == 400
    assert not CaseApproval.objects.exists()
    client.post(
        f"/cases/{case.public_id}/approval/",
        {"kind": "closure", "closure_reason": "moved_on", "comment": "Parti à Agadez"},
    )
    approval = CaseApproval.objects.get(status="pending")
    decide = f"/cases/{case.public_id}/approvals/{approval.public_id}/decide/"
    # The caseworker cannot decide; the supervisor sees it in their approvals.
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    client.force_login(org_a["supervisor"])
    assert case.person.case_code in client.get("/cases/approvals/").content.decode()
    assert "Record the decision" in client.get(f"/cases/{case.public_id}/").content.decode()
    response = client.post(decide, {"decision": "approve", "comment": "D'accord"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.closure_reason == "moved_on"


def test_a_rejection_needs_a_comment(client: Any, org_a: Any, case: Case) -> None:
    approval = services.case_request_approval(
        actor=org_a["caseworker"], case=case, kind="closure", closure_reason="declined"
    )
    client.force_login(org_a["supervisor"])
    decide = f"/cases/{case.public_id}/approvals/{approval.public_id}/decide/"
    response = client.post(decide, {"decision": "reject"})
    assert response.status_code == 400
    assert "Say why the request is rejected." in response.content.decode()
    approval.refresh_from_db()
    assert approval.status == "pending"
    client.post(decide, {"decision": "reject", "comment": "Pas encore"})
    approval.refresh_from_db()
    assert approval.status == "rejected"


def test_reopening_needs_a_reason(client: Any, org_a: Any, case: Case, settings: Any) -> None:
    settings.KARIYA_CASE_APPROVALS = []
    actor = org_a["caseworker"]
    services.case_transition(
        actor=actor,
        case=case,
        to_status="closed",
        expected_version=case.version,
        closure_reason="other",
    )
    client.force_login(actor)
    url = f"/cases/{case.public_id}/status/"
    response = client.post(url, {"to_status": "assessment", "version": case.version})
    assert response.status_code == 400
    assert "Say why the case is reopened." in response.content.decode()
    response = client.post(
        url, {"to_status": "assessment", "version": case.version, "reason": "Revenu"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ASSESSMENT
    assert "Revenu" in client.get(f"/cases/{case.public_id}/").content.decode()


def test_case_page_shows_its_parts(client: Any, org_a: Any, world: Any) -> None:
    case = world["case"]
    services.case_note_add(actor=org_a["caseworker"], case=case, body="Note chiffrée")
    client.force_login(org_a["caseworker"])
    page = client.get(f"/cases/{case.public_id}/").content.decode()
    for text in (
        "Note chiffrée",
        "Consultation au CSI",
        "Survivor of sexual and gender-based violence (SV).",
        "Move to “Assessment”",
        "request approval",
    ):
        assert text in page, text


def test_person_case_panel_renders_what_the_actor_may_see(org_a: Any, world: Any) -> None:
    person = world["person"]
    template = Template("{% load cases_tags %}{% person_case_panel person %}")

    def render(user: Any) -> str:
        request = RequestFactory().get("/")
        request.user = user
        return template.render(Context({"request": request, "person": person}))

    html = render(org_a["caseworker"])
    assert f"/cases/{world['case'].public_id}/" in html
    assert f"/cases/screenings/{world['screening'].public_id}/" in html
    assert f"/cases/assessments/{world['assessment'].public_id}/" in html
    assert f"/cases/screenings/new/{person.public_id}/" in html
    other = UserFactory(organisation=org_a.org, roles=["caseworker"])
    html = render(other)
    assert f"/cases/{world['case'].public_id}/" not in html
    assert "No case you can see." in html
    assert render(org_a["monitor"]).strip() == ""


def test_priority_and_status_orders_page_across_segments(org_a: Any) -> None:
    from django.core.paginator import Paginator

    from kariya.cases import selectors

    actor = org_a["caseworker"]
    made = []
    for rating in ["low", "high", "medium", "high", "low", "medium", "high"]:
        case = open_case(actor)
        Case.objects.filter(pk=case.pk).update(priority=rating)
        made.append(case.pk)
    rank = {"high": 0, "medium": 1, "low": 2}
    expected = sorted(
        Case.objects.filter(pk__in=made),
        key=lambda c: (rank[c.priority], -c.opened_at.timestamp(), -c.pk),
    )
    results = selectors.case_search(actor, sort="priority")
    paginator = Paginator(results, 3)
    assert paginator.count == 7
    seen = [c for n in paginator.page_range for c in paginator.page(n).object_list]
    assert [c.pk for c in seen] == [c.pk for c in expected]
    # Status order follows the workflow, not the alphabet.
    first = Case.objects.get(pk=made[0])
    services.case_transition(
        actor=actor, case=first, to_status="assessment", expected_version=first.version
    )
    by_status = list(selectors.case_search(actor, sort="status")[0:7])
    assert by_status[-1].pk == first.pk
    assert {c.status for c in by_status[:-1]} == {"open"}


def test_case_list_query_count_is_bounded_for_the_priority_order(client: Any, org_a: Any) -> None:
    actor = org_a["supervisor"]
    client.force_login(actor)
    for rating in ["low", "high"]:
        case = open_case(org_a["caseworker"])
        Case.objects.filter(pk=case.pk).update(priority=rating)
    few = _queries(client, "/cases/?sort=priority")
    for rating in ["low", "high", "low", "high"]:
        case = open_case(org_a["caseworker"])
        Case.objects.filter(pk=case.pk).update(priority=rating)
    assert _queries(client, "/cases/?sort=priority") == few


def test_a_supervisor_who_is_not_a_caseworker_must_choose_one(client: Any, org_a: Any) -> None:
    screening = screen(org_a["caseworker"])
    client.force_login(org_a["supervisor"])
    response = client.post(f"/cases/screenings/{screening.public_id}/open/", {"caseworker": ""})
    assert response.status_code == 400
    assert response.context["open_form"].errors["caseworker"]
    assert not Case.objects.exists()


def test_identity_filters_only_for_roles_that_see_identities(db: Any) -> None:
    from kariya.cases.forms import CaseSearchForm

    assert {"name", "phone", "document"} <= set(CaseSearchForm(identity=True).fields)
    assert not {"name", "phone", "document"} & set(CaseSearchForm(identity=False).fields)


def test_a_refused_closure_request_shows_its_form_open(client: Any, org_a: Any, case: Case) -> None:
    client.force_login(org_a["caseworker"])
    response = client.post(f"/cases/{case.public_id}/approval/", {"kind": "closure"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "<details open>" in page
    assert "Choose the reason for closing the case." in page


def test_a_refused_approval_request_keeps_the_comment_typed(
    client: Any, org_a: Any, case: Case
) -> None:
    client.force_login(org_a["caseworker"])
    response = client.post(
        f"/cases/{case.public_id}/approval/",
        {"kind": "closure", "comment": "Parti vers Agadez avec sa famille"},
    )
    assert response.status_code == 400
    assert not CaseApproval.objects.exists()
    assert "Parti vers Agadez avec sa famille</textarea>" in response.content.decode()


def test_a_note_added_with_htmx_swaps_the_notes_section(
    client: Any, org_a: Any, case: Case
) -> None:
    client.force_login(org_a["caseworker"])
    url = f"/cases/{case.public_id}/notes/"
    response = client.post(url, {"body": "Revu au centre"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<section class="card" id="notes"')
    assert "Revu au centre" in page
    assert CaseNote.objects.count() == 1
    # An empty note: the section comes back with the error (200, so htmx swaps it), nothing saved.
    response = client.post(url, {"body": " "}, HTTP_HX_REQUEST="true")
    assert "This field is required." in response.content.decode()
    assert CaseNote.objects.count() == 1
    # Other organisation: 404 as without htmx.
    client.force_login(org_b_user := UserFactory(roles=["caseworker"]))
    assert org_b_user.organisation_id != case.organisation_id
    assert client.post(url, {"body": "x"}, HTTP_HX_REQUEST="true").status_code == 404


def test_case_page_query_count_does_not_grow_with_its_parts(client: Any, org_a: Any) -> None:
    actor = org_a["caseworker"]
    case = open_case(actor)

    def add_parts() -> None:
        _overdue(case)
        services.case_note_add(actor=actor, case=case, body="Note")
        services.service_delivery_record(
            actor=actor,
            case=case,
            service_type=code("service_type", "health_care"),
            provider=org_a.org,
            delivered_on=TODAY,
            outcome="delivered",
        )

    add_parts()
    client.force_login(org_a["supervisor"])
    url = f"/cases/{case.public_id}/"
    few = _queries(client, url)
    for _ in range(3):
        add_parts()
    assert _queries(client, url) == few


def test_a_long_case_list_says_more_than_instead_of_counting_every_case(
    client: Any, org_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kariya.cases import views
    from kariya.core import paging

    monkeypatch.setattr(paging, "COUNT_FLOOR", 2)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    actor = org_a["caseworker"]
    for _i in range(7):
        open_case(actor)
    client.force_login(actor)
    first = client.get("/cases/").content.decode()
    assert "More than 4 cases" in first
    assert "Page 1 of more than 2" in first
    assert 'href="?page=2"' in first
    deep = client.get("/cases/?page=3").content.decode()
    assert "More than 8 cases" not in deep and "7 cases" in deep
    assert "Page 3 of 4" in deep
    for sort in ("priority", "status"):
        html = client.get(f"/cases/?sort={sort}").content.decode()
        assert "More than 4 cases" in html, sort


def test_case_list_marks_exactly_the_cases_with_something_overdue(client: Any, org_a: Any) -> None:
    actor = org_a["caseworker"]
    cases = {name: open_case(actor) for name in ("action", "visit", "future", "done", "none")}
    goal = services.case_plan_goal_add(actor=actor, case=cases["action"], description="But")
    services.case_plan_action_add(actor=actor, goal=goal, description="A", due_on=TODAY - DAY)
    services.follow_up_schedule(actor=actor, case=cases["visit"], due_on=TODAY - DAY)
    goal = services.case_plan_goal_add(actor=actor, case=cases["future"], description="But")
    services.case_plan_action_add(actor=actor, goal=goal, description="A", due_on=TODAY + DAY)
    services.follow_up_schedule(actor=actor, case=cases["future"], due_on=TODAY + DAY)
    goal = services.case_plan_goal_add(actor=actor, case=cases["done"], description="But")
    done = services.case_plan_action_add(
        actor=actor, goal=goal, description="A", due_on=TODAY - DAY
    )
    services.case_plan_action_complete(actor=actor, action=done)
    client.force_login(actor)
    rows = client.get("/cases/").context["rows"]
    marked = {r.public_id for r in rows if r.overdue}
    assert marked == {cases["action"].public_id, cases["visit"].public_id}
    assert len(rows) == 5
