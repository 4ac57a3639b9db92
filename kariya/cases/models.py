"""Screening, vulnerability assessment, cases and what happens in them, and the GBV section.

Every record is owned by an organisation (``OrgScopedModel``: random public id, version for
optimistic locking). Free text that may hold sensitive facts (notes, goals, actions, service
notes, reasons, the GBV narrative) is encrypted at rest. Rules live in ``services.py``; the
workflow and the priority rule are data in ``workflow.py`` and ``priority.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kariya.cases import factors
from kariya.cases.priority import Priority
from kariya.cases.workflow import ApprovalKind, ClosureReason, Status
from kariya.core.fields import EncryptedTextField
from kariya.core.models import OrgScopedModel

USER = settings.AUTH_USER_MODEL


class ScreeningOutcome(models.TextChoices):
    CASE_OPENED = "case_opened", _("Case opened")
    REFERRED = "referred", _("Referred")
    INFORMATION = "information", _("Information only")
    NO_ACTION = "no_action", _("No action")


class Screening(OrgScopedModel):
    """First contact, short (UNHCR–IDC Vulnerability Screening Tool)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    screened_on = models.DateField(_("date of screening"))
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    screened_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("screened by")
    )
    immediate_needs = models.ManyToManyField(
        "codelists.Code",
        related_name="+",
        blank=True,
        limit_choices_to={"list": "service_type"},
        verbose_name=_("immediate needs"),
    )
    protection_flags = models.ManyToManyField(
        "codelists.Code",
        related_name="+",
        blank=True,
        limit_choices_to={"list__in": ["specific_need", "migration_need"]},
        verbose_name=_("protection flags"),
    )
    immediate_danger = models.BooleanField(_("in immediate danger"), default=False)
    intervention_rating = models.CharField(
        _("intervention rating"), max_length=10, choices=Priority.choices
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=ScreeningOutcome.choices)

    class Meta:
        ordering = ["-screened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(intervention_rating__in=Priority.values),
                name="screening_rating_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=ScreeningOutcome.values), name="screening_outcome_valid"
            ),
        ]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self) -> str:
        return f"screening {self.public_id}"


