"""The cases API: screenings, vulnerability assessments, cases and their workflow, supervisor
approvals, case plan, services delivered, follow-up visits, notes and the GBV section.

Same gate as the pages: each action declares its permission (``DeclaredPermission``), records
come through ``access.py`` (404 for "absent" and "not allowed"), lists through
``selectors.py``, writes through ``services.py``. The GBV section is served by ``cases/{id}/gbv/``
only, through ``access.gbv_get_for`` (every read audited); no other endpoint names it.
Case edits carry the ``version`` read: a stale one is answered 409 Conflict.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from kariya.cases import access, selectors, services
from kariya.cases.models import (
    Case,
    CaseApproval,
    CasePlanAction,
    CasePlanGoal,
    FollowUpVisit,
    Screening,
    VulnerabilityAssessment,
)
from kariya.cases.serializers import (
    ActionCompleteSerializer,
    ActionInputSerializer,
    ActionSerializer,
    ApprovalRequestSerializer,
    ApprovalSerializer,
    AssessmentInputSerializer,
    AssessmentSerializer,
    AssignSerializer,
    CaseFilters,
    CaseOpenSerializer,
    CaseSerializer,
    DecisionSerializer,
    DeliveryInputSerializer,
    DeliverySerializer,
    FollowUpRecordSerializer,
    FollowUpScheduleSerializer,
    FollowUpSerializer,
    GBVSectionInputSerializer,
    GBVSectionSerializer,
    GoalInputSerializer,
    GoalSerializer,
    NoteInputSerializer,
    NoteSerializer,
    ScreeningInputSerializer,
    ScreeningSerializer,
    StatusChangeSerializer,
    TransitionSerializer,
)
from kariya.core.access import public_id_or_404
from kariya.core.api import UUID_PATTERN, PagedMixin, paginated, path_uuid, validated
from kariya.people import access as people_access

CONFLICT = {409: OpenApiTypes.OBJECT}


def _person_for(request: Request, public_id: Any) -> Any:
    """The person named in a body: a 404 from access becomes a field error."""
    try:
        return people_access.person_get_for(request.user, public_id)
    except Http404 as exc:
        raise ValidationError(
            {"person": _("Choose a person registered by your organisation.")}
        ) from exc


# --- screenings and assessments -----------------------------------------------------------


@extend_schema_view(
    retrieve=extend_schema(parameters=[path_uuid("id", "Public id of the screening")]),
    create=extend_schema(
        request=ScreeningInputSerializer,
        responses={201: ScreeningSerializer},
        description="First contact. The person needs a services consent or a legal basis.",
    ),
)
class ScreeningViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """First-contact screenings of your organisation."""

    permission = access.VIEW
    permissions = {"retrieve": access.VIEW, "create": access.MANAGE}
    serializer_class = ScreeningSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self) -> QuerySet[Screening]:
        return Screening.objects.none()  # type: ignore[no-any-return]

    def get_object(self) -> Screening:
        return access.screening_get_for(self.request.user, self.kwargs["id"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(ScreeningInputSerializer, request)
        person = _person_for(request, data.pop("person"))
        flags = [*data.pop("specific_needs"), *data.pop("migration_needs")]
        screening = services.screening_record(
            actor=request.user,  # type: ignore[arg-type]
            person=person,
            protection_flags=flags,
            **data,
        )
        screening = access.screening_get_for(request.user, screening.public_id)
        return Response(ScreeningSerializer(screening).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[path_uuid("id", "Public id of the assessment")],
        description="The assessment with its computed priority and the reasons for it.",
    ),
    create=extend_schema(
        request=AssessmentInputSerializer,
        responses={201: AssessmentSerializer},
        description="Record an assessment; the priority is computed and, for a case, set on it.",
    ),
)
class AssessmentViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Vulnerability assessments (IOM determinants) of your organisation."""

    permission = access.VIEW
    permissions = {"retrieve": access.VIEW, "create": access.MANAGE}
    serializer_class = AssessmentSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self) -> QuerySet[VulnerabilityAssessment]:
        return VulnerabilityAssessment.objects.none()  # type: ignore[no-any-return]

    def get_object(self) -> VulnerabilityAssessment:
        return access.assessment_get_for(self.request.user, self.kwargs["id"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(AssessmentInputSerializer, request)
        person = _person_for(request, data.pop("person"))
        case_id = data.pop("case")
        case = None
        if case_id is not None:
            try:
                case = access.case_get_for_edit(request.user, case_id)
            except Http404 as exc:
                raise ValidationError({"case": _("Choose one of your cases.")}) from exc
        assessment = services.assessment_record(
            actor=request.user,  # type: ignore[arg-type]
            person=person,
            case=case,
            factor_codes=data.pop("factors"),
            **data,
        )
        assessment = access.assessment_get_for(request.user, assessment.public_id)
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


# --- cases --------------------------------------------------------------------------------

CASE_ID = path_uuid("id", "Public id of the case")


@extend_schema_view(
    list=extend_schema(
        parameters=[CaseFilters],
        description="Cases you may see (yours; every case of the organisation for a supervisor).",
    ),
    retrieve=extend_schema(parameters=[CASE_ID]),
    create=extend_schema(
        request=CaseOpenSerializer,
        responses={201: CaseSerializer},
        description="Open a case from a screening whose outcome is “case opened”.",
    ),
)
class CaseViewSet(PagedMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Cases of your organisation and the work done in them."""

    permission = access.VIEW
    permissions = {
        "list": access.VIEW,
        "retrieve": access.VIEW,
        "create": access.MANAGE,
        "transition": access.MANAGE,
        "assign": access.APPROVE,
        "request_approval": access.MANAGE,
        "history": access.VIEW,
        "goals": access.VIEW,
        "goal_add": access.MANAGE,
        "action_add": access.MANAGE,
        "action_complete": access.MANAGE,
        "deliveries": access.VIEW,
        "delivery_add": access.MANAGE,
        "follow_ups": access.VIEW,
        "follow_up_schedule": access.MANAGE,
        "follow_up_record": access.MANAGE,
        "notes": access.VIEW,
        "note_add": access.MANAGE,
        "gbv": access.VIEW_GBV,
        "gbv_save": access.VIEW_GBV,
    }
    serializer_class = CaseSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self) -> QuerySet[Case]:
        if self.action != "list":
            return Case.objects.none()  # type: ignore[no-any-return]
        form = CaseFilters(data=self.request.query_params, context={"request": self.request})
        form.is_valid(raise_exception=True)
        f = form.validated_data
        return selectors.case_list_for(
            self.request.user,
            status=f.get("status", ""),
            priority=f.get("priority", ""),
            caseworker=f.get("caseworker"),
        )

    def _case(self, id: str) -> Case:  # noqa: A002
        """The case; a GET shows its content, so the read is audited."""
        if self.request.method in SAFE_METHODS:
            return access.case_read_for(self.request.user, id)
        return access.case_get_for(self.request.user, id)

    def _case_for_edit(self, id: str) -> Case:  # noqa: A002
        return access.case_get_for_edit(self.request.user, id)

    def _reply(self, id: str, code: int = status.HTTP_200_OK) -> Response:  # noqa: A002
        """The case as the actor now sees it (a case reassigned away is no longer theirs)."""
        try:
            case = self._case(id)
        except Http404:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(CaseSerializer(case).data, status=code)

    def list(self, request: Request) -> Response:
        return self.paged(self.get_queryset(), CaseSerializer)

    def retrieve(self, request: Request, id: str) -> Response:  # noqa: A002
        return Response(CaseSerializer(self._case(id)).data)

    def create(self, request: Request) -> Response:
        data = validated(CaseOpenSerializer, request)
        try:
            screening = access.screening_get_for(request.user, data["screening"])
        except Http404 as exc:
            raise ValidationError({"screening": _("Choose one of your screenings.")}) from exc
        case = services.case_open(
            actor=request.user,  # type: ignore[arg-type]
            screening=screening,
            caseworker=data["caseworker"],
        )
        return self._reply(str(case.public_id), status.HTTP_201_CREATED)

    # --- workflow -----------------------------------------------------------------------

    @extend_schema(
        parameters=[CASE_ID],
        request=TransitionSerializer,
        responses={200: CaseSerializer, **CONFLICT},
        description=(
            "Move the case along the workflow. A move not allowed, or one needing a "
            "supervisor's approval, is refused (400); a stale `version`, 409."
        ),
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, id: str) -> Response:  # noqa: A002
        case = self._case_for_edit(id)
        data = validated(TransitionSerializer, request)
        services.case_transition(
            actor=request.user,  # type: ignore[arg-type]
            case=case,
            to_status=data["to_status"],
            expected_version=data["version"],
            closure_reason=data["closure_reason"],
            reason=data["reason"],
        )
        return self._reply(id)

    @extend_schema(
        parameters=[CASE_ID],
        request=AssignSerializer,
        responses={200: CaseSerializer, **CONFLICT},
        description="Reassign the case (supervisors).",
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, id: str) -> Response:  # noqa: A002
        case = self._case(id)
        data = validated(AssignSerializer, request)
        services.case_assign(
            actor=request.user,  # type: ignore[arg-type]
            case=case,
            caseworker=data["caseworker"],
            expected_version=data["version"],
        )
        return self._reply(id)

    @extend_schema(
        parameters=[CASE_ID],
        request=ApprovalRequestSerializer,
        responses={201: ApprovalSerializer},
        description="Ask a supervisor to approve the case plan or the closure.",
    )
    @action(detail=True, methods=["post"], url_path="request-approval")
    def request_approval(self, request: Request, id: str) -> Response:  # noqa: A002
        case = self._case_for_edit(id)
        data = validated(ApprovalRequestSerializer, request)
        approval = services.case_request_approval(actor=request.user, case=case, **data)  # type: ignore[arg-type]
        return Response(ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[CASE_ID], responses=paginated(StatusChangeSerializer))
    @action(detail=True, methods=["get"])
    def history(self, request: Request, id: str) -> Response:  # noqa: A002
        return self.paged(selectors.case_history(case=self._case(id)), StatusChangeSerializer)

    # --- case plan ----------------------------------------------------------------------

    @extend_schema(parameters=[CASE_ID], responses=paginated(GoalSerializer))
    @action(detail=True, methods=["get"])
    def goals(self, request: Request, id: str) -> Response:  # noqa: A002
        return self.paged(selectors.case_plan(case=self._case(id)), GoalSerializer)

    @extend_schema(
        parameters=[CASE_ID], request=GoalInputSerializer, responses={201: GoalSerializer}
    )
    @goals.mapping.post
    def goal_add(self, request: Request, id: str) -> Response:  # noqa: A002
        case = self._case_for_edit(id)
        data = validated(GoalInputSerializer, request)
        goal = services.case_plan_goal_add(actor=request.user, case=case, **data)  # type: ignore[arg-type]
        return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)

    def _goal(self, case: Case, goal_id: str) -> CasePlanGoal:
        goal: CasePlanGoal | None = (
            selectors.case_plan(case=case).filter(public_id=public_id_or_404(goal_id)).first()
        )
        if goal is None:
            raise Http404
        return goal

    def _action(self, case: Case, action_id: str) -> CasePlanAction:
        wanted = public_id_or_404(action_id)
        for goal in selectors.case_plan(case=case):
            for plan_action in goal.actions.all():
                if plan_action.public_id == wanted:
                    plan_action.case = case
                    return plan_action
        raise Http404

    @extend_schema(
        parameters=[CASE_ID, path_uuid("goal_id", "Public id of the goal")],
        request=ActionInputSerializer,
        responses={201: ActionSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"goals/(?P<goal_id>{UUID_PATTERN})/actions",
    )
    def action_add(self, request: Request, id: str, goal_id: str) -> Response:  # noqa: A002
        case = self._case_for_edit(id)
        goal = self._goal(case, goal_id)
        goal.case = case
        data = validated(ActionInputSerializer, request)
        plan_action = services.case_plan_action_add(actor=request.user, goal=goal, **data)  # type: ignore[arg-type]
        return Response(ActionSerializer(plan_action).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[CASE_ID, path_uuid("action_id", "Public id of the plan action")],
        request=ActionCompleteSerializer,
        responses=ActionSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"actions/(?P<action_id>{UUID_PATTERN})/complete",
    )
    def action_complete(self, request: Request, id: str, action_id: str) -> Response:  # noqa: A002
        case = self._case_for_edit(id)
        plan_action = self._action(case, action_id)
        data = validated(ActionCompleteSerializer, request)
        plan_action = services.case_plan_action_complete(
            actor=request.user,  # type: ignore[arg-type]
            action=plan_action,
            completed_on=data["completed_on"],
        )
        return Response(ActionSerializer(plan_action).data)

    # --- services delivered -------------------------------------------------------------

    @extend_schema(parameters=[CASE_ID], responses=paginated(DeliverySerializer))
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, id: str) -> Response:  # noqa: A002
        return self.paged(selectors.case_deliveries(case=self._case(id)), DeliverySerializer)

    @extend_schema(
        parameters=[CASE_ID], request=DeliveryInputSerializer, responses={201: DeliverySerializer}
    )
    @deliveries.mapping.post
    def delivery_add(self, request: Request, id: str) -> Response:  # noqa: A002
        case = self._case_for_edit(id)
        data = validated(DeliveryInputSerializer, request)
        delivery = services.service_delivery_record(actor=request.user, case=case, **data)  # type: ignore[arg-type]
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)

    # --- follow-up ----------------------------------------------------------------------

    @extend_schema(parameters=[CASE_ID], responses=paginated(FollowUpSerializer))
    @action(detail=True, methods=["get"], url_path="follow-ups")
    def follow_ups(self, request: Request, id: str) -> Response:  # noqa: A002
        return self.paged(selectors.case_follow_ups(case=self._case(id)), FollowUpSerializer)

    @extend_schema(
        parameters=[CASE_ID],
        request=FollowUpScheduleSerializer,
        responses={201: FollowUpSerializer},
        description="Plan a follow-up visit.",
    )
    @follow_ups.mapping.post
    def follow_up_schedule(self, request: Request, id: str) -> Response:  # noqa: A002
        case = self._case_for_edit(id)
        data = validated(FollowUpScheduleSerializer, request)
        visit = services.follow_up_schedule(actor=request.user, case=case, **data)  # type: ignore[arg-type]
        return Response(FollowUpSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[CASE_ID],
        request=FollowUpRecordSerializer,
        responses={201: FollowUpSerializer},
        description=(
            "Record a visit made: the planned `visit` it fulfils, or a new one; "
            "`next_due_on` plans the next."
        ),
    )
    @action(detail=True, methods=["post"], url_path="follow-ups/record")
    def follow_up_record(self, request: Request, id: str) -> Response:  # noqa: A002
        case = self._case_for_edit(id)
        data = validated(FollowUpRecordSerializer, request)
        visit_id = data.pop("visit")
        visit: FollowUpVisit | None = None
        if visit_id is not None:
            visit = selectors.case_follow_ups(case=case).filter(public_id=visit_id).first()
            if visit is None:
                raise ValidationError({"visit": _("Choose a planned visit of this case.")})
        made = services.follow_up_record(actor=request.user, case=case, visit=visit, **data)  # type: ignore[arg-type]
        return Response(FollowUpSerializer(made).data, status=status.HTTP_201_CREATED)

    # --- notes --------------------------------------------------------------------------

    @extend_schema(parameters=[CASE_ID], responses=paginated(NoteSerializer))
    @action(detail=True, methods=["get"])
    def notes(self, request: Request, id: str) -> Response:  # noqa: A002
        return self.paged(selectors.case_notes(case=self._case(id)), NoteSerializer)

    @extend_schema(
        parameters=[CASE_ID], request=NoteInputSerializer, responses={201: NoteSerializer}
    )
    @notes.mapping.post
    def note_add(self, request: Request, id: str) -> Response:  # noqa: A002
        case = self._case_for_edit(id)
        data = validated(NoteInputSerializer, request)
        note = services.case_note_add(actor=request.user, case=case, **data)  # type: ignore[arg-type]
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)

    # --- GBV section --------------------------------------------------------------------

    @extend_schema(
        parameters=[CASE_ID],
        responses=GBVSectionSerializer,
        description=(
            "The restricted GBV section: GBV focal point and supervisor of the owning "
            "organisation only; every read is audited."
        ),
    )
    @action(detail=True, methods=["get"])
    def gbv(self, request: Request, id: str) -> Response:  # noqa: A002
        case = access.case_get_for_gbv(request.user, id)
        return Response(GBVSectionSerializer(access.gbv_get_for(request.user, case)).data)

    @extend_schema(
        parameters=[CASE_ID],
        request=GBVSectionInputSerializer,
        responses={200: GBVSectionSerializer, 201: GBVSectionSerializer, **CONFLICT},
        description=(
            "Create the GBV section (no `version`) or replace it (the `version` you read; a "
            "stale one is refused with 409)."
        ),
    )
    @gbv.mapping.put
    def gbv_save(self, request: Request, id: str) -> Response:  # noqa: A002
        case = access.case_get_for_gbv(request.user, id)
        data = validated(GBVSectionInputSerializer, request)
        version = data.pop("version")
        services.gbv_section_save(
            actor=request.user,  # type: ignore[arg-type]
            case=case,
            expected_version=version,
            **data,
        )
        section = access.gbv_get_for(request.user, case)
        return Response(
            GBVSectionSerializer(section).data,
            status=status.HTTP_200_OK if version else status.HTTP_201_CREATED,
        )


# --- approvals ----------------------------------------------------------------------------

APPROVAL_ID = path_uuid("id", "Public id of the request for approval")


class ApprovalViewSet(PagedMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Requests for approval a supervisor may decide (own organisation; not their own
    requests, not their own cases)."""

    permission = access.APPROVE
    serializer_class = ApprovalSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self) -> QuerySet[CaseApproval]:
        return selectors.approvals_pending_for(self.request.user)

    def _approval(self, id: str) -> CaseApproval:  # noqa: A002
        approval: CaseApproval | None = (
            self.get_queryset().filter(public_id=public_id_or_404(id)).first()
        )
        if approval is None:
            raise Http404
        return approval

    def list(self, request: Request) -> Response:
        return self.paged(self.get_queryset(), ApprovalSerializer)

    @extend_schema(
        parameters=[APPROVAL_ID],
        request=DecisionSerializer,
        responses=CaseSerializer,
        description="Approve: the case moves to implementation, or closes.",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, id: str) -> Response:  # noqa: A002
        approval = self._approval(id)
        data = validated(DecisionSerializer, request)
        case = services.case_approve(actor=request.user, approval=approval, **data)  # type: ignore[arg-type]
        return Response(CaseSerializer(access.case_get_for(request.user, case.public_id)).data)

    @extend_schema(
        parameters=[APPROVAL_ID],
        request=DecisionSerializer,
        responses=ApprovalSerializer,
        description="Send the request back, saying why (`comment` required).",
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, id: str) -> Response:  # noqa: A002
        approval = self._approval(id)
        data = validated(DecisionSerializer, request)
        approval = services.case_reject(actor=request.user, approval=approval, **data)  # type: ignore[arg-type]
        return Response(ApprovalSerializer(approval).data)
