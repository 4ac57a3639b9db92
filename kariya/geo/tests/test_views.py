"""The geography pages: every page four ways, filters, forms, query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kariya.core.models import AuditEvent
from kariya.geo.factories import SiteFactory
from kariya.geo.models import AdminUnit, Site, SiteKind


@pytest.fixture(autouse=True)
def english_pages(client: Any) -> None:
    """Assertions on page text are in English (the source language); French is tested last."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def pages() -> list[tuple[str, str]]:
    """(url, permission) of every geo page."""
    site = Site.objects.get(name="Assamaka")
    return [
        (reverse("geo:adminunit_list"), "geo.view"),
        (reverse("geo:adminunit_detail", args=["NE001"]), "geo.view"),
        (reverse("geo:adminunit_detail", args=["NE008001004"]), "geo.view"),
        (reverse("geo:site_list"), "geo.view"),
        (reverse("geo:site_detail", args=[site.public_id]), "geo.view"),
        (reverse("geo:site_create"), "geo.manage_sites"),
        (reverse("geo:site_edit", args=[site.public_id]), "geo.manage_sites"),
    ]


def test_every_page_four_ways(client: Any, org_a: Any, org_b: Any, no_role: Any) -> None:
    for url, permission in pages():
        client.logout()
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
        # Wrong role: a user without the permission gets the 404 of a missing page.
        client.force_login(no_role)
        assert client.get(url).status_code == 404, url
        if permission == "geo.manage_sites":
            client.force_login(org_a["caseworker"])
            assert client.get(url).status_code == 404, url
        # Right role, in either organisation: sites and units belong to the whole network.
        for user in (org_a["monitor"], org_b["network_coordinator"]):
            client.force_login(user)
            assert client.get(url).status_code == 200, url


def test_unknown_records_are_404(client: Any, org_a: Any) -> None:
    client.force_login(org_a["monitor"])
    assert client.get(reverse("geo:adminunit_detail", args=["NE999"])).status_code == 404
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.get(reverse("geo:site_detail", args=[missing])).status_code == 404
    assert client.get(reverse("geo:site_edit", args=[missing])).status_code == 404


# --- admin units ---------------------------------------------------------------------------


def unit_rows(response: Any) -> list[str]:
    return [u.pcode for u in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"level": "1"}, ["NE001", "NE002", "NE003", "NE004", "NE005", "NE006", "NE007", "NE008"]),
        (
            {"level": "3", "region": "NE008"},
            ["NE008001001", "NE008001002", "NE008001003", "NE008001004", "NE008001005"],
        ),
        ({"q": "tillaberi"}, ["NE006", "NE006012", "NE006012007"]),
        ({"q": "Tillabéri", "level": "2"}, ["NE006012"]),
        ({"q": "nguigmi"}, ["NE002006", "NE002006002"]),
        ({"q": "ne008001"}, ["NE008001", *[f"NE00800100{n}" for n in range(1, 6)]]),
        ({"q": "Tibiri", "level": "3"}, ["NE003008004", "NE004005005"]),
        ({"q": "zzz"}, []),
    ],
)
def test_adminunit_filters(
    client: Any, org_a: Any, query: dict[str, str], expected: list[str]
) -> None:
    client.force_login(org_a["caseworker"])
    response = client.get(reverse("geo:adminunit_list"), query)
    assert response.status_code == 200
    assert unit_rows(response) == expected
    if not expected:
        assert "No administrative unit matches these filters." in response.text


def test_adminunit_list_is_paginated_and_shows_the_parent_chain(client: Any, org_a: Any) -> None:
    client.force_login(org_a["caseworker"])
    response = client.get(reverse("geo:adminunit_list"), {"level": "3", "page": "2"})
    assert response.context["page"].paginator.count == 266
    assert len(unit_rows(response)) == 50
    response = client.get(reverse("geo:adminunit_list"), {"q": "Niamey IV"})
    assert "Ville de Niamey › Niamey" in response.text
    assert 'href="?q=Niamey+IV&amp;page=' not in response.text  # one page: no pager


