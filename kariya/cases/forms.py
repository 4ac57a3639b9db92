"""Forms of the case pages: they check shape only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kariya.accounts.models import Office, Organisation, User
from kariya.cases import factors
from kariya.cases.models import (
    CasePlanGoal,
    DeliveryOutcome,
    FollowUpVisit,
    GBVType,
    ScreeningOutcome,
    Unit,
    VisitMethod,
)
from kariya.cases.priority import Priority
from kariya.cases.workflow import ApprovalKind, ClosureReason, Status
from kariya.codelists.models import Code
from kariya.core import memo
from kariya.core.choices import ReadyChoices
from kariya.core.widgets import quick_selects
from kariya.geo.models import AdminUnit


class Form(forms.Form):
    """The app's base form: plain selects render through :class:`kariya.core.widgets.QuickSelect`.

    ``id_prefix`` names the ids of a form that shares its page with others (the case page
    holds about ten): without it two forms' fields of the same name get the same id, and a label
    such as "Service type" would point at another form's field.
    """

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)
        quick_selects(self)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHECKS = forms.CheckboxSelectMultiple


def _date(label: Any, *, required: bool = True, today: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE,
        initial=timezone.localdate if today else None,
    )


def _codes(list_name: str) -> Any:
    return Code.objects.of(list_name).active().order_by("order", "code")


def _label(code: Code) -> str:
    return f"{code.code} — {code.label}" if code.list == "specific_need" else code.label


class CodeChoices(forms.ModelMultipleChoiceField):
    """Codes as checkboxes, grouped under their parent category (UNHCR specific needs and their
    sub-codes) or under their list when several lists are offered."""

    widget = CHECKS

    def __init__(self, lists: list[str], **kwargs: Any) -> None:
        queryset = (
            Code.objects.filter(list__in=lists, is_active=True)
            .select_related("parent")
            .order_by("list", "order", "code")
        )
        super().__init__(queryset=queryset, required=False, **kwargs)
        self.lists = lists

    def label_from_instance(self, obj: Code) -> str:
        return _label(obj)

    def _set_grouped_choices(self) -> None:
        codes = list(self.queryset or [])
        groups: dict[str, list[tuple[str, str]]] = {}
        for code in codes:
            if code.list == "specific_need":
                head = code.parent or code
                group = f"{head.code} — {head.label}"
            else:
                group = str(dict(_LIST_LABELS).get(code.list, code.list))
            groups.setdefault(group, []).append((str(code.pk), _label(code)))
        self.widget.choices = list(groups.items())

    @staticmethod
    def groups(bound: Any) -> list[tuple[str, list[Any], bool]]:
        """(group label, its checkboxes, whether one is ticked) for the template, which shows
        each group folded unless something in it is ticked (short pages on a phone)."""
        widgets = list(bound.subwidgets)
        grouped, start = [], 0
        for label, choices in bound.field.widget.choices:
            chunk = widgets[start : start + len(choices)]
            start += len(choices)
            grouped.append((label, chunk, any(w.data["selected"] for w in chunk)))
        return grouped

    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> Any:
        self._set_grouped_choices()
        return super().get_bound_field(form, field_name)


_LIST_LABELS = [
    ("specific_need", _("Specific needs (UNHCR)")),
    ("migration_need", _("Migration-specific needs")),
    ("service_type", _("Services")),
]


# --- case list ------------------------------------------------------------------------------

SORT_CHOICES = [
    ("-opened", _("Newest first")),
    ("opened", _("Oldest first")),
    ("priority", _("Priority (high first)")),
    ("status", _("Status (workflow order)")),
]


def _needs() -> list[tuple[str, str]]:
    """The specific needs' choices: the label ``Code.label`` gives, in the active language."""
    column = {"en": 1, "ha": 2, "ar": 3}.get((translation.get_language() or "fr")[:2], 0)
    rows = _codes("specific_need").values_list(
        "label_fr", "label_en", "label_ha", "label_ar", "code"
    )
    return [(row[4], f"{row[4]} — {row[column] or row[0]}") for row in rows]


def _communes() -> list[tuple[str, str]]:
    return list(
        AdminUnit.objects.communes().active().order_by("name_fr").values_list("pcode", "name_fr")
    )


