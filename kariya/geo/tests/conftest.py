"""Fixtures of the geo tests: the COD-AB file (a copy kept in the repository) and a user with
no role at all, who holds no geo permission (every role may see the geography)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from kariya.accounts.factories import UserFactory
from kariya.accounts.models import User

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the source language (French is tested on its own)."""
    with translation.override("en"):
        yield


@pytest.fixture
def cod_ab_text() -> str:
    return (DATA / "ner_cod_ab_adm3.csv").read_text(encoding="utf-8")


@pytest.fixture
def no_role(org_a: Any) -> User:
    return UserFactory(username="alpha_no_role", organisation=org_a.org, roles=[])
