"""site_create / site_update: the rules on sites, and their audit events."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kariya.core.models import AuditEvent
from kariya.geo import services
from kariya.geo.factories import SiteFactory
from kariya.geo.models import AdminUnit, Site, SiteKind


def unit(pcode: str) -> AdminUnit:
    return AdminUnit.objects.get(pcode=pcode)


def errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_create_takes_the_region_from_the_commune_and_is_audited(org_a: Any) -> None:
    actor = org_a["monitor"]
    site = services.site_create(
        actor=actor,
        name="  Guichet   gare routière ",
        kind=SiteKind.HELP_DESK,
        commune=unit("NE001006001"),
        lat=16.97,
        lon=7.99,
    )
    site.refresh_from_db()
    assert site.name == "Guichet gare routière"
    assert site.region.pcode == "NE001"
    event = AuditEvent.objects.get(object_type="geo.site", object_id=str(site.public_id))
    assert (event.action, event.actor, event.organisation) == ("create", actor, org_a.org)
    assert event.changed_fields == sorted(
        ["commune", "is_active", "kind", "lat", "lon", "name", "region"]
    )


def test_a_site_in_no_single_commune_needs_its_region(org_a: Any) -> None:
    site = services.site_create(
        actor=org_a["monitor"], name="Puits d'Esso", kind=SiteKind.OTHER, region=unit("NE001")
    )
    assert site.commune is None and site.region.pcode == "NE001"
    with pytest.raises(ValidationError) as caught:
        services.site_create(actor=org_a["monitor"], name="Nulle part", kind=SiteKind.OTHER)
    assert list(errors(caught)) == ["region"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"commune": "NE001006"}, "commune"),  # a department
        ({"commune": None, "region": "NE001006001"}, "region"),  # a commune as region
        ({"commune": "NE001006001", "region": "NE008"}, "region"),  # commune elsewhere
        ({"lat": 17.0}, "lon"),
        ({"lon": 8.0}, "lat"),
        ({"lat": 17.0, "lon": 20.0}, "lon"),
        ({"lat": 9.0, "lon": 8.0}, "lat"),
        ({"lat": float("nan"), "lon": 8.0}, "lat"),
        ({"kind": "camp"}, "kind"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 121}, "name"),
    ],
)
def test_create_refuses_what_breaks_a_rule(org_a: Any, fields: dict[str, Any], field: str) -> None:
    values: dict[str, Any] = {"name": "Nouveau site", "kind": SiteKind.CHECKPOINT}
    values["commune"] = unit("NE001006001")
    for key, value in fields.items():
        values[key] = unit(value) if key in {"commune", "region"} and value else value
    before = Site.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.site_create(actor=org_a["monitor"], **values)
    assert field in errors(caught)
    assert Site.objects.count() == before
    assert not AuditEvent.objects.filter(object_type="geo.site").exists()


def test_all_problems_are_reported_together(org_a: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.site_create(
            actor=org_a["monitor"], name="", kind="camp", commune=unit("NE001"), lat=50.0
        )
    assert set(errors(caught)) == {"name", "kind", "commune", "lat", "lon"}


def test_names_are_unique_per_kind_whatever_the_case(org_a: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.site_create(
            actor=org_a["monitor"],
            name="ASSAMAKA",
            kind=SiteKind.BORDER_POINT,
            region=unit("NE001"),
        )
    assert "already exists" in errors(caught)["name"][0]
    other_kind = services.site_create(
        actor=org_a["monitor"], name="Assamaka", kind=SiteKind.HELP_DESK, region=unit("NE001")
    )
    assert other_kind.pk


def test_update_records_what_changed(org_a: Any) -> None:
    site = SiteFactory(name="Centre de transit", kind=SiteKind.TRANSIT_CENTRE)
    services.site_update(
        actor=org_a["network_coordinator"],
        site=site,
        description="Géré avec la mairie",
        commune=unit("NE008001004"),
    )
    site.refresh_from_db()
    assert site.commune.pcode == "NE008001004"
    assert site.region.pcode == "NE008"  # follows the new commune
    event = AuditEvent.objects.get(object_id=str(site.public_id))
    assert event.action == "update"
    assert event.changed_fields == ["commune", "description", "region"]


def test_an_update_that_changes_nothing_writes_nothing(org_a: Any) -> None:
    site = SiteFactory()
    services.site_update(actor=org_a["monitor"], site=site, name=site.name, kind=site.kind)
    assert not AuditEvent.objects.filter(object_id=str(site.public_id)).exists()


def test_update_keeps_the_rules(org_a: Any) -> None:
    site = SiteFactory(name="Poste A", kind=SiteKind.CHECKPOINT)
    SiteFactory(name="Poste B", kind=SiteKind.CHECKPOINT)
    with pytest.raises(ValidationError) as caught:
        services.site_update(actor=org_a["monitor"], site=site, name="poste b")
    assert list(errors(caught)) == ["name"]
    assert Site.objects.get(pk=site.pk).name == "Poste A"
    with pytest.raises(TypeError):
        services.site_update(actor=org_a["monitor"], site=site, public_id="x")


def test_retiring_a_site_keeps_it(org_a: Any) -> None:
    site = SiteFactory()
    services.site_update(actor=org_a["monitor"], site=site, is_active=False)
    assert Site.objects.get(pk=site.pk).is_active is False
    assert AuditEvent.objects.get(object_id=str(site.public_id)).changed_fields == ["is_active"]
