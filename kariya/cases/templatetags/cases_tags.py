"""Template tags of the cases app.

``{% person_case_panel person %}`` shows, on a person's page, the screenings, assessments and
cases of that person the logged-in user may see (through ``selectors.person_casework``, which is
scoped by ``access``), with the "Screen" and "Assess" buttons for those who manage cases.
``{% person_url person %}`` links to the people app's person page when it exists.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from kariya.cases import access, selectors
from kariya.cases.forms import CodeChoices

register = template.Library()


@register.simple_tag
def person_url(person: Any) -> str:
    """The person's page in the people app, or "" while that page does not exist."""
    try:
        return reverse("people:person_detail", args=[person.public_id])
    except NoReverseMatch:
        return ""


@register.inclusion_tag("cases/_person_panel.html", takes_context=True)
def person_case_panel(context: template.Context, person: Any) -> dict[str, Any]:
    request = context["request"]
    actor = request.user
    if not access.can_see_casework_of(actor, person):
        return {"visible": False}
    work = selectors.person_casework(actor, person)
    return {
        "visible": True,
        "person": person,
        "work": work,
        "can_manage": access.can(actor, access.MANAGE),
        "request": request,
    }


@register.filter
def code_groups(bound: Any) -> list[tuple[str, list[Any], bool]]:
    """The checkboxes of a ``forms.CodeChoices`` field, grouped (see ``CodeChoices.groups``)."""
    return CodeChoices.groups(bound)


@register.filter
def is_code_choices(bound: Any) -> bool:
    return isinstance(getattr(bound, "field", None), CodeChoices)


@register.filter
def is_checkbox(bound: Any) -> bool:
    return getattr(bound.field.widget, "input_type", "") == "checkbox" and not getattr(
        bound.field.widget, "allow_multiple_selected", False
    )