class Case(OrgScopedModel):
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    # No index of its own: ``case_caseworker_status`` leads with it (migration 0006).
    caseworker = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("caseworker"),
        db_index=False,
    )
    opened_from = models.OneToOneField(
        Screening,
        on_delete=models.PROTECT,
        related_name="case",
        verbose_name=_("opened from screening"),
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    closure_reason = models.CharField(
        _("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True, default=""
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="case_status_valid"),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="case_priority_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=Status.CLOSED, closed_at__isnull=False)
                | (~Q(status=Status.CLOSED) & Q(closed_at__isnull=True, closure_reason="")),
                name="case_closed_consistent",
            ),
            # One active case per person and organisation.
            models.UniqueConstraint(
                fields=["organisation", "person"],
                condition=~Q(status=Status.CLOSED),
                name="case_one_active_per_person",
            ),
        ]
        indexes = [
            # With the id: a status's page of ids is read from the index alone, in order (the
            # list reads a thousand ids at once: without it, a thousand visits to the table).
            models.Index(
                fields=["organisation", "status", "-opened_at", "-id"], name="case_org_status"
            ),
            models.Index(fields=["caseworker", "status"], name="case_caseworker_status"),
            # The case list (selectors.case_search): newest first for a supervisor and for a
            # caseworker, and the priority filter and order.
            models.Index(fields=["organisation", "-opened_at", "-id"], name="case_org_opened"),
            # A caseworker's own cases (always within the organisation): with the
            # organisation first, the page's ids are read from the index alone, in order; on
            # (caseworker, opened_at) PostgreSQL sorted the busiest caseworker's 21,516 cases
            # (21 ms) rather than visit the table in date order.
            models.Index(
                fields=["organisation", "caseworker", "-opened_at", "-id"],
                name="case_org_caseworker_opened",
            ),
            models.Index(
                fields=["organisation", "priority", "-opened_at", "-id"], name="case_org_priority"
            ),
            # Status and priority together (and the priority order within a status): the
            # capped count read every case of the status to check its priority (7.5 ms at a
            # million people); here it is one index range, as is the page.
            models.Index(
                fields=["organisation", "status", "priority", "-opened_at", "-id"],
                name="case_org_status_priority",
            ),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return f"case {self.public_id}"

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED


class CaseStatusChange(OrgScopedModel):
    """The case's history: every move, who made it, and why (reopen and closure reasons)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    closure_reason = models.CharField(
        _("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True, default=""
    )
    reason = EncryptedTextField(_("reason"), blank=True, default="")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class CaseApproval(OrgScopedModel):
    """A request for a supervisor's approval of the case plan or of closure."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("approval of"), max_length=20, choices=ApprovalKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    closure_reason = models.CharField(
        _("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True, default=""
    )
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = EncryptedTextField(_("comment"), blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status=ApprovalStatus.PENDING),
                name="approval_one_pending_per_case",
            ),
        ]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")

    def __str__(self) -> str:
        return f"approval {self.public_id}"


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACHIEVED = "achieved", _("Achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class CasePlanGoal(OrgScopedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    description = EncryptedTextField(_("goal"))
    status = models.CharField(
        _("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case plan goal")
        verbose_name_plural = _("case plan goals")

    def __str__(self) -> str:
        return f"goal {self.public_id}"


class ActionStatus(models.TextChoices):
    PENDING = "pending", _("To do")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class CasePlanAction(OrgScopedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(CasePlanGoal, on_delete=models.CASCADE, related_name="actions")
    description = EncryptedTextField(_("action"))
    service_type = models.ForeignKey(
        "codelists.Code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": "service_type"},
        verbose_name=_("service type"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PENDING
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="action_status_due")]
        verbose_name = _("case plan action")
        verbose_name_plural = _("case plan actions")

    def __str__(self) -> str:
        return f"action {self.public_id}"


class Unit(models.TextChoices):
    ITEM = "item", _("item")
    KIT = "kit", _("kit")
    SESSION = "session", _("session")
    NIGHT = "night", _("night")
    MEAL = "meal", _("meal")
    DAY = "day", _("day")
    DOCUMENT = "document", _("document")
    XOF = "XOF", _("CFA francs (XOF)")
    OTHER = "other", _("other")


class DeliveryOutcome(models.TextChoices):
    DELIVERED = "delivered", _("Delivered")
    PARTIAL = "partial", _("Partly delivered")
    NOT_DELIVERED = "not_delivered", _("Not delivered")
    REFUSED = "refused", _("Refused by the person")


class ServiceDelivery(OrgScopedModel):
    """A service given to the person, by the owning organisation or another member."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deliveries")
    service_type = models.ForeignKey(
        "codelists.Code",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": "service_type"},
        verbose_name=_("service type"),
    )
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("provided by"),
    )
    delivered_on = models.DateField(_("date"))
    quantity = models.DecimalField(
        _("quantity or amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, blank=True, default="")
    outcome = models.CharField(_("outcome"), max_length=20, choices=DeliveryOutcome.choices)
    note = EncryptedTextField(_("note"), blank=True, default="")

    class Meta:
        ordering = ["-delivered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0),
                name="delivery_quantity_positive",
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True, unit="")
                | Q(quantity__isnull=False) & ~Q(unit=""),
                name="delivery_quantity_with_unit",
            ),
        ]
        verbose_name = _("service delivery")
        verbose_name_plural = _("service deliveries")

    def __str__(self) -> str:
        return f"delivery {self.public_id}"


class VisitMethod(models.TextChoices):
    HOME = "home", _("Home visit")
    OFFICE = "office", _("At the office")
    PHONE = "phone", _("Phone call")
    OTHER = "other", _("Other")


class FollowUpVisit(OrgScopedModel):
    """A follow-up visit: planned (``due_on``) and, once made, ``visited_on``."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("planned for"), null=True, blank=True)
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    method = models.CharField(_("how"), max_length=10, choices=VisitMethod.choices)
    visited_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    note = EncryptedTextField(_("note"), blank=True, default="")

    class Meta:
        ordering = ["-visited_on", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=False) | Q(visited_on__isnull=False),
                name="followup_planned_or_made",
            ),
        ]
        indexes = [models.Index(fields=["visited_on", "due_on"], name="followup_pending_due")]
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")

    def __str__(self) -> str:
        return f"follow-up {self.public_id}"


