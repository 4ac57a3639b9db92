"""Configuration of the matching engine kept in the database: the variant dictionary's additions.

The shipped dictionary (``data/name_variants.csv``) is code; what administrators add for their
region lives here and extends it (``dictionary.current_variants``). Names in general, not
anyone's record: configuration, not personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NameVariant(models.Model):
    """One spelling (``variant``) that is the same name as ``canonical``."""

    canonical = models.CharField(_("name"), max_length=60)
    variant = models.CharField(_("other spelling"), max_length=60, unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["canonical", "variant"]
        verbose_name = _("name variant")
        verbose_name_plural = _("name variants")

    def __str__(self) -> str:
        return f"{self.variant} → {self.canonical}"
