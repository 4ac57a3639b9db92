"""Forms of the review pages: shape only, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kariya.matching.engine import DEFAULT_THRESHOLD

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


class RunStartForm(forms.Form):
    """Start a search for duplicates: the minimum score, in per cent (the service takes 0–1)."""

    threshold = forms.IntegerField(
        label=_("Minimum score (%)"),
        min_value=1,
        max_value=99,
        required=False,  # empty: the recommended value
        initial=round(DEFAULT_THRESHOLD * 100),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Formatted here, in the request's language (a lazy string formatted at import would
        # be fixed in the language of the moment).
        self.fields["threshold"].help_text = gettext(
            "Pairs scoring less are not proposed. %(default)s %% finds most duplicates; raise "
            "it if the list has too many pairs of different people. Not used for a small "
            "registry, which is compared with fixed rules."
        ) % {"default": round(DEFAULT_THRESHOLD * 100)}

    def fraction(self) -> float | None:
        """The minimum score for the service (0–1), None for its default."""
        value = self.cleaned_data.get("threshold")
        return None if value is None else float(value) / 100
