"""The registration check on the registration page (htmx and without JavaScript) and in the API:
four ways, what each role gets, and that the network signal leaks only the organisation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from kariya.core.models import AuditEvent
from kariya.people.factories import register, services_consent
from kariya.people.models import ConsentScope, Person

CHECK = reverse("people:registration_check")
REGISTER_URL = reverse("people:person_register")
API = "/api/v1/persons/check/"

FORM = {
    "given_names": "Aisha",
    "family_names": "Maiga",
    "sex": "female",
    "birth_year": "1995",
    "phone_numbers": "00227 96 11 22 33",
    "documents-TOTAL_FORMS": "1",
    "documents-INITIAL_FORMS": "0",
    "documents-0-number": "",
}
BODY = {
    "given_names": "Aisha",
    "family_names": "Maiga",
    "sex": "female",
    "birth_year": 1995,
    "phone_numbers": ["00227 96 11 22 33"],
}


@pytest.fixture(autouse=True)
def english_pages(client: Any) -> None:
    """Pages are French first; these tests read the English source messages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _api(client: Any, body: Any) -> Any:
    return client.post(API, data=json.dumps(body), content_type="application/json")


def _secrets_of(person: Person) -> list[str]:
    """What must never reach another organisation: the record's ids and its names."""
    return [person.case_code, str(person.public_id), str(person.pk) + '"', "Aisha", "Maiga"]


def test_check_endpoint_four_ways(
    client: Any, login: Any, org_a: Any, org_b: Any, network: dict[str, Any]
) -> None:
    anonymous = client.post(CHECK, FORM)
    assert anonymous.status_code == 302
    assert reverse("accounts:login") in anonymous["Location"]
    assert login(org_a["gbv_focal_point"]).post(CHECK, FORM).status_code == 404
    assert login(org_a["monitor"]).post(CHECK, FORM).status_code == 404
    assert login(org_a["caseworker"]).get(CHECK).status_code == 405  # POST only: no URL data

    mine = login(org_a["caseworker"]).post(CHECK, FORM, HTTP_HX_REQUEST="true")
    assert mine.status_code == 200
    text = mine.content.decode()
    assert network["aissa"].case_code in text
    assert reverse("people:person_detail", args=[network["aissa"].public_id]) in text
    assert "Aïssa" not in text and "96 11" not in text  # reasons in words, never values
    assert "Given name" in text and "known variant" in text
    assert f"A likely record of this person exists at {org_b.org.name}" in text

    # Beta's caseworker: none of Alpha's records (they carry no referral consent for Beta),
    # and Beta's own Aisha as its candidate.
    theirs = login(org_b["caseworker"]).post(CHECK, FORM).content.decode()
    for person in ("aissa", "sister", "namesake"):
        assert network[person].case_code not in theirs
    assert network["at_beta"].case_code in theirs
    assert org_a.org.name not in theirs


def test_the_network_signal_leaks_only_the_organisation(
    login: Any, org_a: Any, org_b: Any, network: dict[str, Any]
) -> None:
    """Alpha registers a person only Beta knows: Alpha learns Beta's name and contact, nothing
    of Beta's record, on the page and in the API."""
    network["aissa"].delete()
    Person.objects.filter(pk__in=[network["sister"].pk, network["namesake"].pk]).delete()
    beta_person = network["at_beta"]
    org_b.org.email, org_b.org.phone = "contact@beta.example", "+227 20 00 00 00"
    org_b.org.save()
    client = login(org_a["caseworker"])
    page = client.post(CHECK, FORM).content.decode()
    api = _api(client, BODY).json()
    assert api["candidates"] == []
    assert api["network"] == [
        {
            "name": org_b.org.name,
            "acronym": org_b.org.acronym,
            "email": "contact@beta.example",
            "phone": "+227 20 00 00 00",
        }
    ]
    assert "contact@beta.example" in page
    api_text = json.dumps(api)
    for secret in (beta_person.case_code, str(beta_person.public_id), "1995", "score"):
        assert secret not in api_text.replace('"candidates"', "")
    for secret in (beta_person.case_code, str(beta_person.public_id), "Maiga", "Aisha"):
        assert secret not in page


def test_without_javascript_the_registration_page_shows_the_check(
    login: Any, org_a: Any, network: dict[str, Any]
) -> None:
    client = login(org_a["caseworker"])
    before = Person.objects.count()
    response = client.post(REGISTER_URL, {**FORM, "check_records": "1"})
    assert response.status_code == 200
    text = response.content.decode()
    assert network["aissa"].case_code in text
    assert 'value="Aisha"' in text  # the form comes back as typed
    assert "This field is required" not in text  # nothing was submitted yet
    assert Person.objects.count() == before  # nothing saved


