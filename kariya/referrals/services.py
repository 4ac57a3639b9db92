"""Every write to referrals. Keyword-only, atomic, validating (``ValidationError``, nothing
written), checking the actor's side of the referral (``PermissionDenied``), audited with field
names, never values. Every change of an existing referral takes ``expected_version`` and refuses
a stale copy (``code="stale"``): a page opened before someone else's change cannot overwrite it.

Workflow (reference/domain.md)::

    draft --send--> sent --acknowledge--> acknowledged
    sent | acknowledged --accept--> accepted --start--> in progress
    sent | acknowledged --decline (reason)--> declined
    accepted | in progress --complete (outcome)--> completed   (records a service delivery)
    accepted | in progress --no_show--> no-show / lost to follow-up
    (any open status or draft) --cancel (reason, referring side)--> cancelled

The referring side sends and cancels; the receiving side (the focal point of the organisation
keeping the service) does the rest.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kariya.accounts.models import User
from kariya.accounts.roles import Role
from kariya.cases import access as cases_access
from kariya.cases.models import Case, DeliveryOutcome, ServiceDelivery, VulnerabilityAssessment
from kariya.cases.services import service_delivery_record_for_referral
from kariya.codelists.models import Code
from kariya.core.access import actor_can
from kariya.core.audit import audit_record
from kariya.core.choices import choice_values
from kariya.core.locking import save_versioned
from kariya.core.models import AuditAction
from kariya.directory.models import Service
from kariya.directory.models import Status as ServiceStatus
from kariya.people.models import (
    Consent,
    ConsentScope,
    DataCategory,
    Identity,
    Person,
    RestrictionAudience,
)
from kariya.people.selectors import (
    consent_covering,
    person_has_basis_for_services,
    restrictions_in_force,
)
from kariya.referrals import access
from kariya.referrals.models import (
    DEADLINES,
    IDENTIFYING,
    OPEN,
    Kind,
    Notification,
    NotificationKind,
    Priority,
    Referral,
    ReferralEvent,
    SharedField,
    Status,
)
from kariya.referrals.notifications import notify
from kariya.referrals.pathways import eligibility_problems, traits_of

MAX_TEXT = 5_000

# Which consent restriction ("withhold X from Y") keeps which shared field back.
WITHHELD_BY: dict[str, tuple[str, ...]] = {
    DataCategory.IDENTITY: (SharedField.NAME,),
    DataCategory.CONTACT: (SharedField.PHONE,),
    DataCategory.HEALTH: (SharedField.SPECIFIC_NEEDS, SharedField.SERVICES_GIVEN),
    DataCategory.VIOLENCE: (SharedField.SPECIFIC_NEEDS,),
    DataCategory.LEGAL_STATUS: (SharedField.POPULATION_CATEGORY,),
}


@dataclass(frozen=True)
class ReferralInput:
    service: Service
    priority: str
    reason: str
    services_requested: Sequence[Code] = ()
    shared_fields: Sequence[str] = field(default_factory=tuple)


# --- checks ----------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))


def _error(field_name: str, message: str, code: str) -> ValidationError:
    return ValidationError({field_name: ValidationError(message, code=code)})


def _text(value: str, name: str, *, required: bool, message: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({name: message or _("This field is required.")})
    if len(value) > MAX_TEXT:
        raise ValidationError({name: _("This text is too long.")})
    return value


def _check_input(data: ReferralInput) -> tuple[str, list[Code], list[str]]:
    if data.priority not in Priority.values:
        raise ValidationError({"priority": _("Choose one of the listed values.")})
    reason = _text(
        data.reason, "reason", required=True, message=_("Say why the person is referred.")
    )
    requested = list(dict.fromkeys(data.services_requested))
    for code in requested:
        if code.list != "service_type" or not code.is_active:
            raise ValidationError({"services_requested": _("Choose codes from the list.")})
    fields = list(dict.fromkeys(data.shared_fields))
    if any(f not in SharedField.values for f in fields):
        raise ValidationError({"shared_fields": _("Choose fields from the list.")})
    return reason, requested, fields


def _check_service(service: Service) -> None:
    if (
        service is None
        or service.revision_of_id is not None
        or service.status != ServiceStatus.PUBLISHED
        or not service.organisation.is_active
    ):
        raise ValidationError({"service": _("Choose a published service of the directory.")})


def _event(referral: Referral, actor: User, from_status: str, note: str = "") -> None:
    ReferralEvent.objects.create(
        referral=referral,
        by=actor,
        organisation=actor.organisation,  # type: ignore[misc]
        from_status=from_status,
        to_status=referral.status,
        note=note,
    )


def _move(
    referral: Referral,
    *,
    actor: User,
    expected_version: int,
    allowed_from: Sequence[str],
    to: str,
    fields: Sequence[str] = (),
    note: str = "",
) -> Referral:
    if referral.status not in allowed_from:
        # A stale page is the usual reason: say so when the version moved too.
        if referral.version != expected_version:
            from kariya.core.locking import stale_error

            raise stale_error()
        raise ValidationError(
            _("This referral is %(status)s: this step is not possible now.")
            % {"status": referral.get_status_display().lower()}
        )
    from_status = referral.status
    referral.status = to
    referral.is_open = to in OPEN
    save_versioned(
        referral,
        expected_version=expected_version,
        fields=["status", "is_open", *fields],
        actor=actor,
    )
    _event(referral, actor, from_status, note)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=referral, changed_fields=["status", *fields]
    )
    return referral


def _receivers(referral: Referral) -> list[User]:
    """Who hears of a referral on the receiving side: the service's focal point, or else every
    active service focal point of the organisation."""
    focal = referral.receiving_focal_point or referral.service.focal_point
    if focal is not None and focal.is_active:
        return [focal]
    return list(
        User.objects.filter(
            organisation_id=referral.to_organisation_id,
            is_active=True,
            roles__role=Role.SERVICE_FOCAL_POINT,
        )
    )


# --- referring side ---------------------------------------------------------------------------


@transaction.atomic
def referral_create(*, actor: User, case: Case, data: ReferralInput) -> Referral:
    """A draft referral of the case's person to a directory service."""
    _require(access.can(actor, access.SEND) and cases_access.can_work_on_case(actor, case))
    if case.is_closed:
        raise ValidationError(_("This case is closed: reopen it first."))
    _check_service(data.service)
    reason, requested, fields = _check_input(data)
    referral = Referral(
        organisation_id=case.organisation_id,
        case=case,
        referred_by=actor,
        service=data.service,
        to_organisation_id=data.service.organisation_id,
        priority=data.priority,
        reason=reason,
        shared_fields=fields,
        created_by=actor,
        updated_by=actor,
    )
    referral.save()
    referral.services_requested.set(requested)
    _event(referral, actor, "")
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=referral,
        changed_fields=[
            "case",
            "service",
            "priority",
            "reason",
            "services_requested",
            "shared_fields",
        ],
    )
    return referral


