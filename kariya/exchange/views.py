from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kariya.core.gate import requires
from kariya.core.http import AuthedRequest
from kariya.core.viewhelpers import apply_errors, query_without_page
from kariya.exchange import access, selectors, services, workbooks
from kariya.exchange.columns import COLUMNS
from kariya.exchange.forms import ExportForm, ImportForm
from kariya.exchange.reading import MAX_ROWS, MAX_UPLOAD_BYTES, FileProblemError, read_upload
from kariya.exchange.writing import csv_lines, xlsx_file


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


@requires("home.view")
def index(request: AuthedRequest) -> HttpResponse:
    if not access.can_use_exchange(request.user):
        raise Http404
    runs = selectors.import_runs_for(request.user)[:10]
    return render(
        request,
        "exchange/index.html",
        {
            "can_import": access.can_import(request.user),
            "can_export": access.can_export_cases(request.user),
            "runs": runs,
            "columns": COLUMNS,
            "max_rows": MAX_ROWS,
            "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        },
    )


@requires("exchange.import")
def template_xlsx(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(
        workbooks.people_template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="kariya-import-personnes.xlsx"'
    return response


@requires("exchange.import")
def template_csv(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(workbooks.people_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kariya-import-personnes.csv"'
    return response


@requires("exchange.import")
def import_upload(request: AuthedRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = read_upload(upload, upload.name)
        except FileProblemError as exc:
            form.add_error("file", str(exc))
        else:
            try:
                run = services.people_import(
                    actor=request.user, office=form.cleaned_data["office"], table=table
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("exchange:import_report", public_id=run.public_id)
    return render(
        request,
        "exchange/import_form.html",
        {"form": form, "max_rows": MAX_ROWS},
        status=400 if form.errors else 200,
    )


@requires("exchange.import")
def import_report(request: AuthedRequest, public_id: str) -> HttpResponse:
    run = access.import_run_get_for(request.user, public_id)
    page = Paginator(run.errors, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "exchange/import_report.html",
        {"run": run, "page": page, "query": query_without_page(request)},
    )


@requires("exchange.import")
def import_errors_csv(request: AuthedRequest, public_id: str) -> HttpResponse:
    run = access.import_run_get_for(request.user, public_id)
    header = [_("Row"), _("Column"), _("Message")]
    body = "".join(csv_lines(header, run.errors))
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kariya-import-erreurs.csv"'
    return response


def _export_form(request: AuthedRequest) -> ExportForm:
    return ExportForm(
        request.GET or None,
        actor=request.user,
        identity_allowed=access.can_export_identity(request.user),
    )


@requires("exchange.export_cases")
def export_form(request: AuthedRequest) -> HttpResponse:
    form = _export_form(request)
    if form.is_bound:
        form.is_valid()
    return render(
        request,
        "exchange/export_form.html",
        {"form": form, "query": request.GET.urlencode()},
        status=400 if form.errors else 200,
    )


def _export(request: AuthedRequest, file_format: str) -> services.CaseExport | HttpResponse:
    form = _export_form(request)
    if form.is_bound and not form.is_valid():
        return render(request, "exchange/export_form.html", {"form": form, "query": ""}, status=400)
    data: dict[str, Any] = form.cleaned_data if form.is_bound else {}
    return services.case_list_export(
        actor=request.user,
        file_format=file_format,
        status=data.get("status", ""),
        priority=data.get("priority", ""),
        caseworker=data.get("caseworker"),
        include_identity=bool(data.get("include_identity")),
    )


@requires("exchange.export_cases")
def export_csv(request: AuthedRequest) -> HttpResponse | StreamingHttpResponse:
    export = _export(request, "csv")
    if isinstance(export, HttpResponse):
        return export
    response = StreamingHttpResponse(
        csv_lines(export.header, export.rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="kariya-cas-{_stamp()}.csv"'
    return response


@requires("exchange.export_cases")
def export_xlsx(request: AuthedRequest) -> HttpResponse | FileResponse:
    export = _export(request, "xlsx")
    if isinstance(export, HttpResponse):
        return export
    output = xlsx_file(export.header, export.rows, title=_("Cases"))
    return FileResponse(
        output,
        as_attachment=True,
        filename=f"kariya-cas-{_stamp()}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
