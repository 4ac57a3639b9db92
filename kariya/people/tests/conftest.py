"""Fixtures of the people tests: messages asserted in English (the source language)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from kariya.people.factories import register, services_consent
from kariya.people.models import ConsentScope


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def network(org_a: Any, org_b: Any) -> dict[str, Any]:
    """Aïssa Maïga registered by both organisations; Beta's record consents to referral to
    Alpha. Alpha also has her sister and a namesake born 20 years before."""
    alpha, beta = org_a["caseworker"], org_b["caseworker"]
    aissa = register(
        alpha,
        sex="female",
        given_names="Aïssa",
        family_names="Maïga",
        birth_year=1994,
        phone_numbers=["+227 96 11 22 33"],
    )
    sister = register(
        alpha,
        sex="female",
        given_names="Fatouma",
        family_names="Maïga",
        birth_year=1999,
        phone_numbers=["+227 96 11 22 33"],
    )
    namesake = register(
        alpha, sex="female", given_names="Aicha", family_names="Maiga", birth_year=1970
    )
    at_beta = register(
        beta,
        sex="female",
        given_names="Aisha",
        family_names="Maiga",
        birth_year=1995,
        phone_numbers=["96112233"],
        consents=[
            services_consent(),
            services_consent(scope=ConsentScope.REFERRAL, recipient_organisation=org_a.org),
        ],
    )
    return {"aissa": aissa, "sister": sister, "namesake": namesake, "at_beta": at_beta}
