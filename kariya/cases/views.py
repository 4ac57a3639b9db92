"""Staff pages of case management: case list and search, screening, vulnerability assessment,
the case page and everything done on it, the GBV section, the task list and approvals.

Every view declares its permission (``core.gate.requires``), reaches records through
``access.py`` (404 for absent and for not allowed) and lists through ``selectors.py``, and
writes through ``services.py``; a service's ``ValidationError`` goes back onto the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kariya.accounts.roles import Role
from kariya.cases import access, factors, forms, priority, selectors, services, workflow
from kariya.cases.models import Case, ScreeningOutcome
from kariya.cases.workflow import ApprovalKind, Status
from kariya.core.audit import audit_reads
from kariya.core.gate import requires
from kariya.core.http import AuthedRequest
from kariya.core.paging import CappedPaginator
from kariya.core.tables import Column, badge, link, table, url_maker
from kariya.core.viewhelpers import (
    apply_errors,
    public_query,
    query_without_page,
    repost_fields,
    search_data,
)
from kariya.people import access as people_access

PAGE_SIZE = 50
# Searched only from a POST body: personal data never goes in a URL.
IDENTITY_FILTERS = people_access.IDENTITY_CRITERIA


def _full_name(identity: Any) -> str:
    if identity is None:
        return ""
    return " ".join(part for part in (identity.given_names, identity.family_names) if part)


def _caseworkers_if_supervisor(request: AuthedRequest) -> Any:
    if access.can(request.user, access.APPROVE):
        return selectors.organisation_caseworkers(request.user)
    return None


def _open_form(request: AuthedRequest, data: Any = None) -> forms.CaseOpenForm:
    return forms.CaseOpenForm(
        data,
        caseworkers=_caseworkers_if_supervisor(request),
        can_take=Role.CASEWORKER in request.user.role_codes(),
    )


# --- case list ------------------------------------------------------------------------------


def _case_table(
    rows: list[tuple[selectors.CaseListRow, str]], *, paginator: CappedPaginator, show_names: bool
) -> SafeString:
    """The case list's table (``core.tables``: the rows in Python, not the template language,
    for the list's server time); each row is a case and the person's name."""
    priorities = {key: str(label) for key, label in priority.Priority.choices}
    statuses = {key: str(label) for key, label in Status.choices}
    overdue = badge(_("Overdue"), off=True)
    case_url = url_maker("cases:case_detail")

    def code(row: tuple[selectors.CaseListRow, str]) -> SafeString:
        case = row[0]
        shown = link(case_url(case.public_id), case.case_code)
        return mark_safe(f"{shown} {overdue}") if case.overdue else shown  # noqa: S308

    columns = [
        Column(_("Case code"), code),
        *([Column(_("Name"), lambda row: row[1] or "—")] if show_names else []),
        Column(
            _("Priority"),
            lambda row: badge(priorities.get(row[0].priority, ""), off=row[0].priority == "high"),
        ),
        Column(_("Status"), lambda row: statuses.get(row[0].status, "")),
        Column(_("Caseworker"), lambda row: row[0].caseworker),
        # ISO date: the same as date_format(…, "Y-m-d"), without its formatter per row.
        Column(_("Opened"), lambda row: timezone.localtime(row[0].opened_at).date()),
    ]
    count = paginator.count
    caption = (
        _("More than %(n)s cases") % {"n": paginator.limit}
        if paginator.more
        else ngettext("%(n)s case", "%(n)s cases", count) % {"n": count}
    )
    return table(caption=caption, columns=columns, rows=rows)


@requires("cases.view")
def case_list(request: AuthedRequest) -> HttpResponse:
    """Cases the actor may see, with filters. Name, phone and document number are searched only
    from a POST body (never in a URL); each such search is audited by the criteria it used. The
    other filters (case code included: a pseudonym) may come in the query string."""
    actor = request.user
    identity = people_access.can(actor, people_access.VIEW_IDENTITY)
    caseworkers = (
        selectors.organisation_caseworkers(actor) if access.can(actor, access.VIEW_ALL) else None
    )
    data, page_number = search_data(request, IDENTITY_FILTERS)
    form = forms.CaseSearchForm(
        data, identity=identity, caseworkers=caseworkers, organisation_id=actor.organisation_id
    )
    filters: dict[str, Any] = {}
    criteria: list[str] = []
    if form.is_bound and form.is_valid():
        data_ = form.cleaned_data
        criteria = [name for name in IDENTITY_FILTERS if data_.get(name)]
        filters = {
            "case_code": data_["case_code"],
            "text": data_.get("name", ""),
            "phone": data_.get("phone", ""),
            "document": data_.get("document", ""),
            "status": data_["status"],
            "priority": data_["priority"],
            "caseworker": data_.get("caseworker"),
            "commune": data_["commune"],
            "specific_need": data_["specific_need"],
            "sort": data_["sort"] or "-opened",
        }
    url = reverse("cases:case_list")
    public = public_query(data, IDENTITY_FILTERS)
    bookmark = f"{url}?{public}" if public else url
    htmx = bool(request.headers.get("HX-Request"))
    if request.method == "POST" and not form.errors and not criteria and not htmx:
        # Nothing private: the plain form lands on the bookmarkable URL of its filters.
        return redirect(bookmark)
    # The ids of the matching cases (a queryset, or for the priority and status orders a
    # SegmentedCases: count + slices); the page's rows are read by their ids.
    ids = (
        selectors.case_search(actor, **filters, ids_only=True)
        if not form.errors
        else Case.objects.none()
    )
    # Ids are small: the count and the page's ids come from one read of the first ids.
    paginator = CappedPaginator(cast(Any, ids), PAGE_SIZE, page_number=page_number, read_ahead=True)
    page = paginator.get_page(page_number)
    rows = selectors.case_rows(actor, list(page.object_list))
    # The search (by its criteria, never their values) and the names listed: one insert.
    names = people_access.identities_for_list(
        actor, [row.person for row in rows], names_only=True, search_criteria=criteria
    )
    shown = [(row, _full_name(names.get(row.person.pk))) for row in rows]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "table": _case_table(shown, paginator=paginator, show_names=identity),
        "has_rows": bool(rows),
        "show_names": identity,
        "query": public,
        # Paging an identity search re-posts its terms instead of putting them in links.
        "repost": repost_fields(data) if criteria else [],
        "repost_url": url,
        "repost_target": "#case-rows",
    }
    if not htmx:
        return render(request, "cases/case_list.html", context)
    response = render(request, "cases/_case_rows.html", context)
    if request.method == "POST":
        # The address bar shows the filters without personal data, or does not change.
        response["HX-Push-Url"] = "false" if criteria else bookmark
    return response


# --- screening ------------------------------------------------------------------------------


@requires("cases.manage")
def screening_create(request: AuthedRequest, person_public_id: Any) -> HttpResponse:
    person = people_access.person_get_for(request.user, person_public_id)
    form = forms.ScreeningForm(
        request.POST or None, organisation=request.org, office=request.user.office
    )
    if request.method == "POST" and form.is_valid():
        try:
            screening = services.screening_record(
                actor=request.user, person=person, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The screening has been recorded."))
            return redirect("cases:screening_detail", public_id=screening.public_id)
    return render(
        request,
        "cases/screening_form.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )


def _screening_page(
    request: AuthedRequest, screening: Any, open_form: Any = None, status: int = 200
) -> HttpResponse:
    actor = request.user
    case = selectors.case_opened_from(screening=screening)
    can_open = (
        case is None
        and screening.outcome == ScreeningOutcome.CASE_OPENED
        and access.can(actor, access.MANAGE)
    )
    if can_open and open_form is None:
        open_form = _open_form(request)
    return render(
        request,
        "cases/screening_detail.html",
        {
            "screening": screening,
            "person": screening.person,
            "needs": list(screening.immediate_needs.all()),
            "flags": list(screening.protection_flags.select_related("parent")),
            "case": case if case is not None and access.can_see_case(actor, case) else None,
            "case_exists": case is not None,
            "open_form": open_form if can_open else None,
        },
        status=status,
    )


@requires("cases.view")
def screening_detail(request: AuthedRequest, public_id: Any) -> HttpResponse:
    screening = access.screening_get_for(request.user, public_id)
    return _screening_page(request, screening)


@require_POST
@requires("cases.manage")
def case_open(request: AuthedRequest, public_id: Any) -> HttpResponse:
    screening = access.screening_get_for(request.user, public_id)
    form = _open_form(request, request.POST)
    if form.is_valid():
        try:
            case = services.case_open(
                actor=request.user,
                screening=screening,
                caseworker=form.cleaned_data.get("caseworker"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The case has been opened."))
            if access.can_see_case(request.user, case):
                return redirect("cases:case_detail", public_id=case.public_id)
            return redirect("cases:screening_detail", public_id=screening.public_id)
    return _screening_page(request, screening, open_form=form, status=400)


# --- vulnerability assessment ---------------------------------------------------------------


@requires("cases.manage")
def assessment_create(request: AuthedRequest, person_public_id: Any) -> HttpResponse:
    person = people_access.person_get_for(request.user, person_public_id)
    case_id = (request.POST if request.method == "POST" else request.GET).get("case", "")
    case = access.case_get_for_edit(request.user, case_id, person=person) if case_id else None
    form = forms.AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.assessment_record(
                actor=request.user,
                person=person,
                case=case,
                assessed_on=data["assessed_on"],
                immediate_danger=data["immediate_danger"],
                factor_codes=form.factor_codes(),
                specific_needs=data["specific_needs"],
                migration_needs=data["migration_needs"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The assessment has been recorded."))
            return redirect("cases:assessment_detail", public_id=assessment.public_id)
    return render(
        request,
        "cases/assessment_form.html",
        {"form": form, "person": person, "case": case},
        status=400 if form.errors else 200,
    )


@requires("cases.view")
def assessment_detail(request: AuthedRequest, public_id: Any) -> HttpResponse:
    assessment = access.assessment_get_for(request.user, public_id)
    result = priority.Result(
        priority.Priority(assessment.priority), tuple(assessment.priority_rules)
    )
    chosen = {f.factor for f in assessment.factors.all()}
    groups = []
    for level, level_label in factors.Level.choices:
        kinds = []
        for kind, kind_label in factors.Kind.choices:
            found = [
                f.label
                for f in [*factors.FACTORS.values(), *factors.RETIRED.values()]
                if f.level == level and f.kind == kind and f.code in chosen
            ]
            if found:
                kinds.append((kind_label, found))
        if kinds:
            groups.append((level_label, kinds))
    case = assessment.case
    return render(
        request,
        "cases/assessment_detail.html",
        {
            "assessment": assessment,
            "person": assessment.person,
            "reasons": result.reasons,
            "factor_groups": groups,
            "specific_needs": list(assessment.specific_needs.all()),
            "migration_needs": list(assessment.migration_needs.all()),
            "case": case if case is not None and access.can_see_case(request.user, case) else None,
        },
    )


# --- case page ------------------------------------------------------------------------------


def _transitions(case: Case) -> list[dict[str, Any]]:
    """The moves the workflow allows from the case's status, in workflow order, each saying
    whether it goes through a supervisor's approval."""
    moves = []
    for target in Status.values:
        if not workflow.allowed(case.status, target):
            continue
        gate = workflow.gate_for(case.status, target)
        moves.append(
            {
                "to": target,
                "label": Status(target).label,
                "approval": gate if gate and workflow.approval_required(gate) else "",
                "closing": target == Status.CLOSED,
                "reopen": workflow.is_reopen(case.status, target),
            }
        )
    return moves


