"""Staff pages of the service directory: the list and search, an entry's page with what the
actor may do on it, the create/edit form, the network coordinator's moderation queue and the
list of entries not verified for 90 days.

Every view declares its permission (``core.gate.requires``), reaches entries through
``access.py`` (404 for absent and for not allowed), lists through ``selectors.py`` and writes
through ``services.py``; a service's ``ValidationError`` goes back onto the form, and a stale
copy (``code="stale"``) shows the form again with what the user typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kariya.core.gate import requires
from kariya.core.http import AuthedRequest
from kariya.core.tables import Column, badge, link, table
from kariya.core.viewhelpers import query_without_page
from kariya.directory import access, selectors, services
from kariya.directory.forms import (
    SORTS,
    AvailabilityForm,
    ChannelFormSet,
    RejectForm,
    ServiceFilterForm,
    ServiceForm,
    VersionForm,
)
from kariya.directory.models import Availability, Service, Status, Weekday

VIEW = access.VIEW
EDIT = access.EDIT
MODERATE = access.MODERATE
PAGE_SIZE = 50
# Service errors about these parts of the content are shown above their section of the form.
SECTIONS = ("hours", "channels")


def _detail(service: Service, anchor: str = "") -> HttpResponse:
    url = reverse("directory:service_detail", args=[service.public_id])
    return redirect(url + (f"#{anchor}" if anchor else ""))


def is_stale(service: Service, cutoff: Any) -> bool:
    """A published entry last verified before ``cutoff`` (or never)."""
    if service.status != Status.PUBLISHED or service.is_revision:
        return False
    return service.last_verified_at is None or service.last_verified_at < cutoff


def _place(service: Service) -> str:
    where = (
        service.commune.name_fr if service.commune else (service.site.name if service.site else "")
    )
    return f"{where} ({service.region.name_fr})" if where else service.region.name_fr


def _flags(service: Service, cutoff: Any) -> list[SafeString]:
    shown = []
    if is_stale(service, cutoff):
        shown.append(badge(_("Not verified for 90 days"), off=True))
    if getattr(service, "has_pending_revision", False):
        shown.append(badge(_("Revision pending")))
    if service.status == Status.DRAFT and service.rejection_reason:
        shown.append(badge(_("Rejected"), off=True))
    return shown


# --- list and search ------------------------------------------------------------------------


def _service_table(rows: list[Service], *, count: int) -> SafeString:
    cutoff = services.stale_cutoff()
    statuses = {key: str(label) for key, label in Status.choices}
    availabilities = {key: str(label) for key, label in Availability.choices}

    def name(service: Service) -> SafeString:
        url = reverse("directory:service_detail", args=[service.public_id])
        shown = [link(url, service.name), *_flags(service, cutoff)]
        # One element in the cell: on a phone the cell is a flex row beside its label.
        return mark_safe(f"<span>{' '.join(shown)}</span>")  # noqa: S308 - escaped parts

    def availability(service: Service) -> SafeString:
        return badge(
            availabilities.get(service.availability, ""),
            off=service.availability in (Availability.FULL, Availability.SUSPENDED),
        )

    def status(service: Service) -> SafeString:
        return badge(statuses.get(service.status, ""), off=service.status != Status.PUBLISHED)

    columns = [
        Column(_("Service"), name),
        Column(_("Provider"), lambda s: s.provider),
        Column(_("Service type"), lambda s: s.service_type.label),
        Column(_("Place"), _place),
        Column(_("Availability"), availability),
        Column(_("Status"), status),
    ]
    caption = ngettext("%(n)s entry", "%(n)s entries", count) % {"n": count}
    return table(caption=caption, columns=columns, rows=rows)


@requires(VIEW)
def service_list(request: AuthedRequest) -> HttpResponse:
    """The directory as staff see it: their organisation's entries in every status and the
    network's published entries, with filters (no personal data: they go in the URL)."""
    data = request.GET.copy()
    page_number = data.pop("page", [""])[-1]
    form = ServiceFilterForm(data or None)
    filters: dict[str, Any] = {}
    sort = "name"
    availability = ""
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
        filters = {
            "service_type": values["service_type"],
            "place": form.place(),
            "status": values["status"],
            "own_only": values["own"],
        }
        sort = values["sort"] or "name"
        availability = values["availability"]
    query: Any = (
        Service.objects.none()
        if form.errors
        else selectors.services_for_staff(request.user, **filters)
    )
    if availability:
        query = query.filter(availability=availability)
    query = query.order_by(*SORTS[sort])
    page = Paginator(query, PAGE_SIZE).get_page(page_number)
    rows = list(page.object_list)
    context = {
        "form": form,
        "page": page,
        "has_rows": bool(rows),
        "table": _service_table(rows, count=page.paginator.count),
        "query": query_without_page(request),
        "filtered": form.is_bound,
        "can_create": access.can(request.user, EDIT),
    }
    if request.headers.get("HX-Request"):
        return render(request, "directory/_service_rows.html", context)
    return render(request, "directory/service_list.html", context)


