"""Every write to people, identities, documents, migration profiles, household links and
consents. One function per use case: keyword-only, atomic, validating, audited (field names,
never values).

The callers (pages, API, import) reach the records through ``access.py`` first; these functions
check the rules of the data, not who may call them.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kariya.accounts.models import Office, Organisation, User
from kariya.codelists.models import Code
from kariya.core import crypto
from kariya.core.audit import audit_record
from kariya.core.bulk import insert_rows, through_rows
from kariya.core.choices import choice_values
from kariya.core.locking import save_versioned
from kariya.core.models import AuditAction
from kariya.geo.models import AdminLevel, AdminUnit, Country, Site
from kariya.matching import names as matching_names
from kariya.matching.dictionary import current_variants
from kariya.matching.normalise import name_keys
from kariya.people import casecodes, phones, signals
from kariya.people.consent_rules import ADULT_AGE, consent_problems
from kariya.people.models import (
    FIRST_PLAUSIBLE_BIRTH_YEAR,
    ChildSeparation,
    Consent,
    ConsentGiver,
    ConsentMethod,
    ConsentRestriction,
    ConsentScope,
    DataCategory,
    DocumentStatus,
    ExpelledFrom,
    ExpulsionType,
    HouseholdLink,
    Identity,
    IdentityDocument,
    LegalBasis,
    MigrationProfile,
    MigrationStatus,
    Person,
    PersonSearchKey,
    RestrictionAudience,
    RoutePoint,
    SearchKind,
    Sex,
)


class _Keep(Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP
"""Default of optional arguments that may also be set to ``None``: leave the value as it is."""

MIN_REASON_LENGTH = 10


# --- inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentInput:
    document_type: Code
    status: str
    number: str = ""
    issuing_country: Country | None = None


@dataclass(frozen=True)
class RestrictionInput:
    """Withhold ``withhold`` from ``audience`` (``organisation`` when a named one), because…"""

    withhold: str
    audience: str
    reason: str = ""
    organisation: Organisation | None = None


@dataclass(frozen=True)
class ConsentInput:
    scope: str
    given_by: str
    method: str
    language: Code
    child_assent: bool = False
    child_mature: bool = False
    interpreter_used: bool = False
    given_at: datetime.datetime | None = None
    recipient_organisation: Organisation | None = None
    service_type: Code | None = None
    restrictions: Sequence[RestrictionInput] = ()


@dataclass(frozen=True)
class RoutePointInput:
    site: Site | None = None
    country: Country | None = None


@dataclass(frozen=True)
class MigrationInput:
    origin_country: Country | None = None
    origin_place: str = ""
    route: Sequence[RoutePointInput] = field(default_factory=tuple)
    arrival_date: datetime.date | None = None
    current_commune: AdminUnit | None = None
    intended_destination: Country | None = None
    status: str = ""
    expelled_from: str = ""
    expulsion_type: str = ""
    expulsion_arrival_site: Site | None = None
    expulsion_date: datetime.date | None = None


# --- small rules ------------------------------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def _clean_birth(
    *, birth_date: datetime.date | None, birth_year: int | None
) -> tuple[datetime.date | None, int]:
    """The exact date (if any) and the year, which the date decides when both are given."""
    if birth_date is not None:
        if birth_date > _today():
            raise ValidationError({"birth_date": _("The date of birth is in the future.")})
        birth_year = birth_date.year
    if birth_year is None:
        raise ValidationError(
            {"birth_year": _("Give the date of birth or at least an estimated year of birth.")}
        )
    if not FIRST_PLAUSIBLE_BIRTH_YEAR <= birth_year <= _today().year:
        raise ValidationError(
            {
                "birth_year": _("Give a year of birth between %(first)s and %(last)s.")
                % {"first": FIRST_PLAUSIBLE_BIRTH_YEAR, "last": _today().year}
            }
        )
    return birth_date, birth_year


def youngest_age(*, birth_year: int, birth_date: datetime.date | None, on: datetime.date) -> int:
    """Age on ``on``. With only a year, the youngest the person can be: when in doubt, a child
    is treated as a child."""
    if birth_date is not None:
        before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
        return on.year - birth_date.year - int(before_birthday)
    return max(on.year - birth_year - 1, 0)


def person_age(person: Person, *, on: datetime.date | None = None) -> int:
    identity = Identity.objects.filter(person=person).only("birth_date").first()
    birth_date = identity.birth_date_value if identity else None
    return youngest_age(birth_year=person.birth_year, birth_date=birth_date, on=on or _today())


def _clean_choice(value: str, choices: Iterable[str], field_name: str, *, blank: bool) -> str:
    if value == "" and blank:
        return value
    if value not in choices:
        raise ValidationError({field_name: _("Choose one of the options.")})
    return value


def _check_code(code: Code | None, list_name: str, field_name: str, *, required: bool) -> None:
    if code is None:
        if required:
            raise ValidationError({field_name: _("This field is required.")})
        return
    if code.list != list_name:
        raise ValidationError({field_name: _("Choose one of the options.")})


def _clean_names(values: Iterable[str]) -> list[str]:
    cleaned: dict[str, None] = {}
    for value in values:
        text = " ".join(str(value).split())
        if text:
            cleaned.setdefault(text, None)
    return list(cleaned)


def _clean_phones(values: Iterable[str]) -> list[str]:
    cleaned: dict[str, None] = {}
    errors = []
    for position, raw in enumerate(values, start=1):
        text = raw if isinstance(raw, str) else str(raw)  # keeps a checked ``E164``
        if not text.strip():
            continue
        try:
            cleaned.setdefault(phones.to_e164(text), None)
        except ValidationError as exc:
            errors.append(
                _("Phone number %(position)s: %(message)s")
                % {"position": position, "message": exc.messages[0]}
            )
    if errors:
        raise ValidationError({"phones": errors})
    return list(cleaned)


def _check_child_separation(value: str, *, age: int) -> str:
    value = _clean_choice(value, choice_values(ChildSeparation), "child_separation", blank=True)
    if value and age >= ADULT_AGE:
        raise ValidationError(
            {"child_separation": _("Only a child can be unaccompanied or separated.")}
        )
    return value


def _clean_legal_basis(basis: str, reason: str) -> tuple[str, str]:
    basis = _clean_choice(basis, choice_values(LegalBasis), "legal_basis", blank=True)
    reason = reason.strip()
    if basis and len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {"legal_basis_reason": _("Explain in a sentence why this legal basis applies.")}
        )
    if not basis:
        reason = ""
    return basis, reason


def normalise_document_number(number: str) -> str:
    """Upper case without spaces, dots, dashes or slashes: how documents are searched."""
    return "".join(ch for ch in number.upper() if ch.isalnum())


# --- search keys ------------------------------------------------------------------------------


def search_key(kind: str, value: str) -> str:
    """The blind index of one normalised search value (the selectors use the same)."""
    return crypto.blind_index(value, context=f"people.search.{kind}")


# Match keys take pairs of a person's canonical name tokens: at most this many tokens (28
# pairs), the first ones of the names in order (given, family, spellings, aliases).
MATCH_TOKENS = 8


def match_tokens(names: Iterable[str]) -> list[str]:
    """Canonical tokens of every written form of the name, through the variant dictionary in
    force (the shipped one and the administrators' additions) and the spelling key (Mahamadou =
    Mohamed, Aïssa = Aisha; Mohamed ≠ Mahmoud ≠ Ahmed), in order, without duplicates."""
    variants = current_variants()
    seen: dict[str, None] = {}
    for name in names:
        if name:
            for token in matching_names.name_tokens(name, variants):
                seen.setdefault(token, None)
    return list(seen)


def _pairs(tokens: Sequence[str]) -> list[str]:
    kept = sorted(tokens[:MATCH_TOKENS])
    return [f"{a} {b}" for i, a in enumerate(kept) for b in kept[i + 1 :]]


def search_values(
    kinds: Iterable[str],
    *,
    names: Iterable[str] = (),
    phones: Iterable[str] = (),
    document_numbers: Iterable[str] = (),
    birth_years: Iterable[int] = (),
) -> dict[str, set[str]]:
    """The normalised values behind each key of ``kinds`` (hashed by ``search_key``).

    ``phones`` are E.164 already. ``birth_years`` is the stored year for a person, the year
    and its neighbours for a lookup (a year estimated one off still meets)."""
    kinds = set(kinds)
    names = [n for n in names if n]
    values: dict[str, set[str]] = {kind: set() for kind in kinds}
    if SearchKind.NAME in kinds:
        for name in names:
            values[SearchKind.NAME].update(name_keys(name))
    if SearchKind.PHONE in kinds:
        values[SearchKind.PHONE].update(p for p in phones if p)
    if SearchKind.DOCUMENT in kinds:
        for number in document_numbers:
            normalised = normalise_document_number(number)
            if normalised:
                values[SearchKind.DOCUMENT].add(normalised)
    if kinds & {SearchKind.MATCH_NAME, SearchKind.NAME_YEAR, SearchKind.PHONE_NAME}:
        tokens = match_tokens(names)
        pairs = _pairs(tokens)
        if SearchKind.MATCH_NAME in kinds:
            values[SearchKind.MATCH_NAME].update(tokens)
        if SearchKind.NAME_YEAR in kinds:
            values[SearchKind.NAME_YEAR].update(
                f"{pair}|{year}" for pair in pairs for year in birth_years
            )
        if SearchKind.PHONE_NAME in kinds:
            values[SearchKind.PHONE_NAME].update(
                f"{phone}|{pair}" for phone in phones if phone for pair in pairs
            )
    return values


def search_keys_for(values: dict[str, set[str]]) -> list[tuple[str, str]]:
    """``(kind, key)`` of every value, sorted."""
    return [
        (kind, key)
        for kind, found in sorted(values.items())
        for key in sorted({search_key(kind, value) for value in found})
    ]


# What each kind is computed from: an identity or document change rebuilds the kinds it feeds.
NAME_KINDS = (SearchKind.NAME, SearchKind.MATCH_NAME, SearchKind.NAME_YEAR, SearchKind.PHONE_NAME)
PHONE_KINDS = (SearchKind.PHONE, SearchKind.PHONE_NAME)
YEAR_KINDS = (SearchKind.NAME_YEAR,)
MATCH_KINDS = (SearchKind.MATCH_NAME, SearchKind.NAME_YEAR, SearchKind.PHONE_NAME)


def _rebuild_search_keys(person: Person, kinds: Iterable[str]) -> None:
    """Recompute the person's keys of ``kinds`` from the stored identity, documents and year
    of birth."""
    kinds = set(kinds)
    identity = Identity.objects.get(person=person)
    numbers: list[str] = []
    if SearchKind.DOCUMENT in kinds:
        numbers = [d.number for d in IdentityDocument.objects.filter(person=person)]
    years: list[int] = []
    if SearchKind.NAME_YEAR in kinds:
        # Read again: services of other apps change the year with ``update()``.
        years = list(Person.objects.filter(pk=person.pk).values_list("birth_year", flat=True))
    values = search_values(
        kinds,
        names=identity.all_names(),
        phones=identity.phone_list,
        document_numbers=numbers,
        birth_years=years,
    )
    PersonSearchKey.objects.filter(person=person, kind__in=kinds).delete()
    PersonSearchKey.objects.bulk_create(
        PersonSearchKey(
            person=person,
            organisation_id=person.organisation_id,
            kind=kind,
            key=key,
        )
        for kind, key in search_keys_for(values)
    )


def search_keys_rebuild(*, person: Person) -> None:
    """Recompute every search key of ``person`` (names, phones, documents) from what is stored:
    for services of other apps that move identity values or documents (``dedup``)."""
    _rebuild_search_keys(person, SearchKind.values)


REBUILD_BATCH = 2000


def match_keys_rebuild(
    *,
    batch_size: int = REBUILD_BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute every person's match keys (``MATCH_KINDS``) from the stored identities, in
    batches of ``batch_size`` people, each batch in its own transaction (a long run can be
    stopped and started again). Needed for a database made before the match keys existed and
    after a change of the variant dictionary. Returns the number of people; ``progress(done,
    total)`` after each batch. One audit event (no actor: a maintenance command) names the
    kinds rebuilt."""
    total = Person.objects.count()
    done = 0
    last = 0
    while True:
        people = list(
            Person.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "organisation_id", "birth_year")[:batch_size]
        )
        if not people:
            break
        ids = [pk for pk, _org, _year in people]
        identities = {
            i.person_id: i
            for i in Identity.objects.filter(person_id__in=ids).only(
                "person_id", "given_names", "family_names", "other_spellings", "aliases", "phones"
            )
        }
        rows = []
        for pk, org_id, year in people:
            identity = identities.get(pk)
            if identity is None:
                continue
            values = search_values(
                MATCH_KINDS,
                names=identity.all_names(),
                phones=identity.phone_list,
                birth_years=[year],
            )
            rows += [
                {"person_id": pk, "organisation_id": org_id, "kind": kind, "key": key}
                for kind, key in search_keys_for(values)
            ]
        with transaction.atomic():
            PersonSearchKey.objects.filter(person_id__in=ids, kind__in=MATCH_KINDS).delete()
            insert_rows(PersonSearchKey, rows)
        done += len(people)
        last = ids[-1]
        if progress is not None:
            progress(done, total)
    audit_record(
        actor=None,
        action=AuditAction.UPDATE,
        object_type=PersonSearchKey._meta.label_lower,
        object_id=f"bulk:{done}",
        changed_fields=[str(kind) for kind in MATCH_KINDS],
    )
    return done


