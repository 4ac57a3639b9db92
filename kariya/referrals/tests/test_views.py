"""The referral pages: four ways on each (anonymous, wrong role, other organisation, right
role), what the receiver sees, the forms, stale pages, query counts of the inboxes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kariya.cases.factories import open_case
from kariya.referrals import services
from kariya.referrals.factories import referral_consent, sent
from kariya.referrals.models import Referral, SharedField, Status
from tests.htmlcheck import form_problems


@pytest.fixture(autouse=True)
def english_pages(client: Any) -> None:
    client.cookies["django_language"] = "en"


@pytest.fixture
def referral(org_a: Any, consented: Any, service_b: Any) -> Referral:
    return sent(org_a["caseworker"], consented, service_b, shared_fields=[SharedField.LANGUAGES])


def _get(client: Any, user: Any, url: str) -> Any:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_referral_page_four_ways(client: Any, org_a: Any, org_b: Any, referral: Referral) -> None:
    url = f"/referrals/{referral.public_id}/"
    assert _get(client, None, url).status_code == 302
    for wrong in (org_a["me_officer"], org_b["caseworker"], org_a["service_focal_point"]):
        assert _get(client, wrong, url).status_code == 404
    sender = _get(client, org_a["caseworker"], url)
    assert sender.status_code == 200
    receiver = _get(client, org_b["service_focal_point"], url)
    assert receiver.status_code == 200
    assert form_problems(receiver.content.decode()) == []
    assert form_problems(sender.content.decode()) == []


def test_receiver_sees_only_the_shared_fields(
    client: Any, org_a: Any, org_b: Any, referral: Referral
) -> None:
    page = _get(client, org_b["service_focal_point"], f"/referrals/{referral.public_id}/")
    html = page.content.decode()
    assert referral.case.person.case_code in html
    assert "Moussa" not in html and "Abdou" not in html
    assert 'id="hist-h"' not in html  # the sender's history stays with the sender
    assert f"/cases/{referral.case.public_id}/" not in html
    # The person and case pages stay closed to the receiver.
    client.force_login(org_b["service_focal_point"])
    assert client.get(f"/cases/{referral.case.public_id}/").status_code == 404
    assert client.get(f"/people/{referral.case.person.public_id}/").status_code == 404


def test_inboxes_four_ways(client: Any, org_a: Any, org_b: Any, referral: Referral) -> None:
    for url, right, wrong in (
        ("/referrals/incoming/", org_b["service_focal_point"], org_b["caseworker"]),
        ("/referrals/outgoing/", org_a["caseworker"], org_a["service_focal_point"]),
    ):
        assert _get(client, None, url).status_code == 302
        assert _get(client, wrong, url).status_code == 404
        page = _get(client, right, url)
        assert page.status_code == 200
        assert referral.case.person.case_code in page.content.decode()
    # Other organisation, right role: nothing of it.
    assert (
        referral.case.person.case_code
        not in _get(client, org_a["service_focal_point"], "/referrals/incoming/").content.decode()
    )
    assert (
        referral.case.person.case_code
        not in _get(client, org_b["caseworker"], "/referrals/outgoing/").content.decode()
    )


def test_pathways_and_form_four_ways(
    client: Any, org_a: Any, org_b: Any, consented: Any, service_b: Any
) -> None:
    pathways = f"/referrals/cases/{consented.public_id}/pathways/"
    form = f"/referrals/cases/{consented.public_id}/new/{service_b.public_id}/"
    for url in (pathways, form):
        assert _get(client, None, url).status_code == 302
        assert _get(client, org_a["service_focal_point"], url).status_code == 404
        assert _get(client, org_b["caseworker"], url).status_code == 404
        assert _get(client, org_a["caseworker"], url).status_code == 200
    page = _get(client, org_a["caseworker"], f"{pathways}?need={service_b.service_type_id}")
    assert service_b.name_fr in page.content.decode()
    assert form_problems(page.content.decode()) == []
    page = _get(client, org_a["caseworker"], form)
    assert form_problems(page.content.decode()) == []
    assert "override_reason" not in page.content.decode()
    assert "override_reason" in _get(client, org_a["supervisor"], form).content.decode()


def test_send_from_the_form(client: Any, org_a: Any, consented: Any, service_b: Any) -> None:
    client.force_login(org_a["caseworker"])
    url = f"/referrals/cases/{consented.public_id}/new/{service_b.public_id}/"
    response = client.post(
        url,
        {
            "priority": "emergency",
            "reason": "Blessure au pied",
            "services_requested": [service_b.service_type_id],
            "shared_fields": ["languages"],
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/referrals/{referral.public_id}/"
    assert referral.status == Status.SENT


def test_form_shows_the_consent_refusal(
    client: Any, org_a: Any, case_a: Any, service_b: Any
) -> None:
    client.force_login(org_a["caseworker"])
    url = f"/referrals/cases/{case_a.public_id}/new/{service_b.public_id}/"
    response = client.post(url, {"priority": "normal", "reason": "Soins"})
    assert response.status_code == 400
    assert "has not consented" in response.content.decode()
    assert not Referral.objects.exists()


def test_receiver_answers_and_loses_access(
    client: Any, org_a: Any, org_b: Any, referral: Referral
) -> None:
    client.force_login(org_b["service_focal_point"])
    base = f"/referrals/{referral.public_id}/"
    assert client.post(base + "accept/", {"version": referral.version}).status_code == 302
    referral.refresh_from_db()
    response = client.post(
        base + "complete/",
        {
            "complete-version": referral.version,
            "complete-outcome": "delivered",
            "complete-feedback": "Soigné",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/referrals/incoming/"
    assert client.get(base).status_code == 404
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED
    client.force_login(org_a["caseworker"])
    page = client.get(base).content.decode()
    assert "Soigné" in page


def test_stale_page_cannot_overwrite(
    client: Any, org_a: Any, org_b: Any, referral: Referral
) -> None:
    old = referral.version
    services.referral_accept(
        actor=org_b["service_focal_point"], referral=referral, expected_version=old
    )
    client.force_login(org_b["service_focal_point"])
    response = client.post(
        f"/referrals/{referral.public_id}/decline/",
        {"decline-version": old, "decline-reason": "Complet"},
        follow=True,
    )
    assert "Someone else saved this record" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == Status.ACCEPTED


def test_wrong_side_cannot_act(client: Any, org_a: Any, org_b: Any, referral: Referral) -> None:
    client.force_login(org_a["caseworker"])
    url = f"/referrals/{referral.public_id}/accept/"
    assert client.post(url, {"version": referral.version}).status_code == 404
    client.force_login(org_b["service_focal_point"])
    url = f"/referrals/{referral.public_id}/cancel/"
    assert (
        client.post(url, {"cancel-version": referral.version, "cancel-reason": "x"}).status_code
        == 404
    )
    assert Referral.objects.get(pk=referral.pk).status == Status.SENT


def test_notifications_page(client: Any, org_b: Any, referral: Referral) -> None:
    client.force_login(org_b["service_focal_point"])
    page = client.get("/referrals/notifications/").content.decode()
    assert "New referral to your organisation" in page
    note = org_b["service_focal_point"]
    from kariya.referrals.models import Notification

    notice = Notification.objects.get(recipient=note)
    response = client.post(f"/referrals/notifications/{notice.pk}/")
    assert response["Location"] == f"/referrals/{referral.public_id}/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    client.force_login(org_b["caseworker"])
    assert client.post(f"/referrals/notifications/{notice.pk}/").status_code == 404


def test_home_shows_the_counts(client: Any, org_b: Any, referral: Referral) -> None:
    client.force_login(org_b["service_focal_point"])
    page = client.get("/").content.decode()
    assert "Received, waiting for your answer" in page


def _refer_some(org_a: Any, org_b: Any, service_b: Any, n: int) -> None:
    for _ in range(n):
        case = open_case(org_a["caseworker"])
        referral_consent(org_a["caseworker"], case.person, to=org_b.org)
        sent(org_a["caseworker"], case, service_b)


def _queries(client: Any, user: Any, url: str) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_inbox_query_counts_do_not_grow(
    client: Any, org_a: Any, org_b: Any, service_b: Any
) -> None:
    pages = (
        ("/referrals/incoming/", org_b["service_focal_point"]),
        ("/referrals/outgoing/", org_a["caseworker"]),
    )
    _refer_some(org_a, org_b, service_b, 1)
    one = [_queries(client, user, url) for url, user in pages]
    _refer_some(org_a, org_b, service_b, 6)
    seven = [_queries(client, user, url) for url, user in pages]
    assert one == seven
    assert max(seven) <= 12


def test_the_case_page_lists_the_case_referrals(
    client: Any, org_a: Any, referral: Referral
) -> None:
    url = f"/cases/{referral.case.public_id}/"
    page = _get(client, org_a["caseworker"], url).content.decode()
    assert "Référencements de ce dossier" in page  # _get logs in again: French, the default
    assert f"/referrals/{referral.public_id}/" in page
    assert referral.service.name_fr in page
    # The supervisor sees the case and its referrals too; a monitor (no referrals.send) sees the
    # case without them.
    assert (
        f"/referrals/{referral.public_id}/"
        in _get(client, org_a["supervisor"], url).content.decode()
    )
    monitor = _get(client, org_a["monitor"], url)
    if monitor.status_code == 200:
        assert f"/referrals/{referral.public_id}/" not in monitor.content.decode()