# --- the entry's page -----------------------------------------------------------------------


def _week(service: Service) -> list[dict[str, Any]]:
    by_day: dict[int, list[Any]] = {}
    for h in service.hours.all():
        by_day.setdefault(h.weekday, []).append(h)
    return [
        {
            "day": day.label,
            "ranges": [
                f"{h.opens_at:%H:%M}–{h.closes_at:%H:%M}" for h in by_day.get(day.value, [])
            ],
        }
        for day in Weekday
    ]


def _values(service: Service) -> list[tuple[str, str]]:
    """The entry's content as (label, text), to show what a revision changes."""

    def names(items: Any, attr: str) -> str:
        return ", ".join(str(getattr(item, attr)) for item in items) or "—"

    week = "; ".join(
        f"{day['day']} {', '.join(day['ranges'])}" for day in _week(service) if day["ranges"]
    )
    ages = "–".join(str(a) if a is not None else "…" for a in (service.min_age, service.max_age))
    return [
        (_("Service type"), str(service.service_type.label)),
        (_("Name (French)"), service.name_fr),
        (_("Name (English)"), service.name_en),
        (_("Name (Hausa)"), service.name_ha),
        (_("Name (Arabic)"), service.name_ar),
        (_("Description (French)"), service.description_fr),
        (_("Description (English)"), service.description_en),
        (_("Description (Hausa)"), service.description_ha),
        (_("Description (Arabic)"), service.description_ar),
        (_("Public service"), _("yes") if service.is_public_service else _("no")),
        (_("Provider"), service.provider_name),
        (_("Commune"), service.commune.name_fr if service.commune else ""),
        (_("Site"), service.site.name if service.site else ""),
        (_("Address"), service.address),
        (_("Opening hours"), week),
        (_("Note on opening hours"), service.hours_note),
        (_("Languages spoken"), names(service.languages.all(), "label")),
        (_("Open to"), str(service.get_eligible_sex_display())),
        (_("Ages"), ages),
        (_("Nationalities"), names(service.nationalities.all(), "name")),
        (_("Population categories"), names(service.population_categories.all(), "label")),
        (_("Other conditions"), service.eligibility_note),
        (_("Cost"), str(service.get_cost_display())),
        (_("Fee"), service.fee_note),
        (_("Capacity"), "" if service.capacity is None else str(service.capacity)),
        (_("Focal point"), service.focal_point.get_full_name() or service.focal_point.username),
        (_("Contacts"), "; ".join(str(c) for c in service.channels.all())),
    ]


def _changes(revision: Service, published: Service) -> list[tuple[str, str, str]]:
    """(label, published text, proposed text) for every part the revision changes."""
    return [
        (label, before or "—", after or "—")
        for (label, before), (_same, after) in zip(
            _values(published), _values(revision), strict=True
        )
        if before != after
    ]


