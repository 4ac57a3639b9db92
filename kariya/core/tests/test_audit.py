from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from kariya.core.audit import audit_record
from kariya.core.models import AppendOnlyError, AuditAction, AuditEvent
from kariya.people.models import PersonSearchKey


def _event(org_world: Any, **kwargs: Any) -> AuditEvent:
    return audit_record(
        actor=org_world["caseworker"],
        action=AuditAction.READ,
        object_type="people.person",
        object_id="abc",
        **kwargs,
    )


def test_events_cannot_be_changed_or_deleted(org_a: Any) -> None:
    event = _event(org_a)
    event.action = AuditAction.DELETE
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="delete")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "read"


def test_admin_offers_no_way_to_change_the_log(org_a: Any) -> None:
    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/admin/")
    request.user = org_a["dpo"]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_login_and_failed_login_are_logged_without_the_username(
    client: Any, org_a: Any, password: str
) -> None:
    user = org_a["caseworker"]
    client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    client.post("/accounts/login/", {"username": user.username, "password": password})
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.actor is None and user.username not in str(failed.__dict__)
    login = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert login.actor == user and login.organisation == org_a.org
    assert login.ip == "127.0.0.1"


def test_audit_page_four_ways(client: Any, org_a: Any, org_b: Any) -> None:
    _event(org_a)
    _event(org_b)
    response = client.get("/audit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(org_a["caseworker"])
    assert client.get("/audit/").status_code == 404
    assert client.get("/audit/export.csv").status_code == 404
    client.force_login(org_a["dpo"])
    response = client.get("/audit/")
    assert response.status_code == 200
    shown = list(response.context["page"].object_list)
    assert shown and all(e.organisation_id == org_a.org.pk for e in shown)
    assert org_b["caseworker"].username not in response.content.decode()


def test_audit_filters_and_bad_dates(client: Any, org_a: Any) -> None:
    _event(org_a)
    audit_record(
        actor=org_a["org_admin"],
        action=AuditAction.UPDATE,
        object_type="accounts.user",
        object_id="x",
        changed_fields=["email"],
    )
    client.force_login(org_a["dpo"])
    page = client.get("/audit/", {"action": "update"}).context["page"]
    assert [e.action for e in page.object_list] == ["update"]
    response = client.get("/audit/", {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.context["form"].errors["date_to"]
    assert client.get("/audit/export.csv", {"date_from": "not-a-date"}).status_code == 400


def test_csv_export_is_complete_and_itself_audited(client: Any, org_a: Any, org_b: Any) -> None:
    for _ in range(3):
        _event(org_a)
    _event(org_b)
    client.force_login(org_a["dpo"])
    response = client.get("/audit/export.csv", {"object_type": "people.person"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:5] == ["time", "user", "user_id", "organisation", "action"]
    assert len(rows) == 4
    assert {r[3] for r in rows[1:]} == {"ALPHA"}
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=org_a["dpo"]).count() == 1


def test_audit_list_query_count_does_not_grow(client: Any, org_a: Any) -> None:
    client.force_login(org_a["dpo"])
    counts = []
    for n in (2, 40):
        for i in range(n):
            audit_record(
                actor=org_a[["caseworker", "monitor"][i % 2]],
                action="read",
                object_type="people.person",
                object_id="abc",
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/audit/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("module", "model", "columns", "composites"),
    [
        (
            "kariya.core.migrations.0002_audit_drop_repeated_indexes",
            AuditEvent,
            ("actor_id", "organisation_id"),
            {
                "audit_actor_at": ["actor_id", "at"],
                "audit_org_at": ["organisation_id", "at"],
            },
        ),
        (
            "kariya.people.migrations.0005_search_key_postings_index",
            PersonSearchKey,
            ("person_id", "organisation_id"),
            {
                "searchkey_postings": ["organisation_id", "kind", "key", "person_id"],
                "searchkey_unique": ["person_id", "kind", "key"],
            },
        ),
    ],
)
def test_tables_written_on_every_read_or_registration_keep_no_repeated_index(
    module: str, model: Any, columns: tuple[str, ...], composites: dict[str, list[str]]
) -> None:
    """The audit log (every read writes to it) and the search keys (16 a person) have no
    single-column index that repeats the leading column of a composite one; their migrations
    (``core.indexes``) can restore and drop those indexes again."""
    from importlib import import_module

    from django.apps import apps

    from kariya.core.indexes import single_column_indexes

    table = model._meta.db_table
    editor = connection.schema_editor(atomic=False)

    def found() -> dict[str, int]:
        return {c: len(single_column_indexes(editor, table, c)) for c in columns}

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    for name, wanted in composites.items():
        assert constraints[name]["columns"] == wanted
    assert found() == dict.fromkeys(columns, 0)
    # Not entered: SQLite refuses a schema editor inside the test's transaction, and these
    # functions only run statements.
    migration = import_module(module)
    migration.restore_indexes(apps, editor)
    assert found() == dict.fromkeys(columns, 1)
    migration.drop_indexes(apps, editor)
    assert found() == dict.fromkeys(columns, 0)


@pytest.mark.django_db
def test_the_audit_log_has_no_pattern_index_on_object_id() -> None:
    """PostgreSQL: no ``varchar_pattern_ops`` index beside ``object_id``'s plain one (no query
    uses it; every read writes a row); the migration can restore and drop it again. SQLite:
    never had one."""
    from importlib import import_module

    from django.apps import apps

    from kariya.core.indexes import single_column_indexes

    table = AuditEvent._meta.db_table
    editor = connection.schema_editor(atomic=False)

    def indexes() -> list[str]:
        return single_column_indexes(editor, table, "object_id")

    assert len(indexes()) == 1  # the plain one, for reading the log by object
    migration = import_module("kariya.core.migrations.0003_audit_drop_object_id_pattern_index")
    migration.restore_pattern_index(apps, editor)
    assert len(indexes()) == (2 if connection.vendor == "postgresql" else 1)
    migration.drop_pattern_index(apps, editor)
    assert len(indexes()) == 1


@pytest.mark.django_db
def test_the_audit_log_has_no_foreign_key_constraint(org_a: Any) -> None:
    """Every read writes events: on PostgreSQL each row paid two deferred foreign-key trigger
    checks. The ids stay; users and organisations cannot be deleted through the ORM while an
    event names them (``PROTECT``)."""
    from django.db.models import ProtectedError

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, AuditEvent._meta.db_table)
    assert [name for name, c in constraints.items() if c["foreign_key"]] == []
    from kariya.accounts.factories import UserFactory

    UserFactory(organisation=org_a.org).delete()  # a user no event names can go
    named = UserFactory(organisation=org_a.org)
    event = audit_record(actor=named, action=AuditAction.READ, object_type="people.person")
    with pytest.raises(ProtectedError):
        named.delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_id == named.pk
