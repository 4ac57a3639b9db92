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
    if not access.can(actor, access.VIEW) or person.organisation_id != actor.organisation_id:
        return {"visible": False}
    work = selectors.person_casework(actor, person)
    return {
        "visible": True,
        "person": person,
        "work": work,
        "can_manage": access.can(actor, access.MANAGE),
        "request": request,
    }
