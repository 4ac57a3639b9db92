"""core.bulk.insert_rows writes what the ORM would, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from kariya.cases import factories as case_factories
from kariya.cases.models import ServiceDelivery
from kariya.codelists.models import Code
from kariya.core.bulk import insert_rows, through_rows
from kariya.core.models import AuditAction, AuditEvent
from kariya.people import factories
from kariya.people.models import Person


def test_every_kind_of_value_reads_back_as_it_was_written(org_a: Any) -> None:
    actor = org_a["caseworker"]
    case = case_factories.open_case(actor)
    service_type = Code.objects.filter(list="service_type").first()
    assert service_type is not None
    at = timezone.now().replace(microsecond=123456)
    values = {
        "organisation_id": actor.organisation_id,
        "case_id": case.pk,
        "service_type_id": service_type.pk,
        "provider_id": actor.organisation_id,
        "delivered_on": datetime.date(2026, 11, 3),
        "quantity": Decimal("12.50"),
        "unit": "xof",
        "outcome": "completed",
        "note": "Suivi médical à Agadez",
        "created_at": at,
        "updated_at": at,
        "created_by_id": actor.pk,
        "updated_by_id": actor.pk,
    }

    # One row (a VALUES list), and on PostgreSQL several (an array per column): the same.
    other = values | {"quantity": None, "unit": "", "delivered_on": datetime.date(2025, 1, 31)}
    [pk] = insert_rows(ServiceDelivery, [values], returning=True)
    pks = insert_rows(ServiceDelivery, [other, values, other], returning=True)

    for key, expected in zip([pk, *pks], [values, other, values, other], strict=True):
        stored = ServiceDelivery.objects.get(pk=key)
        for name, value in expected.items():
            assert getattr(stored, name) == value, name
        assert isinstance(stored.public_id, uuid.UUID)
        assert stored.version == 1  # the field's default
    # The note is encrypted at rest, as through the ORM.
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM cases_servicedelivery WHERE id = %s", [pk])
        assert "Agadez" not in cursor.fetchone()[0]


def test_keys_come_back_in_the_order_of_the_rows_and_defaults_are_drawn_per_row(
    org_a: Any,
) -> None:
    actor = org_a["supervisor"]
    rows = [
        {
            "actor_id": actor.pk,
            "organisation_id": actor.organisation_id,
            "action": AuditAction.READ,  # a TextChoices member: stored as its plain value
            "object_type": "people.person",
            "object_id": f"row-{n}",
            "changed_fields": ["identity", n],
        }
        for n in range(1203)  # more than one statement's worth on SQLite
    ]

    keys = insert_rows(AuditEvent, rows, returning=True)

    assert len(keys) == len(set(keys)) == 1203
    stored = AuditEvent.objects.in_bulk(keys)
    assert [stored[k].object_id for k in keys] == [f"row-{n}" for n in range(1203)]
    assert stored[keys[7]].changed_fields == ["identity", 7]
    assert stored[keys[7]].action == "read"
    assert stored[keys[0]].ip is None  # nullable, no default
    assert stored[keys[0]].user_agent == ""  # may be blank, no default


def test_a_missing_value_without_a_default_is_an_error_not_a_null(org_a: Any) -> None:
    # A person's case code and sex have no default and may not be blank.
    with pytest.raises(KeyError, match="people.Person.case_code has no value and no default"):
        insert_rows(Person, [{"organisation_id": org_a.org.pk, "sex": "f", "birth_year": 1990}])
    assert not Person.objects.exists()


def test_many_to_many_rows(org_a: Any) -> None:
    person = factories.register(org_a["caseworker"])
    languages = list(Code.objects.filter(list="language")[:2])
    person.languages.clear()

    insert_rows(*through_rows(Person.languages, [(person.pk, c.pk) for c in languages]))

    assert set(person.languages.all()) == set(languages)


def test_no_rows_no_statement(db: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        assert insert_rows(AuditEvent, [], returning=True) == []


@pytest.mark.parametrize("count", [3, 600])
def test_small_and_large_batches_read_back_and_equal_texts_stay_unlinkable(
    org_a: Any, count: int
) -> None:
    """Below ``COPY_MIN_ROWS`` rows one ``INSERT`` (PostgreSQL: ``COPY`` above); repeated
    values (a time, an IP address) are converted once, but equal notes are encrypted each with
    its own nonce, so the stored texts do not show which rows say the same."""
    from django.test.utils import CaptureQueriesContext

    from kariya.core import bulk

    actor = org_a["caseworker"]
    case = case_factories.open_case(actor)
    service_type = Code.objects.filter(list="service_type").first()
    assert service_type is not None
    at = timezone.now()
    rows = [
        {
            "organisation_id": actor.organisation_id,
            "case_id": case.pk,
            "service_type_id": service_type.pk,
            "provider_id": actor.organisation_id,
            "delivered_on": datetime.date(2026, 11, 3),
            "outcome": "completed",
            "note": "Même note",
            "created_at": at,
            "updated_at": at,
            "created_by_id": actor.pk,
            "updated_by_id": actor.pk,
        }
        for _ in range(count)
    ]
    events = [
        {"actor_id": actor.pk, "action": AuditAction.READ, "object_type": "t", "ip": "10.0.0.7"}
        for _ in range(count)
    ]
    with CaptureQueriesContext(connection) as queries:
        keys = insert_rows(ServiceDelivery, rows, returning=True)
        insert_rows(AuditEvent, events)
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    copied = connection.vendor == "postgresql" and count >= bulk.COPY_MIN_ROWS
    assert ("COPY" in statements) == copied
    if connection.vendor == "postgresql" and not copied:
        # An array per column: a short statement whatever the number of rows.
        assert all("UNNEST(" in q["sql"] for q in queries.captured_queries)
    stored = ServiceDelivery.objects.filter(pk__in=keys)
    assert [d.note for d in stored] == ["Même note"] * count
    assert {d.created_at for d in stored} == {at}
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM cases_servicedelivery WHERE case_id = %s", [case.pk])
        assert len({row[0] for row in cursor.fetchall()}) == count
    assert set(AuditEvent.objects.filter(object_type="t").values_list("ip", flat=True)) == {
        "10.0.0.7"
    }
