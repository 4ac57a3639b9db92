"""Who may see or touch directory entries. The only place that decides it.

Directory entries describe services, not people: a *published* entry is public (no login).
Staff reach the rest by these rules, one condition per line:

- ``directory.view`` (every staff role) sees its own organisation's entries in every status,
  pending revisions included, and the published entries of the network;
- ``directory.moderate`` (network coordinator) also sees every submitted entry or revision of
  the network (the moderation queue);
- ``directory.edit`` (service focal point, network coordinator) writes its own organisation's
  entries; moderation is network-wide.

Every ``*_get_for`` answers 404 (``Http404``) both when the entry does not exist and when the
actor may not reach it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from kariya.core.access import actor_can as can
from kariya.core.access import public_id_or_404 as _uuid
from kariya.directory.models import Service, Status

VIEW = "directory.view"
EDIT = "directory.edit"
MODERATE = "directory.moderate"


def visible_services(actor: Any) -> QuerySet[Service]:
    """Every row (entries and revisions) the actor may see; empty without ``directory.view``."""
    if not can(actor, VIEW):
        return Service.objects.none()  # type: ignore[no-any-return]
    rule = Q(organisation_id=actor.organisation_id)
    rule |= Q(status=Status.PUBLISHED, revision_of__isnull=True)
    if can(actor, MODERATE):
        rule |= Q(status=Status.SUBMITTED)
    return Service.objects.filter(rule)  # type: ignore[no-any-return]


def can_see_service(actor: Any, service: Service) -> bool:
    if not can(actor, VIEW):
        return False
    if service.organisation_id == actor.organisation_id:
        return True
    if service.status == Status.PUBLISHED and not service.is_revision:
        return True
    return can(actor, MODERATE) and service.status == Status.SUBMITTED


def can_edit_service(actor: Any, service: Service) -> bool:
    """Write the entry's content, submit it, verify it, set its availability."""
    if not can(actor, EDIT):
        return False
    return bool(service.organisation_id == actor.organisation_id)


def can_moderate(actor: Any) -> bool:
    """Approve, reject (network-wide), archive any entry, add public services."""
    return can(actor, MODERATE)


def can_archive_service(actor: Any, service: Service) -> bool:
    return can_edit_service(actor, service) or can_moderate(actor)


def _get(queryset: QuerySet[Service], public_id: Any) -> Service:
    try:
        return queryset.select_related(  # type: ignore[no-any-return]
            "organisation", "service_type", "site", "commune", "region", "focal_point"
        ).get(public_id=_uuid(public_id))
    except Service.DoesNotExist as exc:
        raise Http404 from exc


def service_get_for(actor: Any, public_id: Any) -> Service:
    """An entry (or revision) the actor may see, or 404."""
    return _get(visible_services(actor), public_id)


def service_get_for_edit(actor: Any, public_id: Any) -> Service:
    """An entry (or revision) of the actor's organisation that the actor may write, or 404."""
    if not can(actor, EDIT):
        raise Http404
    return _get(Service.objects.filter(organisation_id=actor.organisation_id), public_id)


def service_get_for_moderation(actor: Any, public_id: Any) -> Service:
    """A submitted entry or revision of any organisation, for a moderator, or 404."""
    if not can(actor, MODERATE):
        raise Http404
    return _get(Service.objects.filter(status=Status.SUBMITTED), public_id)


def public_service_get(public_id: Any) -> Service:
    """A published entry for the public directory (no login), or 404. An entry of a
    deactivated organisation is not shown."""
    return _get(Service.objects.published().filter(organisation__is_active=True), public_id)
