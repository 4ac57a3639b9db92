"""The home page's case-work figures are real counts, scoped like the lists they link to."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils import timezone

from kariya.cases import services
from kariya.cases.factories import open_case


def _figure(html: str, label: str) -> str:
    found = re.search(rf"{re.escape(label)}(?:</a>)?</span><b>([^<]*)</b>", html)
    assert found, f"no figure {label!r}"
    return found.group(1)


def _home(client: Any) -> str:
    client.cookies["django_language"] = "en"
    return client.get("/").content.decode()


def test_caseworker_sees_own_cases_tasks_and_people(client: Any, org_a: Any, org_b: Any) -> None:
    mine = open_case(org_a["caseworker"])
    open_case(org_b["caseworker"])  # another organisation: never counted
    goal = services.case_plan_goal_add(actor=org_a["caseworker"], case=mine, description="Soins")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.case_plan_action_add(
        actor=org_a["caseworker"], goal=goal, description="CSI", due_on=yesterday
    )
    services.follow_up_schedule(
        actor=org_a["caseworker"], case=mine, due_on=yesterday + datetime.timedelta(days=3)
    )
    client.force_login(org_a["caseworker"])
    html = _home(client)
    assert "Your cases" in html
    assert _figure(html, "Open") == "1"
    assert _figure(html, "Your overdue tasks") == "1"
    assert _figure(html, "Your tasks due within 7 days") == "1"
    assert _figure(html, "By your organisation") == "1"
    assert "Approvals waiting for you" not in html


def test_supervisor_sees_the_organisation_and_its_approvals(client: Any, org_a: Any) -> None:
    case = open_case(org_a["caseworker"])
    open_case(org_a["caseworker"])
    services.case_request_approval(
        actor=org_a["caseworker"], case=case, kind="closure", closure_reason="goals_met"
    )
    client.force_login(org_a["supervisor"])
    html = _home(client)
    assert "Cases of your organisation" in html
    assert _figure(html, "Open") == "2"
    assert _figure(html, "Approvals waiting for you") == "1"


def test_roles_without_case_work_see_no_case_figures(client: Any, org_a: Any) -> None:
    open_case(org_a["caseworker"])
    for role in ("monitor", "org_admin", "me_officer"):
        client.force_login(org_a[role])
        html = _home(client)
        assert "Your cases" not in html
        assert "Cases of your organisation" not in html
        assert "People registered" not in html
