from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from kariya.cases import selectors, services
from kariya.cases.models import (
    ApprovalStatus,
    Case,
    CaseApproval,
    CaseStatusChange,
    Screening,
    ScreeningOutcome,
    ServiceDelivery,
    Unit,
    VulnerabilityAssessment,
)
from kariya.cases.workflow import ClosureReason, Status
from kariya.codelists.models import Code
from kariya.core.models import AuditEvent
from kariya.people.factories import office_of, register
from kariya.people.services import BulkRowsError


def _code(list_name: str, value: str) -> Code:
    return Code.objects.get(list=list_name, code=value)


def _at(days_ago: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _row(world: Any, *, case: services.CaseRow | None = None, **overrides: Any) -> Any:
    caseworker = world["caseworker"]
    values: dict[str, Any] = {
        "person": register(caseworker, registered_at=_at(31, 9)),
        "office": office_of(caseworker),
        "screened_on": timezone.localdate() - datetime.timedelta(days=30),
        "intervention_rating": "medium",
        "outcome": ScreeningOutcome.CASE_OPENED if case else ScreeningOutcome.INFORMATION,
        "immediate_needs": [_code("service_type", "food")],
        "protection_flags": [_code("specific_need", "SV")],
        "assessment": services.AssessmentRow(
            assessed_on=timezone.localdate() - datetime.timedelta(days=29),
            factor_codes=["no_documents", "distress"],
            specific_needs=[_code("specific_need", "SV")],
        ),
        "case": case,
    }
    values.update(overrides)
    return services.ScreeningRow(**values)


def _closed_case(world: Any, **overrides: Any) -> services.CaseRow:
    values: dict[str, Any] = {
        "caseworker": world["caseworker"],
        "opened_at": _at(30),
        "moves": [
            (Status.ASSESSMENT, _at(29)),
            (Status.CASE_PLAN, _at(25)),
            (Status.IMPLEMENTATION, _at(20)),
            (Status.CLOSED, _at(2)),
        ],
        "closure_reason": ClosureReason.GOALS_MET,
        "approver": world["supervisor"],
        "deliveries": [
            services.DeliveryRow(
                service_type=_code("service_type", "food"),
                provider=world.org,
                delivered_on=timezone.localdate() - datetime.timedelta(days=19),
                outcome="delivered",
                quantity=Decimal(12),
                unit=Unit.MEAL,
            ),
            services.DeliveryRow(
                service_type=_code("service_type", "health_care"),
                provider=world.org,
                delivered_on=timezone.localdate() - datetime.timedelta(days=3),
                outcome="delivered",
                note="Consultation au centre de santé.",
            ),
        ],
    }
    values.update(overrides)
    return services.CaseRow(**values)


def test_bulk_records_screenings_assessments_and_cases(org_a: Any) -> None:
    supervisor = org_a["supervisor"]
    closed = _row(org_a, case=_closed_case(org_a))
    active = _row(
        org_a,
        case=_closed_case(
            org_a,
            moves=[(Status.ASSESSMENT, _at(28))],
            closure_reason="",
            deliveries=[],
        ),
    )
    screened_only = _row(org_a)

    screenings = services.case_bulk_record(actor=supervisor, rows=[closed, active, screened_only])

    assert len(screenings) == 3
    assert Screening.objects.count() == 3
    case = Case.objects.get(person=closed.person)
    assert case.status == Status.CLOSED
    assert case.closure_reason == ClosureReason.GOALS_MET
    assert case.opened_at == _at(30) and case.closed_at == _at(2)
    assert case.priority == "high"  # the assessment's SV need, not the screening's rating
    assert case.caseworker == org_a["caseworker"]
    assert list(
        CaseStatusChange.objects.filter(case=case)
        .order_by("created_at")
        .values_list("from_status", "to_status")
    ) == [
        ("open", "assessment"),
        ("assessment", "case_plan"),
        ("case_plan", "implementation"),
        ("implementation", "closed"),
    ]
    approvals = CaseApproval.objects.filter(case=case)
    assert {a.kind for a in approvals} == {"case_plan", "closure"}
    assert all(a.status == ApprovalStatus.APPROVED for a in approvals)
    assert all(a.decided_by == supervisor for a in approvals)
    deliveries = list(selectors.case_deliveries(case=case).order_by("delivered_on"))
    assert [d.service_type.code for d in deliveries] == ["food", "health_care"]
    assert deliveries[1].note == "Consultation au centre de santé."
    assert VulnerabilityAssessment.objects.filter(case=case).get().priority == "high"
    assert VulnerabilityAssessment.objects.get(person=screened_only.person).case is None
    assert not Case.objects.filter(person=screened_only.person).exists()
    # The caseworker sees the cases through the ordinary selectors.
    mine = selectors.case_list_for(org_a["caseworker"])
    assert {c.person_id for c in mine} == {closed.person.pk, active.person.pk}


def test_one_audit_event_per_batch(org_a: Any) -> None:
    supervisor = org_a["supervisor"]
    rows = [_row(org_a, case=_closed_case(org_a)), _row(org_a)]
    before = AuditEvent.objects.count()

    services.case_bulk_record(actor=supervisor, rows=rows)

    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    assert (event.object_type, event.object_id, event.actor) == (
        "cases.screening",
        "bulk:2",
        supervisor,
    )
    assert {"screenings", "cases", "deliveries", "approvals"} <= set(event.changed_fields)


BAD_CASES: dict[str, Any] = {
    "a service before the case opened": lambda w: _closed_case(
        w,
        deliveries=[
            services.DeliveryRow(
                service_type=_code("service_type", "food"),
                provider=w.org,
                delivered_on=timezone.localdate() - datetime.timedelta(days=31),
                outcome="delivered",
            )
        ],
    ),
    "a service after the closure": lambda w: _closed_case(
        w,
        deliveries=[
            services.DeliveryRow(
                service_type=_code("service_type", "food"),
                provider=w.org,
                delivered_on=timezone.localdate() - datetime.timedelta(days=1),
                outcome="delivered",
            )
        ],
    ),
    "moves out of order": lambda w: _closed_case(
        w, moves=[(Status.ASSESSMENT, _at(20)), (Status.CASE_PLAN, _at(25))], closure_reason=""
    ),
    "a move the workflow forbids": lambda w: _closed_case(
        w, moves=[(Status.IMPLEMENTATION, _at(20))], closure_reason=""
    ),
    "opened before the screening": lambda w: _closed_case(w, opened_at=_at(40)),
    "closed without a reason": lambda w: _closed_case(w, closure_reason=""),
    "a gated move without a supervisor": lambda w: _closed_case(w, approver=None),
    "approved by the caseworker": lambda w: _closed_case(w, approver=w["caseworker"]),
    "a quantity without a unit": lambda w: _closed_case(
        w,
        deliveries=[
            services.DeliveryRow(
                service_type=_code("service_type", "food"),
                provider=w.org,
                delivered_on=timezone.localdate() - datetime.timedelta(days=10),
                outcome="delivered",
                quantity=Decimal(3),
            )
        ],
    ),
}


@pytest.mark.parametrize("bad", BAD_CASES)
def test_a_bad_row_saves_nothing(org_a: Any, bad: str) -> None:
    rows = [_row(org_a, case=_closed_case(org_a)), _row(org_a, case=BAD_CASES[bad](org_a))]
    before = (Screening.objects.count(), AuditEvent.objects.count())

    with pytest.raises(ValidationError) as error:
        services.case_bulk_record(actor=org_a["supervisor"], rows=rows)

    assert error.value.messages[0].startswith("Row 2: ")
    assert (Screening.objects.count(), AuditEvent.objects.count()) == before
    assert not Case.objects.exists()
    assert not ServiceDelivery.objects.exists()


def test_every_bad_row_is_named_with_its_field(org_a: Any) -> None:
    future = timezone.localdate() + datetime.timedelta(days=1)
    rows = [
        _row(org_a, screened_on=future),
        _row(org_a),
        _row(org_a, intervention_rating="urgent"),
    ]
    with pytest.raises(BulkRowsError) as error:
        services.case_bulk_record(actor=org_a["supervisor"], rows=rows)
    assert [(p, sorted(e.message_dict)) for p, e in error.value.rows] == [
        (1, ["screened_on"]),
        (3, ["intervention_rating"]),
    ]
    assert [m[:6] for m in error.value.messages] == ["Row 1:", "Row 3:"]
    assert not Screening.objects.exists()


def test_one_active_case_per_person_across_the_batch(org_a: Any) -> None:
    first = _row(org_a, case=_closed_case(org_a, moves=[], closure_reason="", deliveries=[]))
    second = _row(
        org_a,
        person=first.person,
        case=_closed_case(org_a, moves=[], closure_reason="", deliveries=[]),
    )
    with pytest.raises(ValidationError, match="already has an active case"):
        services.case_bulk_record(actor=org_a["supervisor"], rows=[first, second])
    assert not Screening.objects.exists()


def test_a_person_without_consent_or_of_another_organisation_is_refused(
    org_a: Any, org_b: Any
) -> None:
    from kariya.people.models import Consent

    row = _row(org_a)
    Consent.objects.filter(person=row.person).update(
        withdrawn_at=timezone.now(), withdrawn_by=org_a["caseworker"]
    )
    with pytest.raises(ValidationError, match="not consented"):
        services.case_bulk_record(actor=org_a["supervisor"], rows=[row])
    with pytest.raises(PermissionDenied):
        services.case_bulk_record(actor=org_b["supervisor"], rows=[_row(org_a)])
    assert not Screening.objects.exists()


def test_roles_are_checked(org_a: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.case_bulk_record(actor=org_a["monitor"], rows=[_row(org_a)])
    # A caseworker opens cases for themselves only.
    other = _row(org_a, case=_closed_case(org_a, caseworker=org_a["supervisor"]))
    with pytest.raises(PermissionDenied):
        services.case_bulk_record(actor=org_a["caseworker"], rows=[other])
    assert not Screening.objects.exists()


@override_settings(KARIYA_CASE_APPROVALS=[])
def test_without_approval_gates_no_approval_is_written(org_a: Any) -> None:
    row = _row(org_a, case=_closed_case(org_a, approver=None))

    services.case_bulk_record(actor=org_a["caseworker"], rows=[row])

    assert Case.objects.get().status == Status.CLOSED
    assert not CaseApproval.objects.exists()
