"""The referrals API: every endpoint four ways, the receiving side's view, the workflow,
consent refusal, stale versions (409)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from kariya.referrals.factories import sent
from kariya.referrals.models import Referral, Status

V1 = "/api/v1/referrals/"


def call(client: Client, method: str, url: str, body: Any = None) -> Any:
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def as_user(client: Client, user: Any) -> Client:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def referral(org_a: Any, consented: Any, service_b: Any) -> Referral:
    return sent(org_a["caseworker"], consented, service_b)


def test_endpoints_four_ways(client: Client, org_a: Any, org_b: Any, referral: Referral) -> None:
    detail = f"{V1}{referral.public_id}/"
    cases = [
        (
            "get",
            f"{V1}incoming/",
            None,
            org_b["service_focal_point"],
            org_b["caseworker"],
            org_a["service_focal_point"],
            200,
        ),
        (
            "get",
            f"{V1}outgoing/",
            None,
            org_a["caseworker"],
            org_a["service_focal_point"],
            org_b["caseworker"],
            200,
        ),
        (
            "get",
            detail,
            None,
            org_b["service_focal_point"],
            org_b["caseworker"],
            org_a["service_focal_point"],
            200,
        ),
        (
            "post",
            f"{detail}acknowledge/",
            {"version": referral.version},
            org_b["service_focal_point"],
            org_b["caseworker"],
            org_a["service_focal_point"],
            200,
        ),
    ]
    for method, url, body, right, wrong_role, other_org, ok in cases:
        assert call(as_user(client, None), method, url, body).status_code in (401, 403)
        assert call(as_user(client, wrong_role), method, url, body).status_code == 404
        response = call(as_user(client, other_org), method, url, body)
        if method == "get" and url.endswith(("incoming/", "outgoing/")):
            assert response.status_code == 200
            assert response.json()["count"] == 0
        else:
            assert response.status_code == 404
        assert call(as_user(client, right), method, url, body).status_code == ok


def test_receiver_sees_the_snapshot_only(client: Client, org_b: Any, referral: Referral) -> None:
    body = call(
        as_user(client, org_b["service_focal_point"]), "get", f"{V1}{referral.public_id}/"
    ).json()
    assert body["shared"]["case_code"] == referral.case.person.case_code
    assert "case" not in body and "feedback" not in body and "decline_reason" not in body
    assert "name" not in body["shared"]


def test_whole_workflow_and_closure(
    client: Client, org_a: Any, org_b: Any, consented: Any, service_b: Any
) -> None:
    as_user(client, org_a["caseworker"])
    response = call(
        client,
        "post",
        V1,
        {
            "case": str(consented.public_id),
            "service": str(service_b.public_id),
            "priority": "emergency",
            "reason": "Soins urgents",
            "services_requested": ["health_care"],
        },
    )
    assert response.status_code == 201, response.json()
    rid, version = response.json()["id"], response.json()["version"]
    as_user(client, org_b["service_focal_point"])
    response = call(client, "post", f"{V1}{rid}/accept/", {"version": version})
    assert response.json()["status"] == "accepted"
    stale = call(client, "post", f"{V1}{rid}/decline/", {"version": version, "reason": "x"})
    assert stale.status_code == 409
    response = call(
        client,
        "post",
        f"{V1}{rid}/complete/",
        {
            "version": response.json()["version"],
            "outcome": "delivered",
            "feedback": "OK",
        },
    )
    assert response.status_code == 204
    assert call(client, "get", f"{V1}{rid}/").status_code == 404
    as_user(client, org_a["caseworker"])
    body = call(client, "get", f"{V1}{rid}/").json()
    assert body["status"] == Status.COMPLETED and body["feedback"] == "OK"


def test_refused_without_consent_and_unknown_fields(
    client: Client, org_a: Any, case_a: Any, service_b: Any
) -> None:
    as_user(client, org_a["caseworker"])
    body = {
        "case": str(case_a.public_id),
        "service": str(service_b.public_id),
        "priority": "normal",
        "reason": "Soins",
    }
    response = call(client, "post", V1, body)
    assert response.status_code == 400
    assert "consent" in response.json()
    response = call(client, "post", V1, {**body, "name": "x"})
    assert response.status_code == 400 and "name" in response.json()
    assert not Referral.objects.exists()


def test_pathways_endpoint(
    client: Client, org_a: Any, org_b: Any, case_a: Any, service_b: Any
) -> None:
    url = f"{V1}pathways/?case={case_a.public_id}&need=health_care"
    assert call(as_user(client, org_b["caseworker"]), "get", url).status_code == 404
    response = call(as_user(client, org_a["caseworker"]), "get", url)
    assert response.status_code == 200
    assert [row["service"] for row in response.json()] == [str(service_b.public_id)]


def test_transfer_through_the_api(
    client: Client, org_a: Any, org_b: Any, consented: Any, service_b: Any
) -> None:
    from kariya.cases.models import Case

    body = {"case": str(consented.public_id), "service": str(service_b.public_id), "reason": "x"}
    assert (
        call(as_user(client, org_a["caseworker"]), "post", f"{V1}transfer/", body).status_code
        == 404
    )
    response = call(as_user(client, org_a["supervisor"]), "post", f"{V1}transfer/", body)
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "transfer"
    rid, version = response.json()["id"], response.json()["version"]
    as_user(client, org_b["service_focal_point"])
    missing = call(client, "post", f"{V1}{rid}/accept/", {"version": version})
    assert missing.status_code == 400 and "caseworker" in missing.json()
    done = call(
        client,
        "post",
        f"{V1}{rid}/accept/",
        {
            "version": version,
            "caseworker": str(org_b["caseworker"].public_id),
        },
    )
    assert done.status_code == 204
    assert Case.objects.get(pk=consented.pk).organisation == org_b.org