def _case_page(
    request: AuthedRequest, case: Case, *, status: int = 200, **bound: Any
) -> HttpResponse:
    """The case page, with any bound (invalid) form passed in ``bound`` in place of a blank."""
    actor = request.user
    can_work = access.can_work_on_case(actor, case)
    can_approve = access.can_approve_case(actor, case)
    goals = list(selectors.case_plan(case=case))
    planned = selectors.case_planned_visits(case=case)
    pending = selectors.case_pending_approval(case=case)
    may_decide = (
        pending is not None
        and selectors.approvals_pending_for(actor).filter(pk=pending.pk).exists()
    )
    assessments = list(selectors.case_assessments(case=case)[:5])
    latest = assessments[0] if assessments else None
    reasons = (
        priority.explain(latest.priority_rules)
        if latest is not None and latest.priority == case.priority
        else []
    )
    names = people_access.identities_for_list(actor, [case.person])
    blank: dict[str, Any] = {
        "transition_form": None,
        "assign_form": (
            forms.AssignForm(
                caseworkers=selectors.organisation_caseworkers(actor),
                initial={"caseworker": case.caseworker.public_id, "version": case.version},
            )
            if can_approve and not case.is_closed
            else None
        ),
        "request_form": forms.ApprovalRequestForm() if can_work else None,
        "decision_form": forms.DecisionForm() if may_decide else None,
        "goal_form": forms.GoalForm() if can_work else None,
        "action_form": forms.ActionForm(goals=selectors.case_plan(case=case)) if can_work else None,
        "delivery_form": forms.DeliveryForm(organisation=request.org) if can_work else None,
        "schedule_form": forms.FollowUpScheduleForm() if can_work else None,
        "visit_form": forms.FollowUpRecordForm(planned=planned) if can_work else None,
        "note_form": forms.NoteForm() if can_work else None,
    }
    blank.update(bound)
    context = {
        "case": case,
        "person": case.person,
        "name": _full_name(names.get(case.person_id)),
        "can_work": can_work,
        "can_approve": can_approve,
        "can_see_gbv": access.can_see_gbv(actor, case),
        "transitions": _transitions(case) if can_work else [],
        "closure_reasons": workflow.ClosureReason.choices,
        "pending": pending,
        "approvals": list(selectors.case_approvals(case=case)[:20]),
        "reasons": reasons,
        "assessments": assessments,
        "goals": goals,
        "deliveries": list(selectors.case_deliveries(case=case)[:PAGE_SIZE]),
        "follow_ups": list(selectors.case_follow_ups(case=case)[:PAGE_SIZE]),
        "notes": list(selectors.case_notes(case=case)[:PAGE_SIZE]),
        "history": list(selectors.case_history(case=case)[:PAGE_SIZE]),
        **blank,
    }
    return render(request, "cases/case_detail.html", context, status=status)


