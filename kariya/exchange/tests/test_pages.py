from __future__ import annotations

from typing import Any

import pytest

from kariya.accounts.models import Office
from kariya.accounts.roles import Role
from kariya.exchange import services
from kariya.exchange.columns import COLUMNS
from kariya.exchange.models import ImportRun
from kariya.exchange.reading import Table
from kariya.exchange.tests.helpers import good_row

pytestmark = pytest.mark.django_db

PAGES = [
    "/exchange/",
    "/exchange/templates/people.xlsx",
    "/exchange/templates/people.csv",
    "/exchange/import/",
    "/exchange/export/",
    "/exchange/export/cases.csv",
    "/exchange/export/cases.xlsx",
]


def _run(world: Any) -> ImportRun:
    keys = [c.key for c in COLUMNS]
    row = good_row(sex="nonsense")
    table = Table("csv", [c.header() for c in COLUMNS], [(2, [row.get(k, "") for k in keys])])
    office = Office.objects.filter(organisation=world.org).first()
    return services.people_import(actor=world["supervisor"], office=office, table=table)


def test_every_page_four_ways(client: Any, org_a: Any, org_b: Any) -> None:
    run = _run(org_a)
    record_pages = [
        f"/exchange/imports/{run.public_id}/",
        f"/exchange/imports/{run.public_id}/errors.csv",
    ]
    for url in PAGES + record_pages:
        client.logout()
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
        for role in Role:
            if role == Role.SUPERVISOR:
                continue
            client.force_login(org_a[role.value])
            assert client.get(url).status_code == 404, (url, role)
        client.force_login(org_a["supervisor"])
        assert client.get(url).status_code == 200, url
    client.force_login(org_b["supervisor"])
    for url in record_pages:
        assert client.get(url).status_code == 404, url
    for url in PAGES:
        assert client.get(url).status_code == 200, url


def test_other_organisation_sees_only_its_own(client: Any, org_a: Any, org_b: Any) -> None:
    _run(org_a)
    client.force_login(org_b["supervisor"])
    index = client.get("/exchange/").content.decode()
    assert "Aucun import pour l’instant." in index
    form = client.get("/exchange/import/").content.decode()
    assert "BETA siège" in form and "ALPHA siège" not in form
    export = client.get("/exchange/export/").content.decode()
    assert "beta_caseworker" in export and "alpha_caseworker" not in export


def test_index_lists_recent_imports_with_a_bounded_query_count(
    client: Any, org_a: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        _run(org_a)
    client.force_login(org_a["supervisor"])
    with django_assert_max_num_queries(8):
        page = client.get("/exchange/")
    assert page.content.decode().count("/exchange/imports/") == 3
    for _ in range(5):
        _run(org_a)
    with django_assert_max_num_queries(8):
        page = client.get("/exchange/")
    assert page.content.decode().count("/exchange/imports/") == 8


def test_report_paginates_errors(client: Any, org_a: Any) -> None:
    keys = [c.key for c in COLUMNS]
    rows = [(n, [good_row(sex="x").get(k, "") for k in keys]) for n in range(2, 62)]
    office = Office.objects.filter(organisation=org_a.org).first()
    run = services.people_import(
        actor=org_a["supervisor"],
        office=office,
        table=Table("csv", [c.header() for c in COLUMNS], rows),
    )
    assert run.error_count == 60
    client.force_login(org_a["supervisor"])
    first = client.get(f"/exchange/imports/{run.public_id}/").content.decode()
    assert first.count('data-label="Ligne"') == 50
    second = client.get(f"/exchange/imports/{run.public_id}/?page=2").content.decode()
    assert second.count('data-label="Ligne"') == 10


def test_forms_fit_a_phone(client: Any, org_a: Any) -> None:
    """Forms use the stacked layout and the responsive table of the stylesheet."""
    client.force_login(org_a["supervisor"])
    for url in ("/exchange/import/", "/exchange/export/"):
        html = client.get(url).content.decode()
        assert 'class="stack card"' in html
        assert "style=" not in html and "<script>" not in html
        assert 'name="viewport"' in html
