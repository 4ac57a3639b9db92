"""Reads of people, already scoped to what the actor may see, and the consent check.

``consent_has`` is the single question every other service asks before using a person's data
for a purpose; it reads the ledger each time, so a withdrawal counts at once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from kariya.accounts.models import Organisation
from kariya.codelists.models import Code
from kariya.geo.models import AdminUnit, Country
from kariya.matching.normalise import name_keys
from kariya.people import casecodes, phones
from kariya.people.access import VIEW, VIEW_IDENTITY, can
from kariya.people.models import (
    Consent,
    ConsentRestriction,
    ConsentScope,
    HouseholdLink,
    IdentityDocument,
    MigrationProfile,
    Person,
    PersonSearchKey,
    RoutePoint,
    SearchKind,
)
from kariya.people.services import normalise_document_number, search_key


def consent_covering(
    person: Person,
    scope: str,
    organisation: Organisation | None = None,
    *,
    service_type: Code | None = None,
) -> Consent | None:
    """The newest active (not withdrawn) consent of ``person`` for ``scope`` that covers
    ``organisation`` and ``service_type`` (the rule of ``consent_has``), or ``None``."""
    consents = Consent.objects.filter(person_id=person.pk, scope=scope, withdrawn_at__isnull=True)
    if scope in (ConsentScope.REFERRAL, ConsentScope.AUTHORITIES):
        consents = consents.filter(
            Q(recipient_organisation__isnull=True) | Q(recipient_organisation=organisation)
            if organisation is not None
            else Q(recipient_organisation__isnull=True)
        ).filter(
            Q(service_type__isnull=True) | Q(service_type=service_type)
            if service_type is not None
            else Q(service_type__isnull=True)
        )
    consent: Consent | None = consents.order_by("-given_at", "-id").first()
    return consent


def consent_has(
    person: Person,
    scope: str,
    organisation: Organisation | None = None,
    *,
    service_type: Code | None = None,
) -> bool:
    """Whether ``person`` has an active (not withdrawn) consent for ``scope``.

    For a referral or sharing, ``organisation`` is the receiver and ``service_type`` the service
    asked for: a consent covers them when every target it names matches (a consent to be
    referred "for legal counselling" covers any organisation giving it; one naming an
    organisation covers only that one). A target the caller does not give never matches a
    consent that names one.
    """
    return consent_covering(person, scope, organisation, service_type=service_type) is not None


def person_has_basis_for_services(person: Person) -> bool:
    """Consent to services, or another legal basis recorded at or after registration."""
    return bool(person.legal_basis) or consent_has(person, ConsentScope.SERVICES)


INLINE_IDS = 500
"""Up to this many persons found by their keys, their ids go into the search as values."""


def _matching(organisation_id: int, kind: str, keys: set[str]) -> QuerySet[Any] | list[int]:
    """Ids of the persons having every one of ``keys`` of ``kind``.

    Read at once when they are few (``INLINE_IDS``): a list page runs its search twice (the
    count and the page), and grouping a common name's postings cost 4–6 ms each time at a
    million people. Otherwise a subquery, so a search that matches thousands stays one query.
    """
    query = (
        PersonSearchKey.objects.filter(organisation_id=organisation_id, kind=kind, key__in=keys)
        .values("person_id")
        .annotate(found=Count("key", distinct=True))
        .filter(found=len(keys))
        .values_list("person_id", flat=True)
    )
    ids = list(query[: INLINE_IDS + 1])
    return ids if len(ids) <= INLINE_IDS else query


SEARCH_ORDERINGS: dict[str, tuple[str, ...]] = {
    "newest": ("-registered_at", "-id"),
    "oldest": ("registered_at", "id"),
    "case_code": ("case_code",),
}
"""The sort choices of ``person_search`` (``order``)."""


# What the people list shows (and the access checks of its rows read).
LIST_FIELDS = (
    "public_id",
    "organisation_id",
    "case_code",
    "sex",
    "birth_year",
    "birth_estimated",
    "registered_at",
    "migration_profile__current_commune__name_fr",
)


def person_search(
    *,
    actor: Any,
    text: str = "",
    phone: str = "",
    document: str = "",
    case_code: str = "",
    sex: str = "",
    population_category: Code | None = None,
    commune: AdminUnit | None = None,
    order: str = "newest",
    for_list: bool = False,
) -> QuerySet[Person]:
    """People of the actor's organisation matching every criterion given, newest first
    (``order``: one of ``SEARCH_ORDERINGS``).

    ``text`` matches whole name tokens, insensitive to case, accents and common transliteration
    variants (``matching.normalise.name_keys``); every token must match some name, spelling or
    alias of the person. ``sex``, ``population_category`` and ``commune`` (the current commune
    of the migration profile) filter the pseudonymous core. Searching by name, phone or
    document reveals identity, so it needs ``people.view_identity``; by case code,
    ``people.view``. An unreadable phone number matches nobody. ``for_list``: load only what
    the people list shows (``LIST_FIELDS``, the nationalities' names). The people themselves
    are not read: paginate the result (the ids found by name, phone or document are, one query,
    when there are at most ``INLINE_IDS`` of them).
    """
    if not can(actor, VIEW):
        return Person.objects.none()  # type: ignore[no-any-return]
    if (text.strip() or phone.strip() or document.strip()) and not can(actor, VIEW_IDENTITY):
        return Person.objects.none()  # type: ignore[no-any-return]
    org_id: int = actor.organisation_id
    # A record merged into another is no longer a person of its own (dedup).
    people: QuerySet[Person] = Person.objects.filter(
        organisation_id=org_id, merged_into__isnull=True
    )
    if case_code.strip():
        people = people.filter(case_code=casecodes.normalise(case_code))
    if sex:
        people = people.filter(sex=sex)
    if population_category is not None:
        people = people.filter(population_category_id=population_category.pk)
    if commune is not None:
        people = people.filter(migration_profile__current_commune_id=commune.pk)
    tokens = name_keys(text)
    if tokens:
        keys = {search_key(SearchKind.NAME, token) for token in tokens}
        people = people.filter(pk__in=_matching(org_id, SearchKind.NAME, keys))
    if phone.strip():
        try:
            e164 = phones.to_e164(phone)
        except ValidationError:
            return Person.objects.none()  # type: ignore[no-any-return]
        keys = {search_key(SearchKind.PHONE, e164)}
        people = people.filter(pk__in=_matching(org_id, SearchKind.PHONE, keys))
    number = normalise_document_number(document)
    if number:
        keys = {search_key(SearchKind.DOCUMENT, number)}
        people = people.filter(pk__in=_matching(org_id, SearchKind.DOCUMENT, keys))
    ordering = SEARCH_ORDERINGS.get(order, SEARCH_ORDERINGS["newest"])
    if for_list:
        # Converting every column of four tables for 50 rows showed in the list's server time.
        return (
            people.select_related("migration_profile__current_commune")
            .only(*LIST_FIELDS)
            .prefetch_related(
                Prefetch("nationalities", Country.objects.only("iso3", "name_fr", "name_en"))
            )
            .order_by(*ordering)
        )
    return (
        people.select_related(
            "registering_office",
            "population_category",
            "migration_profile__current_commune",
        )
        .prefetch_related("nationalities")
        .order_by(*ordering)
    )


def relative_by_case_code(*, actor: Any, case_code: str) -> Person | None:
    """The person of the actor's organisation with this case code (to link a relative)."""
    if not case_code.strip():
        return None
    found: Person | None = person_search(actor=actor, case_code=case_code).first()
    return found


def kept_record(*, person: Person) -> Person:
    """The record ``person`` was merged into (``person`` comes from ``access``, same
    organisation): its public id and case code, for the merged record's page."""
    kept: Person = Person.objects.only("public_id", "case_code").get(
        pk=person.merged_into_id or 0,
        organisation_id=person.organisation_id,
    )
    return kept


def migration_profile_for(*, person: Person) -> MigrationProfile | None:
    """The person's migration profile with its route in order, or None."""
    profile: MigrationProfile | None = (
        MigrationProfile.objects.filter(person_id=person.pk)
        .select_related(
            "origin_country",
            "current_commune__parent__parent",
            "intended_destination",
            "expulsion_arrival_site",
        )
        .prefetch_related(
            Prefetch(
                "route",
                queryset=RoutePoint.objects.select_related("site", "country").order_by("position"),
            )
        )
        .first()
    )
    return profile


def consent_list(*, person: Person) -> QuerySet[Consent]:
    """The person's consent ledger, newest first (``person`` comes from ``access``)."""
    return (
        Consent.objects.filter(person_id=person.pk)
        .select_related("recipient_organisation", "service_type", "language")
        .prefetch_related("restrictions__organisation")
        .order_by("-given_at", "-id")
    )


def restrictions_in_force(*, person: Person) -> QuerySet[ConsentRestriction]:
    """What must be withheld from whom, from the person's active consents."""
    return ConsentRestriction.objects.filter(
        consent__person_id=person.pk, consent__withdrawn_at__isnull=True
    ).select_related("organisation")


def household_list(*, person: Person) -> QuerySet[HouseholdLink]:
    return (
        HouseholdLink.objects.filter(person_id=person.pk)
        .select_related("relative", "relationship")
        .order_by("id")
    )


def document_list(*, person: Person) -> QuerySet[IdentityDocument]:
    """Documents, with their encrypted numbers: show only after ``access.identity_get_for``."""
    return (
        IdentityDocument.objects.filter(person_id=person.pk)
        .select_related("document_type", "issuing_country")
        .order_by("id")
    )


@dataclass(frozen=True)
class RegistrationCounts:
    total: int
    last_30_days: int


def registration_counts(*, actor: Any) -> RegistrationCounts:
    """How many people the actor's organisation has registered, in all and in the last 30 days
    (one query); zero for a role that does not see people."""
    if not can(actor, VIEW):
        return RegistrationCounts(0, 0)
    since = timezone.now() - datetime.timedelta(days=30)
    counts = Person.objects.filter(
        organisation_id=actor.organisation_id, merged_into__isnull=True
    ).aggregate(total=Count("id"), recent=Count("id", filter=Q(registered_at__gte=since)))
    return RegistrationCounts(counts["total"], counts["recent"])
