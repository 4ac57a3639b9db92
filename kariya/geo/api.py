from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from kariya.geo.models import AdminUnit, Country, Site


class AdminUnitSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.pcode", read_only=True, default=None)

    class Meta:
        model = AdminUnit
        fields = ["pcode", "level", "name_fr", "name_ref", "parent", "lon", "lat", "is_active"]
        read_only_fields = fields


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["iso3", "iso2", "name_en", "name_fr", "quick_pick"]
        read_only_fields = fields


class SiteSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    commune = serializers.CharField(source="commune.pcode", read_only=True, default=None)

    class Meta:
        model = Site
        fields = ["id", "name", "kind", "commune", "description", "lon", "lat", "is_active"]
        read_only_fields = fields


class AdminUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Niger's administrative units; filter with ``?level=`` and ``?parent=PCODE``."""

    permission = "geo.view"
    serializer_class = AdminUnitSerializer
    lookup_field = "pcode"

    def get_queryset(self) -> QuerySet[AdminUnit]:
        qs = AdminUnit.objects.select_related("parent").order_by("pcode")
        level = self.request.query_params.get("level")
        if level in {"1", "2", "3"}:
            qs = qs.filter(level=int(level))
        parent = self.request.query_params.get("parent")
        if parent:
            qs = qs.filter(parent__pcode=parent)
        return qs


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    permission = "geo.view"
    serializer_class = CountrySerializer
    lookup_field = "iso3"

    def get_queryset(self) -> QuerySet[Country]:
        return Country.objects.filter(is_active=True).order_by("name_fr")


class SiteViewSet(viewsets.ReadOnlyModelViewSet):
    permission = "geo.view"
    serializer_class = SiteSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Site]:
        return Site.objects.filter(is_active=True).select_related("commune").order_by("name")
