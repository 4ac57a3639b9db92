"""The request type views behind the gate receive (for type checking)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from kariya.accounts.models import Organisation, User


class AuthedRequest(HttpRequest):
    """A request that passed the gate: a logged-in user, resolved by OrganisationMiddleware."""

    user: User  # type: ignore[assignment]
    org: Organisation
    roles: frozenset[str]
    perms_granted: frozenset[str]
