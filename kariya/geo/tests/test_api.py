"""The read-only geography API: four ways, filters, constant query counts."""

from __future__ import annotations

from typing import Any

import pytest

from kariya.geo.factories import SiteFactory
from kariya.geo.models import Site

API = "/api/v1"


def endpoints() -> list[str]:
    site = Site.objects.get(name="Assamaka")
    return [
        f"{API}/admin-units/",
        f"{API}/admin-units/NE008001004/",
        f"{API}/countries/",
        f"{API}/countries/NER/",
        f"{API}/sites/",
        f"{API}/sites/{site.public_id}/",
    ]


def test_every_endpoint_four_ways(client: Any, org_a: Any, org_b: Any, no_role: Any) -> None:
    for url in endpoints():
        client.logout()
        assert client.get(url).status_code in {401, 403}, url
        client.force_login(no_role)
        assert client.get(url).status_code == 404, url
        for user in (org_a["caseworker"], org_b["me_officer"]):
            client.force_login(user)
            assert client.get(url).status_code == 200, url


def test_endpoints_are_read_only(client: Any, org_a: Any) -> None:
    client.force_login(org_a["network_coordinator"])
    site = Site.objects.get(name="Assamaka")
    assert client.post(f"{API}/sites/", {"name": "x"}).status_code == 405
    assert client.delete(f"{API}/sites/{site.public_id}/").status_code == 405
    assert client.patch(f"{API}/admin-units/NE008/", {}).status_code == 405


def results(client: Any, url: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_admin_unit_filters(client: Any, org_a: Any) -> None:
    client.force_login(org_a["caseworker"])
    url = f"{API}/admin-units/"
    assert len(results(client, url, level=1)) == 8
    assert client.get(url, {"level": 3}).json()["count"] == 266
    assert [u["pcode"] for u in results(client, url, parent="NE008")] == ["NE008001"]
    communes = results(client, url, parent="ne008001")
    assert [u["name_fr"] for u in communes] == [
        f"Niamey {n}" for n in ("I", "II", "III", "IV", "V")
    ]
    assert {u["parent"] for u in communes} == {"NE008001"}
    assert [u["pcode"] for u in results(client, url, search="tillaberi", level=1)] == ["NE006"]
    assert [u["pcode"] for u in results(client, url, search="NE0080010")] == [
        f"NE00800100{n}" for n in range(1, 6)
    ]
    assert client.get(url, {"region": "NE001", "level": 2}).json()["count"] == 6
    assert results(client, url, search="NE008001004")[0] == {
        "pcode": "NE008001004",
        "level": 3,
        "name_fr": "Niamey IV",
        "name_ref": "",
        "parent": "NE008001",
        "lon": pytest.approx(2.1, abs=0.2),
        "lat": pytest.approx(13.5, abs=0.2),
        "is_active": True,
    }


@pytest.mark.parametrize("query", [{"level": "7"}, {"parent": "Niamey"}, {"region": "NE0080"}])
def test_bad_filters_are_a_400(client: Any, org_a: Any, query: dict[str, str]) -> None:
    client.force_login(org_a["caseworker"])
    response = client.get(f"{API}/admin-units/", query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_site_filters(client: Any, org_a: Any) -> None:
    Site.objects.filter(name="Madama").update(is_active=False)
    client.force_login(org_a["caseworker"])
    url = f"{API}/sites/"
    names = [s["name"] for s in results(client, url, region="NE001", kind="border_point")]
    assert names == ["Assamaka", "Point Zéro"]
    assert [s["name"] for s in results(client, url, status="inactive")] == ["Madama"]
    assert [s["name"] for s in results(client, url, search="issa")] == ["Dan Issa"]
    dan_issa = results(client, url, search="issa")[0]
    assert (dan_issa["commune"], dan_issa["region"]) == ("NE004006001", "NE004")
    assert client.get(url, {"kind": "camp"}).status_code == 400


def test_country_search(client: Any, org_a: Any) -> None:
    client.force_login(org_a["caseworker"])
    assert [c["iso3"] for c in results(client, f"{API}/countries/", search="ner")] == ["NER"]
    nga = client.get(f"{API}/countries/NGA/").json()
    assert (nga["name_fr"], nga["quick_pick"]) == ("Nigeria", 2)


@pytest.mark.parametrize(
    "path",
    [
        "admin-units/?level=3&page_size=200",
        "admin-units/?parent=NE001",
        "admin-units/?search=tillaberi",
        "countries/?page_size=200",
        "sites/?page_size=200",
        "sites/?region=NE001",
    ],
)
def test_list_endpoints_query_count_is_constant(
    client: Any, org_a: Any, django_assert_num_queries: Any, path: str
) -> None:
    client.force_login(org_a["caseworker"])
    SiteFactory.create_batch(30)
    # Session, user, roles; the count; one page with parents/communes/regions joined.
    with django_assert_num_queries(5):
        response = client.get(f"{API}/{path}")
    assert response.status_code == 200
    assert len(response.json()["results"]) >= 3


def test_the_schema_documents_the_filters(client: Any, org_a: Any) -> None:
    client.force_login(org_a["caseworker"])
    response = client.get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()

    def section(path: str) -> str:
        start = text.index(f"  {path}:\n")
        return text[start : text.index("\n  /", start + 1)]

    for path, names in (
        ("/api/v1/admin-units/", ["level", "parent", "region", "search"]),
        ("/api/v1/sites/", ["kind", "region", "search", "status"]),
        ("/api/v1/countries/", ["search"]),
    ):
        for name in names:
            assert f"name: {name}\n" in section(path), (path, name)
