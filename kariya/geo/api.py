"""Read-only API of the reference geography. Every list costs the same number of queries
whatever its length (parents and communes are joined, never fetched row by row)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from kariya.geo import selectors
from kariya.geo.models import AdminLevel, AdminUnit, Country, Site, SiteKind


class AdminUnitSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    parent = serializers.CharField(  # type: ignore[assignment]  # a field, not Field.parent
        source="parent.pcode", read_only=True, default=None
    )

    class Meta:
        model = AdminUnit
        fields = ["pcode", "level", "name_fr", "name_ref", "parent", "lon", "lat", "is_active"]
        read_only_fields = fields


class CountrySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Country
        fields = ["iso3", "iso2", "name_en", "name_fr", "quick_pick"]
        read_only_fields = fields


class SiteSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    commune = serializers.CharField(source="commune.pcode", read_only=True, default=None)
    region = serializers.CharField(source="region.pcode", read_only=True, default=None)

    class Meta:
        model = Site
        fields = [
            "id",
            "name",
            "kind",
            "commune",
            "region",
            "description",
            "lon",
            "lat",
            "is_active",
        ]
        read_only_fields = fields


# --- query-string filters (validated: a bad value is a 400, not an empty list) -------------


class AdminUnitFilters(serializers.Serializer):  # type: ignore[type-arg]
    level = serializers.ChoiceField(
        choices=AdminLevel.choices, required=False, help_text=_("1 region, 2 department, 3 commune")
    )
    parent = serializers.RegexField(  # type: ignore[assignment]
        r"^[Nn][Ee](\d{3}){1,2}$",
        required=False,
        help_text=_("P-code of the parent unit: its direct children"),
    )
    region = serializers.RegexField(
        r"^[Nn][Ee]\d{3}$", required=False, help_text=_("P-code of a region: everything in it")
    )
    search = serializers.CharField(
        required=False,
        max_length=100,
        help_text=_("Part of a name (accents optional) or the start of a P-code"),
    )


class SiteFilters(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=SiteKind.choices, required=False)
    region = serializers.RegexField(
        r"^[Nn][Ee]\d{3}$", required=False, help_text=_("P-code of a region")
    )
    search = serializers.CharField(required=False, max_length=100, help_text=_("Part of a name"))
    status = serializers.ChoiceField(
        choices=[("active", _("in use")), ("inactive", _("no longer in use")), ("all", _("all"))],
        required=False,
        help_text=_("Default: sites in use"),
    )


class CountryFilters(serializers.Serializer):  # type: ignore[type-arg]
    search = serializers.CharField(
        required=False, max_length=100, help_text=_("ISO code or part of the name")
    )


class _FilteredViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    filters_class: type[serializers.Serializer]  # type: ignore[type-arg]

    def filters(self) -> dict[str, Any]:
        """The validated query-string filters of a list; nothing for a single record."""
        if self.action != "list":
            return {}
        form = self.filters_class(data=self.request.query_params)
        form.is_valid(raise_exception=True)
        return dict(form.validated_data)


@extend_schema_view(list=extend_schema(parameters=[AdminUnitFilters]))
class AdminUnitViewSet(_FilteredViewSet):
    """Niger's administrative units with their OCHA P-codes, region by region."""

    permission = "geo.view"
    serializer_class = AdminUnitSerializer
    filters_class = AdminUnitFilters
    lookup_field = "pcode"

    def get_queryset(self) -> QuerySet[AdminUnit]:
        f = self.filters()
        return selectors.adminunit_list(
            level=int(f["level"]) if "level" in f else None,
            parent=f.get("parent", ""),
            region=f.get("region", ""),
            search=f.get("search", ""),
        )


@extend_schema_view(list=extend_schema(parameters=[CountryFilters]))
class CountryViewSet(_FilteredViewSet):
    """Countries (ISO 3166-1); ``quick_pick`` ranks the nationalities most seen in Niger."""

    permission = "geo.view"
    serializer_class = CountrySerializer
    filters_class = CountryFilters
    lookup_field = "iso3"

    def get_queryset(self) -> QuerySet[Country]:
        return selectors.country_list(search=self.filters().get("search", ""))


@extend_schema_view(list=extend_schema(parameters=[SiteFilters]))
class SiteViewSet(_FilteredViewSet):
    """Places that matter for migration: border points, transit centres, help desks…"""

    permission = "geo.view"
    serializer_class = SiteSerializer
    filters_class = SiteFilters
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Site]:
        f = self.filters()
        if self.action != "list":
            return selectors.site_list(status="all")
        return selectors.site_list(
            kind=f.get("kind", ""),
            region=f.get("region", ""),
            search=f.get("search", ""),
            status=f.get("status", "active"),
        )
