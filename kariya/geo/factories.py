"""factory_boy factories for sites (tests and the demo generator)."""

from __future__ import annotations

import factory

from kariya.geo.models import AdminUnit, Site, SiteKind


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"Site test {n}")
    kind = SiteKind.HELP_DESK
    commune = factory.LazyFunction(lambda: AdminUnit.objects.get(pcode="NE001006001"))
    region = factory.LazyAttribute(
        lambda o: AdminUnit.objects.get(pcode=o.commune.pcode[:5]) if o.commune else None
    )