@requires("cases.view")
def case_detail(request: AuthedRequest, public_id: Any) -> HttpResponse:
    case = access.case_read_for(request.user, public_id)
    return _case_page(request, case)


def _case_post(
    request: AuthedRequest,
    case: Case,
    form: Any,
    key: str,
    do: Callable[[dict[str, Any]], Any],
    success: str,
    anchor: str,
) -> HttpResponse:
    """Validate ``form``, run the service (``do``), redirect to the case page; or show the page
    again with the form's errors and nothing saved."""
    if form.is_valid():
        try:
            do(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            if not hasattr(exc, "error_dict"):
                messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, success)
            return redirect(reverse("cases:case_detail", args=[case.public_id]) + f"#{anchor}")
    return _case_page(request, case, status=400, **{key: form})


@require_POST
@requires("cases.manage")
def case_transition(request: AuthedRequest, public_id: Any) -> HttpResponse:
    case = access.case_get_for_edit(request.user, public_id)
    form = forms.TransitionForm(request.POST)

    def do(data: dict[str, Any]) -> None:
        services.case_transition(
            actor=request.user,
            case=case,
            to_status=data["to_status"],
            expected_version=data["version"],
            closure_reason=data["closure_reason"],
            reason=data["reason"],
        )

    return _case_post(
        request, case, form, "transition_form", do, _("The case status has been changed."), "status"
    )


