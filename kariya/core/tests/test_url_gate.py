"""Every URL declares a permission (or that it is public), and every permission exists."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

from kariya.accounts.roles import PERMISSIONS
from kariya.core.admin_site import KariyaAdminSite
from kariya.core.gate import PUBLIC, declared_permission


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                # The configuration admin: its site lets in active superusers only (tested
                # below); every admin view goes through AdminSite.admin_view.
                assert isinstance(admin.site, KariyaAdminSite)
                continue
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_url_declares_a_known_permission() -> None:
    undeclared, unknown = [], []
    seen = 0
    for route, callback in walk(get_resolver().url_patterns):
        seen += 1
        permission = declared_permission(callback)
        if permission is None:
            undeclared.append(route)
        elif permission != PUBLIC and permission not in PERMISSIONS:
            unknown.append(f"{route} -> {permission}")
    assert seen > 20
    assert undeclared == [], f"views without a declared permission: {undeclared}"
    assert unknown == [], f"views naming a permission that does not exist: {unknown}"


def test_the_walk_catches_an_undeclared_view() -> None:
    def bare_view(request: Any) -> None:
        return None

    assert declared_permission(bare_view) is None


def test_admin_is_for_superusers_only(client: Any, org_a: Any) -> None:
    client.force_login(org_a["org_admin"])
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
