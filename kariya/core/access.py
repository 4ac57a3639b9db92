"""What every app's ``access.py`` starts from. The decisions stay in each app's ``access.py``;
these two helpers only say whether an actor holds a permission in its organisation, and turn
a public id from a URL or a form into a UUID (404 when it is not one, as for an absent record).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404

from kariya.accounts.roles import permissions_for


def actor_can(actor: Any, permission: str) -> bool:
    """Whether ``actor`` is logged in, belongs to an organisation, and holds ``permission``."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if getattr(actor, "organisation_id", None) is None:
        return False
    return permission in permissions_for(actor.role_codes())


def public_id_or_404(value: Any) -> uuid.UUID:
    """``value`` as a UUID, or 404: a malformed id names no record."""
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc
