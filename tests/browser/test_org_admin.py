"""An organisation admin creates an account, finds it in the list and deactivates it; the
person logged in with that account is sent back to the log-in page on their next click."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.steps import exactly, fill_log_in_form, fr, label, log_in, nav_link, role_label

pytestmark = pytest.mark.browser

NEW_USERNAME = "alpha_hadiza"
NEW_PASSWORD = "Tamesna-sable-2026!"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_org_admin_creates_then_deactivates_a_user(
    page: Any,
    new_context: Callable[..., Any],
    live_server: Any,
    org_a: Any,
    password: str,
    viewport: str,
) -> None:
    base = live_server.url
    log_in(page, base, org_a["org_admin"].username, password)

    # Create the account through the form, in French.
    nav_link(page, fr("Users")).click()
    page.get_by_role("link", name=fr("New user"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("New user"))
    page.get_by_label(label(fr("Username"))).fill(NEW_USERNAME)
    page.get_by_label(label(fr("First name"))).fill("Hadiza")
    page.get_by_label(label(fr("Last name"))).fill("Issoufou")
    page.get_by_label(label(fr("E-mail"))).fill("hadiza@alpha.example.org")
    page.get_by_label(role_label("caseworker"), exact=True).check()
    page.get_by_label(label(fr("Temporary password"))).fill(NEW_PASSWORD)
    page.get_by_role("button", name=fr("Save"), exact=True).click()

    expect(page.get_by_role("status")).to_contain_text(fr("The account has been created."))
    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_USERNAME)

    # It is in the list, active, with its role.
    nav_link(page, fr("Users")).click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=NEW_USERNAME))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Hadiza Issoufou")
    expect(row).to_contain_text(role_label("caseworker"))
    expect(row.get_by_role("cell").last).to_have_text(exactly(fr("Active")))

    # The new colleague logs in from another browser (their own cookie jar).
    theirs = new_context(viewport).new_page()
    log_in(theirs, base, NEW_USERNAME, NEW_PASSWORD)
    expect(theirs.get_by_role("heading", level=1)).to_have_text(
        fr("Welcome, %(name)s", name="Hadiza Issoufou")
    )

    # The admin deactivates the account.
    row.get_by_role("link", name=NEW_USERNAME).click()
    page.get_by_role("button", name=fr("Deactivate"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        fr("The account has been deactivated and its sessions ended.")
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(fr("Deactivated"))
    nav_link(page, fr("Users")).click()
    expect(row.get_by_role("cell").last).to_have_text(exactly(fr("Deactivated")))

    # Their next navigation lands on the log-in page, and logging in again fails.
    nav_link(theirs, fr("Home")).click()
    expect(theirs).to_have_url(f"{base}/accounts/login/?next=/")
    fill_log_in_form(theirs, NEW_USERNAME, NEW_PASSWORD)
    expect(theirs.get_by_role("alert")).to_be_visible()
    expect(theirs).to_have_url(f"{base}/accounts/login/")