# --- registration -----------------------------------------------------------------------------


def _save_with_case_code(person: Person, prefix: str) -> None:
    for length in casecodes.draw_lengths():
        person.case_code = casecodes.draw(prefix, length)
        try:
            with transaction.atomic():
                person.save()
            return
        except IntegrityError:
            if not Person.objects.filter(case_code=person.case_code).exists():
                raise
    raise RuntimeError("no free case code found")  # pragma: no cover - ~0 probability


def _office_prefix(office: Office) -> str:
    commune = AdminUnit.objects.only("pcode").get(pk=office.commune_id)
    return casecodes.prefix_for_region(commune.pcode)


@transaction.atomic
def person_register(
    *,
    actor: User,
    office: Office,
    sex: str,
    birth_date: datetime.date | None = None,
    birth_year: int | None = None,
    birth_estimated: bool = False,
    nationalities: Iterable[Country] = (),
    languages: Iterable[Code] = (),
    preferred_language: Code | None = None,
    population_category: Code | None = None,
    child_separation: str = "",
    given_names: str = "",
    family_names: str = "",
    other_spellings: Iterable[str] = (),
    aliases: Iterable[str] = (),
    phone_numbers: Iterable[str] = (),
    documents: Sequence[DocumentInput] = (),
    migration: MigrationInput | None = None,
    consents: Sequence[ConsentInput] = (),
    legal_basis: str = "",
    legal_basis_reason: str = "",
    registered_at: datetime.datetime | None = None,
) -> Person:
    """Register a person with their identity, consents and (optionally) migration profile.

    Refused, with nothing saved, unless the person consented to receive services (a
    ``services`` consent among ``consents``) or another legal basis is recorded with a reason.
    The organisation is the actor's; the office must be one of its active offices. Names may be
    left out (some people will not give them): the case code identifies the person on paper.
    """
    organisation = actor.organisation
    if organisation is None or office.organisation_id != organisation.pk or not office.is_active:
        raise ValidationError({"office": _("Choose an office of your organisation.")})
    basis, reason = _clean_legal_basis(legal_basis, legal_basis_reason)
    if basis == "" and not any(c.scope == ConsentScope.SERVICES for c in consents):
        raise ValidationError(
            _(
                "This person cannot be registered: record their consent to receive services, "
                "or another legal basis (such as vital interest) with the reason."
            ),
            code="no_consent",
        )
    sex = _clean_choice(sex, choice_values(Sex), "sex", blank=False)
    birth_date, year = _clean_birth(birth_date=birth_date, birth_year=birth_year)
    _check_code(preferred_language, "language", "preferred_language", required=False)
    _check_code(population_category, "population_category", "population_category", required=False)
    language_list = list(languages)
    for language in language_list:
        _check_code(language, "language", "languages", required=True)
    age = youngest_age(birth_year=year, birth_date=birth_date, on=_today())
    separation = _check_child_separation(child_separation, age=age)
    now = timezone.now()
    person = Person(
        organisation=organisation,
        sex=sex,
        birth_year=year,
        birth_estimated=bool(birth_estimated) and birth_date is None,
        preferred_language=preferred_language,
        population_category=population_category,
        child_separation=separation,
        registered_at=registered_at or now,
        registering_office=office,
        legal_basis=basis,
        legal_basis_reason=reason,
        legal_basis_recorded_at=now if basis else None,
        legal_basis_recorded_by=actor if basis else None,
        created_by=actor,
        updated_by=actor,
    )
    _save_with_case_code(person, _office_prefix(office))
    person.nationalities.set(list(nationalities))
    person.languages.set(language_list)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=person,
        changed_fields=[
            "sex",
            "birth_year",
            "birth_estimated",
            "nationalities",
            "languages",
            "preferred_language",
            "population_category",
            "child_separation",
            "registering_office",
            *(["legal_basis", "legal_basis_reason"] if basis else []),
        ],
    )
    identity = Identity(
        organisation=organisation,
        person=person,
        given_names=" ".join(given_names.split()),
        family_names=" ".join(family_names.split()),
        other_spellings=json.dumps(_clean_names(other_spellings), ensure_ascii=False),
        aliases=json.dumps(_clean_names(aliases), ensure_ascii=False),
        phones=json.dumps(_clean_phones(phone_numbers)),
        birth_date=birth_date.isoformat() if birth_date else "",
        created_by=actor,
        updated_by=actor,
    )
    identity.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=identity,
        changed_fields=[
            name
            for name in (
                "given_names",
                "family_names",
                "other_spellings",
                "aliases",
                "phones",
                "birth_date",
            )
            if getattr(identity, name) not in ("", "[]")
        ],
    )
    for document in documents:
        _document_create(actor=actor, person=person, data=document)
    if migration is not None:
        migration_profile_save(actor=actor, person=person, data=migration)
    for consent in consents:
        _consent_create(actor=actor, person=person, data=consent, age=age)
    _rebuild_search_keys(person, SearchKind.values)
    return person


