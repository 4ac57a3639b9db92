"""Forms check shape only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kariya.accounts.models import NetworkStatus, Office, OfficeKind, Organisation, OrganisationType
from kariya.accounts.roles import Role
from kariya.geo.models import AdminUnit


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles"))] + Role.choices
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Deactivated"))],
    )


class _UserFields(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.none(), required=False
    )
    preferred_language = forms.ChoiceField(
        label=_("Language"), choices=[("fr", "Français"), ("en", "English")], initial="fr"
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office_field: Any = self.fields["office"]
        office_field.queryset = Office.objects.filter(organisation=organisation, is_active=True)


class UserCreateForm(_UserFields):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Temporary password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "At least 10 characters. Give it to the person in private; they should "
            "change it at first log-in."
        ),
    )

    field_order = [
        "username",
        "first_name",
        "last_name",
        "email",
        "phone",
        "office",
        "preferred_language",
        "roles",
        "password",
    ]


class UserEditForm(_UserFields):
    pass


class PasswordResetByAdminForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    acronym = forms.CharField(label=_("Acronym"), max_length=30)
    type = forms.ChoiceField(label=_("Type"), choices=OrganisationType.choices)
    network_status = forms.ChoiceField(label=_("Network membership"), choices=NetworkStatus.choices)
    joined_on = forms.DateField(
        label=_("Joined the network on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    email = forms.EmailField(label=_("Contact e-mail"), required=False)
    phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    network_status = forms.ChoiceField(
        label=_("Network membership"),
        required=False,
        choices=[("", _("All"))] + NetworkStatus.choices,
    )


class OfficeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=OfficeKind.choices)
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=AdminUnit.objects.communes().active().select_related("parent__parent"),
        to_field_name="pcode",
    )
    address = forms.CharField(label=_("Address"), max_length=250, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commune: Any = self.fields["commune"]
        commune.label_from_instance = lambda u: (
            f"{u.name_fr} ({u.parent.name_fr}, {u.parent.parent.name_fr})"
        )
