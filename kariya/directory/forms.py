"""Forms of the directory's staff pages. They check shape only (a time is a time, a row of hours
has both ends); ``services.py`` decides the rest, and its messages come back onto the fields.

Organisation never comes from a form: the views take it from the request.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kariya.core.widgets import quick_selects
from kariya.directory.models import Availability, ChannelKind, Cost, EligibleSex, Status, Weekday
from kariya.directory.services import MAX_CHANNELS, Channel, Hours, ServiceContent
from kariya.geo.models import AdminUnit
from kariya.people.forms import CodeField, CodesField, CommuneField, CountriesField, SiteField


def _blank(choices: Any, blank: Any) -> list[Any]:
    return [("", blank), *choices]


# --- list filters -----------------------------------------------------------------------------


SORTS = {
    "name": ("name_fr", "id"),
    "type": ("service_type__order", "service_type__code", "name_fr", "id"),
    "place": ("region__name_fr", "commune__name_fr", "name_fr", "id"),
    "updated": ("-updated_at", "-id"),
    "verified": ("last_verified_at", "id"),
}


class _DepartmentChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name_fr} ({obj.parent.name_fr})"


class ServiceFilterForm(forms.Form):
    service_type = CodeField("service_type", label=_("Service type"))
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=AdminUnit.objects.regions().order_by("name_fr"),
        to_field_name="pcode",
    )
    department = _DepartmentChoice(
        label=_("Department"),
        required=False,
        queryset=AdminUnit.objects.filter(level=2).select_related("parent").order_by("name_fr"),
        to_field_name="pcode",
    )
    commune = CommuneField(label=_("Commune"))
    availability = forms.ChoiceField(label=_("Availability"), required=False, choices=[])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[])
    own = forms.BooleanField(label=_("Only my organisation's entries"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("type", _("Service type")),
            ("place", _("Place")),
            ("updated", _("Last changed first")),
            ("verified", _("Least recently verified first")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = _("All")
        for name in ("service_type", "region", "department", "commune"):
            field: Any = self.fields[name]
            field.empty_label = everything
        availability: Any = self.fields["availability"]
        availability.choices = _blank(Availability.choices, everything)
        status: Any = self.fields["status"]
        status.choices = _blank(Status.choices, everything)
        status.help_text = _("Other organisations' entries are listed once published.")
        quick_selects(self)

    def place(self) -> AdminUnit | None:
        """The most precise place chosen: commune, else department, else region."""
        data = self.cleaned_data
        return data.get("commune") or data.get("department") or data.get("region")


# --- the entry's content ----------------------------------------------------------------------


def _time(label: Any) -> forms.TimeField:
    """A time field; its full label ("Monday, range 1, opens at") is the input's accessible
    name, the page shows a short one beside it within the day's fieldset."""
    widget = forms.TimeInput(attrs={"type": "time", "aria-label": label}, format="%H:%M")
    return forms.TimeField(label=label, required=False, widget=widget)


