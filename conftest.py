"""Root fixtures: two organisations, each with one user per role (RapidPro's habit), so every
test of personal data can check that the other organisation sees nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from kariya.accounts.factories import TEST_PASSWORD, OfficeFactory, OrganisationFactory, UserFactory
from kariya.accounts.models import Organisation, User
from kariya.accounts.roles import Role
from kariya.core.memo import reference_changed
from kariya.geo.models import AdminUnit
from kariya.matching.dictionary import forget as variants_forget


@pytest.fixture(autouse=True)
def _fresh_reference_memo() -> None:
    """Choices kept from reference data (kariya.core.memo) and the name variant dictionary in
    force (kariya.matching.dictionary) are per process: a test must not see what an earlier
    test's rolled-back rows gave."""
    reference_changed()
    variants_forget()


@dataclass
class OrgWorld:
    org: Organisation
    users: dict[str, User] = field(default_factory=dict)

    def __getitem__(self, role: str) -> User:
        return self.users[role]


def _world(name: str, acronym: str, commune: str) -> OrgWorld:
    org = OrganisationFactory(name=name, acronym=acronym)
    OfficeFactory(
        organisation=org, name=f"{acronym} siège", commune=AdminUnit.objects.get(pcode=commune)
    )
    world = OrgWorld(org=org)
    for role in Role:
        world.users[role.value] = UserFactory(
            username=f"{acronym.lower()}_{role.value}", organisation=org, roles=[role.value]
        )
    return world


@pytest.fixture
def org_a(db: Any) -> OrgWorld:
    return _world("Association Alpha pour les migrants", "ALPHA", "NE001003001")


@pytest.fixture
def org_b(db: Any) -> OrgWorld:
    return _world("Réseau Bêta des droits humains", "BETA", "NE008001001")


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def login(client: Any) -> Any:
    """Log ``user`` into the test client and return the client."""

    def _login(user: User) -> Any:
        client.force_login(user)
        return client

    return _login
