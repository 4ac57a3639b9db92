"""Fixtures of the directory tests: messages asserted in English (the source language)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from kariya.accounts.factories import UserFactory
from kariya.accounts.models import User


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def coordinator2(org_b: Any) -> User:
    """A second network coordinator (another organisation), to approve the first one's own
    submissions."""
    return UserFactory(
        username="beta_coordinator2", organisation=org_b.org, roles=["network_coordinator"]
    )  # type: ignore[no-any-return]
