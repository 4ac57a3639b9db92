"""Reads of the audit log, scoped to the reader's organisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from kariya.core.models import AuditEvent


def audit_events_for(
    *,
    actor: Any,
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    actor_public_id: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Events of the actor's own organisation (a DPO reads their organisation's log only)."""
    qs: QuerySet[AuditEvent] = AuditEvent.objects.filter(
        organisation=actor.organisation
    ).select_related("actor")
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor_public_id:
        qs = qs.filter(actor__public_id=actor_public_id)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(
            at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        )
    return qs.order_by("-at", "-id")


def audit_object_types(*, actor: Any) -> list[str]:
    return list(
        AuditEvent.objects.filter(organisation=actor.organisation)
        .exclude(object_type="")
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )


def audit_summary(*, actor: Any, days: int = 7) -> dict[str, int]:
    since = timezone.now() - dt.timedelta(days=days)
    rows = (
        AuditEvent.objects.filter(organisation=actor.organisation, at__gte=since)
        .values_list("action")
        .annotate(n=Count("id"))
    )
    return dict(rows.values_list("action", "n"))
