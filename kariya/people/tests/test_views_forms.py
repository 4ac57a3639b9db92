"""The people pages that write: registration with consent, edits with optimistic locking,
documents, migration profile, household links, consents and legal basis."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from django.urls import reverse

from kariya.core.models import AuditEvent
from kariya.geo.models import Site
from kariya.people import selectors, services
from kariya.people.factories import code, register
from kariya.people.models import (
    Consent,
    ConsentScope,
    DocumentStatus,
    HouseholdLink,
    Identity,
    IdentityDocument,
    LegalBasis,
    MigrationProfile,
    Person,
    Sex,
)

REGISTER_URL = "/people/new/"


@pytest.fixture(autouse=True)
def english_pages(client: Any) -> None:
    """Pages are French first; these tests read the English source messages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _counts() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        Identity.objects.count(),
        Consent.objects.count(),
        IdentityDocument.objects.count(),
        MigrationProfile.objects.count(),
    )


def _registration(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sex": "female",
        "birth_year": "1996",
        "birth_estimated": "on",
        "nationalities": ["MLI", "NGA"],
        "languages": ["hau", "fra"],
        "preferred_language": "hau",
        "population_category": "transit",
        "given_names": "Aïssata",
        "family_names": "Traoré",
        "other_spellings": "Aissata Traore\nAysata",
        "aliases": "Maman",
        "phone_numbers": "96 11 22 33\n+223 70 12 34 56",
        "documents-TOTAL_FORMS": "2",
        "documents-INITIAL_FORMS": "0",
        "documents-0-document_type": "passport",
        "documents-0-number": "ML-778899",
        "documents-0-issuing_country": "MLI",
        "documents-0-status": "confiscated",
        "documents-1-document_type": "",
        "documents-1-number": "",
        "documents-1-issuing_country": "",
        "documents-1-status": "",
        "origin_country": "MLI",
        "origin_place": "Kayes",
        "current_commune": "NE001003001",
        "intended_destination": "DZA",
        "status": "in_transit",
        "consent_services": "on",
        "other_consents": ["follow_up"],
        "given_by": "self",
        "method": "oral_witnessed",
        "consent_language": "hau",
        "interpreter_used": "on",
        "legal_basis": "",
        "legal_basis_reason": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _post_registration(client: Any, org: Any, **overrides: Any) -> Any:
    office = org.org.offices.get()
    return client.post(REGISTER_URL, _registration(office=office.pk, **overrides))


def test_register_page_defaults_to_the_users_office(login: Any, org_a: Any) -> None:
    user = org_a["caseworker"]
    office = org_a.org.offices.get()
    user.office = office
    user.save(update_fields=["office"])
    html = login(user).get(REGISTER_URL).content.decode()
    assert f'<option value="{office.pk}" selected>' in html
    assert 'name="documents-0-number"' in html


def test_register_page_fits_the_bandwidth_budget(login: Any, org_a: Any) -> None:
    html = login(org_a["caseworker"]).get(REGISTER_URL).content
    assert len(gzip.compress(html)) < 15_000


def test_register_page_offers_only_own_active_offices(login: Any, org_a: Any, org_b: Any) -> None:
    html = login(org_a["caseworker"]).get(REGISTER_URL).content.decode()
    assert org_a.org.offices.get().name in html
    assert org_b.org.offices.get().name not in html


def test_registration_saves_everything_and_shows_the_case_code(login: Any, org_a: Any) -> None:
    user = org_a["caseworker"]
    client = login(user)
    response = _post_registration(client, org_a)
    assert response.status_code == 302
    person = Person.objects.get()
    assert response["Location"] == reverse("people:person_detail", args=[person.public_id])
    assert person.organisation == org_a.org
    assert (person.sex, person.birth_year, person.birth_estimated) == (Sex.FEMALE, 1996, True)
    assert {c.iso3 for c in person.nationalities.all()} == {"MLI", "NGA"}
    assert person.population_category.code == "transit"
    identity = person.identity
    assert identity.given_names == "Aïssata"
    assert identity.phone_list == ["+22796112233", "+22370123456"]
    assert identity.spelling_list == ["Aissata Traore", "Aysata"]
    document = person.documents.get()
    assert (document.number, document.status) == ("ML-778899", DocumentStatus.CONFISCATED)
    assert person.migration_profile.current_commune.pcode == "NE001003001"
    assert {c.scope for c in person.consents.all()} == {"services", "follow_up"}
    assert all(c.interpreter_used for c in person.consents.all())
    page = client.get(response["Location"]).content.decode()
    assert person.case_code in page
    assert "Aïssata" in page
    # The new person is found by a spelling variant of the name.
    assert list(selectors.person_search(actor=user, text="aysata")) == [person]


def test_registration_with_a_legal_basis_instead_of_consent(login: Any, org_a: Any) -> None:
    response = _post_registration(
        login(org_a["caseworker"]),
        org_a,
        consent_services=None,
        other_consents=None,
        given_by="",
        method="",
        consent_language="",
        legal_basis=LegalBasis.VITAL_INTEREST,
        legal_basis_reason="Unconscious on arrival at the transit centre, needs care now.",
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.legal_basis == LegalBasis.VITAL_INTEREST
    assert person.consents.count() == 0


def test_registration_without_consent_or_basis_is_refused(login: Any, org_a: Any) -> None:
    before = _counts()
    response = _post_registration(
        login(org_a["caseworker"]),
        org_a,
        consent_services=None,
        other_consents=None,
        given_by="",
        method="",
        consent_language="",
    )
    assert response.status_code == 400
    assert "This person cannot be registered: record their consent" in response.content.decode()
    assert _counts() == before


def test_registration_with_bad_input_saves_nothing_and_shows_field_errors(
    login: Any, org_a: Any
) -> None:
    before = _counts()
    response = _post_registration(
        login(org_a["caseworker"]),
        org_a,
        sex="",
        birth_year="1850",
        consent_language="",
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "sex" in form.errors
    assert "birth_year" in form.errors
    assert "consent_language" in form.errors
    assert _counts() == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone_numbers": "12"}, "phone_numbers", "Phone number 1"),
        ({"birth_year": "", "birth_estimated": None}, "birth_year", "at least an estimated year"),
        (
            {"legal_basis": "vital_interest", "legal_basis_reason": "short"},
            "legal_basis_reason",
            "Explain in a sentence",
        ),
        (
            {"birth_year": "2020", "given_by": "self"},
            "given_by",
            "",
        ),
    ],
)
def test_service_errors_land_on_their_field_and_nothing_is_saved(
    login: Any, org_a: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    before = _counts()
    response = _post_registration(login(org_a["caseworker"]), org_a, **overrides)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert _counts() == before


def test_a_bad_document_row_saves_nothing(login: Any, org_a: Any) -> None:
    before = _counts()
    response = _post_registration(
        login(org_a["caseworker"]),
        org_a,
        **{"documents-1-number": "X1", "documents-1-status": "held"},
    )
    assert response.status_code == 400
    assert response.context["documents"].errors[1]["document_type"]
    assert _counts() == before


def test_add_a_document_row_without_javascript(login: Any, org_a: Any) -> None:
    before = _counts()
    response = _post_registration(login(org_a["caseworker"]), org_a, add_document="1")
    assert response.status_code == 200
    assert 'name="documents-2-number"' in response.content.decode()
    assert _counts() == before


# --- edits with optimistic locking ------------------------------------------------------------


@pytest.fixture
def person(org_a: Any) -> Any:
    return register(
        org_a["caseworker"],
        phone_numbers=["96112233"],
        documents=[
            services.DocumentInput(
                document_type=code("document_type", "passport"),
                status=DocumentStatus.HELD,
                number="NA-1",
            )
        ],
    )


def _core(person: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "sex": "male",
        "birth_year": "1990",
        "birth_estimated": "on",
        "nationalities": ["NER"],
        "languages": ["hau"],
        "preferred_language": "hau",
        "population_category": "stranded",
        "child_separation": "",
        "version": str(person.version),
    }
    data.update(overrides)
    return data


def test_edit_core(login: Any, org_a: Any, person: Any) -> None:
    url = reverse("people:person_edit", args=[person.public_id])
    client = login(org_a["caseworker"])
    assert 'value="1994"' in client.get(url).content.decode()
    response = client.post(url, _core(person))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.birth_year == 1990
    assert person.population_category.code == "stranded"
    assert [c.iso3 for c in person.nationalities.all()] == ["NER"]


def test_stale_core_edit_is_refused_and_loses_nothing(login: Any, org_a: Any, person: Any) -> None:
    url = reverse("people:person_edit", args=[person.public_id])
    client = login(org_a["caseworker"])
    stale = _core(person, birth_year="1980")
    assert client.post(url, _core(person, birth_year="1991")).status_code == 302
    response = client.post(url, stale)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Someone else saved this record" in content
    assert 'value="1980"' in content  # the user's input is still on the form
    person.refresh_from_db()
    assert person.birth_year == 1991


def test_edit_identity_and_stale_identity_edit(login: Any, org_a: Any, person: Any) -> None:
    url = reverse("people:identity_edit", args=[person.public_id])
    client = login(org_a["caseworker"])
    page = client.get(url).content.decode()
    assert "+22796112233" in page
    version = str(person.identity.version)
    data = {
        "given_names": "Moussa",
        "family_names": "Abdou",
        "other_spellings": "Musa",
        "aliases": "",
        "phone_numbers": "96112233\n90 00 00 01",
        "birth_date": "1994-03-02",
        "version": version,
    }
    assert client.post(url, data).status_code == 302
    identity = Identity.objects.get(person=person)
    assert identity.phone_list == ["+22796112233", "+22790000001"]
    assert identity.birth_date == "1994-03-02"
    response = client.post(url, {**data, "given_names": "Stale"})
    assert response.status_code == 400
    assert "Someone else saved this record" in response.content.decode()
    assert Identity.objects.get(person=person).given_names == "Moussa"


def test_bad_phone_on_identity_edit_shows_on_the_field(login: Any, org_a: Any, person: Any) -> None:
    url = reverse("people:identity_edit", args=[person.public_id])
    response = login(org_a["caseworker"]).post(
        url, {"phone_numbers": "abc", "version": str(person.identity.version)}
    )
    assert response.status_code == 400
    assert "phone_numbers" in response.context["form"].errors
    assert Identity.objects.get(person=person).phone_list == ["+22796112233"]


# --- documents ----------------------------------------------------------------------------------


def test_document_add_edit_remove(login: Any, org_a: Any, person: Any) -> None:
    client = login(org_a["caseworker"])
    add = reverse("people:document_add", args=[person.public_id])
    response = client.post(
        add, {"document_type": "national_id", "number": "", "status": "never_had"}
    )
    assert response.status_code == 302
    assert person.documents.count() == 2
    bad = client.post(add, {"document_type": "national_id", "number": "1", "status": "never_had"})
    assert bad.status_code == 400
    assert "number" in bad.context["form"].errors
    assert person.documents.count() == 2

    document = person.documents.get(document_type__code="passport")
    edit = reverse("people:document_edit", args=[document.public_id])
    response = client.post(
        edit, {"document_type": "passport", "number": "NA-1", "status": "confiscated"}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.CONFISCATED

    remove = reverse("people:document_remove", args=[document.public_id])
    assert "Remove this document?" in client.get(remove).content.decode()
    assert person.documents.filter(pk=document.pk).exists()  # GET only asks
    assert client.post(remove).status_code == 302
    assert not person.documents.filter(pk=document.pk).exists()


# --- migration profile --------------------------------------------------------------------------


def test_migration_profile_create_then_edit_with_route(login: Any, org_a: Any, person: Any) -> None:
    client = login(org_a["caseworker"])
    url = reverse("people:migration_edit", args=[person.public_id])
    site = Site.objects.get(name="Assamaka", kind="border_point")
    data = {
        "origin_country": "GIN",
        "origin_place": "Conakry",
        "current_commune": "NE001003001",
        "status": "expelled",
        "expelled_from": "DZA",
        "expulsion_type": "pushback",
        "expulsion_arrival_site": str(site.public_id),
        "expulsion_date": "2025-01-10",
        "route-TOTAL_FORMS": "2",
        "route-INITIAL_FORMS": "0",
        "route-0-country": "MLI",
        "route-0-site": "",
        "route-1-site": str(site.public_id),
        "route-1-country": "",
    }
    assert client.post(url, data).status_code == 302
    profile = MigrationProfile.objects.get(person=person)
    assert [str(p) for p in profile.route.all()] == ["Mali", "Assamaka"]
    assert profile.expelled_from == "DZA"
    page = client.get(reverse("people:person_detail", args=[person.public_id])).content.decode()
    assert "Assamaka" in page

    form_page = client.get(url).content.decode()
    assert 'name="route-1-site"' in form_page
    version = str(profile.version)
    edited = {
        **data,
        "status": "stranded",
        "expelled_from": "",
        "expulsion_type": "",
        "expulsion_arrival_site": "",
        "expulsion_date": "",
        "route-TOTAL_FORMS": "1",
        "route-INITIAL_FORMS": "0",
        "version": version,
    }
    del edited["route-1-site"], edited["route-1-country"]
    assert client.post(url, edited).status_code == 302
    profile.refresh_from_db()
    assert profile.status == "stranded"
    assert profile.route.count() == 1
    stale = client.post(url, {**edited, "origin_place": "Kindia"})
    assert stale.status_code == 400
    assert "Someone else saved this record" in stale.content.decode()
    profile.refresh_from_db()
    assert profile.origin_place == "Conakry"


def test_migration_profile_errors_on_fields(login: Any, org_a: Any, person: Any) -> None:
    url = reverse("people:migration_edit", args=[person.public_id])
    response = login(org_a["caseworker"]).post(
        url,
        {
            "status": "expelled",
            "route-TOTAL_FORMS": "1",
            "route-INITIAL_FORMS": "0",
            "route-0-site": str(Site.objects.first().public_id),  # type: ignore[union-attr]
            "route-0-country": "MLI",
        },
    )
    assert response.status_code == 400
    assert "expelled_from" in response.context["form"].errors
    assert "Route stage 1" in response.content.decode()
    assert not MigrationProfile.objects.filter(person=person).exists()


# --- household links ----------------------------------------------------------------------------


def test_household_link_by_case_code_and_removal(
    login: Any, org_a: Any, org_b: Any, person: Any
) -> None:
    client = login(org_a["caseworker"])
    url = reverse("people:household_add", args=[person.public_id])
    outsider = register(org_b["caseworker"])
    response = client.post(url, {"case_code": outsider.case_code, "relationship": "spouse"})
    assert response.status_code == 400
    assert "case_code" in response.context["form"].errors
    relative = register(org_a["caseworker"], sex=Sex.FEMALE)
    typed = relative.case_code.lower().replace("-", "")
    assert client.post(url, {"case_code": typed, "relationship": "spouse"}).status_code == 302
    link = HouseholdLink.objects.get(person=person)
    assert link.relative == relative
    again = client.post(url, {"case_code": relative.case_code, "relationship": "spouse"})
    assert again.status_code == 400
    assert "already linked" in again.content.decode()

    remove = reverse("people:household_remove", args=[link.public_id])
    assert client.get(remove).status_code == 200
    assert HouseholdLink.objects.filter(pk=link.pk).exists()
    assert client.post(remove).status_code == 302
    assert not HouseholdLink.objects.filter(pk=link.pk).exists()


# --- consents and legal basis ------------------------------------------------------------------


def test_record_a_referral_consent_with_a_restriction(
    login: Any, org_a: Any, org_b: Any, person: Any
) -> None:
    client = login(org_a["caseworker"])
    url = reverse("people:consent_add", args=[person.public_id])
    response = client.post(
        url,
        {
            "scope": "referral",
            "recipient_organisation": org_b.org.pk,
            "given_by": "self",
            "method": "thumbprint",
            "language": "hau",
            "restriction_withhold": "health",
            "restriction_audience": "authorities",
            "restriction_reason": "Fears being reported",
        },
    )
    assert response.status_code == 302
    assert selectors.consent_has(person, ConsentScope.REFERRAL, org_b.org)
    consent = person.consents.get(scope=ConsentScope.REFERRAL)
    assert consent.restrictions.get().withhold == "health"
    page = client.get(reverse("people:person_detail", args=[person.public_id])).content.decode()
    assert "Fears being reported" in page


def test_referral_consent_without_a_target_is_refused(login: Any, org_a: Any, person: Any) -> None:
    url = reverse("people:consent_add", args=[person.public_id])
    response = login(org_a["caseworker"]).post(
        url, {"scope": "referral", "given_by": "self", "method": "signature", "language": "fra"}
    )
    assert response.status_code == 400
    assert "recipient_organisation" in response.context["form"].errors
    assert person.consents.count() == 1


def test_consent_withdrawal_takes_effect_at_once(login: Any, org_a: Any, person: Any) -> None:
    client = login(org_a["caseworker"])
    consent = person.consents.get(scope=ConsentScope.SERVICES)
    url = reverse("people:consent_withdraw", args=[consent.public_id])
    page = client.get(url).content.decode()
    assert "Withdraw this consent?" in page
    assert selectors.consent_has(person, ConsentScope.SERVICES)  # GET only asks
    response = client.post(url, {"reason": "Wants no more contact"})
    assert response.status_code == 302
    assert not selectors.consent_has(person, ConsentScope.SERVICES)
    consent.refresh_from_db()
    assert consent.withdrawn_by == org_a["caseworker"]
    assert consent.withdrawal_reason == "Wants no more contact"
    again = client.post(url, {"reason": ""}, follow=True)
    assert "already been withdrawn" in again.content.decode()
    detail = client.get(reverse("people:person_detail", args=[person.public_id]))
    assert "Withdrawn" in detail.content.decode()


def test_record_a_legal_basis(login: Any, org_a: Any, person: Any) -> None:
    client = login(org_a["caseworker"])
    url = reverse("people:legal_basis_record", args=[person.public_id])
    short = client.post(url, {"basis": "legal_obligation", "reason": "court"})
    assert short.status_code == 400
    assert "reason" in short.context["form"].errors
    reason = "Court order of the Niamey tribunal to protect the child."
    assert client.post(url, {"basis": "legal_obligation", "reason": reason}).status_code == 302
    person.refresh_from_db()
    assert person.legal_basis == LegalBasis.LEGAL_OBLIGATION


def test_gbv_focal_point_sees_the_ledger_without_reasons(
    login: Any, org_a: Any, person: Any
) -> None:
    services.consent_record(
        actor=org_a["caseworker"],
        person=person,
        scope=ConsentScope.STATISTICS,
        given_by="self",
        method="signature",
        language=code("language", "fra"),
    )
    consent = person.consents.get(scope=ConsentScope.STATISTICS)
    services.consent_withdraw(actor=org_a["caseworker"], consent=consent, reason="Private motive")
    page = (
        login(org_a["gbv_focal_point"])
        .get(reverse("people:person_detail", args=[person.public_id]))
        .content.decode()
    )
    assert "Withdrawn" in page
    assert "Private motive" not in page
    assert "Withdraw</a>" not in page


def test_pages_and_service_messages_in_french(login: Any, org_a: Any) -> None:
    client = login(org_a["caseworker"])
    office = org_a.org.offices.get()
    data = _registration(
        office=office.pk,
        consent_services=None,
        other_consents=None,
        given_by="",
        method="",
        consent_language="",
    )
    response = client.post(REGISTER_URL, data, HTTP_ACCEPT_LANGUAGE="fr")
    content = response.content.decode()
    assert "Enregistrer une personne" in content
    assert "Cette personne ne peut pas être enregistrée" in content
    assert "Pièces d’identité" in content


def test_other_consents_need_who_and_how(login: Any, org_a: Any) -> None:
    before = _counts()
    response = _post_registration(
        login(org_a["caseworker"]),
        org_a,
        consent_services=None,
        given_by="",
        legal_basis="vital_interest",
        legal_basis_reason="Unconscious on arrival at the transit centre, needs care now.",
    )
    assert response.status_code == 400
    assert "given_by" in response.context["form"].errors
    assert _counts() == before


def test_document_edit_reads_identity_through_the_audited_path(
    login: Any, org_a: Any, person: Any
) -> None:
    user = org_a["caseworker"]
    document = person.documents.get()
    reads = AuditEvent.objects.filter(actor=user, object_type="people.identity").count()
    login(user).get(reverse("people:document_edit", args=[document.public_id]))
    assert AuditEvent.objects.filter(actor=user, object_type="people.identity").count() == reads + 1
