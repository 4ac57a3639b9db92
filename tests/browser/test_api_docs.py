"""The API documentation page renders from Kariya's own assets under Kariya's CSP."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.steps import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["desktop"])
def test_api_docs_list_the_endpoints(
    page: Any, live_server: Any, org_a: Any, password: str
) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    log_in(page, live_server.url, org_a["caseworker"].username, password)
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_text("/api/v1/organisations/").first).to_be_visible()
    expect(page.get_by_text("/api/v1/me/").first).to_be_visible()
    assert outside == [], f"the docs page fetched from elsewhere: {outside}"
