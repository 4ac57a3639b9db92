from __future__ import annotations

import datetime
from dataclasses import fields
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from kariya.core.models import AuditEvent
from kariya.geo.models import AdminUnit, Country, Site
from kariya.people import selectors, services
from kariya.people.factories import code, office_of, services_consent
from kariya.people.models import (
    Consent,
    ConsentGiver,
    ConsentScope,
    DocumentStatus,
    ExpelledFrom,
    ExpulsionType,
    Identity,
    IdentityDocument,
    MigrationProfile,
    MigrationStatus,
    Person,
    PersonSearchKey,
    RoutePoint,
    Sex,
)


def _row(actor: Any, **overrides: Any) -> services.PersonRow:
    values: dict[str, Any] = {
        "office": office_of(actor),
        "sex": Sex.MALE,
        "birth_date": datetime.date(1990, 4, 12),
        "nationalities": [Country.objects.get(iso3="NGA")],
        "languages": [code("language", "hau"), code("language", "eng")],
        "preferred_language": code("language", "hau"),
        "population_category": code("population_category", "expelled_third_country"),
        "given_names": "Moussa Ibrahim",
        "family_names": "Garba",
        "other_spellings": ["Musa Garba", "Mousa Ibrahima"],
        "aliases": ["Dan Kano"],
        "phone_numbers": ["+227 76 12 34 56", "76 00 00 01"],
        "documents": [
            services.DocumentInput(
                code("document_type", "passport"),
                DocumentStatus.CONFISCATED,
                "A0 123-4567",
                Country.objects.get(iso3="NGA"),
            )
        ],
        "migration": services.MigrationInput(
            origin_country=Country.objects.get(iso3="NGA"),
            origin_place="Kano",
            route=[
                services.RoutePointInput(country=Country.objects.get(iso3="DZA")),
                services.RoutePointInput(site=Site.objects.get(name="Point Zéro")),
                services.RoutePointInput(site=Site.objects.get(name="Agadez")),
            ],
            current_commune=AdminUnit.objects.get(pcode="NE001006001"),
            status=MigrationStatus.EXPELLED,
            expelled_from=ExpelledFrom.ALGERIA,
            expulsion_type=ExpulsionType.PUSHBACK,
            expulsion_arrival_site=Site.objects.get(name="Point Zéro"),
            expulsion_date=datetime.date(2026, 1, 5),
        ),
        "consents": [
            services_consent(),
            services_consent(
                scope=ConsentScope.REFERRAL, service_type=code("service_type", "health_care")
            ),
        ],
        "registered_at": timezone.now() - datetime.timedelta(days=3),
    }
    values.update(overrides)
    return services.PersonRow(**values)


def _keys(person: Person) -> set[tuple[str, str]]:
    return set(PersonSearchKey.objects.filter(person=person).values_list("kind", "key"))


def test_bulk_writes_what_the_per_row_service_writes(org_a: Any) -> None:
    actor = org_a["caseworker"]
    row = _row(actor)
    one = services.person_register(
        actor=actor, **{f.name: getattr(row, f.name) for f in fields(row)}
    )

    [bulk] = services.person_register_bulk(actor=actor, rows=[row])

    assert _keys(bulk) == _keys(one)
    assert len(_keys(bulk)) >= 8  # names, spellings, alias, two phones, a document
    first, second = Identity.objects.get(person=one), Identity.objects.get(person=bulk)
    for name in ("given_names", "family_names", "other_spellings", "aliases", "phones"):
        assert getattr(second, name) == getattr(first, name)
    assert second.birth_date_value == datetime.date(1990, 4, 12)
    assert bulk.case_code != one.case_code and bulk.case_code.startswith("AGZ-")
    assert bulk.birth_year == one.birth_year == 1990
    assert set(bulk.nationalities.values_list("iso3", flat=True)) == {"NGA"}
    assert bulk.languages.count() == 2
    document = IdentityDocument.objects.get(person=bulk)
    assert document.number == "A0 123-4567"
    assert document.number_index == IdentityDocument.objects.get(person=one).number_index != ""
    profile = MigrationProfile.objects.get(person=bulk)
    assert profile.expelled_from == "DZA"
    assert list(RoutePoint.objects.filter(profile=profile).values_list("position", flat=True)) == [
        1,
        2,
        3,
    ]
    assert Consent.objects.filter(person=bulk).count() == 2
    assert selectors.consent_has(
        bulk, ConsentScope.REFERRAL, service_type=code("service_type", "health_care")
    )
    assert selectors.person_has_basis_for_services(bulk)


