from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kariya.core.models import AuditEvent
from kariya.geo.models import AdminUnit, Country, Site
from kariya.people import phones, selectors, services
from kariya.people.factories import PersonFactory, code, register, services_consent
from kariya.people.models import (
    ChildSeparation,
    HouseholdLink,
    Identity,
    MigrationProfile,
    MigrationStatus,
    Person,
)

# --- phone numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("+227 90 12 34 56", "+22790123456"),
        ("00227 90 12 34 56", "+22790123456"),
        ("90.12.34.56", "+22790123456"),
        ("96-88-77-66", "+22796887766"),
        ("+234 803 123 4567", "+2348031234567"),  # Nigeria
        ("00234 8031234567", "+2348031234567"),
        ("+223 76 12 34 56", "+22376123456"),  # Mali
        ("+226 70 12 34 56", "+22670123456"),  # Burkina Faso
        ("+221 77 123 45 67", "+221771234567"),  # Senegal
    ],
)
def test_phone_numbers_are_normalised_to_e164(written: str, e164: str) -> None:
    assert phones.to_e164(written) == e164


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("12345", "invalid_phone"),
        ("+227 12 34", "invalid_phone"),
        ("hello", "invalid_phone"),
        ("+33 6 12 34 56 78", "phone_country"),  # valid, but France is not accepted
    ],
)
def test_bad_phone_numbers_are_rejected_without_echoing_them(written: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        phones.to_e164(written)
    assert caught.value.code == code
    assert written not in caught.value.messages[0]


def test_rejected_phone_says_which_one(org_a: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        register(org_a["caseworker"], phone_numbers=["+227 90 12 34 56", "+227 12"])
    [message] = caught.value.message_dict["phones"]
    assert message.startswith("Phone number 2:")
    assert "12" not in message.removeprefix("Phone number 2:")


# --- identity, optimistic locking -------------------------------------------------------------


def test_stale_identity_update_is_refused_and_loses_nothing(org_a: Any) -> None:
    person = register(org_a["caseworker"], given_names="Aïssa", phone_numbers=["90123456"])
    first = Identity.objects.get(person=person)
    second = Identity.objects.get(person=person)
    services.identity_update(
        actor=org_a["caseworker"],
        identity=first,
        expected_version=first.version,
        family_names="Souley",
    )
    with pytest.raises(ValidationError) as caught:
        services.identity_update(
            actor=org_a["supervisor"],
            identity=second,
            expected_version=second.version,
            given_names="Aïcha",
            phone_numbers=["96000000"],
        )
    assert caught.value.code == "stale"
    stored = Identity.objects.get(person=person)
    assert stored.family_names == "Souley"  # the first edit is kept
    assert stored.given_names == "Aïssa"  # the stale one wrote nothing
    assert stored.phone_list == ["+22790123456"]
    assert stored.version == first.version
    worker = org_a["caseworker"]
    assert list(selectors.person_search(actor=worker, text="aissa souley")) == [person]
    assert list(selectors.person_search(actor=worker, text="aicha")) == []
    # Reloaded, the second editor's change goes through.
    services.identity_update(
        actor=org_a["supervisor"],
        identity=stored,
        expected_version=stored.version,
        given_names="Aïcha",
    )
    assert Identity.objects.get(person=person).given_names == "Aïcha"


def test_identity_update_audits_changed_field_names_only(org_a: Any) -> None:
    person = register(org_a["caseworker"])
    identity = Identity.objects.get(person=person)
    services.identity_update(
        actor=org_a["caseworker"],
        identity=identity,
        expected_version=identity.version,
        given_names="Moussa",  # unchanged
        aliases=["Le Grand"],
    )
    event = AuditEvent.objects.get(action="update", object_id=str(identity.public_id))
    assert event.changed_fields == ["aliases"]


def test_new_birth_date_sets_the_year(org_a: Any) -> None:
    person = register(org_a["caseworker"], birth_year=1990, birth_estimated=True)
    identity = Identity.objects.get(person=person)
    services.identity_update(
        actor=org_a["caseworker"],
        identity=identity,
        expected_version=identity.version,
        birth_date=datetime.date(1992, 3, 1),
    )
    person.refresh_from_db()
    assert (person.birth_year, person.birth_estimated) == (1992, False)
    with pytest.raises(ValidationError) as caught:
        services.person_update(
            actor=org_a["caseworker"],
            person=person,
            expected_version=person.version,
            birth_year=1980,
        )
    assert "birth_year" in caught.value.message_dict


# --- the pseudonymous core --------------------------------------------------------------------


def test_person_update_with_locking(org_a: Any) -> None:
    person = register(org_a["caseworker"])
    stale = Person.objects.get(pk=person.pk)
    niger, mali = Country.objects.get(iso3="NER"), Country.objects.get(iso3="MLI")
    services.person_update(
        actor=org_a["caseworker"],
        person=person,
        expected_version=person.version,
        nationalities=[niger, mali],
        population_category=code("population_category", "stranded"),
        languages=[code("language", "bam")],
    )
    person.refresh_from_db()
    assert {c.iso3 for c in person.nationalities.all()} == {"NER", "MLI"}
    assert person.population_category.code == "stranded"
    event = AuditEvent.objects.get(action="update", object_id=str(person.public_id))
    assert set(event.changed_fields) == {"nationalities", "population_category", "languages"}
    with pytest.raises(ValidationError):
        services.person_update(
            actor=org_a["supervisor"], person=stale, expected_version=stale.version, sex="female"
        )
    assert Person.objects.get(pk=person.pk).sex == "male"


def test_separated_child_status_only_for_children(org_a: Any) -> None:
    child = register(
        org_a["caseworker"],
        birth_year=timezone.localdate().year - 10,
        consents=[services_consent(given_by="caregiver", child_assent=True)],
    )
    services.person_update(
        actor=org_a["caseworker"],
        person=child,
        expected_version=child.version,
        child_separation=ChildSeparation.SEPARATED,
    )
    assert Person.objects.get(pk=child.pk).child_separation == "separated"
    adult = register(org_a["caseworker"])
    with pytest.raises(ValidationError) as caught:
        services.person_update(
            actor=org_a["caseworker"],
            person=adult,
            expected_version=adult.version,
            child_separation=ChildSeparation.UNACCOMPANIED,
        )
    assert "child_separation" in caught.value.message_dict


# --- migration profile ------------------------------------------------------------------------


def test_migration_profile_update_replaces_route_and_refuses_stale_edits(org_a: Any) -> None:
    worker = org_a["caseworker"]
    person = register(worker)
    libya = Country.objects.get(iso3="LBY")
    profile = services.migration_profile_save(
        actor=worker,
        person=person,
        data=services.MigrationInput(
            status=MigrationStatus.IN_TRANSIT,
            intended_destination=libya,
            route=[services.RoutePointInput(site=Site.objects.get(name="Agadez"))],
        ),
    )
    with pytest.raises(ValidationError):  # a second profile
        services.migration_profile_save(actor=worker, person=person, data=services.MigrationInput())
    version = profile.version
    services.migration_profile_save(
        actor=worker,
        person=person,
        expected_version=version,
        data=services.MigrationInput(
            status=MigrationStatus.STRANDED,
            intended_destination=libya,
            current_commune=AdminUnit.objects.get(pcode="NE001003002"),
            route=[
                services.RoutePointInput(site=Site.objects.get(name="Agadez")),
                services.RoutePointInput(site=Site.objects.get(name="Dirkou")),
            ],
        ),
    )
    profile = MigrationProfile.objects.get(person=person)
    assert profile.status == MigrationStatus.STRANDED
    assert [str(p) for p in profile.route.all()] == ["Agadez", "Dirkou"]
    event = AuditEvent.objects.get(action="update", object_id=str(profile.public_id))
    assert set(event.changed_fields) == {"status", "current_commune", "route"}
    with pytest.raises(ValidationError) as caught:
        services.migration_profile_save(
            actor=worker,
            person=person,
            expected_version=version,
            data=services.MigrationInput(status=MigrationStatus.RETURNED),
        )
    assert caught.value.code == "stale"
    profile = MigrationProfile.objects.get(person=person)
    assert profile.status == MigrationStatus.STRANDED
    assert profile.route.count() == 2


def test_route_stage_is_a_site_or_a_country(org_a: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        register(
            org_a["caseworker"],
            migration=services.MigrationInput(route=[services.RoutePointInput()]),
        )
    assert "route" in caught.value.message_dict


# --- household links --------------------------------------------------------------------------


def test_household_links(org_a: Any, org_b: Any) -> None:
    worker = org_a["caseworker"]
    mother = register(worker, sex="female", given_names="Mariama")
    child = register(
        worker,
        birth_year=timezone.localdate().year - 4,
        consents=[services_consent(given_by="parent")],
    )
    link = services.household_link_add(
        actor=worker, person=child, relative=mother, relationship=code("relationship", "parent")
    )
    assert link.organisation_id == org_a.org.pk
    assert [(x.relative, x.relationship.code) for x in selectors.household_list(person=child)] == [
        (mother, "parent")
    ]
    with pytest.raises(ValidationError):  # twice
        services.household_link_add(
            actor=worker, person=child, relative=mother, relationship=code("relationship", "parent")
        )
    with pytest.raises(ValidationError):  # oneself
        services.household_link_add(
            actor=worker, person=child, relative=child, relationship=code("relationship", "sibling")
        )
    with pytest.raises(ValidationError):  # not a relationship code
        services.household_link_add(
            actor=worker, person=mother, relative=child, relationship=code("language", "hau")
        )
    stranger = PersonFactory(organisation=org_b.org)
    with pytest.raises(ValidationError) as caught:
        services.household_link_add(
            actor=worker,
            person=child,
            relative=stranger,
            relationship=code("relationship", "sibling"),
        )
    assert "relative" in caught.value.message_dict
    services.household_link_remove(actor=worker, link=link)
    assert not HouseholdLink.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(link.public_id)).exists()
