"""Duplicate detection inside one organisation: candidate pairs, the supervisors' decisions on
them, and the merges (with what is needed to undo them).

A pair is stored once, in order (``person_a.pk < person_b.pk``), so "A and B" and "B and A" are
the same row and a "not a match" decision on it is never proposed again. Reasons name fields
and agreement levels only, never a value. Writes go through ``services.py``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
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


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Completed")
    FAILED = "failed", _("Failed")


ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)
# A queued or running run that has not written for this long is taken for dead (a worker
# killed mid-run, a task lost): the next start marks it interrupted. A running run writes its
# progress at least between every stage of the engine (seconds apart at 100,000 records).
STALE_AFTER = datetime.timedelta(minutes=30)


class RunStage(models.TextChoices):
    """What a run is doing, for the progress shown on the queue page."""

    WAITING = "waiting", _("Waiting for the background worker")
    READING = "reading", _("Reading the records")
    TRAINING = "training", _("Learning from the registry")
    COMPARING = "comparing", _("Comparing pairs")
    RECORDING = "recording", _("Recording the pairs found")
    FINISHED = "finished", _("Finished")


class RunError(models.TextChoices):
    """Why a run failed: a code, shown as a message that names no person."""

    INTERRUPTED = (
        "interrupted",
        _("The search stopped before the end (the server may have restarted). Start it again."),
    )
    NOT_QUEUED = (
        "not_queued",
        _(
            "The search could not be handed to the background worker. Try again; if it fails "
            "again, tell your administrator."
        ),
    )
    MEMORY = "memory", _("The server ran out of memory during the search. Tell your administrator.")
    INTERNAL = (
        "internal",
        _(
            "The search failed because of an internal error. Your administrator can find the "
            "details in the server log under this search's reference."
        ),
    )


class DedupRun(OrgScopedModel):
    """One batch search for duplicates over an organisation's registry (``services.
    registry_deduplicate_start`` / ``registry_deduplicate_run``), with its progress and what it
    found. At most one queued or running run per organisation (``dedup_run_one_active``).

    Counts only: which pairs were found is in ``DuplicateCandidate``; nothing personal is
    stored here (the error is a code and the exception's class name).
    """

    started_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    stage = models.CharField(
        _("stage"), max_length=10, choices=RunStage.choices, default=RunStage.WAITING
    )
    progress_done = models.PositiveBigIntegerField(default=0)
    progress_total = models.PositiveBigIntegerField(default=0)
    threshold = models.FloatField(_("threshold"))
    # How the scoring was done: the engine's model fitted on the registry, or the rules used
    # for a registry too small to fit it (see ``batch.MIN_RECORDS_FOR_MODEL``).
    method = models.CharField(max_length=10, blank=True, default="")
    records_read = models.PositiveIntegerField(_("records read"), default=0)
    pairs_compared = models.PositiveBigIntegerField(_("pairs compared"), default=0)
    pairs_found = models.PositiveIntegerField(_("pairs found"), default=0)
    candidates_added = models.PositiveIntegerField(_("new pairs to review"), default=0)
    pairs_skipped = models.PositiveIntegerField(_("pairs already known"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error_code = models.CharField(max_length=15, choices=RunError.choices, blank=True, default="")
    # The exception's class name (e.g. "OperationalError"), never its message.
    error_detail = models.CharField(max_length=100, blank=True, default="")
    task_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=ACTIVE_RUN_STATUSES),
                name="dedup_run_one_active",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RunStatus.values), name="dedup_run_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(threshold__gt=0) & Q(threshold__lt=1), name="dedup_run_threshold_range"
            ),
            models.CheckConstraint(
                condition=Q(progress_done__lte=F("progress_total")),
                name="dedup_run_progress_within_total",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="dedup_run_recent")]
        verbose_name = _("search for duplicates")
        verbose_name_plural = _("searches for duplicates")

    def __str__(self) -> str:
        return f"dedup run {self.public_id}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_RUN_STATUSES

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def threshold_percent(self) -> int:
        return round(self.threshold * 100)

    @property
    def is_stale(self) -> bool:
        return self.is_active and self.updated_at < timezone.now() - STALE_AFTER

    @property
    def error_message(self) -> str:
        return str(RunError(self.error_code).label) if self.error_code else ""
