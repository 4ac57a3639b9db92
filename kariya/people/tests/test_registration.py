from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from kariya.accounts.factories import OfficeFactory
from kariya.core.models import AuditEvent
from kariya.geo.models import AdminUnit, Country, Site
from kariya.people import casecodes, services
from kariya.people.factories import code, office_of, register, services_consent
from kariya.people.models import (
    ConsentScope,
    DocumentStatus,
    ExpelledFrom,
    ExpulsionType,
    Identity,
    IdentityDocument,
    LegalBasis,
    MigrationProfile,
    MigrationStatus,
    Person,
    PersonSearchKey,
)

NAMES = ("Hadiza", "Issoufou", "Hadizatou Issoufou", "Maman Bébé")
PHONES = ("+227 90 12 34 56", "0022796887766")
DOC_NUMBER = "NE-55-12345"


def _counts() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        Identity.objects.count(),
        PersonSearchKey.objects.count(),
        MigrationProfile.objects.count(),
    )


def test_registration_without_consent_is_refused_and_saves_nothing(org_a: Any) -> None:
    before = _counts()
    audit_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        register(org_a["caseworker"], consents=[])
    assert caught.value.code == "no_consent"
    assert "consent to receive services" in caught.value.messages[0]
    assert _counts() == before
    assert AuditEvent.objects.count() == audit_before


def test_refusal_is_explained_in_french(org_a: Any) -> None:
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        register(org_a["caseworker"], consents=[])
    assert "consentement" in caught.value.messages[0]


def test_a_consent_for_another_purpose_is_not_enough(org_a: Any) -> None:
    with pytest.raises(ValidationError):
        register(
            org_a["caseworker"],
            consents=[services_consent(scope=ConsentScope.STATISTICS)],
        )
    assert not Person.objects.exists()


def test_registration_with_a_legal_basis_and_reason(org_a: Any) -> None:
    person = register(
        org_a["caseworker"],
        consents=[],
        legal_basis=LegalBasis.VITAL_INTEREST,
        legal_basis_reason="Found unconscious at the bus station; needs emergency care.",
    )
    person.refresh_from_db()
    assert person.legal_basis == LegalBasis.VITAL_INTEREST
    assert person.legal_basis_recorded_by == org_a["caseworker"]
    assert person.legal_basis_recorded_at is not None
    assert not person.consents.exists()


