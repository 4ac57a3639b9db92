"""Reads of people, already scoped to what the actor may see, and the consent check.

``consent_has`` is the single question every other service asks before using a person's data
for a purpose; it reads the ledger each time, so a withdrawal counts at once.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone, translation

from kariya.accounts.models import NetworkStatus, Organisation
from kariya.codelists.models import Code
from kariya.core import memo
from kariya.geo.models import AdminUnit, Country
from kariya.matching import registration
from kariya.matching.dictionary import current_variants
from kariya.matching.normalise import name_keys
from kariya.people import casecodes, phones, services
from kariya.people.access import (
    REGISTER,
    VIEW,
    VIEW_IDENTITY,
    can,
    identities_for_list,
    may_ask_network,
    network_checks_per_hour,
    registration_check_record,
)
from kariya.people.models import (
    NETWORK_KINDS,
    Consent,
    ConsentRestriction,
    ConsentScope,
    DataCategory,
    HouseholdLink,
    IdentityDocument,
    MigrationProfile,
    Person,
    PersonSearchKey,
    RestrictionAudience,
    RoutePoint,
    SearchKind,
)
from kariya.people.services import normalise_document_number, search_key

logger = logging.getLogger(__name__)


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

    Each key's postings are an index range of ``searchkey_postings`` (organisation, kind, key,
    person), read from the index alone, and the ranges are intersected (``INTERSECT``): the
    work is the sum of the keys' postings, whatever their frequencies. The earlier form —
    the first key's postings, each checked for the further keys by one seek (``EXISTS``) —
    depended on the planner telling a common token from a rare one, which neither database
    does well for 16 million keys: at a million people, 6–14 ms on SQLite and 3.6 ms on
    PostgreSQL where the intersection takes 1.2–2.8 ms and 1.3 ms ("Ibrahim Ag Ahmed": 2,538,
    2,655 and 600 postings in one organisation; "Souleymane Hamadou": 2,368 and 1,306).
    Grouping every token's postings (``GROUP BY person HAVING count``) cost 4–6 ms.

    Read at once when they are few (``INLINE_IDS``): the list's query then gets the ids as
    values, which both planners count exactly. Otherwise a subquery, so a search that
    matches thousands stays one query.
    """
    first, *others = sorted(keys)

    def postings(key: str) -> QuerySet[Any]:
        return PersonSearchKey.objects.filter(
            organisation_id=organisation_id, kind=kind, key=key
        ).values_list("person_id", flat=True)

    ids_query = postings(first)
    if others:
        ids_query = ids_query.intersection(*(postings(key) for key in others))
    ids = list(ids_query[: INLINE_IDS + 1])
    return ids if len(ids) <= INLINE_IDS else ids_query


SEARCH_ORDERINGS: dict[str, tuple[str, ...]] = {
    "newest": ("-registered_at", "-id"),
    "oldest": ("registered_at", "id"),
    "case_code": ("case_code",),
}
"""The sort choices of ``person_search`` (``order``)."""


