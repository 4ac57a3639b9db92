"""Names, phone numbers and document numbers never travel in a URL: the people list searches by
them only from a POST body, pages through their results by re-posting them, ignores them in a
query string; the API searches by them with ``POST persons/search/`` and refuses them as query
parameters. Every search by identity writes one audit event naming the criteria, never their
values."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from django.urls import reverse

from kariya.core.models import AuditAction, AuditEvent
from kariya.matching.normalise import name_keys
from kariya.people import services
from kariya.people.access import SEARCH_OBJECT_TYPE
from kariya.people.factories import PersonFactory, code, office_of, register
from kariya.people.models import DocumentStatus, PersonSearchKey, SearchKind

LIST = reverse("people:person_list")
API = "/api/v1/persons/"
SEARCH = API + "search/"
# What the search is typed with, and pieces of it that must not leak in any encoding.
TERMS = {"name": "Moussa Ibrahim", "phone": "+227 96 11 22 33", "document": "NA-123456"}
SECRETS = ("Moussa", "Ibrahim", "96 11 22 33", "96112233", "NA-123456", "123456")
URL_ATTRIBUTES = re.compile(r'(?:href|hx-get|hx-post|hx-put|hx-push-url|action|src)="([^"]*)"')


@pytest.fixture
def moussa(org_a: Any) -> Any:
    return register(
        org_a["caseworker"],
        given_names="Moussa Ibrahim",
        family_names="Ag Mohamed",
        phone_numbers=["+227 96 11 22 33"],
        documents=[
            services.DocumentInput(
                document_type=code("document_type", "passport"),
                status=DocumentStatus.HELD,
                number="NA-123456",
            )
        ],
    )


def _encodings(value: str) -> set[str]:
    return {value, quote(value), quote_plus(value), value.lower(), quote_plus(value).lower()}


def assert_no_terms_in_urls(response: Any) -> None:
    """No search term in a URL of the page (links, htmx URLs, form actions) nor in a header."""
    html = response.content.decode()
    urls = " ".join(URL_ATTRIBUTES.findall(html))
    headers = " ".join(f"{name}: {value}" for name, value in response.headers.items())
    for secret in SECRETS:
        for form in _encodings(secret):
            assert form not in urls, f"{form!r} in a URL of the page"
            assert form not in headers, f"{form!r} in a response header"


def assert_not_audited_by_value(*values: str) -> None:
    for event in AuditEvent.objects.all():
        text = json.dumps(
            {f.attname: str(getattr(event, f.attname)) for f in event._meta.concrete_fields}
        )
        for value in values:
            assert value not in text, f"{value!r} in an audit event"


def _searches(user: Any) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            actor=user, action=AuditAction.READ, object_type=SEARCH_OBJECT_TYPE
        )
    )


def _many(org: Any, token: str, count: int) -> None:
    """``count`` people whose name search key matches ``token``, cheaply (no service call)."""
    office = office_of(org["caseworker"])
    people = PersonFactory.create_batch(count, organisation=org.org, registering_office=office)
    key = services.search_key(SearchKind.NAME, name_keys(token)[0])
    PersonSearchKey.objects.bulk_create(
        PersonSearchKey(person=p, organisation=org.org, kind=SearchKind.NAME, key=key)
        for p in people
    )


# --- the page ---------------------------------------------------------------------------------


def test_the_filter_form_posts_with_a_csrf_token(login: Any, org_a: Any) -> None:
    html = login(org_a["caseworker"]).get(LIST).content.decode()
    form = re.search(r'<form class="filters"[^>]*>', html)
    assert form is not None
    assert 'method="post"' in form.group(0) and f'hx-post="{LIST}"' in form.group(0)
    assert "hx-push-url" not in form.group(0)
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.parametrize("htmx", [False, True])
def test_a_search_by_identity_puts_no_term_in_any_url(
    login: Any, org_a: Any, moussa: Any, htmx: bool
) -> None:
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = login(org_a["caseworker"]).post(LIST, TERMS, **extra)
    assert response.status_code == 200
    assert moussa.case_code in response.content.decode()
    assert_no_terms_in_urls(response)
    if htmx:
        assert response["HX-Push-Url"] == "false"


@pytest.mark.parametrize(
    "criteria",
    [
        {"name": "musa"},
        {"name": "MOUSSA ag"},
        {"phone": "0022796112233"},
        {"document": "na 123456"},
    ],
)
def test_a_post_search_finds_the_person(
    login: Any, org_a: Any, moussa: Any, criteria: dict[str, str]
) -> None:
    other = register(org_a["caseworker"], given_names="Issa", family_names="Garba")
    content = login(org_a["caseworker"]).post(LIST, criteria).content.decode()
    assert moussa.case_code in content
    assert other.case_code not in content


@pytest.mark.parametrize("criteria", [{"name": "Issa"}, {"phone": "96112233"}, {"document": "X"}])
def test_identity_terms_in_a_query_string_are_ignored(
    login: Any, org_a: Any, moussa: Any, criteria: dict[str, str]
) -> None:
    user = org_a["caseworker"]
    other = register(user, given_names="Issa", family_names="Garba")
    response = login(user).get(LIST, criteria)
    content = response.content.decode()
    # Not applied: everybody is listed, the field stays empty, and no search is audited.
    assert moussa.case_code in content and other.case_code in content
    value = next(iter(criteria.values()))
    assert f'value="{value}"' not in content
    assert _searches(user) == []


def test_a_search_without_identity_lands_on_a_bookmarkable_url(
    login: Any, org_a: Any, moussa: Any
) -> None:
    client = login(org_a["caseworker"])
    response = client.post(LIST, {"case_code": moussa.case_code, "sex": "male", "name": ""})
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?case_code={moussa.case_code}&sex=male"
    htmx = client.post(LIST, {"sex": "male"}, HTTP_HX_REQUEST="true")
    assert htmx["HX-Push-Url"] == f"{LIST}?sex=male"
    assert moussa.case_code in htmx.content.decode()


def test_paging_an_identity_search_reposts_the_terms(login: Any, org_a: Any) -> None:
    _many(org_a, "Tchoukou", 53)
    client = login(org_a["caseworker"])
    first = client.post(LIST, {"name": "Tchoukou", "sex": "female"})
    html = first.content.decode()
    assert first.context["page"].paginator.count == 53
    assert_no_terms_in_urls(first)
    assert "Tchoukou" not in " ".join(URL_ATTRIBUTES.findall(html))
    pager = re.search(r'<form class="pager".*?</form>', html, re.DOTALL)
    assert pager is not None, "the pager is a form"
    assert '<input type="hidden" name="name" value="Tchoukou">' in pager.group(0)
    assert 'name="page" value="2"' in pager.group(0)
    assert "?page=" not in html
    second = client.post(LIST, {"name": "Tchoukou", "sex": "female", "page": "2"})
    rows = second.context["rows"]
    assert len(rows) == 3
    assert second.context["page"].number == 2
    assert_no_terms_in_urls(second)


def test_paging_without_identity_terms_keeps_links(login: Any, org_a: Any) -> None:
    _many(org_a, "Tchoukou", 51)
    html = login(org_a["caseworker"]).get(LIST, {"sex": "female"}).content.decode()
    assert 'href="?sex=female&amp;page=2"' in html
    assert 'class="pager"' in html and '<form class="pager"' not in html


def test_a_page_search_is_audited_once_by_criteria_not_values(
    login: Any, org_a: Any, moussa: Any
) -> None:
    user = org_a["caseworker"]
    login(user).post(LIST, TERMS)
    events = _searches(user)
    assert len(events) == 1
    assert events[0].changed_fields == ["document", "name", "phone"]
    assert_not_audited_by_value(*SECRETS)
    # The identities shown are still audited one by one.
    shown = AuditEvent.objects.filter(actor=user, action=AuditAction.READ)
    assert shown.filter(object_type="people.identity").count() == 1


def test_a_role_without_identity_cannot_search_by_it_on_the_page(
    login: Any, org_a: Any, moussa: Any
) -> None:
    user = org_a["gbv_focal_point"]
    other = register(org_a["caseworker"], given_names="Issa")
    content = login(user).post(LIST, {"name": "Issa"}, follow=True).content.decode()
    assert moussa.case_code in content and other.case_code in content  # not applied
    assert _searches(user) == []


def test_the_list_page_four_ways_by_post(
    client: Any, login: Any, org_a: Any, org_b: Any, moussa: Any
) -> None:
    anonymous = client.post(LIST, {"name": "Moussa"})
    assert anonymous.status_code == 302 and "Moussa" not in anonymous["Location"]
    assert login(org_a["monitor"]).post(LIST, {"name": "Moussa"}).status_code == 404
    other = login(org_b["caseworker"]).post(LIST, {"name": "Moussa"})
    assert other.status_code == 200 and moussa.case_code not in other.content.decode()
    assert login(org_a["caseworker"]).post(LIST, {"name": "Moussa"}).status_code == 200


def test_an_identity_search_costs_one_more_query_than_a_list(
    login: Any, org_a: Any, moussa: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(org_a["caseworker"])
    _many(org_a, "Tchoukou", 5)
    client.get(LIST)  # the reference data of the page (choices, country names): core.memo
    # session, user, roles, search keys, count, page, nationalities, identities, identities
    # audit, the search audit: not growing with the rows.
    with django_assert_max_num_queries(10):
        client.post(LIST, {"name": "Tchoukou"})
    _many(org_a, "Tchoukou", 20)
    with django_assert_max_num_queries(10):
        client.post(LIST, {"name": "Tchoukou"})


# --- the API ----------------------------------------------------------------------------------


def post(client: Any, body: Any, url: str = SEARCH) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_api_search_four_ways(client: Any, org_a: Any, org_b: Any, moussa: Any) -> None:
    assert post(client, {"name": "Moussa"}).status_code in (401, 403)
    client.force_login(org_a["monitor"])
    assert post(client, {"name": "Moussa"}).status_code == 404
    client.force_login(org_b["caseworker"])
    other = post(client, {"name": "Moussa"})
    assert other.status_code == 200 and other.json()["count"] == 0
    client.force_login(org_a["caseworker"])
    found = post(client, {"name": "Moussa"})
    assert found.status_code == 200
    assert [r["id"] for r in found.json()["results"]] == [str(moussa.public_id)]


@pytest.mark.parametrize(
    "criteria",
    [{"name": "musa ag"}, {"phone": "0022796112233"}, {"document": "na 123456"}, TERMS],
)
def test_api_search_finds_the_person(
    client: Any, org_a: Any, moussa: Any, criteria: dict[str, str]
) -> None:
    register(org_a["caseworker"], given_names="Issa", family_names="Garba")
    client.force_login(org_a["caseworker"])
    rows = post(client, criteria).json()["results"]
    assert [r["id"] for r in rows] == [str(moussa.public_id)]


def test_api_search_pages_without_terms_in_its_links(client: Any, org_a: Any) -> None:
    _many(org_a, "Tchoukou", 53)
    client.force_login(org_a["caseworker"])
    first = post(client, {"name": "Tchoukou"}).json()
    assert first["count"] == 53 and len(first["results"]) == 50
    assert first["next"].endswith("/api/v1/persons/search/?page=2")
    second = post(client, {"name": "Tchoukou"}, url=SEARCH + "?page=2").json()
    assert len(second["results"]) == 3
    assert "Tchoukou" not in json.dumps(second)


@pytest.mark.parametrize("param", ["name", "phone", "document"])
def test_the_api_list_refuses_identity_query_parameters(
    client: Any, org_a: Any, moussa: Any, param: str
) -> None:
    client.force_login(org_a["caseworker"])
    response = client.get(API, {param: TERMS[param]})
    assert response.status_code == 400
    body = response.json()
    assert "persons/search/" in body[param][0]
    assert TERMS[param] not in response.content.decode()
    # A case code (a pseudonym) is still accepted in the query string.
    by_code = client.get(API, {"case_code": moussa.case_code}).json()
    assert [r["id"] for r in by_code["results"]] == [str(moussa.public_id)]


def test_api_search_is_audited_once_by_criteria_not_values(
    client: Any, org_a: Any, moussa: Any
) -> None:
    user = org_a["caseworker"]
    client.force_login(user)
    assert post(client, TERMS).status_code == 200
    events = _searches(user)
    assert len(events) == 1
    assert events[0].changed_fields == ["document", "name", "phone"]
    assert events[0].organisation_id == org_a.org.pk
    assert_not_audited_by_value(*SECRETS)
    post(client, {"case_code": moussa.case_code})  # a pseudonym: no identity search
    assert len(_searches(user)) == 1


def test_api_search_bad_input(client: Any, org_a: Any, moussa: Any) -> None:
    client.force_login(org_a["caseworker"])
    assert post(client, {}).status_code == 400
    unknown = post(client, {"nom": "Moussa"})
    assert unknown.status_code == 400 and "nom" in unknown.json()
    assert "Moussa" not in unknown.content.decode()
    assert _searches(org_a["caseworker"]) == []


def test_api_identity_search_needs_the_identity_permission(
    client: Any, org_a: Any, moussa: Any
) -> None:
    user = org_a["gbv_focal_point"]  # people.view without identity
    client.force_login(user)
    assert post(client, {"phone": "96112233"}).status_code == 404
    by_code = post(client, {"case_code": moussa.case_code.lower()}).json()
    assert [r["id"] for r in by_code["results"]] == [str(moussa.public_id)]
    assert _searches(user) == []
