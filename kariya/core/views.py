from __future__ import annotations

import csv
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from kariya.core import home as home_panels
from kariya.core.audit import audit_record
from kariya.core.forms import AuditFilterForm
from kariya.core.gate import public, requires
from kariya.core.http import AuthedRequest
from kariya.core.models import AuditAction
from kariya.core.selectors import audit_events_for, audit_object_types
from kariya.core.viewhelpers import query_without_page


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    return django_set_language(request)


@public
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@requires("home.view")
def home(request: AuthedRequest) -> HttpResponse:
    panels = home_panels.panels_for(request)
    return render(request, "core/home.html", {"panels": panels})


def _audit_queryset(request: AuthedRequest) -> tuple[AuditFilterForm, Any]:
    form = AuditFilterForm(request.GET or None, object_types=audit_object_types(actor=request.user))
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "action": data["action"],
            "object_type": data["object_type"],
            "object_id": data["object_id"].strip(),
            "actor_public_id": str(data["actor"]) if data["actor"] else "",
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
    return form, audit_events_for(actor=request.user, **filters)


@requires("audit.view")
def audit_list(request: AuthedRequest) -> HttpResponse:
    form, events = _audit_queryset(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": query_without_page(request)}
    template = (
        "core/_audit_rows.html" if request.headers.get("HX-Request") else "core/audit_list.html"
    )
    return render(request, template, context)


class _Echo:
    def write(self, value: str) -> str:
        return value


AUDIT_CSV_HEADER = [
    "time",
    "user",
    "user_id",
    "organisation",
    "action",
    "record_type",
    "record_id",
    "changed_fields",
    "ip",
    "user_agent",
]


@requires("audit.view")
def audit_export(request: AuthedRequest) -> HttpResponse | StreamingHttpResponse:
    form, events = _audit_queryset(request)
    if form.is_bound and not form.is_valid():
        return render(
            request, "core/audit_list.html", {"form": form, "page": None, "query": ""}, status=400
        )
    audit_record(actor=request.user, action=AuditAction.EXPORT, object_type="core.auditevent")
    writer = csv.writer(_Echo())
    org = request.org.acronym

    def rows() -> Any:
        yield writer.writerow(AUDIT_CSV_HEADER)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    timezone.localtime(event.at).isoformat(),
                    event.actor.username if event.actor else "",
                    str(event.actor.public_id) if event.actor else "",
                    org,
                    event.action,
                    event.object_type,
                    event.object_id,
                    " ".join(event.changed_fields),
                    event.ip or "",
                    event.user_agent,
                ]
            )

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kariya-audit-{stamp}.csv"'
    return response