PERSON_FIELDS = (
    "sex",
    "birth_year",
    "birth_estimated",
    "preferred_language",
    "population_category",
    "child_separation",
)


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    expected_version: int,
    sex: str | None = None,
    birth_year: int | None = None,
    birth_estimated: bool | None = None,
    nationalities: Iterable[Country] | None = None,
    languages: Iterable[Code] | None = None,
    preferred_language: Code | None | _Keep = KEEP,
    population_category: Code | None | _Keep = KEEP,
    child_separation: str | None = None,
) -> Person:
    """Edit the pseudonymous core; refused if someone saved the person since it was read.

    A year of birth cannot contradict a recorded exact date of birth (change the date in the
    identity instead).
    """
    changed: list[str] = []
    if sex is not None and sex != person.sex:
        person.sex = _clean_choice(sex, choice_values(Sex), "sex", blank=False)
        changed.append("sex")
    identity = Identity.objects.only("birth_date").get(person=person)
    if birth_year is not None and birth_year != person.birth_year:
        if identity.birth_date_value is not None:
            raise ValidationError(
                {"birth_year": _("The year of birth follows the recorded date of birth.")}
            )
        person.birth_year = _clean_birth(birth_date=None, birth_year=birth_year)[1]
        changed.append("birth_year")
    if birth_estimated is not None and birth_estimated != person.birth_estimated:
        person.birth_estimated = birth_estimated and identity.birth_date_value is None
        changed.append("birth_estimated")
    if preferred_language is not KEEP and preferred_language != person.preferred_language:
        _check_code(preferred_language, "language", "preferred_language", required=False)
        person.preferred_language = preferred_language
        changed.append("preferred_language")
    if population_category is not KEEP and population_category != person.population_category:
        _check_code(
            population_category, "population_category", "population_category", required=False
        )
        person.population_category = population_category
        changed.append("population_category")
    if child_separation is not None and child_separation != person.child_separation:
        # Checked only when it changes: a separated child who has since turned 18 keeps the
        # record of it, and other edits still go through.
        age = youngest_age(
            birth_year=person.birth_year, birth_date=identity.birth_date_value, on=_today()
        )
        person.child_separation = _check_child_separation(child_separation, age=age)
        changed.append("child_separation")
    save_versioned(person, expected_version=expected_version, fields=changed, actor=actor)
    if nationalities is not None:
        countries = list(nationalities)
        if {c.pk for c in countries} != set(person.nationalities.values_list("pk", flat=True)):
            person.nationalities.set(countries)
            changed.append("nationalities")
    if languages is not None:
        language_list = list(languages)
        for language in language_list:
            _check_code(language, "language", "languages", required=True)
        if {c.pk for c in language_list} != set(person.languages.values_list("pk", flat=True)):
            person.languages.set(language_list)
            changed.append("languages")
    if "birth_year" in changed:
        _rebuild_search_keys(person, YEAR_KINDS)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=person, changed_fields=changed)
    return person


