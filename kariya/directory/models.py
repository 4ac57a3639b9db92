"""The service directory: services of member organisations and public services.

A ``Service`` is an entry of the directory (HSDS: a *service* of an *organisation*, at a
*location*, with a *schedule*, *contacts*, *eligibility*, *languages* and a *cost*). It is owned
by the organisation that keeps it current: a member organisation for its own services, the
network coordinator's organisation for public services (hospitals, police, état civil…), which
then name the actual provider in ``provider_name``.

Moderation: draft → submitted → published, rejected (with a reason) back to draft, archived.
Editing a published entry goes through a **pending revision**: a second ``Service`` row with
``revision_of`` pointing at the published one, edited and moderated like a draft, merged into
the published row when approved (same public id, so referrals keep pointing at it) and deleted.
The public sees only published rows, never revisions. See README.md.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kariya.core.models import OrgScopedModel, OrgScopedQuerySet

USER = settings.AUTH_USER_MODEL

# Public text in the four languages of the public pages; French is required, the others fall
# back to French when empty.
PUBLIC_LANGUAGES = ("fr", "en", "ha", "ar")


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("directory status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("directory status", "Submitted")
    PUBLISHED = "published", pgettext_lazy("directory status", "Published")
    ARCHIVED = "archived", pgettext_lazy("directory status", "Archived")


class EligibleSex(models.TextChoices):
    ALL = "all", _("Everyone")
    FEMALE = "female", _("Women and girls")
    MALE = "male", _("Men and boys")


class Cost(models.TextChoices):
    FREE = "free", _("Free")
    FEE = "fee", _("Fee")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    LIMITED = "limited", _("Limited")
    FULL = "full", _("Full")
    SUSPENDED = "suspended", _("Suspended")


class ChannelKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("In person")
    WEBSITE = "website", _("Website")
    OTHER = "other", _("Other")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ServiceQuerySet(OrgScopedQuerySet):
    def entries(self) -> ServiceQuerySet:
        """Directory entries proper: pending revisions excluded."""
        return self.filter(revision_of__isnull=True)  # type: ignore[no-any-return]

    def published(self) -> ServiceQuerySet:
        return self.filter(  # type: ignore[no-any-return]
            status=Status.PUBLISHED, revision_of__isnull=True
        )

    def not_verified_since(self, cutoff: datetime.datetime) -> ServiceQuerySet:
        """Published entries last verified before ``cutoff`` (or never)."""
        return self.published().filter(  # type: ignore[no-any-return]
            Q(last_verified_at__lt=cutoff) | Q(last_verified_at__isnull=True)
        )

    def eligible_for(
        self,
        *,
        sex: str | None = None,
        age: int | None = None,
        nationality: str | None = None,
        population_category_id: int | None = None,
    ) -> ServiceQuerySet:
        """Entries whose eligibility admits a person with these traits. A trait left out
        (``None``) is not checked; an entry with no nationality or population category listed
        admits all. ``sex`` is a ``people.Sex`` value: "unknown" only matches "everyone"."""
        query: Any = self
        if sex is not None:
            query = query.filter(eligible_sex__in=[EligibleSex.ALL, sex])
        if age is not None:
            query = query.filter(Q(min_age__isnull=True) | Q(min_age__lte=age))
            query = query.filter(Q(max_age__isnull=True) | Q(max_age__gte=age))
        # Semi-joins rather than joins: no duplicate rows, no DISTINCT.
        if nationality is not None:
            listed: Any = Service.nationalities.through.objects.filter(
                service_id=models.OuterRef("pk")
            )
            query = query.filter(
                ~models.Exists(listed) | models.Exists(listed.filter(country_id=nationality))
            )
        if population_category_id is not None:
            listed = Service.population_categories.through.objects.filter(
                service_id=models.OuterRef("pk")
            )
            query = query.filter(
                ~models.Exists(listed)
                | models.Exists(listed.filter(code_id=population_category_id))
            )
        return query  # type: ignore[no-any-return]


class Service(OrgScopedModel):
    """One directory entry, or a pending revision of a published one (``revision_of``)."""

    # --- who provides it
    is_public_service = models.BooleanField(
        _("public service"),
        default=False,
        help_text=_("Provided by a public body and kept by the network coordination."),
    )
    provider_name = models.CharField(
        _("provider"),
        max_length=200,
        blank=True,
        help_text=_("Name of the provider when it is not the organisation, e.g. a hospital."),
    )
    service_type = models.ForeignKey(
        "codelists.Code",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": "service_type"},
        verbose_name=_("service type"),
    )
    # --- public text, per language
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ha = models.CharField(_("name (Hausa)"), max_length=200, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ha = models.TextField(_("description (Hausa)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    # --- where
    site = models.ForeignKey(
        "geo.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    commune = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": 3},
        verbose_name=_("commune"),
    )
    # Always set (from the commune, else from the site), so region filters need no join chain
    # and sites in no commune (Assamaka) still count in their region.
    region = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 1},
        verbose_name=_("region"),
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    hours_note = models.CharField(
        _("note on opening hours"),
        max_length=200,
        blank=True,
        help_text=_("e.g. on appointment, closed on public holidays."),
    )
    languages = models.ManyToManyField(
        "codelists.Code",
        related_name="+",
        blank=True,
        limit_choices_to={"list": "language"},
        verbose_name=_("languages spoken"),
    )
    # --- eligibility
    eligible_sex = models.CharField(
        _("for"), max_length=10, choices=EligibleSex.choices, default=EligibleSex.ALL
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    nationalities = models.ManyToManyField(
        "geo.Country",
        related_name="+",
        blank=True,
        verbose_name=_("nationalities"),
        help_text=_("Leave empty when the service is open to every nationality."),
    )
    population_categories = models.ManyToManyField(
        "codelists.Code",
        related_name="+",
        blank=True,
        limit_choices_to={"list": "population_category"},
        verbose_name=_("population categories"),
        help_text=_("Leave empty when the service is open to every population category."),
    )
    eligibility_note = models.CharField(_("other conditions"), max_length=300, blank=True)
    # --- cost and capacity
    cost = models.CharField(_("cost"), max_length=10, choices=Cost.choices, default=Cost.FREE)
    fee_note = models.CharField(_("fee"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("People served per day, or places.")
    )
    availability = models.CharField(
        _("availability"),
        max_length=10,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
    )
    availability_note = models.CharField(_("note on availability"), max_length=200, blank=True)
    availability_updated_at = models.DateTimeField(
        _("availability updated at"), null=True, blank=True
    )
    # --- who keeps it current
    focal_point = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("focal point"),
    )
    # --- moderation
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    revision_of = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pending_revision",
        verbose_name=_("revision of"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    # --- verification
    last_verified_at = models.DateTimeField(_("last verified at"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last verified by"),
    )
    stale_flagged_at = models.DateTimeField(_("flagged as not verified at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("focal point reminded at"), null=True, blank=True)

    objects: ClassVar[Any] = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name_fr", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revision_of__isnull=True) | Q(status__in=["draft", "submitted"]),
                name="directory_revision_not_published",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=models.F("max_age")),
                name="directory_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(site__isnull=False) | Q(commune__isnull=False),
                name="directory_site_or_commune",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "region", "service_type"], name="dir_status_region"),
            models.Index(fields=["status", "commune"], name="dir_status_commune"),
            models.Index(fields=["status", "last_verified_at"], name="dir_status_verified"),
        ]
        verbose_name = _("directory service")
        verbose_name_plural = _("directory services")

    def __str__(self) -> str:
        return self.name_fr

    def _in_language(self, prefix: str) -> str:
        language = (get_language() or "fr")[:2]
        value = getattr(self, f"{prefix}_{language}", "") if language in PUBLIC_LANGUAGES else ""
        return str(value or getattr(self, f"{prefix}_fr"))

    @property
    def name(self) -> str:
        """The name in the active language, French when it has none."""
        return self._in_language("name")

    @property
    def description(self) -> str:
        return self._in_language("description")

    @property
    def provider(self) -> str:
        """Who provides the service: the named provider, else the organisation's name."""
        return self.provider_name or self.organisation.name

    @property
    def is_revision(self) -> bool:
        return self.revision_of_id is not None


class OpeningHours(models.Model):
    """One opening range on one weekday; a weekday without a row is closed. Two rows on the
    same day give a split day (e.g. 08:00–12:30 and 15:00–18:00)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="directory_hours_ordered"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="directory_weekday_valid"
            ),
        ]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class ContactChannel(models.Model):
    """How to reach the service: a phone or WhatsApp number, an e-mail, a website, or in person
    (the address). These are the service's public contacts, never a person's private ones."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("channel"), max_length=10, choices=ChannelKind.choices)
    value = models.CharField(_("number or address"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("contact channel")
        verbose_name_plural = _("contact channels")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}".strip()
