"""The directory API: every endpoint four ways, the list's scope, filters and flat query count,
field errors with nothing saved, stale versions answered 409, the four-eyes rule, a whole
moderation journey, and the endpoints in the OpenAPI schema."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kariya.accounts.factories import UserFactory
from kariya.codelists.models import Code
from kariya.core.models import AuditAction, AuditEvent
from kariya.directory import services
from kariya.directory.factories import draft, published, submitted
from kariya.directory.models import Service, Status
from kariya.geo.models import AdminUnit

pytestmark = pytest.mark.django_db

V1 = "/api/v1/directory/services/"


def call(client: Client, method: str, url: str, body: Any = None) -> Any:
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@dataclass
class World:
    draft: Service
    submitted: Service
    published: Service
    archived: Service
    fp_a: Any
    fp_b: Any


@pytest.fixture
def world(org_a: Any, org_b: Any) -> World:
    fp_a, coord_b = org_a["service_focal_point"], org_b["network_coordinator"]
    archived = published(fp_a, coord_b, name_fr="Ancien service")
    archived = services.service_archive(
        actor=fp_a, service=archived, expected_version=archived.version
    )
    return World(
        draft=draft(fp_a, name_fr="Brouillon Alpha"),
        submitted=submitted(fp_a, name_fr="Soumis Alpha"),
        published=published(fp_a, coord_b, name_fr="Publié Alpha"),
        archived=archived,
        fp_a=fp_a,
        fp_b=org_b["service_focal_point"],
    )


def content_body(focal_point: Any, **overrides: Any) -> dict[str, Any]:
    body = {
        "service_type": "health_care",
        "name_fr": "Soins de santé primaires",
        "name_en": "Primary health care",
        "focal_point": str(focal_point.public_id),
        "commune": "NE001003001",
        "address": "Quartier Dagmanet",
        "hours": [
            {"weekday": 0, "opens_at": "08:00", "closes_at": "12:30"},
            {"weekday": 0, "opens_at": "15:00", "closes_at": "18:00"},
        ],
        "languages": ["fra", "hau"],
        "nationalities": ["NGA"],
        "min_age": 5,
        "channels": [{"kind": "phone", "value": "+227 90 12 34 56"}],
    }
    return {**body, **overrides}


def _url(service: Service, suffix: str = "") -> str:
    return f"{V1}{service.public_id}/{suffix}"


def _v(service: Service, **extra: Any) -> dict[str, Any]:
    service.refresh_from_db()
    return {"version": service.version, **extra}


@dataclass
class Endpoint:
    method: str
    path: Callable[[World], str]
    body: Callable[[World], Any] | None
    right: str
    wrong: str  # a role of the same organisation without the permission, or "none"
    ok: int
    # 400 naming this field when the other organisation's user sends the same body;
    # "network" when the other organisation's right role is allowed (moderation is network-wide)
    other: str = ""


ENDPOINTS: dict[str, Endpoint] = {
    "retrieve": Endpoint("get", lambda w: _url(w.draft), None, "caseworker", "none", 200),
    "create": Endpoint(
        "post",
        lambda w: V1,
        lambda w: content_body(w.fp_a),
        "service_focal_point",
        "caseworker",
        201,
        other="focal_point",
    ),
    "update": Endpoint(
        "put",
        lambda w: _url(w.draft),
        lambda w: {**content_body(w.fp_a), **_v(w.draft)},
        "service_focal_point",
        "caseworker",
        200,
    ),
    "revise": Endpoint(
        "post",
        lambda w: _url(w.published, "revise/"),
        None,
        "service_focal_point",
        "me_officer",
        200,
    ),
    "submit": Endpoint(
        "post",
        lambda w: _url(w.draft, "submit/"),
        lambda w: _v(w.draft),
        "service_focal_point",
        "caseworker",
        200,
    ),
    "approve": Endpoint(
        "post",
        lambda w: _url(w.submitted, "approve/"),
        lambda w: _v(w.submitted),
        "network_coordinator",
        "service_focal_point",
        200,
        other="network",
    ),
    "reject": Endpoint(
        "post",
        lambda w: _url(w.submitted, "reject/"),
        lambda w: _v(w.submitted, reason="Préciser les horaires."),
        "network_coordinator",
        "service_focal_point",
        200,
        other="network",
    ),
    "archive": Endpoint(
        "post",
        lambda w: _url(w.published, "archive/"),
        lambda w: _v(w.published),
        "service_focal_point",
        "supervisor",
        200,
    ),
    "restore": Endpoint(
        "post",
        lambda w: _url(w.archived, "restore/"),
        lambda w: _v(w.archived),
        "service_focal_point",
        "org_admin",
        200,
    ),
    "verify": Endpoint(
        "post",
        lambda w: _url(w.published, "verify/"),
        lambda w: _v(w.published),
        "service_focal_point",
        "dpo",
        200,
    ),
    "availability": Endpoint(
        "post",
        lambda w: _url(w.published, "availability/"),
        lambda w: _v(w.published, availability="full", note="Complet cette semaine"),
        "service_focal_point",
        "monitor",
        200,
    ),
}


def _user(org: Any, role: str) -> Any:
    if role == "none":
        return UserFactory(
            username=f"{org.org.acronym.lower()}_noroles", organisation=org.org, roles=[]
        )
    return org[role]


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_every_endpoint_four_ways(
    client: Client, org_a: Any, org_b: Any, world: World, name: str
) -> None:
    endpoint = ENDPOINTS[name]
    url, body = endpoint.path(world), endpoint.body(world) if endpoint.body else None
    writes = AuditEvent.objects.filter(
        action__in=[AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE]
    )
    before = writes.count()

    assert call(client, endpoint.method, url, body).status_code in (401, 403), "anonymous"
    client.force_login(_user(org_a, endpoint.wrong))
    assert call(client, endpoint.method, url, body).status_code == 404, "wrong role"
    client.force_login(org_b[endpoint.right])
    response = call(client, endpoint.method, url, body)
    if endpoint.other == "network":
        assert response.status_code == endpoint.ok, response.content
        return
    if endpoint.other:
        assert response.status_code == 400, "other organisation"
        assert endpoint.other in response.json()
    else:
        assert response.status_code == 404, "other organisation"
    assert writes.count() == before, "nothing written"

    client.force_login(org_a[endpoint.right])
    response = call(client, endpoint.method, url, body)
    assert response.status_code == endpoint.ok, response.content


def test_list_four_ways(client: Client, org_a: Any, org_b: Any, world: World) -> None:
    assert client.get(V1).status_code in (401, 403)
    client.force_login(_user(org_a, "none"))
    assert client.get(V1).status_code == 404
    client.force_login(org_b["caseworker"])
    names = {row["name_fr"] for row in client.get(V1).json()["results"]}
    assert names == {"Publié Alpha"}
    client.force_login(org_a["caseworker"])
    rows = client.get(V1).json()["results"]
    assert {row["name_fr"] for row in rows} == {
        "Ancien service",
        "Brouillon Alpha",
        "Soumis Alpha",
        "Publié Alpha",
    }
    assert "email" not in json.dumps(rows[0]["focal_point"])


def test_list_filters_and_bad_filter(client: Client, org_a: Any, org_b: Any, world: World) -> None:
    published(
        org_b["service_focal_point"],
        org_a["network_coordinator"],
        name_fr="Abri Niamey",
        service_type=Code.objects.get(list="service_type", code="shelter"),
        commune=AdminUnit.objects.get(pcode="NE008001001"),
    )
    client.force_login(org_a["caseworker"])

    def names(query: str) -> set[str]:
        return {row["name_fr"] for row in client.get(V1 + query).json()["results"]}

    assert names("?service_type=shelter") == {"Abri Niamey"}
    assert names("?place=NE008") == {"Abri Niamey"}
    assert names("?status=draft") == {"Brouillon Alpha"}
    assert "Abri Niamey" not in names("?own_only=true")
    assert client.get(V1 + "?place=NE999").status_code == 400


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_rows(
    client: Client, org_a: Any, org_b: Any, world: World
) -> None:
    client.force_login(org_a["caseworker"])
    few = _queries(client, V1)
    for number in range(5):
        published(org_b["service_focal_point"], org_a["network_coordinator"], name_fr=f"S {number}")
    assert _queries(client, V1) == few


def test_detail_queries_do_not_grow_with_hours_and_channels(
    client: Client, org_a: Any, world: World
) -> None:
    client.force_login(org_a["caseworker"])
    few = _queries(client, _url(world.draft))
    client.force_login(world.fp_a)
    phones = [{"kind": "phone", "value": f"+227 90 00 00 0{i}"} for i in range(5)]
    body = content_body(world.fp_a, channels=phones)
    call(client, "put", _url(world.draft), {**body, **_v(world.draft)})
    client.force_login(org_a["caseworker"])
    assert _queries(client, _url(world.draft)) == few


# --- writes -----------------------------------------------------------------------------------


def test_create_round_trip(client: Client, org_a: Any) -> None:
    fp = org_a["service_focal_point"]
    client.force_login(fp)
    response = call(client, "post", V1, content_body(fp))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft" and data["version"] == 1
    assert data["hours"] == [
        {"weekday": 0, "opens_at": "08:00:00", "closes_at": "12:30:00"},
        {"weekday": 0, "opens_at": "15:00:00", "closes_at": "18:00:00"},
    ]
    assert data["channels"] == [{"kind": "phone", "value": "+22790123456", "note": ""}]
    assert data["languages"] == ["fra", "hau"] and data["nationalities"] == ["NGA"]
    assert data["region"] == "NE001" and data["commune"] == "NE001003001"
    assert data["focal_point"]["id"] == str(fp.public_id)
    service = Service.objects.get(public_id=data["id"])
    assert service.organisation == org_a.org and service.min_age == 5


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"min_age": 20, "max_age": 10}, "max_age"),
        ({"service_type": "nothing"}, "service_type"),
        ({"commune": None}, "commune"),
        ({"channels": [{"kind": "email", "value": "not-an-address"}]}, "channels"),
        ({"hours": [{"weekday": 0, "opens_at": "12:00", "closes_at": "08:00"}]}, "hours"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_invalid_content_is_a_400_with_nothing_saved(
    client: Client, org_a: Any, overrides: dict[str, Any], field: str
) -> None:
    fp = org_a["service_focal_point"]
    client.force_login(fp)
    response = call(client, "post", V1, content_body(fp, **overrides))
    assert response.status_code == 400
    assert field in response.json()
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("suffix", "method", "extra"),
    [
        ("", "put", "content"),
        ("submit/", "post", {}),
        ("availability/", "post", {"availability": "full"}),
    ],
)
def test_stale_version_is_a_409_and_changes_nothing(
    client: Client, org_a: Any, world: World, suffix: str, method: str, extra: Any
) -> None:
    service = world.draft
    old = service.version
    services.service_set_availability(
        actor=world.fp_a, service=service, expected_version=old, availability="limited"
    )  # someone else saved it meanwhile
    client.force_login(world.fp_a)
    body = content_body(world.fp_a, name_fr="Nouveau nom") if extra == "content" else extra
    response = call(client, method, _url(service, suffix), {**body, "version": old})
    assert response.status_code == 409
    assert response.json()["code"] == "stale"
    service.refresh_from_db()
    assert service.version == old + 1
    assert service.name_fr == "Brouillon Alpha"
    assert service.status == Status.DRAFT and service.availability == "limited"


def test_a_coordinator_cannot_approve_their_own_submission(
    client: Client, org_a: Any, org_b: Any
) -> None:
    coordinator = org_a["network_coordinator"]
    service = submitted(coordinator, name_fr="Service public")
    client.force_login(coordinator)
    response = call(client, "post", _url(service, "approve/"), {"version": service.version})
    assert response.status_code == 400  # the service's four-eyes rule, with its message
    assert response.json()["detail"]
    service.refresh_from_db()
    assert service.status == Status.SUBMITTED


def test_moderation_journey_through_a_revision(
    client: Client, org_a: Any, org_b: Any, world: World
) -> None:
    fp, coordinator = world.fp_a, org_b["network_coordinator"]
    client.force_login(fp)
    created = call(client, "post", V1, content_body(fp)).json()
    url = f"{V1}{created['id']}/"
    call(client, "post", url + "submit/", {"version": created["version"]})
    client.force_login(coordinator)
    entry = call(client, "get", url).json()
    entry = call(client, "post", url + "approve/", {"version": entry["version"]}).json()
    assert entry["status"] == "published"
    client.force_login(fp)
    revision = call(client, "post", url + "revise/").json()
    assert revision["revision_of"] == created["id"] and revision["status"] == "draft"
    revision_url = f"{V1}{revision['id']}/"
    body = {**content_body(fp, name_fr="Soins de santé (révisé)"), "version": revision["version"]}
    revision = call(client, "put", revision_url, body).json()
    revision = call(client, "post", revision_url + "submit/", {"version": revision["version"]})
    assert call(client, "get", url).json()["name_fr"] == "Soins de santé primaires"
    client.force_login(coordinator)
    merged = call(
        client, "post", revision_url + "approve/", {"version": revision.json()["version"]}
    ).json()
    assert merged["id"] == created["id"] and merged["name_fr"] == "Soins de santé (révisé)"
    assert call(client, "get", revision_url).status_code == 404


def test_directory_endpoints_in_the_openapi_schema(tmp_path: Path) -> None:
    target = tmp_path / "schema.yml"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(target), stderr=io.StringIO()
    )
    schema = yaml.safe_load(target.read_text(encoding="utf-8"))
    for suffix in ("", "{id}/", *(f"{{id}}/{a}/" for a in ("submit", "approve", "availability"))):
        assert f"{V1}{suffix}" in schema["paths"], suffix
    parameter = schema["paths"][f"{V1}{{id}}/"]["get"]["parameters"][0]
    assert parameter["schema"]["format"] == "uuid"
