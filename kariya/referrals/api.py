"""The referrals API: pathways, referrals sent and received, and each step of the workflow.

Same rules as the pages: each action declares its permission (``DeclaredPermission``);
records come through ``access.py`` (404 for absent and for not allowed; the receiving side only
while the referral is open, and only the snapshot of shared fields); writes through
``services.py``; a stale ``version`` is answered 409.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from kariya.cases import access as cases_access
from kariya.core.api import UUID_PATTERN, path_uuid, validated
from kariya.directory.models import Service
from kariya.referrals import access, selectors, services
from kariya.referrals.models import Referral
from kariya.referrals.pathways import pathways_for, traits_of
from kariya.referrals.serializers import (
    InboxRowSerializer,
    PathwayQuerySerializer,
    PathwaySerializer,
    ReferralAcceptSerializer,
    ReferralCompleteSerializer,
    ReferralInputSerializer,
    ReferralNoteSerializer,
    ReferralReasonSerializer,
    ReferralSerializer,
    ReferralVersionSerializer,
    SentReferralSerializer,
    TransferInputSerializer,
)

ID = path_uuid("id", "Public id of the referral")
CONFLICT = {409: OpenApiTypes.OBJECT}


class ReferralViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Referrals between organisations."""

    # The detail and the steps are reached by two sides: every staff user passes the gate and
    # ``access.py`` answers 404 to anyone who is neither side.
    permission = "home.view"
    permissions = {
        "incoming": access.RECEIVE,
        "outgoing": access.SEND,
        "create": access.SEND,
        "pathways": access.SEND,
        "transfer": access.TRANSFER,
        "cancel": access.SEND,
        "acknowledge": access.RECEIVE,
        "accept": access.RECEIVE,
        "decline": access.RECEIVE,
        "start": access.RECEIVE,
        "complete": access.RECEIVE,
        "no_show": access.RECEIVE,
    }
    serializer_class = ReferralSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self) -> QuerySet[Referral]:
        return Referral.objects.none()  # type: ignore[no-any-return]

    def _reply(self, referral: Referral, code: int = status.HTTP_200_OK) -> Response:
        actor = self.request.user
        if access.can_follow(actor, referral):
            return Response(SentReferralSerializer(referral).data, status=code)
        if access.can_receive(actor, referral):
            return Response(ReferralSerializer(referral).data, status=code)
        return Response(status=status.HTTP_204_NO_CONTENT)  # closed by the receiver

    @extend_schema(
        parameters=[
            OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Only overdue ones")
        ],
        responses={200: InboxRowSerializer(many=True)},
        description="Open referrals to your organisation's services, most urgent first.",
    )
    @action(detail=False, methods=["get"])
    def incoming(self, request: Request) -> Response:
        overdue = request.query_params.get("overdue") in ("1", "true")
        page = self.paginate_queryset(selectors.incoming_inbox(request.user, overdue_only=overdue))
        rows = selectors.inbox_rows(list(page or []))
        return self.get_paginated_response(InboxRowSerializer(rows, many=True).data)

    @extend_schema(
        responses={200: InboxRowSerializer(many=True)},
        description="Referrals you follow, newest first.",
    )
    @action(detail=False, methods=["get"])
    def outgoing(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.outgoing_inbox(request.user))
        rows = selectors.inbox_rows(list(page or []))
        return self.get_paginated_response(InboxRowSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("case", OpenApiTypes.UUID, required=True),
            OpenApiParameter(
                "need", OpenApiTypes.STR, required=True, description="Service type code"
            ),
        ],
        responses={200: PathwaySerializer(many=True)},
        description="Published services that can take the case's person for a need, ranked.",
    )
    @action(detail=False, methods=["get"])
    def pathways(self, request: Request) -> Response:
        query = PathwayQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        case = cases_access.case_get_for_edit(request.user, query.validated_data["case"])
        found = pathways_for(traits_of(case.person), query.validated_data["need"])
        return Response(PathwaySerializer(found, many=True).data)

    @extend_schema(parameters=[ID], responses={200: SentReferralSerializer})
    def retrieve(self, request: Request, id: str) -> Response:  # noqa: A002
        return self._reply(access.referral_read_for(request.user, id))

    @extend_schema(
        request=ReferralInputSerializer,
        responses={201: SentReferralSerializer},
        description=(
            "Refer the person of a case to a published directory service, and send. Refused "
            "(400) without the consent for the recipient (`override_reason` for supervisors), "
            "when the service's eligibility excludes the person, or when a field would be "
            "shared against the person's consent."
        ),
    )
    def create(self, request: Request) -> Response:
        data = validated(ReferralInputSerializer, request)
        case = cases_access.case_get_for_edit(request.user, data["case"])
        service = Service.objects.published().filter(public_id=data["service"]).first()
        if service is None:
            raise ValidationError({"service": _("Choose a published service of the directory.")})
        referral = services.referral_refer(
            actor=request.user,  # type: ignore[arg-type]
            case=case,
            data=services.ReferralInput(
                service=service,
                priority=data["priority"],
                reason=data["reason"],
                services_requested=data["services_requested"],
                shared_fields=data["shared_fields"],
            ),
            override_reason=data["override_reason"],
        )
        return self._reply(referral, status.HTTP_201_CREATED)

    @extend_schema(
        request=TransferInputSerializer,
        responses={201: SentReferralSerializer},
        description=(
            "Ask the organisation keeping `service` to take over the case (supervisors). Needs "
            "the person's referral consent naming that organisation; no override."
        ),
    )
    @action(detail=False, methods=["post"])
    def transfer(self, request: Request) -> Response:
        data = validated(TransferInputSerializer, request)
        case = cases_access.case_get_for_edit(request.user, data["case"])
        service = Service.objects.published().filter(public_id=data["service"]).first()
        if service is None:
            raise ValidationError({"service": _("Choose a published service of the directory.")})
        referral = services.transfer_request(
            actor=request.user,  # type: ignore[arg-type]
            case=case,
            service=service,
            reason=data["reason"],
            priority=data["priority"],
        )
        return self._reply(referral, status.HTTP_201_CREATED)

    def _step(
        self,
        request: Request,
        id: str,  # noqa: A002
        serializer: Any,
        do: Callable[[Referral, Any, dict[str, Any]], Any],
        *,
        receiver: bool = True,
    ) -> Response:
        referral = (
            access.referral_get_for_receiver(request.user, id)
            if receiver
            else access.referral_get_for_sender(request.user, id)
        )
        data = validated(serializer, request)
        do(referral, request.user, data)
        return self._reply(referral)

    @extend_schema(
        parameters=[ID],
        request=ReferralVersionSerializer,
        responses={200: ReferralSerializer, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, id: str) -> Response:  # noqa: A002
        return self._step(
            request,
            id,
            ReferralVersionSerializer,
            lambda r, a, d: services.referral_acknowledge(
                actor=a, referral=r, expected_version=d["version"]
            ),
        )

    @extend_schema(
        parameters=[ID],
        request=ReferralAcceptSerializer,
        responses={200: ReferralSerializer, 204: None, **CONFLICT},
        description=(
            "Accept. For a case transfer give `caseworker`: the case file becomes your "
            "organisation's (204: the transfer is closed)."
        ),
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, id: str) -> Response:  # noqa: A002
        return self._step(
            request,
            id,
            ReferralAcceptSerializer,
            lambda r, a, d: services.referral_accept(
                actor=a, referral=r, expected_version=d["version"], caseworker=d["caseworker"]
            ),
        )

    @extend_schema(
        parameters=[ID],
        request=ReferralReasonSerializer,
        responses={200: ReferralSerializer, 204: None, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, id: str) -> Response:  # noqa: A002
        return self._step(
            request,
            id,
            ReferralReasonSerializer,
            lambda r, a, d: services.referral_decline(
                actor=a, referral=r, expected_version=d["version"], reason=d["reason"]
            ),
        )

    @extend_schema(
        parameters=[ID],
        request=ReferralVersionSerializer,
        responses={200: ReferralSerializer, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, id: str) -> Response:  # noqa: A002
        return self._step(
            request,
            id,
            ReferralVersionSerializer,
            lambda r, a, d: services.referral_start(
                actor=a, referral=r, expected_version=d["version"]
            ),
        )

    @extend_schema(
        parameters=[ID],
        request=ReferralCompleteSerializer,
        responses={200: ReferralSerializer, 204: None, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, id: str) -> Response:  # noqa: A002
        return self._step(
            request,
            id,
            ReferralCompleteSerializer,
            lambda r, a, d: services.referral_complete(
                actor=a,
                referral=r,
                expected_version=d["version"],
                outcome=d["outcome"],
                feedback=d["feedback"],
                delivered_on=d["delivered_on"],
            ),
        )

    @extend_schema(
        parameters=[ID],
        request=ReferralNoteSerializer,
        responses={200: ReferralSerializer, 204: None, **CONFLICT},
    )
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request: Request, id: str) -> Response:  # noqa: A002
        return self._step(
            request,
            id,
            ReferralNoteSerializer,
            lambda r, a, d: services.referral_no_show(
                actor=a, referral=r, expected_version=d["version"], note=d["note"]
            ),
        )

    @extend_schema(
        parameters=[ID],
        request=ReferralReasonSerializer,
        responses={200: SentReferralSerializer, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, id: str) -> Response:  # noqa: A002
        return self._step(
            request,
            id,
            ReferralReasonSerializer,
            lambda r, a, d: services.referral_cancel(
                actor=a, referral=r, expected_version=d["version"], reason=d["reason"]
            ),
            receiver=False,
        )
