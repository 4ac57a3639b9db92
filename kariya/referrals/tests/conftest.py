"""Fixtures of the referral tests: organisation A refers, organisation B keeps the service."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from kariya.cases.factories import open_case
from kariya.cases.models import Case
from kariya.directory import factories as directory
from kariya.directory.models import Service
from kariya.referrals.factories import referral_consent


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def service_b(org_a: Any, org_b: Any) -> Service:
    """A published health service of organisation B in Niamey, B's focal point in charge."""
    from kariya.geo.models import AdminUnit

    return directory.published(
        org_b["service_focal_point"],
        org_a["network_coordinator"],
        commune=AdminUnit.objects.get(pcode="NE008001001"),
    )


@pytest.fixture
def case_a(org_a: Any) -> Case:
    return open_case(org_a["caseworker"])


@pytest.fixture
def consented(org_a: Any, org_b: Any, case_a: Case) -> Case:
    """Case A whose person consented to be referred to organisation B."""
    referral_consent(org_a["caseworker"], case_a.person, to=org_b.org)
    return case_a
