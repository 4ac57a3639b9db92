"""Reads of admin units, sites and countries.

These are network-wide reference data, not personal data: every user holding ``geo.view``
sees all of them, so there is no per-record access rule (and no ``access.py``).
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kariya.geo.loading import fold
from kariya.geo.models import AdminLevel, AdminUnit, Country, Site

PCODE_PREFIX = re.compile(r"^NE\d*$", re.IGNORECASE)


def name_filter(search: str, prefix: str = "") -> Q:
    """Match a name with or without its accents ("tillaberi" finds "Tillabéri")."""
    search = " ".join(search.split())
    folded = fold(search)
    return (
        Q(**{f"{prefix}name_fr__icontains": search})
        | Q(**{f"{prefix}name_fr__icontains": folded})
        | Q(**{f"{prefix}name_ref__icontains": folded})
    )


def adminunit_list(
    *, level: int | None = None, parent: str = "", region: str = "", search: str = ""
) -> QuerySet[AdminUnit]:
    """Units with their parent and grandparent loaded, in P-code order (region by region).

    ``parent`` is a P-code: its direct children. ``region`` is a region's P-code: P-codes are
    hierarchical, so a prefix match finds the region, its departments and their communes.
    ``search`` is part of a name, accents optional, or the start of a P-code.
    """
    qs = AdminUnit.objects.select_related("parent__parent").order_by("pcode")
    if level is not None:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__pcode=parent.upper())
    if region:
        qs = qs.filter(pcode__startswith=region.upper())
    search = search.strip()
    if search:
        condition = name_filter(search)
        if PCODE_PREFIX.match(search):
            condition |= Q(pcode__startswith=search.upper())
        qs = qs.filter(condition)
    return qs


def adminunit_get(*, pcode: str) -> AdminUnit:
    """One unit by P-code with its parent chain, or 404."""
    return get_object_or_404(
        AdminUnit.objects.select_related("parent__parent"), pcode=pcode.strip().upper()
    )


def adminunit_children(*, unit: AdminUnit) -> QuerySet[AdminUnit]:
    # Bounded by the geography itself: at most 13 departments in a region, 12 communes in a
    # department.
    return AdminUnit.objects.filter(parent=unit).order_by("pcode")


def regions() -> QuerySet[AdminUnit]:
    return AdminUnit.objects.regions().order_by("name_fr")


def communes() -> QuerySet[AdminUnit]:
    """Communes by name, with department and region for labels that tell homonyms apart."""
    return (
        AdminUnit.objects.communes().active().select_related("parent__parent").order_by("name_fr")
    )


def _sites() -> QuerySet[Site]:
    return Site.objects.select_related("commune__parent", "region")


def site_list(
    *, kind: str = "", region: str = "", search: str = "", status: str = ""
) -> QuerySet[Site]:
    """Sites, active ones unless ``status`` is "inactive" or "all"; ``region`` is a P-code."""
    qs = _sites().order_by("name", "kind")
    if status == "inactive":
        qs = qs.filter(is_active=False)
    elif status != "all":
        qs = qs.filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if region:
        qs = qs.filter(region__pcode=region.upper())
    search = " ".join(search.split())
    if search:
        qs = qs.filter(name__icontains=search)
    return qs


def sites_in(*, unit: AdminUnit) -> QuerySet[Site]:
    """Active sites inside a region, department or commune."""
    qs = _sites().filter(is_active=True).order_by("name", "kind")
    if unit.level == AdminLevel.REGION:
        return qs.filter(region=unit)
    if unit.level == AdminLevel.DEPARTMENT:
        return qs.filter(commune__parent=unit)
    return qs.filter(commune=unit)


def site_get(*, public_id: UUID | str) -> Site:
    return get_object_or_404(_sites(), public_id=public_id)


def country_list(*, search: str = "") -> QuerySet[Country]:
    qs = Country.objects.filter(is_active=True).order_by("name_fr")
    search = search.strip()
    if search:
        qs = qs.filter(
            Q(iso3__iexact=search)
            | Q(iso2__iexact=search)
            | Q(name_fr__icontains=search)
            | Q(name_en__icontains=search)
        )
    return qs


def _sort_key(name: str) -> str:
    return fold(name).casefold()


def country_choices(*, grouped: bool = False) -> list[Any]:
    """Active countries as ``(iso3, name)`` choices for nationality and country fields.

    The nationalities most seen in Niger come first, in quick-pick order, then every other
    country by its name in the current language (accents ignored, so "Égypte" sorts under E).
    With ``grouped`` the two parts are option groups of a ``<select>``.
    """
    english = (get_language() or "fr").startswith("en")
    rows = list(
        Country.objects.filter(is_active=True).values_list(
            "iso3", "name_en", "name_fr", "quick_pick"
        )
    )
    named = [(iso3, en if english else fr, pick) for iso3, en, fr, pick in rows]
    picks = sorted((pick, iso3, name) for iso3, name, pick in named if pick is not None)
    quick = [(iso3, name) for _pick, iso3, name in picks]
    rest = sorted(
        ((iso3, name) for iso3, name, pick in named if pick is None),
        key=lambda c: _sort_key(c[1]),
    )
    if grouped:
        return [(_("Most frequent"), quick), (_("All other countries"), rest)]
    return quick + rest
