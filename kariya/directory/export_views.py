"""Downloads of the directory: CSV with an HXL hashtag row, XLSX, Open Referral HSDS 3.0 JSON.

Staff exports (``directory.view``) hold the network's published entries and every entry of the
user's organisation, with the moderation status and the focal point's name; each is audited
(``services.directory_export_record``). Public exports (no login) hold the published entries
of active organisations and only their public fields, as the public directory shows them.
Filters, in the query string: ``service_type`` (a code of the list "service_type") and
``place`` (the P-code of a region, department or commune). File names carry no personal data.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kariya.codelists.models import Code
from kariya.core.gate import public, requires
from kariya.core.http import AuthedRequest
from kariya.directory import access, exports, selectors, services
from kariya.directory.models import Service
from kariya.geo.models import AdminUnit

CSV = "text/csv; charset=utf-8"
JSON = "application/json; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportFilters(forms.Form):
    service_type = forms.ModelChoiceField(
        queryset=Code.objects.filter(list="service_type"),
        to_field_name="code",
        required=False,
        label=_("service type"),
    )
    place = forms.ModelChoiceField(
        queryset=AdminUnit.objects.all(),
        to_field_name="pcode",
        required=False,
        label=_("place"),
    )


def _filters(request: HttpRequest) -> dict[str, Any] | HttpResponse:
    form = ExportFilters(request.GET)
    if not form.is_valid():
        names = ", ".join(sorted(form.errors))
        return HttpResponse(
            _("Unknown filter value: %(names)s") % {"names": names},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return {name: value for name, value in form.cleaned_data.items() if value is not None}


def _name(scope: str, extension: str) -> str:
    return f"kariya-annuaire{scope}-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def _respond(query: QuerySet[Service], file_format: str, *, staff: bool) -> HttpResponseBase:
    scope = "" if staff else "-public"
    if file_format == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            exports.csv_lines(query, staff=staff), content_type=CSV
        )
        response["Content-Disposition"] = f'attachment; filename="{_name(scope, "csv")}"'
        return response
    if file_format == "hsds":
        response = StreamingHttpResponse(
            exports.hsds_json(query, staff=staff, generated_at=timezone.now()), content_type=JSON
        )
        response["Content-Disposition"] = f'attachment; filename="{_name(scope, "hsds.json")}"'
        return response
    return FileResponse(
        exports.xlsx_file(query, staff=staff),
        as_attachment=True,
        filename=_name(scope, "xlsx"),
        content_type=XLSX,
    )


def _staff_export(request: AuthedRequest, file_format: str) -> HttpResponseBase:
    filters = _filters(request)
    if isinstance(filters, HttpResponse):
        return filters
    query = selectors.services_for_export(request.user, **filters)
    services.directory_export_record(
        actor=request.user, file_format=file_format, count=query.count(), filters=filters
    )
    return _respond(query, file_format, staff=True)


def _public_export(request: HttpRequest, file_format: str) -> HttpResponseBase:
    filters = _filters(request)
    if isinstance(filters, HttpResponse):
        return filters
    return _respond(selectors.public_services_for_export(**filters), file_format, staff=False)


@requires(access.VIEW)
def staff_csv(request: AuthedRequest) -> HttpResponseBase:
    return _staff_export(request, "csv")


@requires(access.VIEW)
def staff_xlsx(request: AuthedRequest) -> HttpResponseBase:
    return _staff_export(request, "xlsx")


@requires(access.VIEW)
def staff_hsds(request: AuthedRequest) -> HttpResponseBase:
    return _staff_export(request, "hsds")


@public
def public_csv(request: HttpRequest) -> HttpResponseBase:
    return _public_export(request, "csv")


@public
def public_xlsx(request: HttpRequest) -> HttpResponseBase:
    return _public_export(request, "xlsx")


@public
def public_hsds(request: HttpRequest) -> HttpResponseBase:
    return _public_export(request, "hsds")
