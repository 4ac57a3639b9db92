"""Serializers of the people API. They check the shape of the input and render records; the
rules live in ``services.py`` and who may see what in ``access.py``.

Records are named by their random ``public_id`` (``id`` in the API), codes by their code
(``"hau"``), countries by ISO 3166-1 alpha-3, communes by P-code. Encrypted free-text reasons
(legal basis, consent restrictions and withdrawals) are written through the API but not read
back: the pages show them to whoever needs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kariya.accounts.models import Office, Organisation, User
from kariya.codelists.models import Code
from kariya.geo.models import AdminUnit, Country, Site
from kariya.people import services
from kariya.people.forms import MAX_ROWS
from kariya.people.models import (
    ChildSeparation,
    Consent,
    ConsentGiver,
    ConsentMethod,
    ConsentRestriction,
    ConsentScope,
    DataCategory,
    DocumentStatus,
    ExpelledFrom,
    ExpulsionType,
    HouseholdLink,
    Identity,
    IdentityDocument,
    LegalBasis,
    MigrationProfile,
    MigrationStatus,
    Person,
    RestrictionAudience,
    Sex,
)

# --- reference fields ---------------------------------------------------------------------


class CodeField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A code of one code list, by its code (only active codes are accepted on input)."""

    def __init__(self, list_name: str, **kwargs: Any) -> None:
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Code.objects.filter(list=list_name, is_active=True))
        super().__init__(slug_field="code", **kwargs)


class CountryField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A country by its ISO 3166-1 alpha-3 code."""

    def __init__(self, **kwargs: Any) -> None:
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Country.objects.all())
        super().__init__(slug_field="iso3", **kwargs)


class PublicIdField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A record by its public id."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="public_id", **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except (TypeError, ValueError, DjangoValidationError):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:40])


class OwnOrgField(PublicIdField):
    """A record of the requesting user's organisation, by its public id (an office, a
    colleague): the organisation comes from the request, never from the input."""

    def __init__(self, model: type[Any], **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        org_id = getattr(getattr(request, "user", None), "organisation_id", None)
        if org_id is None:
            return self.model.objects.none()  # type: ignore[no-any-return]
        return self.model.objects.filter(organisation_id=org_id)  # type: ignore[no-any-return]


def organisation_field(**kwargs: Any) -> PublicIdField:
    return PublicIdField(queryset=Organisation.objects.filter(is_active=True), **kwargs)


def office_field(**kwargs: Any) -> OwnOrgField:
    return OwnOrgField(Office, **kwargs)


def user_field(**kwargs: Any) -> OwnOrgField:
    return OwnOrgField(User, **kwargs)


def site_field(**kwargs: Any) -> PublicIdField:
    return PublicIdField(queryset=Site.objects.all(), **kwargs)


def commune_field(**kwargs: Any) -> serializers.SlugRelatedField:  # type: ignore[type-arg]
    return serializers.SlugRelatedField(
        slug_field="pcode", queryset=AdminUnit.objects.filter(is_active=True), **kwargs
    )


class StrictSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Refuses unknown fields, so a misspelt field is an error and not silently dropped."""

    def to_internal_value(self, data: Any) -> Any:
        errors: dict[str, Any] = {}
        if isinstance(data, Mapping):
            for name in sorted(set(data) - set(self.fields)):
                errors[str(name)[:40]] = [_("Unknown field.")]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, dict):
                raise
            errors.update(exc.detail)
        if errors:
            raise serializers.ValidationError(errors)
        return value


class VersionedSerializer(StrictSerializer):
    version = serializers.IntegerField(
        min_value=1,
        help_text=_("The version you read: a stale version is refused with 409 Conflict."),
    )


# --- person -------------------------------------------------------------------------------


class PersonListSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """The pseudonymous core, as a list shows it: no name, no exact date of birth."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    nationalities = CountryField(many=True, read_only=True)
    population_category = CodeField("population_category", read_only=True)
    registering_office = serializers.UUIDField(
        source="registering_office.public_id", read_only=True
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "case_code",
            "sex",
            "birth_year",
            "birth_estimated",
            "nationalities",
            "population_category",
            "child_separation",
            "registered_at",
            "registering_office",
            "version",
        ]
        read_only_fields = fields


class PersonSerializer(PersonListSerializer):
    languages = CodeField("language", many=True, read_only=True)
    preferred_language = CodeField("language", read_only=True)

    class Meta(PersonListSerializer.Meta):
        fields = [
            *PersonListSerializer.Meta.fields,
            "languages",
            "preferred_language",
            "legal_basis",
        ]
        read_only_fields = fields


class PersonFilters(serializers.Serializer):  # type: ignore[type-arg]
    """Query parameters of the person list: nothing personal (a case code is a pseudonym)."""

    case_code = serializers.CharField(required=False, max_length=12)


class PersonSearchSerializer(StrictSerializer):
    """The body of a person search. Name, phone and document number travel only here, never in
    a URL (browser history, proxy logs, Referer)."""

    case_code = serializers.CharField(required=False, allow_blank=True, max_length=12)
    name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Whole name tokens; needs the permission to see identities."),
    )
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text=_("Needs the permission to see identities."),
    )
    document = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=60,
        help_text=_("Needs the permission to see identities."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not any(str(value).strip() for value in attrs.values()):
            raise serializers.ValidationError(
                _("Give at least one of case_code, name, phone or document.")
            )
        return attrs


class DocumentInputSerializer(StrictSerializer):
    document_type = CodeField("document_type")
    status = serializers.ChoiceField(choices=DocumentStatus.choices)
    number = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    issuing_country = CountryField(required=False, allow_null=True, default=None)

    def to_input(self, data: dict[str, Any]) -> services.DocumentInput:
        return services.DocumentInput(**data)


# Lists of rows are bounded as on the pages (``forms.MAX_ROWS``). ``max_length`` on a
# ``many=True`` serializer exists since DRF 3.14 but not in its type stubs, hence the ignores.


class RestrictionInputSerializer(StrictSerializer):
    withhold = serializers.ChoiceField(choices=DataCategory.choices)
    audience = serializers.ChoiceField(choices=RestrictionAudience.choices)
    organisation = organisation_field(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ConsentInputSerializer(StrictSerializer):
    scope = serializers.ChoiceField(choices=ConsentScope.choices)
    given_by = serializers.ChoiceField(choices=ConsentGiver.choices)
    method = serializers.ChoiceField(choices=ConsentMethod.choices)
    language = CodeField("language")
    child_assent = serializers.BooleanField(required=False, default=False)
    child_mature = serializers.BooleanField(required=False, default=False)
    interpreter_used = serializers.BooleanField(required=False, default=False)
    given_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    recipient_organisation = organisation_field(required=False, allow_null=True, default=None)
    service_type = CodeField("service_type", required=False, allow_null=True, default=None)
    restrictions = RestrictionInputSerializer(  # type: ignore[call-arg]
        many=True, required=False, default=list, max_length=MAX_ROWS
    )

    @staticmethod
    def to_input(data: dict[str, Any]) -> services.ConsentInput:
        values = dict(data)
        values["restrictions"] = tuple(
            services.RestrictionInput(**r) for r in values.get("restrictions", [])
        )
        return services.ConsentInput(**values)


class RoutePointSerializer(StrictSerializer):
    site = site_field(required=False, allow_null=True, default=None)
    country = CountryField(required=False, allow_null=True, default=None)


class MigrationInputSerializer(StrictSerializer):
    origin_country = CountryField(required=False, allow_null=True, default=None)
    origin_place = serializers.CharField(
        required=False, allow_blank=True, max_length=120, default=""
    )
    route = RoutePointSerializer(  # type: ignore[call-arg]
        many=True, required=False, default=list, max_length=MAX_ROWS
    )
    arrival_date = serializers.DateField(required=False, allow_null=True, default=None)
    current_commune = commune_field(required=False, allow_null=True, default=None)
    intended_destination = CountryField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(
        choices=MigrationStatus.choices, required=False, allow_blank=True, default=""
    )
    expelled_from = serializers.ChoiceField(
        choices=ExpelledFrom.choices, required=False, allow_blank=True, default=""
    )
    expulsion_type = serializers.ChoiceField(
        choices=ExpulsionType.choices, required=False, allow_blank=True, default=""
    )
    expulsion_arrival_site = site_field(required=False, allow_null=True, default=None)
    expulsion_date = serializers.DateField(required=False, allow_null=True, default=None)

    @staticmethod
    def to_input(data: dict[str, Any]) -> services.MigrationInput:
        values = dict(data)
        values["route"] = tuple(services.RoutePointInput(**p) for p in values.get("route", []))
        return services.MigrationInput(**values)


class MigrationProfileWriteSerializer(MigrationInputSerializer):
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=_("Required to replace an existing profile: the version you read."),
    )


class IdentityTypedSerializer(StrictSerializer):
    """The identity fields a registration and its check share (names, spellings, aliases,
    phones), with the same limits."""

    given_names = serializers.CharField(
        required=False, allow_blank=True, max_length=200, default=""
    )
    family_names = serializers.CharField(
        required=False, allow_blank=True, max_length=200, default=""
    )
    other_spellings = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, max_length=20
    )
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, max_length=20
    )
    phone_numbers = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list, max_length=10
    )


class PersonRegisterSerializer(IdentityTypedSerializer):
    """A registration: the core, the identity, documents, migration profile and consents (or a
    legal basis with its reason)."""

    office = office_field()
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    birth_year = serializers.IntegerField(required=False, allow_null=True, default=None)
    birth_estimated = serializers.BooleanField(required=False, default=False)
    nationalities = CountryField(many=True, required=False, default=list)
    languages = CodeField("language", many=True, required=False, default=list)
    preferred_language = CodeField("language", required=False, allow_null=True, default=None)
    population_category = CodeField(
        "population_category", required=False, allow_null=True, default=None
    )
    child_separation = serializers.ChoiceField(
        choices=ChildSeparation.choices, required=False, allow_blank=True, default=""
    )
    documents = DocumentInputSerializer(  # type: ignore[call-arg]
        many=True, required=False, default=list, max_length=MAX_ROWS
    )
    migration = MigrationInputSerializer(required=False, allow_null=True, default=None)
    consents = ConsentInputSerializer(  # type: ignore[call-arg]
        many=True, required=False, default=list, max_length=MAX_ROWS
    )
    legal_basis = serializers.ChoiceField(
        choices=LegalBasis.choices, required=False, allow_blank=True, default=""
    )
    legal_basis_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default=""
    )
    registered_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def to_arguments(self) -> dict[str, Any]:
        """The validated data as ``services.person_register`` arguments."""
        data = dict(self.validated_data)
        data["documents"] = [services.DocumentInput(**d) for d in data["documents"]]
        data["consents"] = [ConsentInputSerializer.to_input(c) for c in data["consents"]]
        if data["migration"] is not None:
            data["migration"] = MigrationInputSerializer.to_input(data["migration"])
        return data


class RegisteredSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(read_only=True)
    case_code = serializers.CharField(read_only=True)


class PersonUpdateSerializer(VersionedSerializer):
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    birth_year = serializers.IntegerField(required=False)
    birth_estimated = serializers.BooleanField(required=False)
    nationalities = CountryField(many=True, required=False)
    languages = CodeField("language", many=True, required=False)
    preferred_language = CodeField("language", required=False, allow_null=True)
    population_category = CodeField("population_category", required=False, allow_null=True)
    child_separation = serializers.ChoiceField(
        choices=ChildSeparation.choices, required=False, allow_blank=True
    )


# --- identity -----------------------------------------------------------------------------


class IdentitySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    other_spellings = serializers.ListField(
        source="spelling_list", child=serializers.CharField(), read_only=True
    )
    aliases = serializers.ListField(
        source="alias_list", child=serializers.CharField(), read_only=True
    )
    phone_numbers = serializers.ListField(
        source="phone_list", child=serializers.CharField(), read_only=True
    )
    birth_date = serializers.DateField(source="birth_date_value", read_only=True)

    class Meta:
        model = Identity
        fields = [
            "given_names",
            "family_names",
            "other_spellings",
            "aliases",
            "phone_numbers",
            "birth_date",
            "version",
        ]
        read_only_fields = fields


class IdentityUpdateSerializer(VersionedSerializer):
    given_names = serializers.CharField(required=False, allow_blank=True, max_length=200)
    family_names = serializers.CharField(required=False, allow_blank=True, max_length=200)
    other_spellings = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=20
    )
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=20
    )
    phone_numbers = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=10
    )
    birth_date = serializers.DateField(required=False, allow_null=True)


# --- documents, household, migration profile, consents ------------------------------------


class DocumentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    document_type = CodeField("document_type", read_only=True)
    issuing_country = CountryField(read_only=True)

    class Meta:
        model = IdentityDocument
        fields = ["id", "document_type", "status", "number", "issuing_country", "updated_at"]
        read_only_fields = fields


class HouseholdLinkSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    relative = serializers.UUIDField(source="relative.public_id", read_only=True)
    relative_case_code = serializers.CharField(source="relative.case_code", read_only=True)
    relationship = CodeField("relationship", read_only=True)

    class Meta:
        model = HouseholdLink
        fields = ["id", "relative", "relative_case_code", "relationship", "created_at"]
        read_only_fields = fields


class HouseholdLinkInputSerializer(StrictSerializer):
    relative = serializers.UUIDField(help_text=_("Public id of a person of your organisation."))
    relationship = CodeField("relationship")


class RoutePointReadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    site = serializers.UUIDField(source="site.public_id", read_only=True, allow_null=True)
    country = serializers.CharField(source="country_id", read_only=True, allow_null=True)


class MigrationProfileSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    origin_country = serializers.CharField(source="origin_country_id", allow_null=True)
    intended_destination = serializers.CharField(source="intended_destination_id", allow_null=True)
    current_commune = serializers.CharField(
        source="current_commune.pcode", allow_null=True, default=None
    )
    expulsion_arrival_site = serializers.UUIDField(
        source="expulsion_arrival_site.public_id", allow_null=True, default=None
    )
    route = RoutePointReadSerializer(many=True, read_only=True)

    class Meta:
        model = MigrationProfile
        fields = [
            "id",
            "origin_country",
            "origin_place",
            "route",
            "arrival_date",
            "current_commune",
            "intended_destination",
            "status",
            "expelled_from",
            "expulsion_type",
            "expulsion_arrival_site",
            "expulsion_date",
            "version",
        ]
        read_only_fields = fields


class RestrictionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    organisation = serializers.UUIDField(
        source="organisation.public_id", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = ConsentRestriction
        fields = ["withhold", "audience", "organisation"]
        read_only_fields = fields


class ConsentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    recipient_organisation = serializers.UUIDField(
        source="recipient_organisation.public_id", read_only=True, allow_null=True, default=None
    )
    service_type = CodeField("service_type", read_only=True)
    language = CodeField("language", read_only=True)
    restrictions = RestrictionSerializer(many=True, read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "scope",
            "recipient_organisation",
            "service_type",
            "given_by",
            "child_assent",
            "child_mature",
            "method",
            "language",
            "interpreter_used",
            "given_at",
            "is_active",
            "withdrawn_at",
            "restrictions",
        ]
        read_only_fields = fields


class ConsentWithdrawSerializer(StrictSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class RegistrationCheckSerializer(IdentityTypedSerializer):
    """The identity typed so far for a registration (nothing is saved): the body of
    ``POST persons/check/``, never a URL."""

    document_numbers = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        default=list,
        max_length=MAX_ROWS,
    )
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True, default="")
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    birth_year = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1900, max_value=2100
    )
    nationalities = CountryField(many=True, required=False, default=list)


class RegistrationCandidateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    case_code = serializers.CharField()
    score = serializers.FloatField(help_text=_("Match probability, 0 to 1."))
    reasons = serializers.DictField(
        child=serializers.CharField(),
        help_text=_(
            "Field name to agreement level (exact, variant, strong, close, weak, "
            "swapped, different); never a value."
        ),
    )


class NetworkContactSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    acronym = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class RegistrationCheckResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    candidates = RegistrationCandidateSerializer(many=True)
    candidates_compared = serializers.BooleanField(
        source="shows_candidates",
        help_text=_("False for a user who may not see identities: no candidates are listed."),
    )
    network = NetworkContactSerializer(
        many=True,
        help_text=_("Other member organisations that likely know the person: contact them."),
    )
    network_paused = serializers.BooleanField(
        help_text=_(
            "True when you have run too many checks in the last hour: other organisations "
            "were not asked this time, so an empty network list means nothing. Lifts by "
            "itself within the hour."
        ),
    )
