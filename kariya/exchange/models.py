"""The record of each import: its outcome, counts and error report. Never a value of the file.

A rejected import saves no person, screening or case, but its report is kept so that the
supervisor can read it page by page and download it as CSV. The report holds row numbers,
column headers and messages only: the messages never repeat what the cell contained.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kariya.core.models import OrgScopedModel


class ImportStatus(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    REJECTED = "rejected", _("Rejected: nothing was saved")
    FAILED = "failed", _("Failed: nothing was saved")


class FileFormat(models.TextChoices):
    XLSX = "xlsx", "XLSX"
    CSV = "csv", "CSV"


class ImportRun(OrgScopedModel):
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices)
    file_format = models.CharField(_("file format"), max_length=4, choices=FileFormat.choices)
    office = models.ForeignKey(
        "accounts.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registering office"),
    )
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    people = models.PositiveIntegerField(_("people registered"), default=0)
    consents = models.PositiveIntegerField(_("consents recorded"), default=0)
    screenings = models.PositiveIntegerField(_("screenings recorded"), default=0)
    cases = models.PositiveIntegerField(_("cases opened"), default=0)
    # [[row, column header, message], …] in the language of the upload; no cell values.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    errors_truncated = models.BooleanField(_("more errors not listed"), default=False)
    seconds = models.FloatField(_("duration in seconds"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values), name="importrun_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="importrun_org_created"),
        ]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"import {self.public_id}"

    @property
    def error_count(self) -> int:
        return len(self.errors)