class ServiceForm(forms.Form):
    """Everything an editor writes. The hours are 7 days × 2 ranges of time fields
    (``d0_open1`` … ``d6_close2``) and a "closed" box per day; the contact channels are a
    formset beside it (``ChannelFormSet``)."""

    service_type = CodeField("service_type", label=_("Service type"), required=True)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200)
    description_fr = forms.CharField(
        label=_("Description (French)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    name_en = forms.CharField(label=_("Name (English)"), required=False, max_length=200)
    description_en = forms.CharField(
        label=_("Description (English)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    name_ha = forms.CharField(label=_("Name (Hausa)"), required=False, max_length=200)
    description_ha = forms.CharField(
        label=_("Description (Hausa)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    name_ar = forms.CharField(
        label=_("Name (Arabic)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    description_ar = forms.CharField(
        label=_("Description (Arabic)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "rtl", "lang": "ar"}),
    )
    is_public_service = forms.BooleanField(
        label=_("Public service (kept by the network coordination)"), required=False
    )
    provider_name = forms.CharField(
        label=_("Provider"),
        required=False,
        max_length=200,
        help_text=_("For a public service: the body that provides it, e.g. a hospital."),
    )
    commune = CommuneField(label=_("Commune"))
    site = SiteField(label=_("Site"), help_text=_("Give a site, a commune, or both."))
    address = forms.CharField(label=_("Address"), required=False, max_length=250)
    hours_note = forms.CharField(
        label=_("Note on opening hours"),
        required=False,
        max_length=200,
        help_text=_("e.g. on appointment, closed on public holidays."),
    )
    languages = CodesField("language", label=_("Languages spoken"))
    eligible_sex = forms.ChoiceField(
        label=_("Open to"), choices=EligibleSex.choices, widget=forms.RadioSelect
    )
    min_age = forms.IntegerField(
        label=_("Minimum age"),
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    max_age = forms.IntegerField(
        label=_("Maximum age"),
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    nationalities = CountriesField(
        label=_("Nationalities"),
        help_text=_("Leave empty when the service is open to every nationality."),
    )
    population_categories = CodesField(
        "population_category",
        label=_("Population categories"),
        help_text=_("Leave empty when the service is open to every population category."),
    )
    eligibility_note = forms.CharField(label=_("Other conditions"), required=False, max_length=300)
    cost = forms.ChoiceField(label=_("Cost"), choices=Cost.choices, widget=forms.RadioSelect)
    fee_note = forms.CharField(
        label=_("Fee"), required=False, max_length=200, help_text=_("Required with a fee.")
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=0,
        help_text=_("People served per day, or places."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    focal_point: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Focal point"),
        queryset=None,
        to_field_name="public_id",
        empty_label=None,
        help_text=_("Who keeps this entry current and receives the reminders."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Sections of the page: (legend, field names); hours and channels are drawn between them.
    sections = (
        (_("The service"), ("service_type", "name_fr", "description_fr")),
        (
            _("Names and descriptions in other languages"),
            (
                "name_en",
                "description_en",
                "name_ha",
                "description_ha",
                "name_ar",
                "description_ar",
            ),
        ),
        (_("Provider"), ("is_public_service", "provider_name")),
        (_("Where"), ("commune", "site", "address")),
    )
    later_sections = (
        (_("Languages"), ("languages",)),
        (
            _("Who it is for"),
            (
                "eligible_sex",
                "min_age",
                "max_age",
                "nationalities",
                "population_categories",
                "eligibility_note",
            ),
        ),
        (_("Cost and capacity"), ("cost", "fee_note", "capacity")),
        (_("Who keeps it current"), ("focal_point",)),
    )

    def __init__(
        self,
        *args: Any,
        focal_points: Any,
        public_allowed: bool,
        public_stored: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Without the box (not a coordinator), an entry keeps what it is.
        self.public_stored = public_stored
        focal: Any = self.fields["focal_point"]
        focal.queryset = focal_points
        focal.label_from_instance = lambda user: user.get_full_name() or user.username
        if not public_allowed:
            del self.fields["is_public_service"]
        for day in Weekday:
            name = day.label
            self.fields[f"d{day.value}_closed"] = forms.BooleanField(
                label=pgettext_lazy("opening hours", "Closed"), required=False
            )
            for rank in (1, 2):
                self.fields[f"d{day.value}_open{rank}"] = _time(
                    _("%(day)s, range %(n)s, opens at") % {"day": name, "n": rank}
                )
                self.fields[f"d{day.value}_close{rank}"] = _time(
                    _("%(day)s, range %(n)s, closes at") % {"day": name, "n": rank}
                )
        self.section_errors: dict[str, list[str]] = {"hours": [], "channels": []}
        quick_selects(self)

    def _sets(self, chosen: Any) -> list[tuple[Any, list[Any]]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in chosen
        ]

    def fieldsets(self) -> list[tuple[Any, list[Any]]]:
        """The sections drawn before the hours and the contacts."""
        return self._sets(self.sections)

    def later_fieldsets(self) -> list[tuple[Any, list[Any]]]:
        """The sections drawn after them."""
        return self._sets(self.later_sections)

    def week(self) -> list[dict[str, Any]]:
        """The hours fields, day by day, for the template."""
        return [
            {
                "day": day,
                "closed": self[f"d{day.value}_closed"],
                "ranges": [
                    (self[f"d{day.value}_open{rank}"], self[f"d{day.value}_close{rank}"])
                    for rank in (1, 2)
                ],
            }
            for day in Weekday
        ]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        for day in Weekday:
            if data.get(f"d{day.value}_closed"):
                continue
            for rank in (1, 2):
                opens, closes = f"d{day.value}_open{rank}", f"d{day.value}_close{rank}"
                if data.get(opens) and not data.get(closes):
                    self.add_error(closes, _("Give the closing time too."))
                elif data.get(closes) and not data.get(opens):
                    self.add_error(opens, _("Give the opening time too."))
        return data

    def hours(self) -> list[Hours]:
        data = self.cleaned_data
        hours = []
        for day in Weekday:
            if data.get(f"d{day.value}_closed"):
                continue
            for rank in (1, 2):
                opens = data.get(f"d{day.value}_open{rank}")
                closes = data.get(f"d{day.value}_close{rank}")
                if opens and closes:
                    hours.append(Hours(day.value, opens, closes))
        return hours

    def content(self, channels: list[Channel]) -> ServiceContent:
        data = self.cleaned_data
        return ServiceContent(
            service_type=data["service_type"],
            name_fr=data["name_fr"],
            focal_point=data["focal_point"],
            site=data["site"],
            commune=data["commune"],
            address=data["address"],
            name_en=data["name_en"],
            name_ha=data["name_ha"],
            name_ar=data["name_ar"],
            description_fr=data["description_fr"],
            description_en=data["description_en"],
            description_ha=data["description_ha"],
            description_ar=data["description_ar"],
            is_public_service=bool(data.get("is_public_service", self.public_stored)),
            provider_name=data["provider_name"],
            hours=self.hours(),
            hours_note=data["hours_note"],
            languages=list(data["languages"]),
            eligible_sex=data["eligible_sex"],
            min_age=data["min_age"],
            max_age=data["max_age"],
            nationalities=list(data["nationalities"]),
            population_categories=list(data["population_categories"]),
            eligibility_note=data["eligibility_note"],
            cost=data["cost"],
            fee_note=data["fee_note"],
            capacity=data["capacity"],
            channels=channels,
        )

    @staticmethod
    def initial_for(service: Any) -> dict[str, Any]:
        """The form's initial values from a stored entry (with its hours, channels, lists)."""
        initial: dict[str, Any] = {
            name: getattr(service, name)
            for name in (
                "name_fr",
                "name_en",
                "name_ha",
                "name_ar",
                "description_fr",
                "description_en",
                "description_ha",
                "description_ar",
                "is_public_service",
                "provider_name",
                "address",
                "hours_note",
                "eligible_sex",
                "min_age",
                "max_age",
                "eligibility_note",
                "cost",
                "fee_note",
                "capacity",
                "version",
            )
        }
        initial["service_type"] = service.service_type.code
        initial["commune"] = service.commune.pcode if service.commune else ""
        initial["site"] = service.site.public_id if service.site else ""
        initial["focal_point"] = service.focal_point.public_id
        initial["languages"] = [c.code for c in service.languages.all()]
        initial["nationalities"] = [c.iso3 for c in service.nationalities.all()]
        initial["population_categories"] = [c.code for c in service.population_categories.all()]
        by_day: dict[int, list[Any]] = {}
        for h in service.hours.all():
            by_day.setdefault(h.weekday, []).append(h)
        for day in Weekday:
            ranges = by_day.get(day.value, [])
            initial[f"d{day.value}_closed"] = not ranges
            for rank, h in enumerate(ranges[:2], start=1):
                initial[f"d{day.value}_open{rank}"] = h.opens_at
                initial[f"d{day.value}_close{rank}"] = h.closes_at
        return initial


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Channel"), required=False, choices=[])
    value = forms.CharField(
        label=_("Number or address"),
        required=False,
        max_length=200,
        help_text=_("Niger phone numbers may be written without +227."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind: Any = self.fields["kind"]
        kind.choices = _blank(ChannelKind.choices, "—")
        quick_selects(self)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if (data.get("value") or data.get("note")) and not data.get("kind"):
            self.add_error("kind", _("Choose the channel."))
        return data


class _Channels(forms.BaseFormSet):  # type: ignore[type-arg]
    def channels(self) -> list[Channel]:
        """The filled rows, in order; rows left empty are skipped."""
        return [
            Channel(
                kind=f.cleaned_data["kind"],
                value=f.cleaned_data["value"],
                note=f.cleaned_data["note"],
            )
            for f in self.forms
            if f.cleaned_data and f.cleaned_data.get("kind")
        ]


ChannelFormSet = forms.formset_factory(
    ChannelForm,
    formset=_Channels,
    extra=1,
    max_num=MAX_CHANNELS,
    absolute_max=MAX_CHANNELS,
    validate_max=True,
)


# --- actions on an entry ----------------------------------------------------------------------


class VersionForm(forms.Form):
    """The version the page was drawn from (optimistic locking of a one-button action)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class AvailabilityForm(VersionForm):
    availability = forms.ChoiceField(label=_("Availability"), choices=Availability.choices)
    availability_note = forms.CharField(
        label=_("Note on availability"),
        required=False,
        max_length=200,
        help_text=_("e.g. no more beds until Monday."),
    )


class RejectForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The editors read it to correct the entry."),
    )
