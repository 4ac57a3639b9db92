"""Writing to the audit log. Services call :func:`audit_record`; nothing else writes events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from kariya.core.bulk import insert_rows
from kariya.core.context import request_meta
from kariya.core.models import AuditAction, AuditEvent


def _object_ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    public_id = getattr(obj, "public_id", None)
    identifier = str(public_id) if public_id is not None else str(obj.pk)
    return obj._meta.label_lower, identifier


def audit_record(
    *,
    actor: Any,
    action: AuditAction | str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    changed_fields: Iterable[str] = (),
    organisation: Any = None,
) -> AuditEvent:
    """Append one event. ``changed_fields`` are field *names*; values are never logged."""
    if obj is not None:
        object_type, object_id = _object_ref(obj)
    meta = request_meta()
    user = actor if getattr(actor, "is_authenticated", False) else None
    if organisation is None and user is not None:
        organisation = getattr(user, "organisation", None)
    event = AuditEvent(
        actor=user,
        organisation=organisation,
        action=str(action),
        object_type=object_type,
        object_id=object_id,
        changed_fields=sorted(set(changed_fields)),
        ip=meta.ip if meta else None,
        user_agent=(meta.user_agent if meta else "")[:300],
    )
    event.save()
    return event


def audit_reads(
    *,
    actor: Any,
    objects: Iterable[models.Model] = (),
    refs: Iterable[tuple[str, str]] = (),
    searches: Iterable[tuple[str, Iterable[str]]] = (),
) -> int:
    """Log that ``actor`` was shown each of ``objects``: one insert for the lot, through
    ``core.bulk`` (a list page logs 50 reads; building 50 events with the ORM showed in its
    server time). ``refs``: more objects shown, as ``(object_type, object_id)``, for a list
    read as values rather than instances. ``searches``: read events without an object —
    ``(object_type, criteria)``, the criteria's names only — written in the same insert (a
    search and the identities it listed: one round trip). Returns how many events were
    written."""
    meta = request_meta()
    user = actor if getattr(actor, "is_authenticated", False) else None
    base: dict[str, Any] = {
        "at": timezone.now(),
        "actor_id": user.pk if user is not None else None,
        "organisation_id": getattr(user, "organisation_id", None),
        "action": AuditAction.READ.value,
        "changed_fields": [],
        "ip": meta.ip if meta else None,
        "user_agent": (meta.user_agent if meta else "")[:300],
    }
    rows = [
        {
            **base,
            "object_type": object_type,
            "object_id": "",
            "changed_fields": sorted(set(criteria)),
        }
        for object_type, criteria in searches
    ]
    for object_type, object_id in [*map(_object_ref, objects), *refs]:
        rows.append({**base, "object_type": object_type, "object_id": object_id})
    insert_rows(AuditEvent, rows)
    return len(rows)
