"""Issue 3 end to end, in French, as people click through Kariya: a caseworker registers a
person with their consent, screens them and opens a case, takes the case through assessment and
a case plan that a supervisor approves in another browser, records a service, and asks for the
closure, which the supervisor approves from "Approbations"; the case then shows as closed.

Every expected text comes from the catalogues (``fr``) or from the models' own French labels.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from kariya.cases.models import (
    Case,
    CaseApproval,
    DeliveryOutcome,
    ScreeningOutcome,
    ServiceDelivery,
    Unit,
)
from kariya.cases.priority import Priority
from kariya.cases.workflow import ApprovalKind, ClosureReason, Status
from kariya.codelists.models import Code
from kariya.geo.models import AdminUnit, Country
from kariya.people.models import (
    Consent,
    ConsentGiver,
    ConsentMethod,
    ConsentScope,
    DocumentStatus,
    Identity,
    IdentityDocument,
    Person,
    Sex,
)
from tests.browser.steps import (
    PHONE,
    exactly,
    fr,
    horizontal_overflow,
    label,
    log_in,
    nav_link,
)

pytestmark = pytest.mark.browser

GIVEN_NAMES = "Fatouma"
FAMILY_NAMES = "Diallo"
PHONE_NUMBER = "+227 90 12 34 56"
DOCUMENT_NUMBER = "ML-4471-22"
GOAL = "Retrouver un logement sûr à Agadez"
ACTION = "Orienter vers le centre d’hébergement"
COMMUNE = "NE001003001"  # Bilma (Agadez region), the commune of org A's office


def t(text: Any) -> str:
    """A lazily translated label (a model choice, a code) in French."""
    with translation.override("fr"):
        return str(text)


def code_label(list_name: str, code: str) -> str:
    with translation.override("fr"):
        return str(Code.objects.get(list=list_name, code=code).label)


def commune_label(pcode: str) -> str:
    unit = AdminUnit.objects.select_related("parent__parent").get(pcode=pcode)
    return f"{unit.name_fr} ({unit.parent.name_fr}, {unit.parent.parent.name_fr})"


def status_heading(status: Status) -> str:
    return fr("Status: %(status)s", status=t(status.label))


def move_to(status: Status) -> str:
    return fr("Move to “%(to)s”", to=t(status.label))


def messages(page: Any) -> Any:
    return page.locator("ul.messages[role=status]")


def section(page: Any, heading_id: str) -> Any:
    return page.locator(f"section[aria-labelledby={heading_id}]")


def fold(scope: Any, summary: str | re.Pattern[str]) -> Any:
    """A ``<details>`` fold by the text of its summary; opened, returned."""
    details = scope.locator("details").filter(has=scope.page.locator("summary", has_text=summary))
    summary_el = details.locator("summary").first
    if details.get_attribute("open") is None:
        summary_el.click()
    return details


def fits(page: Any) -> None:
    """Nothing on the page is wider than the screen (no sideways scrolling on a phone), once
    the page and its style sheet have loaded."""
    page.wait_for_load_state("load")
    assert horizontal_overflow(page) <= 0, f"{page.url} is {horizontal_overflow(page)} px too wide"


def within_screen(page: Any, locator: Any) -> None:
    """The element is fully inside the viewport's width (a phone user can reach it)."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= page.viewport_size["width"] + 0.5, box


