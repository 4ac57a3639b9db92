"""factory_boy factories and a registration helper for tests (and later the demo generator).

Factories build bare rows; ``register`` goes through ``services.person_register`` so the
identity, consents and search keys are those the application writes. Names and numbers here
are synthetic.
"""

from __future__ import annotations

from typing import Any, cast

import factory

from kariya.accounts.factories import OfficeFactory, OrganisationFactory
from kariya.accounts.models import Office, User
from kariya.codelists.models import Code
from kariya.people import casecodes, services
from kariya.people.models import (
    ConsentGiver,
    ConsentMethod,
    ConsentScope,
    Identity,
    Person,
    Sex,
)


def code(list_name: str, value: str) -> Code:
    return Code.objects.get(list=list_name, code=value)


def services_consent(**overrides: Any) -> services.ConsentInput:
    values: dict[str, Any] = {
        "scope": ConsentScope.SERVICES,
        "given_by": ConsentGiver.SELF,
        "method": ConsentMethod.ORAL_WITNESSED,
        "language": code("language", "hau"),
    }
    values.update(overrides)
    return services.ConsentInput(**values)


def office_of(actor: User) -> Office:
    """The first office of the actor's organisation (conftest gives each one)."""
    office = Office.objects.filter(organisation=actor.organisation).first()
    return (
        office
        if office is not None
        else cast(Office, OfficeFactory(organisation=actor.organisation))
    )


def register(actor: User, **overrides: Any) -> Person:
    """Register a synthetic adult with a services consent through the service."""
    values: dict[str, Any] = {
        "actor": actor,
        "office": office_of(actor),
        "sex": Sex.MALE,
        "birth_year": 1994,
        "birth_estimated": True,
        "given_names": "Moussa",
        "family_names": "Abdou",
        "consents": [services_consent()],
    }
    values.update(overrides)
    return services.person_register(**values)


class PersonFactory(factory.django.DjangoModelFactory):
    """A bare person row with an empty identity (no consent, no search keys)."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    registering_office = factory.SubFactory(
        OfficeFactory, organisation=factory.SelfAttribute("..organisation")
    )
    case_code = factory.LazyFunction(lambda: casecodes.draw("AGZ", casecodes.MAX_LENGTH))
    sex = Sex.FEMALE
    birth_year = 1998
    birth_estimated = True

    @factory.post_generation
    def identity(obj: Person, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create:
            Identity.objects.create(person=obj, organisation=obj.organisation, **kwargs)
