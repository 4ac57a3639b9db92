from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kariya.accounts import services
from kariya.accounts.factories import OfficeFactory
from kariya.accounts.models import Organisation, User
from kariya.core.models import AuditEvent

GOOD_PASSWORD = "Tenere-Desert-2026"


def _create(world: Any, **overrides: Any) -> User:
    values: dict[str, Any] = {
        "actor": world["org_admin"],
        "organisation": world.org,
        "username": "hadiza.issa",
        "password": GOOD_PASSWORD,
        "roles": ["caseworker"],
        "first_name": "Hadiza",
        "last_name": "Issa",
    }
    values.update(overrides)
    return services.user_create(**values)


def test_user_create_writes_user_roles_and_audit(org_a: Any) -> None:
    user = _create(org_a, roles=["caseworker", "monitor"])
    assert user.organisation == org_a.org
    assert user.role_codes() == {"caseworker", "monitor"}
    assert user.check_password(GOOD_PASSWORD)
    event = AuditEvent.objects.get(action="create", object_id=str(user.public_id))
    assert event.actor == org_a["org_admin"]
    assert "password" in event.changed_fields
    assert GOOD_PASSWORD not in str(event.__dict__)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"roles": []}, "roles"),
        ({"roles": ["pilot"]}, "roles"),
        ({"password": "1234567890"}, "password"),
        ({"password": "short"}, "password"),
        ({"username": "  "}, "username"),
        ({"username": "ALPHA_CASEWORKER"}, "username"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_user_create_refuses_bad_input_and_saves_nothing(
    org_a: Any, overrides: dict[str, Any], field: str
) -> None:
    before = User.objects.count()
    with pytest.raises(ValidationError) as caught:
        _create(org_a, **overrides)
    assert field in caught.value.message_dict
    assert User.objects.count() == before


def test_office_must_belong_to_the_users_organisation(org_a: Any, org_b: Any) -> None:
    other_office = OfficeFactory(organisation=org_b.org)
    with pytest.raises(ValidationError) as caught:
        _create(org_a, office=other_office)
    assert "office" in caught.value.message_dict


def test_admin_cannot_remove_own_admin_role_or_deactivate_self(org_a: Any) -> None:
    admin = org_a["org_admin"]
    with pytest.raises(ValidationError):
        services.user_update(actor=admin, user=admin, roles=["caseworker"])
    assert admin.roles.filter(role="org_admin").exists()
    with pytest.raises(ValidationError):
        services.user_deactivate(actor=admin, user=admin)
    admin.refresh_from_db()
    assert admin.is_active


def test_user_update_changes_roles_and_logs_field_names(org_a: Any) -> None:
    user = _create(org_a)
    services.user_update(
        actor=org_a["org_admin"],
        user=user,
        roles=["supervisor"],
        first_name="Hadizatou",
        phone="+227 99 11 22 33",
    )
    user.refresh_from_db()
    assert user.first_name == "Hadizatou"
    assert set(user.roles.values_list("role", flat=True)) == {"supervisor"}
    event = AuditEvent.objects.filter(action="update", object_id=str(user.public_id)).get()
    assert set(event.changed_fields) == {"first_name", "phone", "roles"}


def test_deactivation_ends_open_sessions(client: Any, org_a: Any, password: str) -> None:
    user = org_a["caseworker"]
    assert (
        client.post(
            "/accounts/login/", {"username": user.username, "password": password}
        ).status_code
        == 302
    )
    assert client.get("/").status_code == 200
    services.user_deactivate(actor=org_a["org_admin"], user=user)
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # Reactivated later, the old session stays dead: a new log-in is needed.
    services.user_reactivate(actor=org_a["org_admin"], user=user)
    assert client.get("/").status_code == 302
    assert (
        client.post(
            "/accounts/login/", {"username": user.username, "password": password}
        ).status_code
        == 302
    )


def test_password_reset_by_admin_ends_sessions(client: Any, org_a: Any, password: str) -> None:
    user = org_a["monitor"]
    client.post("/accounts/login/", {"username": user.username, "password": password})
    services.user_set_password(actor=org_a["org_admin"], user=user, password=GOOD_PASSWORD)
    assert client.get("/").status_code == 302
    assert client.login(username=user.username, password=GOOD_PASSWORD)


def test_organisation_names_and_acronyms_are_unique(org_a: Any) -> None:
    coordinator = org_a["network_coordinator"]
    with pytest.raises(ValidationError) as caught:
        services.organisation_create(
            actor=coordinator, name="Autre", acronym="alpha", type="association"
        )
    assert "acronym" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.organisation_create(
            actor=coordinator, name=org_a.org.name.upper(), acronym="NEW", type="association"
        )
    assert "name" in caught.value.message_dict


def test_stale_organisation_edit_is_refused_and_loses_nothing(org_a: Any, org_b: Any) -> None:
    coordinator = org_a["network_coordinator"]
    first = Organisation.objects.get(pk=org_b.org.pk)
    second = Organisation.objects.get(pk=org_b.org.pk)
    services.organisation_update(
        actor=coordinator,
        organisation=first,
        expected_version=first.version,
        phone="+227 20 73 00 00",
    )
    with pytest.raises(ValidationError) as caught:
        services.organisation_update(
            actor=coordinator,
            organisation=second,
            expected_version=second.version,
            email="x@example.org",
        )
    assert caught.value.code == "stale"
    fresh = Organisation.objects.get(pk=org_b.org.pk)
    assert fresh.phone == "+227 20 73 00 00" and fresh.email == ""
    assert fresh.version == second.version + 1


def test_deactivating_an_organisation_locks_out_its_users(
    client: Any, org_a: Any, org_b: Any, password: str
) -> None:
    user = org_b["caseworker"]
    client.post("/accounts/login/", {"username": user.username, "password": password})
    services.organisation_set_active(
        actor=org_a["network_coordinator"], organisation=org_b.org, active=False
    )
    assert client.get("/").status_code == 302
    assert not client.login(username=user.username, password=password)
    with pytest.raises(ValidationError):
        services.organisation_set_active(
            actor=org_a["network_coordinator"], organisation=org_a.org, active=False
        )


def test_account_without_password_cannot_log_in_until_one_is_set(client: Any, org_a: Any) -> None:
    wanted = uuid.UUID("00000000-0000-4000-8000-000000000001")
    user = _create(org_a, password=None, public_id=wanted)
    assert user.public_id == wanted
    assert not user.has_usable_password()
    assert not client.login(username=user.username, password="")
    services.user_set_password(actor=org_a["org_admin"], user=user, password=GOOD_PASSWORD)
    assert client.login(username=user.username, password=GOOD_PASSWORD)
