"""Fixtures of the public site's tests: directory entries in every state, through the
directory's own services (kariya.directory.factories)."""

from __future__ import annotations

from typing import Any

import pytest

from kariya.directory import factories
from kariya.directory import services as directory_services
from kariya.directory.models import Service


@pytest.fixture
def published(org_a: Any) -> Service:
    """A published entry of ALPHA, in the four languages, with a phone and hours."""
    return factories.published(
        org_a["service_focal_point"],
        org_a["network_coordinator"],
        name_ha="Shawarwarin likita kyauta",
        name_ar="استشارات طبية مجانية",
        description_fr="Consultations pour toute personne, sans papiers demandés.",
    )


@pytest.fixture
def draft(org_a: Any) -> Service:
    return factories.draft(org_a["service_focal_point"], name_fr="Brouillon invisible")


@pytest.fixture
def archived(org_a: Any) -> Service:
    service = factories.published(
        org_a["service_focal_point"], org_a["network_coordinator"], name_fr="Service fermé"
    )
    return directory_services.service_archive(
        actor=org_a["network_coordinator"], service=service, expected_version=service.version
    )
