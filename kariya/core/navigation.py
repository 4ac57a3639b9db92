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
    # Shown as well to users holding any of these instead of ``permission``.
    alternatives: tuple[str, ...] = ()


ITEMS: list[NavItem] = [
    NavItem("core:home", _("Home"), "home.view"),
    NavItem("people:person_list", _("People"), "people.view"),
    NavItem("cases:case_list", _("Cases"), "cases.view"),
    NavItem("cases:task_list", _("My tasks"), "cases.manage"),
    NavItem("cases:approval_list", _("Approvals"), "cases.approve"),
    NavItem("cases:gbv_list", _("GBV sections"), "cases.view_gbv"),
    NavItem("directory:service_list", _("Service directory"), "directory.view"),
    NavItem("directory:stale_list", _("Entries to verify"), "directory.edit"),
    NavItem("directory:moderation_list", _("Directory moderation"), "directory.moderate"),
    NavItem("referrals:inbox_incoming", _("Referrals received"), "referrals.receive"),
    NavItem("referrals:inbox_outgoing", _("Referrals sent"), "referrals.send"),
    NavItem("referrals:notification_list", _("Notifications"), "home.view"),
    NavItem("dedup:queue", _("Possible duplicates"), "dedup.review"),
    NavItem(
        "exchange:index", _("Import and export"), "exchange.import", ("exchange.export_cases",)
    ),
    NavItem("accounts:user_list", _("Users"), "accounts.manage_users"),
    NavItem("accounts:organisation_list", _("Organisations"), "accounts.view_organisations"),
    NavItem("geo:site_list", _("Sites"), "geo.view"),
    NavItem("geo:adminunit_list", _("Geography"), "geo.view"),
    NavItem("core:audit_list", _("Audit log"), "audit.view"),
    NavItem("information:page_list", _("Rights information"), "information.edit"),
]


def menu_for(request: HttpRequest) -> list[dict[str, object]]:
    if not request.user.is_authenticated:
        return []
    path = request.path
    items: list[dict[str, object]] = []
    for item in ITEMS:
        if any(has_permission(request, p) for p in (item.permission, *item.alternatives)):
            items.append({"url": reverse(item.url_name), "label": item.label, "active": False})
    # The current page belongs to the entry with the longest URL it starts with (so that
    # /cases/tasks/ marks "My tasks", not "Cases" as well); "/" only matches itself.
    matches = [
        entry
        for entry in items
        if path == entry["url"] or (entry["url"] != "/" and path.startswith(str(entry["url"])))
    ]
    if matches:
        max(matches, key=lambda entry: len(str(entry["url"])))["active"] = True
    return items
