from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kariya.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log cannot be changed or deleted, here or anywhere."""

    list_display = ["at", "actor", "organisation", "action", "object_type", "object_id"]
    list_filter = ["action", "organisation"]
    list_select_related = ["actor", "organisation"]
    search_fields = ["object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
