"""Home page panels: real figures of what exists, chosen by the user's roles."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kariya.accounts import selectors as accounts
from kariya.accounts.models import NetworkStatus, OrganisationType
from kariya.accounts.roles import Role
from kariya.core.gate import has_permission
from kariya.core.http import AuthedRequest
from kariya.core.models import AuditAction
from kariya.core.selectors import audit_summary
from kariya.geo.models import Site, SiteKind


@dataclass
class Figure:
    label: str | Promise
    value: int | str
    url: str = ""


@dataclass
class Panel:
    title: str | Promise
    figures: list[Figure] = field(default_factory=list)
    link: str = ""
    link_label: str | Promise = ""
    empty: str | Promise = ""


def _organisation_panel(request: AuthedRequest) -> Panel:
    org = request.org
    offices = accounts.office_list(organisation=org).filter(is_active=True)
    colleagues = accounts.active_user_count(organisation=org)
    panel = Panel(title=org.name)
    panel.figures.append(Figure(_("Active offices"), offices.count()))
    panel.figures.append(Figure(_("Active colleagues"), colleagues))
    roles = sorted(str(Role(code).label) for code in request.roles)
    panel.figures.append(Figure(_("Your roles"), ", ".join(roles)))
    return panel


def _users_panel(request: AuthedRequest) -> Panel:
    counts = accounts.role_counts(organisation=request.org)
    url = reverse("accounts:user_list")
    panel = Panel(title=_("Users by role"), link=url, link_label=_("Manage users"))
    panel.figures = [
        Figure(Role(code).label, n, f"{url}?role={code}") for code, n in counts.items() if n
    ]
    inactive = request.org.users.filter(is_active=False).count()
    panel.figures.append(Figure(_("Deactivated accounts"), inactive, f"{url}?active=0"))
    return panel


def _network_panel() -> Panel:
    summary = accounts.network_summary()
    url = reverse("accounts:organisation_list")
    panel = Panel(title=_("The network"), link=url, link_label=_("Organisations"))
    panel.figures.append(Figure(_("Active organisations"), summary["organisations"]))
    for status, n in summary["by_status"].items():
        panel.figures.append(
            Figure(NetworkStatus(status).label, n, f"{url}?network_status={status}")
        )
    for otype, n in sorted(summary["by_type"].items()):
        panel.figures.append(Figure(OrganisationType(otype).label, n))
    for region, n in summary["offices_by_region"].items():
        panel.figures.append(Figure(_("Offices in %(region)s") % {"region": region}, n))
    panel.figures.append(Figure(_("Active staff accounts"), summary["users"]))
    return panel


def _sites_panel() -> Panel:
    rows = Site.objects.filter(is_active=True).values_list("kind").annotate(n=Count("id"))
    url = reverse("geo:site_list")
    panel = Panel(
        title=_("Migration sites"),
        link=url,
        link_label=_("All sites"),
        empty=_("No site recorded yet."),
    )
    panel.figures = [
        Figure(SiteKind(kind).label, n, f"{url}?kind={kind}") for kind, n in rows.order_by("kind")
    ]
    return panel


def _audit_panel(request: AuthedRequest) -> Panel:
    summary = audit_summary(actor=request.user)
    url = reverse("core:audit_list")
    panel = Panel(
        title=_("Audit log, last 7 days"),
        link=url,
        link_label=_("Audit log"),
        empty=_("No event in the last 7 days."),
    )
    panel.figures = [
        Figure(AuditAction(action).label, n, f"{url}?action={action}")
        for action, n in sorted(summary.items())
    ]
    return panel


def _casework_panel(request: AuthedRequest) -> Panel:
    from kariya.cases.selectors import caseload_for
    from kariya.cases.workflow import Status

    load = caseload_for(request.user)
    cases = reverse("cases:case_list")
    everyone = has_permission(request, "cases.view_all")
    panel = Panel(
        title=_("Cases of your organisation") if everyone else _("Your cases"),
        link=cases,
        link_label=_("All cases"),
    )
    panel.figures = [
        Figure(Status(status).label, n, f"{cases}?status={status}")
        for status, n in load.active_by_status.items()
    ]
    if not panel.figures:
        panel.figures.append(Figure(_("Active cases"), 0))
    panel.figures.append(
        Figure(_("High priority, active"), load.high_priority, f"{cases}?priority=high")
    )
    if has_permission(request, "cases.manage"):
        tasks = reverse("cases:task_list")
        panel.figures.append(Figure(_("Your overdue tasks"), load.overdue_tasks, tasks))
        panel.figures.append(Figure(_("Your tasks due within 7 days"), load.due_tasks, tasks))
    if has_permission(request, "cases.approve"):
        approvals = reverse("cases:approval_list")
        panel.figures.append(
            Figure(_("Approvals waiting for you"), load.pending_approvals, approvals)
        )
    return panel


def _people_panel(request: AuthedRequest) -> Panel:
    from kariya.people.selectors import registration_counts

    counts = registration_counts(actor=request.user)
    people = reverse("people:person_list")
    panel = Panel(title=_("People registered"), link=people, link_label=_("Search people"))
    if has_permission(request, "people.register"):
        panel.link, panel.link_label = reverse("people:person_register"), _("Register a person")
    panel.figures.append(Figure(_("By your organisation"), counts.total, people))
    panel.figures.append(Figure(_("In the last 30 days"), counts.last_30_days))
    return panel


def _directory_panel(request: AuthedRequest) -> Panel:
    from kariya.directory import selectors as directory
    from kariya.directory.models import Status as EntryStatus

    entries = reverse("directory:service_list")
    panel = Panel(title=_("Service directory"), link=entries, link_label=_("Service directory"))
    if has_permission(request, "directory.edit"):
        panel.link, panel.link_label = reverse("directory:service_create"), _("Add a service")
        own = directory.services_for_staff(request.user, own_only=True)
        stale = directory.stale_services(request.user).count()
        panel.figures.append(Figure(_("Entries to verify"), stale, reverse("directory:stale_list")))
        for status, label in (
            (EntryStatus.DRAFT, _("Drafts")),
            (EntryStatus.SUBMITTED, _("Waiting for approval")),
        ):
            panel.figures.append(
                Figure(
                    label,
                    own.filter(status=status).count(),
                    f"{entries}?status={status}&own=on",
                )
            )
    if has_permission(request, "directory.moderate"):
        queue = directory.moderation_queue(request.user).count()
        panel.figures.append(
            Figure(_("Entries to moderate"), queue, reverse("directory:moderation_list"))
        )
    return panel


def _referrals_panel(request: AuthedRequest) -> Panel:
    from kariya.referrals.notifications import unread_count
    from kariya.referrals.selectors import inbox_counts

    counts = inbox_counts(request.user)
    panel = Panel(title=_("Referrals"))
    if has_permission(request, "referrals.receive"):
        incoming = reverse("referrals:inbox_incoming")
        panel.link, panel.link_label = incoming, _("Referrals received")
        panel.figures.append(Figure(_("Received, open"), counts.incoming_open, incoming))
        panel.figures.append(
            Figure(_("Received, waiting for your answer"), counts.incoming_waiting, incoming)
        )
        panel.figures.append(
            Figure(_("Received, overdue"), counts.incoming_overdue, f"{incoming}?overdue=1")
        )
    if has_permission(request, "referrals.send"):
        outgoing = reverse("referrals:inbox_outgoing")
        if not panel.link:
            panel.link, panel.link_label = outgoing, _("Referrals sent")
        panel.figures.append(Figure(_("Sent, open"), counts.outgoing_open, outgoing))
        panel.figures.append(Figure(_("Sent, overdue"), counts.outgoing_overdue, outgoing))
    panel.figures.append(
        Figure(
            _("Unread notifications"),
            unread_count(request.user),
            reverse("referrals:notification_list"),
        )
    )
    return panel


def panels_for(request: AuthedRequest) -> list[Panel]:
    panels = [_organisation_panel(request)]
    if has_permission(request, "cases.view"):
        panels.append(_casework_panel(request))
    if has_permission(request, "people.view"):
        panels.append(_people_panel(request))
    if has_permission(request, "referrals.send") or has_permission(request, "referrals.receive"):
        panels.append(_referrals_panel(request))
    if has_permission(request, "accounts.manage_users"):
        panels.append(_users_panel(request))
    if has_permission(request, "audit.view"):
        panels.append(_audit_panel(request))
    if has_permission(request, "accounts.manage_organisations") or has_permission(
        request, "accounts.view_organisations"
    ):
        panels.append(_network_panel())
    if has_permission(request, "geo.view"):
        panels.append(_sites_panel())
    if has_permission(request, "directory.edit") or has_permission(request, "directory.moderate"):
        panels.append(_directory_panel(request))
    return panels
