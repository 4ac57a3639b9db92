"""Base pieces of the REST API: the same gate as the pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import exceptions, pagination, serializers
from rest_framework.authentication import TokenAuthentication as DRFTokenAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from kariya.accounts.roles import permissions_for
from kariya.core.gate import PUBLIC

if TYPE_CHECKING:
    from rest_framework.views import APIView


class DeclaredPermission(BasePermission):
    """Requires the view's ``permission`` attribute (or ``permissions[action]``).

    Token-authenticated requests skip the middleware's role resolution, so roles are read
    from the user here. A user lacking the permission gets 404, as on the pages.
    """

    def _required(self, view: APIView) -> str:
        per_action = getattr(view, "permissions", None)
        action = getattr(view, "action", None)
        if per_action and action in per_action:
            return str(per_action[action])
        declared = getattr(view, "permission", None)
        if not declared:
            raise ImproperlyConfigured(f"{type(view).__name__} declares no permission")
        return str(declared)

    def has_permission(self, request: Request, view: APIView) -> bool:
        required = self._required(view)
        if required == PUBLIC:
            return True
        user = request.user
        if not user or not user.is_authenticated:
            raise exceptions.NotAuthenticated
        if required not in permissions_for(user.role_codes()):  # type: ignore[union-attr]
            raise Http404
        return True


class TokenAuthentication(DRFTokenAuthentication):
    """``Authorization: Token …``, refused like a session for a user of a deactivated
    organisation (see ``accounts.backends.KariyaBackend``)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        organisation = getattr(user, "organisation", None)
        if organisation is not None and not organisation.is_active:
            raise exceptions.AuthenticationFailed
        return user, token


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class Conflict(exceptions.APIException):
    """A stale edit (optimistic locking): someone saved the record since it was read."""

    status_code = 409
    default_code = "stale"


def _is_stale(exc: DjangoValidationError) -> bool:
    return any(error.code == "stale" for error in getattr(exc, "error_list", []))


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Django's ValidationError from a service becomes a 400 with its messages; a stale edit
    (``code="stale"`` from ``core.locking``) a 409 Conflict with ``"code": "stale"``."""
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError) and _is_stale(exc):
        response = drf_exception_handler(Conflict(detail=exc.messages[0]), context)
        if response is not None:
            response.data["code"] = "stale"
        return response
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    return drf_exception_handler(exc, context)


# --- helpers of the apps' API views ---------------------------------------------------------

UUID_PATTERN = r"[0-9a-fA-F-]{36}"


def paginated(serializer_class: type[serializers.Serializer]) -> Any:  # type: ignore[type-arg]
    """The schema of a page of ``serializer_class`` rows (for list actions of a record)."""
    name = serializer_class.__name__.removesuffix("Serializer")
    return inline_serializer(
        name=f"Paginated{name}Page",
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )


def path_uuid(name: str, description: str = "") -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.UUID, OpenApiParameter.PATH, description=description)


def validated(
    serializer_class: type[serializers.Serializer],  # type: ignore[type-arg]
    request: Request,
    **kwargs: Any,
) -> dict[str, Any]:
    """The request body checked by ``serializer_class`` (400 with field messages otherwise)."""
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class PagedMixin:
    """A page of rows for the list actions of one record (documents, consents, notes…)."""

    def paged(self, rows: QuerySet[Any], serializer_class: type[Any]) -> Response:
        page = self.paginate_queryset(rows)  # type: ignore[attr-defined]
        data = serializer_class(page, many=True, context={"request": self.request}).data  # type: ignore[attr-defined]
        return self.get_paginated_response(data)  # type: ignore[attr-defined,no-any-return]