@transaction.atomic
def legal_basis_record(*, actor: User, person: Person, basis: str, reason: str) -> Person:
    """Record (or replace) the legal basis for processing without consent, with its reason."""
    basis, reason = _clean_legal_basis(basis, reason)
    if not basis:
        raise ValidationError({"legal_basis": _("Choose the legal basis.")})
    now = timezone.now()
    Person.objects.filter(pk=person.pk).update(
        legal_basis=basis,
        legal_basis_reason=reason,
        legal_basis_recorded_at=now,
        legal_basis_recorded_by=actor,
        updated_at=now,
        updated_by=actor,
        version=F("version") + 1,
    )
    person.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=person,
        changed_fields=["legal_basis", "legal_basis_reason"],
    )
    return person


# --- identity ---------------------------------------------------------------------------------


@transaction.atomic
def identity_update(
    *,
    actor: User,
    identity: Identity,
    expected_version: int,
    given_names: str | None = None,
    family_names: str | None = None,
    other_spellings: Iterable[str] | None = None,
    aliases: Iterable[str] | None = None,
    phone_numbers: Iterable[str] | None = None,
    birth_date: datetime.date | None | _Keep = KEEP,
) -> Identity:
    """Edit names, spellings, aliases, phones or the exact date of birth.

    Refused, with nothing written, if someone saved the identity since ``expected_version`` was
    read. Search keys are rebuilt from the new values; a new date of birth sets the person's
    year of birth (no longer estimated).
    """
    new: dict[str, str] = {}
    if given_names is not None:
        new["given_names"] = " ".join(given_names.split())
    if family_names is not None:
        new["family_names"] = " ".join(family_names.split())
    if other_spellings is not None:
        new["other_spellings"] = json.dumps(_clean_names(other_spellings), ensure_ascii=False)
    if aliases is not None:
        new["aliases"] = json.dumps(_clean_names(aliases), ensure_ascii=False)
    if phone_numbers is not None:
        new["phones"] = json.dumps(_clean_phones(phone_numbers))
    if birth_date is not KEEP:
        if birth_date is not None:
            _clean_birth(birth_date=birth_date, birth_year=None)
        new["birth_date"] = birth_date.isoformat() if birth_date else ""
    changed = [
        name for name, value in new.items() if value != (getattr(identity, name) or _empty(name))
    ]
    for name in changed:
        setattr(identity, name, new[name])
    save_versioned(identity, expected_version=expected_version, fields=changed, actor=actor)
    if "birth_date" in changed and isinstance(birth_date, datetime.date):
        Person.objects.filter(pk=identity.person_id).update(
            birth_year=birth_date.year,
            birth_estimated=False,
            updated_at=timezone.now(),
            updated_by=actor,
        )
    kinds: set[str] = set()
    if {"given_names", "family_names", "other_spellings", "aliases"} & set(changed):
        kinds.update(NAME_KINDS)
    if "phones" in changed:
        kinds.update(PHONE_KINDS)
    if "birth_date" in changed:
        kinds.update(YEAR_KINDS)
    if kinds:
        _rebuild_search_keys(identity.person, kinds)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=identity, changed_fields=changed)
    return identity


def _empty(name: str) -> str:
    return "[]" if name in {"other_spellings", "aliases", "phones"} else ""


def _clean_document(data: DocumentInput) -> tuple[str, str]:
    _check_code(data.document_type, "document_type", "document_type", required=True)
    status = _clean_choice(data.status, choice_values(DocumentStatus), "status", blank=False)
    number = " ".join(data.number.split())
    if status == DocumentStatus.NEVER_HAD and number:
        raise ValidationError(
            {"number": _("A document the person never had has no number: leave it empty.")}
        )
    return status, number


def _document_create(*, actor: User, person: Person, data: DocumentInput) -> IdentityDocument:
    status, number = _clean_document(data)
    normalised = normalise_document_number(number)
    document = IdentityDocument.objects.create(
        person=person,
        document_type=data.document_type,
        number=number,
        number_index=(
            crypto.blind_index(normalised, context="people.identitydocument.number")
            if normalised
            else ""
        ),
        issuing_country=data.issuing_country,
        status=status,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=document,
        organisation=person.organisation,
        changed_fields=[
            "document_type",
            "status",
            *(["number"] if number else []),
            *(["issuing_country"] if data.issuing_country else []),
        ],
    )
    return document


@transaction.atomic
def document_add(*, actor: User, person: Person, data: DocumentInput) -> IdentityDocument:
    document = _document_create(actor=actor, person=person, data=data)
    _rebuild_search_keys(person, [SearchKind.DOCUMENT])
    return document


@transaction.atomic
def document_update(
    *, actor: User, document: IdentityDocument, data: DocumentInput
) -> IdentityDocument:
    """Replace a document's details (its status changes most: held → confiscated…)."""
    status, number = _clean_document(data)
    changed = []
    if data.document_type.pk != document.document_type_id:
        changed.append("document_type")
    if status != document.status:
        changed.append("status")
    if number != document.number:
        changed.append("number")
    if (data.issuing_country.pk if data.issuing_country else None) != document.issuing_country_id:
        changed.append("issuing_country")
    normalised = normalise_document_number(number)
    document.document_type = data.document_type
    document.status = status
    document.number = number
    document.number_index = (
        crypto.blind_index(normalised, context="people.identitydocument.number")
        if normalised
        else ""
    )
    document.issuing_country = data.issuing_country
    document.updated_at = timezone.now()
    document.save()
    if "number" in changed:
        _rebuild_search_keys(document.person, [SearchKind.DOCUMENT])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=document,
        organisation=document.person.organisation,
        changed_fields=changed,
    )
    return document


@transaction.atomic
def document_remove(*, actor: User, document: IdentityDocument) -> None:
    """Remove a document recorded by mistake (a lost one stays, with the status "lost")."""
    person = document.person
    audit_record(actor=actor, action=AuditAction.DELETE, obj=document)
    document.delete()
    _rebuild_search_keys(person, [SearchKind.DOCUMENT])


# --- migration profile ------------------------------------------------------------------------