@pytest.mark.parametrize("reason", ["", "   ", "urgent"])
def test_a_legal_basis_needs_a_reason(org_a: Any, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        register(
            org_a["caseworker"],
            consents=[],
            legal_basis=LegalBasis.VITAL_INTEREST,
            legal_basis_reason=reason,
        )
    assert "legal_basis_reason" in caught.value.message_dict
    assert not Person.objects.exists()


def test_a_bad_consent_rolls_back_the_whole_registration(org_a: Any) -> None:
    """The services consent is fine, the second one is not: nothing at all is kept."""
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        register(
            org_a["caseworker"],
            consents=[services_consent(), services_consent(scope=ConsentScope.REFERRAL)],
        )
    assert "recipient_organisation" in caught.value.message_dict
    assert _counts() == before


def test_registration_stores_core_identity_documents_and_profile(org_a: Any) -> None:
    niger = Country.objects.get(iso3="NER")
    algeria = Country.objects.get(iso3="DZA")
    assamaka = Site.objects.get(name="Assamaka")
    person = register(
        org_a["caseworker"],
        sex="female",
        birth_year=None,
        birth_date=datetime.date(1990, 5, 17),
        birth_estimated=True,
        given_names="  Hadiza ",
        family_names="Issoufou",
        other_spellings=["Hadizatou Issoufou", "Hadizatou Issoufou", ""],
        aliases=["Maman Bébé"],
        phone_numbers=PHONES,
        nationalities=[niger],
        languages=[code("language", "hau"), code("language", "fra")],
        preferred_language=code("language", "hau"),
        population_category=code("population_category", "expelled_nigerien"),
        documents=[
            services.DocumentInput(
                document_type=code("document_type", "national_id"),
                status=DocumentStatus.CONFISCATED,
                number=DOC_NUMBER,
                issuing_country=niger,
            )
        ],
        migration=services.MigrationInput(
            origin_country=niger,
            origin_place="Tchintabaraden",
            route=[
                services.RoutePointInput(site=Site.objects.get(name="Agadez")),
                services.RoutePointInput(country=algeria),
            ],
            current_commune=AdminUnit.objects.get(pcode="NE001006001"),
            status=MigrationStatus.EXPELLED,
            expelled_from=ExpelledFrom.ALGERIA,
            expulsion_type=ExpulsionType.OFFICIAL_CONVOY,
            expulsion_arrival_site=assamaka,
            expulsion_date=datetime.date(2025, 11, 3),
        ),
    )
    person = Person.objects.get(pk=person.pk)
    assert person.birth_year == 1990
    assert person.birth_estimated is False  # an exact date is not an estimate
    assert person.organisation == org_a.org
    assert list(person.nationalities.all()) == [niger]
    assert {c.code for c in person.languages.all()} == {"hau", "fra"}
    identity = Identity.objects.get(person=person)
    assert identity.organisation_id == person.organisation_id
    assert identity.given_names == "Hadiza"
    assert identity.spelling_list == ["Hadizatou Issoufou"]
    assert identity.alias_list == ["Maman Bébé"]
    assert identity.phone_list == ["+22790123456", "+22796887766"]
    assert identity.birth_date_value == datetime.date(1990, 5, 17)
    document = IdentityDocument.objects.get(person=person)
    assert document.number == DOC_NUMBER
    assert document.status == DocumentStatus.CONFISCATED
    profile = MigrationProfile.objects.get(person=person)
    assert [str(p) for p in profile.route.all()] == ["Agadez", str(algeria)]
    assert profile.expulsion_arrival_site == assamaka
    assert person.consents.get().scope == ConsentScope.SERVICES


def test_audit_names_fields_never_values(org_a: Any) -> None:
    person = register(org_a["caseworker"], phone_numbers=PHONES, aliases=["Maman Bébé"])
    identity = Identity.objects.get(person=person)
    event = AuditEvent.objects.get(action="create", object_id=str(identity.public_id))
    assert {"given_names", "family_names", "aliases", "phones"} <= set(event.changed_fields)
    assert event.actor == org_a["caseworker"]
    everything = json.dumps(
        list(AuditEvent.objects.values("object_type", "object_id", "changed_fields")),
        ensure_ascii=False,
    )
    for secret in ("Moussa", "Abdou", "Maman", "90123456", "96887766"):
        assert secret not in everything
    assert AuditEvent.objects.filter(action="create", object_id=str(person.public_id)).exists()


def _raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - table names from the test
        return repr(cursor.fetchall())


def test_no_plaintext_identity_anywhere_in_the_tables(org_a: Any) -> None:
    person = register(
        org_a["caseworker"],
        given_names="Zeinabou",
        family_names="Garba",
        other_spellings=["Zaynab Garba"],
        aliases=["Tantie"],
        phone_numbers=["+234 803 123 4567"],
        birth_year=None,
        birth_date=datetime.date(1987, 2, 28),
        documents=[
            services.DocumentInput(
                document_type=code("document_type", "passport"),
                status=DocumentStatus.HELD,
                number="A77X90312",
            )
        ],
        consents=[],
        legal_basis=LegalBasis.VITAL_INTEREST,
        legal_basis_reason="Severe dehydration after the crossing.",
    )
    services.consent_withdraw(
        actor=org_a["caseworker"],
        consent=services.consent_record(
            actor=org_a["caseworker"],
            person=person,
            scope=ConsentScope.FOLLOW_UP,
            given_by="self",
            method="thumbprint",
            language=code("language", "hau"),
            restrictions=[
                services.RestrictionInput(
                    withhold="contact",
                    audience="family",
                    reason="Her uncle Kabirou wants to marry her off.",
                )
            ],
        ),
        reason="Lost trust after a phone call from Garba.",
    )
    tables = [
        m._meta.db_table
        for m in connection.introspection.installed_models(connection.introspection.table_names())
    ]
    dump = "".join(_raw_rows(t) for t in tables).casefold()
    for secret in (
        "zeinabou",
        "garba",
        "zaynab",
        "tantie",
        "8031234567",
        "a77x90312",
        "1987-02-28",
        "dehydration",
        "phone call",
        "kabirou",
    ):
        assert secret not in dump, secret
    # …while the values read back through the model.
    identity = Identity.objects.get(person=person)
    assert identity.given_names == "Zeinabou"
    assert identity.phone_list == ["+2348031234567"]


def test_case_code_format_and_prefix_from_the_office_region(org_a: Any) -> None:
    agadez_person = register(org_a["caseworker"])
    assert agadez_person.case_code.startswith("AGZ-")
    assert casecodes.is_valid(agadez_person.case_code)
    assert not set(agadez_person.case_code[4:]) & set("01OI")
    niamey = OfficeFactory(
        organisation=org_a.org, commune=AdminUnit.objects.get(pcode="NE008001004")
    )
    assert register(org_a["caseworker"], office=niamey).case_code.startswith("NIA-")
    zinder = OfficeFactory(
        organisation=org_a.org, commune=AdminUnit.objects.get(pcode="NE007005001")
    )
    assert register(org_a["caseworker"], office=zinder).case_code.startswith("ZIN-")


@pytest.mark.parametrize(
    ("pcode", "prefix"),
    [
        ("NE001", "AGZ"),
        ("NE002", "DIF"),
        ("NE003", "DOS"),
        ("NE004", "MAR"),
        ("NE005", "TAH"),
        ("NE006", "TIL"),
        ("NE007", "ZIN"),
        ("NE008", "NIA"),
    ],
)
def test_region_prefixes(pcode: str, prefix: str) -> None:
    assert casecodes.prefix_for_region(pcode + "001002") == prefix


def test_case_code_collision_draws_again(org_a: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = register(org_a["caseworker"]).case_code
    draws = iter([taken, taken, "AGZ-ZZZZ"])
    monkeypatch.setattr(casecodes, "draw", lambda prefix, length=4: next(draws))
    person = register(org_a["caseworker"])
    assert person.case_code == "AGZ-ZZZZ"
    assert Person.objects.filter(case_code=taken).count() == 1


def test_case_codes_are_unique_and_random(org_a: Any) -> None:
    codes = {register(org_a["caseworker"]).case_code for _ in range(25)}
    assert len(codes) == 25
    assert all(casecodes.is_valid(c) for c in codes)


def test_case_code_draws_lengthen_after_repeated_collisions() -> None:
    lengths = casecodes.draw_lengths()
    assert lengths[0] == 4 and lengths[-1] == casecodes.MAX_LENGTH
    assert casecodes.is_valid(casecodes.draw("TAH", 6))
    assert not casecodes.is_valid("TAH-10OI")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"sex": "other"}, "sex"),
        ({"birth_year": None}, "birth_year"),
        ({"birth_year": 1850}, "birth_year"),
        ({"birth_year": timezone.localdate().year + 1}, "birth_year"),
        ({"birth_date": timezone.localdate() + datetime.timedelta(days=1)}, "birth_date"),
        ({"child_separation": "unaccompanied"}, "child_separation"),  # an adult
        ({"preferred_language": "population"}, "preferred_language"),
        ({"phone_numbers": ["+227 90 12 34 56", "12345"]}, "phones"),
    ],
)
def test_bad_input_is_refused_field_by_field(
    org_a: Any, overrides: dict[str, Any], field: str
) -> None:
    if overrides.get("preferred_language") == "population":
        overrides["preferred_language"] = code("population_category", "transit")
    with pytest.raises(ValidationError) as caught:
        register(org_a["caseworker"], **overrides)
    assert field in caught.value.message_dict
    assert not Person.objects.exists()


def test_office_must_be_the_actors_organisations(org_a: Any, org_b: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        register(org_a["caseworker"], office=office_of(org_b["caseworker"]))
    assert "office" in caught.value.message_dict


def test_child_separation_is_recorded_for_a_child(org_a: Any) -> None:
    year = timezone.localdate().year - 14
    person = register(
        org_a["caseworker"],
        birth_year=year,
        child_separation="unaccompanied",
        consents=[services_consent(given_by="trusted_adult", child_assent=True)],
    )
    assert person.child_separation == "unaccompanied"


def test_expulsion_details_need_the_expelling_country(org_a: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        register(
            org_a["caseworker"],
            migration=services.MigrationInput(
                expulsion_type=ExpulsionType.PUSHBACK,
                current_commune=AdminUnit.objects.get(pcode="NE001"),
            ),
        )
    assert {"expelled_from", "current_commune"} <= set(caught.value.message_dict)
    assert not Person.objects.exists()


def test_never_had_document_has_no_number(org_a: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        register(
            org_a["caseworker"],
            documents=[
                services.DocumentInput(
                    document_type=code("document_type", "passport"),
                    status=DocumentStatus.NEVER_HAD,
                    number="X1",
                )
            ],
        )
    assert "number" in caught.value.message_dict
