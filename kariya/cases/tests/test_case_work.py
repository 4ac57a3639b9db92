"""Case plan, services delivered, follow-up visits, notes and the task list."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from kariya.accounts.factories import OrganisationFactory
from kariya.cases import selectors, services
from kariya.cases.factories import open_case
from kariya.cases.models import ActionStatus, Case, CaseNote, ServiceDelivery
from kariya.core.models import AuditEvent
from kariya.people.factories import code

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
NOTE = "Il dit avoir perdu son passeport à Assamaka"


def _raw(table: str, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - fixed names
        return repr(cursor.fetchall())


def test_notes_are_encrypted_at_rest_and_audited_without_their_text(case: Case) -> None:
    note = services.case_note_add(actor=case.caseworker, case=case, body=NOTE)
    assert "passeport" not in _raw("cases_casenote", "body")
    assert CaseNote.objects.get(pk=note.pk).body == NOTE
    event = AuditEvent.objects.get(object_id=str(note.public_id))
    assert event.changed_fields == ["body"]
    assert "passeport" not in repr(AuditEvent.objects.values_list())


def test_an_empty_note_is_refused(case: Case) -> None:
    with pytest.raises(ValidationError) as caught:
        services.case_note_add(actor=case.caseworker, case=case, body="  ")
    assert caught.value.message_dict == {"body": ["Write the note."]}


def test_plan_goals_and_actions_are_encrypted_and_completed(case: Case) -> None:
    actor = case.caseworker
    goal = services.case_plan_goal_add(actor=actor, case=case, description="Soins de la blessure")
    action = services.case_plan_action_add(
        actor=actor,
        goal=goal,
        description="Consultation au CSI de Dagmanet",
        due_on=TODAY + DAY,
        service_type=code("service_type", "health_care"),
    )
    assert "blessure" not in _raw("cases_caseplangoal", "description")
    assert "Dagmanet" not in _raw("cases_caseplanaction", "description")
    services.case_plan_action_complete(actor=actor, action=action)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.completed_on == TODAY
    with pytest.raises(ValidationError, match="no longer to do"):
        services.case_plan_action_complete(actor=actor, action=action)


def test_an_action_needs_a_description_and_a_due_date(case: Case) -> None:
    goal = services.case_plan_goal_add(actor=case.caseworker, case=case, description="But")
    with pytest.raises(ValidationError) as caught:
        services.case_plan_action_add(
            actor=case.caseworker, goal=goal, description="", due_on=TODAY
        )
    assert caught.value.message_dict == {"description": ["Describe the action."]}


def test_a_service_delivered_by_another_member_organisation(org_a: Any, case: Case) -> None:
    partner = OrganisationFactory()
    delivery = services.service_delivery_record(
        actor=case.caseworker,
        case=case,
        service_type=code("service_type", "food"),
        provider=partner,
        delivered_on=TODAY,
        outcome="delivered",
        quantity=Decimal("3"),
        unit="meal",
        note="Repas au centre de transit",
    )
    assert delivery.provider == partner
    assert "transit" not in _raw("cases_servicedelivery", "note")
    event = AuditEvent.objects.get(object_id=str(delivery.public_id))
    assert set(event.changed_fields) == {
        "service_type",
        "provider",
        "delivered_on",
        "outcome",
        "quantity",
        "unit",
        "note",
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"quantity": Decimal("0"), "unit": "meal"}, "quantity"),
        ({"quantity": Decimal("5"), "unit": ""}, "unit"),
        ({"unit": "kit"}, "quantity"),
        ({"outcome": "maybe"}, "outcome"),
        ({"delivered_on": TODAY + DAY}, "delivered_on"),
        ({"service_type": "specific_need:SV"}, "service_type"),
    ],
)
def test_service_delivery_refuses_bad_input(
    org_a: Any, case: Case, overrides: dict[str, Any], field: str
) -> None:
    values: dict[str, Any] = {
        "actor": case.caseworker,
        "case": case,
        "service_type": code("service_type", "food"),
        "provider": org_a.org,
        "delivered_on": TODAY,
        "outcome": "delivered",
    }
    if overrides.get("service_type") == "specific_need:SV":
        overrides = {"service_type": code("specific_need", "SV")}
    values.update(overrides)
    with pytest.raises(ValidationError) as caught:
        services.service_delivery_record(**values)
    assert field in caught.value.message_dict
    assert not ServiceDelivery.objects.exists()


def test_an_inactive_provider_is_refused(case: Case) -> None:
    gone = OrganisationFactory(is_active=False)
    with pytest.raises(ValidationError) as caught:
        services.service_delivery_record(
            actor=case.caseworker,
            case=case,
            service_type=code("service_type", "food"),
            provider=gone,
            delivered_on=TODAY,
            outcome="delivered",
        )
    assert "provider" in caught.value.message_dict


def test_follow_up_visit_fulfils_the_planned_one_and_plans_the_next(case: Case) -> None:
    actor = case.caseworker
    planned = services.follow_up_schedule(actor=actor, case=case, due_on=TODAY - DAY)
    visit = services.follow_up_record(
        actor=actor,
        case=case,
        visit=planned,
        visited_on=TODAY,
        method="phone",
        note="Va mieux, cherche du travail",
        next_due_on=TODAY + 14 * DAY,
    )
    assert visit.pk == planned.pk
    assert visit.visited_on == TODAY
    assert "travail" not in _raw("cases_followupvisit", "note")
    pending = case.follow_ups.filter(visited_on__isnull=True).get()
    assert pending.due_on == TODAY + 14 * DAY
    with pytest.raises(ValidationError) as caught:
        services.follow_up_record(
            actor=actor, case=case, visit=planned, visited_on=TODAY, method="phone"
        )
    assert "visit" in caught.value.message_dict


def test_the_next_visit_comes_after_this_one(case: Case) -> None:
    with pytest.raises(ValidationError) as caught:
        services.follow_up_record(
            actor=case.caseworker,
            case=case,
            visited_on=TODAY,
            method="home",
            next_due_on=TODAY,
        )
    assert "next_due_on" in caught.value.message_dict


def test_other_organisation_cannot_write_to_the_case(org_b: Any, case: Case) -> None:
    for role in ("caseworker", "supervisor"):
        with pytest.raises(PermissionDenied):
            services.case_note_add(actor=org_b[role], case=case, body="Intrusion")
        with pytest.raises(PermissionDenied):
            services.case_plan_goal_add(actor=org_b[role], case=case, description="Intrusion")
    assert not CaseNote.objects.exists()


def test_task_list_shows_due_and_overdue_work_of_ones_own_active_cases(org_a: Any) -> None:
    actor = org_a["caseworker"]
    case = open_case(actor)
    goal = services.case_plan_goal_add(actor=actor, case=case, description="But")

    def action(due: datetime.date) -> Any:
        return services.case_plan_action_add(
            actor=actor, goal=goal, description="Action", due_on=due
        )

    late, soon, later = action(TODAY - 3 * DAY), action(TODAY + 2 * DAY), action(TODAY + 30 * DAY)
    done = action(TODAY - 5 * DAY)
    services.case_plan_action_complete(actor=actor, action=done)
    visit_late = services.follow_up_schedule(actor=actor, case=case, due_on=TODAY - DAY)
    visit_today = services.follow_up_schedule(actor=actor, case=case, due_on=TODAY)
    # Someone else's case is not on this list.
    other_case = open_case(org_a["supervisor"], caseworker=actor)
    services.case_assign(
        actor=org_a["supervisor"],
        case=other_case,
        caseworker=_second_caseworker(org_a),
        expected_version=other_case.version,
    )
    services.follow_up_schedule(actor=other_case.caseworker, case=other_case, due_on=TODAY - DAY)

    tasks = selectors.tasks_for(actor)
    assert tasks.overdue_actions == [late]
    assert tasks.due_actions == [soon]
    assert later not in tasks.due_actions
    assert tasks.overdue_follow_ups == [visit_late]
    assert tasks.due_follow_ups == [visit_today]
    assert tasks.overdue_count == 2
    assert selectors.tasks_for(org_a["monitor"]).overdue_count == 0


def _second_caseworker(org_a: Any) -> Any:
    from kariya.accounts.factories import UserFactory

    return UserFactory(organisation=org_a.org, roles=["caseworker"])