def _migration_apply(
    *, actor: User, person: Person, profile: MigrationProfile | None, data: MigrationInput
) -> tuple[MigrationProfile, list[str]]:
    status = _clean_choice(data.status, choice_values(MigrationStatus), "status", blank=True)
    expelled_from = _clean_choice(
        data.expelled_from, choice_values(ExpelledFrom), "expelled_from", blank=True
    )
    expulsion_type = _clean_choice(
        data.expulsion_type, choice_values(ExpulsionType), "expulsion_type", blank=True
    )
    errors: dict[str, str] = {}
    if data.current_commune is not None and data.current_commune.level != AdminLevel.COMMUNE:
        errors["current_commune"] = _("Choose a commune.")
    for name in ("arrival_date", "expulsion_date"):
        value = getattr(data, name)
        if value is not None and value > _today():
            errors[name] = _("This date is in the future.")
    has_expulsion_detail = bool(
        expulsion_type or data.expulsion_arrival_site or data.expulsion_date
    )
    if has_expulsion_detail and not expelled_from:
        errors["expelled_from"] = _("Say which country expelled the person.")
    if status == MigrationStatus.EXPELLED and not expelled_from:
        errors["expelled_from"] = _("Say which country expelled the person.")
    for position, point in enumerate(data.route, start=1):
        if (point.site is None) == (point.country is None):
            errors["route"] = _("Route stage %(position)s: give either a site or a country.") % {
                "position": position
            }
    if errors:
        raise ValidationError(errors)
    values: dict[str, Any] = {
        "origin_country": data.origin_country,
        "origin_place": " ".join(data.origin_place.split()),
        "arrival_date": data.arrival_date,
        "current_commune": data.current_commune,
        "intended_destination": data.intended_destination,
        "status": status,
        "expelled_from": expelled_from,
        "expulsion_type": expulsion_type,
        "expulsion_arrival_site": data.expulsion_arrival_site,
        "expulsion_date": data.expulsion_date,
    }
    if profile is None:
        profile = MigrationProfile(
            organisation_id=person.organisation_id,
            person=person,
            created_by=actor,
            updated_by=actor,
        )
        changed = [name for name, value in values.items() if value not in (None, "")]
        old_route: list[tuple[int | None, str | None]] = []
    else:
        changed = [name for name, value in values.items() if getattr(profile, name) != value]
        old_route = list(profile.route.values_list("site_id", "country_id"))
    for name, value in values.items():
        setattr(profile, name, value)
    if profile.pk is None:
        profile.save()
    new_route = [
        (p.site.pk if p.site else None, p.country.pk if p.country else None) for p in data.route
    ]
    if new_route != old_route:
        changed.append("route")
    return profile, changed


def _write_route(profile: MigrationProfile, data: MigrationInput) -> None:
    RoutePoint.objects.filter(profile=profile).delete()
    RoutePoint.objects.bulk_create(
        RoutePoint(profile=profile, position=position, site=p.site, country=p.country)
        for position, p in enumerate(data.route, start=1)
    )


@transaction.atomic
def migration_profile_save(
    *, actor: User, person: Person, data: MigrationInput, expected_version: int | None = None
) -> MigrationProfile:
    """Create the person's migration profile, or replace its content (``expected_version``
    required then: a stale edit is refused)."""
    existing = MigrationProfile.objects.filter(person=person).first()
    if existing is not None and expected_version is None:
        raise ValidationError(_("This person already has a migration profile: edit it."))
    profile, changed = _migration_apply(actor=actor, person=person, profile=existing, data=data)
    created = existing is None
    if existing is not None and expected_version is not None:
        # Bumps the version even when only the route (its own table) changed.
        fields = [name for name in changed if name != "route"]
        save_versioned(profile, expected_version=expected_version, fields=fields, actor=actor)
    if "route" in changed:
        _write_route(profile, data)
    if "current_commune" in changed:
        signals.profile_changed.send(sender=MigrationProfile, person_ids=[person.pk])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=profile,
        changed_fields=changed,
    )
    return profile


# --- household links --------------------------------------------------------------------------


@transaction.atomic
def household_link_add(
    *, actor: User, person: Person, relative: Person, relationship: Code
) -> HouseholdLink:
    """Record that ``relative`` is the ``relationship`` of ``person`` (same organisation only).

    A link does not change a child's unaccompanied or separated status: that is a caseworker's
    determination (``person_update``).
    """
    _check_code(relationship, "relationship", "relationship", required=True)
    if relative.organisation_id != person.organisation_id:
        raise ValidationError({"relative": _("Choose a person registered by your organisation.")})
    if relative.pk == person.pk:
        raise ValidationError({"relative": _("A person cannot be linked to themselves.")})
    if HouseholdLink.objects.filter(person=person, relative=relative).exists():
        raise ValidationError({"relative": _("These two people are already linked.")})
    link = HouseholdLink.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        relative=relative,
        relationship=relationship,
        created_by=actor,
        updated_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=link,
        changed_fields=["person", "relative", "relationship"],
    )
    return link


@transaction.atomic
def household_link_remove(*, actor: User, link: HouseholdLink) -> None:
    audit_record(actor=actor, action=AuditAction.DELETE, obj=link)
    link.delete()


# --- consent ----------------------------------------------------------------------------------


def _consent_create(*, actor: User, person: Person, data: ConsentInput, age: int) -> Consent:
    scope = _clean_choice(data.scope, choice_values(ConsentScope), "scope", blank=False)
    given_by = _clean_choice(data.given_by, choice_values(ConsentGiver), "given_by", blank=False)
    method = _clean_choice(data.method, choice_values(ConsentMethod), "method", blank=False)
    _check_code(data.language, "language", "language", required=True)
    _check_code(data.service_type, "service_type", "service_type", required=False)
    errors: dict[str, Any] = {}
    given_at = data.given_at or timezone.now()
    if given_at > timezone.now():
        errors["given_at"] = _("Consent cannot be given in the future.")
    if scope == ConsentScope.REFERRAL:
        if data.recipient_organisation is None and data.service_type is None:
            errors["recipient_organisation"] = _(
                "Name the organisation or the type of service the person agreed to be referred to."
            )
    else:
        if data.service_type is not None:
            errors["service_type"] = _("Only a referral consent names a service type.")
        if data.recipient_organisation is not None and scope != ConsentScope.AUTHORITIES:
            errors["recipient_organisation"] = _(
                "Only a referral or a sharing consent names an organisation."
            )
    problems = consent_problems(
        age=age, given_by=given_by, child_assent=data.child_assent, child_mature=data.child_mature
    )
    if problems:
        errors["given_by"] = problems
    if errors:
        raise ValidationError(errors)
    restrictions = [_clean_restriction(r) for r in data.restrictions]
    consent = Consent.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        scope=scope,
        recipient_organisation=data.recipient_organisation,
        service_type=data.service_type,
        given_by=given_by,
        child_assent=data.child_assent and age < ADULT_AGE,
        child_mature=data.child_mature and age < ADULT_AGE,
        method=method,
        language=data.language,
        interpreter_used=data.interpreter_used,
        given_at=given_at,
        recorded_by=actor,
        created_by=actor,
        updated_by=actor,
    )
    ConsentRestriction.objects.bulk_create(
        ConsentRestriction(consent=consent, **values) for values in restrictions
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=consent,
        changed_fields=[
            "scope",
            "given_by",
            "method",
            "language",
            "interpreter_used",
            "given_at",
            *(["child_assent"] if age < ADULT_AGE else []),
            *(["recipient_organisation"] if data.recipient_organisation else []),
            *(["service_type"] if data.service_type else []),
            *(["restrictions"] if restrictions else []),
        ],
    )
    return consent


def _clean_restriction(data: RestrictionInput) -> dict[str, Any]:
    withhold = _clean_choice(
        data.withhold, choice_values(DataCategory), "restrictions", blank=False
    )
    audience = _clean_choice(
        data.audience, choice_values(RestrictionAudience), "restrictions", blank=False
    )
    if (audience == RestrictionAudience.ORGANISATION) != (data.organisation is not None):
        raise ValidationError(
            {"restrictions": _("Name the organisation only when withholding from one.")}
        )
    return {
        "withhold": withhold,
        "audience": audience,
        "organisation": data.organisation,
        "reason": data.reason.strip(),
    }


