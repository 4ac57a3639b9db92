"""Reads of cases and their parts, already scoped to what the actor may see.

Nothing here reads the GBV section: it is reached only through ``access.gbv_get_for``.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kariya.accounts.models import User
from kariya.accounts.roles import Role
from kariya.cases import access
from kariya.cases.models import (
    ActionStatus,
    Case,
    CaseApproval,
    CaseListKey,
    CaseNote,
    CasePlanAction,
    CasePlanGoal,
    CaseStatusChange,
    FollowUpVisit,
    ListKeyKind,
    Screening,
    ServiceDelivery,
    VulnerabilityAssessment,
)
from kariya.cases.priority import Priority
from kariya.cases.workflow import Status
from kariya.codelists.models import Code
from kariya.geo.models import AdminUnit
from kariya.people.access import PersonRef
from kariya.people.selectors import person_search

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


# --- pages: case search, overdue markers, a person's case panel ------------------------------

# Sort orders of the case list. "-opened" (the default) and "opened" are one index range
# (``case_org_opened``). Priority and status sort by their meaning, not alphabetically: rather
# than ordering by a CASE expression (a sort of every visible case, which no index serves on
# both databases), the list is read as consecutive segments, one per value in order, each an
# index range (``case_org_priority``, ``case_org_status``) — see :class:`SegmentedCases`.
OPENED_ORDER: dict[str, tuple[str, ...]] = {
    "-opened": ("-opened_at", "-id"),
    "opened": ("opened_at", "id"),
}
SEGMENTED_ORDER: dict[str, tuple[str, list[str]]] = {
    "priority": ("priority", [Priority.HIGH, Priority.MEDIUM, Priority.LOW]),
    "status": ("status", list(Status.values)),
}
CASE_SORTS = [*OPENED_ORDER, *SEGMENTED_ORDER]


class SegmentedCases:
    """Cases ordered by the values of ``field`` in the given order, newest first within each
    value, readable by slices like a queryset (so ``Paginator`` takes it).

    ``count()`` is one grouped query; a slice reads only the segments it spans, each with
    ``field = value ORDER BY opened_at DESC, id DESC`` and OFFSET/LIMIT within it: one query
    per segment touched (at most one per value, usually one), whatever the number of rows.
    """

    def __init__(
        self,
        cases: QuerySet[Any],
        field: str,
        values: list[str],
        *,
        order: tuple[str, ...] = ("-opened_at", "-id"),
    ) -> None:
        self.cases = cases
        self.field = field
        self.values = values
        self.order = order
        self._counts: dict[str, int] | None = None

    def counts(self) -> dict[str, int]:
        if self._counts is None:
            rows = self.cases.order_by().values_list(self.field).annotate(n=Count("id"))
            self._counts = dict(rows)
        return self._counts

    def count(self) -> int:
        return sum(self.counts().get(value, 0) for value in self.values)

    def count_upto(self, limit: int) -> int:
        """The count, stopping at ``limit`` (``core.paging.CappedPaginator``): each segment in
        turn counts at most the rows still missing, and the segments after the limit count as
        empty — slices below the limit never reach them. A query per segment counted."""
        if self._counts is None:
            counts: dict[str, int] = {}
            total = 0
            for value in self.values:
                missing = limit - total
                segment = self.cases.filter(**{self.field: value}).order_by()
                counts[value] = segment[:missing].count() if missing > 0 else 0
                total += counts[value]
            self._counts = counts
        return min(self.count(), limit)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Any]:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("SegmentedCases supports plain slices only")
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        rows: list[Any] = []
        offset = 0  # position of the current segment's first row in the whole list
        for value in self.values:
            size = self.counts().get(value, 0)
            lo, hi = max(start, offset), min(stop, offset + size)
            if lo < hi:
                segment = self.cases.filter(**{self.field: value}).order_by(*self.order)
                rows.extend(segment[lo - offset : hi - offset])
            offset += size
            if offset >= stop:
                break
        return rows


def case_search(
    actor: Any,
    *,
    case_code: str = "",
    text: str = "",
    phone: str = "",
    document: str = "",
    status: str = "",
    priority: str = "",
    caseworker: Any = None,
    commune: AdminUnit | None = None,
    specific_need: Code | None = None,
    sort: str = "-opened",
    ids_only: bool = False,
) -> QuerySet[Case] | SegmentedCases:
    """The cases ``actor`` may see (``access.visible_cases``) matching every filter given.

    Case code, name, phone and document go through ``people.selectors.person_search`` (name,
    phone and document need ``people.view_identity``: without it they match nothing). The
    commune is the person's current commune (migration profile); a specific need matches the
    UNHCR code, or any of its sub-codes, recorded in one of the person's vulnerability
    assessments. Only a supervisor (``cases.view_all``) filters by caseworker. ``sort`` is one
    of ``CASE_SORTS``. ``ids_only``: the cases' ids, in order, for a page to be read by
    ``case_rows`` (sorting and cutting a page from the cases table alone: with a filter that
    keeps 20,000 cases, joining each to its person before sorting cost 80 ms at a million
    people). Not evaluated: paginate it; the case list reads the ids ahead, count and page in
    one query (``CappedPaginator(read_ahead=True)``), or one query per segment counted and
    read for the priority and status orders.
    """
    conditions: dict[str, Any] = {}
    if case_code.strip() or text.strip() or phone.strip() or document.strip():
        people = person_search(
            actor=actor, text=text, phone=phone, document=document, case_code=case_code
        )
        conditions["person_id__in"] = people.values("pk")
    if status:
        conditions["status"] = status
    if priority:
        conditions["priority"] = priority
    if caseworker is not None and access.can(actor, access.VIEW_ALL):
        conditions["caseworker"] = caseworker
    # The commune and the specific need are read from the list's keys (CaseListKey): one
    # index range per value, in date order, instead of a walk through the organisation's
    # cases probing each person's profile or assessments (at a million people the capped
    # count of "survivor of violence" walked 15,000 cases: 60–120 ms).
    keys: list[tuple[str, int]] = []
    if commune is not None:
        keys.append((ListKeyKind.COMMUNE, commune.pk))
    if specific_need is not None:
        keys.append((ListKeyKind.NEED, specific_need.pk))
    if keys and ids_only:
        return _case_ids_by_keys(actor, keys, conditions, sort)
    cases = access.visible_cases(actor).filter(**conditions)
    for kind, value in keys:
        cases = cases.filter(
            Exists(CaseListKey.objects.filter(case_id=OuterRef("id"), kind=kind, value=value))
        )
    if ids_only:
        cases = cases.values_list("id", flat=True)  # type: ignore[assignment]
    else:
        cases = cases.select_related("person", "caseworker")
    if sort in SEGMENTED_ORDER:
        field, values = SEGMENTED_ORDER[sort]
        return SegmentedCases(cases, field, values)
    return cases.order_by(*OPENED_ORDER.get(sort, OPENED_ORDER["-opened"]))  # type: ignore[no-any-return]


KEY_ORDER: dict[str, tuple[str, ...]] = {
    "-opened": ("-opened_at", "-case_id"),
    "opened": ("opened_at", "case_id"),
}


def _case_ids_by_keys(
    actor: Any, keys: list[tuple[str, int]], conditions: dict[str, Any], sort: str
) -> QuerySet[Any] | SegmentedCases:
    """The ids of the visible cases having every key, read from the first key's index range
    in the order asked (``case_list_key_page``), each row's case checked for the other
    conditions by its primary key."""
    kind, value = keys[0]
    rows = access.visible_case_keys(actor).filter(kind=kind, value=value)
    for kind, value in keys[1:]:
        rows = rows.filter(
            Exists(CaseListKey.objects.filter(case_id=OuterRef("case_id"), kind=kind, value=value))
        )
    rows = rows.filter(**{f"case__{name}": v for name, v in conditions.items()})
    ids = rows.values_list("case_id", flat=True)
    if sort in SEGMENTED_ORDER:
        field, values = SEGMENTED_ORDER[sort]
        return SegmentedCases(ids, f"case__{field}", values, order=KEY_ORDER["-opened"])
    return ids.order_by(*KEY_ORDER.get(sort, KEY_ORDER["-opened"]))


@dataclass(frozen=True, slots=True)
class CaseListRow:
    """A row of the case list: what the list shows, read as values. Building a model instance
    for each case, its person and its caseworker (150 for a page) was a tenth of the list's
    server time."""

    public_id: uuid.UUID
    person: PersonRef
    case_code: str
    priority: str
    status: str
    opened_at: datetime.datetime
    caseworker: str
    overdue: bool


def case_rows(
    actor: Any, ids: Sequence[int], *, today: datetime.date | None = None
) -> list[CaseListRow]:
    """The cases of ``ids`` that ``actor`` may see, in the order of ``ids``, as the list's
    rows (one query). A case is overdue when it has a plan action still to do or a planned
    follow-up visit past its date."""
    today = today or timezone.localdate()
    query = (
        access.visible_cases(actor)
        .filter(id__in=ids)
        .annotate(
            late_action=Exists(
                CasePlanAction.objects.filter(
                    case_id=OuterRef("id"), status=ActionStatus.PENDING, due_on__lt=today
                )
            ),
            late_visit=Exists(
                FollowUpVisit.objects.filter(
                    case_id=OuterRef("id"), visited_on__isnull=True, due_on__lt=today
                )
            ),
        )
        .values_list(
            "id",
            "public_id",
            "person_id",
            "person__organisation_id",
            "person__case_code",
            "priority",
            "status",
            "opened_at",
            "caseworker__first_name",
            "caseworker__last_name",
            "caseworker__username",
            "late_action",
            "late_visit",
        )
    )
    found = {
        row[0]: CaseListRow(
            public_id=row[1],
            person=PersonRef(row[2], row[3]),
            case_code=row[4],
            priority=row[5],
            status=row[6],
            opened_at=row[7],
            # User.get_full_name, or the username when the user has no name.
            caseworker=f"{row[8]} {row[9]}".strip() or row[10],
            overdue=bool(row[11] or row[12]),
        )
        for row in query
    }
    return [found[pk] for pk in ids if pk in found]


def organisation_caseworkers(actor: Any) -> QuerySet[User]:
    """The active caseworkers of the actor's organisation (to filter by or assign to)."""
    return (  # type: ignore[no-any-return]
        User.objects.filter(
            organisation_id=actor.organisation_id,
            is_active=True,
            roles__role=Role.CASEWORKER,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def case_action(*, case: Case, public_id: Any) -> CasePlanAction:
    """A plan action of ``case`` (which the caller got through ``access``), or 404."""
    return get_object_or_404(
        CasePlanAction.objects.select_related("case"), case=case, public_id=public_id
    )


def case_opened_from(*, screening: Screening) -> Case | None:
    """The case opened from ``screening`` (which the caller got through ``access``), if any,
    whether or not the actor may see it: the caller asks ``access.can_see_case``."""
    case: Case | None = Case.objects.filter(opened_from=screening).first()
    return case


def case_pending_approval(*, case: Case) -> CaseApproval | None:
    """The request awaiting a decision on ``case`` (at most one)."""
    approval: CaseApproval | None = (
        CaseApproval.objects.filter(case=case, status="pending")
        .select_related("requested_by")
        .first()
    )
    return approval


def case_approvals(*, case: Case) -> QuerySet[CaseApproval]:
    return CaseApproval.objects.filter(case=case).select_related(  # type: ignore[no-any-return]
        "requested_by", "decided_by"
    )


def case_planned_visits(*, case: Case) -> QuerySet[FollowUpVisit]:
    """Follow-up visits of ``case`` planned and not yet made, soonest first."""
    return FollowUpVisit.objects.filter(  # type: ignore[no-any-return]
        case=case, visited_on__isnull=True
    ).order_by("due_on", "id")


def case_assessments(*, case: Case) -> QuerySet[VulnerabilityAssessment]:
    return VulnerabilityAssessment.objects.filter(case=case).order_by(  # type: ignore[no-any-return]
        "-assessed_on", "-id"
    )


@dataclass
class PersonCasework:
    screenings: list[Screening]
    assessments: list[VulnerabilityAssessment]
    cases: list[Case]


PANEL_LIMIT = 20


def person_casework(actor: Any, person: Any, *, limit: int = PANEL_LIMIT) -> PersonCasework:
    """What the actor may see of a person's screenings, assessments and cases (newest first,
    at most ``limit`` each): three queries."""
    return PersonCasework(
        screenings=list(
            access.visible_screenings(actor)
            .filter(person_id=person.pk)
            .select_related("office", "case")
            .order_by("-screened_on", "-id")[:limit]
        ),
        assessments=list(
            access.visible_assessments(actor)
            .filter(person_id=person.pk)
            .order_by("-assessed_on", "-id")[:limit]
        ),
        cases=list(
            access.visible_cases(actor)
            .filter(person_id=person.pk)
            .select_related("caseworker")
            .order_by("-opened_at", "-id")[:limit]
        ),
    )


# --- home page ----------------------------------------------------------------------------------


@dataclass
class Caseload:
    active_by_status: dict[str, int]
    high_priority: int
    overdue_tasks: int
    due_tasks: int
    pending_approvals: int


def caseload_for(actor: Any, *, today: datetime.date | None = None) -> Caseload:
    """What the home page shows of case work: the visible active cases by status, how many are
    high priority, the actor's overdue and due tasks, the approvals waiting for the actor. Four
    grouped or counting queries, whatever the number of cases."""
    today = today or timezone.localdate()
    active = access.visible_cases(actor).exclude(status=Status.CLOSED)
    by_status: dict[str, int] = {}
    high = 0
    rows = active.order_by().values_list("status", "priority").annotate(n=Count("id"))
    for status, level, n in rows:
        by_status[status] = by_status.get(status, 0) + n
        high += n if level == Priority.HIGH else 0
    overdue = due = 0
    if access.can(actor, access.MANAGE):
        horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
        mine = Q(case__organisation_id=actor.organisation_id, case__caseworker_id=actor.pk) & ~Q(
            case__status=Status.CLOSED
        )
        for model, pending in (
            (CasePlanAction, Q(status=ActionStatus.PENDING)),
            (FollowUpVisit, Q(visited_on__isnull=True)),
        ):
            counts = model.objects.filter(mine, pending, due_on__lte=horizon).aggregate(
                overdue=Count("id", filter=Q(due_on__lt=today)), all=Count("id")
            )
            overdue += counts["overdue"]
            due += counts["all"] - counts["overdue"]
    approvals = approvals_pending_for(actor).count() if access.can(actor, access.APPROVE) else 0
    ordered = {s: by_status[s] for s in Status.values if s in by_status}
    return Caseload(ordered, high, overdue, due, approvals)
