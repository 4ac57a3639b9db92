"""Serializers of the cases API: shape only. Rules live in ``services.py``, who may see what in
``access.py``. The GBV section has its own serializer, used by the GBV endpoint only: no other
serializer names it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kariya.accounts.models import User
from kariya.cases import factors, priority
from kariya.cases.models import (
    Case,
    CaseApproval,
    CaseNote,
    CasePlanAction,
    CasePlanGoal,
    CaseStatusChange,
    DeliveryOutcome,
    FollowUpVisit,
    GBVSection,
    GBVType,
    Screening,
    ScreeningOutcome,
    ServiceDelivery,
    Unit,
    VisitMethod,
    VulnerabilityAssessment,
)
from kariya.cases.priority import Priority
from kariya.cases.workflow import ApprovalKind, ClosureReason, Status
from kariya.people.serializers import (
    CodeField,
    StrictSerializer,
    VersionedSerializer,
    office_field,
    organisation_field,
    user_field,
)


class StaffSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A colleague (staff, not a person in care): public id and name."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "name"]
        read_only_fields = fields

    def get_name(self, user: User) -> str:
        return user.get_full_name() or user.username


def _codes_of(list_name: str) -> Any:
    """The codes of one list among a prefetched many-to-many (no query per row)."""

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    class _Field(serializers.Field):  # type: ignore[type-arg]
        def __init__(self, **kwargs: Any) -> None:
            kwargs["read_only"] = True
            super().__init__(**kwargs)

        def to_representation(self, value: Any) -> list[str]:
            return [c.code for c in value.all() if c.list == list_name]

    return _Field


SpecificNeeds = _codes_of("specific_need")
MigrationNeeds = _codes_of("migration_need")


# --- screening and assessment -------------------------------------------------------------


class ScreeningInputSerializer(StrictSerializer):
    person = serializers.UUIDField(help_text=_("Public id of a person of your organisation."))
    office = office_field()
    screened_on = serializers.DateField()
    intervention_rating = serializers.ChoiceField(choices=Priority.choices)
    outcome = serializers.ChoiceField(choices=ScreeningOutcome.choices)
    immediate_danger = serializers.BooleanField(required=False, default=False)
    immediate_needs = CodeField("service_type", many=True, required=False, default=list)
    specific_needs = CodeField("specific_need", many=True, required=False, default=list)
    migration_needs = CodeField("migration_need", many=True, required=False, default=list)


class ScreeningSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    case_code = serializers.CharField(source="person.case_code", read_only=True)
    office = serializers.UUIDField(source="office.public_id", read_only=True)
    immediate_needs = CodeField("service_type", many=True, read_only=True)
    specific_needs = SpecificNeeds(source="protection_flags")
    migration_needs = MigrationNeeds(source="protection_flags")

    class Meta:
        model = Screening
        fields = [
            "id",
            "person",
            "case_code",
            "screened_on",
            "office",
            "immediate_danger",
            "immediate_needs",
            "specific_needs",
            "migration_needs",
            "intervention_rating",
            "outcome",
            "created_at",
        ]
        read_only_fields = fields


class AssessmentInputSerializer(StrictSerializer):
    person = serializers.UUIDField(help_text=_("Public id of a person of your organisation."))
    case = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text=_("Public id of the case.")
    )
    assessed_on = serializers.DateField()
    immediate_danger = serializers.BooleanField(required=False, default=False)
    factors = serializers.ListField(
        child=serializers.ChoiceField(choices=factors.choices()), required=False, default=list
    )
    specific_needs = CodeField("specific_need", many=True, required=False, default=list)
    migration_needs = CodeField("migration_need", many=True, required=False, default=list)


class AssessmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    case = serializers.UUIDField(source="case.public_id", read_only=True, default=None)
    factors = serializers.SerializerMethodField()
    specific_needs = CodeField("specific_need", many=True, read_only=True)
    migration_needs = CodeField("migration_need", many=True, read_only=True)
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = VulnerabilityAssessment
        fields = [
            "id",
            "person",
            "case",
            "assessed_on",
            "immediate_danger",
            "factors",
            "specific_needs",
            "migration_needs",
            "priority",
            "priority_rules",
            "reasons",
        ]
        read_only_fields = fields

    def get_factors(self, assessment: VulnerabilityAssessment) -> list[str]:
        return [f.factor for f in assessment.factors.all()]

    def get_reasons(self, assessment: VulnerabilityAssessment) -> list[str]:
        """Why the priority, in the reader's language (``priority.explain``)."""
        return priority.explain(assessment.priority_rules)


# --- cases --------------------------------------------------------------------------------


class CaseSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A case as lists and detail show it (pseudonymous: the person's case code, no name)."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    case_code = serializers.CharField(source="person.case_code", read_only=True)
    caseworker = StaffSerializer(read_only=True)
    opened_from = serializers.UUIDField(source="opened_from.public_id", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "person",
            "case_code",
            "caseworker",
            "opened_from",
            "priority",
            "status",
            "closure_reason",
            "opened_at",
            "closed_at",
            "version",
        ]
        read_only_fields = fields


class CaseFilters(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    caseworker = user_field(required=False, help_text=_("Public id of a caseworker."))


class CaseOpenSerializer(StrictSerializer):
    screening = serializers.UUIDField(
        help_text=_("Public id of a screening whose outcome is “case opened”.")
    )
    caseworker = user_field(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Supervisors only; by default the case is yours."),
    )


class TransitionSerializer(VersionedSerializer):
    to_status = serializers.ChoiceField(choices=Status.choices)
    closure_reason = serializers.ChoiceField(
        choices=ClosureReason.choices, required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=20_000, default="")


class AssignSerializer(VersionedSerializer):
    caseworker = user_field()


class ApprovalRequestSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=ApprovalKind.choices)
    closure_reason = serializers.ChoiceField(
        choices=ClosureReason.choices, required=False, allow_blank=True, default=""
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=20_000, default="")


class ApprovalSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    case = serializers.UUIDField(source="case.public_id", read_only=True)
    case_code = serializers.CharField(source="case.person.case_code", read_only=True)
    requested_by = StaffSerializer(read_only=True)

    class Meta:
        model = CaseApproval
        fields = [
            "id",
            "case",
            "case_code",
            "kind",
            "status",
            "closure_reason",
            "comment",
            "requested_by",
            "created_at",
        ]
        read_only_fields = fields


class DecisionSerializer(StrictSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=20_000, default="")


class StatusChangeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    by = StaffSerializer(source="created_by", read_only=True)

    class Meta:
        model = CaseStatusChange
        fields = ["from_status", "to_status", "closure_reason", "reason", "by", "created_at"]
        read_only_fields = fields


# --- plan, services, follow-up, notes -----------------------------------------------------


class ActionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    service_type = CodeField("service_type", read_only=True)

    class Meta:
        model = CasePlanAction
        fields = [
            "id",
            "description",
            "service_type",
            "due_on",
            "status",
            "completed_on",
            "version",
        ]
        read_only_fields = fields


class GoalSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = CasePlanGoal
        fields = ["id", "description", "status", "actions", "created_at"]
        read_only_fields = fields


class GoalInputSerializer(StrictSerializer):
    description = serializers.CharField(max_length=20_000)


class ActionInputSerializer(StrictSerializer):
    description = serializers.CharField(max_length=20_000)
    due_on = serializers.DateField()
    service_type = CodeField("service_type", required=False, allow_null=True, default=None)


class ActionCompleteSerializer(StrictSerializer):
    completed_on = serializers.DateField(required=False, allow_null=True, default=None)


class DeliverySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    service_type = CodeField("service_type", read_only=True)
    provider = serializers.UUIDField(source="provider.public_id", read_only=True)

    class Meta:
        model = ServiceDelivery
        fields = [
            "id",
            "service_type",
            "provider",
            "delivered_on",
            "quantity",
            "unit",
            "outcome",
            "note",
        ]
        read_only_fields = fields


class DeliveryInputSerializer(StrictSerializer):
    service_type = CodeField("service_type")
    provider = organisation_field(help_text=_("Public id of the organisation that gave it."))
    delivered_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=DeliveryOutcome.choices)
    quantity = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )
    unit = serializers.ChoiceField(
        choices=Unit.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=20_000, default="")


class FollowUpSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    visited_by = StaffSerializer(read_only=True, allow_null=True)

    class Meta:
        model = FollowUpVisit
        fields = ["id", "due_on", "visited_on", "method", "visited_by", "note"]
        read_only_fields = fields


class FollowUpScheduleSerializer(StrictSerializer):
    due_on = serializers.DateField()
    method = serializers.ChoiceField(
        choices=VisitMethod.choices, required=False, default=VisitMethod.HOME
    )


class FollowUpRecordSerializer(StrictSerializer):
    visited_on = serializers.DateField()
    method = serializers.ChoiceField(choices=VisitMethod.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=20_000, default="")
    visit = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Public id of the planned visit this one fulfils."),
    )
    next_due_on = serializers.DateField(required=False, allow_null=True, default=None)


class NoteSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    by = StaffSerializer(source="created_by", read_only=True)

    class Meta:
        model = CaseNote
        fields = ["id", "body", "by", "created_at"]
        read_only_fields = fields


class NoteInputSerializer(StrictSerializer):
    body = serializers.CharField(max_length=20_000)


# --- GBV section (its endpoint only) ------------------------------------------------------


class GBVSectionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    services_offered = CodeField("service_type", many=True, read_only=True)

    class Meta:
        model = GBVSection
        fields = ["incident_type", "incident_date", "narrative", "services_offered", "version"]
        read_only_fields = fields


class GBVSectionInputSerializer(StrictSerializer):
    incident_type = serializers.ChoiceField(choices=GBVType.choices)
    incident_date = serializers.DateField(required=False, allow_null=True, default=None)
    narrative = serializers.CharField(
        required=False, allow_blank=True, max_length=20_000, default=""
    )
    services_offered = CodeField("service_type", many=True, required=False, default=list)
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Required to edit an existing section: the version you read."),
    )
