"""The batch search over a registry: the start (permission, one run at a time, audit), the run
(candidates found on a generated registry with known duplicates, pairs already decided or
merged not proposed again, other organisations never read, progress, failure), the small
registry rules, and the task."""

from __future__ import annotations

import dataclasses
import datetime
import random
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import TestCase
from django.utils import timezone

from kariya.codelists.models import Code
from kariya.core.models import AuditEvent
from kariya.dedup import batch, services, tasks
from kariya.dedup.models import (
    STALE_AFTER,
    CandidateStatus,
    DedupRun,
    DuplicateCandidate,
    RunError,
    RunStage,
    RunStatus,
)
from kariya.demo import names as demo_names
from kariya.demo.population import Reference, draw_person
from kariya.matching.engine import DEFAULT_THRESHOLD
from kariya.people import services as people_services
from kariya.people.factories import office_of, register
from kariya.people.models import Identity, Person

DUPLICATES = 4


@dataclasses.dataclass
class Generated:
    people: list[Person]
    # (original, copy) registered twice with a spelling variant of the given name
    twins: list[tuple[Person, Person]]


def generate_registry(org: Any, n: int, seed: int = 5, duplicates: int = DUPLICATES) -> Generated:
    """``n`` people drawn by the demo's population model (names, sexes, birth years,
    nationalities, phones, documents as registrars meet them), registered through the bulk
    service, and ``duplicates`` of them registered a second time with another spelling of the
    given name (Moussa / Mousa), no document and no other spellings."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    ref = Reference.load()
    office = office_of(org["caseworker"])
    anchor = timezone.localdate()
    rows = [draw_person(rng, ref, office=office, anchor=anchor).row for _ in range(n)]
    picked = [k for k, row in enumerate(rows) if row.given_names in demo_names.SPELLINGS]
    picked = picked[:duplicates]
    assert len(picked) == duplicates, "the seed gives too few spellable names"
    copies = [
        dataclasses.replace(
            rows[k],
            given_names=demo_names.SPELLINGS[rows[k].given_names][0],
            other_spellings=(),
            aliases=(),
            documents=(),
        )
        for k in picked
    ]
    people = people_services.person_register_bulk(actor=org["caseworker"], rows=[*rows, *copies])
    twins = [(people[k], people[n + m]) for m, k in enumerate(picked)]
    return Generated(people, twins)


def _pair_ids(a: Person, b: Person) -> tuple[int, int]:
    return (min(a.pk, b.pk), max(a.pk, b.pk))


def _candidates(org: Any) -> dict[tuple[int, int], DuplicateCandidate]:
    return {
        (c.person_a_id, c.person_b_id): c
        for c in DuplicateCandidate.objects.filter(organisation=org.org)
    }


def _start_and_run(org: Any, **kwargs: Any) -> DedupRun:
    """Start as the supervisor; the on-commit enqueue runs the task (immediate backend)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = services.registry_deduplicate_start(actor=org["supervisor"], **kwargs)
    run.refresh_from_db()
    return run


# --- start ------------------------------------------------------------------------------------


def test_only_a_reviewer_may_start(org_a: Any) -> None:
    for role, user in org_a.users.items():
        if role != "supervisor":
            with pytest.raises(PermissionDenied):
                services.registry_deduplicate_start(actor=user)
    assert not DedupRun.objects.exists()