def test_bulk_people_are_found_by_the_search(org_a: Any, org_b: Any) -> None:
    actor = org_a["caseworker"]
    people = services.person_register_bulk(
        actor=actor,
        rows=[
            _row(actor, given_names="Abdoulaye", family_names="Diallo", other_spellings=[]),
            _row(actor, given_names="Mariama", family_names="Bah", phone_numbers=[]),
        ],
    )

    found = selectors.person_search(actor=actor, text="ABDULAYE diallo")
    assert [p.pk for p in found] == [people[0].pk]
    by_phone = selectors.person_search(actor=actor, phone="+22776123456")
    assert [p.pk for p in by_phone] == [people[0].pk]
    by_document = selectors.person_search(actor=actor, document="a01234567")
    assert {p.pk for p in by_document} == {p.pk for p in people}
    by_code = selectors.person_search(actor=actor, case_code=people[1].case_code.lower())
    assert [p.pk for p in by_code] == [people[1].pk]
    # Scoped: the other organisation finds nobody.
    assert not selectors.person_search(actor=org_b["caseworker"], text="Diallo").exists()


def test_identities_are_stored_encrypted(org_a: Any) -> None:
    actor = org_a["caseworker"]
    [person] = services.person_register_bulk(actor=actor, rows=[_row(actor)])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_names, family_names, other_spellings, aliases, phones, birth_date "
            "FROM people_identity WHERE person_id = %s",
            [person.pk],
        )
        stored = cursor.fetchone()
        cursor.execute(
            "SELECT number FROM people_identitydocument WHERE person_id = %s", [person.pk]
        )
        stored += cursor.fetchone()
    text = " ".join(stored)
    for plain in ("Moussa", "Garba", "Musa", "Dan Kano", "22776123456", "1990-04-12", "4567"):
        assert plain not in text
    assert all(value.startswith("k") for value in stored)


def test_a_bad_row_saves_nothing(org_a: Any) -> None:
    actor = org_a["caseworker"]
    before = (Person.objects.count(), Identity.objects.count(), AuditEvent.objects.count())
    rows = [_row(actor), _row(actor, phone_numbers=["12"]), _row(actor)]

    with pytest.raises(ValidationError) as error:
        services.person_register_bulk(actor=actor, rows=rows)

    assert "Row 2" in error.value.messages[0]
    assert "12" not in error.value.messages[0].replace("Row 2", "")
    after = (Person.objects.count(), Identity.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_every_bad_row_is_named_with_its_field(org_a: Any) -> None:
    """All rows are checked, not only up to the first bad one: a caller (the import) reports
    every error at once, each with the field the per-row service would have named."""
    actor = org_a["caseworker"]
    rows = [_row(actor), _row(actor, phone_numbers=["12"]), _row(actor), _row(actor, sex="x")]

    with pytest.raises(services.BulkRowsError) as error:
        services.person_register_bulk(actor=actor, rows=rows)

    assert [position for position, _e in error.value.rows] == [2, 4]
    assert [sorted(e.message_dict) for _p, e in error.value.rows] == [["phones"], ["sex"]]
    assert [m[:6] for m in error.value.messages] == ["Row 2:", "Row 4:"]
    assert not Person.objects.exists()


def test_an_inactive_office_is_refused_as_by_person_register(org_a: Any) -> None:
    actor = org_a["caseworker"]
    office = office_of(actor)
    office.is_active = False
    office.save()
    with pytest.raises(ValidationError) as error:
        services.person_register_bulk(actor=actor, rows=[_row(actor, office=office)])
    assert "office" in error.value.rows[0][1].message_dict  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        services.person_register(actor=actor, office=office, sex=Sex.MALE, birth_year=1990)
    assert not Person.objects.exists()


BAD_ROWS: dict[str, Any] = {
    "no consent and no legal basis": lambda: {"consents": []},
    "unknown sex": lambda: {"sex": "x"},
    "no birth year": lambda: {"birth_date": None, "birth_year": None},
    "registered in the future": lambda: {
        "registered_at": timezone.now() + datetime.timedelta(days=2)
    },
    "an adult's consent by a parent": lambda: {
        "consents": [services_consent(given_by=ConsentGiver.PARENT)]
    },
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_rows_are_checked_by_the_registration_rules(org_a: Any, case: str) -> None:
    actor = org_a["caseworker"]
    with pytest.raises(ValidationError):
        services.person_register_bulk(actor=actor, rows=[_row(actor, **BAD_ROWS[case]())])
    assert not Person.objects.exists()


def test_an_office_of_another_organisation_is_refused(org_a: Any, org_b: Any) -> None:
    with pytest.raises(ValidationError):
        services.person_register_bulk(
            actor=org_a["caseworker"],
            rows=[_row(org_a["caseworker"], office=office_of(org_b["caseworker"]))],
        )
    assert not Person.objects.exists()


def test_one_audit_event_per_batch(org_a: Any) -> None:
    actor = org_a["caseworker"]
    services.person_register_bulk(actor=actor, rows=[_row(actor) for _ in range(5)])

    events = AuditEvent.objects.filter(object_type="people.person")
    assert events.count() == 1
    event = events.get()
    assert event.object_id == "bulk:5"
    assert event.actor == actor
    assert {"person", "identity", "consents", "migration_profile"} <= set(event.changed_fields)
