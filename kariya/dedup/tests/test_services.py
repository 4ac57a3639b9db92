"""Services of duplicate detection: recording candidates, deciding them, merge and undo."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from kariya.cases.factories import open_case
from kariya.cases.models import Case, CaseNote, Screening, ServiceDelivery, VulnerabilityAssessment
from kariya.core.models import AuditEvent
from kariya.dedup import services
from kariya.dedup.models import CandidateStatus, DuplicateCandidate, PersonMerge
from kariya.dedup.tests.conftest import Pair, build_pair
from kariya.people import selectors as people_selectors
from kariya.people import services as people_services
from kariya.people.factories import register, services_consent
from kariya.people.models import (
    Consent,
    ConsentRestriction,
    ConsentScope,
    HouseholdLink,
    Identity,
    IdentityDocument,
    MigrationProfile,
    Person,
    PersonSearchKey,
)

REASONS = {"family_name": "exact", "given_name": "variant", "phone": "exact"}


def _candidate(org: Any, a: Person, b: Person, score: float = 0.9) -> DuplicateCandidate:
    services.duplicate_candidates_record(organisation=org.org, pairs=[(a.pk, b.pk, score, REASONS)])
    lo, hi = sorted([a.pk, b.pk])
    return DuplicateCandidate.objects.get(person_a_id=lo, person_b_id=hi)


# --- every relation to Person is handled ------------------------------------------------------


def test_every_relation_to_person_is_handled_by_the_merge() -> None:
    """A new model pointing at people.Person must say what a merge does with it."""
    found = set()
    for relation in Person._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete:
            field = relation.field  # type: ignore[union-attr]
            found.add(f"{relation.related_model._meta.label}.{field.name}")
    assert found == set(services.RELATIONS)


# --- candidates -------------------------------------------------------------------------------


def test_candidates_are_recorded_once_in_order_and_known_pairs_are_skipped(org_a: Any) -> None:
    worker = org_a["caseworker"]
    a, b, c, d = (register(worker) for _ in range(4))
    added = services.duplicate_candidates_record(
        organisation=org_a.org,
        pairs=[(b.pk, a.pk, 0.8, REASONS), (a.pk, b.pk, 0.9, REASONS), (c.pk, c.pk, 1.0, {})],
    )
    assert added == 1
    row = DuplicateCandidate.objects.get()
    assert (row.person_a_id, row.person_b_id) == tuple(sorted([a.pk, b.pk]))
    assert row.score == 0.9 and row.reasons == REASONS
    assert row.status == CandidateStatus.PENDING
    # Pending: skipped. Not a match: never proposed again, in either order.
    services.duplicate_decide_not_a_match(
        actor=org_a["supervisor"],
        candidate=_candidate(org_a, c, d),
        reason="Deux frères",
    )
    again = services.duplicate_candidates_record(
        organisation=org_a.org, pairs=[(a.pk, b.pk, 0.95, {}), (d.pk, c.pk, 0.99, {})]
    )
    assert again == 0
    assert DuplicateCandidate.objects.count() == 2
    assert DuplicateCandidate.objects.get(person_a_id=min(c.pk, d.pk)).status == "not_a_match"


def test_candidates_skip_other_organisations_and_merged_records(org_a: Any, org_b: Any) -> None:
    a, b = register(org_a["caseworker"]), register(org_a["caseworker"])
    foreign = register(org_b["caseworker"])
    Person.objects.filter(pk=b.pk).update(merged_into=a)
    c = register(org_a["caseworker"])
    added = services.duplicate_candidates_record(
        organisation=org_a.org,
        pairs=[(a.pk, foreign.pk, 0.9, {}), (a.pk, b.pk, 0.9, {}), (c.pk, b.pk, 0.9, {})],
    )
    assert added == 0
    assert not DuplicateCandidate.objects.exists()


@pytest.mark.parametrize(
    ("score", "reasons"),
    [
        (1.2, {}),
        (-0.1, {}),
        (0.5, {"family_name": "Issoufou"}),  # a value, not a level
        (0.5, {"Moussa": "exact"}),  # a value as the key
        (0.5, {"phone": True}),
        (0.5, ["phone"]),
    ],
)
def test_candidates_refuse_bad_scores_and_personal_values(
    org_a: Any, score: float, reasons: Any
) -> None:
    a, b = register(org_a["caseworker"]), register(org_a["caseworker"])
    with pytest.raises(ValueError):
        services.duplicate_candidates_record(
            organisation=org_a.org, pairs=[(a.pk, b.pk, score, reasons)]
        )
    assert not DuplicateCandidate.objects.exists()


def test_recording_candidates_is_audited_without_persons(org_a: Any) -> None:
    a, b = register(org_a["caseworker"]), register(org_a["caseworker"])
    services.duplicate_candidates_record(organisation=org_a.org, pairs=[(a.pk, b.pk, 0.7, {})])
    event = AuditEvent.objects.get(object_type="dedup.duplicatecandidate")
    assert event.action == "create" and event.organisation_id == org_a.org.pk
    assert event.object_id == "" and event.changed_fields == ["candidates"]


# --- not a match ------------------------------------------------------------------------------


def test_not_a_match_is_decided_once_with_a_reason_and_audited(org_a: Any) -> None:
    a, b = register(org_a["caseworker"]), register(org_a["caseworker"])
    candidate = _candidate(org_a, a, b)
    supervisor = org_a["supervisor"]
    with pytest.raises(ValidationError):
        services.duplicate_decide_not_a_match(actor=supervisor, candidate=candidate, reason=" ")
    version = candidate.version
    services.duplicate_decide_not_a_match(
        actor=supervisor, candidate=candidate, reason="Père et fils", expected_version=version
    )
    stored = DuplicateCandidate.objects.get(pk=candidate.pk)
    assert stored.status == CandidateStatus.NOT_A_MATCH
    assert stored.decided_by == supervisor and stored.decided_at is not None
    assert stored.reason == "Père et fils"
    event = AuditEvent.objects.get(object_id=str(candidate.public_id))
    assert event.action == "update" and "status" in event.changed_fields
    # Decided: a second decision, even from a fresh copy, is refused.
    fresh = DuplicateCandidate.objects.get(pk=candidate.pk)
    with pytest.raises(ValidationError) as caught:
        services.duplicate_decide_not_a_match(actor=supervisor, candidate=fresh, reason="encore")
    assert caught.value.code == "decided"
    with pytest.raises(ValidationError):
        services.person_merge(actor=supervisor, keep=a, absorb=b, candidate=fresh)
    assert Person.objects.get(pk=b.pk).merged_into_id is None


def test_two_supervisors_deciding_the_same_pair_the_second_is_refused(org_a: Any) -> None:
    a, b = register(org_a["caseworker"]), register(org_a["caseworker"])
    candidate = _candidate(org_a, a, b)
    first = DuplicateCandidate.objects.get(pk=candidate.pk)
    second = DuplicateCandidate.objects.get(pk=candidate.pk)
    services.person_merge(
        actor=org_a["supervisor"],
        keep=a,
        absorb=b,
        candidate=first,
        expected_version=first.version,
    )
    # The second supervisor's copy still says "pending": the version check refuses it.
    with pytest.raises(ValidationError) as caught:
        services.duplicate_decide_not_a_match(
            actor=org_a["supervisor"],
            candidate=second,
            reason="Non",
            expected_version=second.version,
        )
    assert caught.value.code == "stale"
    assert DuplicateCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.MATCH


def test_only_a_reviewer_of_the_organisation_decides(org_a: Any, org_b: Any) -> None:
    a, b = register(org_a["caseworker"]), register(org_a["caseworker"])
    candidate = _candidate(org_a, a, b)
    for actor in (org_a["caseworker"], org_b["supervisor"], org_a["gbv_focal_point"]):
        with pytest.raises(PermissionDenied):
            services.duplicate_decide_not_a_match(actor=actor, candidate=candidate, reason="x")
        with pytest.raises(PermissionDenied):
            services.person_merge(actor=actor, keep=a, absorb=b)
    assert DuplicateCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.PENDING


def test_merge_refuses_a_person_of_another_organisation(org_a: Any, org_b: Any) -> None:
    a = register(org_a["caseworker"])
    foreign = register(org_b["caseworker"])
    with pytest.raises(PermissionDenied):
        services.person_merge(actor=org_a["supervisor"], keep=a, absorb=foreign)
    with pytest.raises(PermissionDenied):
        services.person_merge(actor=org_a["supervisor"], keep=foreign, absorb=a)
    assert not PersonMerge.objects.exists()


# --- merge ------------------------------------------------------------------------------------


def _rows(model: type[models.Model], **where: Any) -> list[dict[str, Any]]:
    """Every stored field of the matching rows, for a field-by-field comparison. ``version``
    and ``updated_*`` are left out: a merge and its undo are edits."""
    skip = {"version", "updated_at", "updated_by"}
    names = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
    return sorted(
        ({n: getattr(row, n) for n in names} for row in model._default_manager.filter(**where)),
        key=lambda r: r["id"],
    )


def snapshot(person: Person) -> dict[str, Any]:
    pk = person.pk
    return {
        "person": _rows(Person, pk=pk),
        "nationalities": sorted(person.nationalities.values_list("pk", flat=True)),
        "languages": sorted(person.languages.values_list("pk", flat=True)),
        "identity": _rows(Identity, person_id=pk),
        "documents": _rows(IdentityDocument, person_id=pk),
        "search_keys": sorted(
            PersonSearchKey.objects.filter(person_id=pk).values_list("kind", "key")
        ),
        "migration": _rows(MigrationProfile, person_id=pk),
        "household": _rows(HouseholdLink, person_id=pk) + _rows(HouseholdLink, relative_id=pk),
        "consents": _rows(Consent, person_id=pk),
        "restrictions": _rows(ConsentRestriction, consent__person_id=pk),
        "screenings": _rows(Screening, person_id=pk),
        "cases": _rows(Case, person_id=pk),
        "assessments": _rows(VulnerabilityAssessment, person_id=pk),
        "deliveries": _rows(ServiceDelivery, case__person_id=pk),
        "notes": _rows(CaseNote, case__person_id=pk),
    }


def test_merge_keeps_every_linked_record_and_undo_gives_back_exactly_the_same(
    org_a: Any, pair: Pair
) -> None:
    keep, absorb, supervisor = pair.keep, pair.absorb, org_a["supervisor"]
    before_keep, before_absorb = snapshot(keep), snapshot(absorb)
    before_relative = snapshot(pair.relative)
    candidate = _candidate(org_a, keep, absorb)

    merge = services.person_merge(
        actor=supervisor, keep=keep, absorb=absorb, candidate=candidate, reason="Même personne"
    )

    after = snapshot(keep)
    gone = snapshot(absorb)
    # Everything linked to the absorbed record is now on the kept one.
    for kind in (
        "documents",
        "consents",
        "restrictions",
        "screenings",
        "cases",
        "assessments",
        "deliveries",
        "notes",
        "migration",
    ):
        moved_ids = {r["id"] for r in before_absorb[kind]}
        assert moved_ids <= {r["id"] for r in after[kind]}, kind
        assert gone[kind] == [] or kind == "migration", kind
    assert len(after["cases"]) == 2 and len(after["household"]) == 2
    assert gone["household"] == [] and gone["search_keys"] == []
    assert Case.objects.get(pk=pair.absorb_case.pk).person_id == keep.pk
    # Identity: the other record's names, alias and new phone are added; the birth date taken.
    identity = Identity.objects.get(person=keep)
    assert identity.given_names == "Mahamadou" and identity.family_names == "Issoufou"
    assert identity.spelling_list == ["Mamadou Issoufou", "Mohamed Issoufou"]
    assert identity.alias_list == ["Hamma"]
    assert identity.phone_list == ["+22790123456", "+22796001122"]
    assert identity.birth_date == "1993-01-01"
    stored_keep = Person.objects.get(pk=keep.pk)
    assert stored_keep.birth_year == 1993 and not stored_keep.birth_estimated
    assert sorted(stored_keep.nationalities.values_list("iso3", flat=True)) == ["MLI", "NER"]
    # The absorbed identity itself is untouched, the record marked and hidden.
    assert gone["identity"] == before_absorb["identity"]
    assert Person.objects.get(pk=absorb.pk).merged_into_id == keep.pk
    assert DuplicateCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.MATCH
    # Searchable under the absorbed record's names and phone, through the kept one.
    found = people_selectors.person_search(actor=supervisor, text="Mohamed Issoufou")
    assert list(found) == [stored_keep]
    found = people_selectors.person_search(actor=supervisor, phone="96 00 11 22")
    assert list(found) == [stored_keep]
    # Nothing personal in the merge record's plain columns.
    assert "Mohamed" not in json.dumps(merge.moved)

    services.person_merge_undo(actor=supervisor, merge=merge, reason="Erreur de saisie")

    assert snapshot(keep) == before_keep
    assert snapshot(absorb) == before_absorb
    assert snapshot(pair.relative) == before_relative
    assert DuplicateCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.PENDING


def test_merge_refuses_two_active_cases_with_nothing_written(org_a: Any) -> None:
    worker = org_a["caseworker"]
    keep_case, absorb_case = open_case(worker), open_case(worker)
    with pytest.raises(ValidationError) as caught:
        services.person_merge(
            actor=org_a["supervisor"], keep=keep_case.person, absorb=absorb_case.person
        )
    assert caught.value.code == "two_active_cases"
    assert "Close one" in caught.value.messages[0]
    assert Case.objects.get(pk=absorb_case.pk).person_id == absorb_case.person_id
    assert Person.objects.get(pk=absorb_case.person_id).merged_into_id is None
    assert not PersonMerge.objects.exists()


def test_merge_rules_self_merged_and_wrong_pair(org_a: Any) -> None:
    supervisor = org_a["supervisor"]
    a, b, c = (register(org_a["caseworker"]) for _ in range(3))
    with pytest.raises(ValidationError):
        services.person_merge(actor=supervisor, keep=a, absorb=a)
    candidate = _candidate(org_a, a, c)
    with pytest.raises(ValidationError):
        services.person_merge(actor=supervisor, keep=a, absorb=b, candidate=candidate)
    services.person_merge(actor=supervisor, keep=a, absorb=b)
    with pytest.raises(ValidationError) as caught:
        services.person_merge(actor=supervisor, keep=c, absorb=b)
    assert caught.value.code == "merged"
    with pytest.raises(ValidationError):
        services.person_merge(actor=supervisor, keep=b, absorb=c)


def test_a_merged_record_leaves_lists_searches_and_counts(org_a: Any) -> None:
    supervisor = org_a["supervisor"]
    a = register(org_a["caseworker"], given_names="Rhissa")
    b = register(org_a["caseworker"], given_names="Ghissa")
    assert people_selectors.registration_counts(actor=supervisor).total == 2
    services.person_merge(actor=supervisor, keep=a, absorb=b)
    assert list(people_selectors.person_search(actor=supervisor)) == [a]
    assert not people_selectors.person_search(actor=supervisor, case_code=b.case_code).exists()
    assert people_selectors.registration_counts(actor=supervisor).total == 1
    # Its names find the kept record.
    assert list(people_selectors.person_search(actor=supervisor, text="Ghissa")) == [a]


def test_records_merged_into_the_absorbed_one_follow_and_come_back(org_a: Any) -> None:
    supervisor = org_a["supervisor"]
    a, b, c = (register(org_a["caseworker"]) for _ in range(3))
    services.person_merge(actor=supervisor, keep=b, absorb=c)
    second = services.person_merge(actor=supervisor, keep=a, absorb=b)
    assert Person.objects.get(pk=c.pk).merged_into_id == a.pk
    services.person_merge_undo(actor=supervisor, merge=second, reason="Erreur")
    assert Person.objects.get(pk=c.pk).merged_into_id == b.pk
    assert Person.objects.get(pk=b.pk).merged_into_id is None


def test_undo_rules(org_a: Any, org_b: Any) -> None:
    supervisor = org_a["supervisor"]
    a, b, c = (register(org_a["caseworker"]) for _ in range(3))
    merge = services.person_merge(actor=supervisor, keep=a, absorb=b)
    later = services.person_merge(actor=supervisor, keep=c, absorb=a)
    with pytest.raises(PermissionDenied):
        services.person_merge_undo(actor=org_b["supervisor"], merge=merge, reason="x")
    with pytest.raises(PermissionDenied):
        services.person_merge_undo(actor=org_a["caseworker"], merge=merge, reason="x")
    with pytest.raises(ValidationError):
        services.person_merge_undo(actor=supervisor, merge=merge, reason="")
    with pytest.raises(ValidationError) as caught:  # the kept record was merged since
        services.person_merge_undo(actor=supervisor, merge=merge, reason="x")
    assert caught.value.code == "kept_merged"
    services.person_merge_undo(actor=supervisor, merge=later, reason="x")
    stale = PersonMerge.objects.get(pk=merge.pk)
    services.person_merge_undo(
        actor=supervisor, merge=merge, reason="x", expected_version=merge.version
    )
    with pytest.raises(ValidationError) as caught:
        services.person_merge_undo(actor=supervisor, merge=merge, reason="again")
    assert caught.value.code == "undone"
    with pytest.raises(ValidationError) as caught:
        services.person_merge_undo(
            actor=supervisor, merge=stale, reason="x", expected_version=stale.version
        )
    assert caught.value.code in {"stale", "undone"}


def test_undo_leaves_what_was_recorded_on_the_kept_record_since(org_a: Any, pair: Pair) -> None:
    supervisor = org_a["supervisor"]
    merge = services.person_merge(actor=supervisor, keep=pair.keep, absorb=pair.absorb)
    identity = Identity.objects.get(person=pair.keep)
    from kariya.people import services as people_services

    people_services.identity_update(
        actor=org_a["caseworker"],
        identity=identity,
        expected_version=identity.version,
        aliases=[*identity.alias_list, "Doudou"],
    )
    services.person_merge_undo(actor=supervisor, merge=merge, reason="Erreur")
    assert Identity.objects.get(person=pair.keep).alias_list == ["Doudou"]
    assert Identity.objects.get(person=pair.absorb).alias_list == ["Hamma"]


def test_merge_and_undo_are_audited_by_field_name(org_a: Any, pair: Pair) -> None:
    supervisor = org_a["supervisor"]
    merge = services.person_merge(actor=supervisor, keep=pair.keep, absorb=pair.absorb)
    event = AuditEvent.objects.get(object_id=str(merge.public_id))
    assert event.action == "merge" and event.actor_id == supervisor.pk
    assert {"cases", "consents", "documents", "phones", "aliases"} <= set(event.changed_fields)
    marked = AuditEvent.objects.get(object_id=str(pair.absorb.public_id), action="merge")
    assert marked.changed_fields == ["merged_into"]
    services.person_merge_undo(actor=supervisor, merge=merge, reason="Erreur")
    undo = AuditEvent.objects.filter(object_id=str(merge.public_id), action="update").get()
    assert "undone_at" in undo.changed_fields
    for e in AuditEvent.objects.all():
        assert "Issoufou" not in json.dumps(e.changed_fields)


def test_the_merge_of_another_pair_in_another_organisation_is_independent(
    org_a: Any, org_b: Any
) -> None:
    pair_b = build_pair(org_b)
    a, b = register(org_a["caseworker"]), register(org_a["caseworker"])
    services.person_merge(actor=org_a["supervisor"], keep=a, absorb=b)
    assert Person.objects.get(pk=pair_b.absorb.pk).merged_into_id is None
    assert Case.objects.get(pk=pair_b.absorb_case.pk).person_id == pair_b.absorb.pk


def test_a_withdrawal_on_one_record_ends_the_older_consent_of_the_other(
    org_a: Any, org_b: Any
) -> None:
    """The person took the referral consent back on one record after giving it on the other:
    merged, the older consent ends too; the undo gives it back. A consent given again after
    the withdrawal, or for another purpose, stands."""
    worker, supervisor = org_a["caseworker"], org_a["supervisor"]
    to_b = {"scope": ConsentScope.REFERRAL, "recipient_organisation": org_b.org}
    keep = register(
        worker,
        consents=[services_consent(), services_consent(**to_b)],
    )
    absorb = register(worker, consents=[services_consent(), services_consent(**to_b)])
    keep_referral = Consent.objects.get(person=keep, scope=ConsentScope.REFERRAL)
    people_services.consent_withdraw(
        actor=worker,
        consent=Consent.objects.get(person=absorb, scope=ConsentScope.REFERRAL),
        reason="Ne veut plus",
    )
    assert people_selectors.consent_has(keep, ConsentScope.REFERRAL, org_b.org)

    merge = services.person_merge(actor=supervisor, keep=keep, absorb=absorb, reason="Même")

    assert not people_selectors.consent_has(keep, ConsentScope.REFERRAL, org_b.org)
    assert people_selectors.consent_has(keep, ConsentScope.SERVICES)
    ended = Consent.objects.get(pk=keep_referral.pk)
    assert ended.withdrawn_by == supervisor and "merge" in ended.withdrawal_reason
    assert merge.moved["consents_withdrawn"] == [keep_referral.pk]
    assert AuditEvent.objects.filter(
        object_type="people.consent", object_id=str(ended.public_id), action="update"
    ).exists()

    services.person_merge_undo(actor=supervisor, merge=merge, reason="Erreur")

    assert people_selectors.consent_has(keep, ConsentScope.REFERRAL, org_b.org)
    assert not people_selectors.consent_has(absorb, ConsentScope.REFERRAL, org_b.org)
    restored = Consent.objects.get(pk=keep_referral.pk)
    assert restored.withdrawn_at is None and restored.withdrawal_reason == ""


def test_a_consent_given_again_after_the_withdrawal_stands(org_a: Any, org_b: Any) -> None:
    worker, supervisor = org_a["caseworker"], org_a["supervisor"]
    to_b = {"scope": ConsentScope.REFERRAL, "recipient_organisation": org_b.org}
    absorb = register(worker, consents=[services_consent(), services_consent(**to_b)])
    people_services.consent_withdraw(
        actor=worker, consent=Consent.objects.get(person=absorb, scope=ConsentScope.REFERRAL)
    )
    keep = register(worker, consents=[services_consent(), services_consent(**to_b)])

    merge = services.person_merge(actor=supervisor, keep=keep, absorb=absorb, reason="Même")

    assert people_selectors.consent_has(keep, ConsentScope.REFERRAL, org_b.org)
    assert merge.moved["consents_withdrawn"] == []