def _actions(request: AuthedRequest, service: Service) -> dict[str, Any]:
    """What the actor may do on the entry, as the page shows it."""
    actor = request.user
    can_edit = access.can_edit_service(actor, service)
    status = service.status
    entry = not service.is_revision
    moderating = access.can_moderate(actor) and status == Status.SUBMITTED
    own_submission = moderating and service.submitted_by_id == actor.pk
    return {
        "can_edit": can_edit and status in (Status.DRAFT, Status.SUBMITTED),
        "can_submit": can_edit and status == Status.DRAFT,
        "can_revise": can_edit and entry and status == Status.PUBLISHED,
        "can_discard": can_edit and not entry,
        "can_decide": moderating and not own_submission,
        "own_submission": own_submission,
        "can_archive": (
            entry and status != Status.ARCHIVED and access.can_archive_service(actor, service)
        ),
        "can_restore": can_edit and entry and status == Status.ARCHIVED,
        "can_verify": can_edit and entry and status == Status.PUBLISHED,
        "can_set_availability": can_edit and entry and status != Status.ARCHIVED,
    }


def _pending(request: AuthedRequest, service: Service) -> Service | None:
    """The pending revision of a published entry, when the actor may see it."""
    if service.status != Status.PUBLISHED or service.is_revision:
        return None
    return access.visible_services(request.user).filter(revision_of=service).first()  # type: ignore[no-any-return]


def _availability_form(service: Service, data: Any = None) -> AvailabilityForm:
    return AvailabilityForm(
        data,
        auto_id="availability-%s",
        initial={
            "availability": service.availability,
            "availability_note": service.availability_note,
            "version": service.version,
        },
    )


def _page(
    request: AuthedRequest,
    service: Service,
    *,
    reject_form: RejectForm | None = None,
    availability_form: AvailabilityForm | None = None,
    status: int = 200,
) -> HttpResponse:
    shown = selectors.service_detail(service)
    published = None
    pending = None
    if shown.is_revision:
        published = selectors.service_detail(shown.revision_of)  # type: ignore[arg-type]
    else:
        pending = _pending(request, shown)
    actions = _actions(request, shown)
    context = {
        "service": shown,
        "week": _week(shown),
        "stale": is_stale(shown, services.stale_cutoff()),
        "stale_days": services.STALE_AFTER_DAYS,
        "published": published,
        "changes": _changes(shown, published) if published is not None else [],
        "pending": pending,
        "reject_form": (
            reject_form or RejectForm(auto_id="reject-%s", initial={"version": shown.version})
            if actions["can_decide"]
            else None
        ),
        "availability_form": (
            availability_form or _availability_form(shown)
            if actions["can_set_availability"]
            else None
        ),
        **actions,
    }
    return render(request, "directory/service_detail.html", context, status=status)


@requires(VIEW)
def service_detail(request: AuthedRequest, public_id: Any) -> HttpResponse:
    service = access.service_get_for(request.user, public_id)
    return _page(request, service)


# --- create and edit ------------------------------------------------------------------------


def _with_added_row(data: Any) -> Any:
    """The posted data with one more (empty) channel row: "add a row" without JavaScript."""
    data = data.copy()
    try:
        count = int(data.get("channels-TOTAL_FORMS", "0"))
    except ValueError:
        count = 0
    data["channels-TOTAL_FORMS"] = str(min(count + 1, services.MAX_CHANNELS))
    return data