def register_person(page: Any, base: str) -> str:
    """Step 1: "Personnes" → "Enregistrer une personne", a refused attempt, then the real one.
    Returns the case code shown."""
    nav_link(page, fr("People")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("People"))
    page.get_by_role("link", name=fr("Register a person"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Register a person"))
    fits(page)

    form = page.locator("form.stack")
    # The radio buttons are a group named by its question (a fieldset and its legend).
    form.get_by_role("group", name=fr("Sex")).get_by_label(t(Sex.FEMALE.label), exact=True).check()
    form.get_by_label(label(fr("Year of birth"))).fill("1998")
    form.get_by_label(fr("The year of birth is an estimate"), exact=True).check()
    mali = Country.objects.get(iso3="MLI").name_fr
    form.get_by_label(label(fr("Nationalities"))).select_option(label=mali)
    form.get_by_label(label(fr("Given names"))).fill(GIVEN_NAMES)
    form.get_by_label(label(fr("Family names"))).fill(FAMILY_NAMES)
    form.get_by_label(label(fr("Phone numbers"))).fill(PHONE_NUMBER)
    document = form.locator("fieldset.row").filter(
        has=page.locator("legend", has_text=fr("Document %(n)s", n=1))
    )
    document.get_by_label(label(fr("Document type"))).select_option(
        label=code_label("document_type", "passport")
    )
    document.get_by_label(label(fr("Number"))).fill(DOCUMENT_NUMBER)
    document.get_by_label(label(fr("Issuing country"))).select_option(label=mali)
    document.get_by_label(label(fr("Status"))).select_option(label=t(DocumentStatus.HELD.label))
    form.get_by_label(label(fr("Current commune"))).select_option(label=commune_label(COMMUNE))

    # Without consent and without a legal basis the registration is refused, nothing saved.
    before = Person.objects.count()
    register = page.get_by_role("button", name=fr("Register"), exact=True)
    within_screen(page, register)
    register.click()
    expect(page.get_by_role("alert").first).to_contain_text(
        fr(
            "This person cannot be registered: record their consent to receive services, "
            "or another legal basis (such as vital interest) with the reason."
        )
    )
    assert Person.objects.count() == before
    # What was typed is still there.
    expect(form.get_by_label(label(fr("Given names")))).to_have_value(GIVEN_NAMES)

    # The services consent: given by the person, oral and witnessed, in French.
    form.get_by_label(fr("The person consents to receive services"), exact=True).check()
    form.get_by_label(label(fr("Consent given by"))).select_option(label=t(ConsentGiver.SELF.label))
    form.get_by_label(label(fr("How"))).select_option(label=t(ConsentMethod.ORAL_WITNESSED.label))
    form.get_by_label(label(fr("Language of the consent"))).select_option(
        label=code_label("language", "fra")
    )
    register.click()

    registered = re.escape(
        fr("The person has been registered with the case code %(code)s.", code="@@")
    ).replace("@@", r"([A-Z]{3}-[0-9A-Z]{4,6})")
    expect(messages(page)).to_have_text(re.compile(registered))
    code = re.search(registered, messages(page).inner_text())
    assert code is not None
    case_code = code.group(1)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{case_code} · {GIVEN_NAMES} {FAMILY_NAMES}"
    )
    assert page.url.startswith(f"{base}/people/")
    fits(page)
    identity = section(page, "h-identity")
    expect(identity).to_contain_text("+22790123456")
    documents = section(page, "h-documents")
    expect(documents.get_by_role("row").filter(has_text=DOCUMENT_NUMBER)).to_contain_text(
        code_label("document_type", "passport")
    )
    consents = (
        section(page, "h-consents")
        .get_by_role("row")
        .filter(has_text=t(ConsentScope.SERVICES.label))
    )
    expect(consents).to_have_count(1)
    expect(consents).to_contain_text(t(ConsentMethod.ORAL_WITNESSED.label))
    expect(consents).to_contain_text(fr("Active"))
    return case_code


def screen_and_open(page: Any, case_code: str) -> None:
    """Step 2: screen the person from their page, then open the case from the screening."""
    panel = page.get_by_role("region", name=fr("Case management"))
    expect(panel).to_contain_text(fr("No case you can see."))
    panel.get_by_role("link", name=fr("Screen"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("New screening"))
    fits(page)

    form = page.locator("form.stack")
    form.get_by_label(label(fr("Office"))).select_option(index=1)
    form.get_by_label(code_label("service_type", "shelter"), exact=True).check()
    form.get_by_label(code_label("service_type", "food"), exact=True).check()
    fold(form, fr("Migration-specific needs"))
    form.get_by_label(code_label("migration_need", "trafficking"), exact=True).check()
    rating = form.get_by_role("group", name=fr("Intervention rating"))
    rating.get_by_label(t(Priority.HIGH.label), exact=True).check()
    outcome = form.get_by_role("group", name=fr("Outcome"))
    outcome.get_by_label(t(ScreeningOutcome.CASE_OPENED.label), exact=True).check()
    submit = page.get_by_role("button", name=fr("Record the screening"), exact=True)
    within_screen(page, submit)
    submit.click()

    expect(messages(page)).to_have_text(exactly(fr("The screening has been recorded.")))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        fr("Screening of %(date)s", date=timezone.localdate().isoformat())
    )
    expect(page.locator("dl")).to_contain_text(code_label("service_type", "shelter"))
    expect(page.locator("dl")).to_contain_text(code_label("migration_need", "trafficking"))
    expect(page.locator("dl")).to_contain_text(t(ScreeningOutcome.CASE_OPENED.label))
    fits(page)

    page.get_by_role("button", name=fr("Open the case"), exact=True).click()
    expect(messages(page)).to_have_text(exactly(fr("The case has been opened.")))
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Case %(code)s", code=case_code))
    expect(page.get_by_role("heading", level=2, name=status_heading(Status.OPEN))).to_be_visible()


def move(page: Any, to: Status) -> None:
    page.get_by_role("button", name=move_to(to), exact=True).click()
    expect(messages(page)).to_have_text(exactly(fr("The case status has been changed.")))
    expect(page.get_by_role("heading", level=2, name=status_heading(to))).to_be_visible()


def plan_and_request_approval(page: Any) -> None:
    """Step 3, the caseworker's part: assessment, case plan (a goal, an action), approval."""
    move(page, Status.ASSESSMENT)
    move(page, Status.CASE_PLAN)

    plan = page.locator("#plan")
    goal = fold(plan, fr("Add a goal"))
    goal.get_by_label(label(fr("Goal"))).fill(GOAL)
    goal.get_by_role("button", name=fr("Add the goal"), exact=True).click()
    expect(messages(page)).to_have_text(exactly(fr("The goal has been added.")))
    expect(plan.get_by_role("heading", level=3)).to_contain_text(GOAL)

    action = fold(plan, fr("Add an action"))
    action.get_by_label(label(fr("Goal"))).select_option(label=GOAL)
    action.get_by_label(label(fr("Action"))).fill(ACTION)
    due = timezone.localdate() + datetime.timedelta(days=7)
    action.get_by_label(label(fr("Due date"))).fill(due.isoformat())
    action.get_by_label(label(fr("Service type"))).select_option(
        label=code_label("service_type", "shelter")
    )
    add = action.get_by_role("button", name=fr("Add the action"), exact=True)
    within_screen(page, add)
    add.click()
    expect(messages(page)).to_have_text(exactly(fr("The action has been added.")))
    row = plan.get_by_role("row").filter(has_text=ACTION)
    expect(row).to_contain_text(due.isoformat())
    expect(row).to_contain_text(code_label("service_type", "shelter"))
    fits(page)

    summary = f"{move_to(Status.IMPLEMENTATION)} — {fr('request approval')}"
    request = fold(page.locator("#status"), summary)
    send = request.get_by_role("button", name=fr("Request approval"), exact=True)
    within_screen(page, send)
    send.click()
    expect(messages(page)).to_have_text(
        exactly(fr("The request has been sent to the supervisors."))
    )
    status = page.locator("#status")
    expect(status.get_by_role("heading", level=2)).to_contain_text(fr("Approval pending"))
    # While the request waits, the case offers no other move.
    expect(page.get_by_role("button", name=fr("Request approval"))).to_have_count(0)


def supervisor_approves(theirs: Any, case_code: str, kind: ApprovalKind, then: Status) -> None:
    """The supervisor opens "Approbations", finds the request and approves it: the case moves
    on to ``then``."""
    nav_link(theirs, fr("Approvals")).click()
    expect(theirs.get_by_role("heading", level=1)).to_have_text(
        fr("Requests awaiting your approval")
    )
    row = theirs.get_by_role("row").filter(has=theirs.get_by_role("link", name=case_code))
    expect(row).to_have_count(1)
    expect(row).to_contain_text(t(kind.label))
    fits(theirs)
    if kind == ApprovalKind.CLOSURE:
        expect(row).to_contain_text(t(ClosureReason.GOALS_MET.label))
    row.get_by_role("link", name=case_code).click()
    expect(theirs.get_by_role("heading", level=1)).to_have_text(fr("Case %(code)s", code=case_code))
    decision = theirs.locator("#status form").filter(
        has=theirs.get_by_role("button", name=fr("Record the decision"))
    )
    decision.get_by_label(fr("Approve"), exact=True).check()
    record = decision.get_by_role("button", name=fr("Record the decision"), exact=True)
    within_screen(theirs, record)
    record.click()
    expect(messages(theirs)).to_have_text(exactly(fr("The request has been approved.")))
    expect(theirs.get_by_role("heading", level=2, name=status_heading(then))).to_be_visible()
    # Nothing left waiting for them.
    nav_link(theirs, fr("Approvals")).click()
    expect(theirs.get_by_text(fr("No request awaits your decision."))).to_be_visible()


def record_service(page: Any) -> None:
    services = page.locator("#services")
    expect(services).to_contain_text(fr("No service recorded yet."))
    form = fold(services, fr("Record a service"))
    form.get_by_label(label(fr("Service type"))).select_option(
        label=code_label("service_type", "shelter")
    )
    form.get_by_label(label(fr("Provided by"))).select_option(label="ALPHA")
    form.get_by_label(label(fr("Date"))).fill(timezone.localdate().isoformat())
    form.get_by_label(label(fr("Quantity or amount"))).fill("3")
    form.get_by_label(label(fr("Unit"))).select_option(label=t(Unit.NIGHT.label))
    form.get_by_label(label(fr("Outcome"))).select_option(label=t(DeliveryOutcome.DELIVERED.label))
    send = form.get_by_role("button", name=fr("Record the service"), exact=True)
    within_screen(page, send)
    send.click()
    expect(messages(page)).to_have_text(exactly(fr("The service has been recorded.")))
    row = (
        page.locator("#services")
        .get_by_role("row")
        .filter(has_text=code_label("service_type", "shelter"))
    )
    expect(row).to_have_count(1)
    expect(row).to_contain_text("ALPHA")
    expect(row.get_by_role("cell").nth(3)).to_contain_text(
        re.compile(rf"^\s*3 {t(Unit.NIGHT.label)}")
    )
    expect(row).to_contain_text(t(DeliveryOutcome.DELIVERED.label))
    expect(row).to_contain_text(timezone.localdate().isoformat())
    fits(page)


def request_closure(page: Any) -> None:
    summary = f"{fr('Close the case')} — {fr('request approval')}"
    request = fold(page.locator("#status"), summary)
    request.get_by_label(label(fr("Reason for closing"))).select_option(
        label=t(ClosureReason.GOALS_MET.label)
    )
    send = request.get_by_role("button", name=fr("Request approval"), exact=True)
    within_screen(page, send)
    send.click()
    expect(messages(page)).to_have_text(
        exactly(fr("The request has been sent to the supervisors."))
    )
    expect(page.locator("#status")).to_contain_text(t(ClosureReason.GOALS_MET.label))


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_caseworker_takes_a_person_from_registration_to_a_closed_case(
    page: Any,
    new_context: Callable[..., Any],
    live_server: Any,
    org_a: Any,
    password: str,
    viewport: str,
    tmp_path: Any,
) -> None:
    base = live_server.url
    caseworker, supervisor = org_a["caseworker"], org_a["supervisor"]
    log_in(page, base, caseworker.username, password)

    case_code = register_person(page, base)
    person_url = page.url
    screen_and_open(page, case_code)
    case_url = page.url
    plan_and_request_approval(page)

    theirs = new_context(viewport).new_page()
    log_in(theirs, base, supervisor.username, password)
    supervisor_approves(theirs, case_code, ApprovalKind.CASE_PLAN, then=Status.IMPLEMENTATION)

    page.goto(case_url)
    expect(
        page.get_by_role("heading", level=2, name=status_heading(Status.IMPLEMENTATION))
    ).to_be_visible()
    record_service(page)
    request_closure(page)

    supervisor_approves(theirs, case_code, ApprovalKind.CLOSURE, then=Status.CLOSED)

    # The caseworker sees the case closed, with its reason, and the moves in the history.
    page.goto(case_url)
    expect(page.get_by_role("heading", level=2, name=status_heading(Status.CLOSED))).to_be_visible()
    closed = page.locator("#status dl")
    expect(closed).to_contain_text(fr("Closed"))
    expect(closed).to_contain_text(t(ClosureReason.GOALS_MET.label))
    history = page.locator("#history li")
    moves = [
        (Status.OPEN, Status.ASSESSMENT),
        (Status.ASSESSMENT, Status.CASE_PLAN),
        (Status.CASE_PLAN, Status.IMPLEMENTATION),
        (Status.IMPLEMENTATION, Status.CLOSED),
    ]
    for before, after in moves:
        expect(history.filter(has_text=f"{t(before.label)} → {t(after.label)}")).to_have_count(1)
    expect(
        history.filter(has_text=f"{t(Status.IMPLEMENTATION.label)} → {t(Status.CLOSED.label)}")
    ).to_contain_text(t(ClosureReason.GOALS_MET.label))
    # A closed case takes no new plan or service.
    expect(page.get_by_text(fr("Record a service"), exact=True)).to_have_count(0)
    if viewport == "phone":
        assert page.viewport_size == PHONE
        fits(page)
        shot = tmp_path / "case-phone.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert shot.stat().st_size > 10_000

    # The person's page lists the closed case.
    page.goto(person_url)
    panel = page.get_by_role("region", name=fr("Case management"))
    expect(panel.get_by_role("link", name=t(Status.CLOSED.label), exact=True)).to_be_visible()

    # What must have happened, in the database.
    person = Person.objects.get(case_code=case_code)
    assert person.organisation == org_a.org
    identity = Identity.objects.get(person=person)
    assert (identity.given_names, identity.family_names) == (GIVEN_NAMES, FAMILY_NAMES)
    assert IdentityDocument.objects.filter(person=person).count() == 1
    consent = Consent.objects.get(person=person, scope=ConsentScope.SERVICES)
    assert (consent.given_by, consent.method, consent.withdrawn_at) == (
        ConsentGiver.SELF,
        ConsentMethod.ORAL_WITNESSED,
        None,
    )
    assert consent.language.code == "fra"
    case = Case.objects.get(person=person)
    screening = case.opened_from
    assert screening.person == person
    assert screening.intervention_rating == Priority.HIGH
    assert screening.outcome == ScreeningOutcome.CASE_OPENED
    assert set(screening.protection_flags.values_list("code", flat=True)) == {"trafficking"}
    assert case.caseworker == caseworker
    assert case.status == Status.CLOSED
    assert case.closure_reason == ClosureReason.GOALS_MET
    assert case.closed_at is not None
    delivery = ServiceDelivery.objects.get(case=case)
    assert delivery.provider == org_a.org
    assert delivery.service_type.code == "shelter"
    assert delivery.quantity == 3
    assert delivery.outcome == DeliveryOutcome.DELIVERED
    approvals = CaseApproval.objects.filter(case=case).order_by("created_at")
    assert [(a.kind, a.status, a.decided_by) for a in approvals] == [
        (ApprovalKind.CASE_PLAN, "approved", supervisor),
        (ApprovalKind.CLOSURE, "approved", supervisor),
    ]
