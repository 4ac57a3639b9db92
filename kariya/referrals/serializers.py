"""Shapes of the referrals API. Serializers check shape; the services decide."""

from __future__ import annotations

from rest_framework import serializers

from kariya.cases.models import DeliveryOutcome
from kariya.people.serializers import CodeField, StrictSerializer, user_field
from kariya.referrals.models import Priority, Referral, SharedField


class ReferralSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A referral as one side sees it. The receiving side gets the snapshot of shared fields
    (``shared``) and never the case's id; the referring side gets the case id, the reason for
    declining and the feedback."""

    id = serializers.UUIDField(source="public_id")
    version = serializers.IntegerField()
    status = serializers.CharField()
    priority = serializers.CharField()
    overdue = serializers.SerializerMethodField()
    deadline = serializers.DateTimeField(allow_null=True)
    sent_at = serializers.DateTimeField(allow_null=True)
    from_organisation = serializers.CharField(source="organisation.name")
    to_organisation = serializers.CharField(source="to_organisation.name")
    service = serializers.UUIDField(source="service.public_id")
    service_name = serializers.CharField(source="service.name_fr")
    reason = serializers.CharField()
    services_requested = serializers.SerializerMethodField()
    shared_fields = serializers.ListField(child=serializers.CharField())
    shared = serializers.DictField()
    outcome = serializers.CharField()
    kind = serializers.CharField()

    def get_overdue(self, obj: Referral) -> bool:
        return obj.is_overdue()

    def get_services_requested(self, obj: Referral) -> list[str]:
        return [c.code for c in obj.services_requested.all()]


class SentReferralSerializer(ReferralSerializer):
    case = serializers.UUIDField(source="case.public_id")
    decline_reason = serializers.CharField()
    feedback = serializers.CharField()
    consent_overridden = serializers.SerializerMethodField()

    def get_consent_overridden(self, obj: Referral) -> bool:
        return obj.consent_override_by_id is not None


class InboxRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    case_code = serializers.CharField(source="case__person__case_code")
    status = serializers.CharField()
    priority = serializers.CharField()
    deadline = serializers.DateTimeField(allow_null=True)
    sent_at = serializers.DateTimeField(allow_null=True)
    from_organisation = serializers.CharField(source="organisation__name")
    to_organisation = serializers.CharField(source="to_organisation__name")
    service_name = serializers.CharField(source="service__name_fr")


class ReferralInputSerializer(StrictSerializer):
    case = serializers.UUIDField()
    service = serializers.UUIDField()
    priority = serializers.ChoiceField(choices=Priority.choices)
    reason = serializers.CharField(max_length=5000)
    services_requested = CodeField("service_type", many=True, required=False, default=list)
    shared_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=SharedField.choices), required=False, default=list
    )
    override_reason = serializers.CharField(
        max_length=5000, required=False, default="", allow_blank=True
    )


class ReferralVersionSerializer(StrictSerializer):
    version = serializers.IntegerField(min_value=1)


class ReferralAcceptSerializer(ReferralVersionSerializer):
    caseworker = user_field(
        required=False,
        allow_null=True,
        default=None,
        help_text="For a case transfer: the caseworker of your organisation who takes the case.",
    )


class TransferInputSerializer(StrictSerializer):
    case = serializers.UUIDField()
    service = serializers.UUIDField()
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    reason = serializers.CharField(max_length=5000)


class ReferralReasonSerializer(ReferralVersionSerializer):
    reason = serializers.CharField(max_length=5000)


class ReferralNoteSerializer(ReferralVersionSerializer):
    note = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)


class ReferralCompleteSerializer(ReferralVersionSerializer):
    outcome = serializers.ChoiceField(choices=DeliveryOutcome.choices)
    feedback = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)
    delivered_on = serializers.DateField(required=False, allow_null=True, default=None)


class PathwaySerializer(serializers.Serializer):  # type: ignore[type-arg]
    service = serializers.UUIDField(source="service.public_id")
    name = serializers.CharField(source="service.name_fr")
    organisation = serializers.CharField(source="service.provider")
    available = serializers.BooleanField()
    distance_km = serializers.FloatField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())


class PathwayQuerySerializer(StrictSerializer):
    case = serializers.UUIDField()
    need = CodeField("service_type")