@transaction.atomic
def referral_update(
    *, actor: User, referral: Referral, expected_version: int, data: ReferralInput
) -> Referral:
    """Change a draft (the whole content, as a form does)."""
    _require(
        access.can_follow(actor, referral) and cases_access.can_work_on_case(actor, referral.case)
    )
    if referral.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    _check_service(data.service)
    reason, requested, fields = _check_input(data)
    referral.service = data.service
    referral.to_organisation_id = data.service.organisation_id
    referral.priority = data.priority
    referral.reason = reason
    referral.shared_fields = fields
    save_versioned(
        referral,
        expected_version=expected_version,
        fields=["service", "to_organisation", "priority", "reason", "shared_fields"],
        actor=actor,
    )
    referral.services_requested.set(requested)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=referral,
        changed_fields=["service", "priority", "reason", "services_requested", "shared_fields"],
    )
    return referral


def consent_for(referral: Referral) -> Consent | None:
    """The consent that covers this referral's recipient and service type, if any. A referral
    inside the referring organisation needs the services basis instead (``None`` here)."""
    return consent_covering(
        referral.case.person,
        ConsentScope.REFERRAL,
        referral.service.organisation,
        service_type=referral.service.service_type,
    )


def _withheld(person: Person, referral: Referral) -> set[str]:
    """Shared fields the person's consent restrictions keep from this recipient."""
    withheld: set[str] = set()
    internal = referral.to_organisation_id == referral.organisation_id
    for restriction in restrictions_in_force(person=person):
        applies = (
            restriction.audience == RestrictionAudience.ORGANISATION
            and restriction.organisation_id == referral.to_organisation_id
        ) or (restriction.audience == RestrictionAudience.PARTNERS and not internal)
        if applies:
            withheld.update(WITHHELD_BY.get(restriction.withhold, ()))
    return withheld


