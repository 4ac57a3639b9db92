"""The directory API: entries of the service directory, their moderation, verification and
availability (``/api/v1/directory/services/``).

Same gate and rules as the staff pages: each action declares its permission
(``DeclaredPermission``: 401/403 anonymous, 404 without it); entries come through
``access.py`` (404 for "absent" and for "not allowed", other organisations' drafts included),
the list through ``selectors.services_for_staff``, writes through ``services.py``. Every write
on an existing entry carries the ``version`` read: a stale one is answered 409 Conflict.
Referral endpoints are not here (the referrals app adds its own).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from kariya.core.api import UUID_PATTERN, PagedMixin, paginated, path_uuid, validated
from kariya.directory import access, selectors, services
from kariya.directory.models import Service
from kariya.directory.serializers import (
    AvailabilitySerializer,
    RejectSerializer,
    ServiceContentSerializer,
    ServiceFilters,
    ServiceListSerializer,
    ServiceSerializer,
    ServiceUpdateSerializer,
    VersionSerializer,
)

SERVICE_ID = path_uuid("id", "Public id of the directory entry")
CONFLICT = {409: OpenApiTypes.OBJECT}


def _detail(service: Service, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(ServiceSerializer(selectors.service_detail(service)).data, status=status_code)


def _versioned(
    serializer_class: type[serializers.Serializer],  # type: ignore[type-arg]
    description: str,
) -> Any:
    return extend_schema(
        parameters=[SERVICE_ID],
        request=serializer_class,
        responses={200: ServiceSerializer, 400: OpenApiTypes.OBJECT, **CONFLICT},
        description=description,
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[ServiceFilters],
        responses=paginated(ServiceListSerializer),
        description=(
            "Entries you may see: every entry of your organisation (all statuses) and the "
            "published entries of the network; revisions are not listed "
            "(`has_pending_revision`). Ordered by name."
        ),
    ),
    retrieve=extend_schema(parameters=[SERVICE_ID], responses=ServiceSerializer),
    create=extend_schema(
        request=ServiceContentSerializer,
        responses={201: ServiceSerializer, 400: OpenApiTypes.OBJECT},
        description="A new draft entry of your organisation (public services: coordinator).",
    ),
    update=extend_schema(
        parameters=[SERVICE_ID],
        request=ServiceUpdateSerializer,
        responses={200: ServiceSerializer, 400: OpenApiTypes.OBJECT, **CONFLICT},
        description=(
            "Replace the content of a draft, submitted entry (back to draft) or pending "
            "revision; a published entry is changed through `revise/`. Stale `version`: 409."
        ),
    ),
)
class DirectoryServiceViewSet(PagedMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Entries of the service directory."""

    permission = access.VIEW
    permissions = {
        "list": access.VIEW,
        "retrieve": access.VIEW,
        "create": access.EDIT,
        "update": access.EDIT,
        "revise": access.EDIT,
        "submit": access.EDIT,
        "approve": access.MODERATE,
        "reject": access.MODERATE,
        "archive": access.EDIT,
        "restore": access.EDIT,
        "verify": access.EDIT,
        "availability": access.EDIT,
    }
    serializer_class = ServiceSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self) -> QuerySet[Service]:
        if self.action != "list":
            return Service.objects.none()  # type: ignore[no-any-return]
        filters = ServiceFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return selectors.services_for_staff(
            self.request.user,
            service_type=data.get("service_type"),
            place=data.get("place"),
            status=data.get("status"),
            own_only=data.get("own_only", False),
        )

    def get_serializer_class(self) -> type[serializers.Serializer]:  # type: ignore[type-arg]
        return ServiceListSerializer if self.action == "list" else ServiceSerializer

    def list(self, request: Request) -> Response:
        return self.paged(self.get_queryset(), ServiceListSerializer)

    def retrieve(self, request: Request, id: str) -> Response:  # noqa: A002
        return _detail(access.service_get_for(request.user, id))

    def create(self, request: Request) -> Response:
        serializer = ServiceContentSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        service = services.service_create(actor=request.user, content=serializer.to_content())  # type: ignore[arg-type]
        return _detail(service, status.HTTP_201_CREATED)

    def update(self, request: Request, id: str) -> Response:  # noqa: A002
        service = access.service_get_for_edit(request.user, id)
        serializer = ServiceUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        service = services.service_update(
            actor=request.user,  # type: ignore[arg-type]
            service=service,
            expected_version=serializer.validated_data["version"],
            content=serializer.to_content(),
        )
        return _detail(service)

    # --- moderation ---------------------------------------------------------------------

    @extend_schema(
        parameters=[SERVICE_ID],
        request=None,
        responses={200: ServiceSerializer},
        description=(
            "The pending revision of a published entry of your organisation (the existing one, "
            "or a new draft copy): edit it with PUT, submit it; the published entry stays "
            "online unchanged until the revision is approved."
        ),
    )
    @action(detail=True, methods=["post"], url_path="revise")
    def revise(self, request: Request, id: str) -> Response:  # noqa: A002
        service = access.service_get_for_edit(request.user, id)
        return _detail(services.service_revise(actor=request.user, service=service))  # type: ignore[arg-type]

    @_versioned(VersionSerializer, "Submit a draft (or revision) for moderation.")
    @action(detail=True, methods=["post"], url_path="submit")
    def submit(self, request: Request, id: str) -> Response:  # noqa: A002
        service = access.service_get_for_edit(request.user, id)
        data = validated(VersionSerializer, request)
        return _detail(
            services.service_submit(
                actor=request.user,  # type: ignore[arg-type]
                service=service,
                expected_version=data["version"],
            )
        )

    @_versioned(
        VersionSerializer,
        "Publish a submitted entry, or merge a submitted revision into its published entry "
        "(answered with the published entry). Not one you submitted yourself (400).",
    )
    @action(detail=True, methods=["post"], url_path="approve")
    def approve(self, request: Request, id: str) -> Response:  # noqa: A002
        service = access.service_get_for_moderation(request.user, id)
        data = validated(VersionSerializer, request)
        return _detail(
            services.service_approve(
                actor=request.user,  # type: ignore[arg-type]
                service=service,
                expected_version=data["version"],
            )
        )

    @_versioned(RejectSerializer, "Send a submitted entry back to draft, with a reason.")
    @action(detail=True, methods=["post"], url_path="reject")
    def reject(self, request: Request, id: str) -> Response:  # noqa: A002
        service = access.service_get_for_moderation(request.user, id)
        data = validated(RejectSerializer, request)
        return _detail(
            services.service_reject(
                actor=request.user,  # type: ignore[arg-type]
                service=service,
                expected_version=data["version"],
                reason=data["reason"],
            )
        )

    @_versioned(
        VersionSerializer,
        "Archive an entry of your organisation (the coordinator: any entry it sees).",
    )
    @action(detail=True, methods=["post"], url_path="archive")
    def archive(self, request: Request, id: str) -> Response:  # noqa: A002
        if access.can_moderate(request.user):
            service = access.service_get_for(request.user, id)
        else:
            service = access.service_get_for_edit(request.user, id)
        data = validated(VersionSerializer, request)
        return _detail(
            services.service_archive(
                actor=request.user,  # type: ignore[arg-type]
                service=service,
                expected_version=data["version"],
            )
        )

    @_versioned(VersionSerializer, "Restore an archived entry of your organisation as a draft.")
    @action(detail=True, methods=["post"], url_path="restore")
    def restore(self, request: Request, id: str) -> Response:  # noqa: A002
        service = access.service_get_for_edit(request.user, id)
        data = validated(VersionSerializer, request)
        return _detail(
            services.service_restore(
                actor=request.user,  # type: ignore[arg-type]
                service=service,
                expected_version=data["version"],
            )
        )

    # --- operational facts --------------------------------------------------------------

    @_versioned(VersionSerializer, "Confirm that a published entry is still accurate.")
    @action(detail=True, methods=["post"], url_path="verify")
    def verify(self, request: Request, id: str) -> Response:  # noqa: A002
        service = access.service_get_for_edit(request.user, id)
        data = validated(VersionSerializer, request)
        return _detail(
            services.service_verify(
                actor=request.user,  # type: ignore[arg-type]
                service=service,
                expected_version=data["version"],
            )
        )

    @_versioned(AvailabilitySerializer, "Set today's availability (not moderated).")
    @action(detail=True, methods=["post"], url_path="availability")
    def availability(self, request: Request, id: str) -> Response:  # noqa: A002
        service = access.service_get_for_edit(request.user, id)
        data = validated(AvailabilitySerializer, request)
        return _detail(
            services.service_set_availability(
                actor=request.user,  # type: ignore[arg-type]
                service=service,
                expected_version=data["version"],
                availability=data["availability"],
                note=data["note"],
            )
        )