def test_adminunit_detail_lists_children_and_sites(client: Any, org_a: Any) -> None:
    client.force_login(org_a["caseworker"])
    response = client.get(reverse("geo:adminunit_detail", args=["NE001"]))
    assert [u.pcode for u in response.context["children"]] == [f"NE00100{n}" for n in range(1, 7)]
    sites = [s.name for s in response.context["page"].object_list]
    assert "Assamaka" in sites and "Point Zéro" in sites and "Dan Issa" not in sites
    response = client.get(reverse("geo:adminunit_detail", args=["NE001006001"]))
    assert "Tchirozerine" in response.text  # its department
    assert [s.name for s in response.context["page"].object_list] == ["Agadez"]


def test_adminunit_list_query_count(
    client: Any, org_a: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(org_a["caseworker"])
    url = reverse("geo:adminunit_list")
    # Session, user, roles; the region choices; the count; one page of units with parent and
    # grandparent joined. A region filter adds the lookup of that region. Never per row.
    for query, expected in (
        ({}, 6),
        ({"level": "3", "page": "3"}, 6),
        ({"q": "tillaberi"}, 6),
        ({"level": "3", "region": "NE006"}, 7),
    ):
        with django_assert_num_queries(expected):
            client.get(url, query)


def test_adminunit_detail_query_count(
    client: Any, org_a: Any, django_assert_num_queries: Any
) -> None:
    SiteFactory.create_batch(5)  # in the commune of Agadez
    client.force_login(org_a["caseworker"])
    # Session, user, roles; the unit and its parents; children (not for a commune); sites.
    for pcode, expected in (("NE001", 7), ("NE001006", 7), ("NE001006001", 6)):
        with django_assert_num_queries(expected):
            client.get(reverse("geo:adminunit_detail", args=[pcode]))


# --- sites ---------------------------------------------------------------------------------


def site_names(response: Any) -> list[str]:
    return [s.name for s in response.context["page"].object_list]


def test_site_list_filters_by_kind_and_region(client: Any, org_a: Any) -> None:
    client.force_login(org_a["caseworker"])
    url = reverse("geo:site_list")
    response = client.get(url, {"kind": SiteKind.BORDER_POINT, "region": "NE001"})
    assert site_names(response) == ["Assamaka", "Madama", "Point Zéro"]
    assert site_names(client.get(url, {"region": "NE005"})) == ["Tahoua"]
    assert site_names(client.get(url, {"q": "dan"})) == ["Dan Barto", "Dan Issa"]
    response = client.get(url, {"kind": SiteKind.HELP_DESK})
    assert site_names(response) == []
    assert "No site matches these filters." in response.text


def test_site_list_hides_retired_sites_unless_asked(client: Any, org_a: Any) -> None:
    Site.objects.filter(name="Madama").update(is_active=False)
    client.force_login(org_a["caseworker"])
    url = reverse("geo:site_list")
    assert "Madama" not in site_names(client.get(url))
    assert site_names(client.get(url, {"status": "inactive"})) == ["Madama"]
    assert "Madama" in site_names(client.get(url, {"status": "all"}))


def test_site_list_empty_state(client: Any, org_a: Any) -> None:
    Site.objects.all().delete()
    client.force_login(org_a["monitor"])
    response = client.get(reverse("geo:site_list"))
    assert "No site recorded yet." in response.text
    assert reverse("geo:site_create") in response.text
    client.force_login(org_a["caseworker"])
    response = client.get(reverse("geo:site_list"))
    assert "No site recorded yet." in response.text
    assert reverse("geo:site_create") not in response.text


def test_site_list_query_count_does_not_grow(
    client: Any, org_a: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(org_a["caseworker"])
    url = reverse("geo:site_list")
    # Session, user, roles; region choices; count; one page of sites with commune and region.
    with django_assert_num_queries(6):
        client.get(url)
    SiteFactory.create_batch(60)
    with django_assert_num_queries(6):
        response = client.get(url, {"kind": SiteKind.HELP_DESK})
    assert len(response.context["page"].object_list) == 50
    with django_assert_num_queries(7):  # + the lookup of the region filtered on
        client.get(url, {"region": "NE001", "page": "2"})


# --- site create and edit ------------------------------------------------------------------


VALID = {
    "name": "Guichet d'Arlit",
    "kind": SiteKind.HELP_DESK,
    "commune": "NE001002001",
    "region": "",
    "description": "Ouvert le mardi",
    "lat": "18,7311",
    "lon": "7.4252",
}


def test_create_a_site(client: Any, org_a: Any) -> None:
    client.force_login(org_a["monitor"])
    response = client.post(reverse("geo:site_create"), VALID)
    site = Site.objects.get(name="Guichet d'Arlit")
    assert response.status_code == 302
    assert response["Location"] == reverse("geo:site_detail", args=[site.public_id])
    assert (site.commune.pcode, site.region.pcode) == ("NE001002001", "NE001")
    assert (site.lat, site.lon) == (18.7311, 7.4252)
    event = AuditEvent.objects.get(object_type="geo.site", object_id=str(site.public_id))
    assert (event.action, event.actor) == ("create", org_a["monitor"])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"kind": "camp"}, "kind"),
        ({"commune": "NE001002"}, "commune"),  # a department is not a commune choice
        ({"commune": "", "region": ""}, "region"),
        ({"region": "NE008"}, "region"),  # Arlit is not in Niamey
        ({"lat": "abc"}, "lat"),
        ({"lat": "40"}, "lat"),
        ({"lon": ""}, "lon"),
        ({"name": "Assamaka", "kind": SiteKind.BORDER_POINT}, "name"),
    ],
)
def test_an_invalid_form_is_a_400_with_field_errors_and_nothing_saved(
    client: Any, org_a: Any, changes: dict[str, str], field: str
) -> None:
    client.force_login(org_a["monitor"])
    before = Site.objects.count()
    response = client.post(reverse("geo:site_create"), {**VALID, **changes})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'class="errorlist' in response.text
    assert Site.objects.count() == before
    assert not AuditEvent.objects.filter(object_type="geo.site").exists()


