"""Forms of the people pages. They check shape only; the services decide.

Organisation never comes from a form: the views take it from the request.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kariya.accounts.models import Office, Organisation
from kariya.codelists.models import Code
from kariya.core import memo
from kariya.core.choices import ReadyChoices
from kariya.core.widgets import quick_selects
from kariya.geo import selectors as geo_selectors
from kariya.geo.models import Country, Site
from kariya.people.models import (
    ChildSeparation,
    ConsentGiver,
    ConsentMethod,
    ConsentScope,
    DataCategory,
    DocumentStatus,
    ExpelledFrom,
    ExpulsionType,
    LegalBasis,
    MigrationStatus,
    RestrictionAudience,
    Sex,
)
from kariya.people.selectors import RegistrationDraft

MAX_ROWS = 20
"""Most document or route rows one form takes (a formset is never unbounded)."""

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- fields -----------------------------------------------------------------------------------


def _codes(list_name: str) -> Any:
    return Code.objects.of(list_name).active().order_by("order", "code")


class CodeField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def __init__(self, list_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", "—")
        super().__init__(queryset=_codes(list_name), to_field_name="code", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class CodesField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    widget = forms.CheckboxSelectMultiple

    def __init__(self, list_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(queryset=_codes(list_name), to_field_name="code", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


def _countries(codes: Iterable[str]) -> dict[str, Country]:
    return {c.iso3: c for c in geo_selectors.country_list().filter(iso3__in=list(codes))}


def _country_choices() -> list[Any]:
    return [("", "—"), *geo_selectors.country_choices(grouped=True)]


class CountryField(forms.ChoiceField):
    """A country by ISO code; the most frequent nationalities in Niger come first."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(choices=_country_choices, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.iso3 if isinstance(value, Country) else value

    def clean(self, value: Any) -> Country | None:
        code = super().clean(value)
        if not code:
            return None
        found = _countries([code]).get(code)
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid")
        return found


class CountriesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(choices=lambda: geo_selectors.country_choices(grouped=True), **kwargs)
        self.widget.attrs["size"] = 6

    def prepare_value(self, value: Any) -> Any:
        if value is None:
            return value
        return [v.iso3 if isinstance(v, Country) else v for v in value]

    def clean(self, value: Any) -> list[Country]:  # type: ignore[override]
        codes = super().clean(value)
        found = _countries(codes)
        return [found[code] for code in codes if code in found]


class _CommuneChoices(ModelChoiceIterator):
    """The communes' choices from one row of plain values each: building 266 communes with
    their department and region as model instances, on every page with the field, showed in
    the list pages' server time. Same values (P-codes) and labels."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from memo.reference(("communes_labelled",), self._labelled)

    def _labelled(self) -> list[tuple[str, str]]:
        rows = self.queryset.values_list(
            "pcode", "name_fr", "parent__name_fr", "parent__parent__name_fr"
        )
        return [
            (pcode, f"{name} ({department}, {region})") for pcode, name, department, region in rows
        ]


class CommuneField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A commune (admin level 3) by P-code; homonyms told apart by department and region."""

    iterator = _CommuneChoices

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", "—")
        super().__init__(queryset=geo_selectors.communes(), to_field_name="pcode", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name_fr} ({obj.parent.name_fr}, {obj.parent.parent.name_fr})"


class SiteField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", "—")
        super().__init__(
            queryset=Site.objects.active().order_by("name"), to_field_name="public_id", **kwargs
        )


