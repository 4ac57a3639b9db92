"""Forms of the review pages: shape only, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

KEEP_A = "keep_a"
KEEP_B = "keep_b"
NOT_A_MATCH = "not_a_match"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (KEEP_A, _("Same person: merge, keep the first record")),
            (KEEP_B, _("Same person: merge, keep the second record")),
            (NOT_A_MATCH, _("Not the same person")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for “not the same person”. Kept encrypted."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class UndoForm(forms.Form):
    reason = forms.CharField(
        label=_("Why undo this merge?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
