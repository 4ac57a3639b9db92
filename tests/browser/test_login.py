"""A wrong log-in says so, in French, without saying which of the two was wrong."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.steps import en, fill_log_in_form, fr, label

pytestmark = pytest.mark.browser

BAD_LOGIN = (
    "Your username and password did not match, or your account is deactivated. Please try again."
)


@pytest.mark.parametrize("viewport", ["phone"])
def test_wrong_password_shows_the_french_error(
    page: Any, live_server: Any, org_a: Any, viewport: str
) -> None:
    username = org_a["caseworker"].username
    page.goto(f"{live_server.url}/accounts/login/")
    fill_log_in_form(page, username, "not-the-password-2026")

    expect(page.get_by_role("alert")).to_have_text(fr(BAD_LOGIN))
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_label(label(fr("Username")))).to_have_value(username)
    expect(page.get_by_label(label(fr("Password")))).to_have_value("")
    assert fr(BAD_LOGIN) != en(BAD_LOGIN), "the log-in error has no French translation yet"


@pytest.mark.parametrize("viewport", ["phone"])
def test_unknown_user_gets_the_same_message(page: Any, live_server: Any, org_a: Any) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    fill_log_in_form(page, "personne_inconnue", "not-the-password-2026")
    expect(page.get_by_role("alert")).to_have_text(fr(BAD_LOGIN))