class CaseSearchForm(Form):
    case_code = forms.CharField(label=_("Case code"), required=False, max_length=12)
    name = forms.CharField(label=_("Name"), required=False, max_length=100)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    document = forms.CharField(label=_("Document number"), required=False, max_length=40)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ReadyChoices([("", _("All")), *Status.choices])
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        required=False,
        choices=ReadyChoices([("", _("All")), *Priority.choices]),
    )
    # Plain choices from values (not model choice fields): building a model instance per
    # caseworker and per code on every list page showed in its server time. The chosen one is
    # fetched in clean_caseworker / clean_specific_need.
    caseworker = forms.ChoiceField(label=_("Caseworker"), required=False, choices=[])
    # A plain choice of P-codes (266 communes): building 266 model instances on every page
    # showed in the list's server time; the chosen one is fetched in clean_commune.
    commune = forms.ChoiceField(label=_("Current commune"), required=False, choices=[])
    specific_need = forms.ChoiceField(label=_("Specific need"), required=False, choices=[])
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=ReadyChoices(SORT_CHOICES))

    def __init__(
        self,
        *args: Any,
        identity: bool,
        caseworkers: Any = None,
        organisation_id: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not identity:
            for name in ("name", "phone", "document"):
                del self.fields[name]
        self.caseworkers = caseworkers
        language = (translation.get_language() or "fr")[:2]
        if caseworkers is None:
            del self.fields["caseworker"]
        else:
            worker: Any = self.fields["caseworker"]

            # Kept a minute per organisation and language (core.memo), forgotten when a user
            # or a role is saved; the chosen one is read from the database (clean_caseworker).
            def choices() -> ReadyChoices:
                return ReadyChoices(
                    [
                        ("", _("All")),
                        *(
                            (str(public_id), f"{first} {last}".strip() or username)
                            for public_id, first, last, username in caseworkers.values_list(
                                "public_id", "first_name", "last_name", "username"
                            )
                        ),
                    ]
                )

            worker.choices = (
                memo.reference(("caseworker_choices", organisation_id, language), choices)
                if organisation_id is not None
                else choices()
            )
        need: Any = self.fields["specific_need"]
        need.choices = memo.reference(
            ("specific_need_choices", language),
            lambda: ReadyChoices([("", _("All")), *_needs()]),
        )
        commune: Any = self.fields["commune"]
        commune.choices = memo.reference(
            ("commune_choices",), lambda: ReadyChoices([("", _("All")), *_communes()])
        )

    def clean_caseworker(self) -> User | None:
        public_id = self.cleaned_data.get("caseworker")
        if not public_id or self.caseworkers is None:
            return None
        found: User | None = self.caseworkers.filter(public_id=public_id).first()
        return found

    def clean_specific_need(self) -> Code | None:
        code = self.cleaned_data.get("specific_need")
        if not code:
            return None
        found: Code | None = _codes("specific_need").filter(code=code).first()
        return found

    def clean_commune(self) -> AdminUnit | None:
        pcode = self.cleaned_data.get("commune")
        if not pcode:
            return None
        unit: AdminUnit | None = AdminUnit.objects.communes().filter(pcode=pcode).first()
        return unit

    PRIMARY = ("case_code", "name", "status", "priority")

    def primary_fields(self) -> list[Any]:
        return [self[name] for name in self.PRIMARY if name in self.fields]

    def more_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name not in self.PRIMARY]

    def more_used(self) -> bool:
        """Whether a secondary filter is set (its fold then opens)."""
        return any(
            self.data.get(name) for name in self.fields if name not in (*self.PRIMARY, "sort")
        )


# --- screening, opening a case, assessment --------------------------------------------------


