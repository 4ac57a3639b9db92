from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kariya.cases import services
from kariya.cases.factories import open_case, screen
from kariya.cases.models import AssessmentFactor, Case, Screening, VulnerabilityAssessment
from kariya.cases.priority import Priority
from kariya.core.models import AuditEvent
from kariya.people.factories import code, register
from kariya.people.models import LegalBasis

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def test_screening_is_recorded_with_codes_and_audited(org_a: Any) -> None:
    actor = org_a["caseworker"]
    screening = screen(
        actor,
        immediate_danger=True,
        intervention_rating=Priority.HIGH,
        immediate_needs=[code("service_type", "food"), code("service_type", "shelter")],
        protection_flags=[code("specific_need", "SC-UC"), code("migration_need", "trafficking")],
    )
    assert screening.organisation == org_a.org
    assert screening.screened_by == actor
    assert {c.code for c in screening.immediate_needs.all()} == {"food", "shelter"}
    assert {c.code for c in screening.protection_flags.all()} == {"SC-UC", "trafficking"}
    event = AuditEvent.objects.get(object_id=str(screening.public_id), action="create")
    assert event.object_type == "cases.screening"
    assert "protection_flags" in event.changed_fields
    assert "SC-UC" not in str(event.changed_fields)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"intervention_rating": "urgent"}, "intervention_rating"),
        ({"outcome": "maybe"}, "outcome"),
        ({"screened_on": timezone.localdate() + datetime.timedelta(days=2)}, "screened_on"),
    ],
)
def test_screening_refuses_bad_input_and_saves_nothing(
    org_a: Any, overrides: dict[str, Any], field: str
) -> None:
    person = register(org_a["caseworker"])
    with pytest.raises(ValidationError) as caught:
        screen(org_a["caseworker"], person, **overrides)
    assert field in caught.value.message_dict
    assert not Screening.objects.exists()


def test_screening_refuses_codes_from_the_wrong_list(org_a: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        screen(org_a["caseworker"], immediate_needs=[code("specific_need", "SV")])
    assert caught.value.message_dict["immediate_needs"] == ["Choose codes from the list."]


def test_screening_needs_consent_or_another_legal_basis(org_a: Any) -> None:
    actor = org_a["caseworker"]
    person = register(
        actor,
        consents=[],
        legal_basis=LegalBasis.VITAL_INTEREST,
        legal_basis_reason="Inconscient à l’arrivée",
    )
    assert screen(actor, person).pk  # a recorded legal basis is enough


def test_screening_of_another_organisations_person_is_refused(org_a: Any, org_b: Any) -> None:
    person = register(org_b["caseworker"])
    with pytest.raises(PermissionDenied):
        screen(org_a["caseworker"], person)


def test_screening_needs_the_manage_permission(org_a: Any) -> None:
    person = register(org_a["caseworker"])
    with pytest.raises(PermissionDenied):
        screen(org_a["monitor"], person)


def test_assessment_stores_factor_rows_and_explains_its_priority(org_a: Any) -> None:
    actor = org_a["caseworker"]
    person = register(actor)
    assessment = services.assessment_record(
        actor=actor,
        person=person,
        assessed_on=YESTERDAY,
        factor_codes=["no_documents", "isolation", "expulsion_risk"],
        specific_needs=[code("specific_need", "LP-ND")],
    )
    rows = set(AssessmentFactor.objects.values_list("level", "kind", "factor"))
    assert rows == {
        ("individual", "risk", "no_documents"),
        ("community", "risk", "isolation"),
        ("structural", "risk", "expulsion_risk"),
    }
    assert assessment.priority == Priority.MEDIUM
    assert assessment.priority_rules == ["many_risks"]
    assert [c.code for c in assessment.specific_needs.all()] == ["LP-ND"]
    event = AuditEvent.objects.get(object_id=str(assessment.public_id))
    assert {"factors", "specific_needs", "priority"} <= set(event.changed_fields)


def test_assessment_refuses_unknown_factors(org_a: Any) -> None:
    actor = org_a["caseworker"]
    with pytest.raises(ValidationError) as caught:
        services.assessment_record(
            actor=actor,
            person=register(actor),
            assessed_on=YESTERDAY,
            factor_codes=["bad_luck"],
        )
    assert caught.value.message_dict["factors"] == ["Choose factors from the list."]
    assert not VulnerabilityAssessment.objects.exists()


def test_assessment_of_a_case_sets_the_case_priority(org_a: Any) -> None:
    actor = org_a["caseworker"]
    case = open_case(actor)
    assert case.priority == Priority.MEDIUM  # from the screening
    services.assessment_record(
        actor=actor,
        person=case.person,
        case=case,
        assessed_on=YESTERDAY,
        specific_needs=[code("specific_need", "SV")],
    )
    case.refresh_from_db()
    assert case.priority == Priority.HIGH
    event = AuditEvent.objects.filter(object_id=str(case.public_id), action="update").get()
    assert event.changed_fields == ["priority"]


def test_assessment_case_must_be_the_persons(org_a: Any) -> None:
    actor = org_a["caseworker"]
    case = open_case(actor)
    with pytest.raises(ValidationError):
        services.assessment_record(
            actor=actor, person=register(actor), case=case, assessed_on=YESTERDAY
        )


def test_case_opens_from_a_case_opened_screening_only(org_a: Any) -> None:
    actor = org_a["caseworker"]
    screening = screen(actor, outcome="information")
    with pytest.raises(ValidationError) as caught:
        services.case_open(actor=actor, screening=screening)
    assert "“case opened”" in caught.value.messages[0]
    assert not Case.objects.exists()


def test_one_case_per_screening_and_one_active_case_per_person(org_a: Any) -> None:
    actor = org_a["caseworker"]
    case = open_case(actor)
    with pytest.raises(ValidationError, match="already opened"):
        services.case_open(actor=actor, screening=case.opened_from)
    second = screen(actor, case.person)
    with pytest.raises(ValidationError, match="already has an active case"):
        services.case_open(actor=actor, screening=second)


def test_case_open_assigns_the_opener_and_is_audited(org_a: Any) -> None:
    actor = org_a["caseworker"]
    case = open_case(actor)
    assert case.caseworker == actor
    assert case.status == "open"
    event = AuditEvent.objects.get(object_id=str(case.public_id), action="create")
    assert set(event.changed_fields) == {
        "person",
        "caseworker",
        "opened_from",
        "priority",
        "status",
    }


def test_only_a_supervisor_opens_a_case_for_someone_else(org_a: Any) -> None:
    from kariya.accounts.factories import UserFactory

    other = UserFactory(organisation=org_a.org, roles=["caseworker"])
    with pytest.raises(PermissionDenied):
        open_case(org_a["caseworker"], caseworker=other)
    case = open_case(org_a["supervisor"], caseworker=other)
    assert case.caseworker == other


def test_the_caseworker_must_hold_the_caseworker_role_in_the_organisation(
    org_a: Any, org_b: Any
) -> None:
    for wrong in (org_a["monitor"], org_b["caseworker"]):
        with pytest.raises(ValidationError) as caught:
            open_case(org_a["supervisor"], caseworker=wrong)
        assert "caseworker" in caught.value.message_dict
