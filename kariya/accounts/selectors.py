"""Reads of organisations and users, already scoped to what the actor may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from kariya.accounts.models import Office, Organisation, User, UserRole
from kariya.accounts.roles import Role


def organisation_list(*, search: str = "", network_status: str = "") -> QuerySet[Organisation]:
    """Member organisations are not personal data: every staff user may list them."""
    qs = Organisation.objects.annotate(
        office_count=Count("offices", filter=Q(offices__is_active=True), distinct=True),
        user_count=Count("users", filter=Q(users__is_active=True), distinct=True),
    ).order_by("acronym")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(acronym__icontains=search))
    if network_status:
        qs = qs.filter(network_status=network_status)
    return qs


def office_list(*, organisation: Organisation) -> QuerySet[Office]:
    return (
        Office.objects.filter(organisation=organisation)
        .select_related("commune__parent__parent")
        .order_by("-is_active", "name")
    )


def office_list_network() -> QuerySet[Office]:
    """Offices of active organisations, for the network-wide API list."""
    return (
        Office.objects.filter(organisation__is_active=True)
        .select_related("organisation", "commune")
        .order_by("organisation__acronym", "name")
    )


def active_user_count(*, organisation: Organisation) -> int:
    return organisation.users.filter(is_active=True).count()


def user_list(
    *, organisation: Organisation, search: str = "", role: str = "", active: str = ""
) -> QuerySet[User]:
    qs = (
        User.objects.filter(organisation=organisation)
        .select_related("office")
        .prefetch_related("roles")
        .order_by("-is_active", "username")
    )
    if search:
        qs = qs.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
        )
    if role:
        qs = qs.filter(roles__role=role)
    if active in {"1", "0"}:
        qs = qs.filter(is_active=active == "1")
    return qs


def role_counts(*, organisation: Organisation) -> dict[str, int]:
    rows = (
        UserRole.objects.filter(user__organisation=organisation, user__is_active=True)
        .values("role")
        .annotate(n=Count("id"))
    )
    counts = {row["role"]: row["n"] for row in rows}
    return {role.value: counts.get(role.value, 0) for role in Role}


def network_summary() -> dict[str, Any]:
    orgs = Organisation.objects.filter(is_active=True)
    by_status = dict(
        orgs.values_list("network_status")
        .annotate(n=Count("id"))
        .values_list("network_status", "n")
    )
    by_type = dict(orgs.values_list("type").annotate(n=Count("id")).values_list("type", "n"))
    offices_by_region = dict(
        Office.objects.filter(is_active=True, organisation__is_active=True)
        .values_list("commune__parent__parent__name_fr")
        .annotate(n=Count("id"))
        .values_list("commune__parent__parent__name_fr", "n")
    )
    return {
        "organisations": orgs.count(),
        "by_status": by_status,
        "by_type": by_type,
        "offices_by_region": dict(sorted(offices_by_region.items())),
        "users": User.objects.filter(is_active=True, organisation__isnull=False).count(),
    }
