"""Core models: the organisation-scoped base every personal record inherits, and the audit log."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrgScopedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def for_org(self, organisation: Any) -> OrgScopedQuerySet:
        return self.filter(organisation=organisation)


class OrgScopedModel(models.Model):
    """A record owned by one organisation, known outside by a random public id.

    ``version`` supports optimistic locking (``kariya.core.locking``): an edit made from a
    stale copy is refused instead of overwriting someone else's change.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects: ClassVar[Any] = OrgScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    EXPORT = "export", _("export")
    MERGE = "merge", _("merge")
    LOGIN = "login", _("log in")
    LOGIN_FAILED = "login_failed", _("failed log-in")
    LOGOUT = "logout", _("log out")
    DEACTIVATE = "deactivate", _("deactivate")
    REACTIVATE = "reactivate", _("reactivate")
    PASSWORD = "password", _("password change")
    ROTATE_KEYS = "rotate_keys", _("key rotation")


class AppendOnlyError(Exception):
    """The audit log is append-only."""


class AuditQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events cannot be changed")


class AuditEvent(models.Model):
    """Who did what to which record, when and from where. Never field values."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
        # Served by ``audit_actor_at`` (leading column): a second index would only cost inserts.
        db_index=False,
        # No foreign-key constraint in the database: users and organisations are never deleted
        # (``PROTECT``, enforced by the ORM; they are deactivated), and on PostgreSQL each
        # inserted event paid two deferred trigger checks with a row lock on the user — 0.6 to
        # 0.9 ms for the 50 events of a list page (docs/benchmarks.md). The log keeps the ids.
        db_constraint=False,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        db_index=False,  # served by ``audit_org_at``
        db_constraint=False,  # as ``actor``
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("record type"), max_length=60, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True, db_index=True)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    objects: ClassVar[Any] = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-at"], name="audit_org_at"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")
