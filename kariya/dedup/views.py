"""Pages of duplicate review: the queue of pending pairs, a pair side by side with the
decision, the merge history and the undo.

Every view declares ``dedup.review`` (supervisors); records come through ``access.py`` (404 for
absent and for another organisation's), identity through ``people.access`` (only with
``people.view_identity``, each read audited), writes through ``services.py``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from kariya.core.gate import requires
from kariya.core.http import AuthedRequest
from kariya.core.tables import Column, badge, link, table, url_maker
from kariya.core.viewhelpers import apply_errors
from kariya.dedup import access, forms, selectors, services
from kariya.dedup.batch import METHOD_RULES
from kariya.dedup.models import (
    CandidateStatus,
    DedupRun,
    DuplicateCandidate,
    PersonMerge,
    RunStatus,
)
from kariya.people import access as people_access
from kariya.people import selectors as people_selectors
from kariya.people.models import Person

PAGE_SIZE = 50


def _percent(score: float) -> str:
    return f"{round(score * 100)} %"


@requires(access.REVIEW)
def queue(request: AuthedRequest) -> HttpResponse:
    return _queue_page(request, forms.RunStartForm())


def _queue_page(
    request: AuthedRequest, start_form: forms.RunStartForm, *, status: int = 200
) -> HttpResponse:
    page = Paginator(selectors.review_queue(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    pair_url = url_maker("dedup:candidate_detail")
    rows = list(page.object_list)
    columns = [
        Column(_("Pair"), lambda c: link(pair_url(c.public_id), _("Compare"))),
        Column(_("First record"), lambda c: c.person_a.case_code),
        Column(_("Second record"), lambda c: c.person_b.case_code),
        Column(_("Score"), lambda c: _percent(c.score)),
        Column(
            _("Why"),
            lambda c: "; ".join(f"{f}: {lv}" for f, lv in selectors.reasons_text(c.reasons)),
        ),
    ]
    n = page.paginator.count
    caption = ngettext("%(n)s pair to review", "%(n)s pairs to review", n) % {"n": n}
    return render(
        request,
        "dedup/queue.html",
        {
            "page": page,
            "table": table(caption=caption, columns=columns, rows=rows) if rows else None,
            **_run_context(selectors.latest_run(request.user), refresh=False, form=start_form),
        },
        status=status,
    )


def _run_context(
    run: DedupRun | None, *, refresh: bool, form: forms.RunStartForm | None = None
) -> dict[str, Any]:
    """The state area of the queue page: it polls (htmx, every 2 s) while the run is queued or
    running and gives news; a finished run's partial carries no trigger, so polling stops."""
    polling = run is not None and run.is_active and not run.is_stale
    return {
        "run": run,
        "polling": polling,
        "can_start": not polling,
        "start_form": form or forms.RunStartForm(),
        # Reached by polling: the list below was drawn before the run ended.
        "refresh": refresh and run is not None and run.candidates_added > 0,
    }


@requires(access.REVIEW)
@require_POST
def run_start(request: AuthedRequest) -> HttpResponse:
    """Start a search for duplicates (POST, CSRF) with the minimum score chosen on the page.
    With a worker it runs in the background and the queue page follows it; with the immediate
    backend (tests) it is done when this returns. A bad score: the queue page again, with the
    field's error (400)."""
    form = forms.RunStartForm(request.POST)
    if not form.is_valid():
        return _queue_page(request, form, status=400)
    try:
        services.registry_deduplicate_start(actor=request.user, threshold=form.fraction())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionDenied as exc:  # pragma: no cover - the gate already answered 404
        raise Http404 from exc
    else:
        messages.success(request, _("The search for duplicates has started."))
    return redirect("dedup:queue")


@requires(access.REVIEW)
@require_GET
def run_state(request: AuthedRequest, public_id: Any) -> HttpResponse:
    """The state area alone, for htmx polling."""
    run = access.run_get_for(request.user, public_id)
    return render(request, "dedup/_run_state.html", _run_context(run, refresh=True))