@transaction.atomic
def consent_record(
    *,
    actor: User,
    person: Person,
    scope: str,
    given_by: str,
    method: str,
    language: Code,
    child_assent: bool = False,
    child_mature: bool = False,
    interpreter_used: bool = False,
    given_at: datetime.datetime | None = None,
    recipient_organisation: Organisation | None = None,
    service_type: Code | None = None,
    restrictions: Sequence[RestrictionInput] = (),
) -> Consent:
    """Add a consent to the person's ledger.

    Who may consent follows ``consent_rules.AGE_BANDS`` for the person's age on the day (the
    youngest they can be when only the year is known): a caregiver for young children, with the
    child's assent from 6, the child alone from 12 when judged mature.
    """
    data = ConsentInput(
        scope=scope,
        given_by=given_by,
        method=method,
        language=language,
        child_assent=child_assent,
        child_mature=child_mature,
        interpreter_used=interpreter_used,
        given_at=given_at,
        recipient_organisation=recipient_organisation,
        service_type=service_type,
        restrictions=restrictions,
    )
    on = timezone.localdate(given_at) if given_at else None
    return _consent_create(actor=actor, person=person, data=data, age=person_age(person, on=on))


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, reason: str = "") -> Consent:
    """Withdraw a consent, at once: from now on ``consent_has`` answers False for it.

    The record stays in the ledger with who withdrew it, when and why.
    """
    now = timezone.now()
    updated = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now,
        withdrawn_by=actor,
        withdrawal_reason=reason.strip(),
        updated_at=now,
        updated_by=actor,
        version=F("version") + 1,
    )
    if updated != 1:
        raise ValidationError(_("This consent has already been withdrawn."), code="withdrawn")
    consent.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=consent,
        changed_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"],
    )
    return consent


# --- bulk registration ------------------------------------------------------------------------
#
# For the data generator and imports at scale: the rows of ``person_register``, validated by the
# same rules, written with a few multi-row inserts instead of ~20 queries a person. What lands in
# the tables is what ``person_register`` writes (encrypted identity, blind-index search keys,
# documents, migration profile and route, consents and restrictions, nationalities and spoken
# languages). The audit log gets ONE event per batch (action "create", type "people.person",
# record id "bulk:<count>", the kinds of records written): a batch is one act of one actor, and a
# million events would only repeat that. The person-level audit trail starts with the next edit.

BULK_MAX_ROWS = 10_000


@dataclass(frozen=True)
class PersonRow:
    """One person for :func:`person_register_bulk`: the arguments of ``person_register``."""

    office: Office
    sex: str
    birth_date: datetime.date | None = None
    birth_year: int | None = None
    birth_estimated: bool = False
    nationalities: Sequence[Country] = ()
    languages: Sequence[Code] = ()
    preferred_language: Code | None = None
    population_category: Code | None = None
    child_separation: str = ""
    given_names: str = ""
    family_names: str = ""
    other_spellings: Sequence[str] = ()
    aliases: Sequence[str] = ()
    phone_numbers: Sequence[str] = ()
    documents: Sequence[DocumentInput] = ()
    migration: MigrationInput | None = None
    consents: Sequence[ConsentInput] = ()
    legal_basis: str = ""
    legal_basis_reason: str = ""
    registered_at: datetime.datetime | None = None


@dataclass
class _CleanPerson:
    row: PersonRow
    sex: str
    birth_date: datetime.date | None
    birth_year: int
    age: int
    separation: str
    basis: str
    reason: str
    spellings: list[str]
    aliases: list[str]
    phones: list[str]
    documents: list[tuple[DocumentInput, str, str]]  # input, status, number
    consents: list[tuple[ConsentInput, str, str, str, list[dict[str, Any]]]]


def _row_error(position: int, exc: ValidationError) -> ValidationError:
    return ValidationError(
        _("Row %(row)s: %(message)s") % {"row": position, "message": " ".join(exc.messages)},
        code="bad_row",
    )


class BulkRowsError(ValidationError):
    """A bulk service refused its batch: every row was checked, and each bad row gives one
    message "Row N: …" (N counts from 1 in the batch). ``rows`` keeps each bad row's position
    and its original error (with its field names), for a caller that maps the errors back to
    its own columns (the spreadsheet import)."""

    def __init__(self, rows: list[tuple[int, ValidationError]]) -> None:
        super().__init__([_row_error(position, exc) for position, exc in rows])
        self.rows = rows


def _clean_migration_bulk(data: MigrationInput) -> None:
    """The checks of ``_migration_apply``, without writing."""
    _clean_choice(data.status, choice_values(MigrationStatus), "status", blank=True)
    expelled_from = _clean_choice(
        data.expelled_from, choice_values(ExpelledFrom), "expelled_from", blank=True
    )
    expulsion_type = _clean_choice(
        data.expulsion_type, choice_values(ExpulsionType), "expulsion_type", blank=True
    )
    if data.current_commune is not None and data.current_commune.level != AdminLevel.COMMUNE:
        raise ValidationError({"current_commune": _("Choose a commune.")})
    for name in ("arrival_date", "expulsion_date"):
        value = getattr(data, name)
        if value is not None and value > _today():
            raise ValidationError({name: _("This date is in the future.")})
    has_detail = bool(expulsion_type or data.expulsion_arrival_site or data.expulsion_date)
    if (has_detail or data.status == MigrationStatus.EXPELLED) and not expelled_from:
        raise ValidationError({"expelled_from": _("Say which country expelled the person.")})
    for position, point in enumerate(data.route, start=1):
        if (point.site is None) == (point.country is None):
            raise ValidationError(
                {
                    "route": _("Route stage %(position)s: give either a site or a country.")
                    % {"position": position}
                }
            )


def _clean_consent_bulk(
    data: ConsentInput, age: int, now: datetime.datetime
) -> tuple[ConsentInput, str, str, str, list[dict[str, Any]]]:
    """The checks of ``_consent_create``, without writing."""
    scope = _clean_choice(data.scope, choice_values(ConsentScope), "scope", blank=False)
    given_by = _clean_choice(data.given_by, choice_values(ConsentGiver), "given_by", blank=False)
    method = _clean_choice(data.method, choice_values(ConsentMethod), "method", blank=False)
    _check_code(data.language, "language", "language", required=True)
    _check_code(data.service_type, "service_type", "service_type", required=False)
    if (data.given_at or now) > now:
        raise ValidationError({"given_at": _("Consent cannot be given in the future.")})
    if scope == ConsentScope.REFERRAL:
        if data.recipient_organisation is None and data.service_type is None:
            raise ValidationError(
                {
                    "recipient_organisation": _(
                        "Name the organisation or the type of service the person agreed to be "
                        "referred to."
                    )
                }
            )
    else:
        if data.service_type is not None:
            raise ValidationError(
                {"service_type": _("Only a referral consent names a service type.")}
            )
        if data.recipient_organisation is not None and scope != ConsentScope.AUTHORITIES:
            raise ValidationError(
                {
                    "recipient_organisation": _(
                        "Only a referral or a sharing consent names an organisation."
                    )
                }
            )
    problems = consent_problems(
        age=age, given_by=given_by, child_assent=data.child_assent, child_mature=data.child_mature
    )
    if problems:
        raise ValidationError({"given_by": problems})
    restrictions = [_clean_restriction(r) for r in data.restrictions]
    return data, scope, given_by, method, restrictions