def _snapshot(actor: User, referral: Referral, person: Person, age: int) -> dict[str, Any]:
    fields = set(referral.shared_fields)
    data: dict[str, Any] = {"case_code": person.case_code, "sex": person.sex, "age": age}
    if fields & {SharedField.NAME, SharedField.PHONE}:
        identity = Identity.objects.filter(person_id=person.pk).first()
        if identity is not None:
            audit_record(actor=actor, action=AuditAction.READ, obj=identity)
            if SharedField.NAME in fields:
                data["name"] = " ".join(
                    p for p in (identity.given_names, identity.family_names) if p
                )
            if SharedField.PHONE in fields:
                data["phones"] = identity.phone_list
    if SharedField.NATIONALITY in fields:
        data["nationalities"] = sorted(person.nationalities.values_list("iso3", flat=True))
    category = person.population_category
    if SharedField.POPULATION_CATEGORY in fields and category is not None:
        data["population_category"] = category.code
    if SharedField.LANGUAGES in fields:
        data["languages"] = sorted(person.languages.values_list("code", flat=True))
    if SharedField.SPECIFIC_NEEDS in fields:
        assessment = (
            VulnerabilityAssessment.objects.filter(person_id=person.pk)
            .filter(organisation_id=referral.organisation_id)
            .order_by("-assessed_on", "-id")
            .first()
        )
        data["specific_needs"] = (
            sorted(assessment.specific_needs.values_list("code", flat=True)) if assessment else []
        )
    if SharedField.SERVICES_GIVEN in fields:
        data["services_given"] = [
            [code, day.isoformat()]
            for code, day in ServiceDelivery.objects.filter(case_id=referral.case_id)
            .order_by("delivered_on")
            .values_list("service_type__code", "delivered_on")
        ]
    return data


@transaction.atomic
def referral_send(
    *,
    actor: User,
    referral: Referral,
    expected_version: int,
    override_reason: str = "",
    now: datetime.datetime | None = None,
) -> Referral:
    """Send a draft. Refused, with nothing written:

    - when the service's eligibility excludes the person (the reasons are given);
    - without the person's consent to be referred to this organisation or this service type
      (a referral inside the referring organisation needs the services consent or another legal
      basis instead), unless a supervisor (``referrals.override_consent``) gives a reason —
      the override is audited on its own;
    - when it would share the name or phone numbers without a consent that names the receiving
      organisation (an override never covers identity), or a field the person's consent
      restrictions withhold from this recipient.

    The receiver gets a snapshot of the shared fields (always the case code, sex and age), the
    deadline of the priority, and a notification.
    """
    _require(
        access.can_follow(actor, referral) and cases_access.can_work_on_case(actor, referral.case)
    )
    case = referral.case
    person: Person = case.person
    if case.is_closed:
        raise ValidationError(_("This case is closed: reopen it first."))
    service = Service.objects.select_related("organisation", "focal_point", "service_type").get(
        pk=referral.service_id
    )
    referral.service = service
    _check_service(service)
    traits = traits_of(person)
    problems = eligibility_problems(service, traits)
    if problems:
        raise ValidationError(
            {"service": [ValidationError(p, code="not_eligible") for p in problems]}
        )
    internal = service.organisation_id == referral.organisation_id
    consent = None if internal else consent_for(referral)
    override_reason = _text(override_reason, "override_reason", required=False)
    overridden = False
    if internal:
        if not person_has_basis_for_services(person):
            raise _error(
                "consent",
                _("The person has no consent to services nor another legal basis."),
                "consent",
            )
    elif consent is None:
        if not override_reason:
            raise _error(
                "consent",
                _(
                    "The person has not consented to be referred to this organisation or "
                    "for this type of service. Record the consent first; only a supervisor "
                    "may go ahead without it, giving a reason."
                ),
                "consent",
            )
        _require(access.can_override_consent(actor))
        overridden = True
    fields = set(referral.shared_fields)
    identifying = fields & set(IDENTIFYING)
    if identifying and not internal:
        if not actor_can(actor, "people.view_identity"):
            raise ValidationError(
                {"shared_fields": _("You may not share the name or phone numbers.")}
            )
        if consent is None or consent.recipient_organisation_id != service.organisation_id:
            raise _error(
                "shared_fields",
                _(
                    "The name and phone numbers are shared only with the person's consent "
                    "to be referred to this organisation by name; the case code stands in "
                    "for the name otherwise."
                ),
                "identity",
            )
    withheld = fields & _withheld(person, referral)
    if withheld:
        labels = ", ".join(str(SharedField(f).label) for f in sorted(withheld))
        raise _error(
            "shared_fields",
            _("The person asked that this be withheld from this organisation: %(fields)s.")
            % {"fields": labels},
            "restricted",
        )
    now = now or timezone.now()
    referral.sent_at = now
    referral.deadline = now + DEADLINES[referral.priority]
    referral.consent = consent
    referral.receiving_focal_point = service.focal_point
    referral.shared_data = json.dumps(_snapshot(actor, referral, person, traits.age))
    changed = ["sent_at", "deadline", "consent", "receiving_focal_point", "shared_data"]
    if overridden:
        referral.consent_override_by = actor
        referral.consent_override_reason = override_reason
        changed += ["consent_override_by", "consent_override_reason"]
    _move(
        referral,
        actor=actor,
        expected_version=expected_version,
        allowed_from=(Status.DRAFT,),
        to=Status.SENT,
        fields=changed,
    )
    if overridden:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="referrals.consent_override",
            object_id=str(referral.public_id),
            changed_fields=["consent_override_reason"],
        )
    notify(_receivers(referral), NotificationKind.REFERRAL_RECEIVED, referral)
    return referral


