from __future__ import annotations

from typing import Any

from kariya.accounts.factories import UserFactory


def test_schema_and_docs_four_ways(client: Any, org_a: Any) -> None:
    for url in ("/api/schema/", "/api/docs/", "/api/docs/?script="):
        client.logout()
        assert client.get(url).status_code in (401, 403), url
        client.force_login(UserFactory(organisation=None, is_superuser=True, is_staff=True))
        assert client.get(url).status_code == 404, url  # an operator without a role
        client.force_login(org_a["monitor"])
        assert client.get(url).status_code == 200, url


def test_docs_page_uses_only_kariya_s_own_assets(client: Any, org_a: Any) -> None:
    client.force_login(org_a["caseworker"])
    html = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "http://" not in html and "https://" not in html
