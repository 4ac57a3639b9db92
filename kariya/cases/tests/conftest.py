"""Fixtures of the cases tests: messages asserted in English (the source language)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from kariya.cases.factories import open_case
from kariya.cases.models import Case


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def case(org_a: Any) -> Case:
    """A case of organisation A, assigned to its caseworker."""
    return open_case(org_a["caseworker"])