@require_POST
@requires("cases.approve")
def case_assign(request: AuthedRequest, public_id: Any) -> HttpResponse:
    case = access.case_get_for(request.user, public_id)
    form = forms.AssignForm(
        request.POST, caseworkers=selectors.organisation_caseworkers(request.user)
    )

    def do(data: dict[str, Any]) -> None:
        services.case_assign(
            actor=request.user,
            case=case,
            caseworker=data["caseworker"],
            expected_version=data["version"],
        )

    return _case_post(
        request, case, form, "assign_form", do, _("The case has been assigned."), "status"
    )


@require_POST
@requires("cases.manage")
def approval_request(request: AuthedRequest, public_id: Any) -> HttpResponse:
    case = access.case_get_for_edit(request.user, public_id)
    form = forms.ApprovalRequestForm(request.POST)

    def do(data: dict[str, Any]) -> None:
        services.case_request_approval(
            actor=request.user,
            case=case,
            kind=data["kind"],
            closure_reason=data["closure_reason"] if data["kind"] == ApprovalKind.CLOSURE else "",
            comment=data["comment"],
        )

    return _case_post(
        request,
        case,
        form,
        "request_form",
        do,
        _("The request has been sent to the supervisors."),
        "status",
    )


@require_POST
@requires("cases.approve")
def approval_decide(request: AuthedRequest, public_id: Any, approval_id: Any) -> HttpResponse:
    case = access.case_get_for(request.user, public_id)
    approval = (
        selectors.approvals_pending_for(request.user)
        .filter(case=case, public_id=approval_id)
        .first()
    )
    if approval is None:
        raise Http404  # not pending, not this case's, or one the actor may not decide
    form = forms.DecisionForm(request.POST)

    def do(data: dict[str, Any]) -> None:
        if data["decision"] == "approve":
            services.case_approve(actor=request.user, approval=approval, comment=data["comment"])
        else:
            services.case_reject(actor=request.user, approval=approval, comment=data["comment"])

    decision = request.POST.get("decision")
    success = (
        _("The request has been approved.")
        if decision == "approve"
        else _("The request has been rejected.")
    )
    return _case_post(request, case, form, "decision_form", do, success, "status")


