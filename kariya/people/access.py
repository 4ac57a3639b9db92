"""Who may see or touch people and their identities. The only place that decides it.

Every function answers 404 (``Http404``) both when the record does not exist and when the
actor may not reach it: a person registered by another organisation does not exist for the
actor. Identity (names, phones, documents, exact birth date) needs ``people.view_identity`` on
top of ``people.view``, and every identity read is written to the audit log.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any, Literal, NamedTuple, overload

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from kariya.core.access import actor_can as can
from kariya.core.access import public_id_or_404 as _uuid
from kariya.core.audit import audit_reads, audit_record
from kariya.core.bulk import insert_rows
from kariya.core.context import request_meta
from kariya.core.models import AuditAction, AuditEvent
from kariya.people.models import Consent, HouseholdLink, Identity, IdentityDocument, Person

VIEW = "people.view"
VIEW_IDENTITY = "people.view_identity"
REGISTER = "people.register"


def _person(actor: Any, public_id: Any, permission: str, *, merged: bool = False) -> Person:
    if not can(actor, permission):
        raise Http404
    people = Person.objects.select_related(
        "registering_office", "population_category", "preferred_language"
    )
    if not merged:
        # A record merged into another (dedup) is no longer a person of its own: nothing is
        # read from or recorded on it but through the kept record.
        people = people.filter(merged_into__isnull=True)
    try:
        person: Person = people.get(
            public_id=_uuid(public_id), organisation_id=actor.organisation_id
        )
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    return person


def person_get_for(actor: Any, public_id: Any, *, merged: bool = False) -> Person:
    """A person of the actor's organisation, for a role that sees people (no identity).
    ``merged``: a record merged into another is found too (its page leads to the kept one);
    otherwise it is 404 like an absent one."""
    return _person(actor, public_id, VIEW, merged=merged)


def person_get_for_edit(actor: Any, public_id: Any) -> Person:
    """A person of the actor's organisation, for a role that registers and updates people."""
    if not can(actor, VIEW):
        raise Http404
    return _person(actor, public_id, REGISTER)


def person_get_for_document_edit(actor: Any, public_id: Any) -> Person:
    """A person whose documents the actor may add to: document numbers are identity, so the
    actor must register people and see identities."""
    if not can(actor, VIEW_IDENTITY):
        raise Http404
    return person_get_for_edit(actor, public_id)


def identity_get_for(actor: Any, person_public_id: Any) -> Identity:
    """The identity of a person of the actor's organisation. The read is audited."""
    person = _person(actor, person_public_id, VIEW)
    if not can(actor, VIEW_IDENTITY):
        raise Http404
    identity: Identity = Identity.objects.get(person=person)
    identity.person = person
    audit_record(actor=actor, action=AuditAction.READ, obj=identity)
    return identity


NAME_FIELDS = ("given_names", "family_names")


class PersonRef(NamedTuple):
    """A listed person as a list reads it, without a model instance: its id and organisation,
    what ``identities_for_list`` needs to decide."""

    pk: int
    organisation_id: int


class ListedNames(NamedTuple):
    """A listed person's names, read as values (``identities_for_list(names_only=True)``)."""

    public_id: uuid.UUID
    given_names: str
    family_names: str


IDENTITY_TYPE = Identity._meta.label_lower


@overload
def identities_for_list(
    actor: Any,
    persons: Iterable[Person | PersonRef],
    *,
    names_only: Literal[True],
    search_criteria: Iterable[str] = (),
) -> dict[int, ListedNames]: ...


@overload
def identities_for_list(
    actor: Any,
    persons: Iterable[Person | PersonRef],
    *,
    names_only: Literal[False] = False,
    search_criteria: Iterable[str] = (),
) -> dict[int, Identity]: ...


def identities_for_list(
    actor: Any,
    persons: Iterable[Person | PersonRef],
    *,
    names_only: bool = False,
    search_criteria: Iterable[str] = (),
) -> dict[int, Identity] | dict[int, ListedNames]:
    """Identities of the listed persons (``person.pk`` → identity), one audit event each
    (one insert for the lot).

    ``names_only``: read and decrypt only the names, as values (``ListedNames``), for a list
    that shows nothing else: each encrypted field costs a decryption per row, and a model
    instance per row showed in a list page's server time.

    ``search_criteria``: the identity criteria of the search that found them, audited as
    ``identity_search_record`` does, in the same insert (or alone when nothing is listed).

    Empty for a role without ``people.view_identity``: the list then shows case codes only.
    """
    if not can(actor, VIEW_IDENTITY):
        return {}
    ids = [p.pk for p in persons if p.organisation_id == actor.organisation_id]
    searches = _searches(search_criteria)
    query = Identity.objects.filter(person_id__in=ids)
    if names_only:
        names = {
            person_id: ListedNames(public_id, given, family)
            for person_id, public_id, given, family in (
                query.values_list("person_id", "public_id", *NAME_FIELDS) if ids else []
            )
        }
        # Nothing listed and no search: no row, no statement (core.bulk).
        audit_reads(
            actor=actor,
            refs=[(IDENTITY_TYPE, str(n.public_id)) for n in names.values()],
            searches=searches,
        )
        return names
    identities = list(query) if ids else []
    audit_reads(actor=actor, objects=identities, searches=searches)
    return {identity.person_id: identity for identity in identities}


IDENTITY_CRITERIA = ("name", "phone", "document")
SEARCH_OBJECT_TYPE = "people.person_search"


def _searches(criteria: Iterable[str]) -> list[tuple[str, list[str]]]:
    """The audit event of a search by the identity criteria among ``criteria`` (names only,
    never values), as ``core.audit.audit_reads`` takes it; none without such a criterion."""
    used = sorted({c for c in criteria if c in IDENTITY_CRITERIA})
    return [(SEARCH_OBJECT_TYPE, used)] if used else []


