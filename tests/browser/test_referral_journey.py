"""Issue 4 referral journey end to end, in French, on a phone, between two organisations in two
browser contexts: a caseworker of organisation A finds the pathway for a need from the case page
and refers the person to organisation B's service; B's service focal point, in another browser,
sees the referral in "Référencements reçus" with the case code and not the name, accepts it and
records the outcome; the caseworker reads the feedback, the case shows the service delivered by
B, and B can no longer open the referral.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import expect

from kariya.cases.factories import open_case
from kariya.cases.models import DeliveryOutcome, ServiceDelivery
from kariya.codelists.models import Code
from kariya.directory import factories as directory
from kariya.geo.models import AdminUnit
from kariya.referrals.factories import referral_consent
from kariya.referrals.models import Priority, Referral, Status
from tests.browser.steps import fr, horizontal_overflow, label, log_in, pfr

pytestmark = pytest.mark.browser

REASON = "Blessure au pied après le refoulement, besoin de soins"
FEEDBACK = "Pansement fait, revoir dans une semaine"


def t(text: Any) -> str:
    with translation.override("fr"):
        return str(text)


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_referral_goes_from_one_organisation_to_another_and_back(
    page: Any,
    new_context: Callable[..., Any],
    live_server: Any,
    org_a: Any,
    org_b: Any,
    password: str,
    viewport: str,
) -> None:
    base = live_server.url
    caseworker, focal = org_a["caseworker"], org_b["service_focal_point"]
    case = open_case(caseworker)
    referral_consent(caseworker, case.person, to=org_b.org)
    service = directory.published(
        focal, org_a["network_coordinator"], commune=AdminUnit.objects.get(pcode="NE008001001")
    )
    code = case.person.case_code

    # Organisation A: from the case page to the pathway, then the referral form.
    log_in(page, base, caseworker.username, password)
    page.goto(f"{base}/cases/{case.public_id}/")
    page.get_by_role("link", name=fr("Refer to a service")).click()
    with translation.override("fr"):
        need = str(Code.objects.get(list="service_type", code="health_care").label)
    page.get_by_label(label(fr("Need"))).select_option(label=need)
    page.get_by_role("button", name=fr("Find services")).click()
    expect(page.get_by_text(service.name_fr)).to_be_visible()
    page.get_by_role("link", name=fr("Refer"), exact=True).click()
    page.get_by_label(pfr("referral priority", "Urgent"), exact=True).check()
    page.get_by_label(label(fr("Reason for the referral"))).fill(REASON)
    page.get_by_role("button", name=fr("Send the referral")).click()
    expect(page.get_by_text(fr("The referral was sent."))).to_be_visible()
    assert horizontal_overflow(page) <= 0
    referral = Referral.objects.get()
    assert referral.status == Status.SENT and referral.priority == Priority.URGENT

    # Organisation B, another browser: the inbox, the referral with the case code only.
    theirs = new_context(viewport).new_page()
    log_in(theirs, base, focal.username, password)
    theirs.goto(f"{base}/referrals/incoming/")
    theirs.get_by_role("link", name=code).click()
    expect(theirs.get_by_text(REASON)).to_be_visible()
    assert "Moussa" not in theirs.content()
    assert horizontal_overflow(theirs) <= 0
    theirs.get_by_role("button", name=fr("Accept"), exact=True).click()
    expect(theirs.get_by_text(fr("The referral was accepted."))).to_be_visible()
    theirs.get_by_label(label(fr("Outcome"))).select_option(
        label=t(DeliveryOutcome.DELIVERED.label)
    )
    theirs.get_by_label(label(fr("Feedback to the referring organisation"))).fill(FEEDBACK)
    theirs.get_by_role("button", name=fr("Record the outcome")).click()
    expect(
        theirs.get_by_text(fr("The outcome was sent to the referring organisation."))
    ).to_be_visible()
    # Closed: B has no access any more.
    response = theirs.goto(f"{base}/referrals/{referral.public_id}/")
    assert response is not None and response.status == 404

    # Organisation A again: the feedback and the service on the case.
    page.goto(f"{base}/referrals/{referral.public_id}/")
    expect(page.get_by_text(FEEDBACK, exact=True)).to_be_visible()
    expect(page.get_by_text(t(Status.COMPLETED.label)).first).to_be_visible()
    delivery = ServiceDelivery.objects.get(case=case)
    assert delivery.provider == org_b.org
    page.goto(f"{base}/cases/{case.public_id}/")
    expect(page.locator("#services").get_by_role("cell", name=org_b.org.acronym)).to_be_visible()
