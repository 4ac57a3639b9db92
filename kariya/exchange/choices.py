"""The fixed value sets the import accepts, taken from the models' choices (not copied)."""

from __future__ import annotations

from django.db import models

from kariya.cases.models import ScreeningOutcome
from kariya.cases.priority import Priority
from kariya.people.models import (
    ConsentGiver,
    ConsentMethod,
    DocumentStatus,
    LegalBasis,
    MigrationStatus,
    Sex,
)

CHOICE_SETS: dict[str, type[models.TextChoices]] = {
    "sex": Sex,
    "document_status": DocumentStatus,
    "migration_status": MigrationStatus,
    "consent_given_by": ConsentGiver,
    "consent_method": ConsentMethod,
    "legal_basis": LegalBasis,
    "rating": Priority,
    "screening_outcome": ScreeningOutcome,
}


def choices_of(name: str) -> list[tuple[str, str]]:
    """(code, label) pairs, without the empty "none" entry some sets carry."""
    return [(value, str(label)) for value, label in CHOICE_SETS[name].choices if value]


# What field teams write on paper besides the codes and labels.
SYNONYMS: dict[str, dict[str, str]] = {
    "sex": {
        "f": "female",
        "femme": "female",
        "woman": "female",
        "h": "male",
        "m": "male",
        "homme": "male",
        "man": "male",
        "inconnu": "unknown",
    },
}