def _apply(form: ServiceForm, error: ValidationError) -> None:
    """A service's errors onto the form: a field's under the field, the hours' and the
    channels' above their section, the rest (a stale copy) at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        if name in SECTIONS:
            form.section_errors[name].extend(m for e in errors for m in e.messages)
        else:
            form.add_error(name if name in form.fields else None, errors)


def _form_page(
    request: AuthedRequest, service: Service | None, initial: dict[str, Any], channels: Any
) -> HttpResponse:
    """Show the form (GET), or save it (POST): create when ``service`` is None, else update.
    Returns the redirect after a save, or the form with the user's input and the errors."""
    actor = request.user
    organisation_id: int = (
        service.organisation_id if service is not None else actor.organisation_id  # type: ignore[assignment]
    )
    data = request.POST if request.method == "POST" else None
    adding_row = data is not None and "add_channel" in data
    if adding_row:
        data = _with_added_row(data)
    form = ServiceForm(
        data,
        initial=initial,
        focal_points=selectors.focal_point_choices(organisation_id),
        public_allowed=access.can_moderate(actor),
        public_stored=service.is_public_service if service is not None else False,
    )
    formset: Any = ChannelFormSet(data, initial=None if data else channels, prefix="channels")
    if data is not None and not adding_row and form.is_valid() & formset.is_valid():
        content = form.content(formset.channels())
        try:
            if service is None:
                saved = services.service_create(actor=actor, content=content)
            else:
                saved = services.service_update(
                    actor=actor,
                    service=service,
                    expected_version=form.cleaned_data["version"] or 0,
                    content=content,
                )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request,
                _("The entry has been saved as a draft.")
                if service is None or service.status != Status.SUBMITTED
                else _("The entry has been saved and is a draft again: submit it once more."),
            )
            return _detail(saved)
    return render(
        request,
        "directory/service_form.html",
        {
            "form": form,
            "channels": formset,
            "service": service,
            "week": form.week(),
        },
        status=400 if data is not None and not adding_row else 200,
    )


@requires(EDIT)
def service_create(request: AuthedRequest) -> HttpResponse:
    initial = {"focal_point": request.user.public_id, "eligible_sex": "all", "cost": "free"}
    for day in Weekday:
        initial[f"d{day.value}_closed"] = day.value >= Weekday.SATURDAY
    return _form_page(request, None, initial, [])


@requires(EDIT)
def service_edit(request: AuthedRequest, public_id: Any) -> HttpResponse:
    service = access.service_get_for_edit(request.user, public_id)
    if service.status == Status.PUBLISHED:
        messages.info(request, _("A published entry is changed through a revision."))
        return _detail(service)
    if service.status == Status.ARCHIVED:
        messages.error(request, _("This entry is archived: restore it first."))
        return _detail(service)
    full = selectors.service_detail(service)
    channels = [{"kind": c.kind, "value": c.value, "note": c.note} for c in full.channels.all()]
    return _form_page(request, service, ServiceForm.initial_for(full), channels)


# --- one-button actions ---------------------------------------------------------------------


def _version(request: AuthedRequest) -> int | None:
    form = VersionForm(request.POST)
    return form.cleaned_data["version"] if form.is_valid() else None


