"""French by default; the header buttons switch to English and back, on any page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.steps import en, fr, label, log_in, nav_link

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_switch_language_from_french_to_english_and_back(
    page: Any, live_server: Any, org_a: Any, password: str, viewport: str
) -> None:
    # The texts this test watches change must really differ between the two languages.
    for msgid in ("Log in", "Home", "Welcome, %(name)s"):
        assert fr(msgid) != en(msgid), f"no French for {msgid!r}"
    heading = page.get_by_role("heading", level=1)

    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(heading).to_have_text(fr("Log in"))

    page.get_by_role("button", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(heading).to_have_text(en("Log in"))
    expect(page.get_by_label(label(en("Username")))).to_be_visible()

    page.get_by_role("button", name="Français", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(heading).to_have_text(fr("Log in"))

    user = org_a["caseworker"]
    log_in(page, live_server.url, user.username, password)
    name = user.get_full_name()
    expect(nav_link(page, fr("Home"))).to_be_visible()
    expect(heading).to_have_text(fr("Welcome, %(name)s", name=name))

    page.get_by_role("button", name="English", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(nav_link(page, en("Home"))).to_be_visible()
    expect(nav_link(page, fr("Home"))).to_have_count(0)
    expect(heading).to_have_text(en("Welcome, %(name)s", name=name))
    # The choice sticks on the next page.
    nav_link(page, en("Sites")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Français", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    nav_link(page, fr("Home")).click()
    expect(heading).to_have_text(fr("Welcome, %(name)s", name=name))