def referral_refer(
    *, actor: User, case: Case, data: ReferralInput, override_reason: str = ""
) -> Referral:
    """Create and send in one step (the form's "send"); all or nothing."""
    with transaction.atomic():
        referral = referral_create(actor=actor, case=case, data=data)
        return referral_send(
            actor=actor,
            referral=referral,
            expected_version=referral.version,
            override_reason=override_reason,
        )


@transaction.atomic
def referral_cancel(
    *, actor: User, referral: Referral, expected_version: int, reason: str
) -> Referral:
    """The referring side withdraws the referral (reason required); the receiver loses
    access at once and is told."""
    _require(access.can_follow(actor, referral))
    reason = _text(reason, "reason", required=True, message=_("Say why it is cancelled."))
    was_sent = referral.status != Status.DRAFT
    referral.closed_at = timezone.now()
    _move(
        referral,
        actor=actor,
        expected_version=expected_version,
        allowed_from=(
            Status.DRAFT,
            Status.SENT,
            Status.ACKNOWLEDGED,
            Status.ACCEPTED,
            Status.IN_PROGRESS,
        ),
        to=Status.CANCELLED,
        fields=["closed_at"],
        note=reason,
    )
    if was_sent:
        notify(_receivers(referral), NotificationKind.REFERRAL_CANCELLED, referral)
    return referral


# --- receiving side --------------------------------------------------------------------------


def _received(actor: User, referral: Referral) -> None:
    _require(access.can_receive(actor, referral))


def _tell_sender(referral: Referral) -> None:
    notify([referral.referred_by], NotificationKind.REFERRAL_UPDATED, referral)


@transaction.atomic
def referral_acknowledge(*, actor: User, referral: Referral, expected_version: int) -> Referral:
    """The receiver has seen the referral (it is not overdue any less for that)."""
    _received(actor, referral)
    referral.acknowledged_at = timezone.now()
    _move(
        referral,
        actor=actor,
        expected_version=expected_version,
        allowed_from=(Status.SENT,),
        to=Status.ACKNOWLEDGED,
        fields=["acknowledged_at"],
    )
    _tell_sender(referral)
    return referral


