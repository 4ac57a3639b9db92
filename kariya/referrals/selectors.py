"""Reads of referrals, already scoped through ``access.py``: the inboxes, their counts, a
referral's history and the shared fields as the receiver sees them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kariya.codelists.models import Code
from kariya.geo.models import Country
from kariya.people.models import Sex
from kariya.referrals import access
from kariya.referrals.models import (
    WAITING,
    Notification,
    Priority,
    Referral,
    ReferralEvent,
    Status,
)

INBOX_COLUMNS = (
    "public_id",
    "status",
    "priority",
    "deadline",
    "sent_at",
    "created_at",
    "to_organisation__name",
    "organisation__name",
    "service__name_fr",
    "service__service_type_id",
    "case__person__case_code",
)


def incoming_inbox(actor: Any, *, overdue_only: bool = False) -> QuerySet[Referral, int]:
    """Ids of the open referrals to the actor's organisation, the most urgent first (by
    deadline: the overdue ones come first). Ids only: the count and the page are index ranges
    (``referral_incoming_open``); ``inbox_rows`` reads the page's rows."""
    referrals = access.incoming(actor)
    if overdue_only:
        referrals = referrals.filter(status__in=WAITING, deadline__lt=timezone.now())
    return referrals.order_by("deadline", "id").values_list("id", flat=True)  # type: ignore[no-any-return]


def incoming_overdue_count(actor: Any) -> int:
    count: int = (
        access.incoming(actor).filter(status__in=WAITING, deadline__lt=timezone.now()).count()
    )
    return count


def outgoing_inbox(actor: Any) -> QuerySet[Referral, int]:
    """Ids of the referrals in the actor's outgoing inbox, newest first (see
    ``incoming_inbox``)."""
    return (  # type: ignore[no-any-return]
        access.outgoing(actor).order_by("-created_at", "-id").values_list("id", flat=True)
    )


def inbox_rows(ids: list[int]) -> list[dict[str, Any]]:
    """The rows of one page of an inbox, in the order of ``ids`` (one query with its joins):
    the case code, never a name."""
    rows = {
        row["id"]: row for row in Referral.objects.filter(id__in=ids).values("id", *INBOX_COLUMNS)
    }
    return [rows[i] for i in ids if i in rows]


def with_labels(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Inbox rows with their status and priority labels, deadline text and overdue flag."""
    statuses = dict(Status.choices)
    priorities = dict(Priority.choices)
    now = timezone.now()
    for row in rows:
        row["status_label"] = statuses.get(row["status"], "")
        row["priority_label"] = priorities.get(row["priority"], "")
        deadline = row["deadline"]
        row["deadline_text"] = (
            timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M") if deadline else "—"
        )
        row["overdue"] = (
            row["status"] in ("sent", "acknowledged")
            and row["deadline"] is not None
            and row["deadline"] < now
        )
    return rows


def case_referrals(actor: Any, case: Any, *, limit: int = 50) -> list[dict[str, Any]]:
    """The referrals sent from ``case`` (got by the caller through ``cases.access``), newest
    first, as inbox rows (two queries)."""
    ids = list(
        access.of_case(actor, case)
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)[:limit]
    )
    return with_labels(inbox_rows(ids))


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first (they hold a kind and a link, no personal
    data)."""
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-id")  # type: ignore[no-any-return]


@dataclass
class InboxCounts:
    incoming_open: int = 0
    incoming_waiting: int = 0
    incoming_overdue: int = 0
    outgoing_open: int = 0
    outgoing_overdue: int = 0


def inbox_counts(actor: Any, *, now: datetime.datetime | None = None) -> InboxCounts:
    """The home page figures: one query per side the actor has."""
    now = now or timezone.now()
    counts = InboxCounts()
    late = Q(status__in=WAITING, deadline__lt=now)
    if access.can(actor, access.RECEIVE):
        row = access.incoming(actor).aggregate(
            n=Count("id"),
            waiting=Count("id", filter=Q(status__in=WAITING)),
            overdue=Count("id", filter=late),
        )
        counts.incoming_open, counts.incoming_waiting, counts.incoming_overdue = (
            row["n"],
            row["waiting"],
            row["overdue"],
        )
    if access.can(actor, access.SEND):
        row = (
            access.outgoing(actor)
            .filter(is_open=True)
            .aggregate(n=Count("id"), overdue=Count("id", filter=late))
        )
        counts.outgoing_open, counts.outgoing_overdue = row["n"], row["overdue"]
    return counts


def referral_history(referral: Referral) -> QuerySet[ReferralEvent]:
    return referral.events.select_related("by", "organisation").order_by("at", "id")  # type: ignore[no-any-return]


def shared_view(referral: Referral) -> dict[str, Any]:
    """The snapshot with codes turned into labels in the active language (a few queries)."""
    data = dict(referral.shared)

    def labels(list_name: str, codes: list[str]) -> list[str]:
        found = {c.code: c.label for c in Code.objects.filter(list=list_name, code__in=codes)}
        return [found.get(c, c) for c in codes]

    if "sex" in data:
        data["sex"] = dict(Sex.choices).get(data["sex"], data["sex"])
    if "nationalities" in data:
        names = {c.iso3: c.name for c in Country.objects.filter(iso3__in=data["nationalities"])}
        data["nationalities"] = [names.get(c, c) for c in data["nationalities"]]
    if "population_category" in data:
        data["population_category"] = labels("population_category", [data["population_category"]])[
            0
        ]
    if "languages" in data:
        data["languages"] = labels("language", data["languages"])
    if "specific_needs" in data:
        data["specific_needs"] = labels("specific_need", data["specific_needs"])
    if "services_given" in data:
        kinds = labels("service_type", [c for c, _day in data["services_given"]])
        data["services_given"] = [
            (kind, day) for kind, (_c, day) in zip(kinds, data["services_given"], strict=True)
        ]
    return data
