"""A caseworker searches people by name on a phone, with htmx and without JavaScript: the name
never reaches the address bar (so neither the browser history of a shared phone), and paging
through the results re-posts it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from kariya.matching.normalise import name_keys
from kariya.people import services
from kariya.people.factories import PersonFactory, office_of
from kariya.people.models import PersonSearchKey, SearchKind
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.steps import VIEWPORTS, fr, label, log_in

pytestmark = pytest.mark.browser

NAME = "Tchoukou"


def _people_named(org: Any, count: int) -> None:
    office = office_of(org["caseworker"])
    people = PersonFactory.create_batch(count, organisation=org.org, registering_office=office)
    key = services.search_key(SearchKind.NAME, name_keys(NAME)[0])
    PersonSearchKey.objects.bulk_create(
        PersonSearchKey(person=p, organisation=org.org, kind=SearchKind.NAME, key=key)
        for p in people
    )


def _search_and_page(page: Any, base: str) -> None:
    page.goto(f"{base}/people/")
    filters = page.locator("form.filters")
    filters.get_by_label(label(fr("Name"))).fill(NAME)
    filters.get_by_role("button", name=fr("Search")).click()
    pages = fr("Page %(n)s of %(total)s", n=1, total=2)
    expect(page.locator(".pager")).to_contain_text(pages)
    assert NAME not in page.url
    assert page.url == f"{base}/people/"
    page.locator(".pager").get_by_role("button", name=re.compile(re.escape(fr("Next")))).click()
    expect(page.locator(".pager")).to_contain_text(fr("Page %(n)s of %(total)s", n=2, total=2))
    expect(page.locator("#person-rows tbody tr")).to_have_count(2)
    assert NAME not in page.url


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_name_search_stays_out_of_the_address_bar(
    page: Any, browser: Any, live_server: Any, org_a: Any, password: str, viewport: str
) -> None:
    _people_named(org_a, 52)
    user = org_a["caseworker"].username
    log_in(page, live_server.url, user, password)
    _search_and_page(page, live_server.url)
    # htmx keeps no snapshot of the pages (names shown) in the browser's storage.
    storage = page.evaluate("JSON.stringify([window.localStorage, window.sessionStorage])")
    assert NAME not in storage and "htmx-history-cache" not in storage
    # A search by sex only (nothing personal) lands on a bookmarkable address.
    page.locator("form.filters").get_by_label(label(fr("Name"))).fill("")
    page.locator("form.filters").get_by_label(label(fr("Sex"))).select_option("female")
    page.locator("form.filters").get_by_role("button", name=fr("Search")).click()
    expect(page).to_have_url(f"{live_server.url}/people/?sex=female&order=newest")
    storage = page.evaluate("JSON.stringify([window.localStorage, window.sessionStorage])")
    assert "htmx-history-cache" not in storage

    # Without JavaScript the same form posts (with its CSRF token) and the pager re-posts.
    plain = browser.new_context(
        viewport=VIEWPORTS[viewport], locale="fr-FR", java_script_enabled=False
    )
    plain.set_default_timeout(TIMEOUT_MS)
    try:
        no_js = plain.new_page()
        log_in(no_js, live_server.url, user, password)
        _search_and_page(no_js, live_server.url)
    finally:
        plain.close()
