"""The case pages' forms can be used by touch and by a screen reader: one id per element (the
case page holds about ten forms, several with a "Service type", "Note" or "Due date" field), every
label and help text tied to its field, every group of boxes named by a legend."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from kariya.cases import services
from kariya.cases.factories import open_case
from kariya.cases.models import Case
from kariya.cases.workflow import ApprovalKind, Status
from tests.htmlcheck import form_problems

TODAY = timezone.localdate()


@pytest.fixture
def planned_case(org_a: Any) -> Case:
    """A case at the case plan, with a goal and an action: every form of the page shows."""
    actor = org_a["caseworker"]
    case = open_case(actor)
    for status in (Status.ASSESSMENT, Status.CASE_PLAN):
        case = services.case_transition(
            actor=actor, case=case, to_status=status, expected_version=case.version
        )
    goal = services.case_plan_goal_add(actor=actor, case=case, description="Logement")
    services.case_plan_action_add(
        actor=actor, goal=goal, description="Orienter", due_on=TODAY + datetime.timedelta(days=3)
    )
    services.follow_up_schedule(actor=actor, case=case, due_on=TODAY + datetime.timedelta(days=5))
    case.refresh_from_db()
    return case


def test_the_case_page_of_the_caseworker_has_one_id_per_field(
    client: Any, org_a: Any, planned_case: Case
) -> None:
    client.force_login(org_a["caseworker"])
    html = client.get(f"/cases/{planned_case.public_id}/").content.decode()
    # The two forms that ask for a service type each tie their label to their own field.
    assert 'for="action-service_type"' in html
    assert 'for="delivery-service_type"' in html
    assert form_problems(html) == []


def test_the_case_page_of_the_supervisor_deciding_has_one_id_per_field(
    client: Any, org_a: Any, planned_case: Case
) -> None:
    services.case_request_approval(
        actor=org_a["caseworker"], case=planned_case, kind=ApprovalKind.CASE_PLAN
    )
    client.force_login(org_a["supervisor"])
    html = client.get(f"/cases/{planned_case.public_id}/").content.decode()
    assert "decision-comment" in html  # the decision form is there
    assert form_problems(html) == []


def test_a_refused_form_keeps_its_own_ids(client: Any, org_a: Any, planned_case: Case) -> None:
    """The page shown again with a form's errors: the error is tied to that form's field."""
    client.force_login(org_a["caseworker"])
    response = client.post(
        f"/cases/{planned_case.public_id}/services/", {"provider": "", "outcome": "delivered"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="delivery-service_type_error"' in html
    assert form_problems(html) == []


@pytest.mark.parametrize("page", ["screening", "assessment", "screening_detail"])
def test_screening_and_assessment_forms_are_labelled(
    client: Any, org_a: Any, planned_case: Case, page: str
) -> None:
    client.force_login(org_a["caseworker"])
    person = planned_case.person.public_id
    url = {
        "screening": f"/cases/screenings/new/{person}/",
        "assessment": f"/cases/assessments/new/{person}/",
        "screening_detail": f"/cases/screenings/{planned_case.opened_from.public_id}/",
    }[page]
    response = client.get(url)
    assert response.status_code == 200
    assert form_problems(response.content.decode()) == []
