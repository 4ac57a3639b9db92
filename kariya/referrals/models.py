"""Referrals from a case to a directory service, their history, and in-app notifications.

A referral belongs to the referring organisation (``organisation``); the receiving
organisation (``to_organisation``) reaches it only through ``access.py`` and only sees the
snapshot of the fields the referral shares (``shared_data``), only while it is open.
"""

from __future__ import annotations

import datetime
import json
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kariya.cases.models import DeliveryOutcome
from kariya.core.fields import EncryptedTextField
from kariya.core.models import OrgScopedModel, OrgScopedQuerySet

USER = settings.AUTH_USER_MODEL


class Priority(models.TextChoices):
    EMERGENCY = "emergency", pgettext_lazy("referral priority", "Emergency")
    URGENT = "urgent", pgettext_lazy("referral priority", "Urgent")
    NORMAL = "normal", pgettext_lazy("referral priority", "Normal")


# From the inter-agency referral form (reference/domain.md): the time the receiver has to act.
DEADLINES: dict[str, datetime.timedelta] = {
    Priority.EMERGENCY: datetime.timedelta(hours=24),
    Priority.URGENT: datetime.timedelta(hours=72),
    Priority.NORMAL: datetime.timedelta(weeks=2),
}


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("referral status", "Draft")
    SENT = "sent", pgettext_lazy("referral status", "Sent")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("referral status", "Acknowledged")
    ACCEPTED = "accepted", pgettext_lazy("referral status", "Accepted")
    DECLINED = "declined", pgettext_lazy("referral status", "Declined")
    IN_PROGRESS = "in_progress", pgettext_lazy("referral status", "In progress")
    COMPLETED = "completed", pgettext_lazy("referral status", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("referral status", "Cancelled")
    NO_SHOW = "no_show", pgettext_lazy("referral status", "No-show / lost to follow-up")


# The receiver has something to do (and the referral can be overdue) in these statuses.
WAITING = (Status.SENT, Status.ACKNOWLEDGED)
# Open: the receiving organisation sees the shared fields. Closed: nobody outside does.
OPEN = (Status.SENT, Status.ACKNOWLEDGED, Status.ACCEPTED, Status.IN_PROGRESS)
CLOSED = (Status.DECLINED, Status.COMPLETED, Status.CANCELLED, Status.NO_SHOW)


class Kind(models.TextChoices):
    REFERRAL = "referral", _("Referral")
    TRANSFER = "transfer", _("Case transfer")


class SharedField(models.TextChoices):
    """What a referral may carry about the person. Sex, age band, the reason and the services
    requested always travel (the minimum a receiver needs to take the person)."""

    NAME = "name", _("Name (instead of the case code)")
    PHONE = "phone", _("Phone numbers")
    NATIONALITY = "nationality", _("Nationalities")
    POPULATION_CATEGORY = "population_category", _("Population category")
    LANGUAGES = "languages", _("Spoken languages")
    SPECIFIC_NEEDS = "specific_needs", _("Specific needs")
    SERVICES_GIVEN = "services_given", _("Services already given")


# Shared by default: the minimum (sex and age are always shared) plus what lets the receiver
# talk to the person.
DEFAULT_SHARED = (SharedField.LANGUAGES,)
# Fields that identify the person: they need consent naming the receiving organisation.
IDENTIFYING = (SharedField.NAME, SharedField.PHONE)


class ReferralQuerySet(OrgScopedQuerySet):
    def open(self) -> ReferralQuerySet:
        return self.filter(is_open=True)  # type: ignore[return-value]

    def overdue(self, now: datetime.datetime | None = None) -> ReferralQuerySet:
        """Waiting for the receiver after the priority deadline."""
        return self.filter(  # type: ignore[return-value]
            status__in=WAITING, deadline__lt=now or timezone.now()
        )


class Referral(OrgScopedModel):
    """A referral of a case's person to a directory service. ``organisation`` is the referring
    organisation, which owns the record; ``to_organisation`` the keeper of the service."""

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REFERRAL)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    # Indexed by the composite indexes below (a single-column index would tempt the planner
    # into reading every referral of a user or an organisation).
    referred_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("referring caseworker"),
        db_index=False,
    )
    service = models.ForeignKey(
        "directory.Service",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service"),
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving organisation"),
        db_index=False,
    )
    # The service's focal point when the referral was sent, then who accepted it.
    receiving_focal_point = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receiving focal point"),
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    reason = EncryptedTextField(_("reason for the referral"))
    services_requested = models.ManyToManyField(
        "codelists.Code",
        related_name="+",
        limit_choices_to={"list": "service_type"},
        verbose_name=_("services requested"),
    )
    shared_fields = models.JSONField(_("fields shared"), default=list, blank=True)
    # What the receiver sees: a snapshot of the shared fields taken when the referral is sent
    # (JSON, encrypted), so the receiver never reads the person's records.
    shared_data = EncryptedTextField(blank=True, default="", editable=False)
    consent = models.ForeignKey(
        "people.Consent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent"),
    )
    consent_override_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    consent_override_reason = EncryptedTextField(
        _("reason for going ahead without consent"), blank=True, default=""
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.DRAFT
    )
    # Stored copy of ``status in OPEN`` (kept by the services, checked by a constraint): the
    # inbox indexes lead with it. A partial index on the open statuses would do on PostgreSQL,
    # but SQLite cannot use one when the statuses arrive as bound parameters.
    is_open = models.BooleanField(default=False, editable=False)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True, default="")
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=DeliveryOutcome.choices, blank=True, default=""
    )
    feedback = EncryptedTextField(
        _("feedback to the referring organisation"), blank=True, default=""
    )
    delivery = models.OneToOneField(
        "cases.ServiceDelivery",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referral",
        editable=False,
    )

    objects: ClassVar[Any] = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="referral_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="referral_priority_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(sent_at__isnull=False, deadline__isnull=False),
                name="referral_sent_has_deadline",
            ),
            models.CheckConstraint(
                condition=Q(is_open=True, status__in=OPEN)
                | (Q(is_open=False) & ~Q(status__in=OPEN)),
                name="referral_is_open_matches_status",
            ),
        ]
        indexes = [
            # The incoming inbox: a receiving organisation's open referrals by deadline (the
            # overdue ones are its first range). Partial: the closed ones, most of the table,
            # stay out of it.
            models.Index(
                fields=["to_organisation", "is_open", "deadline", "id", "status"],
                name="referral_incoming_open",
            ),
            # The outgoing inbox: a caseworker's (their organisation's: a case transferred
            # away takes its referrals along), and a supervisor's whole organisation.
            models.Index(
                fields=["referred_by", "organisation", "-created_at", "-id"],
                name="referral_outgoing",
            ),
            models.Index(fields=["organisation", "-created_at", "-id"], name="referral_org"),
            # The home page's counts of open ones (index-only ranges).
            models.Index(
                fields=["organisation", "is_open", "deadline", "status"],
                name="referral_org_open",
            ),
            models.Index(
                fields=["referred_by", "is_open", "deadline", "status"],
                name="referral_sender_open",
            ),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"referral {self.public_id}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    def is_overdue(self, now: datetime.datetime | None = None) -> bool:
        return (
            self.status in WAITING
            and self.deadline is not None
            and self.deadline < (now or timezone.now())
        )

    @property
    def shared(self) -> dict[str, Any]:
        """The snapshot the receiver sees (decrypted)."""
        return json.loads(self.shared_data) if self.shared_data else {}


class ReferralEvent(models.Model):
    """One step of a referral (its history, and the feedback loop)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=15, blank=True)
    to_status = models.CharField(max_length=15, choices=Status.choices)
    note = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class NotificationKind(models.TextChoices):
    REFERRAL_RECEIVED = "referral_received", _("New referral to your organisation")
    REFERRAL_UPDATED = "referral_updated", _("A referral you sent changed")
    REFERRAL_CANCELLED = "referral_cancelled", _("A referral to your organisation was cancelled")


class Notification(models.Model):
    """An in-app notice: a kind and a link, never personal data."""

    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    link = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "read_at"],
                name="notification_unread",
                condition=Q(read_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"