class LinesField(forms.CharField):
    """Several short values, one per line (other spellings, aliases, phone numbers)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        kwargs.setdefault("help_text", _("One per line."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().clean(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


def _choices_with_blank(choices: Iterable[tuple[str, Any]], blank: Any = "—") -> list[Any]:
    return [("", blank), *[(value, label) for value, label in choices if value != ""]]


def _boolean(label: Any, **kwargs: Any) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, **kwargs)


class FieldsetsMixin:
    """``fieldsets``: (legend, field names); the template renders them in this order."""

    fieldset_names: tuple[tuple[Any, tuple[str, ...]], ...] = ()

    def fieldsets(self) -> list[tuple[Any, list[Any]]]:
        form: Any = self
        return [
            (legend, [form[name] for name in names if name in form.fields])
            for legend, names in self.fieldset_names
        ]


# --- list / search ----------------------------------------------------------------------------


IDENTITY_FILTERS = ("name", "phone", "document")


class PersonFilterForm(forms.Form):
    case_code = forms.CharField(label=_("Case code"), required=False, max_length=12)
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Whole words; accents, case and spellings such as Moussa / Musa ignored."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    document = forms.CharField(label=_("Document number"), required=False, max_length=40)
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=_choices_with_blank(Sex.choices, _("All"))
    )
    population_category = CodeField("population_category", label=_("Population category"))
    commune = CommuneField(label=_("Current commune"))
    order = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("newest", _("Newest registration first")),
            ("oldest", _("Oldest registration first")),
            ("case_code", _("Case code")),
        ],
    )

    def __init__(self, *args: Any, show_identity: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pc: Any = self.fields["population_category"]
        pc.empty_label = _("All")
        commune: Any = self.fields["commune"]
        commune.empty_label = _("All")
        # Options rendered in Python: 266 communes through one template each cost tens of ms.
        quick_selects(self)
        # ... from choices kept with their escaped HTML (the field still validates against its
        # queryset): escaping 266 labels on every request showed too.
        commune.widget.choices = memo.reference(
            ("commune_choices_labelled",), lambda: ReadyChoices(iter(commune.choices))
        )
        # The categories' labels are translated: kept per language.
        pc.widget.choices = memo.reference(
            ("population_category_choices", translation.get_language() or "fr"),
            lambda: ReadyChoices(iter(pc.choices)),
        )
        if not show_identity:
            for name in IDENTITY_FILTERS:
                del self.fields[name]


# --- registration -----------------------------------------------------------------------------


class DocumentForm(forms.Form):
    document_type = CodeField("document_type", label=_("Document type"), required=True)
    number = forms.CharField(label=_("Number"), required=False, max_length=60)
    issuing_country = CountryField(label=_("Issuing country"))
    status = forms.ChoiceField(
        label=_("Status"), choices=_choices_with_blank(DocumentStatus.choices)
    )


class _RowsBase(forms.BaseFormSet):  # type: ignore[type-arg]
    def rows(self) -> list[dict[str, Any]]:
        """The filled rows' values; rows left empty are skipped."""
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and any(v not in (None, "") for v in f.cleaned_data.values())
        ]


DocumentFormSet = forms.formset_factory(
    DocumentForm,
    formset=_RowsBase,
    extra=1,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
    validate_max=True,
)


PERSON_CORE_FIELDS = (
    "sex",
    "birth_year",
    "birth_estimated",
    "nationalities",
    "languages",
    "preferred_language",
    "population_category",
    "child_separation",
)
IDENTITY_FIELDS = ("given_names", "family_names", "other_spellings", "aliases", "phone_numbers")
MIGRATION_FIELDS = (
    "origin_country",
    "origin_place",
    "arrival_date",
    "current_commune",
    "intended_destination",
    "status",
    "expelled_from",
    "expulsion_type",
    "expulsion_arrival_site",
    "expulsion_date",
)


class _PersonCoreFields(forms.Form):
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=1900,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    birth_estimated = _boolean(_("The year of birth is an estimate"))
    nationalities = CountriesField(
        label=_("Nationalities"),
        help_text=_("Hold Ctrl (or a long press on a phone) to choose several."),
    )
    languages = CodesField("language", label=_("Languages spoken"))
    preferred_language = CodeField("language", label=_("Preferred language"))
    population_category = CodeField("population_category", label=_("Population category"))
    child_separation = forms.ChoiceField(
        label=_("Unaccompanied or separated child"),
        required=False,
        choices=ChildSeparation.choices,
    )


class _IdentityFields(forms.Form):
    given_names = forms.CharField(label=_("Given names"), required=False, max_length=200)
    family_names = forms.CharField(label=_("Family names"), required=False, max_length=200)
    other_spellings = LinesField(label=_("Other spellings of the name"))
    aliases = LinesField(label=_("Aliases and nicknames"))
    phone_numbers = LinesField(
        label=_("Phone numbers"),
        help_text=_("One per line. Niger numbers may be written without +227."),
    )


