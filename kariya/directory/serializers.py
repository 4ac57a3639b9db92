"""Serializers of the directory API. They check the shape of the input and render entries; the
rules live in ``services.py`` and who may see what in ``access.py``.

Entries are named by their random ``public_id`` (``id``), codes by their code (``"mhpss"``),
countries by ISO 3166-1 alpha-3, places by P-code, sites and users by public id. The focal
point is given by public id and name (a staff member's work identity, as the staff pages show
it); never their e-mail or phone.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kariya.accounts.models import User
from kariya.directory.models import (
    Availability,
    ChannelKind,
    ContactChannel,
    Cost,
    EligibleSex,
    OpeningHours,
    Service,
    Status,
)
from kariya.directory.services import Channel, Hours, ServiceContent
from kariya.geo.models import AdminUnit
from kariya.people.serializers import (
    CodeField,
    CountryField,
    StrictSerializer,
    VersionedSerializer,
    commune_field,
    site_field,
    user_field,
)

# --- output ---------------------------------------------------------------------------------


class HoursSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens_at", "closes_at"]


class ChannelSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ContactChannel
        fields = ["kind", "value", "note"]


class FocalPointSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, user: User) -> str:
        return str(user.get_full_name() or user.username)


class ServiceListSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An entry as a list shows it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    organisation = serializers.UUIDField(source="organisation.public_id", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    provider = serializers.CharField(read_only=True)
    service_type = CodeField("service_type", read_only=True)
    region = serializers.CharField(source="region.pcode", read_only=True)
    commune = serializers.CharField(source="commune.pcode", read_only=True, allow_null=True)
    site = serializers.UUIDField(source="site.public_id", read_only=True, allow_null=True)
    focal_point = FocalPointSerializer(read_only=True)
    has_pending_revision = serializers.BooleanField(read_only=True, required=False)

    class Meta:
        model = Service
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "is_public_service",
            "provider",
            "service_type",
            "name_fr",
            "name_en",
            "name_ha",
            "name_ar",
            "region",
            "commune",
            "site",
            "address",
            "status",
            "availability",
            "availability_note",
            "last_verified_at",
            "focal_point",
            "has_pending_revision",
            "version",
        ]
        read_only_fields = fields


class ServiceSerializer(ServiceListSerializer):
    """An entry with everything its page shows."""

    revision_of = serializers.UUIDField(
        source="revision_of.public_id", read_only=True, allow_null=True
    )
    hours = HoursSerializer(many=True, read_only=True)
    channels = ChannelSerializer(many=True, read_only=True)
    languages = CodeField("language", many=True, read_only=True)
    nationalities = CountryField(many=True, read_only=True)
    population_categories = CodeField("population_category", many=True, read_only=True)

    class Meta(ServiceListSerializer.Meta):
        fields = [
            *(f for f in ServiceListSerializer.Meta.fields if f != "has_pending_revision"),
            "revision_of",
            "description_fr",
            "description_en",
            "description_ha",
            "description_ar",
            "provider_name",
            "hours",
            "hours_note",
            "languages",
            "eligible_sex",
            "min_age",
            "max_age",
            "nationalities",
            "population_categories",
            "eligibility_note",
            "cost",
            "fee_note",
            "capacity",
            "availability_updated_at",
            "channels",
            "submitted_at",
            "moderated_at",
            "rejection_reason",
            "published_at",
            "stale_flagged_at",
        ]
        read_only_fields = fields


# --- input ----------------------------------------------------------------------------------


class HoursInputSerializer(StrictSerializer):
    weekday = serializers.IntegerField(help_text=_("0 = Monday … 6 = Sunday."))
    opens_at = serializers.TimeField()
    closes_at = serializers.TimeField()


class ChannelInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=ChannelKind.choices)
    value = serializers.CharField(required=False, allow_blank=True, max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


def _text(max_length: int) -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, max_length=max_length, default=""
    )


class ServiceContentSerializer(StrictSerializer):
    """The whole content of an entry (an edit replaces it, as the form does)."""

    service_type = CodeField("service_type")
    name_fr = serializers.CharField(max_length=200)
    name_en = _text(200)
    name_ha = _text(200)
    name_ar = _text(200)
    description_fr = _text(5000)
    description_en = _text(5000)
    description_ha = _text(5000)
    description_ar = _text(5000)
    focal_point = user_field(help_text=_("Public id of an editor of your organisation."))
    is_public_service = serializers.BooleanField(required=False, default=False)
    provider_name = _text(200)
    site = site_field(required=False, allow_null=True, default=None)
    commune = commune_field(required=False, allow_null=True, default=None)
    address = _text(250)
    hours = HoursInputSerializer(many=True, required=False, default=list)
    hours_note = _text(200)
    languages = CodeField("language", many=True, required=False, default=list)
    eligible_sex = serializers.ChoiceField(
        choices=EligibleSex.choices, required=False, default=EligibleSex.ALL
    )
    min_age = serializers.IntegerField(required=False, allow_null=True, default=None)
    max_age = serializers.IntegerField(required=False, allow_null=True, default=None)
    nationalities = CountryField(many=True, required=False, default=list)
    population_categories = CodeField(
        "population_category", many=True, required=False, default=list
    )
    eligibility_note = _text(300)
    cost = serializers.ChoiceField(choices=Cost.choices, required=False, default=Cost.FREE)
    fee_note = _text(200)
    capacity = serializers.IntegerField(required=False, allow_null=True, default=None)
    channels = ChannelInputSerializer(many=True, required=False, default=list)

    def to_content(self) -> ServiceContent:
        data: dict[str, Any] = dict(self.validated_data)
        data.pop("version", None)
        data["hours"] = tuple(Hours(**row) for row in data["hours"])
        data["channels"] = tuple(Channel(**row) for row in data["channels"])
        for name in ("languages", "nationalities", "population_categories"):
            data[name] = tuple(data[name])
        return ServiceContent(**data)


class ServiceUpdateSerializer(ServiceContentSerializer, VersionedSerializer):
    pass


class VersionSerializer(VersionedSerializer):
    pass


class RejectSerializer(VersionedSerializer):
    reason = serializers.CharField(max_length=2000)


class AvailabilitySerializer(VersionedSerializer):
    availability = serializers.ChoiceField(choices=Availability.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class ServiceFilters(serializers.Serializer):  # type: ignore[type-arg]
    """Query parameters of the entry list."""

    service_type = CodeField("service_type", required=False)
    place = serializers.SlugRelatedField(
        slug_field="pcode",
        queryset=AdminUnit.objects.all(),
        required=False,
        help_text=_("P-code of a region, department or commune."),
    )
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    own_only = serializers.BooleanField(required=False, default=False)
