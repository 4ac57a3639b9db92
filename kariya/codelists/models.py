"""Code lists as data: translatable, versioned, with an active flag, editable in the admin.

Each list (population categories, languages, specific needs, service types…) is a set of
``Code`` rows loaded by a data migration from ``data/<list>.csv``. Records point at codes with a
foreign key; retiring a code sets ``is_active = False`` so old records keep their meaning.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CodeListName(models.TextChoices):
    POPULATION_CATEGORY = "population_category", _("Population category")
    LANGUAGE = "language", _("Language")
    DOCUMENT_TYPE = "document_type", _("Identity document type")
    RELATIONSHIP = "relationship", _("Relationship")
    SPECIFIC_NEED = "specific_need", _("Specific need (UNHCR)")
    MIGRATION_NEED = "migration_need", _("Migration-specific need")
    SERVICE_TYPE = "service_type", _("Service type")


class CodeQuerySet(models.QuerySet["Code"]):
    def of(self, list_name: str) -> CodeQuerySet:
        return self.filter(list=list_name)

    def active(self) -> CodeQuerySet:
        return self.filter(is_active=True)


class Code(models.Model):
    list = models.CharField(_("list"), max_length=40, choices=CodeListName.choices)
    code = models.CharField(_("code"), max_length=40)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_ha = models.CharField(_("label (Hausa)"), max_length=200, blank=True)
    label_ar = models.CharField(_("label (Arabic)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # Bumped when a label or meaning changes, so exports can say which version they used.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = CodeQuerySet.as_manager()

    class Meta:
        ordering = ["list", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["list", "code"], name="code_unique")]
        verbose_name = _("code")
        verbose_name_plural = _("codes")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        language = (get_language() or "fr")[:2]
        value = {"en": self.label_en, "ha": self.label_ha, "ar": self.label_ar}.get(language)
        return value or self.label_fr
