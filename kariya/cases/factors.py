"""The IOM determinants of migrant vulnerability: the factors an assessment records.

The catalogue is data in this module rather than a code list because it is a methodological
framework (IOM Handbook on Protection and Assistance for Migrants Vulnerable to Violence,
Exploitation and Abuse, 2019), not an administrative list: each factor belongs to exactly one
level and is either a risk or a protective factor, the priority rule (``priority.py``) counts
them by level and kind, and an administrator renaming or moving one in the admin would silently
change every past assessment's meaning. Labels are translated with the app's catalogue. Adding
a factor is a one-line change here; removing one would orphan stored rows, so retire it by
moving it to ``RETIRED`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    HOUSEHOLD = "household", _("Household and family")
    COMMUNITY = "community", _("Community")
    STRUCTURAL = "structural", _("Structural")


class Kind(models.TextChoices):
    RISK = "risk", _("Risk factor")
    PROTECTIVE = "protective", _("Protective factor")


@dataclass(frozen=True)
class Factor:
    code: str
    level: str
    kind: str
    label: Promise


_I, _H, _C, _S = Level.INDIVIDUAL, Level.HOUSEHOLD, Level.COMMUNITY, Level.STRUCTURAL
_R, _P = Kind.RISK, Kind.PROTECTIVE

FACTORS: dict[str, Factor] = {
    f.code: f
    for f in [
        # Individual
        Factor("no_documents", _I, _R, _("No identity or travel documents")),
        Factor("serious_health", _I, _R, _("Serious physical or mental health condition")),
        Factor("distress", _I, _R, _("Psychological distress")),
        Factor("no_resources", _I, _R, _("No money or means of subsistence")),
        Factor("no_information", _I, _R, _("Does not know their rights or where to seek help")),
        Factor("past_abuse", _I, _R, _("Past violence, exploitation or abuse")),
        Factor("debt", _I, _R, _("Debt to a smuggler, recruiter or employer")),
        Factor("good_health", _I, _P, _("Good physical and mental health")),
        Factor("skills", _I, _P, _("Education, skills or work experience")),
        Factor("own_resources", _I, _P, _("Own financial resources")),
        Factor("knows_rights", _I, _P, _("Knows their rights and where to seek help")),
        # Household and family
        Factor("family_separation", _H, _R, _("Separated from family")),
        Factor("family_violence", _H, _R, _("Violence or neglect in the family")),
        Factor("dependants", _H, _R, _("Responsible for dependants")),
        Factor("family_pressure", _H, _R, _("Family pressure to migrate or send money")),
        Factor("family_support", _H, _P, _("Supportive family")),
        Factor("family_contact", _H, _P, _("Regular contact with family")),
        # Community
        Factor("discrimination", _C, _R, _("Discrimination or xenophobia")),
        Factor("isolation", _C, _R, _("No social network")),
        Factor("unsafe_lodging", _C, _R, _("Unsafe lodging (controlled by smugglers)")),
        Factor("community_violence", _C, _R, _("Violence or crime in the community")),
        Factor("community_network", _C, _P, _("Community or diaspora support network")),
        Factor("community_services", _C, _P, _("Access to community-based services")),
        # Structural
        Factor("no_regular_pathway", _S, _R, _("No access to regular migration or legal stay")),
        Factor("expulsion_risk", _S, _R, _("Risk of arrest, detention or expulsion")),
        Factor("insecurity", _S, _R, _("Armed conflict or insecurity on the route")),
        Factor("no_public_services", _S, _R, _("No access to public services")),
        Factor("environmental_hazard", _S, _R, _("Environmental hazards (desert crossing)")),
        Factor("legal_protection", _S, _P, _("Access to justice and legal protection")),
        Factor("services_nearby", _S, _P, _("Functioning services nearby")),
    ]
}

# Codes no longer offered for new assessments but still readable on old ones.
RETIRED: dict[str, Factor] = {}


def factor(code: str) -> Factor | None:
    return FACTORS.get(code) or RETIRED.get(code)


def choices() -> list[tuple[str, Promise]]:
    return [(f.code, f.label) for f in FACTORS.values()]
