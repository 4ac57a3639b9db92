"""Forms check shape only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kariya.geo import selectors
from kariya.geo.models import AdminLevel, AdminUnit, SiteKind


def _region_field(label: Any, empty_label: Any) -> forms.ModelChoiceField[AdminUnit]:
    return forms.ModelChoiceField(
        label=label,
        queryset=selectors.regions(),
        to_field_name="pcode",
        required=False,
        empty_label=empty_label,
    )


class AdminUnitFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or P-code"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All levels")), *AdminLevel.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = _region_field(_("Region"), _("All regions"))


class SiteFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *SiteKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("In use")), ("inactive", _("No longer in use")), ("all", _("All"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = _region_field(_("Region"), _("All regions"))
        self.order_fields(["q", "kind", "region", "status"])


class _CommuneField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        # Several communes share a name (Tibiri, Gangara…): show where each one is.
        return f"{obj.name_fr} ({obj.parent.name_fr}, {obj.parent.parent.name_fr})"


class _CoordinateField(forms.FloatField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, localize=True, **kwargs)

    def to_python(self, value: Any) -> Any:
        # Degrees have no thousands: "13,51" typed on a French keyboard is 13.51 in any
        # language the page is shown in.
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off"}


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=SiteKind.choices)
    commune = _CommuneField(
        label=_("Commune"),
        queryset=AdminUnit.objects.none(),
        to_field_name="pcode",
        required=False,
        empty_label=_("None: the site is in no single commune"),
        help_text=_("The region is then taken from the commune."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lat = _CoordinateField(
        label=_("Latitude"), help_text=_("Degrees north, for example 19.0042. Optional.")
    )
    lon = _CoordinateField(
        label=_("Longitude"), help_text=_("Degrees east, for example 5.7661. Optional.")
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commune: Any = self.fields["commune"]
        commune.queryset = selectors.communes()
        region = _region_field(_("Region"), "—")
        region.help_text = _("Required when the site is in no single commune.")
        self.fields["region"] = region
        if editing:
            self.fields["is_active"] = forms.BooleanField(
                label=_("In use"),
                required=False,
                help_text=_("Untick when the site is no longer used; it is kept for history."),
            )
        self.order_fields(
            ["name", "kind", "commune", "region", "description", "lat", "lon", "is_active"]
        )
