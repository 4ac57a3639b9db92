from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kariya.directory.models import ContactChannel, OpeningHours, Service


class _ReadOnly:
    """Writes go through the services (moderated, versioned, audited): the admin only shows
    the entries, for platform operators checking the data."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OpeningHoursInline(_ReadOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = OpeningHours
    extra = 0


class ContactChannelInline(_ReadOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = ContactChannel
    extra = 0


@admin.register(Service)
class ServiceAdmin(_ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "name_fr",
        "organisation",
        "service_type",
        "region",
        "status",
        "availability",
        "last_verified_at",
    ]
    list_filter = ["status", "availability", "is_public_service", "region", "service_type"]
    search_fields = ["name_fr", "name_en", "provider_name", "organisation__acronym"]
    list_select_related = ["organisation", "service_type", "region"]
    inlines = [OpeningHoursInline, ContactChannelInline]