def _run(request: AuthedRequest, service: Service, do: Any, success: str) -> Any:
    """Run ``do(version)``; a message says what happened. Returns the saved entry or None."""
    version = _version(request)
    if version is None:
        messages.error(request, _("The form was incomplete: reload the page and try again."))
        return None
    try:
        saved = do(version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    messages.success(request, success)
    return saved if saved is not None else service


@require_POST
@requires(EDIT)
def service_submit(request: AuthedRequest, public_id: Any) -> HttpResponse:
    service = access.service_get_for_edit(request.user, public_id)
    _run(
        request,
        service,
        lambda v: services.service_submit(actor=request.user, service=service, expected_version=v),
        _("The entry has been sent to the network coordination for approval."),
    )
    return _detail(service)


@require_POST
@requires(EDIT)
def service_revise(request: AuthedRequest, public_id: Any) -> HttpResponse:
    service = access.service_get_for_edit(request.user, public_id)
    try:
        revision = services.service_revise(actor=request.user, service=service)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _detail(service)
    messages.info(
        request,
        _(
            "This is a revision of the published entry: the public sees the published entry "
            "until the revision is approved."
        ),
    )
    return redirect("directory:service_edit", public_id=revision.public_id)


@require_POST
@requires(EDIT)
def service_discard(request: AuthedRequest, public_id: Any) -> HttpResponse:
    revision = access.service_get_for_edit(request.user, public_id)
    target = revision.revision_of
    done = _run(
        request,
        revision,
        lambda v: services.service_revision_discard(
            actor=request.user, revision=revision, expected_version=v
        ),
        _("The revision has been discarded; the published entry is unchanged."),
    )
    if done is None or target is None:
        return _detail(revision)
    return _detail(target)


@require_POST
@requires(MODERATE)
def service_approve(request: AuthedRequest, public_id: Any) -> HttpResponse:
    service = access.service_get_for_moderation(request.user, public_id)
    saved = _run(
        request,
        service,
        lambda v: services.service_approve(actor=request.user, service=service, expected_version=v),
        _("The entry has been approved and published."),
    )
    return _detail(saved or service)


@require_POST
@requires(MODERATE)
def service_reject(request: AuthedRequest, public_id: Any) -> HttpResponse:
    service = access.service_get_for_moderation(request.user, public_id)
    form = RejectForm(request.POST, auto_id="reject-%s")
    if form.is_valid():
        try:
            services.service_reject(
                actor=request.user,
                service=service,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_error("reason" if "reason" in exc.error_dict else None, exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return _detail(service)
        else:
            messages.success(request, _("The entry has been sent back to its editors."))
            return redirect("directory:moderation_list")
    return _page(request, service, reject_form=form, status=400)


@require_POST
@requires(VIEW)
def service_archive(request: AuthedRequest, public_id: Any) -> HttpResponse:
    service = access.service_get_for(request.user, public_id)
    if not access.can_archive_service(request.user, service):
        raise Http404
    _run(
        request,
        service,
        lambda v: services.service_archive(actor=request.user, service=service, expected_version=v),
        _("The entry has been archived."),
    )
    return _detail(service)


@require_POST
@requires(EDIT)
def service_restore(request: AuthedRequest, public_id: Any) -> HttpResponse:
    service = access.service_get_for_edit(request.user, public_id)
    _run(
        request,
        service,
        lambda v: services.service_restore(actor=request.user, service=service, expected_version=v),
        _("The entry has been restored as a draft."),
    )
    return _detail(service)


@require_POST
@requires(EDIT)
def service_verify(request: AuthedRequest, public_id: Any) -> HttpResponse:
    service = access.service_get_for_edit(request.user, public_id)
    _run(
        request,
        service,
        lambda v: services.service_verify(actor=request.user, service=service, expected_version=v),
        _("Thank you: the entry is marked as verified today."),
    )
    if request.POST.get("next") == "stale":
        return redirect("directory:stale_list")
    return _detail(service)


@require_POST
@requires(EDIT)
def service_availability(request: AuthedRequest, public_id: Any) -> HttpResponse:
    """Set the availability at once. With htmx the availability section is swapped in place
    (with the page's action buttons, which carry the new version): one round trip."""
    service = access.service_get_for_edit(request.user, public_id)
    form = _availability_form(service, request.POST)
    saved = False
    if form.is_valid():
        try:
            service = services.service_set_availability(
                actor=request.user,
                service=service,
                expected_version=form.cleaned_data["version"],
                availability=form.cleaned_data["availability"],
                note=form.cleaned_data["availability_note"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            saved = True
    if not request.headers.get("HX-Request"):
        if saved:
            messages.success(request, _("The availability has been updated."))
            return _detail(service, "availability")
        return _page(request, service, availability_form=form, status=400)
    shown = selectors.service_detail(service)
    return render(
        request,
        "directory/_availability_swap.html",
        {
            "service": shown,
            "availability_form": _availability_form(shown) if saved else form,
            "availability_saved": saved,
            "can_set_availability": True,
            **_actions(request, shown),
            "reject_form": None,
            "pending": _pending(request, shown),
            "oob": True,
        },
        status=200 if saved else 400,
    )


# --- moderation and verification lists ------------------------------------------------------


@requires(MODERATE)
def moderation_list(request: AuthedRequest) -> HttpResponse:
    """Submitted entries and revisions of the whole network, oldest first."""
    queue = selectors.moderation_queue(request.user)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    revisions = selectors.revisions_with_published([s.pk for s in rows if s.is_revision])
    changed = {
        r.pk: ", ".join(label for label, _before, _after in _changes(r, r.revision_of))  # type: ignore[arg-type]
        for r in revisions
    }

    def name(service: Service) -> SafeString:
        url = reverse("directory:service_detail", args=[service.public_id])
        kind = badge(_("Revision of a published entry") if service.is_revision else _("New entry"))
        return mark_safe(f"<span>{link(url, service.name)} {kind}</span>")  # noqa: S308

    def submitted(service: Service) -> str:
        who = service.submitted_by
        by = (who.get_full_name() or who.username) if who is not None else ""
        when = (
            date_format(timezone.localtime(service.submitted_at), "Y-m-d")
            if service.submitted_at
            else ""
        )
        return f"{when} · {by}" if by else when

    columns = [
        Column(_("Service"), name),
        Column(_("Organisation"), lambda s: s.organisation.acronym or s.organisation.name),
        Column(_("Service type"), lambda s: s.service_type.label),
        Column(_("Place"), _place),
        Column(_("Submitted"), submitted),
        Column(_("What changes"), lambda s: changed.get(s.pk, "—") or "—"),
    ]
    count = page.paginator.count
    caption = ngettext(
        "%(n)s entry waiting for a decision", "%(n)s entries waiting for a decision", count
    ) % {"n": count}
    return render(
        request,
        "directory/moderation_list.html",
        {
            "page": page,
            "has_rows": bool(rows),
            "table": table(caption=caption, columns=columns, rows=rows),
            "query": query_without_page(request),
        },
    )


@requires(EDIT)
def stale_list(request: AuthedRequest) -> HttpResponse:
    """Published entries not verified for 90 days: the focal point's organisation's, the whole
    network's for the network coordinator. The reminder e-mail links here. An editor of the
    entry confirms it from the row ("still accurate") or opens it to correct it."""
    actor = request.user
    stale = selectors.stale_services(actor)
    page = Paginator(stale, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    token = get_token(request)

    def name(service: Service) -> SafeString:
        return link(reverse("directory:service_detail", args=[service.public_id]), service.name)

    def verified(service: Service) -> str:
        if service.last_verified_at is None:
            return _("never")
        when = date_format(timezone.localtime(service.last_verified_at), "Y-m-d")
        who = service.last_verified_by
        return f"{when} · {who.get_full_name() or who.username}" if who is not None else when

    def act(service: Service) -> SafeString | str:
        if not access.can_edit_service(actor, service):
            return ""
        return format_html(
            '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" '
            'value="{}"><input type="hidden" name="version" value="{}">'
            '<input type="hidden" name="next" value="stale">'
            '<button type="submit" class="btn secondary">{}</button></form>',
            reverse("directory:service_verify", args=[service.public_id]),
            token,
            service.version,
            _("Still accurate"),
        )

    columns = [
        Column(_("Service"), name),
        Column(_("Organisation"), lambda s: s.organisation.acronym or s.organisation.name),
        Column(_("Focal point"), lambda s: s.focal_point.get_full_name() or s.focal_point.username),
        Column(_("Last verified"), verified),
        Column(_("Action"), act),
    ]
    count = page.paginator.count
    caption = ngettext("%(n)s entry to verify", "%(n)s entries to verify", count) % {"n": count}
    return render(
        request,
        "directory/stale_list.html",
        {
            "page": page,
            "has_rows": bool(rows),
            "table": table(caption=caption, columns=columns, rows=rows),
            "query": query_without_page(request),
            "days": services.STALE_AFTER_DAYS,
            "network": access.can_moderate(actor),
        },
    )
