"""The cases API: every endpoint four ways, token authentication, the GBV restriction and its
audited reads, constant query counts, field-level errors with nothing saved, optimistic locking
and the workflow rules."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from kariya.accounts.factories import UserFactory
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
from kariya.cases.workflow import ApprovalKind, Status
from kariya.core.models import AuditAction, AuditEvent
from kariya.people.factories import code, office_of, register

YESTERDAY = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
NEXT_WEEK = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
NARRATIVE = "Agressée au point de passage par un transporteur."
V1 = "/api/v1/"


def call(client: Client, method: str, url: str, body: Any = None, **extra: Any) -> Any:
    if body is None:
        return getattr(client, method)(url, **extra)
    return getattr(client, method)(
        url, data=json.dumps(body), content_type="application/json", **extra
    )


@dataclass
class World:
    case: Case
    free_screening: Screening  # outcome "case opened", no case yet
    assessment: VulnerabilityAssessment
    goal: CasePlanGoal
    action: CasePlanAction
    visit: FollowUpVisit
    section: GBVSection
    approval: CaseApproval  # pending, on another case in "case plan"
    colleague: Any  # another caseworker of organisation A
    org_id: str
    office_id: str


def _plan(case: Case) -> tuple[CasePlanGoal, CasePlanAction]:
    goal = services.case_plan_goal_add(
        actor=case.caseworker, case=case, description="Obtenir un acte de naissance"
    )
    action = services.case_plan_action_add(
        actor=case.caseworker,
        goal=goal,
        description="Accompagner au centre d’état civil",
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    return goal, action


def _to(case: Case, status: str) -> Case:
    case.refresh_from_db()
    return services.case_transition(
        actor=case.caseworker, case=case, to_status=status, expected_version=case.version
    )


@pytest.fixture
def world(org_a: Any, org_b: Any) -> World:
    caseworker = org_a["caseworker"]
    case = open_case(caseworker)
    assessment = services.assessment_record(
        actor=caseworker,
        person=case.person,
        case=case,
        assessed_on=timezone.localdate(),
        specific_needs=[code("specific_need", "SV")],
    )
    goal, action = _plan(case)
    visit = services.follow_up_schedule(
        actor=caseworker, case=case, due_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    services.case_note_add(actor=caseworker, case=case, body="Première visite au centre.")
    section = services.gbv_section_save(
        actor=org_a["supervisor"],
        case=case,
        incident_type=GBVType.SEXUAL_ASSAULT,
        narrative=NARRATIVE,
    )
    other = open_case(caseworker)
    _to(other, Status.ASSESSMENT)
    _to(other, Status.CASE_PLAN)
    _plan(other)
    approval = services.case_request_approval(
        actor=caseworker, case=other, kind=ApprovalKind.CASE_PLAN
    )
    case.refresh_from_db()
    return World(
        case=case,
        free_screening=screen(caseworker),
        assessment=assessment,
        goal=goal,
        action=action,
        visit=visit,
        section=section,
        approval=approval,
        colleague=UserFactory(organisation=org_a.org, roles=["caseworker"]),
        org_id=str(org_a.org.public_id),
        office_id=str(office_of(caseworker).public_id),
    )


# --- four ways ----------------------------------------------------------------------------


@dataclass
class Endpoint:
    method: str
    path: Callable[[World], str]
    body: Callable[[World], Any] | None
    right: str
    wrong: str
    ok: int
    foreign_field: str = ""  # a create: the other organisation gets 400 on this field


C = V1 + "cases/{}/"


def _c(w: World, suffix: str = "") -> str:
    return C.format(w.case.public_id) + suffix


ENDPOINTS: dict[str, Endpoint] = {
    "screening_create": Endpoint(
        "post",
        lambda w: V1 + "screenings/",
        lambda w: {
            "person": str(w.case.person.public_id),
            "office": w.office_id,
            "screened_on": YESTERDAY,
            "intervention_rating": "low",
            "outcome": "information",
        },
        "caseworker",
        "gbv_focal_point",
        201,
        "office",
    ),
    "screening_retrieve": Endpoint(
        "get",
        lambda w: V1 + f"screenings/{w.case.opened_from.public_id}/",
        None,
        "caseworker",
        "monitor",
        200,
    ),
    "assessment_create": Endpoint(
        "post",
        lambda w: V1 + "assessments/",
        lambda w: {
            "person": str(w.case.person.public_id),
            "assessed_on": YESTERDAY,
            "factors": ["no_documents"],
        },
        "caseworker",
        "gbv_focal_point",
        201,
        "person",
    ),
    "assessment_retrieve": Endpoint(
        "get",
        lambda w: V1 + f"assessments/{w.assessment.public_id}/",
        None,
        "supervisor",
        "monitor",
        200,
    ),
    "case_retrieve": Endpoint("get", lambda w: _c(w), None, "caseworker", "gbv_focal_point", 200),
    "case_open": Endpoint(
        "post",
        lambda w: V1 + "cases/",
        lambda w: {"screening": str(w.free_screening.public_id)},
        "caseworker",
        "monitor",
        201,
        "screening",
    ),
    "transition": Endpoint(
        "post",
        lambda w: _c(w, "transition/"),
        lambda w: {"to_status": "assessment", "version": w.case.version},
        "caseworker",
        "gbv_focal_point",
        200,
    ),
    "assign": Endpoint(
        "post",
        lambda w: _c(w, "assign/"),
        lambda w: {"caseworker": str(w.colleague.public_id), "version": w.case.version},
        "supervisor",
        "caseworker",
        200,
    ),
    "request_approval": Endpoint(
        "post",
        lambda w: _c(w, "request-approval/"),
        lambda w: {"kind": "closure", "closure_reason": "goals_met"},
        "caseworker",
        "monitor",
        201,
    ),
    "history": Endpoint(
        "get", lambda w: _c(w, "history/"), None, "supervisor", "gbv_focal_point", 200
    ),
    "goals": Endpoint("get", lambda w: _c(w, "goals/"), None, "caseworker", "monitor", 200),
    "goal_add": Endpoint(
        "post",
        lambda w: _c(w, "goals/"),
        lambda w: {"description": "Soins psychosociaux"},
        "caseworker",
        "gbv_focal_point",
        201,
    ),
    "action_add": Endpoint(
        "post",
        lambda w: _c(w, f"goals/{w.goal.public_id}/actions/"),
        lambda w: {
            "description": "Rendez-vous",
            "due_on": NEXT_WEEK,
            "service_type": "health_care",
        },
        "caseworker",
        "monitor",
        201,
    ),
    "action_complete": Endpoint(
        "post",
        lambda w: _c(w, f"actions/{w.action.public_id}/complete/"),
        lambda w: {},
        "caseworker",
        "gbv_focal_point",
        200,
    ),
    "deliveries": Endpoint(
        "get", lambda w: _c(w, "deliveries/"), None, "supervisor", "monitor", 200
    ),
    "delivery_add": Endpoint(
        "post",
        lambda w: _c(w, "deliveries/"),
        lambda w: {
            "service_type": "health_care",
            "provider": w.org_id,
            "delivered_on": YESTERDAY,
            "outcome": "delivered",
            "quantity": "2",
            "unit": "session",
        },
        "caseworker",
        "gbv_focal_point",
        201,
    ),
    "follow_ups": Endpoint(
        "get", lambda w: _c(w, "follow-ups/"), None, "caseworker", "monitor", 200
    ),
    "follow_up_schedule": Endpoint(
        "post",
        lambda w: _c(w, "follow-ups/"),
        lambda w: {"due_on": NEXT_WEEK, "method": "phone"},
        "caseworker",
        "gbv_focal_point",
        201,
    ),
    "follow_up_record": Endpoint(
        "post",
        lambda w: _c(w, "follow-ups/record/"),
        lambda w: {
            "visited_on": YESTERDAY,
            "method": "home",
            "visit": str(w.visit.public_id),
            "next_due_on": NEXT_WEEK,
        },
        "caseworker",
        "monitor",
        201,
    ),
    "notes": Endpoint("get", lambda w: _c(w, "notes/"), None, "caseworker", "gbv_focal_point", 200),
    "note_add": Endpoint(
        "post",
        lambda w: _c(w, "notes/"),
        lambda w: {"body": "Appel de suivi."},
        "supervisor",
        "monitor",
        201,
    ),
    "gbv": Endpoint("get", lambda w: _c(w, "gbv/"), None, "gbv_focal_point", "caseworker", 200),
    "gbv_save": Endpoint(
        "put",
        lambda w: _c(w, "gbv/"),
        lambda w: {"incident_type": "rape", "narrative": NARRATIVE, "version": w.section.version},
        "supervisor",
        "caseworker",
        200,
    ),
    "approve": Endpoint(
        "post",
        lambda w: V1 + f"approvals/{w.approval.public_id}/approve/",
        lambda w: {"comment": "Plan validé."},
        "supervisor",
        "caseworker",
        200,
    ),
    "reject": Endpoint(
        "post",
        lambda w: V1 + f"approvals/{w.approval.public_id}/reject/",
        lambda w: {"comment": "Préciser les échéances."},
        "supervisor",
        "gbv_focal_point",
        200,
    ),
}


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_every_endpoint_four_ways(
    client: Client, org_a: Any, org_b: Any, world: World, name: str
) -> None:
    endpoint = ENDPOINTS[name]
    url, body = endpoint.path(world), endpoint.body(world) if endpoint.body else None
    writes = AuditEvent.objects.filter(
        action__in=[AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE]
    )
    before = writes.count()

    assert call(client, endpoint.method, url, body).status_code in (401, 403), "anonymous"
    client.force_login(org_a[endpoint.wrong])
    assert call(client, endpoint.method, url, body).status_code == 404, "wrong role"
    client.force_login(org_b[endpoint.right])
    response = call(client, endpoint.method, url, body)
    if endpoint.foreign_field:
        assert response.status_code == 400, "other organisation"
        assert endpoint.foreign_field in response.json()
    else:
        assert response.status_code == 404, "other organisation"
    assert writes.count() == before, "nothing written"

    client.force_login(org_a[endpoint.right])
    response = call(client, endpoint.method, url, body)
    assert response.status_code == endpoint.ok, response.content


@pytest.mark.parametrize(
    ("path", "right"), [("cases/", "caseworker"), ("approvals/", "supervisor")]
)
def test_lists_four_ways(
    client: Client, org_a: Any, org_b: Any, world: World, path: str, right: str
) -> None:
    url = V1 + path
    assert client.get(url).status_code in (401, 403)
    client.force_login(org_a["gbv_focal_point"])
    assert client.get(url).status_code == 404
    client.force_login(org_b[right])
    assert client.get(url).json()["count"] == 0
    client.force_login(org_a[right])
    assert client.get(url).json()["count"] >= 1


def test_a_caseworker_sees_only_own_cases(client: Client, org_a: Any, world: World) -> None:
    client.force_login(world.colleague)
    assert client.get(V1 + "cases/").json()["count"] == 0
    assert client.get(_c(world)).status_code == 404
    client.force_login(org_a["supervisor"])
    assert client.get(V1 + "cases/").json()["count"] == 2


def test_token_authentication(client: Client, org_a: Any, world: World) -> None:
    token = Token.objects.create(user=org_a["caseworker"])
    response = client.get(V1 + "cases/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert str(world.case.public_id) in {row["id"] for row in response.json()["results"]}
    note = call(
        client, "post", _c(world, "notes/"), {"body": "Par jeton."},
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )  # fmt: skip
    assert note.status_code == 201
    focal = Token.objects.create(user=org_a["gbv_focal_point"])
    gbv = client.get(_c(world, "gbv/"), HTTP_AUTHORIZATION=f"Token {focal.key}")
    assert gbv.status_code == 200
    assert client.get(_c(world, "gbv/"), HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 404


# --- GBV ----------------------------------------------------------------------------------


def test_gbv_reads_are_audited(client: Client, org_a: Any, world: World) -> None:
    reads = AuditEvent.objects.filter(
        action=AuditAction.READ, object_id=str(world.section.public_id)
    )
    for role in ("gbv_focal_point", "supervisor"):
        client.force_login(org_a[role])
        before = reads.count()
        response = client.get(_c(world, "gbv/"))
        assert response.status_code == 200
        assert response.json()["narrative"] == NARRATIVE
        assert reads.count() == before + 1
        assert reads.latest("id").actor == org_a[role]


def test_gbv_never_appears_in_other_endpoints(client: Client, org_a: Any, world: World) -> None:
    client.force_login(org_a["supervisor"])  # who may read it, through its endpoint only
    for suffix in ("", "history/", "goals/", "deliveries/", "follow-ups/", "notes/"):
        text = client.get(_c(world, suffix)).content.decode()
        assert "Agress" not in text and "sexual_assault" not in text and "gbv" not in text
    listed = client.get(V1 + "cases/").content.decode()
    assert "Agress" not in listed and "sexual_assault" not in listed
    schema_fields = client.get(V1 + "approvals/").content.decode()
    assert "narrative" not in schema_fields


def test_gbv_section_create_and_stale_edit(client: Client, org_a: Any, world: World) -> None:
    fresh = open_case(org_a["caseworker"])
    client.force_login(org_a["gbv_focal_point"])
    url = C.format(fresh.public_id) + "gbv/"
    assert client.get(url).status_code == 404  # no section yet
    created = call(client, "put", url, {"incident_type": "physical_assault"})
    assert created.status_code == 201
    version = created.json()["version"]
    assert call(client, "put", url, {"incident_type": "rape"}).status_code == 400  # no version
    edited = call(client, "put", url, {"incident_type": "rape", "version": version})
    assert edited.status_code == 200
    stale = call(client, "put", url, {"incident_type": "non_gbv", "version": version})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    assert GBVSection.objects.get(case=fresh).incident_type == "rape"
    bad = call(client, "put", url, {"incident_type": "other", "version": version + 1})
    assert bad.status_code == 400 and "incident_type" in bad.json()


# --- reads --------------------------------------------------------------------------------


def test_assessment_shows_priority_and_reasons(client: Client, org_a: Any, world: World) -> None:
    client.force_login(org_a["caseworker"])
    body = client.get(V1 + f"assessments/{world.assessment.public_id}/").json()
    assert body["priority"] == "high"
    assert body["priority_rules"] == ["sexual_violence"]
    assert body["specific_needs"] == ["SV"]
    assert any("violence" in reason.lower() for reason in body["reasons"])
    assert client.get(_c(world)).json()["priority"] == "high"


def test_assessment_create_computes_priority(client: Client, org_a: Any, world: World) -> None:
    client.force_login(org_a["caseworker"])
    response = call(
        client,
        "post",
        V1 + "assessments/",
        {
            "person": str(world.case.person.public_id),
            "case": str(world.case.public_id),
            "assessed_on": YESTERDAY,
            "immediate_danger": True,
        },
    )
    assert response.status_code == 201
    assert response.json()["priority"] == "high"
    assert response.json()["case"] == str(world.case.public_id)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "suffix", ["LIST", "APPROVALS", "goals/", "notes/", "deliveries/", "follow-ups/", "history/"]
)
def _more_rows(world: World, org_a: Any, i: int) -> None:
    caseworker = org_a["caseworker"]
    extra = open_case(caseworker)
    _to(extra, Status.ASSESSMENT)
    services.case_request_approval(
        actor=caseworker, case=extra, kind=ApprovalKind.CLOSURE, closure_reason="moved_on"
    )
    _plan(world.case)
    services.case_note_add(actor=caseworker, case=world.case, body=f"Note {i}")
    services.service_delivery_record(
        actor=caseworker,
        case=world.case,
        service_type=code("service_type", "health_care"),
        provider=org_a.org,
        delivered_on=timezone.localdate(),
        outcome="delivered",
    )
    services.follow_up_record(
        actor=caseworker, case=world.case, visited_on=timezone.localdate(), method="phone"
    )
    world.case.refresh_from_db()
    following = {Status.OPEN: Status.ASSESSMENT, Status.ASSESSMENT: Status.CASE_PLAN}
    _to(world.case, following.get(world.case.status, Status.ASSESSMENT))


@pytest.mark.parametrize(
    "suffix", ["LIST", "APPROVALS", "goals/", "notes/", "deliveries/", "follow-ups/", "history/"]
)
def test_list_queries_do_not_grow_with_rows(
    client: Client, org_a: Any, world: World, suffix: str
) -> None:
    client.force_login(org_a["supervisor"])
    url = {"LIST": V1 + "cases/", "APPROVALS": V1 + "approvals/"}.get(suffix, _c(world, suffix))
    _more_rows(world, org_a, 0)
    one = _queries(client, url)
    for i in range(1, 4):
        _more_rows(world, org_a, i)
    assert _queries(client, url) == one


def test_case_list_filters(client: Client, org_a: Any, world: World) -> None:
    client.force_login(org_a["supervisor"])
    ids = lambda **q: [r["id"] for r in client.get(V1 + "cases/", q).json()["results"]]  # noqa: E731
    assert ids(status="open") == [str(world.case.public_id)]
    assert ids(priority="high") == [str(world.case.public_id)]
    assert ids(status="closed") == []
    assert len(ids(caseworker=str(org_a["caseworker"].public_id))) == 2
    assert ids(caseworker=str(world.colleague.public_id)) == []
    bad = client.get(V1 + "cases/", {"status": "lost", "caseworker": "nobody"})
    assert bad.status_code == 400
    assert {"status", "caseworker"} <= set(bad.json())


# --- writes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "body", "field", "model"),
    [
        ("notes/", {"body": "   "}, "body", CaseNote),
        ("notes/", {}, "body", CaseNote),
        ("goals/", {"description": ""}, "description", CasePlanGoal),
        (
            "deliveries/",
            {
                "service_type": "health_care",
                "provider": "x",
                "delivered_on": YESTERDAY,
                "outcome": "delivered",
            },
            "provider",
            ServiceDelivery,
        ),
        (
            "deliveries/",
            {
                "service_type": "health_care",
                "provider": "ORG",
                "delivered_on": YESTERDAY,
                "outcome": "delivered",
                "quantity": "0",
                "unit": "kit",
            },
            "quantity",
            ServiceDelivery,
        ),
        (
            "deliveries/",
            {
                "service_type": "health_care",
                "provider": "ORG",
                "delivered_on": NEXT_WEEK,
                "outcome": "delivered",
            },
            "delivered_on",
            ServiceDelivery,
        ),
        ("follow-ups/", {"due_on": "demain"}, "due_on", FollowUpVisit),
        (
            "follow-ups/record/",
            {"visited_on": YESTERDAY, "method": "home", "next_due_on": YESTERDAY},
            "next_due_on",
            FollowUpVisit,
        ),
        (
            "follow-ups/record/",
            {
                "visited_on": YESTERDAY,
                "method": "home",
                "visit": "00000000-0000-0000-0000-000000000000",
            },
            "visit",
            FollowUpVisit,
        ),
        (
            "transition/",
            {"to_status": "closed", "closure_reason": "nope", "version": 1},
            "closure_reason",
            Case,
        ),
        ("request-approval/", {"kind": "closure"}, "closure_reason", CaseApproval),
    ],
)
def test_invalid_payloads_get_field_errors_and_save_nothing(
    client: Client,
    org_a: Any,
    world: World,
    suffix: str,
    body: dict[str, Any],
    field: str,
    model: Any,
) -> None:
    if body.get("provider") == "ORG":
        body = {**body, "provider": world.org_id}
    client.force_login(org_a["caseworker"])
    before = model.objects.count()
    audit_before = AuditEvent.objects.count()
    response = call(client, "post", _c(world, suffix), body)
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert model.objects.count() == before
    assert AuditEvent.objects.count() == audit_before


def test_screening_needs_consent_or_basis(client: Client, org_a: Any, world: World) -> None:
    person = register(
        org_a["caseworker"],
        consents=[],
        legal_basis="vital_interest",
        legal_basis_reason="Blessé, inconscient à l’arrivée au centre.",
    )
    client.force_login(org_a["caseworker"])
    body = {
        "person": str(person.public_id),
        "office": world.office_id,
        "screened_on": YESTERDAY,
        "intervention_rating": "high",
        "outcome": "case_opened",
        "specific_needs": ["SM-CC"],
        "immediate_needs": ["emergency_medical"],
    }
    response = call(client, "post", V1 + "screenings/", body)
    assert response.status_code == 201  # a legal basis is enough
    assert response.json()["specific_needs"] == ["SM-CC"]
    assert response.json()["immediate_needs"] == ["emergency_medical"]
    bad = call(client, "post", V1 + "screenings/", {**body, "outcome": "maybe"})
    assert bad.status_code == 400 and "outcome" in bad.json()
    assert Screening.objects.filter(person=person).count() == 1


def test_stale_transition_is_a_409_and_changes_nothing(
    client: Client, org_a: Any, world: World
) -> None:
    client.force_login(org_a["caseworker"])
    version = world.case.version
    url = _c(world, "transition/")
    moved = call(client, "post", url, {"to_status": "assessment", "version": version})
    assert moved.status_code == 200 and moved.json()["status"] == "assessment"
    stale = call(client, "post", url, {"to_status": "case_plan", "version": version})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale"
    world.case.refresh_from_db()
    assert world.case.status == Status.ASSESSMENT


@pytest.mark.parametrize(
    ("to_status", "extra", "message"),
    [
        ("implementation", {}, "ne peut pas passer"),
        ("follow_up", {}, "ne peut pas passer"),
        ("closed", {"closure_reason": "goals_met"}, "approbation"),
    ],
)
def test_a_transition_not_allowed_is_refused(
    client: Client, org_a: Any, world: World, to_status: str, extra: dict[str, str], message: str
) -> None:
    client.force_login(org_a["caseworker"])
    body = {"to_status": to_status, "version": world.case.version, **extra}
    response = call(client, "post", _c(world, "transition/"), body)
    assert response.status_code == 400
    assert message in json.dumps(response.json(), ensure_ascii=False)
    world.case.refresh_from_db()
    assert world.case.status == Status.OPEN


def test_the_approval_workflow_through_the_api(client: Client, org_a: Any, world: World) -> None:
    client.force_login(org_a["caseworker"])
    url = _c(world, "transition/")
    for target in ("assessment", "case_plan"):
        version = client.get(_c(world)).json()["version"]
        assert (
            call(client, "post", url, {"to_status": target, "version": version}).status_code == 200
        )
    requested = call(client, "post", _c(world, "request-approval/"), {"kind": "case_plan"})
    assert requested.status_code == 201
    approval_id = requested.json()["id"]
    # the caseworker cannot decide, even knowing the id
    assert call(client, "post", V1 + f"approvals/{approval_id}/approve/", {}).status_code == 404
    client.force_login(org_a["supervisor"])
    pending = [a["id"] for a in client.get(V1 + "approvals/").json()["results"]]
    assert approval_id in pending
    assert call(client, "post", V1 + f"approvals/{approval_id}/reject/", {}).status_code == 400
    approved = call(client, "post", V1 + f"approvals/{approval_id}/approve/", {})
    assert approved.status_code == 200
    assert approved.json()["status"] == "implementation"
    assert approval_id not in [a["id"] for a in client.get(V1 + "approvals/").json()["results"]]


@override_settings(KARIYA_CASE_APPROVALS=[])
def test_reopening_needs_a_reason(client: Client, org_a: Any, world: World) -> None:
    client.force_login(org_a["caseworker"])
    url = _c(world, "transition/")
    closing = {"to_status": "closed", "closure_reason": "moved_on", "version": world.case.version}
    closed = call(client, "post", url, closing)
    assert closed.status_code == 200 and closed.json()["closure_reason"] == "moved_on"
    version = closed.json()["version"]
    goal = call(client, "post", _c(world, "goals/"), {"description": "Trop tard"})
    assert goal.status_code == 400  # a closed case takes no new plan
    refused = call(client, "post", url, {"to_status": "assessment", "version": version})
    assert refused.status_code == 400 and "reason" in refused.json()
    reopened = call(
        client,
        "post",
        url,
        {"to_status": "assessment", "version": version, "reason": "Revenu au centre."},
    )
    assert reopened.status_code == 200 and reopened.json()["status"] == "assessment"


def test_assign_moves_the_case_to_the_colleague(client: Client, org_a: Any, world: World) -> None:
    client.force_login(org_a["supervisor"])
    body = {"caseworker": str(world.colleague.public_id), "version": world.case.version}
    response = call(client, "post", _c(world, "assign/"), body)
    assert response.status_code == 200
    assert response.json()["caseworker"]["id"] == str(world.colleague.public_id)
    assert call(client, "post", _c(world, "assign/"), body).status_code == 200  # no change
    not_a_caseworker = {"caseworker": str(org_a["monitor"].public_id), "version": 99}
    bad = call(client, "post", _c(world, "assign/"), not_a_caseworker)
    assert bad.status_code == 400 and "caseworker" in bad.json()
    client.force_login(org_a["caseworker"])
    assert client.get(_c(world)).status_code == 404  # no longer theirs


def test_case_open_from_a_screening(client: Client, org_a: Any, world: World) -> None:
    client.force_login(org_a["caseworker"])
    body = {"screening": str(world.free_screening.public_id)}
    opened = call(client, "post", V1 + "cases/", body)
    assert opened.status_code == 201
    assert opened.json()["status"] == "open"
    assert opened.json()["case_code"] == world.free_screening.person.case_code
    again = call(client, "post", V1 + "cases/", body)
    assert again.status_code == 400
    assert Case.objects.filter(opened_from=world.free_screening).count() == 1


def test_plan_action_completion(client: Client, org_a: Any, world: World) -> None:
    client.force_login(org_a["caseworker"])
    url = _c(world, f"actions/{world.action.public_id}/complete/")
    done = call(client, "post", url, {"completed_on": YESTERDAY})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert call(client, "post", url, {}).status_code == 400  # no longer to do
    goals = client.get(_c(world, "goals/")).json()["results"]
    assert goals[0]["actions"][0]["completed_on"] == YESTERDAY
    other = open_case(org_a["caseworker"])
    wrong_case = C.format(other.public_id) + f"actions/{world.action.public_id}/complete/"
    assert call(client, "post", wrong_case, {}).status_code == 404