def identity_search_record(actor: Any, *, criteria: Iterable[str]) -> None:
    """Audit one search by identity: which criteria were used (``name``, ``phone``,
    ``document``), never their values. Nothing is written when no identity criterion was used
    or the actor may not search by identity (the search then applied none).
    """
    if can(actor, VIEW_IDENTITY):
        audit_reads(actor=actor, objects=[], searches=_searches(criteria))


def identity_search_allowed(actor: Any, criteria: Iterable[str]) -> bool:
    """Searching by any identity criterion (name, phone, document) needs the identity
    permission; by case code alone, seeing people is enough."""
    return not list(criteria) or can(actor, VIEW_IDENTITY)


def _of_person(record: Any, person: Person | None) -> None:
    """A record reached under a person's URL must be that person's (404 otherwise)."""
    if person is not None and record.person_id != person.pk:
        raise Http404


def document_get_for_edit(
    actor: Any, public_id: Any, *, person: Person | None = None
) -> IdentityDocument:
    """A document of the actor's organisation (of ``person`` when given), to edit or remove."""
    if not (can(actor, REGISTER) and can(actor, VIEW_IDENTITY)):
        raise Http404
    try:
        document: IdentityDocument = IdentityDocument.objects.select_related("person").get(
            public_id=_uuid(public_id), person__organisation_id=actor.organisation_id
        )
    except IdentityDocument.DoesNotExist as exc:
        raise Http404 from exc
    _of_person(document, person)
    return document


def consent_get_for_edit(actor: Any, public_id: Any, *, person: Person | None = None) -> Consent:
    """A consent of the actor's organisation (of ``person`` when given), to withdraw it."""
    if not can(actor, REGISTER):
        raise Http404
    try:
        consent: Consent = Consent.objects.select_related("person").get(
            public_id=_uuid(public_id), organisation_id=actor.organisation_id
        )
    except Consent.DoesNotExist as exc:
        raise Http404 from exc
    _of_person(consent, person)
    return consent


def household_link_get_for_edit(
    actor: Any, public_id: Any, *, person: Person | None = None
) -> HouseholdLink:
    """A household link of the actor's organisation (of ``person`` when given), to remove it."""
    if not can(actor, REGISTER):
        raise Http404
    try:
        link: HouseholdLink = HouseholdLink.objects.get(
            public_id=_uuid(public_id), organisation_id=actor.organisation_id
        )
    except HouseholdLink.DoesNotExist as exc:
        raise Http404 from exc
    _of_person(link, person)
    return link


CHECK_OBJECT_TYPE = "people.registration_check"
NETWORK_SIGNAL_FIELD = "network_signal"


NETWORK_WINDOW = datetime.timedelta(hours=1)


def network_checks_per_hour() -> int:
    """How many registration checks a user may run across the network in an hour (setting
    ``KARIYA_NETWORK_CHECKS_PER_HOUR``, default 60). A caseworker presses "Check for existing
    records" once or twice per person registered; probing a list of names one by one to learn
    which organisations know them is what the limit stops (docs/data-protection.md). Beyond
    it, the check still compares the records of the caseworker's own organisation."""
    return int(settings.KARIYA_NETWORK_CHECKS_PER_HOUR)


def network_checks_used(actor: Any, *, now: datetime.datetime | None = None) -> int:
    """The registration checks that asked the network in the last hour for this user: the
    audit events of ``registration_check_record`` that name ``network_signal`` (the audit log
    is the one count every process shares; index ``audit_actor_at``)."""
    since = (now or timezone.now()) - NETWORK_WINDOW
    fields = AuditEvent.objects.filter(
        actor_id=actor.pk, object_type=CHECK_OBJECT_TYPE, at__gte=since
    ).values_list("changed_fields", flat=True)
    return sum(1 for names in fields if NETWORK_SIGNAL_FIELD in (names or ()))


def may_ask_network(actor: Any) -> bool:
    """Whether the actor's registration check may ask the other organisations now: fewer than
    ``network_checks_per_hour`` such checks in the last hour."""
    return network_checks_used(actor) < network_checks_per_hour()


def registration_check_record(
    actor: Any, *, criteria: Iterable[str], signalled: Iterable[Person], network: bool = False
) -> None:
    """Audit one registration check: an event in the actor's organisation naming the criteria
    used (``name``, ``phone``, ``document``), never their values, and ``network_signal`` when
    the other organisations' keys were looked up (what ``network_checks_used``
    counts); and, for each person of
    another organisation whose existence the network signal revealed, an event in **that**
    organisation's log (object: its person; field ``network_signal``; actor: who asked), so
    its data protection officer sees every disclosure. One insert for the lot."""
    used = sorted({c for c in criteria if c in IDENTITY_CRITERIA})
    if not used or not can(actor, REGISTER):
        return
    audit_record(
        actor=actor,
        action=AuditAction.READ,
        object_type=CHECK_OBJECT_TYPE,
        changed_fields=used + [NETWORK_SIGNAL_FIELD] if network else used,
    )
    meta = request_meta()
    rows = [
        {
            "at": timezone.now(),
            "actor_id": actor.pk,
            "organisation_id": person.organisation_id,
            "action": AuditAction.READ.value,
            "object_type": Person._meta.label_lower,
            "object_id": str(person.public_id),
            "changed_fields": [NETWORK_SIGNAL_FIELD],
            "ip": meta.ip if meta else None,
            "user_agent": (meta.user_agent if meta else "")[:300],
        }
        for person in signalled
    ]
    insert_rows(AuditEvent, rows)