def _clean_person_row(
    row: PersonRow, organisation: Organisation, now: datetime.datetime
) -> _CleanPerson:
    """Every check ``person_register`` makes, in the same order, without writing."""
    if row.office.organisation_id != organisation.pk or not row.office.is_active:
        raise ValidationError({"office": _("Choose an office of your organisation.")})
    basis, reason = _clean_legal_basis(row.legal_basis, row.legal_basis_reason)
    if basis == "" and not any(c.scope == ConsentScope.SERVICES for c in row.consents):
        raise ValidationError(
            _(
                "This person cannot be registered: record their consent to receive services, "
                "or another legal basis (such as vital interest) with the reason."
            ),
            code="no_consent",
        )
    sex = _clean_choice(row.sex, choice_values(Sex), "sex", blank=False)
    birth_date, year = _clean_birth(birth_date=row.birth_date, birth_year=row.birth_year)
    _check_code(row.preferred_language, "language", "preferred_language", required=False)
    _check_code(
        row.population_category, "population_category", "population_category", required=False
    )
    for language in row.languages:
        _check_code(language, "language", "languages", required=True)
    age = youngest_age(birth_year=year, birth_date=birth_date, on=_today())
    separation = _check_child_separation(row.child_separation, age=age)
    if row.registered_at is not None and row.registered_at > now:
        raise ValidationError({"registered_at": _("This date is in the future.")})
    documents = []
    for document in row.documents:
        status, number = _clean_document(document)
        documents.append((document, status, number))
    if row.migration is not None:
        _clean_migration_bulk(row.migration)
    return _CleanPerson(
        row=row,
        sex=sex,
        birth_date=birth_date,
        birth_year=year,
        age=age,
        separation=separation,
        basis=basis,
        reason=reason,
        spellings=_clean_names(row.other_spellings),
        aliases=_clean_names(row.aliases),
        phones=_clean_phones(row.phone_numbers),
        documents=documents,
        consents=[_clean_consent_bulk(c, age, now) for c in row.consents],
    )


def _draw_case_codes(prefixes: list[str]) -> list[str]:
    """One unused case code per prefix: drawn as ``_save_with_case_code`` draws them, checked
    against the table and the batch with one query per round instead of one per person."""
    codes: list[str | None] = [None] * len(prefixes)
    taken: set[str] = set()
    lengths = casecodes.draw_lengths()
    for attempt in range(len(lengths)):
        todo = [i for i, code in enumerate(codes) if code is None]
        if not todo:
            break
        drawn: dict[int, str] = {}
        for i in todo:
            code = casecodes.draw(prefixes[i], lengths[attempt])
            if code not in taken:
                drawn[i] = code
                taken.add(code)
        existing = set(
            Person.objects.filter(case_code__in=list(drawn.values())).values_list(
                "case_code", flat=True
            )
        )
        for i, code in drawn.items():
            if code not in existing:
                codes[i] = code
    if any(code is None for code in codes):
        raise RuntimeError("no free case code found")  # pragma: no cover - ~0 probability
    return [code for code in codes if code is not None]


def _pk(instance: Any) -> Any:
    return None if instance is None else instance.pk


def _restriction_row(consent_id: int, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "consent_id": consent_id,
        "withhold": values["withhold"],
        "audience": values["audience"],
        "organisation_id": _pk(values["organisation"]),
        "reason": values["reason"],
    }


def bulk_search_keys(
    *,
    person_id: int,
    organisation_id: int,
    names: Iterable[str],
    phones: Iterable[str],
    document_numbers: Iterable[str],
    birth_year: int,
) -> list[dict[str, Any]]:
    """The search keys ``_rebuild_search_keys`` computes, from unsaved values, as rows for
    ``core.bulk.insert_rows``."""
    values = search_values(
        choice_values(SearchKind),
        names=names,
        phones=list(phones),
        document_numbers=document_numbers,
        birth_years=[birth_year],
    )
    return [
        {"person_id": person_id, "organisation_id": organisation_id, "kind": kind, "key": key}
        for kind, key in search_keys_for(values)
    ]


