"""The case list searches by name, phone and document number only from a POST body: never in a
URL (links, htmx URLs, pushed URL, redirects), ignored in a query string, paged by re-posting
the terms, and each search audited once by its criteria, never their values."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from django.urls import reverse

from kariya.cases.factories import open_case
from kariya.cases.models import Case
from kariya.core.models import AuditAction, AuditEvent
from kariya.people import services as people_services
from kariya.people.access import SEARCH_OBJECT_TYPE
from kariya.people.factories import code, register
from kariya.people.models import DocumentStatus

LIST = reverse("cases:case_list")
TERMS = {"name": "Aminata Diallo", "phone": "+227 96 11 22 33", "document": "NA-123456"}
SECRETS = ("Aminata", "Diallo", "96 11 22 33", "96112233", "NA-123456", "123456")
URL_ATTRIBUTES = re.compile(r'(?:href|hx-get|hx-post|hx-put|hx-push-url|action|src)="([^"]*)"')


@pytest.fixture
def aminata(org_a: Any) -> Case:
    actor = org_a["caseworker"]
    person = register(
        actor,
        given_names="Aminata",
        family_names="Diallo",
        phone_numbers=["+227 96 11 22 33"],
        documents=[
            people_services.DocumentInput(
                document_type=code("document_type", "passport"),
                status=DocumentStatus.HELD,
                number="NA-123456",
            )
        ],
    )
    return open_case(actor, person)


def assert_no_terms_in_urls(response: Any) -> None:
    html = response.content.decode()
    urls = " ".join(URL_ATTRIBUTES.findall(html))
    headers = " ".join(f"{name}: {value}" for name, value in response.headers.items())
    for secret in SECRETS:
        for form in {secret, quote(secret), quote_plus(secret), secret.lower()}:
            assert form not in urls, f"{form!r} in a URL of the page"
            assert form not in headers, f"{form!r} in a response header"


def _searches(user: Any) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            actor=user, action=AuditAction.READ, object_type=SEARCH_OBJECT_TYPE
        )
    )


def test_the_filter_form_posts(client: Any, org_a: Any) -> None:
    client.force_login(org_a["caseworker"])
    html = client.get(LIST).content.decode()
    form = re.search(r'<form class="filters"[^>]*>', html)
    assert form is not None
    assert 'method="post"' in form.group(0) and f'hx-post="{LIST}"' in form.group(0)
    assert "hx-push-url" not in form.group(0)
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.parametrize("htmx", [False, True])
def test_a_search_by_identity_puts_no_term_in_any_url(
    client: Any, org_a: Any, aminata: Case, htmx: bool
) -> None:
    client.force_login(org_a["supervisor"])
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(LIST, TERMS, **extra)
    assert response.status_code == 200
    assert aminata.person.case_code in response.content.decode()
    assert_no_terms_in_urls(response)
    if htmx:
        assert response["HX-Push-Url"] == "false"


@pytest.mark.parametrize(
    "criteria", [{"name": "aminata"}, {"phone": "0022796112233"}, {"document": "na 123456"}]
)
def test_a_post_search_finds_the_case(
    client: Any, org_a: Any, aminata: Case, criteria: dict[str, str]
) -> None:
    other = open_case(org_a["caseworker"])
    client.force_login(org_a["caseworker"])
    rows = client.post(LIST, criteria).context["rows"]
    assert [r.public_id for r in rows] == [aminata.public_id]
    assert other.public_id not in [r.public_id for r in rows]


@pytest.mark.parametrize("criteria", [{"name": "Zzz"}, {"phone": "90000000"}, {"document": "X"}])
def test_identity_terms_in_a_query_string_are_ignored(
    client: Any, org_a: Any, aminata: Case, criteria: dict[str, str]
) -> None:
    user = org_a["caseworker"]
    other = open_case(user)
    client.force_login(user)
    response = client.get(LIST, criteria)
    assert {r.public_id for r in response.context["rows"]} == {aminata.public_id, other.public_id}
    assert not response.context["form"].is_bound
    assert _searches(user) == []


def test_non_identity_filters_stay_bookmarkable(client: Any, org_a: Any, aminata: Case) -> None:
    client.force_login(org_a["caseworker"])
    code_ = aminata.person.case_code
    response = client.post(LIST, {"case_code": code_, "status": "open", "name": ""})
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?case_code={code_}&status=open"
    htmx = client.post(LIST, {"status": "open"}, HTTP_HX_REQUEST="true")
    assert htmx["HX-Push-Url"] == f"{LIST}?status=open"
    assert [r.public_id for r in client.get(response["Location"]).context["rows"]] == [
        aminata.public_id
    ]


def test_paging_an_identity_search_reposts_the_terms(client: Any, org_a: Any) -> None:
    actor = org_a["caseworker"]
    for _i in range(52):
        open_case(actor, register(actor, given_names="Tchoukou", nationalities=[]))
    client.force_login(actor)
    first = client.post(LIST, {"name": "Tchoukou", "status": "open"})
    html = first.content.decode()
    assert first.context["page"].paginator.count == 52
    assert "Tchoukou" not in " ".join(URL_ATTRIBUTES.findall(html))
    pager = re.search(r'<form class="pager".*?</form>', html, re.DOTALL)
    assert pager is not None, "the pager is a form"
    assert '<input type="hidden" name="name" value="Tchoukou">' in pager.group(0)
    assert 'name="page" value="2"' in pager.group(0)
    second = client.post(LIST, {"name": "Tchoukou", "status": "open", "page": "2"})
    assert second.context["page"].number == 2
    assert len(second.context["rows"]) == 2
    # Without identity terms, the pager stays links (bookmarkable).
    plain = client.get(LIST, {"status": "open"}).content.decode()
    assert 'href="?status=open&amp;page=2"' in plain and '<form class="pager"' not in plain
    assert len(_searches(actor)) == 2


def test_a_search_is_audited_once_by_criteria_not_values(
    client: Any, org_a: Any, aminata: Case
) -> None:
    user = org_a["supervisor"]
    client.force_login(user)
    client.post(LIST, TERMS, HTTP_HX_REQUEST="true")
    events = _searches(user)
    assert len(events) == 1
    assert events[0].changed_fields == ["document", "name", "phone"]
    for event in AuditEvent.objects.all():
        text = json.dumps(
            {f.attname: str(getattr(event, f.attname)) for f in event._meta.concrete_fields}
        )
        for secret in SECRETS:
            assert secret not in text


def test_the_list_four_ways_by_post(client: Any, org_a: Any, org_b: Any, aminata: Case) -> None:
    anonymous = client.post(LIST, {"name": "Aminata"})
    assert anonymous.status_code == 302 and "Aminata" not in anonymous["Location"]
    client.force_login(org_a["monitor"])
    assert client.post(LIST, {"name": "Aminata"}).status_code == 404
    client.force_login(org_b["caseworker"])
    other = client.post(LIST, {"name": "Aminata"})
    assert other.status_code == 200 and other.context["rows"] == []
    client.force_login(org_a["caseworker"])
    rows = client.post(LIST, {"name": "Aminata"}).context["rows"]
    assert [r.public_id for r in rows] == [aminata.public_id]