@transaction.atomic
def referral_accept(
    *,
    actor: User,
    referral: Referral,
    expected_version: int,
    note: str = "",
    caseworker: User | None = None,
) -> Referral:
    """Accept. For a case transfer, ``caseworker`` (an active caseworker of the receiving
    organisation) takes the case, and the ownership moves now (``_transfer``)."""
    _received(actor, referral)
    if referral.kind == Kind.TRANSFER:
        return _transfer(actor, referral, expected_version, caseworker)
    referral.accepted_at = timezone.now()
    if referral.acknowledged_at is None:
        referral.acknowledged_at = referral.accepted_at
    referral.receiving_focal_point = actor
    _move(
        referral,
        actor=actor,
        expected_version=expected_version,
        allowed_from=(Status.SENT, Status.ACKNOWLEDGED),
        to=Status.ACCEPTED,
        fields=["accepted_at", "acknowledged_at", "receiving_focal_point"],
        note=_text(note, "note", required=False),
    )
    _tell_sender(referral)
    return referral


@transaction.atomic
def referral_decline(
    *, actor: User, referral: Referral, expected_version: int, reason: str
) -> Referral:
    """Decline with a reason; the referral closes and the receiver loses access."""
    _received(actor, referral)
    reason = _text(reason, "reason", required=True, message=_("Say why it is declined."))
    referral.decline_reason = reason
    referral.closed_at = timezone.now()
    _move(
        referral,
        actor=actor,
        expected_version=expected_version,
        allowed_from=(Status.SENT, Status.ACKNOWLEDGED),
        to=Status.DECLINED,
        fields=["decline_reason", "closed_at"],
        note=reason,
    )
    _tell_sender(referral)
    return referral


@transaction.atomic
def referral_start(*, actor: User, referral: Referral, expected_version: int) -> Referral:
    _received(actor, referral)
    _move(
        referral,
        actor=actor,
        expected_version=expected_version,
        allowed_from=(Status.ACCEPTED,),
        to=Status.IN_PROGRESS,
    )
    _tell_sender(referral)
    return referral


@transaction.atomic
def referral_complete(
    *,
    actor: User,
    referral: Referral,
    expected_version: int,
    outcome: str,
    feedback: str = "",
    delivered_on: datetime.date | None = None,
) -> Referral:
    """The service was given (or not): the outcome and the feedback go back to the referring
    caseworker, and a service delivery is recorded on the referring case (through
    ``cases.services``). The referral closes and the receiver loses access."""
    _received(actor, referral)
    if outcome not in choice_values(DeliveryOutcome):
        raise ValidationError({"outcome": _("Choose one of the listed values.")})
    delivered_on = delivered_on or timezone.localdate()
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("This date is in the future.")})
    feedback = _text(feedback, "feedback", required=False)
    referral.outcome = outcome
    referral.feedback = feedback
    referral.closed_at = timezone.now()
    _move(
        referral,
        actor=actor,
        expected_version=expected_version,
        allowed_from=(Status.ACCEPTED, Status.IN_PROGRESS),
        to=Status.COMPLETED,
        fields=["outcome", "feedback", "closed_at"],
        note=feedback,
    )
    delivery = service_delivery_record_for_referral(
        referral=referral, recorded_by=actor, delivered_on=delivered_on, outcome=outcome
    )
    if delivery is not None:
        Referral.objects.filter(pk=referral.pk).update(delivery=delivery)
        referral.delivery = delivery
    _tell_sender(referral)
    return referral


@transaction.atomic
def referral_no_show(
    *, actor: User, referral: Referral, expected_version: int, note: str = ""
) -> Referral:
    """The person did not come, or was lost to follow-up."""
    _received(actor, referral)
    referral.closed_at = timezone.now()
    referral.feedback = _text(note, "note", required=False)
    _move(
        referral,
        actor=actor,
        expected_version=expected_version,
        allowed_from=(Status.ACCEPTED, Status.IN_PROGRESS),
        to=Status.NO_SHOW,
        fields=["closed_at", "feedback"],
        note=referral.feedback,
    )
    _tell_sender(referral)
    return referral


# --- case transfer ---------------------------------------------------------------------------


