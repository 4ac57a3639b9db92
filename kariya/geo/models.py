"""Niger's administrative units (OCHA COD-AB P-codes), countries (ISO 3166-1) and sites."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class AdminLevel(models.IntegerChoices):
    REGION = 1, _("Region")
    DEPARTMENT = 2, _("Department")
    COMMUNE = 3, _("Commune")


class AdminUnitQuerySet(models.QuerySet["AdminUnit"]):
    def regions(self) -> AdminUnitQuerySet:
        return self.filter(level=AdminLevel.REGION)

    def departments(self) -> AdminUnitQuerySet:
        return self.filter(level=AdminLevel.DEPARTMENT)

    def communes(self) -> AdminUnitQuerySet:
        return self.filter(level=AdminLevel.COMMUNE)

    def active(self) -> AdminUnitQuerySet:
        return self.filter(is_active=True)


class AdminUnit(models.Model):
    """A région, département (incl. the four "Ville de" units) or commune of Niger."""

    pcode = models.CharField(_("P-code"), max_length=11, unique=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=AdminLevel.choices)
    name_fr = models.CharField(_("name"), max_length=100)
    name_ref = models.CharField(_("name without accents"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Representative point of a commune (COD-AB points layer); places, never people.
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        ordering = ["pcode"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=[1, 2, 3]), name="adminunit_level_valid"
            ),
        ]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")

    def __str__(self) -> str:
        return self.name_fr

    @property
    def region_pcode(self) -> str:
        return self.pcode[:5]


class Country(models.Model):
    iso3 = models.CharField(_("ISO code"), max_length=3, primary_key=True)
    iso2 = models.CharField(max_length=2, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    # Position in the quick-pick list of nationalities most seen in Niger; null = not listed.
    quick_pick = models.PositiveSmallIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class SiteKind(models.TextChoices):
    BORDER_POINT = "border_point", _("Border point")
    FLOW_MONITORING = "flow_monitoring_point", _("Flow monitoring point")
    TRANSIT_CENTRE = "transit_centre", _("Transit centre")
    HELP_DESK = "help_desk", _("Help desk")
    CHECKPOINT = "checkpoint", _("Checkpoint")
    INFORMAL_LODGING = "informal_lodging", _("Informal lodging (ghetto)")
    TRANSIT_TOWN = "transit_town", _("Transit town or hub")
    OTHER = "other", _("Other")


class SiteQuerySet(models.QuerySet["Site"]):
    def active(self) -> SiteQuerySet:
        return self.filter(is_active=True)


class Site(models.Model):
    """A place that matters for migration, separate from the administrative units.

    ``region`` is always set (the service derives it from the commune when there is one), so
    that sites in no single commune, such as Assamaka or "Point Zéro", still count in their
    region.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, choices=SiteKind.choices)
    commune = models.ForeignKey(
        AdminUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sites",
        verbose_name=_("commune"),
        limit_choices_to={"level": 3},
    )
    region = models.ForeignKey(
        AdminUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="region_sites",
        verbose_name=_("region"),
        limit_choices_to={"level": 1},
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="site_unique_name_kind")
        ]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name
