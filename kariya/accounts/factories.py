"""factory_boy factories for organisations, offices and users (tests and the demo generator)."""

from __future__ import annotations

from typing import Any

import factory

from kariya.accounts.models import (
    Office,
    OfficeKind,
    Organisation,
    OrganisationType,
    User,
    UserRole,
)
from kariya.geo.models import AdminUnit

TEST_PASSWORD = "kariya-test-pass-2026"  # noqa: S105


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Association test {n}")
    acronym = factory.Sequence(lambda n: f"AT{n}")
    type = OrganisationType.NATIONAL_NGO


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Antenne {n}")
    kind = OfficeKind.ANTENNA
    commune = factory.LazyFunction(lambda: AdminUnit.objects.get(pcode="NE001003001"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Aïcha"
    last_name = "Moussa"
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        obj.save()
        if create and extracted:
            UserRole.objects.bulk_create([UserRole(user=obj, role=r) for r in extracted])