class ScreeningForm(Form):
    screened_on = _date(_("Date of screening"), today=True)
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    immediate_needs = CodeChoices(["service_type"], label=_("Immediate needs"))
    protection_flags = CodeChoices(["specific_need", "migration_need"], label=_("Protection flags"))
    immediate_danger = forms.BooleanField(label=_("In immediate danger"), required=False)
    intervention_rating = forms.ChoiceField(
        label=_("Intervention rating"), choices=Priority.choices, widget=forms.RadioSelect
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ScreeningOutcome.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, organisation: Organisation, office: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["office"]
        field.queryset = Office.objects.filter(organisation=organisation, is_active=True)
        if office is not None:
            field.initial = office


class CaseOpenForm(Form):
    caseworker = forms.ModelChoiceField(
        label=_("Caseworker"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("Myself"),
        help_text=_("Leave empty to take the case yourself."),
    )

    def __init__(
        self, *args: Any, caseworkers: Any = None, can_take: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if caseworkers is None:
            del self.fields["caseworker"]
        else:
            field: Any = self.fields["caseworker"]
            field.queryset = caseworkers
            field.label_from_instance = lambda u: u.get_full_name() or u.username
            if not can_take:
                # A supervisor who is not a caseworker must choose one.
                field.required = True
                field.empty_label = "—"
                field.help_text = ""


def factor_field_name(level: str, kind: str) -> str:
    return f"factors_{level}_{kind}"


class AssessmentForm(Form):
    assessed_on = _date(_("Date of assessment"), today=True)
    immediate_danger = forms.BooleanField(label=_("In immediate danger"), required=False)
    specific_needs = CodeChoices(["specific_need"], label=_("Specific needs (UNHCR)"))
    migration_needs = CodeChoices(["migration_need"], label=_("Migration-specific needs"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for level in factors.Level.values:
            for kind, kind_label in factors.Kind.choices:
                choices = [
                    (f.code, f.label)
                    for f in factors.FACTORS.values()
                    if f.level == level and f.kind == kind
                ]
                if choices:
                    self.fields[factor_field_name(level, kind)] = forms.MultipleChoiceField(
                        label=kind_label, choices=choices, required=False, widget=CHECKS
                    )

    def factor_groups(self) -> list[tuple[str, list[Any]]]:
        """(level label, its bound fields) for the template's fieldsets."""
        groups = []
        for level, level_label in factors.Level.choices:
            bound = [
                self[factor_field_name(level, kind)]
                for kind in factors.Kind.values
                if factor_field_name(level, kind) in self.fields
            ]
            groups.append((str(level_label), bound))
        return groups

    def factor_codes(self) -> list[str]:
        codes: list[str] = []
        for name, value in self.cleaned_data.items():
            if name.startswith("factors_"):
                codes.extend(value)
        return codes


# --- case page ------------------------------------------------------------------------------


class TransitionForm(Form):
    to_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    closure_reason = forms.ChoiceField(
        label=_("Reason for closing"),
        required=False,
        choices=[("", "—"), *ClosureReason.choices],
    )
    reason = forms.CharField(
        label=_("Reason for reopening"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignForm(Form):
    id_prefix = "assign"

    caseworker = forms.ModelChoiceField(
        label=_("Caseworker"), queryset=User.objects.none(), to_field_name="public_id"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, caseworkers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["caseworker"]
        field.queryset = caseworkers
        field.label_from_instance = lambda u: u.get_full_name() or u.username


class ApprovalRequestForm(Form):
    kind = forms.ChoiceField(label=_("Approval of"), choices=ApprovalKind.choices)
    closure_reason = forms.ChoiceField(
        label=_("Reason for closing"),
        required=False,
        choices=[("", "—"), *ClosureReason.choices],
        help_text=_("For a closure only."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(Form):
    id_prefix = "decision"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to reject."),
    )


class GoalForm(Form):
    id_prefix = "goal"

    description = forms.CharField(
        label=_("Goal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionForm(Form):
    id_prefix = "action"

    goal = forms.ModelChoiceField(
        label=_("Goal"), queryset=CasePlanGoal.objects.none(), to_field_name="public_id"
    )
    description = forms.CharField(
        label=_("Action"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = _date(_("Due date"))
    service_type = forms.ModelChoiceField(
        label=_("Service type"), queryset=_codes("service_type"), required=False
    )

    def __init__(self, *args: Any, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["goal"]
        field.queryset = goals
        field.label_from_instance = lambda g: g.description[:80]
        service: Any = self.fields["service_type"]
        service.label_from_instance = _label


class DeliveryForm(Form):
    id_prefix = "delivery"

    service_type = forms.ModelChoiceField(label=_("Service type"), queryset=_codes("service_type"))
    provider = forms.ModelChoiceField(
        label=_("Provided by"),
        queryset=Organisation.objects.active().order_by("acronym"),
        to_field_name="public_id",
    )
    delivered_on = _date(_("Date"), today=True)
    quantity = forms.DecimalField(
        label=_("Quantity or amount"), required=False, max_digits=12, decimal_places=2
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False, choices=[("", "—"), *Unit.choices])
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DeliveryOutcome.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider: Any = self.fields["provider"]
        provider.initial = organisation.public_id
        provider.label_from_instance = lambda o: o.acronym
        service: Any = self.fields["service_type"]
        service.label_from_instance = _label


class FollowUpScheduleForm(Form):
    id_prefix = "visit-plan"

    due_on = _date(_("Planned for"))
    method = forms.ChoiceField(label=_("How"), choices=VisitMethod.choices)


class FollowUpRecordForm(Form):
    id_prefix = "visit"

    visit = forms.ModelChoiceField(
        label=_("Planned visit"),
        queryset=FollowUpVisit.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("An unplanned visit"),
    )
    visited_on = _date(_("Visited on"), today=True)
    method = forms.ChoiceField(label=_("How"), choices=VisitMethod.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_due_on = _date(_("Next visit planned for"), required=False)

    def __init__(self, *args: Any, planned: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["visit"]
        field.queryset = planned
        field.label_from_instance = lambda v: v.due_on.isoformat() if v.due_on else "—"


class NoteForm(Form):
    id_prefix = "note"

    body = forms.CharField(
        label=_("Note"), max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )


class GBVForm(Form):
    incident_type = forms.ChoiceField(label=_("Type of incident (GBVIMS)"), choices=GBVType.choices)
    incident_date = _date(_("Date of incident"), required=False)
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    services_offered = CodeChoices(["service_type"], label=_("Services offered"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class GBVFindForm(Form):
    case_code = forms.CharField(
        label=_("Case code"),
        max_length=12,
        help_text=_("The person's case code, e.g. AGZ-7K3Q: opens the GBV section of their case."),
    )
