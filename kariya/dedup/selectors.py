"""Reads of duplicate detection, scoped to the actor's organisation (empty without
``dedup.review``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kariya.cases.models import Case, Screening, VulnerabilityAssessment
from kariya.core.access import actor_can as can
from kariya.dedup.access import REVIEW
from kariya.dedup.models import CandidateStatus, DedupRun, DuplicateCandidate, PersonMerge
from kariya.people.models import Consent, HouseholdLink, IdentityDocument, MigrationProfile, Person

QUEUE_FIELDS = (
    "public_id",
    "organisation_id",
    "score",
    "reasons",
    "status",
    "decided_at",
    "version",
    "created_at",
    "person_a__public_id",
    "person_a__case_code",
    "person_b__public_id",
    "person_b__case_code",
)


def review_queue(actor: Any) -> QuerySet[DuplicateCandidate]:
    """The organisation's pending pairs, highest score first; a pair with a record merged away
    since it was found is left out (it is no longer two live records)."""
    if not can(actor, REVIEW):
        return DuplicateCandidate.objects.none()  # type: ignore[no-any-return]
    return (  # type: ignore[no-any-return]
        DuplicateCandidate.objects.filter(
            organisation_id=actor.organisation_id,
            status=CandidateStatus.PENDING,
            person_a__merged_into__isnull=True,
            person_b__merged_into__isnull=True,
        )
        .select_related("person_a", "person_b")
        .only(*QUEUE_FIELDS)
        .order_by("-score", "id")
    )


def run_history(actor: Any) -> QuerySet[DedupRun]:
    """The organisation's searches for duplicates, newest first (none without
    ``dedup.review``); index ``dedup_run_recent``."""
    if not can(actor, REVIEW):
        return DedupRun.objects.none()
    return (
        DedupRun.objects.filter(organisation_id=actor.organisation_id)
        .select_related("started_by")
        .order_by("-created_at", "-id")
    )


def latest_run(actor: Any) -> DedupRun | None:
    """The organisation's most recent search for duplicates (None without ``dedup.review``)."""
    run: DedupRun | None = run_history(actor).first()
    return run


def merge_history(actor: Any) -> QuerySet[PersonMerge]:
    """The organisation's merges, newest first."""
    if not can(actor, REVIEW):
        return PersonMerge.objects.none()  # type: ignore[no-any-return]
    return (  # type: ignore[no-any-return]
        PersonMerge.objects.filter(organisation_id=actor.organisation_id)
        .select_related("keep", "absorb", "merged_by", "undone_by")
        .order_by("-merged_at", "-id")
    )


@dataclass(frozen=True)
class LinkedCounts:
    """How many records hang on a person: what a reviewer weighs before choosing the kept
    record."""

    cases: int
    active_case: bool
    screenings: int
    assessments: int
    consents: int
    documents: int
    household: int
    migration_profile: bool


def linked_counts(person: Person) -> LinkedCounts:
    cases = Case.objects.filter(person_id=person.pk)
    return LinkedCounts(
        cases=cases.count(),
        active_case=cases.exclude(status="closed").exists(),
        screenings=Screening.objects.filter(person_id=person.pk).count(),
        assessments=VulnerabilityAssessment.objects.filter(person_id=person.pk).count(),
        consents=Consent.objects.filter(person_id=person.pk).count(),
        documents=IdentityDocument.objects.filter(person_id=person.pk).count(),
        household=HouseholdLink.objects.filter(person_id=person.pk).count()
        + HouseholdLink.objects.filter(relative_id=person.pk).count(),
        migration_profile=MigrationProfile.objects.filter(person_id=person.pk).exists(),
    )


# Labels of the fields and agreement levels a reason may name (unknown ones show as stored).
FIELD_LABELS = {
    "name": _("Name"),
    "given_name": _("Given name"),
    "family_name": _("Family name"),
    "father_name": _("Father's name"),
    "sex": _("Sex"),
    "birth_date": _("Date of birth"),
    "birth_year": _("Year of birth"),
    "nationality": _("Nationality"),
    "origin": _("Origin"),
    "address": _("Address"),
    "phone": _("Phone number"),
    "document_number": _("Document number"),
}
LEVEL_LABELS = {
    "exact": _("identical"),
    "strong": _("strongly similar"),
    "variant": _("known variant"),
    "phonetic": _("sounds the same"),
    "close": _("close"),
    "partial": _("partly the same"),
    "weak": _("weakly similar"),
    "swapped": _("given and family names swapped"),
    "different": _("different"),
    "missing": _("missing on one side"),
}


def reasons_text(reasons: dict[str, Any]) -> list[tuple[str, str]]:
    """``(field label, level label)`` for each reason, in the order stored."""
    rows = []
    for field, level in reasons.items():
        label = str(FIELD_LABELS.get(field, field))
        if isinstance(level, str):
            text = str(LEVEL_LABELS.get(level, level))
        else:
            text = f"{float(level):.2f}"
        rows.append((label, text))
    return rows