class _MigrationFields(forms.Form):
    origin_country = CountryField(label=_("Country of origin"))
    origin_place = forms.CharField(label=_("Place of origin"), required=False, max_length=120)
    arrival_date = forms.DateField(label=_("Arrival in Niger"), required=False, widget=DATE)
    current_commune = CommuneField(label=_("Current commune"))
    intended_destination = CountryField(label=_("Intended destination"))
    status = forms.ChoiceField(
        label=_("Migration status"),
        required=False,
        choices=_choices_with_blank(MigrationStatus.choices),
    )
    expelled_from = forms.ChoiceField(
        label=_("Expelled from"),
        required=False,
        choices=_choices_with_blank(ExpelledFrom.choices),
        help_text=_("Only for a person who was expelled."),
    )
    expulsion_type = forms.ChoiceField(
        label=_("Type of expulsion"),
        required=False,
        choices=_choices_with_blank(ExpulsionType.choices),
    )
    expulsion_arrival_site = SiteField(label=_("Arrival point after expulsion"))
    expulsion_date = forms.DateField(label=_("Date of expulsion"), required=False, widget=DATE)


class _ConsentFields(forms.Form):
    given_by = forms.ChoiceField(
        label=_("Consent given by"),
        required=False,
        choices=_choices_with_blank(ConsentGiver.choices),
    )
    method = forms.ChoiceField(
        label=_("How"), required=False, choices=_choices_with_blank(ConsentMethod.choices)
    )
    consent_language = CodeField("language", label=_("Language of the consent"))
    interpreter_used = _boolean(_("An interpreter was used"))
    child_assent = _boolean(_("The child’s assent was recorded"))
    child_mature = _boolean(
        _("The child was judged mature enough to consent"),
        help_text=_("Only for a child aged 12 to 17."),
    )


LEGAL_BASIS_CHOICES = [(v, label) for v, label in LegalBasis.choices if v]


