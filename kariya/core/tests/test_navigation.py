"""The menu shows an entry only to users holding its permission (or one of its alternatives),
and every entry it shows opens."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kariya.accounts import roles
from kariya.accounts.roles import PERMISSIONS, Role
from kariya.core.navigation import ITEMS

MENU = re.compile(r'<nav class="menu".*?</nav>', re.S)
HREF = re.compile(r'<li><a href="(/[^"]*)"')


def _menu(client: Any) -> list[str]:
    page = client.get("/").content.decode()
    found = MENU.search(page)
    assert found, "no menu on the home page"
    return HREF.findall(found.group(0))


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_menu_entry_opens_for_the_role_that_sees_it(role: str, org_a: Any, login: Any) -> None:
    client = login(org_a[role])
    urls = _menu(client)
    assert "/" in urls
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_import_and_export_shows_for_export_alone(org_a: Any, login: Any, monkeypatch: Any) -> None:
    assert "/exchange/" in _menu(login(org_a[Role.SUPERVISOR.value]))
    client = login(org_a[Role.CASEWORKER.value])
    assert "/exchange/" not in _menu(client)
    granted = roles.MATRIX[Role.CASEWORKER] | {"exchange.export_cases"}
    monkeypatch.setitem(roles.MATRIX, Role.CASEWORKER, granted)
    assert "/exchange/" in _menu(client)


def test_every_entry_names_a_permission_of_the_matrix() -> None:
    for item in ITEMS:
        for permission in (item.permission, *item.alternatives):
            assert permission in PERMISSIONS, (item.url_name, permission)


@pytest.mark.parametrize(
    ("path", "current"),
    [("/cases/tasks/", "/cases/tasks/"), ("/cases/", "/cases/"), ("/", "/")],
)
def test_one_entry_is_current(org_a: Any, login: Any, path: str, current: str) -> None:
    page = login(org_a[Role.SUPERVISOR.value]).get(path).content.decode()
    menu = MENU.search(page)
    assert menu
    marked = re.findall(r'<a href="(/[^"]*)" aria-current="page"', menu.group(0))
    assert marked == [current]
