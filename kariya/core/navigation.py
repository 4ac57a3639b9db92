"""The navigation menu: each entry shows only to users holding its permission."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kariya.core.gate import has_permission


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Promise
    permission: str


ITEMS: list[NavItem] = [
    NavItem("core:home", _("Home"), "home.view"),
    NavItem("people:person_list", _("People"), "people.view"),
    NavItem("accounts:user_list", _("Users"), "accounts.manage_users"),
    NavItem("accounts:organisation_list", _("Organisations"), "accounts.view_organisations"),
    NavItem("geo:site_list", _("Sites"), "geo.view"),
    NavItem("geo:adminunit_list", _("Geography"), "geo.view"),
    NavItem("core:audit_list", _("Audit log"), "audit.view"),
]


def menu_for(request: HttpRequest) -> list[dict[str, object]]:
    if not request.user.is_authenticated:
        return []
    path = request.path
    items = []
    for item in ITEMS:
        if has_permission(request, item.permission):
            url = reverse(item.url_name)
            active = path == url if url == "/" else path.startswith(url)
            items.append({"url": url, "label": item.label, "active": active})
    return items
