"""Forms of the referral pages: shape only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kariya.cases.models import DeliveryOutcome
from kariya.codelists.models import Code
from kariya.referrals.models import DEFAULT_SHARED, Priority, SharedField


class _CodeChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Code) -> str:
        return obj.label


class _CodeChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Code) -> str:
        return obj.label


def _service_types() -> Any:
    return Code.objects.filter(list="service_type", is_active=True).order_by("order", "code")


class NeedForm(forms.Form):
    need = _CodeChoice(label=_("Need"), queryset=Code.objects.none(), empty_label=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = _service_types()  # type: ignore[attr-defined]


class ReferralForm(forms.Form):
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        initial=Priority.NORMAL,
        widget=forms.RadioSelect,
        help_text=_("Emergency: within 24 hours; urgent: within 72 hours; normal: within 2 weeks."),
    )
    reason = forms.CharField(
        label=_("Reason for the referral"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    services_requested = _CodeChoices(
        label=_("Services requested"),
        queryset=Code.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("Also share"),
        choices=SharedField.choices,
        initial=list(DEFAULT_SHARED),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "The case code, sex, age, the reason and the services requested are always shared. "
            "Share nothing more than the service needs."
        ),
    )
    override_reason = forms.CharField(
        label=_("Without consent: why (supervisor only)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
        help_text=_("Only when the person's consent for this recipient cannot be obtained."),
    )

    def __init__(self, *args: Any, can_override: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["services_requested"].queryset = _service_types()  # type: ignore[attr-defined]
        if not can_override:
            del self.fields["override_reason"]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReasonForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class CompleteForm(VersionForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DeliveryOutcome.choices)
    delivered_on = forms.DateField(
        label=_("Date of the service"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )
    feedback = forms.CharField(
        label=_("Feedback to the referring organisation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text=_("What was done and what should follow. Write only what they need to know."),
    )


class NoteForm(VersionForm):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )


class TransferForm(forms.Form):
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        initial=Priority.NORMAL,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why the case is transferred"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class _UserChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class TransferAcceptForm(VersionForm):
    caseworker = _UserChoice(label=_("Caseworker who takes the case"), queryset=None)

    def __init__(self, *args: Any, caseworkers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = caseworkers  # type: ignore[attr-defined]
