"""The case list's filter keys (``models.CaseListKey``): derived data, rewritten per person.

A case is listed under the current commune of its person (the migration profile) and under
each specific need recorded in the person's assessments of the case's organisation — the code
and its parent, so that choosing a category finds its sub-codes too. The keys are rewritten
from those sources by :func:`refresh`, called by every service that changes them:

- ``services.case_open``, ``services.case_bulk_record`` (new cases, bulk assessments),
  ``services.assessment_record`` and ``services.case_file_transfer``;
- ``people.services.migration_profile_save`` through the ``people.signals.profile_changed``
  signal (people does not depend on cases);
- ``dedup.services`` after a merge and its undo (cases, profiles and assessments move).

Migration ``cases.0004`` fills the keys of an existing database the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kariya.core.bulk import insert_rows

BATCH = 500
"""Persons per round of reads and writes (each round: five queries)."""


@dataclass(frozen=True)
class Models:
    """The models read and written: the live ones, or a migration's historical ones."""

    case: Any
    key: Any
    profile: Any
    assessment: Any
    code: Any

    @classmethod
    def live(cls) -> Models:
        from kariya.cases.models import Case, CaseListKey, VulnerabilityAssessment
        from kariya.codelists.models import Code
        from kariya.people.models import MigrationProfile

        return cls(Case, CaseListKey, MigrationProfile, VulnerabilityAssessment, Code)

    @classmethod
    def historical(cls, apps: Any) -> Models:
        return cls(
            apps.get_model("cases", "Case"),
            apps.get_model("cases", "CaseListKey"),
            apps.get_model("people", "MigrationProfile"),
            apps.get_model("cases", "VulnerabilityAssessment"),
            apps.get_model("codelists", "Code"),
        )


def refresh(person_ids: Iterable[int], *, models: Models | None = None) -> int:
    """Rewrite the keys of every case of these persons from their profiles and assessments;
    the number of keys written. Call it inside the transaction of the change."""
    ids = sorted({pk for pk in person_ids if pk is not None})
    m = models or Models.live()
    written = 0
    for start in range(0, len(ids), BATCH):
        written += _refresh_batch(ids[start : start + BATCH], m)
    return written


def _refresh_batch(person_ids: list[int], m: Models) -> int:
    from kariya.cases.models import ListKeyKind

    cases = list(
        m.case.objects.filter(person_id__in=person_ids)
        .order_by()
        .values_list("id", "organisation_id", "person_id", "opened_at")
    )
    if not cases:
        return 0
    m.key.objects.filter(case_id__in=[case[0] for case in cases]).delete()
    communes: dict[int, int] = dict(
        m.profile.objects.filter(person_id__in=person_ids, current_commune__isnull=False)
        .order_by()
        .values_list("person_id", "current_commune_id")
    )
    through = m.assessment._meta.get_field("specific_needs").remote_field.through
    needs: dict[tuple[int, int], set[int]] = defaultdict(set)
    for person_id, organisation_id, code_id in (
        through.objects.filter(vulnerabilityassessment__person_id__in=person_ids)
        .order_by()
        .values_list(
            "vulnerabilityassessment__person_id",
            "vulnerabilityassessment__organisation_id",
            "code_id",
        )
    ):
        needs[(person_id, organisation_id)].add(code_id)
    recorded = set().union(*needs.values()) if needs else set()
    parents: dict[int, int] = (
        dict(
            m.code.objects.filter(pk__in=recorded, parent__isnull=False)
            .order_by()
            .values_list("pk", "parent_id")
        )
        if recorded
        else {}
    )
    rows: list[dict[str, Any]] = []
    for case_id, organisation_id, person_id, opened_at in cases:
        common = {"case_id": case_id, "organisation_id": organisation_id, "opened_at": opened_at}
        commune = communes.get(person_id)
        if commune is not None:
            rows.append({"kind": ListKeyKind.COMMUNE.value, "value": commune, **common})
        codes = needs.get((person_id, organisation_id), set())
        values = codes | {parents[code] for code in codes if code in parents}
        rows.extend(
            {"kind": ListKeyKind.NEED.value, "value": code, **common} for code in sorted(values)
        )
    insert_rows(m.key, rows)  # plain rows: an import writes thousands
    return len(rows)