def test_edit_a_site_from_another_organisation(client: Any, org_a: Any, org_b: Any) -> None:
    site = Site.objects.get(name="Assamaka")
    client.force_login(org_b["monitor"])
    form = client.get(reverse("geo:site_edit", args=[site.public_id])).context["form"]
    assert form.initial["region"] == "NE001"
    data = {**{k: v for k, v in form.initial.items() if v is not None}, "is_active": "on"}
    data["description"] = "Poste frontière ; convois officiels d'expulsion"
    data["lat"], data["lon"] = "19.0042", "5.7661"
    response = client.post(reverse("geo:site_edit", args=[site.public_id]), data)
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.description.startswith("Poste frontière")
    assert (site.lat, site.lon, site.region.pcode, site.is_active) == (
        19.0042,
        5.7661,
        "NE001",
        True,
    )
    event = AuditEvent.objects.get(object_type="geo.site", object_id=str(site.public_id))
    assert (event.action, event.actor) == ("update", org_b["monitor"])
    assert event.changed_fields == ["description", "lat", "lon"]


def test_edit_moves_the_region_with_the_commune(client: Any, org_a: Any) -> None:
    site = SiteFactory(name="Bureau mobile")
    client.force_login(org_a["monitor"])
    data = {"name": site.name, "kind": site.kind, "commune": "NE004006001", "is_active": "on"}
    response = client.post(reverse("geo:site_edit", args=[site.public_id]), data)
    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.commune.pcode, site.region.pcode) == ("NE004006001", "NE004")


def test_invalid_edit_keeps_the_saved_site(client: Any, org_a: Any) -> None:
    site = SiteFactory(name="Bureau mobile")
    client.force_login(org_a["monitor"])
    data = {"name": "Bureau fixe", "kind": site.kind, "commune": site.commune.pcode, "lat": "1"}
    response = client.post(reverse("geo:site_edit", args=[site.public_id]), data)
    assert response.status_code == 400
    assert "Edit Bureau mobile" in response.text
    assert Site.objects.get(pk=site.pk).name == "Bureau mobile"


def test_pages_speak_french(client: Any, org_a: Any) -> None:
    client.force_login(org_a["monitor"])
    client.cookies["django_language"] = "fr"
    response = client.get(reverse("geo:site_create"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Ajouter un site" in response.text
    response = client.get(reverse("geo:adminunit_list"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Unités administratives du Niger" in response.text
    assert AdminUnit.objects.exists()
