"""Helpers for tests and the demo: directory entries built through the services, so they carry
the rows, versions and audit events the application writes. Synthetic only."""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Any

from kariya.accounts.models import User
from kariya.codelists.models import Code
from kariya.directory import services
from kariya.directory.models import Service
from kariya.directory.services import Channel, Hours, ServiceContent
from kariya.geo.models import AdminUnit

WEEKDAYS_8_TO_5 = tuple(Hours(day, datetime.time(8, 0), datetime.time(17, 0)) for day in range(5))


def content(focal_point: User, **overrides: Any) -> ServiceContent:
    """A valid content: general health care in Agadez commune, Monday to Friday."""
    base = ServiceContent(
        service_type=Code.objects.get(list="service_type", code="health_care"),
        name_fr="Consultations médicales gratuites",
        name_en="Free medical consultations",
        focal_point=focal_point,
        commune=AdminUnit.objects.get(pcode="NE001003001"),
        address="Quartier Dagmanet",
        hours=WEEKDAYS_8_TO_5,
        languages=(Code.objects.get(list="language", code="fra"),),
        channels=(Channel(kind="phone", value="+227 90 12 34 56"),),
    )
    return replace(base, **overrides)


def draft(actor: User, *, focal_point: User | None = None, **overrides: Any) -> Service:
    return services.service_create(actor=actor, content=content(focal_point or actor, **overrides))


def submitted(actor: User, **overrides: Any) -> Service:
    service = draft(actor, **overrides)
    return services.service_submit(actor=actor, service=service, expected_version=service.version)


def published(actor: User, moderator: User, **overrides: Any) -> Service:
    """An entry written and submitted by ``actor``, approved by ``moderator``."""
    service = submitted(actor, **overrides)
    return services.service_approve(
        actor=moderator, service=service, expected_version=service.version
    )