class RegistrationForm(
    FieldsetsMixin, _PersonCoreFields, _IdentityFields, _MigrationFields, _ConsentFields
):
    office = forms.ModelChoiceField(
        label=_("Registering office"), queryset=Office.objects.none(), empty_label=None
    )
    birth_date = forms.DateField(
        label=_("Exact date of birth"),
        required=False,
        widget=DATE,
        help_text=_("If known. Otherwise give the year of birth, estimated if need be."),
    )
    consent_services = _boolean(
        _("The person consents to receive services"),
        help_text=_("Explain the purpose in their language before asking."),
    )
    other_consents = forms.MultipleChoiceField(
        label=_("The person also consents to"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (ConsentScope.FOLLOW_UP.value, ConsentScope.FOLLOW_UP.label),
            (ConsentScope.STATISTICS.value, ConsentScope.STATISTICS.label),
        ],
    )
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"),
        required=False,
        choices=[("", _("None: the person consented")), *LEGAL_BASIS_CHOICES],
    )
    legal_basis_reason = forms.CharField(
        label=_("Why this legal basis applies"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    fieldset_names = (
        (_("Registration"), ("office",)),
        (
            _("Person"),
            (
                "sex",
                "birth_date",
                "birth_year",
                "birth_estimated",
                "nationalities",
                "languages",
                "preferred_language",
                "population_category",
                "child_separation",
            ),
        ),
        (_("Identity"), IDENTITY_FIELDS),
        (_("Migration"), MIGRATION_FIELDS),
        (
            _("Consent"),
            (
                "consent_services",
                "other_consents",
                "given_by",
                "method",
                "consent_language",
                "interpreter_used",
                "child_assent",
                "child_mature",
            ),
        ),
        (_("Or, without consent"), ("legal_basis", "legal_basis_reason")),
    )

    def __init__(self, *args: Any, offices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office: Any = self.fields["office"]
        office.queryset = offices
        separation: Any = self.fields["child_separation"]
        separation.choices = _choices_with_blank(
            ChildSeparation.choices, ChildSeparation.NONE.label
        )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("consent_services") or data.get("other_consents"):
            # The shape of a consent record: who, how and in which language.
            for name in ("given_by", "method", "consent_language"):
                if not data.get(name):
                    self.add_error(name, _("Say this to record the consent."))
        return data

    def migration_given(self) -> bool:
        return any(self.cleaned_data.get(name) not in (None, "") for name in MIGRATION_FIELDS)


# --- person page actions ----------------------------------------------------------------------


class PersonCoreForm(_PersonCoreFields):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["birth_year"].required = True
        separation: Any = self.fields["child_separation"]
        separation.choices = _choices_with_blank(
            ChildSeparation.choices, ChildSeparation.NONE.label
        )


class IdentityForm(_IdentityFields):
    birth_date = forms.DateField(label=_("Exact date of birth"), required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class MigrationForm(_MigrationFields):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RoutePointForm(forms.Form):
    site = SiteField(label=_("Site in Niger"))
    country = CountryField(label=_("or country"))


RouteFormSet = forms.formset_factory(
    RoutePointForm,
    formset=_RowsBase,
    extra=1,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
    validate_max=True,
)


class HouseholdLinkForm(forms.Form):
    case_code = forms.CharField(
        label=_("Case code of the relative"),
        max_length=12,
        help_text=_("The relative must be registered by your organisation."),
    )
    relationship = CodeField(
        "relationship",
        label=_("Who the relative is to this person"),
        required=True,
        empty_label=None,
    )


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label=_("Purpose"), choices=ConsentScope.choices)
    recipient_organisation = forms.ModelChoiceField(
        label=_("Receiving organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("For a referral or sharing with a named organisation."),
    )
    service_type = CodeField(
        "service_type",
        label=_("Type of service"),
        help_text=_("For a referral: the service the person agreed to be referred to."),
    )
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    method = forms.ChoiceField(label=_("How"), choices=ConsentMethod.choices)
    language = CodeField("language", label=_("Language"), required=True)
    interpreter_used = _boolean(_("An interpreter was used"))
    child_assent = _boolean(_("The child’s assent was recorded"))
    child_mature = _boolean(_("The child was judged mature enough to consent"))
    restriction_withhold = forms.ChoiceField(
        label=_("Restriction: withhold"),
        required=False,
        choices=_choices_with_blank(DataCategory.choices, _("No restriction")),
    )
    restriction_audience = forms.ChoiceField(
        label=pgettext_lazy("withhold from", "from"),
        required=False,
        choices=_choices_with_blank(RestrictionAudience.choices),
    )
    restriction_organisation = forms.ModelChoiceField(
        label=_("Organisation (when withholding from a named one)"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
    )
    restriction_reason = forms.CharField(
        label=_("because"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("recipient_organisation", "restriction_organisation"):
            field: Any = self.fields[name]
            field.queryset = organisations

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("restriction_withhold") and not data.get("restriction_audience"):
            self.add_error("restriction_audience", _("Say from whom it is withheld."))
        if data.get("restriction_audience") and not data.get("restriction_withhold"):
            self.add_error("restriction_withhold", _("Say what is withheld."))
        return data


class ConsentWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LegalBasisForm(forms.Form):
    basis = forms.ChoiceField(label=_("Legal basis"), choices=LEGAL_BASIS_CHOICES)
    reason = forms.CharField(
        label=_("Why this legal basis applies"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RegistrationCheckForm(_IdentityFields):
    """The fields of the registration form the check reads (shape only; all optional). Fields
    that do not parse are left out of the check rather than refused: the registration itself
    reports them."""

    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, required=False)
    birth_date = forms.DateField(label=_("Exact date of birth"), required=False)
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False, min_value=1900, max_value=2100
    )
    nationalities = CountriesField(label=_("Nationalities"))

    def draft(self, document_numbers: Iterable[str] = ()) -> RegistrationDraft:
        self.is_valid()
        data = self.cleaned_data

        def value(name: str, default: Any) -> Any:
            found = data.get(name)
            return default if found in (None, "") else found

        return RegistrationDraft(
            given_names=value("given_names", ""),
            family_names=value("family_names", ""),
            other_spellings=tuple(value("other_spellings", ())),
            aliases=tuple(value("aliases", ())),
            phone_numbers=tuple(value("phone_numbers", ())),
            document_numbers=tuple(n for n in document_numbers if n.strip())[:MAX_ROWS],
            birth_date=value("birth_date", None),
            birth_year=value("birth_year", None),
            sex=value("sex", ""),
            nationalities=tuple(c.iso3 for c in value("nationalities", ())),
        )


def posted_document_numbers(data: Any, prefix: str = "documents") -> list[str]:
    """The document numbers typed in the registration form's rows (at most ``MAX_ROWS``)."""
    return [
        str(data.get(f"{prefix}-{index}-number", ""))[:60]
        for index in range(MAX_ROWS)
        if data.get(f"{prefix}-{index}-number")
    ]
