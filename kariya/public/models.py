"""Content of the public site (no login): the rights-information pages.

A ``RightsPage`` is a short text for migrants ("what to do when you are expelled", "how to get
civil documents", "dangers of the routes", "emergency numbers") in the four languages of the
public pages. The network coordinator writes it through the staff pages; the public sees the
published ones. The body is plain text with a very small markup (``markup.py``), never HTML.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The languages of the public pages; French is required, the others fall back to French.
PUBLIC_LANGUAGES = ("fr", "en", "ha", "ar")


class RightsPage(models.Model):
    slug = models.SlugField(
        _("address"),
        max_length=60,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9-]+$")],
        help_text=_("Lower-case letters, digits and hyphens: the end of the page's address."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=False)
    title_fr = models.CharField(_("title (French)"), max_length=150)
    title_en = models.CharField(_("title (English)"), max_length=150, blank=True)
    title_ha = models.CharField(_("title (Hausa)"), max_length=150, blank=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=150, blank=True)
    body_fr = models.TextField(_("text (French)"))
    body_en = models.TextField(_("text (English)"), blank=True)
    body_ha = models.TextField(_("text (Hausa)"), blank=True)
    body_ar = models.TextField(_("text (Arabic)"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("rights-information page")
        verbose_name_plural = _("rights-information pages")

    def __str__(self) -> str:
        return self.title_fr

    def _in_language(self, prefix: str) -> str:
        language = (get_language() or "fr")[:2]
        value = getattr(self, f"{prefix}_{language}", "") if language in PUBLIC_LANGUAGES else ""
        return str(value or getattr(self, f"{prefix}_fr"))

    @property
    def title(self) -> str:
        """The title in the active language, French when it has none."""
        return self._in_language("title")

    @property
    def body(self) -> str:
        return self._in_language("body")