def test_start_queues_a_run_audited_and_hands_the_task_its_id_only(
    org_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = services.registry_deduplicate_start(actor=org_a["supervisor"])
    assert run.status == RunStatus.QUEUED and run.stage == RunStage.WAITING
    assert run.threshold == DEFAULT_THRESHOLD and run.started_by == org_a["supervisor"]
    assert len(callbacks) == 1  # the task is enqueued only once the run is committed
    event = AuditEvent.objects.get(object_type="dedup.deduprun", action="create")
    assert event.object_id == str(run.public_id) and event.actor == org_a["supervisor"]


def test_task_arguments_are_the_run_id_only(org_a: Any) -> None:
    run = DedupRun.objects.create(
        organisation=org_a.org, started_by=org_a["supervisor"], threshold=0.8
    )
    result = tasks.registry_deduplicate.enqueue(run.pk)
    assert result.args == [run.pk] and result.kwargs == {}
    assert result.return_value == {"run": run.pk, "status": "done"}


def test_a_second_concurrent_run_is_refused_with_a_clear_message(
    org_a: Any, org_b: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        services.registry_deduplicate_start(actor=org_a["supervisor"])
        with pytest.raises(ValidationError) as refused:
            services.registry_deduplicate_start(actor=org_a["supervisor"])
        # Another organisation is not held up.
        services.registry_deduplicate_start(actor=org_b["supervisor"])
    assert refused.value.code == "already_running"
    assert "already under way" in refused.value.messages[0]
    assert DedupRun.objects.filter(organisation=org_a.org).count() == 1
    # The database holds the rule too (a race between two starts).
    with pytest.raises(IntegrityError), transaction.atomic():
        DedupRun.objects.create(
            organisation=org_a.org, started_by=org_a["supervisor"], threshold=0.8
        )


def test_a_silent_run_is_taken_for_interrupted_and_does_not_block(
    org_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        first = services.registry_deduplicate_start(actor=org_a["supervisor"])
    long_ago = timezone.now() - STALE_AFTER - datetime.timedelta(minutes=1)
    DedupRun.objects.filter(pk=first.pk).update(status=RunStatus.RUNNING, updated_at=long_ago)
    first.refresh_from_db()
    assert first.is_stale
    with django_capture_on_commit_callbacks(execute=False):
        second = services.registry_deduplicate_start(actor=org_a["supervisor"])
    first.refresh_from_db()
    assert first.status == RunStatus.FAILED and first.error_code == RunError.INTERRUPTED
    assert second.status == RunStatus.QUEUED
    # The first run's task, should it still come, does nothing.
    assert services.registry_deduplicate_run(run=first).status == RunStatus.FAILED


@pytest.mark.parametrize("threshold", [0, 1, 1.5, -0.2])
def test_threshold_out_of_range_is_refused(org_a: Any, threshold: float) -> None:
    with pytest.raises(ValidationError):
        services.registry_deduplicate_start(actor=org_a["supervisor"], threshold=threshold)
    assert not DedupRun.objects.exists()


# --- run on a generated registry --------------------------------------------------------------


def test_run_finds_the_known_duplicates_and_never_reads_another_organisation(
    org_a: Any, org_b: Any
) -> None:
    generated = generate_registry(org_a, 150)
    # Organisation B registered the same people: never read, never paired.
    other = generate_registry(org_b, 150)
    run = _start_and_run(org_a)

    assert run.status == RunStatus.DONE, run.error_detail
    assert run.method == batch.METHOD_MODEL and run.stage == RunStage.FINISHED
    assert run.records_read == 150 + DUPLICATES
    assert run.pairs_compared >= run.pairs_found > 0
    assert run.candidates_added == run.pairs_found and run.pairs_skipped == 0
    assert run.started_at is not None and run.finished_at is not None
    found = _candidates(org_a)
    for original, copy in generated.twins:
        candidate = found[_pair_ids(original, copy)]
        assert candidate.status == CandidateStatus.PENDING
        assert candidate.reasons["family_name"] == "exact"
        assert candidate.reasons["given_name"] in {"variant", "strong", "close"}
        assert candidate.score >= 0.8
    # Most of what was found is the known duplicates (a generated registry has few others).
    assert len(found) <= 3 * DUPLICATES
    theirs = {p.pk for p in other.people}
    assert not DuplicateCandidate.objects.filter(person_a_id__in=theirs).exists()
    assert not DuplicateCandidate.objects.filter(person_b_id__in=theirs).exists()
    assert not DuplicateCandidate.objects.filter(organisation=org_b.org).exists()


def test_run_reads_identities_with_one_audit_event_naming_no_person(org_a: Any) -> None:
    generate_registry(org_a, 60)
    before = AuditEvent.objects.count()
    run = _start_and_run(org_a)
    events = list(AuditEvent.objects.order_by("pk")[before:])
    reads = [e for e in events if e.action == "read"]
    assert len(reads) == 1
    read = reads[0]
    assert read.object_type == "dedup.deduprun" and read.object_id == str(run.public_id)
    assert read.actor == org_a["supervisor"] and read.organisation == org_a.org
    assert "identity.given_names" in read.changed_fields
    person_ids = {str(p.public_id) for p in Person.objects.all()} | {
        str(i.public_id) for i in Identity.objects.all()
    }
    assert not {e.object_id for e in events} & person_ids
    # The candidates' own event names the list, not the persons.
    created = [e for e in events if e.object_type == "dedup.duplicatecandidate"]
    assert [e.object_id for e in created] == [""]


def test_pairs_decided_not_a_match_or_merged_are_not_proposed_again(org_a: Any) -> None:
    generated = generate_registry(org_a, 120)
    first = _start_and_run(org_a)
    assert first.candidates_added >= DUPLICATES
    (a1, b1), (a2, b2) = generated.twins[:2]
    found = _candidates(org_a)
    services.duplicate_decide_not_a_match(
        actor=org_a["supervisor"], candidate=found[_pair_ids(a1, b1)], reason="Deux cousins"
    )
    services.person_merge(
        actor=org_a["supervisor"], keep=a2, absorb=b2, candidate=found[_pair_ids(a2, b2)]
    )
    before = DuplicateCandidate.objects.count()

    second = _start_and_run(org_a)
    assert second.status == RunStatus.DONE
    assert second.records_read == first.records_read - 1  # the merged record is not read
    assert second.candidates_added == 0
    assert second.pairs_skipped == second.pairs_found
    assert DuplicateCandidate.objects.count() == before
    assert found[_pair_ids(a1, b1)].status == CandidateStatus.NOT_A_MATCH
    assert (
        not DuplicateCandidate.objects.filter(person_a_id=b2.pk)
        .exclude(pk=found[_pair_ids(a2, b2)].pk)
        .exists()
    )
    assert (
        not DuplicateCandidate.objects.filter(person_b_id=b2.pk)
        .exclude(pk=found[_pair_ids(a2, b2)].pk)
        .exists()
    )


def test_a_failed_run_is_marked_with_a_message_naming_no_one_and_writes_no_candidate(
    org_a: Any, caplog: Any
) -> None:
    generate_registry(org_a, 60)
    # An identity that cannot be decrypted (a key lost in a botched rotation).
    victim = Identity.objects.filter(organisation=org_a.org).first()
    assert victim is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_identity SET given_names = %s WHERE id = %s",
            ["t9:Tm90IGEgY2lwaGVydGV4dA==", victim.pk],
        )
    run = _start_and_run(org_a)
    assert run.status == RunStatus.FAILED and run.error_code == RunError.INTERNAL
    assert run.error_detail == "DecryptionError" and run.finished_at is not None
    assert "internal error" in run.error_message
    assert not DuplicateCandidate.objects.exists()
    # The log names the run and the exception's class, never a stored value.
    assert str(run.public_id) in caplog.text and "DecryptionError" in caplog.text
    assert "Tm90IGEgY2lwaGVydGV4dA" not in caplog.text
    # The organisation can start again.
    again = services.registry_deduplicate_start(actor=org_a["supervisor"])
    assert again.status == RunStatus.QUEUED


def test_progress_is_written_throttled_and_clamped(org_a: Any) -> None:
    run = DedupRun.objects.create(
        organisation=org_a.org,
        started_by=org_a["supervisor"],
        threshold=0.8,
        status=RunStatus.RUNNING,
    )
    now = [0.0]
    writer = services.ProgressWriter(run.pk, interval=0.5, clock=lambda: now[0])
    writer(RunStage.READING, 0, 100)
    for k in range(1, 50):  # 49 calls within 0.49 s: none written
        now[0] = k / 100
        writer(RunStage.READING, k, 100)
    assert writer.writes == 1
    now[0] = 0.6
    writer(RunStage.READING, 120, 100)  # more than the total: clamped to it
    run.refresh_from_db()
    assert (run.stage, run.progress_done, run.progress_total, run.percent) == (
        RunStage.READING,
        100,
        100,
        100,
    )
    writer(RunStage.TRAINING, 1, 4)  # a stage change is written at once
    assert writer.writes == 3
    run.refresh_from_db()
    assert run.stage == RunStage.TRAINING and run.percent == 25
    DedupRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED)
    with pytest.raises(services.RunAbandoned):
        writer(RunStage.COMPARING, 0, 10)


def test_a_finished_run_has_its_progress_complete(org_a: Any) -> None:
    generate_registry(org_a, 60)
    run = _start_and_run(org_a)
    assert run.status == RunStatus.DONE and run.stage == RunStage.FINISHED
    assert run.progress_done == run.progress_total == run.pairs_found
    assert run.percent == (100 if run.pairs_found else 0)


# --- small registries -------------------------------------------------------------------------


def test_a_small_registry_uses_the_rules(org_a: Any) -> None:
    worker = org_a["caseworker"]
    moussa = register(worker, given_names="Moussa", family_names="Abdou", birth_year=1990)
    musa = register(worker, given_names="Musa", family_names="Abdou", birth_year=1991)
    swapped = register(worker, given_names="Abdou", family_names="Moussa", birth_year=1990)
    # A sister, a namesake twenty years older, a stranger: not proposed.
    register(worker, given_names="Aïchatou", family_names="Abdou", birth_year=1990, sex="female")
    register(worker, given_names="Moussa", family_names="Abdou", birth_year=1970)
    register(worker, given_names="Halima", family_names="Coulibaly", birth_year=2001, sex="female")
    # Same document number, family name changed: proposed.
    doc = people_services.DocumentInput(
        document_type=Code.objects.get(list="document_type", code="passport"),
        status="held",
        number="NG 778 123",
    )
    ada = register(worker, given_names="Ada", family_names="Okafor", documents=[doc])
    ada2 = register(worker, given_names="Ada", family_names="Okoro", documents=[doc])

    run = _start_and_run(org_a)
    assert run.status == RunStatus.DONE and run.method == batch.METHOD_RULES
    assert run.records_read == 8 and run.pairs_compared == 8 * 7 // 2
    found = _candidates(org_a)
    expected = {
        _pair_ids(moussa, musa),
        _pair_ids(moussa, swapped),
        _pair_ids(musa, swapped),
        _pair_ids(ada, ada2),
    }
    assert set(found) == expected
    assert found[_pair_ids(moussa, musa)].reasons == {
        "given_name": "variant",
        "family_name": "exact",
        "birth_year": "close",
        "sex": "exact",
    }
    assert found[_pair_ids(moussa, swapped)].reasons["name"] == "swapped"
    assert found[_pair_ids(ada, ada2)].reasons["document_number"] == "exact"
    assert all(0 < c.score <= 1 for c in found.values())


def test_a_registry_of_one_or_none_finds_nothing(org_a: Any) -> None:
    run = _start_and_run(org_a)
    assert run.status == RunStatus.DONE and run.records_read == 0 and run.pairs_found == 0
    register(org_a["caseworker"])
    run = _start_and_run(org_a)
    assert run.status == RunStatus.DONE and run.records_read == 1 and run.pairs_compared == 0


def test_reasons_use_the_dedup_vocabulary_only(org_a: Any) -> None:
    generate_registry(org_a, 80)
    _start_and_run(org_a)
    for candidate in DuplicateCandidate.objects.all():
        assert services._clean_reasons(candidate.reasons) == candidate.reasons
        assert set(candidate.reasons.values()) <= services.LEVELS


def test_the_search_reads_names_through_the_dictionary_in_force(org_a: Any) -> None:
    """An administrator's addition (``matching.NameVariant``) counts at the next run."""
    from kariya.matching import services as matching_services

    worker = org_a["caseworker"]
    a = register(worker, given_names="Tchimaden", family_names="Abdou", birth_year=1990)
    b = register(worker, given_names="Chimadene", family_names="Abdou", birth_year=1990)
    register(worker, given_names="Halima", family_names="Coulibaly", birth_year=2001, sex="female")

    _start_and_run(org_a)
    before = _candidates(org_a)[_pair_ids(a, b)].reasons["given_name"]
    assert before != "variant"
    DuplicateCandidate.objects.all().delete()
    matching_services.name_variant_save(
        actor=org_a["supervisor"], canonical="Tchimaden", variant="Chimadene"
    )

    _start_and_run(org_a)
    assert _candidates(org_a)[_pair_ids(a, b)].reasons["given_name"] == "variant"


# --- other spellings and aliases ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "family", "spellings", "aliases", "expected"),
    [
        ("Mahamadou", "Issoufou", ["Mamadou Issoufou"], [], {("Mamadou", "Issoufou")}),
        ("Aïcha", "Ag Moussa", ["Aïchatou Ag Moussa"], [], {("Aïchatou", "Ag Moussa")}),
        ("Mahamadou", "Issoufou", ["Mamadou"], [], {("Mamadou", "Issoufou")}),
        ("Mohamed", "Issoufou", [], ["Hamma"], {("Hamma", "Issoufou")}),
        # its own name, however written, and empty values add nothing
        ("Mahamadou", "Issoufou", ["MAHAMADOU  issoufou", " "], [""], set()),
    ],
)
def test_spelling_names(
    given: str, family: str, spellings: list[str], aliases: list[str], expected: set[Any]
) -> None:
    assert batch.spelling_names(given, family, spellings, aliases) == expected


