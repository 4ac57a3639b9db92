from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kariya.cases.priority import Priority
from kariya.cases.workflow import Status
from kariya.exchange import selectors
from kariya.exchange.reading import MAX_ROWS, MAX_UPLOAD_BYTES


class ImportForm(forms.Form):
    office: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Registering office"),
        queryset=None,
        help_text=_("The office of your organisation that registers these people."),
    )
    file = forms.FileField(
        label=_("File (XLSX or CSV)"),
        help_text=_("At most %(mb)s MB and %(rows)s rows.")
        % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024), "rows": MAX_ROWS},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = selectors.offices_for(actor)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        if len(offices) == 1:
            self.fields["office"].initial = offices[0]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)s MB: split it into several files.")
                % {"max": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an XLSX or CSV file."))
        return upload


class ExportForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any"))] + list(Status.choices)
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any"))] + list(Priority.choices)
    )
    caseworker: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Caseworker"),
        required=False,
        queryset=None,
        empty_label=_("Any"),
        to_field_name="public_id",
    )
    include_identity = forms.BooleanField(
        label=_("Include names and phone numbers"),
        required=False,
        help_text=_(
            "Only if the list must leave Kariya with names: every identity exported is recorded "
            "in the audit log. Keep the file protected and delete it after use."
        ),
    )

    def __init__(self, *args: Any, actor: Any, identity_allowed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = selectors.caseworkers_for(actor)  # type: ignore[attr-defined]
        self.fields["caseworker"].label_from_instance = lambda user: user.username  # type: ignore[attr-defined]
        if not identity_allowed:
            del self.fields["include_identity"]
