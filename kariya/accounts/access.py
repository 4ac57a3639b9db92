"""Who may see or touch organisations and users. The only place that decides it.

Every function answers 404 (``Http404``) both when the record does not exist and when the
actor may not reach it.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from kariya.accounts.models import Office, Organisation, User
from kariya.core.access import actor_can as _can
from kariya.core.access import public_id_or_404 as _uuid


def user_get_for(actor: Any, public_id: Any) -> User:
    """A user of the actor's own organisation, for an organisation admin."""
    if not _can(actor, "accounts.manage_users"):
        raise Http404
    try:
        return (
            User.objects.select_related("organisation", "office")
            .prefetch_related("roles")
            .get(public_id=_uuid(public_id), organisation_id=actor.organisation_id)
        )
    except User.DoesNotExist as exc:
        raise Http404 from exc


def organisation_get_for(actor: Any, public_id: Any) -> Organisation:
    """Any organisation, to read (organisations are not personal data)."""
    if not _can(actor, "accounts.view_organisations"):
        raise Http404
    try:
        return Organisation.objects.get(public_id=_uuid(public_id))
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


def organisation_get_for_edit(actor: Any, public_id: Any) -> Organisation:
    """Any organisation, for a network coordinator to edit."""
    if not _can(actor, "accounts.manage_organisations"):
        raise Http404
    try:
        return Organisation.objects.get(public_id=_uuid(public_id))
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


def office_get_for_edit(actor: Any, public_id: Any) -> Office:
    if not _can(actor, "accounts.manage_organisations"):
        raise Http404
    try:
        return Office.objects.select_related("organisation", "commune").get(
            public_id=_uuid(public_id)
        )
    except Office.DoesNotExist as exc:
        raise Http404 from exc


def can_manage_organisations(actor: Any) -> bool:
    return _can(actor, "accounts.manage_organisations")
