"""The case status workflow as data: statuses, allowed transitions, approvals, closure reasons.

``TRANSITIONS`` is the only place that says which move is allowed; ``services.case_transition``
enforces it. ``APPROVAL_GATES`` names the moves a supervisor must approve first (the case plan
leaving ``case_plan`` for ``implementation``, and closure). Whether a gate is on comes from the
``KARIYA_CASE_APPROVALS`` setting (default: both on), read by :func:`approval_required`: the
approval rule is a network-wide quality standard, not a per-organisation preference, and a
setting keeps it out of reach of a single organisation's admin. A per-organisation override
would be added inside ``approval_required`` only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    ASSESSMENT = "assessment", _("Assessment")
    CASE_PLAN = "case_plan", _("Case plan")
    IMPLEMENTATION = "implementation", _("Implementation")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Case plan goals met")
    REFERRED = "referred", _("Referred to another organisation for case management")
    MOVED_ON = "moved_on", _("Person moved on or returned home")
    LOST_CONTACT = "lost_contact", _("Lost to follow-up")
    DECLINED = "declined", _("Person no longer wants services")
    DECEASED = "deceased", _("Person deceased")
    OTHER = "other", _("Other")


class ApprovalKind(models.TextChoices):
    CASE_PLAN = "case_plan", _("Case plan")
    CLOSURE = "closure", _("Closure")


S = Status

# from status -> statuses it may move to. Closing is possible from any active status (a
# person may leave at any point); reopening goes back to assessment.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.OPEN: frozenset({S.ASSESSMENT, S.CLOSED}),
    S.ASSESSMENT: frozenset({S.CASE_PLAN, S.CLOSED}),
    S.CASE_PLAN: frozenset({S.IMPLEMENTATION, S.ASSESSMENT, S.CLOSED}),
    S.IMPLEMENTATION: frozenset({S.FOLLOW_UP, S.CASE_PLAN, S.CLOSED}),
    S.FOLLOW_UP: frozenset({S.IMPLEMENTATION, S.CLOSED}),
    S.CLOSED: frozenset({S.ASSESSMENT}),
}

# (from, to) moves that need an approved request; "*" stands for any status.
APPROVAL_GATES: dict[str, tuple[str, str]] = {
    ApprovalKind.CASE_PLAN: (S.CASE_PLAN, S.IMPLEMENTATION),
    ApprovalKind.CLOSURE: ("*", S.CLOSED),
}

ACTIVE = frozenset(s for s in Status.values if s != S.CLOSED)


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def is_reopen(from_status: str, to_status: str) -> bool:
    return from_status == S.CLOSED and to_status != S.CLOSED


def gate_for(from_status: str, to_status: str) -> str | None:
    """The approval kind a move needs, if any (regardless of the setting)."""
    for kind, (gate_from, gate_to) in APPROVAL_GATES.items():
        if gate_to == to_status and gate_from in ("*", from_status):
            return kind
    return None


def approval_required(kind: str) -> bool:
    configured = getattr(settings, "KARIYA_CASE_APPROVALS", None)
    required = set(ApprovalKind.values) if configured is None else set(configured)
    return kind in required
