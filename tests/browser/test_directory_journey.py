"""Issue 4, the directory's staff side, in French on a 360×640 phone (and on a desktop): a
service focal point adds an entry with its opening hours and a phone number and submits it;
the network coordinator (of another organisation) finds it in the moderation queue and
approves it; the focal point then sees it published.

Every expected text comes from the catalogues (``fr``) or from the models' own French labels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import expect

from kariya.codelists.models import Code
from kariya.directory.models import ChannelKind, Service, Status, Weekday
from kariya.geo.models import AdminUnit
from tests.browser.steps import PHONE, fr, horizontal_overflow, label, log_in, nav_link, pfr

pytestmark = pytest.mark.browser

NAME = "Écoute et soutien psychosocial"
COMMUNE = "NE001003001"  # Bilma (Agadez region)


def t(text: Any) -> str:
    with translation.override("fr"):
        return str(text)


def commune_label(pcode: str) -> str:
    unit = AdminUnit.objects.select_related("parent__parent").get(pcode=pcode)
    return f"{unit.name_fr} ({unit.parent.name_fr}, {unit.parent.parent.name_fr})"


def fits(page: Any) -> None:
    page.wait_for_load_state("load")
    assert horizontal_overflow(page) <= 0, f"{page.url} is {horizontal_overflow(page)} px too wide"


def messages(page: Any) -> Any:
    return page.locator("ul.messages[role=status]")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_focal_point_adds_an_entry_that_the_coordinator_publishes(
    page: Any,
    new_context: Callable[..., Any],
    live_server: Any,
    org_a: Any,
    org_b: Any,
    password: str,
    viewport: str,
) -> None:
    base = live_server.url
    log_in(page, base, org_a["service_focal_point"].username, password)
    if viewport == "phone":
        assert page.viewport_size == PHONE

    # The directory, from the menu; then "Ajouter un service".
    nav_link(page, fr("Service directory")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Service directory"))
    page.get_by_role("link", name=fr("Add a service"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Add a service"))
    fits(page)

    form = page.locator("form.stack")
    with translation.override("fr"):
        kind = str(Code.objects.get(list="service_type", code="mhpss").label)
    form.get_by_label(label(fr("Service type"))).select_option(label=kind)
    form.get_by_label(label(fr("Name (French)"))).fill(NAME)
    form.get_by_label(label(fr("Commune"))).select_option(label=commune_label(COMMUNE))
    monday = t(Weekday.MONDAY.label)
    form.get_by_label(fr("%(day)s, range %(n)s, opens at", day=monday, n=1), exact=True).fill(
        "08:00"
    )
    form.get_by_label(fr("%(day)s, range %(n)s, closes at", day=monday, n=1), exact=True).fill(
        "12:30"
    )
    contact = form.locator("fieldset.row").filter(
        has=page.locator("legend", has_text=fr("Contact %(n)s", n=1))
    )
    contact.get_by_label(label(fr("Channel"))).select_option(label=t(ChannelKind.PHONE.label))
    contact.get_by_label(label(fr("Number or address"))).fill("90 12 34 56")
    save = page.get_by_role("button", name=fr("Save"), exact=True)
    save.scroll_into_view_if_needed()
    save.click()

    expect(messages(page)).to_have_text(fr("The entry has been saved as a draft."))
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    week = page.locator("table.week")
    expect(week.get_by_role("row").filter(has_text=monday)).to_contain_text("08:00–12:30")
    expect(week.get_by_role("row").filter(has_text=t(Weekday.SUNDAY.label))).to_contain_text(
        pfr("opening hours", "Closed")
    )
    expect(page.locator("#h-contacts + ul")).to_contain_text("+22790123456")
    fits(page)
    entry_url = page.url

    page.get_by_role("button", name=fr("Submit for approval"), exact=True).click()
    expect(messages(page)).to_have_text(
        fr("The entry has been sent to the network coordination for approval.")
    )
    expect(page.locator("h1 + p .badge").first).to_have_text(t(Status.SUBMITTED.label))
    assert Service.objects.get(name_fr=NAME).status == Status.SUBMITTED

    # The coordinator of another organisation moderates, on their own phone.
    theirs = new_context(viewport).new_page()
    log_in(theirs, base, org_b["network_coordinator"].username, password)
    nav_link(theirs, fr("Directory moderation")).click()
    expect(theirs.get_by_role("heading", level=1)).to_have_text(fr("Directory moderation"))
    fits(theirs)
    theirs.get_by_role("link", name=NAME, exact=True).click()
    expect(theirs.get_by_role("heading", level=1)).to_have_text(NAME)
    theirs.get_by_role("button", name=fr("Approve and publish"), exact=True).click()
    expect(messages(theirs)).to_have_text(fr("The entry has been approved and published."))
    expect(theirs.locator("h1 + p .badge").first).to_have_text(t(Status.PUBLISHED.label))
    fits(theirs)

    # The focal point sees it published, and can now say whether it takes people today.
    page.goto(entry_url)
    expect(page.locator("h1 + p .badge").first).to_have_text(t(Status.PUBLISHED.label))
    expect(page.get_by_role("button", name=fr("Update the availability"))).to_be_visible()
    fits(page)
    assert Service.objects.get(name_fr=NAME).status == Status.PUBLISHED
