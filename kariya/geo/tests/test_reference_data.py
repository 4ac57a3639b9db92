"""The reference geography loaded by the migrations: what every installation starts with."""

from __future__ import annotations

import pytest

from kariya.geo.loading import QUICK_PICK, SITE_REGIONS, assign_site_regions
from kariya.geo.models import AdminUnit, Country, Site

pytestmark = pytest.mark.django_db


def test_counts_8_regions_67_departments_266_communes() -> None:
    counts = {level: AdminUnit.objects.filter(level=level).count() for level in (1, 2, 3)}
    assert counts == {1: 8, 2: 67, 3: 266}
    assert AdminUnit.objects.count() == 341


def test_every_unit_hangs_from_its_parent_by_pcode() -> None:
    units = {u.pk: u for u in AdminUnit.objects.all()}
    for unit in units.values():
        if unit.level == 1:
            assert unit.parent_id is None, unit.pcode
            assert len(unit.pcode) == 5
            continue
        parent = units[unit.parent_id]
        assert parent.level == unit.level - 1, unit.pcode
        assert unit.pcode[:-3] == parent.pcode, unit.pcode


def test_known_units_and_reference_names() -> None:
    names = dict(AdminUnit.objects.values_list("pcode", "name_fr"))
    assert names["NE008"] == "Niamey"
    assert names["NE008001004"] == "Niamey IV"
    assert names["NE003008004"] == "Tibiri"
    tillaberi = AdminUnit.objects.get(pcode="NE006")
    assert (tillaberi.name_fr, tillaberi.name_ref) == ("Tillabéri", "Tillaberi")
    # The four urban "Ville de" units make 67 admin-2 units, not 63.
    villes = AdminUnit.objects.departments().filter(name_fr__startswith="Ville de")
    assert sorted(villes.values_list("pcode", flat=True)) == [
        "NE004007",
        "NE005013",
        "NE007011",
        "NE008001",
    ]


def test_every_commune_has_a_point_inside_niger() -> None:
    communes = AdminUnit.objects.communes()
    assert not communes.filter(lat__isnull=True).exists()
    for lon, lat in communes.values_list("lon", "lat"):
        assert 0 <= lon <= 16.5 and 11.5 <= lat <= 23.6


def test_countries_with_quick_picks_in_order() -> None:
    assert Country.objects.count() == 249
    picks = list(
        Country.objects.filter(quick_pick__isnull=False)
        .order_by("quick_pick")
        .values_list("iso3", flat=True)
    )
    assert picks == QUICK_PICK
    assert Country.objects.get(iso3="NER").name_fr == "Niger"


def test_every_shipped_site_has_its_region() -> None:
    sites = {s.name: s for s in Site.objects.select_related("commune", "region")}
    assert len(sites) == 12
    for site in sites.values():
        assert site.region is not None, site.name
        assert site.region.level == 1
        if site.commune:
            assert site.region.pcode == site.commune.pcode[:5], site.name
    assert sites["Assamaka"].region.pcode == "NE001"
    assert sites["Point Zéro"].region.name_fr == "Agadez"
    assert sites["Tahoua"].region.pcode == "NE005"
    assert sites["Dan Issa"].region.name_fr == "Maradi"


def test_assign_site_regions_fills_only_what_is_missing() -> None:
    Site.objects.filter(name__in=["Assamaka", "Magaria"]).update(region=None)
    assert assign_site_regions(Site, AdminUnit) == 2
    assert Site.objects.get(name="Assamaka").region.pcode == SITE_REGIONS["Assamaka"]
    assert Site.objects.get(name="Magaria").region.pcode == "NE007"
    assert assign_site_regions(Site, AdminUnit) == 0
