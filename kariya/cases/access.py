"""Who may see or touch cases, screenings, assessments and GBV sections. The only place that
decides it.

Every ``*_get_for`` answers 404 (``Http404``) both when the record does not exist and when the
actor may not reach it. The rules, one condition per line:

- a record of another organisation does not exist for the actor;
- a caseworker sees the cases assigned to them; a supervisor sees every case of the
  organisation (``cases.view_all``); nobody else sees cases;
- the GBV section is seen only by the GBV focal point and the supervisor of the owning
  organisation (``cases.view_gbv``), and every read is audited.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from kariya.cases.models import (
    Case,
    CaseListKey,
    GBVSection,
    Screening,
    VulnerabilityAssessment,
)
from kariya.core.access import actor_can as can
from kariya.core.access import public_id_or_404 as _uuid
from kariya.core.audit import audit_record
from kariya.core.models import AuditAction

VIEW = "cases.view"
VIEW_ALL = "cases.view_all"
MANAGE = "cases.manage"
APPROVE = "cases.approve"
VIEW_GBV = "cases.view_gbv"


def visible_cases(actor: Any) -> QuerySet[Case]:
    """The cases ``actor`` may see (an empty queryset when none)."""
    if not can(actor, VIEW):
        return Case.objects.none()
    cases = Case.objects.filter(organisation_id=actor.organisation_id)
    if can(actor, VIEW_ALL):
        return cases  # type: ignore[no-any-return]
    return cases.filter(caseworker_id=actor.pk)  # type: ignore[no-any-return]


def visible_case_keys(actor: Any) -> QuerySet[CaseListKey]:
    """The case list's keys (``CaseListKey``) of the cases ``actor`` may see: the same rule as
    ``visible_cases``, for the list's filters read from the keys."""
    if not can(actor, VIEW):
        return CaseListKey.objects.none()
    keys = CaseListKey.objects.filter(organisation_id=actor.organisation_id)
    if can(actor, VIEW_ALL):
        return keys  # type: ignore[no-any-return]
    return keys.filter(case__caseworker_id=actor.pk)  # type: ignore[no-any-return]


def can_see_case(actor: Any, case: Case) -> bool:
    if not can(actor, VIEW):
        return False
    if case.organisation_id != actor.organisation_id:
        return False
    if can(actor, VIEW_ALL):
        return True
    return bool(case.caseworker_id == actor.pk)


def can_see_casework_of(actor: Any, person: Any) -> bool:
    """Whether the person page shows the actor a panel of the person's case work: a role that
    sees cases, and a person of its own organisation (the panel lists only visible cases)."""
    if not can(actor, VIEW):
        return False
    return bool(person.organisation_id == actor.organisation_id)


def can_work_on_case(actor: Any, case: Case) -> bool:
    """Write to the case (notes, plan, services, transitions): who sees it and manages cases."""
    return can(actor, MANAGE) and can_see_case(actor, case)


def can_approve_case(actor: Any, case: Case) -> bool:
    """A supervisor of the owning organisation (own requests excluded by the service)."""
    if not can(actor, APPROVE):
        return False
    return bool(case.organisation_id == actor.organisation_id)


def can_see_gbv(actor: Any, case: Case) -> bool:
    if not can(actor, VIEW_GBV):
        return False
    return bool(case.organisation_id == actor.organisation_id)


def _case(actor: Any, public_id: Any) -> Case:
    try:
        case: Case = (
            visible_cases(actor)
            .select_related("person", "caseworker", "opened_from")
            .get(public_id=_uuid(public_id))
        )
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    return case


def case_get_for(actor: Any, public_id: Any) -> Case:
    """A case the actor may see."""
    return _case(actor, public_id)


def case_read_for(actor: Any, public_id: Any) -> Case:
    """A case the actor may see, to be shown: its plan, services, visits and encrypted notes are
    personal data, so the read is audited (one event for the case)."""
    case = _case(actor, public_id)
    audit_record(actor=actor, action=AuditAction.READ, obj=case)
    return case


def case_get_for_edit(actor: Any, public_id: Any, *, person: Any = None) -> Case:
    """A case the actor may see and work on (a case of ``person`` when given)."""
    if not can(actor, MANAGE):
        raise Http404
    case = _case(actor, public_id)
    if person is not None and case.person_id != person.pk:
        raise Http404
    return case


