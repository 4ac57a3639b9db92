"""The people API: registration, the pseudonymous core, identity, documents, household links,
migration profile and consents.

Same gate as the pages: every action declares its permission (``DeclaredPermission``: 401/403
anonymous, 404 without the permission), records come through ``access.py`` (404 for "absent"
and for "not allowed", other organisations included), lists through ``selectors.py``, writes
through ``services.py``. Identity reads (identity, documents) go through
``access.identity_get_for`` and are audited. Names, phones and document numbers are searched only
in the body of ``POST persons/search/`` (never in a URL); each such search is audited by the
criteria it used, never their values.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from kariya.core.api import UUID_PATTERN, PagedMixin, paginated, path_uuid, validated
from kariya.people import access, selectors, services
from kariya.people.models import Person
from kariya.people.serializers import (
    ConsentInputSerializer,
    ConsentSerializer,
    ConsentWithdrawSerializer,
    DocumentInputSerializer,
    DocumentSerializer,
    HouseholdLinkInputSerializer,
    HouseholdLinkSerializer,
    IdentitySerializer,
    IdentityUpdateSerializer,
    MigrationInputSerializer,
    MigrationProfileSerializer,
    MigrationProfileWriteSerializer,
    PersonFilters,
    PersonListSerializer,
    PersonRegisterSerializer,
    PersonSearchSerializer,
    PersonSerializer,
    PersonUpdateSerializer,
    RegisteredSerializer,
    RegistrationCheckResultSerializer,
    RegistrationCheckSerializer,
)

PERSON_ID = path_uuid("id", "Public id of the person")
DOCUMENT_ID = path_uuid("document_id", "Public id of the document")
LINK_ID = path_uuid("link_id", "Public id of the household link")
CONSENT_ID = path_uuid("consent_id", "Public id of the consent")


@extend_schema_view(
    list=extend_schema(
        parameters=[PersonFilters],
        description=(
            "People of your organisation, newest first, optionally by case code. Name, phone "
            "and document number are refused here (400): search by them with "
            "`POST /api/v1/persons/search/`, so that they never appear in a URL."
        ),
    ),
    retrieve=extend_schema(parameters=[PERSON_ID]),
    create=extend_schema(
        request=PersonRegisterSerializer,
        responses={201: RegisteredSerializer},
        description=(
            "Register a person. Refused (400) without a services consent or another legal "
            "basis with its reason."
        ),
    ),
    partial_update=extend_schema(
        parameters=[PERSON_ID],
        request=PersonUpdateSerializer,
        responses={200: PersonSerializer, 409: OpenApiTypes.OBJECT},
        description="Edit the pseudonymous core; a stale `version` is refused with 409.",
    ),
)
class PersonViewSet(PagedMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """People registered by your organisation (pseudonymous core; identity apart)."""

    permission = access.VIEW
    permissions = {
        "list": access.VIEW,
        "search": access.VIEW,
        "check": access.REGISTER,
        "retrieve": access.VIEW,
        "create": access.REGISTER,
        "partial_update": access.REGISTER,
        "identity": access.VIEW_IDENTITY,
        "identity_update": access.REGISTER,
        "documents": access.VIEW_IDENTITY,
        "document_add": access.REGISTER,
        "document_update": access.REGISTER,
        "document_remove": access.REGISTER,
        "household": access.VIEW,
        "household_add": access.REGISTER,
        "household_remove": access.REGISTER,
        "migration_profile": access.VIEW,
        "migration_profile_save": access.REGISTER,
        "consents": access.VIEW,
        "consent_add": access.REGISTER,
        "consent_withdraw": access.REGISTER,
    }
    serializer_class = PersonSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Person]:
        if self.action != "list":
            return Person.objects.none()  # type: ignore[no-any-return]
        refused = [name for name in access.IDENTITY_CRITERIA if name in self.request.query_params]
        if refused:
            # Refused rather than ignored: a client would otherwise get everybody and believe
            # it was a match. The message names the parameter, never its value.
            message = _(
                "Not accepted in a URL: search by name, phone or document with "
                "POST /api/v1/persons/search/."
            )
            raise serializers.ValidationError({name: [message] for name in refused})
        form = PersonFilters(data=self.request.query_params)
        form.is_valid(raise_exception=True)
        return selectors.person_search(
            actor=self.request.user, case_code=form.validated_data.get("case_code", "")
        )

    def get_serializer_class(self) -> type[serializers.Serializer]:  # type: ignore[type-arg]
        return PersonListSerializer if self.action in ("list", "search") else PersonSerializer

    # --- the person ---------------------------------------------------------------------

    def list(self, request: Request) -> Response:
        return self.paged(self.get_queryset(), PersonListSerializer)

    @extend_schema(
        request=PersonSearchSerializer,
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False)
        ],
        responses={
            200: paginated(PersonListSerializer),
            400: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
        },
        description=(
            "Search the people of your organisation by case code, name (whole name tokens, "
            "spelling variants ignored), phone or document number, given in the body so that "
            "they never appear in a URL. Name, phone and document need the permission to see "
            "identities (404 without it). Each search by identity is written to the audit log "
            "with the criteria used, never their values. Paginated like the list (`?page=`)."
        ),
    )
    @action(detail=False, methods=["post"], url_path="search")
    def search(self, request: Request) -> Response:
        data = validated(PersonSearchSerializer, request)
        criteria = [name for name in access.IDENTITY_CRITERIA if data.get(name, "").strip()]
        if not access.identity_search_allowed(request.user, criteria):
            raise Http404
        people = selectors.person_search(
            actor=request.user,
            case_code=data.get("case_code", ""),
            text=data.get("name", ""),
            phone=data.get("phone", ""),
            document=data.get("document", ""),
        )
        response = self.paged(people, PersonListSerializer)
        access.identity_search_record(request.user, criteria=criteria)
        return response

    @extend_schema(
        request=RegistrationCheckSerializer,
        responses={200: RegistrationCheckResultSerializer, 400: OpenApiTypes.OBJECT},
        description=(
            "Before registering: the likely existing records of your organisation (case code, "
            "score, reasons as field and level, never values; only with the permission to see "
            "identities) and the other member organisations that likely know the person "
            "(their names and contacts only, and only where that person's consent allows it). "
            "The identity goes in the body; nothing is saved. Audited with the criteria used."
        ),
    )
    @action(detail=False, methods=["post"], url_path="check")
    def check(self, request: Request) -> Response:
        data = validated(RegistrationCheckSerializer, request)
        draft = selectors.RegistrationDraft(
            given_names=data["given_names"],
            family_names=data["family_names"],
            other_spellings=tuple(data["other_spellings"]),
            aliases=tuple(data["aliases"]),
            phone_numbers=tuple(data["phone_numbers"]),
            document_numbers=tuple(data["document_numbers"]),
            birth_date=data["birth_date"],
            birth_year=data["birth_year"],
            sex=data["sex"],
            nationalities=tuple(c.iso3 for c in data["nationalities"]),
        )
        result = selectors.registration_check(actor=request.user, draft=draft)
        return Response(RegistrationCheckResultSerializer(result).data)

    def retrieve(self, request: Request, id: str) -> Response:  # noqa: A002
        person = access.person_get_for(request.user, id)
        return Response(PersonSerializer(person).data)

    def create(self, request: Request) -> Response:
        serializer = PersonRegisterSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        person = services.person_register(actor=request.user, **serializer.to_arguments())  # type: ignore[arg-type]
        return Response(
            {"id": str(person.public_id), "case_code": person.case_code},
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request: Request, id: str) -> Response:  # noqa: A002
        person = access.person_get_for_edit(request.user, id)
        data = validated(PersonUpdateSerializer, request)
        version = data.pop("version")
        services.person_update(
            actor=request.user,  # type: ignore[arg-type]
            person=person,
            expected_version=version,
            **data,
        )
        return Response(PersonSerializer(access.person_get_for(request.user, id)).data)

    # --- identity -----------------------------------------------------------------------

    @extend_schema(
        parameters=[PERSON_ID],
        responses=IdentitySerializer,
        description="Names, phones and exact date of birth. Every read is audited.",
    )
    @action(detail=True, methods=["get"], url_path="identity")
    def identity(self, request: Request, id: str) -> Response:  # noqa: A002
        return Response(IdentitySerializer(access.identity_get_for(request.user, id)).data)

    @extend_schema(
        parameters=[PERSON_ID],
        request=IdentityUpdateSerializer,
        responses={200: IdentitySerializer, 409: OpenApiTypes.OBJECT},
        description="Edit the identity; a stale `version` is refused with 409.",
    )
    @identity.mapping.patch
    def identity_update(self, request: Request, id: str) -> Response:  # noqa: A002
        access.person_get_for_edit(request.user, id)
        identity = access.identity_get_for(request.user, id)
        data = validated(IdentityUpdateSerializer, request)
        version = data.pop("version")
        identity = services.identity_update(
            actor=request.user,  # type: ignore[arg-type]
            identity=identity,
            expected_version=version,
            **data,
        )
        return Response(IdentitySerializer(identity).data)

    # --- documents ----------------------------------------------------------------------

    @extend_schema(
        parameters=[PERSON_ID],
        responses=paginated(DocumentSerializer),
        description="Identity documents with their numbers: an identity read, audited.",
    )
    @action(detail=True, methods=["get"], url_path="documents")
    def documents(self, request: Request, id: str) -> Response:  # noqa: A002
        identity = access.identity_get_for(request.user, id)
        return self.paged(selectors.document_list(person=identity.person), DocumentSerializer)

    @extend_schema(
        parameters=[PERSON_ID],
        request=DocumentInputSerializer,
        responses={201: DocumentSerializer},
    )
    @documents.mapping.post
    def document_add(self, request: Request, id: str) -> Response:  # noqa: A002
        person = access.person_get_for_document_edit(request.user, id)
        data = validated(DocumentInputSerializer, request)
        document = services.document_add(
            actor=request.user,  # type: ignore[arg-type]
            person=person,
            data=services.DocumentInput(**data),
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    def _document(self, request: Request, id: str, document_id: str) -> Any:  # noqa: A002
        person = access.person_get_for_edit(request.user, id)
        return access.document_get_for_edit(request.user, document_id, person=person)

    @extend_schema(
        parameters=[PERSON_ID, DOCUMENT_ID],
        request=DocumentInputSerializer,
        responses=DocumentSerializer,
        description="Replace a document's details (its status changes most).",
    )
    @action(
        detail=True,
        methods=["put"],
        url_path=f"documents/(?P<document_id>{UUID_PATTERN})",
    )
    def document_update(self, request: Request, id: str, document_id: str) -> Response:  # noqa: A002
        document = self._document(request, id, document_id)
        data = validated(DocumentInputSerializer, request)
        document = services.document_update(
            actor=request.user,  # type: ignore[arg-type]
            document=document,
            data=services.DocumentInput(**data),
        )
        return Response(DocumentSerializer(document).data)

    @extend_schema(parameters=[PERSON_ID, DOCUMENT_ID], request=None, responses={204: None})
    @document_update.mapping.delete
    def document_remove(self, request: Request, id: str, document_id: str) -> Response:  # noqa: A002
        document = self._document(request, id, document_id)
        services.document_remove(actor=request.user, document=document)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- household links ----------------------------------------------------------------

    @extend_schema(parameters=[PERSON_ID], responses=paginated(HouseholdLinkSerializer))
    @action(detail=True, methods=["get"], url_path="household")
    def household(self, request: Request, id: str) -> Response:  # noqa: A002
        person = access.person_get_for(request.user, id)
        return self.paged(selectors.household_list(person=person), HouseholdLinkSerializer)

    @extend_schema(
        parameters=[PERSON_ID],
        request=HouseholdLinkInputSerializer,
        responses={201: HouseholdLinkSerializer},
        description="Record that `relative` is the `relationship` of this person.",
    )
    @household.mapping.post
    def household_add(self, request: Request, id: str) -> Response:  # noqa: A002
        person = access.person_get_for_edit(request.user, id)
        data = validated(HouseholdLinkInputSerializer, request)
        try:
            relative = access.person_get_for_edit(request.user, data["relative"])
        except Http404 as exc:
            raise ValidationError(
                {"relative": _("Choose a person registered by your organisation.")}
            ) from exc
        link = services.household_link_add(
            actor=request.user,  # type: ignore[arg-type]
            person=person,
            relative=relative,
            relationship=data["relationship"],
        )
        return Response(HouseholdLinkSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[PERSON_ID, LINK_ID], request=None, responses={204: None})
    @action(
        detail=True,
        methods=["delete"],
        url_path=f"household/(?P<link_id>{UUID_PATTERN})",
    )
    def household_remove(self, request: Request, id: str, link_id: str) -> Response:  # noqa: A002
        person = access.person_get_for_edit(request.user, id)
        link = access.household_link_get_for_edit(request.user, link_id, person=person)
        services.household_link_remove(actor=request.user, link=link)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- migration profile --------------------------------------------------------------

    @extend_schema(parameters=[PERSON_ID], responses=MigrationProfileSerializer)
    @action(detail=True, methods=["get"], url_path="migration-profile")
    def migration_profile(self, request: Request, id: str) -> Response:  # noqa: A002
        person = access.person_get_for(request.user, id)
        profile = selectors.migration_profile_for(person=person)
        if profile is None:
            raise Http404
        return Response(MigrationProfileSerializer(profile).data)

    @extend_schema(
        parameters=[PERSON_ID],
        request=MigrationProfileWriteSerializer,
        responses={
            200: MigrationProfileSerializer,
            201: MigrationProfileSerializer,
            409: OpenApiTypes.OBJECT,
        },
        description=(
            "Create the migration profile (no `version`) or replace it (`version` you read; "
            "a stale one is refused with 409)."
        ),
    )
    @migration_profile.mapping.put
    def migration_profile_save(self, request: Request, id: str) -> Response:  # noqa: A002
        person = access.person_get_for_edit(request.user, id)
        data = validated(MigrationProfileWriteSerializer, request)
        version = data.pop("version", None)
        services.migration_profile_save(
            actor=request.user,  # type: ignore[arg-type]
            person=person,
            data=MigrationInputSerializer.to_input(data),
            expected_version=version,
        )
        return Response(
            MigrationProfileSerializer(selectors.migration_profile_for(person=person)).data,
            status=status.HTTP_200_OK if version else status.HTTP_201_CREATED,
        )

    # --- consents -----------------------------------------------------------------------

    @extend_schema(
        parameters=[PERSON_ID],
        responses=paginated(ConsentSerializer),
        description="The consent ledger, newest first (withdrawn consents included).",
    )
    @action(detail=True, methods=["get"], url_path="consents")
    def consents(self, request: Request, id: str) -> Response:  # noqa: A002
        person = access.person_get_for(request.user, id)
        return self.paged(selectors.consent_list(person=person), ConsentSerializer)

    @extend_schema(
        parameters=[PERSON_ID],
        request=ConsentInputSerializer,
        responses={201: ConsentSerializer},
    )
    @consents.mapping.post
    def consent_add(self, request: Request, id: str) -> Response:  # noqa: A002
        person = access.person_get_for_edit(request.user, id)
        data = validated(ConsentInputSerializer, request)
        data["restrictions"] = [services.RestrictionInput(**r) for r in data["restrictions"]]
        consent = services.consent_record(actor=request.user, person=person, **data)  # type: ignore[arg-type]
        return Response(
            ConsentSerializer(selectors.consent_list(person=person).get(pk=consent.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        parameters=[PERSON_ID, CONSENT_ID],
        request=ConsentWithdrawSerializer,
        responses=ConsentSerializer,
        description="Withdraw a consent, at once; it stays in the ledger.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"consents/(?P<consent_id>{UUID_PATTERN})/withdraw",
    )
    def consent_withdraw(self, request: Request, id: str, consent_id: str) -> Response:  # noqa: A002
        person = access.person_get_for_edit(request.user, id)
        consent = access.consent_get_for_edit(request.user, consent_id, person=person)
        data = validated(ConsentWithdrawSerializer, request)
        consent = services.consent_withdraw(actor=request.user, consent=consent, **data)  # type: ignore[arg-type]
        return Response(
            ConsentSerializer(selectors.consent_list(person=person).get(pk=consent.pk)).data
        )