def _alias_pair(org: Any) -> tuple[Person, Person]:
    """Zeinabou Harouna, known as "Baby", registered a second time as Baby Harouna."""
    worker = org["caseworker"]
    same = {"sex": "female", "birth_date": datetime.date(1991, 3, 14), "family_names": "Harouna"}
    first = register(worker, given_names="Zeinabou", aliases=["Baby"], **same)
    second = register(worker, given_names="Baby", **same)
    return first, second


def test_an_alias_finds_the_record_registered_under_it(org_a: Any) -> None:
    generate_registry(org_a, 150)  # with its known duplicates, from which EM learns
    first, second = _alias_pair(org_a)
    registry = batch.read_registry(organisation_id=org_a.org.pk)
    assert any(registry.ids[pos] == first.pk for pos, *_name in registry.spellings)
    found = {
        (a, b): (score, reasons)
        for a, b, score, reasons in batch.find_pairs(registry, threshold=DEFAULT_THRESHOLD).pairs
    }
    score, reasons = found[_pair_ids(first, second)]
    assert reasons["given_name"] == "exact" and reasons["family_name"] == "exact"
    assert reasons["birth_date"] == "exact" and score >= 0.8
    # One pair per two persons, never a person with itself.
    assert all(a < b for a, b in found)
    # Without the alias rows the two given names differ.
    registry.spellings = []
    without = {
        (a, b): reasons
        for a, b, _s, reasons in batch.find_pairs(registry, threshold=DEFAULT_THRESHOLD).pairs
    }
    assert without.get(_pair_ids(first, second), {}).get("given_name") != "exact"


def test_a_small_registry_uses_the_aliases_too(org_a: Any) -> None:
    first, second = _alias_pair(org_a)
    register(org_a["caseworker"], given_names="Halima", family_names="Coulibaly")
    run = _start_and_run(org_a)
    assert run.method == batch.METHOD_RULES and run.records_read == 3
    (candidate,) = _candidates(org_a).values()
    assert (candidate.person_a_id, candidate.person_b_id) == _pair_ids(first, second)
    assert candidate.reasons["given_name"] == "exact"