@require_POST
@requires("cases.manage")
def goal_add(request: AuthedRequest, public_id: Any) -> HttpResponse:
    case = access.case_get_for_edit(request.user, public_id)
    form = forms.GoalForm(request.POST)

    def do(data: dict[str, Any]) -> None:
        services.case_plan_goal_add(actor=request.user, case=case, **data)

    return _case_post(request, case, form, "goal_form", do, _("The goal has been added."), "plan")


@require_POST
@requires("cases.manage")
def action_add(request: AuthedRequest, public_id: Any) -> HttpResponse:
    case = access.case_get_for_edit(request.user, public_id)
    form = forms.ActionForm(request.POST, goals=selectors.case_plan(case=case))

    def do(data: dict[str, Any]) -> None:
        services.case_plan_action_add(actor=request.user, **data)

    return _case_post(
        request, case, form, "action_form", do, _("The action has been added."), "plan"
    )


@require_POST
@requires("cases.manage")
def action_complete(request: AuthedRequest, public_id: Any, action_id: Any) -> HttpResponse:
    case = access.case_get_for_edit(request.user, public_id)
    action = selectors.case_action(case=case, public_id=action_id)
    try:
        services.case_plan_action_complete(actor=request.user, action=action)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _case_page(request, case, status=400)
    messages.success(request, _("The action is done."))
    return redirect(reverse("cases:case_detail", args=[case.public_id]) + "#plan")


@require_POST
@requires("cases.manage")
def delivery_add(request: AuthedRequest, public_id: Any) -> HttpResponse:
    case = access.case_get_for_edit(request.user, public_id)
    form = forms.DeliveryForm(request.POST, organisation=request.org)

    def do(data: dict[str, Any]) -> None:
        services.service_delivery_record(actor=request.user, case=case, **data)

    return _case_post(
        request, case, form, "delivery_form", do, _("The service has been recorded."), "services"
    )


@require_POST
@requires("cases.manage")
def follow_up_schedule(request: AuthedRequest, public_id: Any) -> HttpResponse:
    case = access.case_get_for_edit(request.user, public_id)
    form = forms.FollowUpScheduleForm(request.POST)

    def do(data: dict[str, Any]) -> None:
        services.follow_up_schedule(actor=request.user, case=case, **data)

    return _case_post(
        request, case, form, "schedule_form", do, _("The visit has been planned."), "follow-up"
    )