@transaction.atomic
def transfer_request(
    *, actor: User, case: Case, service: Service, reason: str, priority: str = Priority.NORMAL
) -> Referral:
    """Ask another organisation to take over the case (``referrals.transfer``: supervisors).

    A transfer moves the person's whole file, so it needs the person's referral consent that
    **names** the receiving organisation; no override. It travels like a referral (the
    receiving focal point sees the minimum until it accepts) and the ownership moves when the
    receiving organisation accepts (``referral_accept`` with a caseworker).
    """
    _require(access.can(actor, access.TRANSFER) and cases_access.can_work_on_case(actor, case))
    if case.is_closed:
        raise ValidationError(_("This case is closed: reopen it first."))
    _check_service(service)
    if service.organisation_id == case.organisation_id:
        raise ValidationError({"service": _("A transfer goes to another organisation.")})
    if Referral.objects.filter(case=case, kind=Kind.TRANSFER, status__in=OPEN).exists():
        raise ValidationError(_("A transfer of this case is already waiting for an answer."))
    referral = referral_create(
        actor=actor,
        case=case,
        data=ReferralInput(
            service=service,
            priority=priority,
            reason=reason,
            services_requested=(service.service_type,),
        ),
    )
    consent = consent_for(referral)
    if consent is None or consent.recipient_organisation_id != service.organisation_id:
        raise _error(
            "consent",
            _(
                "A case transfer needs the person's consent to be referred to this "
                "organisation by name."
            ),
            "consent",
        )
    Referral.objects.filter(pk=referral.pk).update(kind=Kind.TRANSFER)
    referral.kind = Kind.TRANSFER
    return referral_send(actor=actor, referral=referral, expected_version=referral.version)


def _transfer(
    actor: User, referral: Referral, expected_version: int, caseworker: User | None
) -> Referral:
    from kariya.accounts.models import Office

    if (
        caseworker is None
        or not caseworker.is_active
        or caseworker.organisation_id != referral.to_organisation_id
        or Role.CASEWORKER not in caseworker.role_codes()
    ):
        raise ValidationError(
            {"caseworker": _("Choose an active caseworker of your organisation to take the case.")}
        )
    office = (
        Office.objects.filter(organisation_id=referral.to_organisation_id, is_active=True)
        .order_by("pk")
        .first()
    )
    if office is None:
        raise ValidationError(_("Your organisation has no active office to take the case."))
    # Checked again at the moment of the move: a consent withdrawn since the request stops it.
    consent = consent_for(referral)
    if consent is None or consent.recipient_organisation_id != referral.to_organisation_id:
        raise _error(
            "consent",
            _("The person's consent to this transfer is no longer in force."),
            "consent",
        )
    now = timezone.now()
    referral.accepted_at = now
    referral.acknowledged_at = referral.acknowledged_at or now
    referral.closed_at = now
    referral.receiving_focal_point = actor
    referral.outcome = DeliveryOutcome.DELIVERED
    old_org_id = referral.organisation_id
    _move(
        referral,
        actor=actor,
        expected_version=expected_version,
        allowed_from=(Status.SENT, Status.ACKNOWLEDGED),
        to=Status.COMPLETED,
        fields=["accepted_at", "acknowledged_at", "closed_at", "receiving_focal_point", "outcome"],
    )
    from kariya.cases.services import case_file_transfer

    case_file_transfer(
        case=referral.case,
        to_organisation=referral.to_organisation,
        caseworker=caseworker,
        office=office,
        actor=actor,
    )
    # The case's referrals (this one included) follow the case: the old owner keeps none.
    Referral.objects.filter(case_id=referral.case_id, organisation_id=old_org_id).update(
        organisation_id=referral.to_organisation_id
    )
    referral.organisation_id = referral.to_organisation_id
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="referrals.case_transfer",
        object_id=str(referral.public_id),
        changed_fields=["case", "person"],
    )
    notify([caseworker], NotificationKind.REFERRAL_RECEIVED, referral)
    return referral


def notification_open(*, actor: User, pk: int) -> Notification:
    """Mark one of the actor's notifications read (once) and return it; another user's, or an
    unknown one, is ``Http404``."""
    note = Notification.objects.filter(recipient_id=actor.pk, pk=pk).first()
    if note is None:
        raise Http404
    if note.read_at is None:
        Notification.objects.filter(pk=note.pk).update(read_at=timezone.now())
    return note
