"""Every write to screenings, assessments, cases and GBV sections. Each function is one use
case: keyword-only, atomic, validating (``ValidationError`` with a translated message, nothing
written), checking the actor's right (``PermissionDenied``), and audited with the names of the
fields it set, never their values.

Views fetch records through ``access.py`` (404 for what the actor may not see); the services
check again, because they are also called from the API, imports and tasks.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kariya.accounts.models import Office, Organisation, User
from kariya.accounts.roles import Role
from kariya.cases import access, factors, listkeys, priority, workflow
from kariya.cases.models import (
    ActionStatus,
    ApprovalStatus,
    AssessmentFactor,
    Case,
    CaseApproval,
    CaseNote,
    CasePlanAction,
    CasePlanGoal,
    CaseStatusChange,
    DeliveryOutcome,
    FollowUpVisit,
    GBVSection,
    GBVType,
    Screening,
    ScreeningOutcome,
    ServiceDelivery,
    Unit,
    VisitMethod,
    VulnerabilityAssessment,
)
from kariya.cases.workflow import ApprovalKind, ClosureReason, Status
from kariya.codelists.models import Code
from kariya.core.audit import audit_record
from kariya.core.bulk import insert_rows, through_rows
from kariya.core.choices import choice_values
from kariya.core.locking import save_versioned
from kariya.core.models import AuditAction
from kariya.people.models import ConsentScope, Person
from kariya.people.selectors import person_has_basis_for_services
from kariya.people.services import BulkRowsError

MAX_TEXT = 20_000


# --- checks shared by the use cases ---------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))


def _check_person(actor: User, person: Person) -> None:
    _require(person.organisation_id == actor.organisation_id)


def _check_past(value: datetime.date | None, field: str) -> None:
    if value is None:
        raise ValidationError({field: _("Give the date.")})
    if value > _today():
        raise ValidationError({field: _("This date is in the future.")})


def _check_choice(value: str, choices: Iterable[str], field: str) -> None:
    if value not in choices:
        raise ValidationError({field: _("Choose one of the listed values.")})


def _check_codes(codes: Iterable[Code], lists: set[str], field: str) -> list[Code]:
    cleaned = list(dict.fromkeys(codes))
    for code in cleaned:
        if code.list not in lists or not code.is_active:
            raise ValidationError({field: _("Choose codes from the list.")})
    return cleaned


def _check_text(value: str, field: str, *, required: bool, message: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: message or _("This field is required.")})
    if len(value) > MAX_TEXT:
        raise ValidationError({field: _("This text is too long.")})
    return value


def _check_open(case: Case) -> None:
    if case.is_closed:
        raise ValidationError(_("This case is closed: reopen it first."))


def _check_caseworker(caseworker: User | None, organisation_id: int) -> User:
    if (
        caseworker is None
        or not caseworker.is_active
        or caseworker.organisation_id != organisation_id
        or Role.CASEWORKER not in caseworker.role_codes()
    ):
        raise ValidationError(
            {"caseworker": _("Choose an active caseworker of the case's organisation.")}
        )
    return caseworker


def _stamp(obj: Any, actor: User) -> None:
    obj.organisation_id = actor.organisation_id
    obj.created_by = actor
    obj.updated_by = actor


# --- screening ------------------------------------------------------------------------------


@transaction.atomic
def screening_record(
    *,
    actor: User,
    person: Person,
    office: Office,
    screened_on: datetime.date,
    intervention_rating: str,
    outcome: str,
    immediate_danger: bool = False,
    immediate_needs: Iterable[Code] = (),
    protection_flags: Iterable[Code] = (),
) -> Screening:
    """First contact. Needs a person of the actor's organisation with consent to services (or
    another recorded legal basis)."""
    _require(access.can(actor, access.MANAGE))
    _check_person(actor, person)
    if office.organisation_id != actor.organisation_id or not office.is_active:
        raise ValidationError({"office": _("Choose an active office of your organisation.")})
    _check_past(screened_on, "screened_on")
    _check_choice(intervention_rating, choice_values(priority.Priority), "intervention_rating")
    _check_choice(outcome, choice_values(ScreeningOutcome), "outcome")
    needs = _check_codes(immediate_needs, {"service_type"}, "immediate_needs")
    flags = _check_codes(protection_flags, {"specific_need", "migration_need"}, "protection_flags")
    if not person_has_basis_for_services(person):
        raise ValidationError(
            _(
                "This person has not consented to services and no other legal basis is "
                "recorded: record a consent first."
            )
        )
    screening = Screening(
        person=person,
        office=office,
        screened_on=screened_on,
        screened_by=actor,
        intervention_rating=intervention_rating,
        outcome=outcome,
        immediate_danger=bool(immediate_danger),
    )
    _stamp(screening, actor)
    screening.save()
    screening.immediate_needs.set(needs)
    screening.protection_flags.set(flags)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=screening,
        changed_fields=[
            "person",
            "office",
            "screened_on",
            "intervention_rating",
            "outcome",
            "immediate_danger",
            *(["immediate_needs"] if needs else []),
            *(["protection_flags"] if flags else []),
        ],
    )
    return screening


# --- vulnerability assessment ---------------------------------------------------------------


def priority_input_for(assessment: VulnerabilityAssessment) -> priority.PriorityInput:
    return priority.PriorityInput(
        immediate_danger=assessment.immediate_danger,
        specific_needs=frozenset(c.code for c in assessment.specific_needs.all()),
        migration_needs=frozenset(c.code for c in assessment.migration_needs.all()),
        factors=frozenset(f.factor for f in assessment.factors.all()),
    )


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    person: Person,
    assessed_on: datetime.date,
    factor_codes: Iterable[str] = (),
    specific_needs: Iterable[Code] = (),
    migration_needs: Iterable[Code] = (),
    immediate_danger: bool = False,
    case: Case | None = None,
) -> VulnerabilityAssessment:
    """Record an assessment and compute its priority with ``priority.evaluate``. When it belongs
    to an active case, the case takes the computed priority (optimistic lock on the case)."""
    _require(access.can(actor, access.MANAGE))
    _check_person(actor, person)
    _check_past(assessed_on, "assessed_on")
    codes = list(dict.fromkeys(factor_codes))
    unknown = [code for code in codes if code not in factors.FACTORS]
    if unknown:
        raise ValidationError({"factors": _("Choose factors from the list.")})
    needs = _check_codes(specific_needs, {"specific_need"}, "specific_needs")
    migration = _check_codes(migration_needs, {"migration_need"}, "migration_needs")
    if case is not None:
        _require(access.can_work_on_case(actor, case))
        if case.person_id != person.pk:
            raise ValidationError({"case": _("This case is about another person.")})
        _check_open(case)
    result = priority.evaluate(
        priority.PriorityInput(
            immediate_danger=bool(immediate_danger),
            specific_needs=frozenset(c.code for c in needs),
            migration_needs=frozenset(c.code for c in migration),
            factors=frozenset(codes),
        )
    )
    assessment = VulnerabilityAssessment(
        person=person,
        case=case,
        assessed_on=assessed_on,
        assessed_by=actor,
        immediate_danger=bool(immediate_danger),
        priority=result.rating,
        priority_rules=list(result.rule_ids),
    )
    _stamp(assessment, actor)
    assessment.save()
    AssessmentFactor.objects.bulk_create(
        [
            AssessmentFactor(
                assessment=assessment,
                level=factors.FACTORS[code].level,
                kind=factors.FACTORS[code].kind,
                factor=code,
            )
            for code in codes
        ]
    )
    assessment.specific_needs.set(needs)
    assessment.migration_needs.set(migration)
    listkeys.refresh([person.pk])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=assessment,
        changed_fields=[
            "person",
            "assessed_on",
            "immediate_danger",
            "priority",
            *(["case"] if case else []),
            *(["factors"] if codes else []),
            *(["specific_needs"] if needs else []),
            *(["migration_needs"] if migration else []),
        ],
    )
    if case is not None and case.priority != result.rating:
        case.priority = result.rating
        save_versioned(case, expected_version=case.version, fields=["priority"], actor=actor)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=case, changed_fields=["priority"])
    return assessment


# --- cases ----------------------------------------------------------------------------------


@transaction.atomic
def case_open(*, actor: User, screening: Screening, caseworker: User | None = None) -> Case:
    """Open a case from a screening whose outcome is "case opened". A caseworker opens it for
    themselves; a supervisor may assign it to any caseworker of the organisation. One active
    case per person and organisation."""
    _require(access.can(actor, access.MANAGE))
    _require(screening.organisation_id == actor.organisation_id)
    if screening.outcome != ScreeningOutcome.CASE_OPENED:
        raise ValidationError(
            _("A case can only be opened from a screening whose outcome is “case opened”.")
        )
    if Case.objects.filter(opened_from=screening).exists():
        raise ValidationError(_("A case was already opened from this screening."))
    if (
        Case.objects.filter(
            organisation_id=screening.organisation_id, person_id=screening.person_id
        )
        .exclude(status=Status.CLOSED)
        .exists()
    ):
        raise ValidationError(_("This person already has an active case: work on that one."))
    if caseworker is None:
        caseworker = actor
    if caseworker.pk != actor.pk:
        _require(access.can(actor, access.APPROVE))
    _check_caseworker(caseworker, actor.organisation_id or 0)
    case = Case(
        person_id=screening.person_id,
        caseworker=caseworker,
        opened_from=screening,
        priority=screening.intervention_rating,
        status=Status.OPEN,
    )
    _stamp(case, actor)
    case.save()
    listkeys.refresh([case.person_id])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=case,
        changed_fields=["person", "caseworker", "opened_from", "priority", "status"],
    )
    return case


@transaction.atomic
def case_assign(*, actor: User, case: Case, caseworker: User, expected_version: int) -> Case:
    """Reassign a case: supervisors of the owning organisation only."""
    _require(access.can_approve_case(actor, case))
    _check_open(case)
    _check_caseworker(caseworker, case.organisation_id)
    if caseworker.pk == case.caseworker_id:
        return case
    case.caseworker = caseworker
    save_versioned(case, expected_version=expected_version, fields=["caseworker"], actor=actor)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=case, changed_fields=["caseworker"])
    return case


def _apply_transition(
    *,
    actor: User,
    case: Case,
    to_status: str,
    expected_version: int,
    closure_reason: str = "",
    reason: str = "",
) -> Case:
    from_status = case.status
    case.status = to_status
    fields = ["status"]
    if to_status == Status.CLOSED:
        case.closure_reason = closure_reason
        case.closed_at = timezone.now()
        fields += ["closure_reason", "closed_at"]
    elif from_status == Status.CLOSED:
        case.closure_reason = ""
        case.closed_at = None
        fields += ["closure_reason", "closed_at"]
    save_versioned(case, expected_version=expected_version, fields=fields, actor=actor)
    change = CaseStatusChange(
        case=case,
        from_status=from_status,
        to_status=to_status,
        closure_reason=closure_reason if to_status == Status.CLOSED else "",
        reason=reason,
    )
    _stamp(change, actor)
    change.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        changed_fields=fields
        + (["reopen_reason"] if workflow.is_reopen(from_status, to_status) else []),
    )
    return case


def _check_move(case: Case, to_status: str) -> None:
    _check_choice(to_status, choice_values(Status), "status")
    if not workflow.allowed(case.status, to_status):
        raise ValidationError(
            _("A case cannot move from “%(from)s” to “%(to)s”.")
            % {"from": Status(case.status).label, "to": Status(to_status).label},
            code="transition",
        )


def _check_closure_reason(closure_reason: str) -> None:
    if closure_reason not in choice_values(ClosureReason):
        raise ValidationError({"closure_reason": _("Choose the reason for closing the case.")})


def _pending(case: Case) -> CaseApproval | None:
    return CaseApproval.objects.filter(case=case, status=ApprovalStatus.PENDING).first()


@transaction.atomic
def case_transition(
    *,
    actor: User,
    case: Case,
    to_status: str,
    expected_version: int,
    closure_reason: str = "",
    reason: str = "",
) -> Case:
    """Move a case along ``workflow.TRANSITIONS``. A move behind an approval gate that the
    setting turns on needs an approved request (``case_request_approval``); closing needs a
    closure reason; reopening a closed case needs a written reason, kept encrypted."""
    _require(access.can_work_on_case(actor, case))
    _check_move(case, to_status)
    if _pending(case) is not None:
        raise ValidationError(
            _("A request for approval is pending on this case: wait for the supervisor’s decision.")
        )
    gate = workflow.gate_for(case.status, to_status)
    if gate is not None and workflow.approval_required(gate):
        message = {
            ApprovalKind.CASE_PLAN: _(
                "The case plan needs a supervisor’s approval before implementation: request it."
            ),
            ApprovalKind.CLOSURE: _("Closing a case needs a supervisor’s approval: request it."),
        }[ApprovalKind(gate)]
        raise ValidationError(message, code="approval_required")
    if to_status == Status.CLOSED:
        _check_closure_reason(closure_reason)
    reason = _check_text(
        reason,
        "reason",
        required=workflow.is_reopen(case.status, to_status),
        message=_("Say why the case is reopened."),
    )
    return _apply_transition(
        actor=actor,
        case=case,
        to_status=to_status,
        expected_version=expected_version,
        closure_reason=closure_reason if to_status == Status.CLOSED else "",
        reason=reason,
    )


def _has_plan(case: Case) -> bool:
    return CasePlanAction.objects.filter(case=case).exclude(status=ActionStatus.CANCELLED).exists()


@transaction.atomic
def case_request_approval(
    *, actor: User, case: Case, kind: str, closure_reason: str = "", comment: str = ""
) -> CaseApproval:
    """Ask a supervisor to approve the case plan (status "case plan", at least one goal with an
    action) or the closure (with its reason). One pending request per case."""
    _require(access.can_work_on_case(actor, case))
    _check_choice(kind, choice_values(ApprovalKind), "kind")
    target = Status.IMPLEMENTATION if kind == ApprovalKind.CASE_PLAN else Status.CLOSED
    _check_move(case, target)
    if _pending(case) is not None:
        raise ValidationError(_("A request for approval is already pending on this case."))
    if kind == ApprovalKind.CASE_PLAN and not _has_plan(case):
        raise ValidationError(
            _("Add at least one goal with an action to the case plan before asking for approval.")
        )
    if kind == ApprovalKind.CLOSURE:
        _check_closure_reason(closure_reason)
    else:
        closure_reason = ""
    approval = CaseApproval(
        case=case,
        kind=kind,
        closure_reason=closure_reason,
        requested_by=actor,
        comment=_check_text(comment, "comment", required=False),
    )
    _stamp(approval, actor)
    approval.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=approval,
        changed_fields=["case", "kind"]
        + (["closure_reason"] if closure_reason else [])
        + (["comment"] if approval.comment else []),
    )
    return approval


def _check_decider(actor: User, approval: CaseApproval) -> Case:
    case = Case.objects.select_for_update().get(pk=approval.case_id)
    _require(access.can_approve_case(actor, case))
    if approval.status != ApprovalStatus.PENDING:
        raise ValidationError(_("This request was already decided."))
    if actor.pk in (approval.requested_by_id, case.caseworker_id):
        raise ValidationError(
            _("You cannot decide on a request for your own case: another supervisor must.")
        )
    return case


def _decide(approval: CaseApproval, actor: User, status: str, comment: str) -> None:
    approval.status = status
    approval.decided_by = actor
    approval.decided_at = timezone.now()
    approval.comment = comment or approval.comment
    approval.updated_by = actor
    approval.updated_at = approval.decided_at
    approval.save(
        update_fields=["status", "decided_by", "decided_at", "comment", "updated_by", "updated_at"]
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=approval,
        changed_fields=["status", "decided_by", "decided_at"] + (["comment"] if comment else []),
    )


@transaction.atomic
def case_approve(*, actor: User, approval: CaseApproval, comment: str = "") -> Case:
    """A supervisor of the owning organisation, other than the requester and the case's
    caseworker, approves: the case moves to implementation, or closes with the requested
    reason."""
    case = _check_decider(actor, approval)
    comment = _check_text(comment, "comment", required=False)
    target = Status.IMPLEMENTATION if approval.kind == ApprovalKind.CASE_PLAN else Status.CLOSED
    _check_move(case, target)
    _decide(approval, actor, ApprovalStatus.APPROVED, comment)
    return _apply_transition(
        actor=actor,
        case=case,
        to_status=target,
        expected_version=case.version,
        closure_reason=approval.closure_reason if target == Status.CLOSED else "",
    )


@transaction.atomic
def case_reject(*, actor: User, approval: CaseApproval, comment: str) -> CaseApproval:
    """A supervisor sends the request back, saying why; the case stays where it is."""
    _check_decider(actor, approval)
    comment = _check_text(
        comment, "comment", required=True, message=_("Say why the request is rejected.")
    )
    _decide(approval, actor, ApprovalStatus.REJECTED, comment)
    return approval


# --- case plan ------------------------------------------------------------------------------


@transaction.atomic
def case_plan_goal_add(*, actor: User, case: Case, description: str) -> CasePlanGoal:
    _require(access.can_work_on_case(actor, case))
    _check_open(case)
    goal = CasePlanGoal(
        case=case,
        description=_check_text(
            description, "description", required=True, message=_("Describe the goal.")
        ),
    )
    _stamp(goal, actor)
    goal.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=goal, changed_fields=["description"])
    return goal


@transaction.atomic
def case_plan_action_add(
    *,
    actor: User,
    goal: CasePlanGoal,
    description: str,
    due_on: datetime.date,
    service_type: Code | None = None,
) -> CasePlanAction:
    case = goal.case
    _require(access.can_work_on_case(actor, case))
    _check_open(case)
    if due_on is None:
        raise ValidationError({"due_on": _("Give the due date.")})
    if service_type is not None:
        _check_codes([service_type], {"service_type"}, "service_type")
    action = CasePlanAction(
        case=case,
        goal=goal,
        description=_check_text(
            description, "description", required=True, message=_("Describe the action.")
        ),
        due_on=due_on,
        service_type=service_type,
    )
    _stamp(action, actor)
    action.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=action,
        changed_fields=["goal", "description", "due_on"]
        + (["service_type"] if service_type else []),
    )
    return action


@transaction.atomic
def case_plan_action_complete(
    *, actor: User, action: CasePlanAction, completed_on: datetime.date | None = None
) -> CasePlanAction:
    _require(access.can_work_on_case(actor, action.case))
    _check_open(action.case)
    if action.status != ActionStatus.PENDING:
        raise ValidationError(_("This action is no longer to do."))
    completed_on = completed_on or _today()
    _check_past(completed_on, "completed_on")
    action.status = ActionStatus.DONE
    action.completed_on = completed_on
    action.completed_by = actor
    save_versioned(
        action,
        expected_version=action.version,
        fields=["status", "completed_on", "completed_by"],
        actor=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=action,
        changed_fields=["status", "completed_on", "completed_by"],
    )
    return action


# --- services delivered, follow-up, notes ---------------------------------------------------


@transaction.atomic
def service_delivery_record(
    *,
    actor: User,
    case: Case,
    service_type: Code,
    provider: Organisation,
    delivered_on: datetime.date,
    outcome: str,
    quantity: Decimal | None = None,
    unit: str = "",
    note: str = "",
) -> ServiceDelivery:
    """A service given by the owning organisation or another active member organisation."""
    _require(access.can_work_on_case(actor, case))
    _check_open(case)
    _check_codes([service_type], {"service_type"}, "service_type")
    if provider is None or not provider.is_active:
        raise ValidationError({"provider": _("Choose an active organisation of the network.")})
    _check_past(delivered_on, "delivered_on")
    _check_choice(outcome, choice_values(DeliveryOutcome), "outcome")
    if quantity is not None:
        quantity = Decimal(quantity)
        if quantity <= 0:
            raise ValidationError({"quantity": _("The quantity must be more than zero.")})
        _check_choice(unit, choice_values(Unit), "unit")
    elif unit:
        raise ValidationError({"quantity": _("Give the quantity for this unit.")})
    delivery = ServiceDelivery(
        case=case,
        service_type=service_type,
        provider=provider,
        delivered_on=delivered_on,
        outcome=outcome,
        quantity=quantity,
        unit=unit if quantity is not None else "",
        note=_check_text(note, "note", required=False),
    )
    _stamp(delivery, actor)
    delivery.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=delivery,
        changed_fields=["service_type", "provider", "delivered_on", "outcome"]
        + (["quantity", "unit"] if quantity is not None else [])
        + (["note"] if delivery.note else []),
    )
    return delivery


def service_delivery_record_for_referral(
    *,
    referral: Any,
    recorded_by: User,
    delivered_on: datetime.date,
    outcome: str,
) -> ServiceDelivery | None:
    """The service delivery a completed referral records on the referring case.

    Called only by ``referrals.services.referral_complete``, which has checked the referral's
    grant (the receiving organisation's focal point, an accepted referral): the receiver does
    not work on the case otherwise. The delivery belongs to the case's organisation and names
    the receiving organisation as provider. A closed case takes no new service: then nothing is
    recorded here and the outcome stays on the referral (``None``).
    """
    case = referral.case
    if case.is_closed:
        return None
    _check_choice(outcome, choice_values(DeliveryOutcome), "outcome")
    delivery = ServiceDelivery(
        case=case,
        service_type=referral.service.service_type,
        provider=referral.to_organisation,
        delivered_on=delivered_on,
        outcome=outcome,
        organisation_id=case.organisation_id,
        created_by=recorded_by,
        updated_by=recorded_by,
    )
    delivery.save()
    audit_record(
        actor=recorded_by,
        action=AuditAction.CREATE,
        obj=delivery,
        changed_fields=["service_type", "provider", "delivered_on", "outcome"],
        organisation=case.organisation,
    )
    return delivery


@transaction.atomic
def follow_up_schedule(
    *, actor: User, case: Case, due_on: datetime.date, method: str = VisitMethod.HOME
) -> FollowUpVisit:
    _require(access.can_work_on_case(actor, case))
    _check_open(case)
    if due_on is None:
        raise ValidationError({"due_on": _("Give the date of the visit.")})
    _check_choice(method, choice_values(VisitMethod), "method")
    visit = FollowUpVisit(case=case, due_on=due_on, method=method)
    _stamp(visit, actor)
    visit.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=visit, changed_fields=["due_on", "method"]
    )
    return visit


@transaction.atomic
def follow_up_record(
    *,
    actor: User,
    case: Case,
    visited_on: datetime.date,
    method: str,
    note: str = "",
    visit: FollowUpVisit | None = None,
    next_due_on: datetime.date | None = None,
) -> FollowUpVisit:
    """Record a follow-up visit made: the planned ``visit`` it fulfils, or a new one; and plan
    the next one if ``next_due_on`` is given."""
    _require(access.can_work_on_case(actor, case))
    _check_open(case)
    _check_past(visited_on, "visited_on")
    _check_choice(method, choice_values(VisitMethod), "method")
    note = _check_text(note, "note", required=False)
    if next_due_on is not None and next_due_on <= visited_on:
        raise ValidationError({"next_due_on": _("The next visit must come after this one.")})
    fields = ["visited_on", "method", "visited_by"] + (["note"] if note else [])
    if visit is None:
        visit = FollowUpVisit(case=case)
        _stamp(visit, actor)
        action = AuditAction.CREATE
    else:
        if visit.case_id != case.pk or visit.visited_on is not None:
            raise ValidationError({"visit": _("Choose a planned visit of this case.")})
        visit.updated_by = actor
        visit.updated_at = timezone.now()
        action = AuditAction.UPDATE
    visit.visited_on = visited_on
    visit.method = method
    visit.visited_by = actor
    visit.note = note
    visit.save()
    audit_record(actor=actor, action=action, obj=visit, changed_fields=fields)
    if next_due_on is not None:
        follow_up_schedule(actor=actor, case=case, due_on=next_due_on, method=method)
    return visit


@transaction.atomic
def case_note_add(*, actor: User, case: Case, body: str) -> CaseNote:
    """A note on the case, encrypted at rest. Notes may be added to a closed case."""
    _require(access.can_work_on_case(actor, case))
    note = CaseNote(
        case=case, body=_check_text(body, "body", required=True, message=_("Write the note."))
    )
    _stamp(note, actor)
    note.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=note, changed_fields=["body"])
    return note


# --- GBV section ----------------------------------------------------------------------------

GBV_FIELDS = ("incident_type", "incident_date", "narrative")


@transaction.atomic
def gbv_section_save(
    *,
    actor: User,
    case: Case,
    incident_type: str,
    incident_date: datetime.date | None = None,
    narrative: str = "",
    services_offered: Iterable[Code] = (),
    expected_version: int | None = None,
) -> GBVSection:
    """Create (``expected_version`` None) or update the case's GBV section: the GBV focal point
    and the supervisor of the owning organisation only. Edits are optimistically locked."""
    _require(access.can_see_gbv(actor, case))
    _check_choice(incident_type, choice_values(GBVType), "incident_type")
    if incident_date is not None:
        _check_past(incident_date, "incident_date")
    narrative = _check_text(narrative, "narrative", required=False)
    offered = _check_codes(services_offered, {"service_type"}, "services_offered")
    values: dict[str, Any] = {
        "incident_type": incident_type,
        "incident_date": incident_date,
        "narrative": narrative,
    }
    section = GBVSection.objects.filter(case=case).first()
    if section is None:
        if expected_version is not None:
            raise ValidationError(_("This GBV section no longer exists: reload the page."))
        section = GBVSection(case=case, **values)
        _stamp(section, actor)
        section.save()
        section.services_offered.set(offered)
        changed = [k for k, v in values.items() if v] + (["services_offered"] if offered else [])
        audit_record(actor=actor, action=AuditAction.CREATE, obj=section, changed_fields=changed)
        return section
    if expected_version is None:
        raise ValidationError(_("This case already has a GBV section: edit it instead."))
    changed = [k for k, v in values.items() if getattr(section, k) != v]
    for name in changed:
        setattr(section, name, values[name])
    save_versioned(section, expected_version=expected_version, fields=changed, actor=actor)
    if {c.pk for c in section.services_offered.all()} != {c.pk for c in offered}:
        section.services_offered.set(offered)
        changed.append("services_offered")
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=section, changed_fields=changed)
    return section


# --- bulk records -----------------------------------------------------------------------------
#
# For the data generator and imports at scale: screenings, with their assessment and the case
# opened from them (its path through the workflow, the approvals its gated moves needed, the
# services delivered), validated by the rules of the per-row services and written with a few
# multi-row inserts. Dates are given, not taken from the clock: each record is stamped with the
# moment it happened. The audit log gets ONE event per batch (action "create", type
# "cases.screening", record id "bulk:<count>", the kinds of records written): a batch is one act
# of one actor, and millions of events would only repeat that.

BULK_MAX_ROWS = 10_000


@dataclass(frozen=True)
class AssessmentRow:
    assessed_on: datetime.date
    factor_codes: Sequence[str] = ()
    specific_needs: Sequence[Code] = ()
    migration_needs: Sequence[Code] = ()
    immediate_danger: bool = False


@dataclass(frozen=True)
class DeliveryRow:
    service_type: Code
    provider: Organisation
    delivered_on: datetime.date
    outcome: str
    quantity: Decimal | None = None
    unit: str = ""
    note: str = ""


@dataclass(frozen=True)
class CaseRow:
    """The case opened from the screening: who works on it, when it opened, its moves through
    the workflow (``(to_status, at)``, in order), and the services delivered. A gated move
    (case plan → implementation, closure) is recorded as approved by ``approver``."""

    caseworker: User
    opened_at: datetime.datetime
    moves: Sequence[tuple[str, datetime.datetime]] = ()
    closure_reason: str = ""
    approver: User | None = None
    deliveries: Sequence[DeliveryRow] = ()


@dataclass(frozen=True)
class ScreeningRow:
    person: Person
    office: Office
    screened_on: datetime.date
    intervention_rating: str
    outcome: str
    immediate_danger: bool = False
    immediate_needs: Sequence[Code] = ()
    protection_flags: Sequence[Code] = ()
    assessment: AssessmentRow | None = None
    case: CaseRow | None = None


def _day_end(value: datetime.date) -> datetime.datetime:
    """A moment on ``value`` (noon, local time), never later than now."""
    moment = timezone.make_aware(datetime.datetime.combine(value, datetime.time(12)))
    return min(moment, timezone.now())


def _bulk_check_row(
    actor: User,
    row: ScreeningRow,
    *,
    with_basis: set[int],
    codes_ok: Callable[[Iterable[Code], set[str], str], list[Code]],
    caseworkers: dict[int, User],
    now: datetime.datetime,
) -> None:
    """The checks of ``screening_record``, ``assessment_record``, ``case_open``,
    ``case_transition``/``case_approve`` and ``service_delivery_record`` for one row, plus the
    order of its dates (screened, opened, moved, delivered, closed)."""
    _check_person(actor, row.person)
    if row.office.organisation_id != actor.organisation_id or not row.office.is_active:
        raise ValidationError({"office": _("Choose an active office of your organisation.")})
    _check_past(row.screened_on, "screened_on")
    _check_choice(row.intervention_rating, choice_values(priority.Priority), "intervention_rating")
    _check_choice(row.outcome, choice_values(ScreeningOutcome), "outcome")
    codes_ok(row.immediate_needs, {"service_type"}, "immediate_needs")
    codes_ok(row.protection_flags, {"specific_need", "migration_need"}, "protection_flags")
    if row.person.pk not in with_basis:
        raise ValidationError(
            _(
                "This person has not consented to services and no other legal basis is "
                "recorded: record a consent first."
            )
        )
    if row.assessment is not None:
        data = row.assessment
        _check_past(data.assessed_on, "assessed_on")
        if data.assessed_on < row.screened_on:
            raise ValidationError({"assessed_on": _("This date is before the screening.")})
        if any(code not in factors.FACTORS for code in data.factor_codes):
            raise ValidationError({"factors": _("Choose factors from the list.")})
        codes_ok(data.specific_needs, {"specific_need"}, "specific_needs")
        codes_ok(data.migration_needs, {"migration_need"}, "migration_needs")
    if row.case is None:
        return
    case = row.case
    if row.outcome != ScreeningOutcome.CASE_OPENED:
        raise ValidationError(
            _("A case can only be opened from a screening whose outcome is “case opened”.")
        )
    if case.caseworker.pk not in caseworkers:
        if case.caseworker.pk != actor.pk:
            _require(access.can(actor, access.APPROVE))
        caseworkers[case.caseworker.pk] = _check_caseworker(
            case.caseworker, actor.organisation_id or 0
        )
    if case.opened_at > now:
        raise ValidationError({"opened_at": _("This date is in the future.")})
    if timezone.localdate(case.opened_at) < row.screened_on:
        raise ValidationError({"opened_at": _("This date is before the screening.")})
    if case.opened_at < row.person.registered_at:
        raise ValidationError({"opened_at": _("This date is before the registration.")})
    status: str = Status.OPEN
    at = case.opened_at
    if row.assessment is not None and row.assessment.assessed_on < timezone.localdate(at):
        raise ValidationError({"assessed_on": _("This date is before the case was opened.")})
    for to_status, moved_at in case.moves:
        _check_choice(to_status, choice_values(Status), "status")
        if not workflow.allowed(status, to_status) or workflow.is_reopen(status, to_status):
            raise ValidationError(
                _("A case cannot move from “%(from)s” to “%(to)s”.")
                % {"from": Status(status).label, "to": Status(to_status).label},
                code="transition",
            )
        if not at <= moved_at <= now:
            raise ValidationError({"moves": _("The moves of a case must follow one another.")})
        gate = workflow.gate_for(status, to_status)
        if gate is not None and workflow.approval_required(gate):
            approver = case.approver
            if (
                approver is None
                or not access.can(approver, access.APPROVE)
                or approver.organisation_id != actor.organisation_id
                or approver.pk == case.caseworker.pk
            ):
                raise ValidationError(
                    {"approver": _("Name a supervisor of the organisation to approve this move.")}
                )
        status, at = to_status, moved_at
    if status == Status.CLOSED:
        _check_closure_reason(case.closure_reason)
    elif case.closure_reason:
        raise ValidationError({"closure_reason": _("Only a closed case has a closure reason.")})
    opened_on = timezone.localdate(case.opened_at)
    closed_on = timezone.localdate(at) if status == Status.CLOSED else None
    for delivery in case.deliveries:
        codes_ok([delivery.service_type], {"service_type"}, "service_type")
        if delivery.provider is None or not delivery.provider.is_active:
            raise ValidationError({"provider": _("Choose an active organisation of the network.")})
        _check_past(delivery.delivered_on, "delivered_on")
        if delivery.delivered_on < opened_on or (
            closed_on is not None and delivery.delivered_on > closed_on
        ):
            raise ValidationError(
                {"delivered_on": _("A service is delivered while its case is open.")}
            )
        _check_choice(delivery.outcome, choice_values(DeliveryOutcome), "outcome")
        if delivery.quantity is not None:
            if Decimal(delivery.quantity) <= 0:
                raise ValidationError({"quantity": _("The quantity must be more than zero.")})
            _check_choice(delivery.unit, choice_values(Unit), "unit")
        elif delivery.unit:
            raise ValidationError({"quantity": _("Give the quantity for this unit.")})
        _check_text(delivery.note, "note", required=False)


@transaction.atomic
def case_bulk_record(*, actor: User, rows: Sequence[ScreeningRow]) -> list[int]:
    """Record up to ``BULK_MAX_ROWS`` screenings, with their assessments and cases, all or
    nothing.

    Every row is checked by the rules of the per-row services before anything is written (one
    active case per person and organisation, across the batch too); a bad row refuses the
    whole batch (``people.services.BulkRowsError``, a ``ValidationError`` naming every bad
    row, nothing saved). One audit event for the batch (see above). Returns the screenings'
    primary keys, in the order of ``rows``.
    """
    _require(access.can(actor, access.MANAGE))
    if len(rows) > BULK_MAX_ROWS:
        raise ValidationError(
            _("Record at most %(count)s screenings at once.") % {"count": BULK_MAX_ROWS}
        )
    if not rows:
        return []
    now = timezone.now()
    person_ids = {row.person.pk for row in rows}
    organisation_id: int = actor.organisation_id or 0
    with_basis = set(
        Person.objects.filter(pk__in=person_ids, organisation_id=organisation_id)
        .filter(
            Q(legal_basis__gt="")
            | Q(
                consents__scope=ConsentScope.SERVICES,
                consents__withdrawn_at__isnull=True,
            )
        )
        .values_list("pk", flat=True)
    )
    active_case = set(
        Case.objects.filter(organisation_id=organisation_id, person_id__in=person_ids)
        .exclude(status=Status.CLOSED)
        .values_list("person_id", flat=True)
    )
    known_codes: dict[int, bool] = {}

    def codes_ok(codes: Iterable[Code], lists: set[str], field: str) -> list[Code]:
        cleaned = list(dict.fromkeys(codes))
        for code in cleaned:
            if code.pk not in known_codes:
                known_codes[code.pk] = code.is_active
            if code.list not in lists or not known_codes[code.pk]:
                raise ValidationError({field: _("Choose codes from the list.")})
        return cleaned

    caseworkers: dict[int, User] = {}
    refused: list[tuple[int, ValidationError]] = []
    for position, row in enumerate(rows, start=1):
        try:
            _bulk_check_row(
                actor,
                row,
                with_basis=with_basis,
                codes_ok=codes_ok,
                caseworkers=caseworkers,
                now=now,
            )
            if row.case is not None:
                ends_active = not row.case.moves or row.case.moves[-1][0] != Status.CLOSED
                if row.person.pk in active_case:
                    raise ValidationError(
                        _("This person already has an active case: work on that one.")
                    )
                if ends_active:
                    active_case.add(row.person.pk)
        except ValidationError as exc:
            refused.append((position, exc))
    if refused:
        raise BulkRowsError(refused)

    # Written as plain rows (``core.bulk``): building a model instance per row was most of an
    # import's time.
    org_id = organisation_id
    actor_id = actor.pk

    def stamped(at: datetime.datetime, **values: Any) -> dict[str, Any]:
        return {
            "organisation_id": org_id,
            "created_by_id": actor_id,
            "updated_by_id": actor_id,
            "created_at": at,
            "updated_at": at,
            **values,
        }

    screening_ids = insert_rows(
        Screening,
        (
            stamped(
                _day_end(row.screened_on),
                person_id=row.person.pk,
                office_id=row.office.pk,
                screened_on=row.screened_on,
                screened_by_id=actor_id,
                intervention_rating=row.intervention_rating,
                outcome=row.outcome,
                immediate_danger=bool(row.immediate_danger),
            )
            for row in rows
        ),
        returning=True,
    )
    insert_rows(
        *through_rows(
            Screening.immediate_needs,
            [
                (screening_id, code.pk)
                for screening_id, row in zip(screening_ids, rows, strict=True)
                for code in dict.fromkeys(row.immediate_needs)
            ],
        )
    )
    insert_rows(
        *through_rows(
            Screening.protection_flags,
            [
                (screening_id, code.pk)
                for screening_id, row in zip(screening_ids, rows, strict=True)
                for code in dict.fromkeys(row.protection_flags)
            ],
        )
    )

    case_values: list[dict[str, Any]] = []
    case_rows: list[ScreeningRow] = []
    results: dict[int, priority.Result] = {}
    for position, (screening_id, row) in enumerate(zip(screening_ids, rows, strict=True)):
        if row.assessment is not None:
            data = row.assessment
            results[position] = priority.evaluate(
                priority.PriorityInput(
                    immediate_danger=bool(data.immediate_danger),
                    specific_needs=frozenset(c.code for c in data.specific_needs),
                    migration_needs=frozenset(c.code for c in data.migration_needs),
                    factors=frozenset(data.factor_codes),
                )
            )
        if row.case is None:
            continue
        data_case = row.case
        final: str = Status.OPEN
        closed_at, reason = None, ""
        if data_case.moves:
            final = data_case.moves[-1][0]
            if final == Status.CLOSED:
                closed_at, reason = data_case.moves[-1][1], data_case.closure_reason
        rating = results[position].rating if position in results else row.intervention_rating
        last = data_case.moves[-1][1] if data_case.moves else data_case.opened_at
        case_values.append(
            stamped(
                data_case.opened_at,
                updated_at=last,
                person_id=row.person.pk,
                caseworker_id=data_case.caseworker.pk,
                opened_from_id=screening_id,
                priority=rating,
                status=final,
                closure_reason=reason,
                opened_at=data_case.opened_at,
                closed_at=closed_at,
                version=1
                + len(data_case.moves)
                + int(position in results and rating != row.intervention_rating),
            )
        )
        case_rows.append(row)
    case_ids = insert_rows(Case, case_values, returning=True)
    case_of = {id(row): case_id for case_id, row in zip(case_ids, case_rows, strict=True)}

    assessment_values: list[dict[str, Any]] = []
    assessment_rows: list[AssessmentRow] = []
    for position, row in enumerate(rows):
        if row.assessment is None:
            continue
        assessment_values.append(
            stamped(
                _day_end(row.assessment.assessed_on),
                person_id=row.person.pk,
                case_id=case_of.get(id(row)),
                assessed_on=row.assessment.assessed_on,
                assessed_by_id=actor_id,
                immediate_danger=bool(row.assessment.immediate_danger),
                priority=results[position].rating,
                priority_rules=list(results[position].rule_ids),
            )
        )
        assessment_rows.append(row.assessment)
    assessment_ids = insert_rows(VulnerabilityAssessment, assessment_values, returning=True)
    insert_rows(
        AssessmentFactor,
        (
            {
                "assessment_id": assessment_id,
                "level": factors.FACTORS[code].level,
                "kind": factors.FACTORS[code].kind,
                "factor": code,
            }
            for assessment_id, data in zip(assessment_ids, assessment_rows, strict=True)
            for code in dict.fromkeys(data.factor_codes)
        ),
    )
    insert_rows(
        *through_rows(
            VulnerabilityAssessment.specific_needs,
            [
                (assessment_id, code.pk)
                for assessment_id, data in zip(assessment_ids, assessment_rows, strict=True)
                for code in dict.fromkeys(data.specific_needs)
            ],
        )
    )
    insert_rows(
        *through_rows(
            VulnerabilityAssessment.migration_needs,
            [
                (assessment_id, code.pk)
                for assessment_id, data in zip(assessment_ids, assessment_rows, strict=True)
                for code in dict.fromkeys(data.migration_needs)
            ],
        )
    )

    changes: list[dict[str, Any]] = []
    approvals: list[dict[str, Any]] = []
    deliveries: list[dict[str, Any]] = []
    for case_id, row in zip(case_ids, case_rows, strict=True):
        moved = row.case
        assert moved is not None  # noqa: S101 - case_rows holds rows with a case
        status: str = Status.OPEN
        for to_status, moved_at in moved.moves:
            gate = workflow.gate_for(status, to_status)
            mover = moved.caseworker
            if gate is not None and workflow.approval_required(gate):
                mover = moved.approver or mover
                approvals.append(
                    stamped(
                        moved_at,
                        case_id=case_id,
                        kind=gate,
                        status=ApprovalStatus.APPROVED,
                        closure_reason=(
                            moved.closure_reason if gate == ApprovalKind.CLOSURE else ""
                        ),
                        requested_by_id=moved.caseworker.pk,
                        decided_by_id=mover.pk,
                        decided_at=moved_at,
                        created_by_id=moved.caseworker.pk,
                        updated_by_id=mover.pk,
                    )
                )
            changes.append(
                stamped(
                    moved_at,
                    case_id=case_id,
                    from_status=status,
                    to_status=to_status,
                    closure_reason=moved.closure_reason if to_status == Status.CLOSED else "",
                    created_by_id=mover.pk,
                    updated_by_id=mover.pk,
                )
            )
            status = to_status
        for delivery in moved.deliveries:
            deliveries.append(
                stamped(
                    _day_end(delivery.delivered_on),
                    case_id=case_id,
                    service_type_id=delivery.service_type.pk,
                    provider_id=delivery.provider.pk if delivery.provider else None,
                    delivered_on=delivery.delivered_on,
                    outcome=delivery.outcome,
                    quantity=(
                        Decimal(delivery.quantity) if delivery.quantity is not None else None
                    ),
                    unit=delivery.unit if delivery.quantity is not None else "",
                    note=_check_text(delivery.note, "note", required=False),
                )
            )
    insert_rows(CaseStatusChange, changes)
    insert_rows(CaseApproval, approvals)
    insert_rows(ServiceDelivery, deliveries)
    listkeys.refresh(
        row.person.pk for row in rows if row.case is not None or row.assessment is not None
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=Screening._meta.label_lower,
        object_id=f"bulk:{len(screening_ids)}",
        changed_fields=[
            "screenings",
            *(["assessments"] if assessment_ids else []),
            *(["cases"] if case_ids else []),
            *(["status_changes"] if changes else []),
            *(["approvals"] if approvals else []),
            *(["deliveries"] if deliveries else []),
        ],
    )
    return screening_ids


# --- case transfer ------------------------------------------------------------------------------


def case_file_transfer(
    *, case: Case, to_organisation: Organisation, caseworker: User, office: Office, actor: User
) -> None:
    """Move the person's whole case file to ``to_organisation`` (a case transfer accepted by the
    receiving organisation): every case of the person in the old organisation with its history,
    approvals, plan, services, visits, notes and GBV section, the person's screenings and
    assessments, then the person's record (``people.services.person_transfer_ownership``). The
    cases are assigned to ``caseworker`` (an active caseworker of the receiving organisation);
    screenings take ``office``. The old owner keeps nothing it can reach: every record is now
    the new owner's, and access is by organisation.

    Called only by ``referrals.services`` (the transfer's checks are there).
    """
    from kariya.people.services import person_transfer_ownership

    old_org_id = case.organisation_id
    person = case.person
    _check_caseworker(caseworker, to_organisation.pk)
    org_id = to_organisation.pk
    case_ids = list(
        Case.objects.filter(person_id=person.pk, organisation_id=old_org_id).values_list(
            "pk", flat=True
        )
    )
    if (
        Case.objects.filter(person_id=person.pk, organisation_id=org_id)
        .exclude(status=Status.CLOSED)
        .exists()
    ):
        raise ValidationError(
            _("The receiving organisation already has an active case of this person.")
        )
    for model in (
        CaseStatusChange,
        CaseApproval,
        CasePlanGoal,
        CasePlanAction,
        ServiceDelivery,
        FollowUpVisit,
        CaseNote,
        GBVSection,
    ):
        model.objects.filter(case_id__in=case_ids).update(organisation_id=org_id)
    Case.objects.filter(pk__in=case_ids).update(
        organisation_id=org_id, caseworker=caseworker, version=F("version") + 1
    )
    Screening.objects.filter(person_id=person.pk, organisation_id=old_org_id).update(
        organisation_id=org_id, office=office
    )
    VulnerabilityAssessment.objects.filter(person_id=person.pk, organisation_id=old_org_id).update(
        organisation_id=org_id
    )
    person_transfer_ownership(
        person=person, to_organisation=to_organisation, office=office, actor=actor
    )
    listkeys.refresh([person.pk])
    case.organisation_id = org_id
    case.caseworker = caseworker
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        changed_fields=["organisation", "caseworker"],
        organisation=to_organisation,
    )