@require_POST
@requires("cases.manage")
def follow_up_record(request: AuthedRequest, public_id: Any) -> HttpResponse:
    case = access.case_get_for_edit(request.user, public_id)
    form = forms.FollowUpRecordForm(request.POST, planned=selectors.case_planned_visits(case=case))

    def do(data: dict[str, Any]) -> None:
        services.follow_up_record(actor=request.user, case=case, **data)

    return _case_post(
        request, case, form, "visit_form", do, _("The visit has been recorded."), "follow-up"
    )


@require_POST
@requires("cases.manage")
def note_add(request: AuthedRequest, public_id: Any) -> HttpResponse:
    case = access.case_get_for_edit(request.user, public_id)
    form = forms.NoteForm(request.POST)

    if request.headers.get("HX-Request"):
        # htmx swaps the notes section in place: one round trip instead of post, redirect, get.
        saved = False
        if form.is_valid():
            try:
                services.case_note_add(actor=request.user, case=case, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                saved, form = True, forms.NoteForm()
        return render(
            request,
            "cases/_notes.html",
            {
                "case": case,
                "can_work": True,
                "note_form": form,
                "note_saved": saved,
                "notes": list(selectors.case_notes(case=case)[:PAGE_SIZE]),
            },
        )

    def do(data: dict[str, Any]) -> None:
        services.case_note_add(actor=request.user, case=case, **data)

    return _case_post(request, case, form, "note_form", do, _("The note has been added."), "notes")


# --- GBV section ----------------------------------------------------------------------------


@requires("cases.view_gbv")
def gbv_section(request: AuthedRequest, public_id: Any) -> HttpResponse:
    case = access.case_get_for_gbv(request.user, public_id)
    try:
        section = access.gbv_get_for(request.user, case)
    except Http404:
        section = None  # the case has no GBV section yet (the actor may write one)
    initial: dict[str, Any] = {}
    if section is not None:
        initial = {
            "incident_type": section.incident_type,
            "incident_date": section.incident_date,
            "narrative": section.narrative,
            "services_offered": list(section.services_offered.all()),
            "version": section.version,
        }
    form = forms.GBVForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.gbv_section_save(
                actor=request.user, case=case, expected_version=version, **data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The GBV section has been saved."))
            return redirect("cases:gbv_section", public_id=case.public_id)
    return render(
        request,
        "cases/gbv_section.html",
        {"case": case, "section": section, "form": form},
        status=400 if form.errors else 200,
    )


@requires("cases.view_gbv")
def gbv_list(request: AuthedRequest) -> HttpResponse:
    """The organisation's GBV sections (every row shown is an audited read), and the way in to
    a case's section by its case code for the GBV focal point, who has no case list."""
    form = forms.GBVFindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = access.case_get_for_gbv_by_code(request.user, form.cleaned_data["case_code"])
        except Http404:
            form.add_error("case_code", _("No case of your organisation has this case code."))
        else:
            return redirect("cases:gbv_section", public_id=case.public_id)
    sections = access.gbv_sections_for(request.user).select_related("case__person")
    page = Paginator(sections.order_by("-updated_at", "-id"), 50).get_page(request.GET.get("page"))
    audit_reads(actor=request.user, objects=page.object_list)
    return render(
        request,
        "cases/gbv_list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
        status=400 if form.errors else 200,
    )


# --- tasks and approvals --------------------------------------------------------------------


@requires("cases.manage")
def task_list(request: AuthedRequest) -> HttpResponse:
    tasks = selectors.tasks_for(request.user)
    return render(request, "cases/task_list.html", {"tasks": tasks})


@requires("cases.approve")
def approval_list(request: AuthedRequest) -> HttpResponse:
    approvals = selectors.approvals_pending_for(request.user)
    page = Paginator(approvals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/approval_list.html",
        {"page": page, "query": query_without_page(request)},
    )
