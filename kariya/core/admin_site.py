"""The configuration admin, for platform operators (superusers) only.

Personal data is never edited here: the admin registers configuration models only, and the
audit log is read-only.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class KariyaAdminSite(admin.AdminSite):
    site_header = _("Kariya configuration")
    site_title = _("Kariya configuration")
    index_title = _("Configuration")
    # The gate's word for every admin URL (read by the URL-walk test).
    kariya_permission = "admin.superuser"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class KariyaAdminConfig(AdminConfig):
    default_site = "kariya.core.admin_site.KariyaAdminSite"