@transaction.atomic
def person_register_bulk(*, actor: User, rows: Sequence[PersonRow]) -> list[Person]:
    """Register up to ``BULK_MAX_ROWS`` people at once, all or nothing.

    Each row is checked by the rules of ``person_register`` before anything is written; a bad
    row refuses the whole batch (``BulkRowsError``, a ``ValidationError`` naming every bad row,
    nothing saved). One audit event for the batch (see above). Returns the people, with their
    primary keys.
    """
    organisation = actor.organisation
    if organisation is None:
        raise ValidationError({"office": _("Choose an office of your organisation.")})
    if len(rows) > BULK_MAX_ROWS:
        raise ValidationError(
            _("Register at most %(count)s people at once.") % {"count": BULK_MAX_ROWS}
        )
    if not rows:
        return []
    now = timezone.now()
    cleaned = []
    refused: list[tuple[int, ValidationError]] = []
    for position, row in enumerate(rows, start=1):
        try:
            cleaned.append(_clean_person_row(row, organisation, now))
        except ValidationError as exc:
            refused.append((position, exc))
    if refused:
        raise BulkRowsError(refused)

    prefixes: dict[int, str] = {}
    for item in cleaned:
        if item.row.office.pk not in prefixes:
            prefixes[item.row.office.pk] = _office_prefix(item.row.office)
    # Written as plain rows (``core.bulk``): building a model instance per row for
    # ``bulk_create`` was most of an import's time. The people are built after, to return them.
    public_id = Person._meta.get_field("public_id")
    person_values = [
        {
            # The field's default, not uuid4 itself: the demo draws reproducible ids.
            "public_id": public_id.get_default(),
            "organisation_id": organisation.pk,
            "sex": item.sex,
            "birth_year": item.birth_year,
            "birth_estimated": bool(item.row.birth_estimated) and item.birth_date is None,
            "preferred_language_id": _pk(item.row.preferred_language),
            "population_category_id": _pk(item.row.population_category),
            "child_separation": item.separation,
            "registered_at": item.row.registered_at or now,
            "registering_office_id": item.row.office.pk,
            "legal_basis": item.basis,
            "legal_basis_reason": item.reason,
            "legal_basis_recorded_at": (item.row.registered_at or now) if item.basis else None,
            "legal_basis_recorded_by_id": actor.pk if item.basis else None,
            "created_at": item.row.registered_at or now,
            "updated_at": item.row.registered_at or now,
            "created_by_id": actor.pk,
            "updated_by_id": actor.pk,
        }
        for item in cleaned
    ]
    for _attempt in range(3):
        codes = _draw_case_codes([prefixes[item.row.office.pk] for item in cleaned])
        for values, code in zip(person_values, codes, strict=True):
            values["case_code"] = code
        try:
            with transaction.atomic():
                person_ids = insert_rows(Person, person_values, returning=True)
            break
        except IntegrityError:
            # Another writer took one of the codes since they were checked: draw again.
            continue
    else:  # pragma: no cover - three races in a row
        raise RuntimeError("no free case code found")
    people = []
    for pk, values in zip(person_ids, person_values, strict=True):
        person = Person(pk=pk, **values)
        person._state.adding = False
        person._state.db = router.db_for_write(Person)
        people.append(person)

    # The rest is written as plain rows (``core.bulk``): building ~15 model instances per
    # person was most of an import's time.
    org_id = organisation.pk
    actor_id = actor.pk
    nationality_pairs: list[tuple[int, str]] = []
    language_pairs: list[tuple[int, int]] = []
    identities: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    profiles: list[dict[str, Any]] = []
    routes: list[list[dict[str, Any]]] = []
    consents: list[dict[str, Any]] = []
    restrictions: list[list[dict[str, Any]]] = []
    keys: list[dict[str, Any]] = []
    for person, item in zip(people, cleaned, strict=True):
        row = item.row
        at = person.registered_at
        pk = person.pk
        nationality_pairs += [(pk, country.pk) for country in dict.fromkeys(row.nationalities)]
        language_pairs += [(pk, code.pk) for code in dict.fromkeys(row.languages)]
        given = " ".join(row.given_names.split())
        family = " ".join(row.family_names.split())
        stamps = {
            "organisation_id": org_id,
            "created_at": at,
            "updated_at": at,
            "created_by_id": actor_id,
            "updated_by_id": actor_id,
        }
        identities.append(
            {
                **stamps,
                "person_id": pk,
                "given_names": given,
                "family_names": family,
                "other_spellings": json.dumps(item.spellings, ensure_ascii=False),
                "aliases": json.dumps(item.aliases, ensure_ascii=False),
                "phones": json.dumps(item.phones),
                "birth_date": item.birth_date.isoformat() if item.birth_date else "",
            }
        )
        for document, status, number in item.documents:
            normalised = normalise_document_number(number)
            documents.append(
                {
                    "person_id": pk,
                    "document_type_id": document.document_type.pk,
                    "number": number,
                    "number_index": (
                        crypto.blind_index(normalised, context="people.identitydocument.number")
                        if normalised
                        else ""
                    ),
                    "issuing_country_id": (
                        document.issuing_country.pk if document.issuing_country else None
                    ),
                    "status": status,
                    "created_at": at,
                    "updated_at": at,
                }
            )
        if row.migration is not None:
            migration = row.migration
            profiles.append(
                {
                    **stamps,
                    "person_id": pk,
                    "origin_country_id": _pk(migration.origin_country),
                    "origin_place": " ".join(migration.origin_place.split()),
                    "arrival_date": migration.arrival_date,
                    "current_commune_id": _pk(migration.current_commune),
                    "intended_destination_id": _pk(migration.intended_destination),
                    "status": migration.status,
                    "expelled_from": migration.expelled_from,
                    "expulsion_type": migration.expulsion_type,
                    "expulsion_arrival_site_id": _pk(migration.expulsion_arrival_site),
                    "expulsion_date": migration.expulsion_date,
                }
            )
            routes.append(
                [
                    {"position": position, "site_id": _pk(p.site), "country_id": _pk(p.country)}
                    for position, p in enumerate(migration.route, start=1)
                ]
            )
        for consent_input, scope, given_by, method, consent_restrictions in item.consents:
            given_at = consent_input.given_at or now
            consents.append(
                {
                    **stamps,
                    "created_at": given_at,
                    "updated_at": given_at,
                    "person_id": pk,
                    "scope": scope,
                    "recipient_organisation_id": _pk(consent_input.recipient_organisation),
                    "service_type_id": _pk(consent_input.service_type),
                    "given_by": given_by,
                    "child_assent": consent_input.child_assent and item.age < ADULT_AGE,
                    "child_mature": consent_input.child_mature and item.age < ADULT_AGE,
                    "method": method,
                    "language_id": _pk(consent_input.language),
                    "interpreter_used": consent_input.interpreter_used,
                    "given_at": given_at,
                    "recorded_by_id": actor_id,
                }
            )
            restrictions.append(consent_restrictions)
        keys += bulk_search_keys(
            person_id=pk,
            organisation_id=org_id,
            names=[given, family, *item.spellings, *item.aliases],
            phones=item.phones,
            document_numbers=(number for _d, _s, number in item.documents),
            birth_year=item.birth_year,
        )

    insert_rows(*through_rows(Person.nationalities, nationality_pairs))
    insert_rows(*through_rows(Person.languages, language_pairs))
    insert_rows(Identity, identities)
    insert_rows(IdentityDocument, documents)
    if any(routes):
        profile_ids = insert_rows(MigrationProfile, profiles, returning=True)
        insert_rows(
            RoutePoint,
            (
                {**point, "profile_id": profile_id}
                for profile_id, points in zip(profile_ids, routes, strict=True)
                for point in points
            ),
        )
    else:
        insert_rows(MigrationProfile, profiles)
    if any(restrictions):
        consent_ids = insert_rows(Consent, consents, returning=True)
        insert_rows(
            ConsentRestriction,
            (
                _restriction_row(consent_id, values)
                for consent_id, found in zip(consent_ids, restrictions, strict=True)
                for values in found
            ),
        )
    else:
        insert_rows(Consent, consents)
    insert_rows(PersonSearchKey, keys)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=Person._meta.label_lower,
        object_id=f"bulk:{len(people)}",
        changed_fields=[
            "person",
            "identity",
            "search_keys",
            *(["nationalities"] if nationality_pairs else []),
            *(["languages"] if language_pairs else []),
            *(["documents"] if documents else []),
            *(["migration_profile"] if profiles else []),
            *(["consents"] if consents else []),
        ],
    )
    return people


# --- case transfer ------------------------------------------------------------------------------


def person_transfer_ownership(
    *, person: Person, to_organisation: Organisation, office: Office, actor: User
) -> list[str]:
    """Move the person's record to ``to_organisation`` (a case transfer, accepted by the
    receiving organisation): the person, their identity, search keys, migration profile and
    consent ledger. Household links are **removed** (both directions): they join two people of
    one organisation and the relatives stay with the old owner. The registering office becomes
    ``office`` (an office of the new owner).

    Called only by ``referrals.services`` once the transfer has been checked (consent naming the
    receiving organisation, accepted by its focal point); returns the names of what moved, for
    the audit event. Encrypted fields need no re-encryption (the key does not depend on the
    organisation).
    """
    if office.organisation_id != to_organisation.pk:
        raise ValidationError({"office": _("Choose an office of the receiving organisation.")})
    org_id = to_organisation.pk
    Person.objects.filter(pk=person.pk).update(
        organisation_id=org_id, registering_office=office, version=F("version") + 1
    )
    Identity.objects.filter(person_id=person.pk).update(organisation_id=org_id)
    PersonSearchKey.objects.filter(person_id=person.pk).update(organisation_id=org_id)
    MigrationProfile.objects.filter(person_id=person.pk).update(organisation_id=org_id)
    Consent.objects.filter(person_id=person.pk).update(organisation_id=org_id)
    removed, _counts = HouseholdLink.objects.filter(
        Q(person_id=person.pk) | Q(relative_id=person.pk)
    ).delete()
    person.organisation_id = org_id
    person.registering_office = office
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=person,
        changed_fields=["organisation", "registering_office"]
        + (["household_links"] if removed else []),
        organisation=to_organisation,
    )
    return ["person", "identity", "search_keys", "migration_profile", "consents"]
