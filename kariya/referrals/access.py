"""Who may see or touch a referral: the only place that decides it, and the only
cross-organisation grant of Kariya besides a case transfer.

Every ``*_get_for`` answers 404 both for a referral that does not exist and for one the actor
may not reach. The rules:

- **referring side**: ``referrals.send`` and the referral's case is one the actor sees
  (``cases.access.can_see_case``: the caseworker it is assigned to, or a supervisor of the
  organisation). A caseworker also sees the referrals they sent themselves;
- **receiving side**: ``referrals.receive`` (service focal point) in the organisation that keeps
  the service, and **only while the referral is open** (sent, acknowledged, accepted, in
  progress). What the receiver reads is the referral's snapshot of shared fields
  (``Referral.shared``), never the person, the case or the identity: nothing in
  ``people.access`` or ``cases.access`` opens up for it. Once the referral is declined,
  completed, cancelled or marked no-show, it is 404 for the receiver;
- a draft is the referring side's only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from kariya.cases import access as cases_access
from kariya.core.access import actor_can as can
from kariya.core.access import public_id_or_404 as _uuid
from kariya.core.audit import audit_record
from kariya.core.models import AuditAction
from kariya.referrals.models import OPEN, Referral

SEND = "referrals.send"
RECEIVE = "referrals.receive"
OVERRIDE = "referrals.override_consent"
TRANSFER = "referrals.transfer"


def outgoing(actor: Any) -> QuerySet[Referral]:
    """The outgoing inbox: a supervisor's, every referral of the organisation; anyone else's,
    the referrals they sent (empty without ``referrals.send``). The referrals of a case the
    actor took over from a colleague are reached from the case (``can_follow``), not listed
    here: one index range per list (see the benchmark in docs/benchmarks.md)."""
    if not can(actor, SEND):
        return Referral.objects.none()  # type: ignore[no-any-return]
    referrals = Referral.objects.filter(organisation_id=actor.organisation_id)
    if can(actor, cases_access.VIEW_ALL):
        return referrals  # type: ignore[no-any-return]
    return referrals.filter(referred_by_id=actor.pk)  # type: ignore[no-any-return]


def of_case(actor: Any, case: Any) -> QuerySet[Referral]:
    """The referrals sent from ``case``, which the caller got through ``cases.access`` (so the
    actor sees the case): for the referring side only (empty without ``referrals.send`` or
    for a case of another organisation)."""
    if not can(actor, SEND):
        return Referral.objects.none()  # type: ignore[no-any-return]
    if case.organisation_id != actor.organisation_id:
        return Referral.objects.none()  # type: ignore[no-any-return]
    return Referral.objects.filter(  # type: ignore[no-any-return]
        organisation_id=actor.organisation_id, case=case
    )


def incoming(actor: Any) -> QuerySet[Referral]:
    """Open referrals addressed to the actor's organisation (empty without
    ``referrals.receive``)."""
    if not can(actor, RECEIVE):
        return Referral.objects.none()  # type: ignore[no-any-return]
    return Referral.objects.filter(  # type: ignore[no-any-return]
        to_organisation_id=actor.organisation_id, is_open=True
    )


def can_follow(actor: Any, referral: Referral) -> bool:
    """The referring side (after a case transfer, the new owner: the case's referrals move)."""
    if not can(actor, SEND) or referral.organisation_id != actor.organisation_id:
        return False
    if referral.case.organisation_id != actor.organisation_id:
        return False
    if referral.referred_by_id == actor.pk:
        return True
    return cases_access.can_see_case(actor, referral.case)


def can_receive(actor: Any, referral: Referral) -> bool:
    """The receiving side: the grant, only while the referral is open."""
    return (
        can(actor, RECEIVE)
        and referral.to_organisation_id == actor.organisation_id
        and referral.status in OPEN
    )


def can_override_consent(actor: Any) -> bool:
    return can(actor, OVERRIDE)


def _get(public_id: Any) -> Referral:
    try:
        referral: Referral = Referral.objects.select_related(
            "case__person", "service", "to_organisation", "organisation", "referred_by"
        ).get(public_id=_uuid(public_id))
    except Referral.DoesNotExist as exc:
        raise Http404 from exc
    return referral


def referral_get_for(actor: Any, public_id: Any) -> Referral:
    """A referral the actor follows (referring side) or receives (while open)."""
    referral = _get(public_id)
    if can_follow(actor, referral) or can_receive(actor, referral):
        return referral
    raise Http404


def referral_read_for(actor: Any, public_id: Any) -> Referral:
    """As ``referral_get_for``, to be shown: the shared fields are personal data, so the read
    is audited (one event, in the reader's organisation)."""
    referral = referral_get_for(actor, public_id)
    audit_record(actor=actor, action=AuditAction.READ, obj=referral)
    return referral


def referral_get_for_sender(actor: Any, public_id: Any) -> Referral:
    referral = _get(public_id)
    if not can_follow(actor, referral):
        raise Http404
    return referral


def referral_get_for_receiver(actor: Any, public_id: Any) -> Referral:
    referral = _get(public_id)
    if not can_receive(actor, referral):
        raise Http404
    return referral
