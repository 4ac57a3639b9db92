"""The variant dictionary's additions in the configuration admin (platform operators).

Every write goes through ``matching.services``; the form shows the service's refusal on the
field. Two extra pages: import a CSV (all or nothing, errors by line) and export the dictionary
in force (the shipped rows and the additions) as CSV, e.g. for ``kariya match --variants``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kariya.matching import services
from kariya.matching.dictionary import conflicting_rows
from kariya.matching.models import NameVariant
from kariya.matching.names import VARIANTS_CSV


class NameVariantForm(forms.ModelForm):
    class Meta:
        model = NameVariant
        fields = ["canonical", "variant", "note"]
        help_texts = {
            "canonical": gettext_lazy(
                "The name as the dictionary knows it (e.g. Mohamed). A spelling of a known name "
                "is refused: write that name."
            ),
            "variant": gettext_lazy(
                "Another spelling of the same name (e.g. Mouhamed). Never another name: "
                "Mahmoud and Ahmed are not Mohamed."
            ),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        canonical, variant = data.get("canonical") or "", data.get("variant") or ""
        if canonical and variant:
            error = services.name_variant_check(
                canonical=canonical,
                variant=variant,
                instance=self.instance if self.instance.pk else None,
            )
            if error is not None:
                self.add_error("variant", error)
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "Columns canonical and variant on the first line; UTF-8 or Latin-1; at most "
            "10,000 rows. Nothing is added unless every row is right."
        ),
    )


@admin.register(NameVariant)
class NameVariantAdmin(admin.ModelAdmin):
    form = NameVariantForm
    list_display = ["variant", "canonical", "note", "created_by", "created_at"]
    search_fields = ["canonical", "variant"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    list_select_related = ["created_by"]
    change_list_template = "admin/matching/namevariant/change_list.html"

    def save_model(self, request: HttpRequest, obj: NameVariant, form: Any, change: bool) -> None:
        data = form.cleaned_data
        services.name_variant_save(
            actor=request.user,
            canonical=data["canonical"],
            variant=data["variant"],
            note=data.get("note", ""),
            instance=obj if change else None,
        )

    def delete_model(self, request: HttpRequest, obj: NameVariant) -> None:
        services.name_variant_delete(actor=request.user, instance=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[NameVariant]) -> None:
        for obj in queryset:
            services.name_variant_delete(actor=request.user, instance=obj)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        left_out = conflicting_rows()
        if left_out:
            messages.warning(
                request,
                _(
                    "%(n)d addition(s) conflict with an earlier one and are not used: "
                    "correct or delete them."
                )
                % {"n": len(left_out)},
            )
        return super().changelist_view(request, extra_context)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="matching_namevariant_import",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="matching_namevariant_export",
            ),
        ]
        return own + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        result = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            result = services.name_variants_import(
                actor=request.user, data=form.cleaned_data["file"].read()
            )
            if not result.errors:
                messages.success(
                    request,
                    _("%(added)d spelling(s) added; %(known)d already known.")
                    % {"added": result.added, "known": result.already_known},
                )
                return HttpResponseRedirect(reverse("admin:matching_namevariant_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import name variants"),
            "form": form,
            "result": result,
        }
        return TemplateResponse(request, "admin/matching/namevariant/import.html", context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["canonical", "variant", "source"])
        with VARIANTS_CSV.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                writer.writerow([row["canonical"], row["variant"], "shipped"])
        for canonical, variant in NameVariant.objects.order_by("id").values_list(
            "canonical", "variant"
        ):
            writer.writerow([canonical, variant, "added"])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="name_variants.csv"'
        return response