@requires(access.REVIEW)
@require_GET
def run_list(request: AuthedRequest) -> HttpResponse:
    """The organisation's searches for duplicates, newest first: who started each, with which
    minimum score, how it ended and what it found."""
    page = Paginator(selectors.run_history(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )

    def when(run: DedupRun) -> str:
        return str(formats.date_format(timezone.localtime(run.created_at), "SHORT_DATETIME_FORMAT"))

    def outcome(run: DedupRun) -> Any:
        if run.is_stale:
            return badge(_("Probably stopped"), off=True)
        if run.is_active:
            return badge(run.get_stage_display())
        if run.status == RunStatus.FAILED:
            return badge(run.get_status_display(), off=True)
        return run.get_status_display()

    def score(run: DedupRun) -> str:
        if run.method == METHOD_RULES:
            return _("fixed rules")
        return _percent(run.threshold)

    def duration(run: DedupRun) -> str:
        if run.started_at is None or run.finished_at is None:
            return ""
        return _seconds(max(0.0, (run.finished_at - run.started_at).total_seconds()))

    rows = list(page.object_list)
    columns = [
        Column(_("Started"), when),
        Column(_("By"), lambda r: r.started_by.get_full_name() or r.started_by.username),
        Column(_("State"), outcome),
        Column(_("Minimum score"), score),
        Column(_("Records read"), lambda r: _count(r.records_read)),
        Column(_("Pairs found"), lambda r: _count(r.pairs_found)),
        Column(_("New pairs to review"), lambda r: _count(r.candidates_added)),
        Column(_("Time taken"), duration),
        Column(_("Why it failed"), lambda r: r.error_message),
    ]
    n = page.paginator.count
    caption = ngettext("%(n)s search", "%(n)s searches", n) % {"n": n}
    return render(
        request,
        "dedup/run_list.html",
        {
            "page": page,
            "table": table(caption=caption, columns=columns, rows=rows) if rows else None,
        },
    )


def _count(n: int) -> str:
    return str(formats.number_format(n, force_grouping=True))


def _seconds(total: float) -> str:
    """A run's duration in words: "45 s", "3 min 20 s", "1 h 05 min"."""
    whole = round(total)
    if whole < 60:
        return _("%(s)s s") % {"s": whole}
    minutes, seconds = divmod(whole, 60)
    if minutes < 60:
        return _("%(m)s min %(s)02d s") % {"m": minutes, "s": seconds}
    hours, minutes = divmod(minutes, 60)
    return _("%(h)s h %(m)02d min") % {"h": hours, "m": minutes}


def _side(request: AuthedRequest, person: Person) -> dict[str, Any]:
    identity = None
    # A record merged away since the pair was found is shown without its identity (the pair
    # can no longer be merged; it can still be marked "not a match").
    if person.merged_into_id is None and people_access.can(
        request.user, people_access.VIEW_IDENTITY
    ):
        identity = people_access.identity_get_for(request.user, person.public_id)
    return {
        "person": person,
        "identity": identity,
        "nationalities": list(person.nationalities.all()),
        "profile": people_selectors.migration_profile_for(person=person),
        "counts": selectors.linked_counts(person),
    }


def _decide(
    request: AuthedRequest, candidate: DuplicateCandidate, form: forms.DecisionForm
) -> HttpResponse | None:
    data = form.cleaned_data
    try:
        if data["decision"] == forms.NOT_A_MATCH:
            services.duplicate_decide_not_a_match(
                actor=request.user,
                candidate=candidate,
                reason=data["reason"],
                expected_version=data["version"],
            )
            messages.success(
                request, _("Recorded: not the same person. This pair will not be proposed again.")
            )
            return redirect("dedup:queue")
        a, b = candidate.person_a, candidate.person_b
        keep, absorb = (a, b) if data["decision"] == forms.KEEP_A else (b, a)
        services.person_merge(
            actor=request.user,
            keep=keep,
            absorb=absorb,
            candidate=candidate,
            reason=data["reason"],
            expected_version=data["version"],
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    except PermissionDenied as exc:  # pragma: no cover - access.py already answered 404
        raise Http404 from exc
    messages.success(
        request,
        _("Merged into %(code)s. The merge can be undone from the merge history.")
        % {"code": keep.case_code},
    )
    return redirect("people:person_detail", public_id=keep.public_id)


@requires(access.REVIEW)
def candidate_detail(request: AuthedRequest, public_id: Any) -> HttpResponse:
    candidate = access.candidate_get_for(request.user, public_id)
    pending = candidate.status == CandidateStatus.PENDING
    form = forms.DecisionForm(
        request.POST if request.method == "POST" else None,
        initial={"version": candidate.version},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if not pending:
            form.is_valid()
            form.add_error(None, _("This pair has already been decided."))
        elif form.is_valid():
            done = _decide(request, candidate, form)
            if done is not None:
                return done
    return render(
        request,
        "dedup/candidate_detail.html",
        {
            "candidate": candidate,
            "pending": pending,
            "sides": [_side(request, candidate.person_a), _side(request, candidate.person_b)],
            "reasons": selectors.reasons_text(candidate.reasons),
            "score": _percent(candidate.score),
            "form": form,
        },
        status=status,
    )


@requires(access.REVIEW)
def merge_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.merge_history(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    person_url = url_maker("people:person_detail")
    undo_url = url_maker("dedup:merge_undo")

    def when(m: PersonMerge) -> str:
        return str(formats.date_format(timezone.localtime(m.merged_at), "SHORT_DATETIME_FORMAT"))

    def state(m: PersonMerge) -> Any:
        if m.undone_at is not None:
            return badge(_("Undone"), off=True)
        return link(undo_url(m.public_id), _("Undo"))

    rows = list(page.object_list)
    columns = [
        Column(_("Merged at"), when),
        Column(_("Kept record"), lambda m: link(person_url(m.keep.public_id), m.keep.case_code)),
        Column(_("Merged record"), lambda m: m.absorb.case_code),
        Column(_("By"), lambda m: m.merged_by.get_full_name() or m.merged_by.username),
        Column(_("Undo"), state),
    ]
    n = page.paginator.count
    caption = ngettext("%(n)s merge", "%(n)s merges", n) % {"n": n}
    return render(
        request,
        "dedup/merge_list.html",
        {
            "page": page,
            "table": table(caption=caption, columns=columns, rows=rows) if rows else None,
        },
    )


@requires(access.REVIEW)
def merge_undo(request: AuthedRequest, public_id: Any) -> HttpResponse:
    merge = access.merge_get_for(request.user, public_id)
    form = forms.UndoForm(
        request.POST if request.method == "POST" else None, initial={"version": merge.version}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.person_merge_undo(
                    actor=request.user,
                    merge=merge,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:  # pragma: no cover - access.py answered 404
                raise Http404 from exc
            else:
                messages.success(
                    request,
                    _("Merge undone: %(code)s is a record of its own again.")
                    % {"code": merge.absorb.case_code},
                )
                return redirect("dedup:merge_list")
    return render(request, "dedup/merge_undo.html", {"merge": merge, "form": form}, status=status)
