from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kariya.core.models import AuditAction


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All"))] + AuditAction.choices
    )
    object_type = forms.ChoiceField(label=_("Record type"), required=False, choices=[])
    object_id = forms.CharField(label=_("Record id"), required=False, max_length=64)
    actor = forms.UUIDField(label=_("User id"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, object_types: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["object_type"]
        field.choices = [("", _("All"))] + [(t, t) for t in object_types]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:  # type: ignore[operator]
            self.add_error("date_to", _("The end date is before the start date."))
        return data
