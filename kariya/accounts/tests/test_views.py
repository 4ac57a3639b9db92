from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from kariya.accounts.factories import UserFactory
from kariya.accounts.models import Office, Organisation, User
from kariya.accounts.roles import PERMISSIONS, render_markdown
from kariya.core.models import AuditEvent


def _pages(world: Any, other: Any) -> list[tuple[str, str, str]]:
    """(url, role that may, role that may not) for every accounts page."""
    mine = world["caseworker"].public_id
    office = Office.objects.filter(organisation=other.org).first()
    return [
        ("/accounts/users/", "org_admin", "caseworker"),
        ("/accounts/users/new/", "org_admin", "supervisor"),
        (f"/accounts/users/{mine}/", "org_admin", "dpo"),
        (f"/accounts/users/{mine}/edit/", "org_admin", "network_coordinator"),
        ("/accounts/organisations/new/", "network_coordinator", "org_admin"),
        (
            f"/accounts/organisations/{other.org.public_id}/edit/",
            "network_coordinator",
            "org_admin",
        ),
        (
            f"/accounts/organisations/{other.org.public_id}/offices/new/",
            "network_coordinator",
            "caseworker",
        ),
        (f"/accounts/offices/{office.public_id}/edit/", "network_coordinator", "monitor"),
        ("/accounts/password/", "caseworker", None),
        ("/accounts/organisations/", "caseworker", None),
        (f"/accounts/organisations/{other.org.public_id}/", "monitor", None),
    ]


def test_every_accounts_page_four_ways(client: Any, org_a: Any, org_b: Any) -> None:
    for url, allowed, refused in _pages(org_a, org_b):
        client.logout()
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
        client.force_login(org_a[allowed])
        assert client.get(url).status_code == 200, url
        if refused:
            client.force_login(org_a[refused])
            assert client.get(url).status_code == 404, url


def test_other_organisations_users_are_not_found(client: Any, org_a: Any, org_b: Any) -> None:
    client.force_login(org_a["org_admin"])
    target = org_b["caseworker"].public_id
    for suffix in ("", "edit/"):
        assert client.get(f"/accounts/users/{target}/{suffix}").status_code == 404
    for url in (f"/accounts/users/{target}/active/", f"/accounts/users/{target}/password/"):
        assert client.post(url, {"active": "0", "password": "Whatever-2026-x"}).status_code == 404
    org_b["caseworker"].refresh_from_db()
    assert org_b["caseworker"].is_active
    listed = client.get("/accounts/users/").context["page"].object_list
    assert {u.organisation_id for u in listed} == {org_a.org.pk}


def test_reading_a_user_is_audited(client: Any, org_a: Any) -> None:
    client.force_login(org_a["org_admin"])
    target = org_a["monitor"]
    client.get(f"/accounts/users/{target.public_id}/")
    event = AuditEvent.objects.get(action="read", object_id=str(target.public_id))
    assert event.actor == org_a["org_admin"]


def test_create_user_through_the_form(client: Any, org_a: Any) -> None:
    client.force_login(org_a["org_admin"])
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "moussa.garba",
            "first_name": "Moussa",
            "last_name": "Garba",
            "preferred_language": "fr",
            "roles": ["caseworker", "monitor"],
            "password": "Agadez-Tenere-77",
            "organisation": org_a.org.pk + 1000,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="moussa.garba")
    # The organisation comes from the admin's request, never from the form.
    assert user.organisation == org_a.org
    assert user.role_codes() == {"caseworker", "monitor"}


def test_invalid_user_form_keeps_input_and_saves_nothing(client: Any, org_a: Any) -> None:
    client.force_login(org_a["org_admin"])
    before = User.objects.count()
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "alpha_caseworker",
            "first_name": "Fatima",
            "preferred_language": "fr",
            "roles": [],
            "password": "123",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "roles" in errors
    assert User.objects.count() == before
    assert 'value="Fatima"' in response.content.decode()


def test_duplicate_username_message_in_french(client: Any, org_a: Any) -> None:
    client.force_login(org_a["org_admin"])
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "ALPHA_CASEWORKER",
            "preferred_language": "fr",
            "roles": ["caseworker"],
            "password": "Agadez-Tenere-77",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    assert "Ce nom d’utilisateur est déjà pris." in response.content.decode()


def test_deactivate_through_the_page(client: Any, org_a: Any) -> None:
    client.force_login(org_a["org_admin"])
    target = org_a["caseworker"]
    response = client.post(f"/accounts/users/{target.public_id}/active/", {"active": "0"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert client.get(f"/accounts/users/{target.public_id}/active/").status_code == 405


def test_stale_organisation_form_shows_a_clear_message(client: Any, org_a: Any, org_b: Any) -> None:
    client.force_login(org_a["network_coordinator"])
    url = f"/accounts/organisations/{org_b.org.public_id}/edit/"
    form = client.get(url).context["form"].initial
    data = {k: ("" if v is None else v) for k, v in form.items()}
    first = client.post(url, data | {"phone": "+227 20 00 00 01"})
    assert first.status_code == 302
    second = client.post(url, data | {"phone": "+227 20 00 00 02"}, HTTP_ACCEPT_LANGUAGE="en")
    assert second.status_code == 400
    assert "Someone else saved this organisation" in second.content.decode()
    assert Organisation.objects.get(pk=org_b.org.pk).phone == "+227 20 00 00 01"


@pytest.mark.parametrize("n", [3, 30])
def test_user_list_queries_do_not_grow(client: Any, org_a: Any, n: int) -> None:
    for _ in range(n):
        UserFactory(organisation=org_a.org, roles=["caseworker", "monitor"])
    client.force_login(org_a["org_admin"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/accounts/users/").status_code == 200
    # session, user, roles, count, page, prefetch roles, offices … independent of n
    assert len(queries) <= 9, [q["sql"] for q in queries]


def test_organisation_list_queries_do_not_grow(client: Any, org_a: Any, org_b: Any) -> None:
    client.force_login(org_a["caseworker"])
    with CaptureQueriesContext(connection) as few:
        client.get("/accounts/organisations/")
    for i in range(20):
        Organisation.objects.create(name=f"Org {i}", acronym=f"O{i}", type="association")
    with CaptureQueriesContext(connection) as many:
        client.get("/accounts/organisations/")
    assert len(few) == len(many)


def test_api_four_ways(client: Any, org_a: Any, org_b: Any) -> None:
    assert client.get("/api/v1/me/").status_code in (401, 403)
    assert client.get("/api/v1/organisations/").status_code in (401, 403)
    superuser = UserFactory(organisation=None, is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert client.get("/api/v1/organisations/").status_code == 404  # no role, no data
    token = Token.objects.create(user=org_a["caseworker"])
    client.logout()
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    body = response.json()
    assert body["organisation"]["acronym"] == "ALPHA"
    assert body["roles"] == ["caseworker"]
    assert "accounts.manage_users" not in body["permissions"]
    listed = client.get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert {o["acronym"] for o in listed.json()["results"]} >= {"ALPHA", "BETA"}


def test_schema_lists_the_endpoints(client: Any, org_a: Any) -> None:
    client.force_login(org_a["caseworker"])
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/organisations/" in schema and "/api/v1/me/" in schema


def test_permissions_doc_is_current() -> None:
    doc = Path(settings.BASE_DIR).parent / "docs" / "permissions.md"
    assert doc.read_text(encoding="utf-8") == render_markdown(), (
        "docs/permissions.md is stale: run `uv run kariya permissions-doc`"
    )
    for code in PERMISSIONS:
        assert f"`{code}`" in doc.read_text(encoding="utf-8")