# What the people list shows (and the access checks of its rows read), read as values
# (``person_search(for_list=True)``): a model instance for each person, its migration profile
# and its commune (150 for a page) showed in the list's server time.
LIST_FIELDS = (
    "pk",
    "public_id",
    "organisation_id",
    "case_code",
    "sex",
    "birth_year",
    "birth_estimated",
    "registered_at",
    "commune_name",
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
    ``people.view``. An unreadable phone number matches nobody. ``for_list``: the people
    only, ordered, for ``list_rows`` to read the list's columns. The
    people themselves are not read: paginate the result (the ids found by name, phone or
    document are, one query, when there are at most ``INLINE_IDS`` of them).
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
        return people.order_by(*ordering)
    return (
        people.select_related(
            "registering_office",
            "population_category",
            "migration_profile__current_commune",
        )
        .prefetch_related("nationalities")
        .order_by(*ordering)
    )


def list_rows(people: QuerySet[Person]) -> QuerySet[Any]:
    """What the people list shows of ``people`` (``person_search(for_list=True)``), as named
    rows of ``LIST_FIELDS``: ``pk`` and ``organisation_id`` as ``access.identities_for_list``
    takes them, the current commune's name (the nationalities: ``nationality_names``). Count
    ``people``, not these rows: the commune's joins would be walked for every row counted."""
    return people.annotate(  # type: ignore[no-any-return]
        commune_name=F("migration_profile__current_commune__name_fr")
    ).values_list(*LIST_FIELDS, named=True)


def nationality_names(person_ids: list[int]) -> dict[int, str]:
    """Each person's nationalities as a list shows them ("Mali, Niger"), in the reader's
    language and French alphabetical order: one query of codes. The countries' names are
    reference data, kept a minute (``core.memo``); a prefetch built a model instance and a
    related manager per person and per country, which showed in the people list's time."""
    english = (translation.get_language() or "fr").startswith("en")

    def names() -> dict[str, tuple[str, str]]:
        return {
            iso3: (name_fr, name_en if english else name_fr)
            for iso3, name_fr, name_en in Country.objects.values_list("iso3", "name_fr", "name_en")
        }

    countries = memo.reference(("country_names", english), names)
    found: dict[int, list[tuple[str, str]]] = {}
    for person_id, iso3 in (
        Person.nationalities.through.objects.filter(person_id__in=person_ids)
        .order_by()
        .values_list("person_id", "country_id")
    ):
        found.setdefault(person_id, []).append(countries.get(iso3, (iso3, iso3)))
    return {
        person_id: ", ".join(shown for _sort, shown in sorted(pairs))
        for person_id, pairs in found.items()
    }


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


# --- registration check -------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationDraft:
    """What a caseworker has typed so far on the registration form (nothing is saved)."""

    given_names: str = ""
    family_names: str = ""
    other_spellings: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    phone_numbers: tuple[str, ...] = ()
    document_numbers: tuple[str, ...] = ()
    birth_date: datetime.date | None = None
    birth_year: int | None = None
    sex: str = ""
    nationalities: tuple[str, ...] = ()  # ISO alpha-3

    def names(self) -> list[str]:
        return [self.given_names, self.family_names, *self.other_spellings, *self.aliases]

    def phones_e164(self) -> list[str]:
        found: dict[str, None] = {}
        for raw in self.phone_numbers:
            if raw.strip():
                try:
                    found.setdefault(phones.to_e164(raw), None)
                except ValidationError:
                    continue  # the form reports it; an unreadable number finds nobody
        return list(found)

    def year(self) -> int | None:
        return self.birth_date.year if self.birth_date else self.birth_year

    def criteria(self) -> list[str]:
        """Which identity criteria the draft holds (for the audit: names, never values)."""
        used = []
        if any(n.strip() for n in self.names()):
            used.append("name")
        if self.phones_e164():
            used.append("phone")
        if any(normalise_document_number(n) for n in self.document_numbers):
            used.append("document")
        return used


@dataclass(frozen=True)
class RegistrationCandidate:
    """A likely existing record of the actor's organisation: its pseudonyms, the score (0–1)
    and the reasons (field → level word of ``dedup``), never a value."""

    public_id: Any
    case_code: str
    score: float
    reasons: dict[str, str]


# The score from which a record is shown (matching.registration, data/default_model.json: on
# held-out synthetic data, candidates at >= 0.5 are true duplicates 57 % of the time and 74 % of
# the duplicates are found, against 77 % reachable by the keys at all). Chosen for recall: a
# wrong candidate costs the caseworker a glance, a missed one a second record of the person.
CANDIDATE_THRESHOLD = 0.5
CANDIDATES_SHOWN = 5
# Keys a candidate shares weigh: a document number or a phone is rarer than a name token; the
# names with the year of birth (±1) rank the right namesake first among hundreds of "Mohamed
# Moussa".
KEY_WEIGHTS = {
    SearchKind.DOCUMENT: 6,
    SearchKind.PHONE: 3,
    SearchKind.NAME_YEAR: 3,
    SearchKind.MATCH_NAME: 1,
}


def _draft_values(draft: RegistrationDraft, kinds: tuple[str, ...]) -> dict[str, set[str]]:
    year = draft.year()
    return services.search_values(
        kinds,
        names=draft.names(),
        phones=draft.phones_e164(),
        document_numbers=draft.document_numbers,
        birth_years=[year - 1, year, year + 1] if year else [],
    )


def draft_keys(draft: RegistrationDraft, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """``(kind, key)`` blind indexes of the draft, as the stored keys are made."""
    return services.search_keys_for(_draft_values(draft, kinds))


def _record(
    *,
    given: str,
    family: str,
    sex: str,
    birth_date: datetime.date | None,
    birth_year: int | None,
    nationalities: list[str],
    phone_list: list[str],
    documents: list[str],
    prefer: RegistrationDraft | None = None,
) -> dict[str, str]:
    """A plain record for ``matching.registration.score``; of several phones, documents or
    nationalities, the one the draft shares if any (``prefer``), else the first."""

    def pick(values: list[str], wanted: set[str]) -> str:
        for value in values:
            if value in wanted:
                return value
        return values[0] if values else ""

    draft_phones = set(prefer.phones_e164()) if prefer else set()
    draft_docs = (
        {normalise_document_number(n) for n in prefer.document_numbers} if prefer else set()
    )
    return {
        "given_name": given,
        "family_name": family,
        "sex": sex if sex in ("female", "male") else "",
        "birth_date": birth_date.isoformat() if birth_date else "",
        "birth_year": str(birth_year or ""),
        "nationality": pick(nationalities, set(prefer.nationalities) if prefer else set()),
        "phone": pick(phone_list, draft_phones),
        "document_number": pick(documents, draft_docs),
    }


def registration_candidates(*, actor: Any, draft: RegistrationDraft) -> list[RegistrationCandidate]:
    """The likely existing records of the actor's organisation for a registration draft, best
    first: at most ``CANDIDATES_SHOWN`` scoring at least ``CANDIDATE_THRESHOLD``.

    The draft's keys (canonical name tokens, names with the year ±1, phones, documents) find the
    organisation's persons sharing them, ranked in SQL by ``KEY_WEIGHTS``; the first
    ``matching.registration.CANDIDATES`` that are not merged away are read (identities through
    ``access.identities_for_list``: one audited read each) and scored with the matching
    engine's comparison and the shipped Fellegi–Sunter model. Empty unless the actor may
    register people and see identities. Audit: the reads, and the caller's
    ``access.registration_check_record``.
    """
    if not (can(actor, REGISTER) and can(actor, VIEW_IDENTITY)):
        return []
    keys = draft_keys(draft, tuple(KEY_WEIGHTS))
    if not keys:
        return []
    org_id: int = actor.organisation_id
    condition = Q()
    for kind in KEY_WEIGHTS:
        found = [key for k, key in keys if k == kind]
        if found:
            condition |= Q(kind=kind, key__in=found)
    weight = Case(
        *(When(kind=kind, then=Value(w)) for kind, w in KEY_WEIGHTS.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    ranked = list(
        PersonSearchKey.objects.filter(condition, organisation_id=org_id)
        .values("person_id")
        .annotate(rank=Sum(weight))
        .order_by("-rank", "-person_id")
        .values_list("person_id", flat=True)[: registration.CANDIDATES + 10]
    )
    if not ranked:
        return []
    people = {
        p.pk: p
        for p in Person.objects.filter(
            pk__in=ranked, organisation_id=org_id, merged_into__isnull=True
        ).only("public_id", "organisation_id", "case_code", "sex", "birth_year")
    }
    chosen = [people[pk] for pk in ranked if pk in people][: registration.CANDIDATES]
    identities = identities_for_list(actor, chosen)
    # Codes straight from the link table: a prefetch built a manager and a model per row.
    nationalities: dict[int, list[str]] = {}
    for person_id, iso3 in Person.nationalities.through.objects.filter(
        person_id__in=[p.pk for p in chosen]
    ).values_list("person_id", "country_id"):
        nationalities.setdefault(person_id, []).append(iso3)
    documents: dict[int, list[str]] = {}
    for person_id, number in IdentityDocument.objects.filter(
        person_id__in=[p.pk for p in chosen]
    ).values_list("person_id", "number"):
        normalised = normalise_document_number(number or "")
        if normalised:
            documents.setdefault(person_id, []).append(normalised)
    draft_record = _record(
        given=draft.given_names,
        family=draft.family_names,
        sex=draft.sex,
        birth_date=draft.birth_date,
        birth_year=draft.year(),
        nationalities=list(draft.nationalities),
        phone_list=draft.phones_e164(),
        documents=[n for n in map(normalise_document_number, draft.document_numbers) if n],
    )
    readable = [p for p in chosen if p.pk in identities]
    records = []
    for person in readable:
        identity = identities[person.pk]
        records.append(
            _record(
                given=identity.given_names,
                family=identity.family_names,
                sex=person.sex,
                birth_date=identity.birth_date_value,
                birth_year=person.birth_year,
                nationalities=nationalities.get(person.pk, []),
                phone_list=identity.phone_list,
                documents=documents.get(person.pk, []),
                prefer=draft,
            )
        )
    out: list[RegistrationCandidate] = []
    for scored in registration.score(draft_record, records, variants=current_variants()):
        if scored.score < CANDIDATE_THRESHOLD or len(out) == CANDIDATES_SHOWN:
            break
        person = readable[scored.index]
        out.append(
            RegistrationCandidate(
                public_id=person.public_id,
                case_code=person.case_code,
                score=scored.score,
                reasons=scored.reasons,
            )
        )
    return out


@dataclass(frozen=True)
class NetworkContact:
    """An organisation to contact: its name and public contact details, nothing else."""

    name: str
    acronym: str
    email: str
    phone: str


# Key rows of other organisations read at most (a very common name pair and year could match
# many; the organisations are what is returned).
NETWORK_ROWS = 1000
# A pair of names with a year held by more persons of other organisations than this is too
# common to point at one person (see docs/data-protection.md).
NAME_YEAR_MAX_HOLDERS = 2


def network_signal(*, actor: Any, draft: RegistrationDraft) -> list[NetworkContact]:
    """The other member organisations that likely know the person being registered: only their
    names and contact details, never the person's id, case code, score or fields.

    Strong enough (all on keyed blind indexes, nothing of the other organisation decrypted):
    the same document number; or the same pair of canonical names with a year of birth at most
    one year apart, when at most ``NAME_YEAR_MAX_HOLDERS`` persons of other organisations hold
    that pair and year (a common combination identifies nobody); or the same phone with the
    same pair of canonical names (a phone with one name alone would point at the person's
    brothers and sisters). Only persons not merged away, of active member organisations, whose
    consent in force lets their data reach the actor's organisation: an active referral consent
    naming it or naming no organisation (only a service type), and no restriction in force
    withholding identity from it or from every other organisation. Empty for an actor who may
    not register people. ``registration_check`` audits it
    (``access.registration_check_record``) with the persons behind it
    (``network_signal_persons``).
    """
    return [contact for contact, _people in _network(actor, draft)[1]]


def _network(
    actor: Any, draft: RegistrationDraft
) -> tuple[bool, list[tuple[NetworkContact, list[Person]]]]:
    """Whether the other organisations' keys were looked up at all (the draft may hold no
    key of ``NETWORK_KINDS``), and the organisations found with their persons."""
    if not can(actor, REGISTER):
        return False, []
    drafted = draft_keys(draft, NETWORK_KINDS)
    if not drafted:
        return False, []
    name_year = {key for kind, key in drafted if kind == SearchKind.NAME_YEAR}
    org_id: int = actor.organisation_id
    # The same condition as the partial index ``searchkey_network``.
    rows = list(
        PersonSearchKey.objects.filter(
            kind__in=[kind.value for kind in NETWORK_KINDS],
            key__in=[key for _kind, key in drafted],
        )
        .exclude(organisation_id=org_id)
        .values_list("key", "person_id")[:NETWORK_ROWS]
    )
    holders: dict[str, set[int]] = {}
    for key, person_id in rows:
        holders.setdefault(key, set()).add(person_id)
    person_ids: set[int] = set()
    for key, found in holders.items():
        # Two names and a year shared by several people of the network identify nobody (a
        # common "Mohamed Moussa" born in 1990): not strong enough on their own.
        if key not in name_year or len(found) <= NAME_YEAR_MAX_HOLDERS:
            person_ids |= found
    if not person_ids:
        return True, []
    referral = Consent.objects.filter(
        person_id=OuterRef("pk"),
        scope=ConsentScope.REFERRAL,
        withdrawn_at__isnull=True,
    ).filter(Q(recipient_organisation_id=org_id) | Q(recipient_organisation__isnull=True))
    withheld = ConsentRestriction.objects.filter(
        consent__person_id=OuterRef("pk"),
        consent__withdrawn_at__isnull=True,
        withhold=DataCategory.IDENTITY,
    ).filter(
        Q(audience=RestrictionAudience.PARTNERS)
        | Q(audience=RestrictionAudience.ORGANISATION, organisation_id=org_id)
    )
    people = (
        Person.objects.filter(
            pk__in=person_ids,
            merged_into__isnull=True,
            organisation__is_active=True,
            organisation__network_status=NetworkStatus.MEMBER,
        )
        .exclude(organisation_id=org_id)
        .filter(Exists(referral))
        .exclude(Exists(withheld))
        .select_related("organisation")
        .only(
            "public_id",
            "organisation_id",
            "organisation__name",
            "organisation__acronym",
            "organisation__email",
            "organisation__phone",
        )
        .order_by("organisation__name", "pk")
    )
    grouped: dict[int, tuple[NetworkContact, list[Person]]] = {}
    for person in people:
        org = person.organisation
        if org.pk not in grouped:
            grouped[org.pk] = (NetworkContact(org.name, org.acronym, org.email, org.phone), [])
        grouped[org.pk][1].append(person)
    return True, list(grouped.values())


def network_signal_persons(
    *, actor: Any, draft: RegistrationDraft
) -> tuple[bool, list[NetworkContact], list[Person]]:
    """``network_signal``, whether the network was asked, and the persons behind the signal,
    for the audit only (never shown)."""
    asked, found = _network(actor, draft)
    return (
        asked,
        [contact for contact, _p in found],
        [p for _c, people in found for p in people],
    )


@dataclass(frozen=True)
class RegistrationCheck:
    """What the registration check answers: ``candidates`` of the actor's organisation (only
    for an actor who registers and sees identities: ``shows_candidates``) and the other
    organisations to contact (``network``)."""

    candidates: list[RegistrationCandidate]
    network: list[NetworkContact]
    shows_candidates: bool
    checked: bool  # False when the draft holds no name, phone or document yet
    # True when the user has used up ``network_checks_per_hour``: the other organisations
    # were not asked (``network`` is empty for that reason, not because nobody knows the person).
    network_paused: bool = False


def registration_check(*, actor: Any, draft: RegistrationDraft) -> RegistrationCheck:
    """The registration check, audited (``access.registration_check_record``): the in-
    organisation candidates and the network signal for the draft. For an actor who may not
    register people, nothing (the pages and the API answer 404 before)."""
    shows = can(actor, REGISTER) and can(actor, VIEW_IDENTITY)
    criteria = draft.criteria()
    if not criteria or not can(actor, REGISTER):
        return RegistrationCheck([], [], shows, checked=False)
    candidates = registration_candidates(actor=actor, draft=draft)
    paused = not may_ask_network(actor)
    asked = False
    network: list[NetworkContact] = []
    signalled: list[Person] = []
    if paused:
        logger.warning(
            "registration check: network part paused for user %s (%s checks an hour)",
            actor.pk,
            network_checks_per_hour(),
        )
    else:
        asked, network, signalled = network_signal_persons(actor=actor, draft=draft)
    registration_check_record(actor, criteria=criteria, signalled=signalled, network=asked)
    return RegistrationCheck(candidates, network, shows, checked=True, network_paused=paused)
