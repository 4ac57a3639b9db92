"""Duplicate detection inside one organisation: candidate pairs, the supervisors' decisions on
them, and the merges (with what is needed to undo them).

A pair is stored once, in order (``person_a.pk < person_b.pk``), so "A and B" and "B and A" are
the same row and a "not a match" decision on it is never proposed again. Reasons name fields
and agreement levels only, never a value. Writes go through ``services.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kariya.core.fields import EncryptedTextField
from kariya.core.models import OrgScopedModel

USER = settings.AUTH_USER_MODEL


class CandidateStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    MATCH = "match", _("Same person (merged)")
    NOT_A_MATCH = "not_a_match", _("Not the same person")


class DuplicateCandidate(OrgScopedModel):
    """Two persons of one organisation that may be the same person, with a score in 0–1 and
    why: ``reasons`` maps a field name to an agreement level (``{"family_name": "exact",
    "birth_year": "close"}``), never a value."""

    person_a = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("first record")
    )
    person_b = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("second record")
    )
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("why"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=CandidateStatus.choices, default=CandidateStatus.PENDING
    )
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    # Free text may name the person or family facts: encrypted.
    reason = EncryptedTextField(_("reason"), blank=True, default="")

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="candidate_pair_once"),
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")), name="candidate_pair_ordered"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="candidate_score_range"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CandidateStatus.values), name="candidate_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=CandidateStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=CandidateStatus.PENDING) & Q(decided_at__isnull=False)),
                name="candidate_decision_complete",
            ),
        ]
        indexes = [
            # The review queue: an organisation's pending pairs, highest score first.
            models.Index(fields=["organisation", "status", "-score", "id"], name="candidate_queue"),
        ]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")

    def __str__(self) -> str:
        return f"candidate {self.public_id}"


class PersonMerge(OrgScopedModel):
    """``absorb`` was merged into ``keep``: what moved, so that the merge can be undone.

    ``moved`` holds primary keys only (per kind of record); ``identity_added`` (encrypted, JSON)
    the values the absorbed identity added to the kept one (spellings, aliases, phones, a date of
    birth the kept identity lacked), so that the undo removes exactly those.
    """

    keep = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("kept record")
    )
    absorb = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("merged record"),
    )
    candidate = models.ForeignKey(
        DuplicateCandidate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merges",
    )
    merged_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(_("merged at"))
    reason = EncryptedTextField(_("reason"), blank=True, default="")
    moved = models.JSONField(default=dict, editable=False)
    identity_added = EncryptedTextField(blank=True, default="", editable=False)
    undone_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True, editable=False)
    undo_reason = EncryptedTextField(_("reason for the undo"), blank=True, default="")

    class Meta:
        ordering = ["-merged_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(keep=F("absorb")), name="merge_not_self"),
            # A record is merged away at most once at a time.
            models.UniqueConstraint(
                fields=["absorb"], condition=Q(undone_at__isnull=True), name="merge_absorb_once"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "-merged_at"], name="merge_org_recent")]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self) -> str:
        return f"merge {self.public_id}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None