def test_the_registration_page_offers_the_check(login: Any, org_a: Any) -> None:
    text = login(org_a["caseworker"]).get(REGISTER_URL).content.decode()
    assert f'hx-post="{CHECK}"' in text
    assert 'name="check_records"' in text


def test_page_check_is_audited_without_values(
    login: Any, org_a: Any, network: dict[str, Any]
) -> None:
    before = AuditEvent.objects.count()
    login(org_a["caseworker"]).post(CHECK, FORM)
    events = AuditEvent.objects.order_by("id")[before:]
    assert [e.changed_fields for e in events if e.object_type == "people.registration_check"] == [
        ["name", "network_signal", "phone"]
    ]


def test_empty_state(login: Any, org_a: Any) -> None:
    text = login(org_a["caseworker"]).post(CHECK, {**FORM, "given_names": "Zeinabou"})
    assert "No likely existing record found." in text.content.decode()
    blank = login(org_a["caseworker"]).post(CHECK, {"documents-TOTAL_FORMS": "0"})
    assert "Type a name, a phone number or a document number first." in blank.content.decode()


# --- API -------------------------------------------------------------------------------------


def test_api_four_ways(
    client: Any, login: Any, org_a: Any, org_b: Any, network: dict[str, Any]
) -> None:
    assert _api(client, BODY).status_code in (401, 403)
    assert _api(login(org_a["gbv_focal_point"]), BODY).status_code == 404
    assert _api(login(org_a["monitor"]), BODY).status_code == 404
    theirs = _api(login(org_b["caseworker"]), BODY).json()
    assert {c["case_code"] for c in theirs["candidates"]} == {network["at_beta"].case_code}
    assert theirs["network"] == []
    response = _api(login(org_a["caseworker"]), BODY)
    assert response.status_code == 200
    body = response.json()
    assert body["candidates_compared"] is True
    top = body["candidates"][0]
    assert top["id"] == str(network["aissa"].public_id)
    assert top["case_code"] == network["aissa"].case_code
    assert 0.5 <= top["score"] <= 1
    assert top["reasons"]["phone"] == "exact"
    assert [n["name"] for n in body["network"]] == [org_b.org.name]


def test_api_refuses_unknown_fields_and_bad_shapes(login: Any, org_a: Any) -> None:
    client = login(org_a["caseworker"])
    assert _api(client, {**BODY, "name": "x"}).status_code == 400
    assert _api(client, {**BODY, "birth_year": 1200}).status_code == 400
    assert _api(client, {**BODY, "phone_numbers": "96112233"}).status_code == 400


def test_api_check_is_in_the_schema(login: Any, org_a: Any) -> None:
    schema = login(org_a["caseworker"]).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/persons/check/" in schema.content.decode()


@pytest.mark.parametrize("role", ["caseworker", "supervisor"])
def test_both_registering_roles_get_the_list(
    login: Any, org_a: Any, network: dict[str, Any], role: str
) -> None:
    assert _api(login(org_a[role]), BODY).json()["candidates"]


def test_a_person_registered_after_the_check_is_found_by_it(login: Any, org_a: Any) -> None:
    client = login(org_a["caseworker"])
    assert _api(client, BODY).json()["candidates"] == []
    register(
        org_a["caseworker"],
        sex="female",
        given_names="Aïchatou",
        family_names="Maïga",
        birth_year=1996,
        consents=[services_consent(), services_consent(scope=ConsentScope.FOLLOW_UP)],
    )
    assert len(_api(client, BODY).json()["candidates"]) == 1


def test_page_and_api_say_when_the_network_was_not_asked(
    client: Any, login: Any, org_a: Any, org_b: Any, network: dict[str, Any], settings: Any
) -> None:
    settings.KARIYA_NETWORK_CHECKS_PER_HOUR = 1
    client = login(org_a["caseworker"])
    first = client.post(CHECK, FORM).content.decode()
    assert org_b.org.name in first and "were not asked" not in first
    paused = client.post(CHECK, FORM).content.decode()
    assert org_b.org.name not in paused
    assert "Other organisations were not asked this time" in paused
    assert "No likely record found in other organisations" not in paused
    body = _api(client, BODY).json()
    assert body["network_paused"] is True and body["network"] == []
    assert body["candidates"]  # the organisation's own records are still compared


def test_the_pause_is_explained_in_french(
    client: Any, login: Any, org_a: Any, network: dict[str, Any], settings: Any
) -> None:
    settings.KARIYA_NETWORK_CHECKS_PER_HOUR = 0
    client = login(org_a["caseworker"])
    text = client.post(CHECK, FORM, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Les autres organisations n’ont pas été interrogées cette fois" in text
