"""Referral pathways: eligibility filters, nearness and availability rank, reasons shown."""

from __future__ import annotations

from typing import Any

from kariya.directory import factories as directory
from kariya.directory import services as directory_services
from kariya.geo.models import AdminUnit
from kariya.people import services as people_services
from kariya.people.factories import register
from kariya.referrals.pathways import pathways_for, traits_of


def _at(org_a: Any, org_b: Any, pcode: str, name: str, **overrides: Any) -> Any:
    return directory.published(
        org_b["service_focal_point"],
        org_a["network_coordinator"],
        commune=AdminUnit.objects.get(pcode=pcode),
        name_fr=name,
        **overrides,
    )


def test_ranked_by_availability_then_nearness(org_a: Any, org_b: Any) -> None:
    person = register(org_a["caseworker"], sex="female", birth_year=2000)
    people_services.migration_profile_save(
        actor=org_a["caseworker"],
        person=person,
        data=people_services.MigrationInput(
            current_commune=AdminUnit.objects.get(pcode="NE001003001")
        ),
    )
    niamey = _at(org_a, org_b, "NE008001001", "Niamey")
    abala = _at(org_a, org_b, "NE006001001", "Abala")
    region = _at(org_a, org_b, "NE001001001", "Même région")
    department = _at(org_a, org_b, "NE001003002", "Dirkou")
    commune = _at(org_a, org_b, "NE001003001", "Bilma")
    full = _at(org_a, org_b, "NE001003001", "Bilma complet")
    directory_services.service_set_availability(
        actor=org_b["service_focal_point"],
        service=full,
        expected_version=full.version,
        availability="full",
    )
    _at(org_a, org_b, "NE001003001", "Hommes seulement", eligible_sex="male")
    _at(org_a, org_b, "NE001003001", "Enfants", max_age=17)
    _at(
        org_a,
        org_b,
        "NE001003001",
        "Autre besoin",
        service_type=directory.Code.objects.get(list="service_type", code="food"),
    )
    found = pathways_for(traits_of(person), commune.service_type)
    assert [p.service.name_fr for p in found] == [
        "Bilma",
        "Dirkou",
        "Même région",
        "Abala",
        "Niamey",
        "Bilma complet",
    ]
    assert [p.service for p in found][:5] == [commune, department, region, abala, niamey]
    assert "In the person's commune." in found[0].reasons
    assert "In the person's department." in found[1].reasons
    assert any("km away" in r for r in found[3].reasons)
    assert found[-1].available is False
    assert "Availability: Full." in found[-1].reasons


def test_unknown_place_still_lists(org_a: Any, org_b: Any) -> None:
    person = register(org_a["caseworker"])
    service = _at(org_a, org_b, "NE008001001", "Niamey")
    found = pathways_for(traits_of(person), service.service_type)
    assert [p.service for p in found] == [service]
    assert "The person's current commune is not recorded." in found[0].reasons
