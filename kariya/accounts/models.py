"""Organisations of the network, their offices, and their users with roles."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from kariya.accounts.roles import Role
from kariya.core.fields import BlindIndexField, EncryptedTextField


class OrganisationType(models.TextChoices):
    NATIONAL_NGO = "national_ngo", _("National NGO")
    ASSOCIATION = "association", _("Association")
    DIASPORA = "diaspora_association", _("Diaspora association")
    TRADE_UNION = "trade_union", _("Trade union")
    INGO = "ingo", _("International NGO")
    UN_AGENCY = "un_agency", _("UN agency")
    PUBLIC_AUTHORITY = "public_authority", _("Public authority")
    HUMAN_RIGHTS_INSTITUTION = "human_rights_institution", _("Human-rights institution")
    COMMUNITY_GROUP = "community_group", _("Community group")
    PRIVATE = "private_employer", _("Private employer or training centre")


class NetworkStatus(models.TextChoices):
    MEMBER = "member", _("Member")
    APPLICANT = "applicant", _("Applicant")
    PARTNER = "partner", _("Partner (not a member)")
    SUSPENDED = "suspended", _("Suspended")
    FORMER = "former", _("Former member")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)


class Organisation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, unique=True)
    type = models.CharField(_("type"), max_length=30, choices=OrganisationType.choices)
    network_status = models.CharField(
        _("network membership"),
        max_length=20,
        choices=NetworkStatus.choices,
        default=NetworkStatus.MEMBER,
    )
    joined_on = models.DateField(_("joined the network on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.acronym} — {self.name}"


class OfficeKind(models.TextChoices):
    HEADQUARTERS = "headquarters", _("Headquarters")
    ANTENNA = "antenna", _("Antenna")
    HELP_DESK = "help_desk", _("Help desk")
    TRANSIT_CENTRE = "transit_centre", _("Transit centre")
    OTHER = "other", _("Other")


class Office(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="offices")
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=OfficeKind.choices)
    commune = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commune"),
        limit_choices_to={"level": 3},
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organisation__acronym", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="office_unique_name")
        ]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff member of one organisation. Never deleted: deactivated, so the audit log holds."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("office"),
    )
    # Staff in the field are exposed too: their phone is encrypted, searchable by blind index.
    phone = EncryptedTextField(_("phone"), blank=True, default="")
    phone_index = BlindIndexField()
    preferred_language = models.CharField(
        _("language"), max_length=5, choices=[("fr", "Français"), ("en", "English")], default="fr"
    )
    # Bumped to end every open session of this user (deactivation, role removal).
    session_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.username

    def _get_session_auth_hash(self, secret: Any = None) -> str:
        return salted_hmac(
            "kariya.accounts.User.session",
            f"{self.password}:{self.session_version}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def role_codes(self) -> frozenset[str]:
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = frozenset(r.role for r in self.roles.all())
            self._role_codes = cached
        return cached


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="user_role_unique")]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.get_role_display()
