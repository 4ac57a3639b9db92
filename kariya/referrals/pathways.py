"""Referral pathways: for a need (service type) and a person, the published services that can
take them, ranked, with the reasons.

Ranking, most important first:

1. **availability**: available and limited entries first; full and suspended ones last (kept,
   marked, since a full service may still take an emergency);
2. **nearness** to the person's current commune (migration profile): same commune, then same
   department, then same region, then the distance between commune points (great-circle, km;
   a service at a site uses the site's point); unknown place or points come after known ones;
3. the name, for a stable order.

Eligibility is a filter, not a rank: a service whose eligibility excludes the person (sex, age
from the birth year, nationality, population category) is left out of the pathway, and
``eligibility_problems`` says why when a referral to it is attempted.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kariya.directory.models import Availability, EligibleSex, Service
from kariya.geo.models import AdminUnit
from kariya.people.models import MigrationProfile, Person
from kariya.people.services import youngest_age

UNAVAILABLE = (Availability.FULL, Availability.SUSPENDED)


@dataclass(frozen=True)
class Traits:
    """What eligibility and nearness look at, read once per person."""

    sex: str
    age: int
    nationalities: frozenset[str]
    population_category_id: int | None
    commune: AdminUnit | None


def traits_of(person: Person, *, on: datetime.date | None = None) -> Traits:
    """The person's traits; age from the birth year (the youngest they can be)."""
    profile = (
        MigrationProfile.objects.filter(person_id=person.pk)
        .select_related("current_commune__parent")
        .only("current_commune")
        .first()
    )
    return Traits(
        sex=person.sex,
        age=youngest_age(
            birth_year=person.birth_year, birth_date=None, on=on or timezone.localdate()
        ),
        nationalities=frozenset(person.nationalities.values_list("iso3", flat=True)),
        population_category_id=person.population_category_id,
        commune=profile.current_commune if profile else None,
    )


def eligibility_problems(service: Service, traits: Traits) -> list[str]:
    """Why the service's eligibility excludes the person (empty when it admits them)."""
    problems: list[str] = []
    if service.eligible_sex != EligibleSex.ALL and service.eligible_sex != traits.sex:
        problems.append(
            _("This service is only for: %(who)s.") % {"who": service.get_eligible_sex_display()}
        )
    if service.min_age is not None and traits.age < service.min_age:
        problems.append(_("This service takes people aged %(n)s or more.") % {"n": service.min_age})
    if service.max_age is not None and traits.age > service.max_age:
        problems.append(_("This service takes people aged %(n)s or less.") % {"n": service.max_age})
    listed = {c.iso3 for c in service.nationalities.all()}
    if listed and not listed & traits.nationalities:
        problems.append(_("This service does not take people of this nationality."))
    categories = {c.pk for c in service.population_categories.all()}
    if categories and traits.population_category_id not in categories:
        problems.append(_("This service does not take people of this population category."))
    return problems


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _point(service: Service) -> tuple[float, float] | None:
    for place in (service.commune, service.site):
        if place is not None and place.lat is not None and place.lon is not None:
            return (place.lat, place.lon)
    return None


@dataclass
class Pathway:
    service: Service
    nearness: int  # 0 same commune, 1 department, 2 region, 3 elsewhere, 4 unknown
    distance_km: float | None
    available: bool
    reasons: list[str] = field(default_factory=list)

    def sort_key(self) -> tuple[Any, ...]:
        return (
            not self.available,
            self.nearness,
            self.distance_km if self.distance_km is not None else math.inf,
            self.service.name_fr,
        )


def _nearness(service: Service, commune: AdminUnit | None) -> tuple[int, list[str]]:
    if commune is None:
        return 4, [_("The person's current commune is not recorded.")]
    if service.commune_id == commune.pk:
        return 0, [_("In the person's commune.")]
    if service.commune is not None and service.commune.parent_id == commune.parent_id:
        return 1, [_("In the person's department.")]
    region_id = commune.parent.parent_id if commune.parent else None
    if service.region_id == region_id:
        return 2, [_("In the person's region.")]
    return 3, []


def pathways_for(
    traits: Traits, service_type: Any, *, exclude_unavailable: bool = False
) -> list[Pathway]:
    """The published services of ``service_type`` of active organisations that can take a
    person with ``traits``, ranked (see the module docstring)."""
    candidates = (
        Service.objects.published()
        .filter(service_type=service_type, organisation__is_active=True)
        .eligible_for(
            sex=traits.sex,
            age=traits.age,
            population_category_id=traits.population_category_id,
        )
        .select_related("organisation", "commune__parent", "site", "region")
        .prefetch_related("nationalities", "population_categories")
    )
    origin = (
        (traits.commune.lat, traits.commune.lon)
        if traits.commune is not None
        and traits.commune.lat is not None
        and traits.commune.lon is not None
        else None
    )
    pathways: list[Pathway] = []
    for service in candidates:
        if eligibility_problems(service, traits):  # nationalities: several per person
            continue
        available = service.availability not in UNAVAILABLE
        if exclude_unavailable and not available:
            continue
        nearness, reasons = _nearness(service, traits.commune)
        point = _point(service)
        distance = _distance_km(origin, point) if origin and point else None
        if distance is not None:
            reasons.append(_("About %(km)s km away.") % {"km": round(distance)})
        reasons.append(_("Eligibility: the person meets the conditions listed."))
        reasons.append(
            _("Availability: %(state)s.") % {"state": service.get_availability_display()}
        )
        pathways.append(Pathway(service, nearness, distance, available, reasons))
    pathways.sort(key=Pathway.sort_key)
    return pathways