class CaseNote(OrgScopedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    body = EncryptedTextField(_("note"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self) -> str:
        return f"note {self.public_id}"


class VulnerabilityAssessment(OrgScopedModel):
    """IOM determinants: factors at four levels, UNHCR specific needs, a computed priority."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("case"),
    )
    assessed_on = models.DateField(_("date of assessment"))
    assessed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )
    immediate_danger = models.BooleanField(_("in immediate danger"), default=False)
    specific_needs = models.ManyToManyField(
        "codelists.Code",
        related_name="+",
        blank=True,
        limit_choices_to={"list": "specific_need"},
        verbose_name=_("specific needs"),
    )
    migration_needs = models.ManyToManyField(
        "codelists.Code",
        related_name="+",
        blank=True,
        limit_choices_to={"list": "migration_need"},
        verbose_name=_("migration-specific needs"),
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, editable=False
    )
    # Ids of the priority rules that matched (priority.RULES); the explanation is rendered from
    # them in the reader's language.
    priority_rules = models.JSONField(_("priority rules applied"), default=list, editable=False)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="assessment_priority_valid"
            ),
        ]
        verbose_name = _("vulnerability assessment")
        verbose_name_plural = _("vulnerability assessments")

    def __str__(self) -> str:
        return f"assessment {self.public_id}"


class AssessmentFactor(models.Model):
    assessment = models.ForeignKey(
        VulnerabilityAssessment, on_delete=models.CASCADE, related_name="factors"
    )
    level = models.CharField(_("level"), max_length=20, choices=factors.Level.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=factors.Kind.choices)
    factor = models.CharField(_("factor"), max_length=40)

    class Meta:
        ordering = ["level", "kind", "factor"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "factor"], name="assessment_factor_once"),
            models.CheckConstraint(
                condition=Q(level__in=factors.Level.values), name="assessment_factor_level"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=factors.Kind.values), name="assessment_factor_kind"
            ),
        ]
        verbose_name = _("vulnerability factor")
        verbose_name_plural = _("vulnerability factors")

    def __str__(self) -> str:
        known = factors.factor(self.factor)
        return str(known.label) if known else self.factor


class GBVType(models.TextChoices):
    """GBVIMS: the six core types, plus non-GBV."""

    RAPE = "rape", _("Rape")
    SEXUAL_ASSAULT = "sexual_assault", _("Sexual assault")
    PHYSICAL_ASSAULT = "physical_assault", _("Physical assault")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage (including child marriage)")
    DENIAL = "denial_of_resources", _("Denial of resources, opportunities or services")
    PSYCHOLOGICAL = "psychological_abuse", _("Psychological or emotional abuse")
    NON_GBV = "non_gbv", _("Non-GBV")


class GBVSection(OrgScopedModel):
    """The restricted GBV part of a case. No reverse accessor from ``Case`` (``related_name``
    "+"): it can only be reached through ``access.gbv_get_for``, which audits every read."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="+")
    incident_type = models.CharField(
        _("type of incident (GBVIMS)"), max_length=30, choices=GBVType.choices
    )
    incident_date = models.DateField(_("date of incident"), null=True, blank=True)
    narrative = EncryptedTextField(_("narrative"), blank=True, default="")
    services_offered = models.ManyToManyField(
        "codelists.Code",
        related_name="+",
        blank=True,
        limit_choices_to={"list": "service_type"},
        verbose_name=_("services offered"),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(incident_type__in=GBVType.values), name="gbv_type_valid"
            ),
        ]
        verbose_name = _("GBV section")
        verbose_name_plural = _("GBV sections")

    def __str__(self) -> str:
        return f"GBV section {self.public_id}"


class ListKeyKind(models.TextChoices):
    COMMUNE = "commune", _("current commune")
    NEED = "need", _("specific need")


class CaseListKey(models.Model):
    """One filter value of the case list, per case: the person's current commune, and each
    specific need recorded in the person's assessments (the code and its parent, so that a
    category finds its sub-codes), with the case's organisation and opening date.

    Derived data, rewritten from the profiles and assessments by ``listkeys.refresh`` whenever
    they or the person's cases change. It makes "the newest cases in this commune" one index
    range (``case_list_key_page``) instead of a walk through every case of the organisation
    checking each person's profile — the count of a filter keeping 7 % of the cases walked
    15,000 of them. Nothing personal: ids and codes only.
    """

    # No foreign-key constraints in the database, as for ``people.PersonSearchKey``: derived
    # rows, deleted with their case by the ORM (CASCADE) and rewritten by the services; on
    # PostgreSQL each row's checks ran at commit (docs/benchmarks.md).
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    kind = models.CharField(max_length=8, choices=ListKeyKind.choices)
    # The primary key of the commune (geo.AdminUnit) or of the code (codelists.Code).
    value = models.BigIntegerField()
    opened_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "value"], name="case_list_key_unique"),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "kind", "value", "-opened_at", "-case"],
                name="case_list_key_page",
            ),
        ]
        verbose_name = _("case list key")
        verbose_name_plural = _("case list keys")

    def __str__(self) -> str:
        return f"{self.kind} {self.value} of case {self.case_id}"
