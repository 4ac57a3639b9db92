"""Reads of cases and their parts, already scoped to what the actor may see.

Nothing here reads the GBV section: it is reached only through ``access.gbv_get_for``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from kariya.cases import access
from kariya.cases.models import (
    ActionStatus,
    Case,
    CaseApproval,
    CaseNote,
    CasePlanAction,
    CasePlanGoal,
    CaseStatusChange,
    FollowUpVisit,
    ServiceDelivery,
)

# Tasks due within this many days count as "due"; earlier ones are overdue.
DUE_SOON_DAYS = 7


def case_list_for(
    actor: Any,
    *,
    status: str = "",
    priority: str = "",
    caseworker: Any = None,
) -> QuerySet[Case]:
    """The cases ``actor`` may see, filtered, newest first; paginate the result. The rows carry
    their person, caseworker and screening, so a page costs a constant number of queries."""
    cases = access.visible_cases(actor)
    if status:
        cases = cases.filter(status=status)
    if priority:
        cases = cases.filter(priority=priority)
    if caseworker is not None:
        cases = cases.filter(caseworker=caseworker)
    return cases.select_related(  # type: ignore[no-any-return]
        "person", "caseworker", "opened_from"
    ).order_by("-opened_at", "-id")


def case_plan(*, case: Case) -> QuerySet[CasePlanGoal]:
    return CasePlanGoal.objects.filter(case=case).prefetch_related(  # type: ignore[no-any-return]
        "actions__service_type"
    )


def case_deliveries(*, case: Case) -> QuerySet[ServiceDelivery]:
    return ServiceDelivery.objects.filter(case=case).select_related(  # type: ignore[no-any-return]
        "service_type", "provider"
    )


def case_follow_ups(*, case: Case) -> QuerySet[FollowUpVisit]:
    return FollowUpVisit.objects.filter(case=case).select_related(  # type: ignore[no-any-return]
        "visited_by"
    )


def case_notes(*, case: Case) -> QuerySet[CaseNote]:
    return CaseNote.objects.filter(case=case).select_related(  # type: ignore[no-any-return]
        "created_by"
    )


def case_history(*, case: Case) -> QuerySet[CaseStatusChange]:
    return CaseStatusChange.objects.filter(case=case).select_related(  # type: ignore[no-any-return]
        "created_by"
    )


def approvals_pending_for(actor: Any) -> QuerySet[CaseApproval]:
    """Requests a supervisor may decide: own organisation, not their own, not their cases."""
    if not access.can(actor, access.APPROVE):
        return CaseApproval.objects.none()  # type: ignore[no-any-return]
    return (  # type: ignore[no-any-return]
        CaseApproval.objects.filter(organisation_id=actor.organisation_id, status="pending")
        .exclude(requested_by_id=actor.pk)
        .exclude(case__caseworker_id=actor.pk)
        .select_related("case__person", "requested_by")
        .order_by("created_at")
    )


@dataclass
class TaskList:
    overdue_actions: list[CasePlanAction]
    due_actions: list[CasePlanAction]
    overdue_follow_ups: list[FollowUpVisit]
    due_follow_ups: list[FollowUpVisit]

    @property
    def overdue_count(self) -> int:
        return len(self.overdue_actions) + len(self.overdue_follow_ups)


def tasks_for(actor: Any, *, today: datetime.date | None = None, limit: int = 200) -> TaskList:
    """The actor's task list: plan actions still to do and planned follow-up visits not yet
    made, on the active cases assigned to them, due within ``DUE_SOON_DAYS`` or overdue."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    if not access.can(actor, access.MANAGE):
        return TaskList([], [], [], [])
    mine = Q(
        case__organisation_id=actor.organisation_id,
        case__caseworker_id=actor.pk,
    ) & ~Q(case__status="closed")
    actions = list(
        CasePlanAction.objects.filter(mine, status=ActionStatus.PENDING, due_on__lte=horizon)
        .select_related("case__person", "service_type")
        .order_by("due_on", "id")[:limit]
    )
    visits = list(
        FollowUpVisit.objects.filter(mine, visited_on__isnull=True, due_on__lte=horizon)
        .select_related("case__person")
        .order_by("due_on", "id")[:limit]
    )
    return TaskList(
        overdue_actions=[a for a in actions if a.due_on < today],
        due_actions=[a for a in actions if a.due_on >= today],
        overdue_follow_ups=[v for v in visits if v.due_on is not None and v.due_on < today],
        due_follow_ups=[v for v in visits if v.due_on is not None and v.due_on >= today],
    )
