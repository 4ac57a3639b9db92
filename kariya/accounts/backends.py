from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from kariya.accounts.models import User


class KariyaBackend(ModelBackend):
    """Username and password; loads the user with organisation and roles in one go.

    A user of a deactivated organisation cannot log in, nor keep a session.
    """

    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        org = getattr(user, "organisation", None)
        return org is None or org.is_active

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = (
                User.objects.select_related("organisation")
                .prefetch_related("roles")
                .get(pk=user_id)
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
