"""The status workflow, approvals, reopening and optimistic locking."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from kariya.accounts.factories import UserFactory
from kariya.cases import services, workflow
from kariya.cases.factories import open_case
from kariya.cases.models import (
    ApprovalStatus,
    Case,
    CaseApproval,
    CaseStatusChange,
)
from kariya.cases.workflow import ApprovalKind, Status
from kariya.core.models import AuditEvent

NEXT_WEEK = timezone.localdate() + datetime.timedelta(days=7)


def _move(case: Case, to: str, actor: Any = None, **kwargs: Any) -> Case:
    return services.case_transition(
        actor=actor or case.caseworker,
        case=case,
        to_status=to,
        expected_version=case.version,
        **kwargs,
    )


def _with_plan(case: Case) -> Case:
    goal = services.case_plan_goal_add(
        actor=case.caseworker, case=case, description="Obtenir un acte de naissance"
    )
    services.case_plan_action_add(
        actor=case.caseworker,
        goal=goal,
        description="Accompagner au centre d’état civil",
        due_on=NEXT_WEEK,
    )
    return case


def _to_case_plan(case: Case) -> Case:
    _move(case, Status.ASSESSMENT)
    _move(case, Status.CASE_PLAN)
    return _with_plan(case)


def test_transitions_are_data_covering_every_status() -> None:
    assert set(workflow.TRANSITIONS) == set(Status.values)
    for targets in workflow.TRANSITIONS.values():
        assert targets <= set(Status.values)


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], Status.CASE_PLAN),
        ([], Status.IMPLEMENTATION),
        ([], Status.FOLLOW_UP),
        ([], Status.OPEN),
        ([Status.ASSESSMENT], Status.IMPLEMENTATION),
        ([Status.ASSESSMENT], Status.OPEN),
    ],
)
def test_a_move_not_in_the_table_is_refused_with_a_message(
    case: Case, path: list[str], refused: str
) -> None:
    for status in path:
        _move(case, status)
    version = case.version
    with pytest.raises(ValidationError) as caught:
        _move(case, refused)
    assert caught.value.code == "transition"
    label_from = Status(case.status).label
    assert caught.value.messages == [
        f"A case cannot move from “{label_from}” to “{Status(refused).label}”."
    ]
    case.refresh_from_db()
    assert case.version == version


def test_the_main_path_with_approvals(org_a: Any, case: Case) -> None:
    caseworker, supervisor = org_a["caseworker"], org_a["supervisor"]
    _to_case_plan(case)
    approval = services.case_request_approval(
        actor=caseworker, case=case, kind=ApprovalKind.CASE_PLAN
    )
    case = services.case_approve(actor=supervisor, approval=approval)
    assert case.status == Status.IMPLEMENTATION
    case = _move(case, Status.FOLLOW_UP)
    closure = services.case_request_approval(
        actor=caseworker, case=case, kind=ApprovalKind.CLOSURE, closure_reason="goals_met"
    )
    case = services.case_approve(actor=supervisor, approval=closure)
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.closure_reason == "goals_met"
    assert case.closed_at is not None
    history = list(CaseStatusChange.objects.filter(case=case).values_list("to_status", flat=True))
    assert history == ["assessment", "case_plan", "implementation", "follow_up", "closed"]
    closure.refresh_from_db()
    assert closure.status == ApprovalStatus.APPROVED
    assert closure.decided_by == supervisor


def test_implementation_without_an_approved_plan_is_refused(case: Case) -> None:
    _to_case_plan(case)
    with pytest.raises(ValidationError) as caught:
        _move(case, Status.IMPLEMENTATION)
    assert caught.value.code == "approval_required"
    assert "case plan needs a supervisor’s approval" in caught.value.messages[0]


def test_closing_without_approval_is_refused(case: Case) -> None:
    with pytest.raises(ValidationError) as caught:
        _move(case, Status.CLOSED, closure_reason="declined")
    assert caught.value.messages == ["Closing a case needs a supervisor’s approval: request it."]


@override_settings(KARIYA_CASE_APPROVALS=[])
def test_approvals_can_be_turned_off_by_setting(case: Case) -> None:
    _to_case_plan(case)
    _move(case, Status.IMPLEMENTATION)
    with pytest.raises(ValidationError) as caught:
        _move(case, Status.CLOSED)
    assert caught.value.message_dict == {
        "closure_reason": ["Choose the reason for closing the case."]
    }
    case = _move(case, Status.CLOSED, closure_reason="moved_on")
    assert case.status == Status.CLOSED


@override_settings(KARIYA_CASE_APPROVALS=["closure"])
def test_each_gate_is_configured_on_its_own(case: Case) -> None:
    _to_case_plan(case)
    _move(case, Status.IMPLEMENTATION)  # plan approval off
    with pytest.raises(ValidationError):
        _move(case, Status.CLOSED, closure_reason="moved_on")  # closure approval on


def test_a_plan_approval_needs_a_plan(case: Case) -> None:
    _move(case, Status.ASSESSMENT)
    _move(case, Status.CASE_PLAN)
    with pytest.raises(ValidationError, match="at least one goal with an action"):
        services.case_request_approval(
            actor=case.caseworker, case=case, kind=ApprovalKind.CASE_PLAN
        )


def test_a_plan_approval_is_asked_from_the_case_plan_status(case: Case) -> None:
    _with_plan(case)
    with pytest.raises(ValidationError) as caught:
        services.case_request_approval(
            actor=case.caseworker, case=case, kind=ApprovalKind.CASE_PLAN
        )
    assert caught.value.code == "transition"


def test_closure_request_needs_a_reason_from_the_list(case: Case) -> None:
    with pytest.raises(ValidationError) as caught:
        services.case_request_approval(
            actor=case.caseworker, case=case, kind=ApprovalKind.CLOSURE, closure_reason="bored"
        )
    assert "closure_reason" in caught.value.message_dict
    assert not CaseApproval.objects.exists()


def test_one_pending_request_blocks_other_requests_and_moves(case: Case) -> None:
    services.case_request_approval(
        actor=case.caseworker, case=case, kind=ApprovalKind.CLOSURE, closure_reason="declined"
    )
    with pytest.raises(ValidationError, match="already pending"):
        services.case_request_approval(
            actor=case.caseworker, case=case, kind=ApprovalKind.CLOSURE, closure_reason="other"
        )
    with pytest.raises(ValidationError, match="pending"):
        _move(case, Status.ASSESSMENT)


def _closure_request(case: Case) -> CaseApproval:
    return services.case_request_approval(
        actor=case.caseworker, case=case, kind=ApprovalKind.CLOSURE, closure_reason="declined"
    )


@pytest.mark.parametrize("role", ["caseworker", "gbv_focal_point", "org_admin", "monitor"])
def test_only_a_supervisor_approves(org_a: Any, case: Case, role: str) -> None:
    approval = _closure_request(case)
    with pytest.raises(PermissionDenied):
        services.case_approve(actor=org_a[role], approval=approval)
    case.refresh_from_db()
    assert case.status == Status.OPEN


def test_a_supervisor_of_another_organisation_cannot_approve(org_b: Any, case: Case) -> None:
    approval = _closure_request(case)
    with pytest.raises(PermissionDenied):
        services.case_approve(actor=org_b["supervisor"], approval=approval)
    with pytest.raises(PermissionDenied):
        services.case_reject(actor=org_b["supervisor"], approval=approval, comment="Non")


def test_nobody_approves_a_request_on_their_own_case(org_a: Any) -> None:
    # A supervisor who also works cases cannot approve their own request or their own case.
    supervisor_caseworker = UserFactory(organisation=org_a.org, roles=["caseworker", "supervisor"])
    case = open_case(supervisor_caseworker)
    approval = _closure_request(case)
    with pytest.raises(ValidationError) as caught:
        services.case_approve(actor=supervisor_caseworker, approval=approval)
    assert "your own case" in caught.value.messages[0]
    assert services.case_approve(actor=org_a["supervisor"], approval=approval).is_closed


def test_a_request_is_decided_once(org_a: Any, case: Case) -> None:
    approval = _closure_request(case)
    services.case_approve(actor=org_a["supervisor"], approval=approval)
    with pytest.raises(ValidationError, match="already decided"):
        services.case_reject(actor=org_a["supervisor"], approval=approval, comment="Trop tard")


def test_reject_keeps_the_case_and_needs_a_reason(org_a: Any, case: Case) -> None:
    approval = _closure_request(case)
    with pytest.raises(ValidationError) as caught:
        services.case_reject(actor=org_a["supervisor"], approval=approval, comment=" ")
    assert caught.value.message_dict == {"comment": ["Say why the request is rejected."]}
    services.case_reject(
        actor=org_a["supervisor"], approval=approval, comment="Suivi médical en cours"
    )
    approval.refresh_from_db()
    case.refresh_from_db()
    assert approval.status == ApprovalStatus.REJECTED
    assert case.status == Status.OPEN
    event = AuditEvent.objects.filter(object_id=str(approval.public_id), action="update").get()
    assert "comment" in event.changed_fields
    assert "Suivi" not in str(event.changed_fields)
    _move(case, Status.ASSESSMENT)  # no longer pending


def _closed(org_a: Any, case: Case) -> Case:
    services.case_approve(actor=org_a["supervisor"], approval=_closure_request(case))
    case.refresh_from_db()
    return case


def test_reopen_goes_back_to_assessment_with_a_reason(org_a: Any, case: Case) -> None:
    case = _closed(org_a, case)
    with pytest.raises(ValidationError) as caught:
        _move(case, Status.ASSESSMENT)
    assert caught.value.message_dict == {"reason": ["Say why the case is reopened."]}
    with pytest.raises(ValidationError, match="cannot move"):
        _move(case, Status.IMPLEMENTATION, reason="Retour")
    case = _move(case, Status.ASSESSMENT, reason="Nouvelle expulsion, revenu à Agadez")
    case.refresh_from_db()
    assert case.status == Status.ASSESSMENT
    assert case.closure_reason == ""
    assert case.closed_at is None
    change = CaseStatusChange.objects.filter(case=case).last()
    assert change is not None
    assert change.reason == "Nouvelle expulsion, revenu à Agadez"
    event = AuditEvent.objects.filter(object_id=str(case.public_id), action="update").first()
    assert event is not None
    assert "reopen_reason" in event.changed_fields
    assert "status" in event.changed_fields


def test_a_closed_case_takes_no_new_work_but_notes(org_a: Any, case: Case) -> None:
    case = _closed(org_a, case)
    with pytest.raises(ValidationError, match="closed"):
        services.case_plan_goal_add(actor=case.caseworker, case=case, description="Encore")
    assert services.case_note_add(actor=case.caseworker, case=case, body="Appel reçu").pk


def test_a_stale_edit_is_refused_and_loses_nothing(org_a: Any, case: Case) -> None:
    # Two people opened the same case at version 1.
    mine = Case.objects.get(pk=case.pk)
    theirs = Case.objects.get(pk=case.pk)
    services.case_transition(
        actor=org_a["supervisor"],
        case=theirs,
        to_status=Status.ASSESSMENT,
        expected_version=theirs.version,
    )
    other = UserFactory(organisation=org_a.org, roles=["caseworker"])
    with pytest.raises(ValidationError) as caught:
        services.case_assign(
            actor=org_a["supervisor"], case=mine, caseworker=other, expected_version=1
        )
    assert caught.value.code == "stale"
    stored = Case.objects.get(pk=case.pk)
    assert stored.status == Status.ASSESSMENT  # their change is kept
    assert stored.caseworker == org_a["caseworker"]  # mine was not written
    assert stored.version == 2


def test_assign_is_for_supervisors_and_audited(org_a: Any, case: Case) -> None:
    other = UserFactory(organisation=org_a.org, roles=["caseworker"])
    with pytest.raises(PermissionDenied):
        services.case_assign(
            actor=org_a["caseworker"], case=case, caseworker=other, expected_version=case.version
        )
    services.case_assign(
        actor=org_a["supervisor"], case=case, caseworker=other, expected_version=case.version
    )
    case.refresh_from_db()
    assert case.caseworker == other
    event = AuditEvent.objects.filter(object_id=str(case.public_id), action="update").get()
    assert event.changed_fields == ["caseworker"]


def test_a_caseworker_cannot_move_someone_elses_case(org_a: Any, case: Case) -> None:
    other = UserFactory(organisation=org_a.org, roles=["caseworker"])
    with pytest.raises(PermissionDenied):
        _move(case, Status.ASSESSMENT, actor=other)
