"""The role → permission matrix: data, in one place.

Views and API endpoints declare the permission they need; a user holds roles in their
organisation; a role grants the permissions listed here and nothing else. ``docs/permissions.md``
is generated from this module (``kariya permissions-doc``) and a test fails when it is stale.
Later domains add their permissions here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    GBV_FOCAL_POINT = "gbv_focal_point", _("GBV focal point")
    SERVICE_FOCAL_POINT = "service_focal_point", _("Service focal point")
    MONITOR = "monitor", _("Monitor")
    OUTREACH_OFFICER = "outreach_officer", _("Outreach officer")
    ME_OFFICER = "me_officer", _("M&E officer")
    NETWORK_COORDINATOR = "network_coordinator", _("Network coordinator")
    ORG_ADMIN = "org_admin", _("Organisation admin")
    DPO = "dpo", _("Data protection officer")


@dataclass(frozen=True)
class Permission:
    code: str
    label: Promise


# Every permission that exists. A view naming a permission not listed here fails the URL-walk
# test, so a typo cannot silently lock everyone out (or in).
PERMISSIONS: dict[str, Permission] = {
    p.code: p
    for p in [
        Permission("home.view", _("See one's home page and own organisation")),
        Permission("accounts.view_organisations", _("See the network's member organisations")),
        Permission(
            "accounts.manage_users", _("Create, edit and deactivate own organisation's users")
        ),
        Permission(
            "accounts.manage_organisations",
            _("Create and edit member organisations and their offices"),
        ),
        Permission("geo.view", _("See administrative units, countries and sites")),
        Permission("geo.manage_sites", _("Add and edit migration sites")),
        Permission("audit.view", _("Read and export the audit log of own organisation")),
        Permission(
            "people.view",
            _("See the people registered by own organisation (case code, sex, age, profile)"),
        ),
        Permission(
            "people.view_identity",
            _(
                "See and search people's identities (names, phones, documents); every read is "
                "audited"
            ),
        ),
        Permission(
            "people.register",
            _("Register people and keep their identity, consents and household links current"),
        ),
        Permission("cases.view", _("See the cases assigned to oneself")),
        Permission("cases.view_all", _("See every case of own organisation")),
        Permission(
            "cases.manage",
            _("Screen and assess people, open cases and work on the cases one sees"),
        ),
        Permission(
            "cases.approve",
            _("Approve or reject case plans and closures, reassign cases (not one's own)"),
        ),
        Permission(
            "cases.view_gbv",
            _("Read and write the GBV sections of own organisation's cases; every read is audited"),
        ),
        Permission(
            "exchange.import",
            _("Import people, screenings and cases from XLSX or CSV files (all or nothing)"),
        ),
        Permission(
            "exchange.export_cases",
            _(
                "Export own organisation's case lists (CSV, XLSX); names only with "
                "people.view_identity; every export is audited"
            ),
        ),
        Permission(
            "directory.view",
            _(
                "See the service directory: own organisation's entries and the published "
                "entries of the network"
            ),
        ),
        Permission(
            "directory.edit",
            _(
                "Write own organisation's directory entries as drafts, submit them, verify "
                "them and set their availability"
            ),
        ),
        Permission(
            "directory.moderate",
            _(
                "Approve or reject directory entries submitted by any organisation (not one's "
                "own submissions), archive any entry, add public services"
            ),
        ),
        Permission(
            "information.edit",
            _("Write and publish the rights-information pages of the public site"),
        ),
        Permission(
            "referrals.send",
            _(
                "Find referral pathways and refer the people of the cases one sees to directory "
                "services; follow the referrals sent"
            ),
        ),
        Permission(
            "referrals.receive",
            _(
                "Receive referrals addressed to own organisation's services: see only the "
                "fields each shares while it is open, accept, decline, report the outcome"
            ),
        ),
        Permission(
            "referrals.override_consent",
            _(
                "Send a referral without the person's consent for that recipient, with a "
                "reason (audited)"
            ),
        ),
        Permission(
            "referrals.transfer",
            _(
                "Transfer a case to another organisation (with the person's consent naming it); "
                "the whole case file moves when the receiving organisation accepts"
            ),
        ),
        Permission(
            "dedup.review",
            _(
                "Search own organisation's registry for possible duplicates (a background task), "
                "review them side by side, decide match or not a match, merge two records of "
                "one person and undo a merge (audited)"
            ),
        ),
    ]
}

_ALL_STAFF = ("home.view", "accounts.view_organisations", "geo.view", "directory.view")

_PEOPLE_CASEWORK = ("people.view", "people.view_identity", "people.register")

_CASEWORK = ("cases.view", "cases.manage", "referrals.send")

MATRIX: dict[str, frozenset[str]] = {
    Role.CASEWORKER: frozenset((*_ALL_STAFF, *_PEOPLE_CASEWORK, *_CASEWORK)),
    Role.SUPERVISOR: frozenset(
        (
            *_ALL_STAFF,
            *_PEOPLE_CASEWORK,
            *_CASEWORK,
            "cases.view_all",
            "cases.approve",
            "cases.view_gbv",
            "referrals.override_consent",
            "referrals.transfer",
            "exchange.import",
            "exchange.export_cases",
            "dedup.review",
        )
    ),
    Role.GBV_FOCAL_POINT: frozenset((*_ALL_STAFF, "people.view", "cases.view_gbv")),
    Role.SERVICE_FOCAL_POINT: frozenset((*_ALL_STAFF, "directory.edit", "referrals.receive")),
    Role.MONITOR: frozenset((*_ALL_STAFF, "geo.manage_sites")),
    Role.OUTREACH_OFFICER: frozenset(_ALL_STAFF),
    Role.ME_OFFICER: frozenset(_ALL_STAFF),
    Role.NETWORK_COORDINATOR: frozenset(
        (
            *_ALL_STAFF,
            "accounts.manage_organisations",
            "geo.manage_sites",
            "directory.edit",
            "directory.moderate",
            "information.edit",
        )
    ),
    Role.ORG_ADMIN: frozenset((*_ALL_STAFF, "accounts.manage_users")),
    Role.DPO: frozenset((*_ALL_STAFF, "audit.view")),
}

# What each role sees, in words (from DESIGN.md); printed in docs/permissions.md.
SEES: dict[str, Promise] = {
    Role.CASEWORKER: _("Own organisation's cases assigned to them or shared with their team"),
    Role.SUPERVISOR: _("All cases of their organisation"),
    Role.GBV_FOCAL_POINT: _("GBV sections, only for their organisation"),
    Role.SERVICE_FOCAL_POINT: _("Only what each referral to their organisation shares"),
    Role.MONITOR: _("Incidents of their organisation; no case data"),
    Role.OUTREACH_OFFICER: _("Activities and aggregate counts"),
    Role.ME_OFFICER: _("Aggregates only"),
    Role.NETWORK_COORDINATOR: _("Network aggregates after disclosure control; never identities"),
    Role.ORG_ADMIN: _("Users and settings of their organisation; no case data"),
    Role.DPO: _("Audit data of their organisation"),
}


def permissions_for(roles: Iterable[str]) -> frozenset[str]:
    granted: set[str] = set()
    for role in roles:
        granted |= MATRIX.get(role, frozenset())
    return frozenset(granted)


def render_markdown() -> str:
    """The text of docs/permissions.md (English, as the docs are)."""
    from django.utils import translation

    with translation.override("en"):
        roles = list(Role)
        lines = [
            "# Permissions",
            "",
            "Generated from `kariya/accounts/roles.py` by `uv run kariya permissions-doc`;",
            "a test fails when this file and the matrix disagree. Do not edit by hand.",
            "",
            "## Access rules",
            "",
            "- A user belongs to one organisation and holds one or more roles in it.",
            "- Every page and API endpoint declares the permission it needs, or that it is",
            "  public; a test walks every URL and fails on one that declares nothing.",
            "- Personal records carry their owning organisation; they are reached only through",
            "  each app's `access.py`/`selectors.py`, scoped to the user's organisation.",
            "- 'Not found' and 'not allowed' both answer 404, so existence does not leak.",
            "  Anonymous visitors to a staff page are sent to the log-in page.",
            "- Superusers (platform operators) get the configuration admin only: no role,",
            "  no personal data.",
            "",
            "## Roles",
            "",
            "| role | code | sees |",
            "|---|---|---|",
        ]
        lines += [f"| {r.label} | `{r.value}` | {SEES[r]} |" for r in roles]
        lines += ["", "## Matrix", ""]
        header = "| permission | " + " | ".join(f"`{r.value}`" for r in roles) + " |"
        lines += [header, "|---|" + "---|" * len(roles)]
        for perm in PERMISSIONS.values():
            cells = " | ".join("✓" if perm.code in MATRIX[r] else "" for r in roles)
            lines.append(f"| `{perm.code}` — {perm.label} | {cells} |")
        lines.append("")
        return "\n".join(lines)