def case_get_for_gbv(actor: Any, public_id: Any) -> Case:
    """A case of the actor's organisation, for a role that handles GBV sections (the GBV focal
    point is not a caseworker: it reaches the case only to reach its GBV section)."""
    if not can(actor, VIEW_GBV):
        raise Http404
    try:
        case: Case = Case.objects.get(
            public_id=_uuid(public_id), organisation_id=actor.organisation_id
        )
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    return case


def gbv_get_for(actor: Any, case: Case) -> GBVSection:
    """The case's GBV section, for its GBV focal point or supervisor; the read is audited."""
    if not can_see_gbv(actor, case):
        raise Http404
    try:
        section: GBVSection = GBVSection.objects.prefetch_related("services_offered").get(
            case_id=case.pk, organisation_id=actor.organisation_id
        )
    except GBVSection.DoesNotExist as exc:
        raise Http404 from exc
    audit_record(actor=actor, action=AuditAction.READ, obj=section)
    return section


def gbv_sections_for(actor: Any) -> QuerySet[GBVSection]:
    """The GBV sections of the actor's organisation, for the roles that handle them; nothing for
    any other role. Not evaluated and not audited: the caller audits the rows it shows
    (``core.audit.audit_reads``)."""
    if not can(actor, VIEW_GBV):
        return GBVSection.objects.none()
    return GBVSection.objects.filter(organisation_id=actor.organisation_id)


def case_get_for_gbv_by_code(actor: Any, case_code: str) -> Case:
    """The newest case of the person with ``case_code`` in the actor's organisation, for a role
    that handles GBV sections (how the GBV focal point, who sees no case list, reaches one)."""
    from kariya.people import casecodes

    if not can(actor, VIEW_GBV):
        raise Http404
    case = (
        Case.objects.filter(
            organisation_id=actor.organisation_id,
            person__case_code=casecodes.normalise(case_code),
        )
        .order_by("-opened_at", "-id")
        .first()
    )
    if case is None:
        raise Http404
    return case


def visible_screenings(actor: Any) -> QuerySet[Screening]:
    """The screenings ``actor`` may see: of the actor's organisation, by the screener, the
    caseworker of the case opened from it, or a supervisor (empty when none)."""
    if not can(actor, VIEW):
        return Screening.objects.none()  # type: ignore[no-any-return]
    screenings = Screening.objects.filter(organisation_id=actor.organisation_id)
    if not can(actor, VIEW_ALL):
        screenings = screenings.filter(Q(screened_by_id=actor.pk) | Q(case__caseworker_id=actor.pk))
    return screenings  # type: ignore[no-any-return]


def visible_assessments(actor: Any) -> QuerySet[VulnerabilityAssessment]:
    """The assessments ``actor`` may see: of the actor's organisation, by their assessor, the
    caseworker of their case, or a supervisor (empty when none)."""
    if not can(actor, VIEW):
        return VulnerabilityAssessment.objects.none()  # type: ignore[no-any-return]
    assessments = VulnerabilityAssessment.objects.filter(organisation_id=actor.organisation_id)
    if not can(actor, VIEW_ALL):
        assessments = assessments.filter(
            Q(assessed_by_id=actor.pk) | Q(case__caseworker_id=actor.pk)
        )
    return assessments  # type: ignore[no-any-return]


def screening_get_for(actor: Any, public_id: Any) -> Screening:
    """A screening of the actor's organisation: the screener, the caseworker of the case opened
    from it, or a supervisor."""
    if not can(actor, VIEW):
        raise Http404
    try:
        screening: Screening = (
            visible_screenings(actor)
            .select_related("person", "office")
            .get(public_id=_uuid(public_id))
        )
    except Screening.DoesNotExist as exc:
        raise Http404 from exc
    return screening


def assessment_get_for(actor: Any, public_id: Any) -> VulnerabilityAssessment:
    """An assessment of the actor's organisation: its assessor, the caseworker of its case, or
    a supervisor."""
    if not can(actor, VIEW):
        raise Http404
    try:
        assessment: VulnerabilityAssessment = (
            visible_assessments(actor)
            .prefetch_related("factors", "specific_needs", "migration_needs")
            .get(public_id=_uuid(public_id))
        )
    except VulnerabilityAssessment.DoesNotExist as exc:
        raise Http404 from exc
    return assessment
