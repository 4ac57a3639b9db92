"""A caseworker about to register someone checks for existing records, on a phone, with htmx
and without JavaScript: the panel lists the organisation's likely record by case code (no
name, and nothing typed reaches the address bar) and names the other organisation to contact."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from kariya.people.factories import register, services_consent
from kariya.people.models import ConsentScope
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.steps import VIEWPORTS, fr, horizontal_overflow, label, log_in

pytestmark = pytest.mark.browser


def _check(page: Any, base: str, *, htmx: bool) -> None:
    page.goto(f"{base}/people/new/")
    page.get_by_label(label(fr("Given names"))).fill("Mohamed")
    page.get_by_label(label(fr("Family names"))).fill("Tchoukou")
    page.get_by_label(label(fr("Year of birth"))).fill("1991")
    page.get_by_label(label(fr("Phone numbers"))).fill("00227 96 55 44 33")
    button = page.get_by_role("button", name=fr("Check for existing records"))
    if htmx:  # the panel comes from the check endpoint, the page stays
        with page.expect_request(re.compile(r"/people/new/check/$")) as request:
            button.click()
        assert request.value.method == "POST"
    else:  # the registration form posts itself and comes back with the panel
        button.click()
    panel = page.locator("#registration-check")
    expect(panel).to_contain_text(fr("Existing records"))
    assert "Tchoukou" not in page.url and page.url.endswith("/people/new/")


@pytest.mark.parametrize("viewport", ["phone"])
def test_the_check_lists_the_record_and_the_organisation_to_contact(
    page: Any,
    browser: Any,
    live_server: Any,
    org_a: Any,
    org_b: Any,
    password: str,
    viewport: str,
) -> None:
    mine = register(
        org_a["caseworker"],
        given_names="Mahamadou",
        family_names="Tchoukou",
        birth_year=1990,
        phone_numbers=["+22796554433"],
    )
    register(
        org_b["caseworker"],
        given_names="Mouhamed",
        family_names="Tchoukou",
        birth_year=1991,
        consents=[
            services_consent(),
            services_consent(scope=ConsentScope.REFERRAL, recipient_organisation=org_a.org),
        ],
    )
    user = org_a["caseworker"].username
    log_in(page, live_server.url, user, password)
    _check(page, live_server.url, htmx=True)
    panel = page.locator("#registration-check")
    expect(panel.get_by_role("link", name=mine.case_code)).to_be_visible()
    expect(panel).to_contain_text(re.compile(r"\d+ %"))
    expect(panel).to_contain_text(org_b.org.name)
    expect(panel).not_to_contain_text("Mahamadou")
    assert horizontal_overflow(page) == 0

    plain = browser.new_context(
        viewport=VIEWPORTS[viewport], locale="fr-FR", java_script_enabled=False
    )
    plain.set_default_timeout(TIMEOUT_MS)
    try:
        no_js = plain.new_page()
        log_in(no_js, live_server.url, user, password)
        _check(no_js, live_server.url, htmx=False)
        expect(no_js.locator("#registration-check").get_by_role("link", name=mine.case_code))
        # the form comes back as typed, ready to register or to leave
        expect(no_js.get_by_label(label(fr("Family names")))).to_have_value("Tchoukou")
    finally:
        plain.close()
