"""Referral pages: pathways from a case, the referral form, the referral page (both sides),
the incoming and outgoing inboxes, and the notifications.

Every view declares its permission (``core.gate.requires``); records come through
``access.py`` (404 for absent and for not allowed); writes through ``services.py``. The
referral page and its actions declare ``home.view`` (every staff user) because two sides reach
them: ``access.referral_get_for`` is what decides, and answers 404 to everyone else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kariya.cases import access as cases_access
from kariya.cases import selectors as cases_selectors
from kariya.core.access import public_id_or_404
from kariya.core.gate import requires
from kariya.core.http import AuthedRequest
from kariya.core.viewhelpers import apply_errors
from kariya.directory.models import Service
from kariya.referrals import access, forms, selectors, services
from kariya.referrals.models import Referral, SharedField
from kariya.referrals.pathways import pathways_for, traits_of

PAGE_SIZE = 50


def _inbox(request: AuthedRequest, ids: Any, *, incoming: bool) -> HttpResponse:
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/inbox.html",
        {
            "incoming": incoming,
            "page": page,
            "rows": selectors.with_labels(selectors.inbox_rows(list(page.object_list))),
            "overdue_only": request.GET.get("overdue") == "1",
            "overdue_count": selectors.incoming_overdue_count(request.user) if incoming else 0,
        },
    )


@requires("referrals.receive")
def inbox_incoming(request: AuthedRequest) -> HttpResponse:
    overdue = request.GET.get("overdue") == "1"
    return _inbox(
        request, selectors.incoming_inbox(request.user, overdue_only=overdue), incoming=True
    )


@requires("referrals.send")
def inbox_outgoing(request: AuthedRequest) -> HttpResponse:
    return _inbox(request, selectors.outgoing_inbox(request.user), incoming=False)


@requires("referrals.send")
def pathways(request: AuthedRequest, case_id: Any) -> HttpResponse:
    """The ranked services that can take the case's person for a need (GET ``?need=``: a
    service type, no personal data)."""
    case = cases_access.case_get_for_edit(request.user, case_id)
    form = forms.NeedForm(request.GET or None)
    found = None
    if form.is_bound and form.is_valid():
        found = pathways_for(traits_of(case.person), form.cleaned_data["need"])
    return render(
        request,
        "referrals/pathways.html",
        {
            "case": case,
            "form": form,
            "pathways": found,
            "can_transfer": access.can(request.user, access.TRANSFER),
        },
    )


@requires("referrals.send")
def referral_create(request: AuthedRequest, case_id: Any, service_id: Any) -> HttpResponse:
    case = cases_access.case_get_for_edit(request.user, case_id)
    try:
        service = (
            Service.objects.published()
            .select_related("organisation", "service_type")
            .get(public_id=public_id_or_404(service_id))
        )
    except Service.DoesNotExist as exc:
        raise Http404 from exc
    can_override = access.can_override_consent(request.user)
    initial = {"services_requested": [service.service_type_id]}
    form = forms.ReferralForm(request.POST or None, initial=initial, can_override=can_override)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = services.referral_refer(
                    actor=request.user,
                    case=case,
                    data=services.ReferralInput(
                        service=service,
                        priority=data["priority"],
                        reason=data["reason"],
                        services_requested=list(data["services_requested"]),
                        shared_fields=data["shared_fields"],
                    ),
                    override_reason=data.get("override_reason", ""),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied:
                form.add_error(None, _("Only a supervisor may refer without consent."))
            else:
                messages.success(request, _("The referral was sent."))
                return redirect("referrals:referral_detail", referral.public_id)
    return render(
        request,
        "referrals/referral_form.html",
        {"case": case, "service": service, "form": form},
        status=status,
    )


def _page(
    request: AuthedRequest, referral: Referral, status: int = 200, **forms_: Any
) -> HttpResponse:
    actor = request.user
    receiver = access.can_receive(actor, referral)
    sender = access.can_follow(actor, referral)
    version = {"version": referral.version}
    context = {
        "referral": referral,
        "shared": selectors.shared_view(referral),
        "field_labels": dict(SharedField.choices),
        "requested": list(referral.services_requested.all()),
        "history": list(selectors.referral_history(referral)) if sender else [],
        "receiver": receiver,
        "sender": sender,
        "overdue": referral.is_overdue(),
        "version_form": forms.VersionForm(initial=version, auto_id=False),
        "decline_form": forms_.get("decline_form")
        or forms.ReasonForm(initial=version, prefix="decline"),
        "cancel_form": forms_.get("cancel_form")
        or forms.ReasonForm(initial=version, prefix="cancel"),
        "complete_form": forms_.get("complete_form")
        or forms.CompleteForm(initial=version, prefix="complete"),
        "transfer_form": forms_.get("transfer_form")
        or forms.TransferAcceptForm(
            initial=version,
            prefix="transfer",
            caseworkers=cases_selectors.organisation_caseworkers(actor),
        ),
        "noshow_form": forms_.get("noshow_form")
        or forms.NoteForm(initial=version, prefix="noshow"),
    }
    return render(request, "referrals/referral_detail.html", context, status=status)


@requires("referrals.transfer")
def transfer_create(request: AuthedRequest, case_id: Any, service_id: Any) -> HttpResponse:
    """Ask the organisation keeping ``service`` to take over the case."""
    case = cases_access.case_get_for_edit(request.user, case_id)
    try:
        service = (
            Service.objects.published()
            .select_related("organisation", "service_type")
            .get(public_id=public_id_or_404(service_id))
        )
    except Service.DoesNotExist as exc:
        raise Http404 from exc
    form = forms.TransferForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                referral = services.transfer_request(
                    actor=request.user,
                    case=case,
                    service=service,
                    reason=form.cleaned_data["reason"],
                    priority=form.cleaned_data["priority"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The transfer request was sent."))
                return redirect("referrals:referral_detail", referral.public_id)
    return render(
        request,
        "referrals/transfer_form.html",
        {"case": case, "service": service, "form": form},
        status=status,
    )


@requires("home.view")
def referral_detail(request: AuthedRequest, public_id: Any) -> HttpResponse:
    referral = access.referral_read_for(request.user, public_id)
    return _page(request, referral)


# action → (form class, prefix, side, service call, message)
Action = tuple[type, str, str, Callable[..., Any], str]


def _actions() -> dict[str, Action]:
    return {
        "acknowledge": (
            forms.VersionForm,
            "",
            "receiver",
            lambda r, a, d: services.referral_acknowledge(
                actor=a, referral=r, expected_version=d["version"]
            ),
            _("Acknowledged."),
        ),
        "accept": (
            forms.VersionForm,
            "",
            "receiver",
            lambda r, a, d: services.referral_accept(
                actor=a, referral=r, expected_version=d["version"]
            ),
            _("The referral was accepted."),
        ),
        "start": (
            forms.VersionForm,
            "",
            "receiver",
            lambda r, a, d: services.referral_start(
                actor=a, referral=r, expected_version=d["version"]
            ),
            _("The service has started."),
        ),
        "decline": (
            forms.ReasonForm,
            "decline",
            "receiver",
            lambda r, a, d: services.referral_decline(
                actor=a, referral=r, expected_version=d["version"], reason=d["reason"]
            ),
            _("The referral was declined."),
        ),
        "complete": (
            forms.CompleteForm,
            "complete",
            "receiver",
            lambda r, a, d: services.referral_complete(
                actor=a,
                referral=r,
                expected_version=d["version"],
                outcome=d["outcome"],
                feedback=d["feedback"],
                delivered_on=d["delivered_on"],
            ),
            _("The outcome was sent to the referring organisation."),
        ),
        "no_show": (
            forms.NoteForm,
            "noshow",
            "receiver",
            lambda r, a, d: services.referral_no_show(
                actor=a, referral=r, expected_version=d["version"], note=d["note"]
            ),
            _("Recorded."),
        ),
        "cancel": (
            forms.ReasonForm,
            "cancel",
            "sender",
            lambda r, a, d: services.referral_cancel(
                actor=a, referral=r, expected_version=d["version"], reason=d["reason"]
            ),
            _("The referral was cancelled."),
        ),
        "take_over": (
            forms.TransferAcceptForm,
            "transfer",
            "receiver",
            lambda r, a, d: services.referral_accept(
                actor=a, referral=r, expected_version=d["version"], caseworker=d["caseworker"]
            ),
            _("The case is now your organisation's."),
        ),
    }


@require_POST
@requires("home.view")
def referral_act(request: AuthedRequest, public_id: Any, action: str) -> HttpResponse:
    actions = _actions()
    if action not in actions:
        raise Http404
    form_class, prefix, side, do, success = actions[action]
    actor = request.user
    form_kwargs: dict[str, Any] = {}
    if action == "take_over":
        form_kwargs["caseworkers"] = cases_selectors.organisation_caseworkers(actor)
    referral = (
        access.referral_get_for_receiver(actor, public_id)
        if side == "receiver"
        else access.referral_get_for_sender(actor, public_id)
    )
    form = form_class(request.POST, prefix=prefix or None, **form_kwargs)
    if form.is_valid():
        try:
            do(referral, actor, form.cleaned_data)
        except ValidationError as exc:
            if getattr(exc, "code", "") == "stale":
                messages.error(request, " ".join(exc.messages))
                return redirect("referrals:referral_detail", referral.public_id)
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            if action == "take_over":
                return redirect("cases:case_detail", referral.case.public_id)
            if access.can_follow(actor, referral) or access.can_receive(actor, referral):
                return redirect("referrals:referral_detail", referral.public_id)
            # The receiver just closed it: it is gone from their side.
            return redirect("referrals:inbox_incoming")
    referral.refresh_from_db()
    return _page(request, referral, status=400, **{f"{prefix or 'version'}_form": form})


@requires("home.view")
def notification_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "referrals/notifications.html", {"page": page})


@require_POST
@requires("home.view")
def notification_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to its link."""
    note = services.notification_open(actor=request.user, pk=pk)
    return redirect(note.link)
