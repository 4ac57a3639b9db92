from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kariya.geo.models import AdminUnit, Country, Site


class _ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Writes go through the services (audited): ``kariya import-admin-units`` for units, the
    Sites pages for sites. The admin only shows them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AdminUnit)
class AdminUnitAdmin(_ReadOnlyAdmin):
    list_display = ["pcode", "name_fr", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["pcode", "name_fr", "name_ref"]
    list_select_related = ["parent"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["iso3", "name_fr", "name_en", "quick_pick", "is_active"]
    search_fields = ["iso3", "name_fr", "name_en"]
    list_filter = ["is_active"]


@admin.register(Site)
class SiteAdmin(_ReadOnlyAdmin):
    list_display = ["name", "kind", "commune", "region", "is_active"]
    list_filter = ["kind", "is_active", "region"]
    search_fields = ["name"]
    list_select_related = ["commune", "region"]
