"""The 90-day reminder: flags, e-mails (link, no personal data), the task and the command."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kariya.directory import selectors, services
from kariya.directory.factories import published
from kariya.directory.models import Service
from kariya.directory.tasks import remind_stale_services

pytestmark = pytest.mark.django_db


def _age(service: Service, days: int) -> None:
    Service.objects.filter(pk=service.pk).update(
        last_verified_at=timezone.now() - datetime.timedelta(days=days)
    )


@pytest.fixture
def fp(org_a: Any) -> Any:
    user = org_a["service_focal_point"]
    user.email = "focal.alpha@example.org"
    user.first_name, user.last_name = "Zeinabou", "Garba"
    user.save()
    return user


def test_entries_not_verified_for_90_days_are_flagged_and_reminded(
    org_a: Any, org_b: Any, fp: Any
) -> None:
    coordinator = org_b["network_coordinator"]
    old = published(fp, coordinator, name_fr="Centre d'écoute Tagayt")
    older = published(fp, coordinator, name_fr="Hébergement Azel")
    fresh = published(fp, coordinator, name_fr="Distribution alimentaire")
    _age(old, 91)
    _age(older, 200)
    _age(fresh, 89)
    result = services.directory_remind_stale()
    assert (result.flagged, result.reminded, result.emails) == (2, 2, 1)
    assert set(Service.objects.exclude(stale_flagged_at=None).values_list("pk", flat=True)) == {
        old.pk,
        older.pk,
    }
    assert list(selectors.stale_services(fp)) == [older, old]
    assert not selectors.stale_services(org_a["caseworker"]).exists()
    assert not selectors.stale_services(org_b["service_focal_point"]).exists()


def test_reminder_email_has_a_link_and_no_personal_data(
    org_a: Any, org_b: Any, fp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    old = published(fp, org_b["network_coordinator"], name_fr="Centre d'écoute Tagayt")
    _age(old, 120)
    with django_capture_on_commit_callbacks(execute=True):
        services.directory_remind_stale()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["focal.alpha@example.org"]
    assert "https://kariya.example/directory/stale/" in message.body
    for private in ("Zeinabou", "Garba", fp.username, "Tagayt", str(old.public_id)):
        assert private not in message.body
        assert private not in message.subject


def test_no_second_reminder_within_14_days_and_verify_clears(
    org_a: Any, org_b: Any, fp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    old = published(fp, org_b["network_coordinator"])
    _age(old, 100)
    with django_capture_on_commit_callbacks(execute=True):
        services.directory_remind_stale()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.directory_remind_stale()
    assert (again.flagged, again.reminded, again.emails) == (0, 0, 0)
    later = timezone.now() + datetime.timedelta(days=15)
    with django_capture_on_commit_callbacks(execute=True):
        third = services.directory_remind_stale(now=later)
    assert (third.flagged, third.reminded) == (0, 1)
    assert len(mail.outbox) == 2
    old.refresh_from_db()
    services.service_verify(actor=fp, service=old, expected_version=old.version)
    with django_capture_on_commit_callbacks(execute=True):
        after = services.directory_remind_stale()
    assert after.reminded == 0
    assert not selectors.stale_services(fp).exists()


def test_inactive_focal_point_falls_back_to_other_editors(
    org_a: Any, org_b: Any, fp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    old = published(fp, org_b["network_coordinator"])
    _age(old, 100)
    fp.is_active = False
    fp.save()
    coordinator = org_a["network_coordinator"]
    coordinator.email = "coord.alpha@example.org"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.directory_remind_stale()
    assert result.reminded == 1
    assert [m.to for m in mail.outbox] == [["coord.alpha@example.org"]]


def test_nobody_reachable_is_counted(org_a: Any, org_b: Any, fp: Any) -> None:
    old = published(fp, org_b["network_coordinator"])
    _age(old, 100)
    fp.email = ""
    fp.save()
    result = services.directory_remind_stale()
    assert (result.flagged, result.reminded, result.unreachable) == (1, 0, 1)


def test_task_and_command_run_the_reminder(
    org_a: Any, org_b: Any, fp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    old = published(fp, org_b["network_coordinator"])
    _age(old, 100)
    with django_capture_on_commit_callbacks(execute=True):
        result = remind_stale_services.enqueue()  # immediate backend in tests
    assert result.return_value == {"flagged": 1, "reminded": 1, "emails": 1, "unreachable": 0}
    assert len(mail.outbox) == 1
    out = StringIO()
    call_command("directory_remind", stdout=out)
    assert "flagged 0, reminded 0" in out.getvalue()
    out = StringIO()
    call_command("directory_remind", "--enqueue", stdout=out)
    assert "enqueued task" in out.getvalue()
