"""The duplicate-review API: the queue of pending pairs and its decisions, the merges and their
undo, and the searches for duplicates (start one, follow it, past ones).

The same rules as the pages: every action needs ``dedup.review`` (supervisors; 404 for other
roles, as on the pages); records come through ``access.py`` (404 for absent and for another
organisation's); writes through ``services.py``; a stale ``version`` is answered 409. No
identity is returned: a pair is two case codes, a score and reasons as field → level.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from kariya.core.api import UUID_PATTERN, PagedMixin, path_uuid, validated
from kariya.dedup import access, selectors, services
from kariya.dedup.models import DedupRun, DuplicateCandidate, PersonMerge
from kariya.dedup.serializers import (
    CandidateSerializer,
    MergeDecisionSerializer,
    MergeSerializer,
    NotAMatchSerializer,
    RunSerializer,
    RunStartSerializer,
    UndoSerializer,
)

PAIR_ID = path_uuid("id", "Public id of the pair")
MERGE_ID = path_uuid("id", "Public id of the merge")
RUN_ID = path_uuid("id", "Public id of the search")
CONFLICT = {409: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT}


class DuplicateViewSet(PagedMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Pairs of records of your organisation that may be the same person."""

    permission = access.REVIEW
    serializer_class = CandidateSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self) -> QuerySet[DuplicateCandidate]:
        return selectors.review_queue(self.request.user)

    @extend_schema(
        responses={200: CandidateSerializer(many=True)},
        description=(
            "Pending pairs, highest score first (a pair with a record merged away since is "
            "left out)."
        ),
    )
    def list(self, request: Request) -> Response:
        return self.paged(self.get_queryset(), CandidateSerializer)

    @extend_schema(parameters=[PAIR_ID], responses={200: CandidateSerializer})
    def retrieve(self, request: Request, id: str) -> Response:  # noqa: A002
        return Response(CandidateSerializer(access.candidate_get_for(request.user, id)).data)

    @extend_schema(
        parameters=[PAIR_ID],
        request=MergeDecisionSerializer,
        responses={200: MergeSerializer, **CONFLICT},
        description=(
            "Same person: merge the pair, keeping `a` or `b`. Every linked record moves to the "
            "kept one; refused (400) when both records have an active case. Undo with "
            "`/duplicates/merges/{id}/undo/`."
        ),
    )
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, id: str) -> Response:  # noqa: A002
        candidate = access.candidate_get_for(request.user, id)
        data = validated(MergeDecisionSerializer, request)
        a, b = candidate.person_a, candidate.person_b
        keep, absorb = (a, b) if data["keep"] == "a" else (b, a)
        merge = services.person_merge(
            actor=request.user,  # type: ignore[arg-type]
            keep=keep,
            absorb=absorb,
            candidate=candidate,
            reason=data["reason"],
            expected_version=data["version"],
        )
        return Response(MergeSerializer(self._merge(merge)).data)

    @extend_schema(
        parameters=[PAIR_ID],
        request=NotAMatchSerializer,
        responses={200: CandidateSerializer, **CONFLICT},
        description="Not the same person (a reason is required); never proposed again.",
    )
    @action(detail=True, methods=["post"], url_path="not-a-match")
    def not_a_match(self, request: Request, id: str) -> Response:  # noqa: A002
        candidate = access.candidate_get_for(request.user, id)
        data = validated(NotAMatchSerializer, request)
        services.duplicate_decide_not_a_match(
            actor=request.user,  # type: ignore[arg-type]
            candidate=candidate,
            reason=data["reason"],
            expected_version=data["version"],
        )
        return Response(CandidateSerializer(access.candidate_get_for(request.user, id)).data)

    def _merge(self, merge: PersonMerge) -> PersonMerge:
        return access.merge_get_for(self.request.user, merge.public_id)


class MergeViewSet(PagedMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Merges of records of your organisation, newest first, and their undo."""

    permission = access.REVIEW
    serializer_class = MergeSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self) -> QuerySet[PersonMerge]:
        return selectors.merge_history(self.request.user).select_related("candidate")

    @extend_schema(responses={200: MergeSerializer(many=True)})
    def list(self, request: Request) -> Response:
        return self.paged(self.get_queryset(), MergeSerializer)

    @extend_schema(parameters=[MERGE_ID], responses={200: MergeSerializer})
    def retrieve(self, request: Request, id: str) -> Response:  # noqa: A002
        return Response(MergeSerializer(access.merge_get_for(request.user, id)).data)

    @extend_schema(
        parameters=[MERGE_ID],
        request=UndoSerializer,
        responses={200: MergeSerializer, **CONFLICT},
        description=(
            "Undo the merge (a reason is required): what it moved goes back, the identity "
            "values it added are removed, the pair returns to the queue. Refused when already "
            "undone or when the kept record has since been merged into a third one."
        ),
    )
    @action(detail=True, methods=["post"])
    def undo(self, request: Request, id: str) -> Response:  # noqa: A002
        merge = access.merge_get_for(request.user, id)
        data = validated(UndoSerializer, request)
        services.person_merge_undo(
            actor=request.user,  # type: ignore[arg-type]
            merge=merge,
            reason=data["reason"],
            expected_version=data["version"],
        )
        return Response(MergeSerializer(access.merge_get_for(request.user, id)).data)


class DedupRunViewSet(PagedMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Searches for duplicates over your organisation's registry."""

    permission = access.REVIEW
    serializer_class = RunSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self) -> QuerySet[DedupRun]:
        return selectors.run_history(self.request.user)

    @extend_schema(responses={200: RunSerializer(many=True)}, description="Newest first.")
    def list(self, request: Request) -> Response:
        return self.paged(self.get_queryset(), RunSerializer)

    @extend_schema(
        parameters=[RUN_ID],
        responses={200: RunSerializer},
        description="A search's state and progress: poll it while `status` is queued or running.",
    )
    def retrieve(self, request: Request, id: str) -> Response:  # noqa: A002
        return Response(RunSerializer(access.run_get_for(request.user, id)).data)

    @extend_schema(
        request=RunStartSerializer,
        responses={201: RunSerializer, 400: OpenApiTypes.OBJECT},
        description=(
            "Start a search in the background (one at a time per organisation: a second is "
            "refused with 400 while one is queued or running). Follow it with the returned id."
        ),
    )
    def create(self, request: Request) -> Response:
        data = validated(RunStartSerializer, request)
        run = services.registry_deduplicate_start(
            actor=request.user,  # type: ignore[arg-type]
            threshold=data["threshold"],
        )
        # With the immediate backend outside a transaction the run is over already: read it again.
        return Response(
            RunSerializer(access.run_get_for(request.user, run.public_id)).data,
            status=status.HTTP_201_CREATED,
        )
