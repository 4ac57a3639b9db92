"""``{% case_referrals case %}``: the referrals sent from a case, on the case page."""

from __future__ import annotations

from typing import Any

from django import template

from kariya.referrals import selectors

register = template.Library()


@register.inclusion_tag("referrals/_case_referrals.html", takes_context=True)
def case_referrals(context: Any, case: Any) -> dict[str, Any]:
    """The case's referrals for the referring side (``referrals.access.of_case``: nothing
    for a role that does not send referrals)."""
    user = context["request"].user
    return {"rows": selectors.case_referrals(user, case), "case": case}
