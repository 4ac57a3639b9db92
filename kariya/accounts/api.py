from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.generics import RetrieveAPIView
from rest_framework.request import Request

from kariya.accounts import selectors
from kariya.accounts.models import Office, Organisation, User
from kariya.accounts.serializers import MeSerializer, OfficeSerializer, OrganisationSerializer


class MeView(RetrieveAPIView):
    """The authenticated user, their organisation, roles and permissions."""

    permission = "home.view"
    serializer_class = MeSerializer

    def get_object(self) -> User:
        request: Request = self.request
        return request.user  # type: ignore[return-value]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Member organisations of the network (not personal data)."""

    permission = "accounts.view_organisations"
    serializer_class = OrganisationSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Organisation]:
        return selectors.organisation_list(
            search=self.request.query_params.get("search", ""),
            network_status=self.request.query_params.get("network_status", ""),
        )


class OfficeViewSet(viewsets.ReadOnlyModelViewSet):
    permission = "accounts.view_organisations"
    serializer_class = OfficeSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Office]:
        return selectors.office_list_network()
