"""Reads for import and export: the lookups an import needs, offices, recent imports."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kariya.accounts.models import Office, User
from kariya.accounts.roles import Role
from kariya.codelists.models import Code
from kariya.exchange import access
from kariya.exchange.models import ImportRun
from kariya.geo.models import AdminLevel, AdminUnit, Country

CODE_LISTS = ("language", "population_category", "document_type")


def offices_for(actor: Any) -> QuerySet[Office]:
    """The active offices of the actor's organisation (where people are registered)."""
    return Office.objects.filter(  # type: ignore[no-any-return]
        organisation_id=actor.organisation_id, is_active=True
    ).order_by("name")


def caseworkers_for(actor: Any) -> QuerySet[User]:
    """Active caseworkers of the actor's organisation, with their roles (no query per user)."""
    return (  # type: ignore[no-any-return]
        User.objects.filter(
            organisation_id=actor.organisation_id, is_active=True, roles__role=Role.CASEWORKER
        )
        .prefetch_related("roles")
        .order_by("username")
        .distinct()
    )


def active_codes(list_name: str) -> list[Code]:
    return list(Code.objects.active().of(list_name).order_by("order", "code"))


def countries() -> list[Country]:
    return list(Country.objects.order_by("iso3"))


def communes() -> list[AdminUnit]:
    return list(
        AdminUnit.objects.filter(level=AdminLevel.COMMUNE)
        .select_related("parent__parent")
        .order_by("pcode")
    )


def import_runs_for(actor: Any) -> QuerySet[ImportRun]:
    """The organisation's imports, newest first; empty for a role that does not import."""
    if not access.can_import(actor):
        return ImportRun.objects.none()  # type: ignore[no-any-return]
    return ImportRun.objects.filter(  # type: ignore[no-any-return]
        organisation_id=actor.organisation_id
    ).select_related("office", "created_by")
