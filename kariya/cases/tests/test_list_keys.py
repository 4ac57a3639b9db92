"""The case list's filter keys (``CaseListKey``) follow their sources through every service
that changes them, and the list read from them finds what the cases themselves would."""

from __future__ import annotations

import itertools
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from kariya.accounts.factories import UserFactory
from kariya.accounts.roles import Role
from kariya.cases import listkeys, selectors, services
from kariya.cases.factories import open_case, screen
from kariya.cases.models import Case, CaseListKey, ListKeyKind
from kariya.codelists.models import Code
from kariya.dedup import services as dedup_services
from kariya.geo.models import AdminUnit
from kariya.people import services as people_services
from kariya.people.factories import code, office_of, register
from kariya.people.models import MigrationProfile, Person

TODAY = timezone.localdate()


def _communes() -> list[AdminUnit]:
    return list(AdminUnit.objects.communes().order_by("pcode")[:3])


def _move(actor: Any, person: Person, commune: AdminUnit) -> None:
    profile = MigrationProfile.objects.filter(person=person).first()
    people_services.migration_profile_save(
        actor=actor,
        person=person,
        data=people_services.MigrationInput(current_commune=commune),
        expected_version=profile.version if profile else None,
    )


def _keys(case: Case) -> set[tuple[str, int]]:
    return set(CaseListKey.objects.filter(case=case).values_list("kind", "value"))


def _need(case: Case, actor: Any, *codes: str) -> None:
    services.assessment_record(
        actor=actor,
        person=case.person,
        case=case,
        assessed_on=TODAY,
        specific_needs=[code("specific_need", c) for c in codes],
    )


def test_keys_follow_case_opening_assessments_and_the_profile(org_a: Any) -> None:
    actor = org_a["caseworker"]
    here, there, _ = _communes()
    person = register(actor)
    _move(actor, person, here)  # before any case: nothing to key yet
    assert not CaseListKey.objects.exists()
    case = open_case(actor, person)
    assert _keys(case) == {(ListKeyKind.COMMUNE, here.pk)}
    row = CaseListKey.objects.get(case=case)
    assert (row.organisation_id, row.opened_at) == (case.organisation_id, case.opened_at)

    _need(case, actor, "SP-PT")  # a sub-code: the case is listed under it and its category
    sp_pt, sp = code("specific_need", "SP-PT"), code("specific_need", "SP")
    assert _keys(case) == {
        (ListKeyKind.COMMUNE, here.pk),
        (ListKeyKind.NEED, sp_pt.pk),
        (ListKeyKind.NEED, sp.pk),
    }
    _need(case, actor, "SV")  # a later assessment adds; the earlier one's needs stay
    assert (ListKeyKind.NEED, code("specific_need", "SV").pk) in _keys(case)
    assert (ListKeyKind.NEED, sp.pk) in _keys(case)

    _move(actor, person, there)
    assert (ListKeyKind.COMMUNE, there.pk) in _keys(case)
    assert (ListKeyKind.COMMUNE, here.pk) not in _keys(case)


def test_keys_carry_the_organisation_of_their_case(org_a: Any, org_b: Any) -> None:
    here = _communes()[0]
    cases = {}
    for name, org in (("a", org_a), ("b", org_b)):
        person = register(org["caseworker"])
        _move(org["caseworker"], person, here)
        cases[name] = open_case(org["caseworker"], person)
    for name, org in (("a", org_a), ("b", org_b)):
        rows = CaseListKey.objects.filter(case=cases[name])
        assert {r.organisation_id for r in rows} == {org["caseworker"].organisation_id}


def test_merge_and_undo_rewrite_the_keys(org_a: Any) -> None:
    supervisor, actor = org_a["supervisor"], org_a["caseworker"]
    here, there, _ = _communes()
    keep = register(actor, given_names="Aminata", family_names="Diallo")
    _move(actor, keep, here)
    absorb = register(actor, given_names="Aminatou", family_names="Diallo")
    _move(actor, absorb, there)
    case = open_case(actor, absorb)
    _need(case, actor, "SV")
    assert (ListKeyKind.COMMUNE, there.pk) in _keys(case)

    merge = dedup_services.person_merge(actor=supervisor, keep=keep, absorb=absorb)
    # The case is now the kept person's: listed under the kept person's commune.
    assert (ListKeyKind.COMMUNE, here.pk) in _keys(case)
    assert (ListKeyKind.COMMUNE, there.pk) not in _keys(case)
    assert (ListKeyKind.NEED, code("specific_need", "SV").pk) in _keys(case)

    dedup_services.person_merge_undo(actor=supervisor, merge=merge, reason="Deux personnes")
    assert (ListKeyKind.COMMUNE, there.pk) in _keys(case)
    assert (ListKeyKind.COMMUNE, here.pk) not in _keys(case)


def test_a_transferred_case_is_keyed_to_its_new_organisation(org_a: Any, org_b: Any) -> None:
    actor = org_a["caseworker"]
    here = _communes()[0]
    person = register(actor)
    _move(actor, person, here)
    case = open_case(actor, person)
    _need(case, actor, "SV")
    receiver = org_b["caseworker"]
    services.case_file_transfer(
        case=case,
        to_organisation=receiver.organisation,
        caseworker=receiver,
        office=office_of(receiver),
        actor=org_b["supervisor"],
    )
    rows = CaseListKey.objects.filter(case=case)
    assert {r.organisation_id for r in rows} == {receiver.organisation_id}
    assert {(r.kind, r.value) for r in rows} == {
        (ListKeyKind.COMMUNE, here.pk),
        (ListKeyKind.NEED, code("specific_need", "SV").pk),
    }


def test_bulk_recorded_cases_get_their_keys(org_a: Any) -> None:
    actor = org_a["caseworker"]
    here = _communes()[0]
    person = register(actor)
    _move(actor, person, here)
    opened = timezone.now()  # after the registration, not in the future
    services.case_bulk_record(
        actor=actor,
        rows=[
            services.ScreeningRow(
                person=person,
                office=office_of(actor),
                screened_on=TODAY,
                intervention_rating="high",
                outcome="case_opened",
                assessment=services.AssessmentRow(
                    assessed_on=TODAY,
                    specific_needs=[code("specific_need", "SV")],
                ),
                case=services.CaseRow(caseworker=actor, opened_at=opened),
            )
        ],
    )
    case = Case.objects.get(person=person)
    assert _keys(case) == {
        (ListKeyKind.COMMUNE, here.pk),
        (ListKeyKind.NEED, code("specific_need", "SV").pk),
    }
    assert set(CaseListKey.objects.filter(case=case).values_list("opened_at", flat=True)) == {
        opened
    }


def test_the_migration_fills_the_keys_of_an_existing_database(org_a: Any) -> None:
    actor = org_a["caseworker"]
    here, there, _ = _communes()
    for commune, needs in ((here, ["SV"]), (there, ["SP-PT", "SV"]), (here, [])):
        person = register(actor)
        _move(actor, person, commune)
        case = open_case(actor, person)
        if needs:
            _need(case, actor, *needs)
    before = set(CaseListKey.objects.values_list("case_id", "kind", "value", "opened_at"))
    assert len(before) == 3 + 1 + 3  # communes, SV, SP-PT + SP + SV
    CaseListKey.objects.all().delete()
    migration = import_module("kariya.cases.migrations.0004_fill_case_list_keys")
    migration.fill(apps, None)
    after = set(CaseListKey.objects.values_list("case_id", "kind", "value", "opened_at"))
    assert after == before
    migration.empty(apps, None)
    assert not CaseListKey.objects.exists()


def test_refresh_works_in_batches(org_a: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    actor = org_a["caseworker"]
    here = _communes()[0]
    cases = []
    for _ in range(5):
        person = register(actor)
        _move(actor, person, here)
        cases.append(open_case(actor, person))
    CaseListKey.objects.all().delete()
    monkeypatch.setattr(listkeys, "BATCH", 2)
    assert listkeys.refresh(c.person_id for c in cases) == 5
    assert all(_keys(c) == {(ListKeyKind.COMMUNE, here.pk)} for c in cases)


# --- the list read from the keys finds what the cases would -------------------------------------


@pytest.fixture
def caseload(org_a: Any, org_b: Any) -> dict[str, Any]:
    """Cases of two caseworkers of A and one of B, in two communes, with and without needs."""
    supervisor, actor = org_a["supervisor"], org_a["caseworker"]
    second = UserFactory(
        organisation=actor.organisation, office=actor.office, roles=[Role.CASEWORKER]
    )
    here, there, _ = _communes()
    plan = [
        (actor, here, ["SV"], "high"),
        (actor, here, [], "low"),
        (actor, there, ["SP-PT"], "medium"),
        (second, here, ["SV", "SP-PT"], "high"),
        (second, there, [], "medium"),
        (actor, None, ["SV"], "low"),
    ]
    cases = []
    for worker, commune, needs, rating in plan:
        person = register(worker)
        if commune is not None:
            _move(worker, person, commune)
        case = services.case_open(
            actor=worker, screening=screen(worker, person, intervention_rating=rating)
        )
        if needs:
            _need(case, worker, *needs)
        cases.append(case)
    foreign = open_case(org_b["caseworker"])
    _move(org_b["caseworker"], foreign.person, here)
    _need(foreign, org_b["caseworker"], "SV")
    return {
        "supervisor": supervisor,
        "actor": actor,
        "second": second,
        "here": here,
        "there": there,
        "cases": cases,
        "foreign": foreign,
    }


def _ids(result: Any) -> list[int]:
    return list(result[0:100])


def test_filters_read_from_the_keys_match_the_cases_themselves(caseload: dict[str, Any]) -> None:
    """Every combination of commune, need, status, priority, caseworker and sort: the ids read
    from the keys (the page) equal the cases filtered directly, in the same order."""
    here, there = caseload["here"], caseload["there"]
    sv, sp = code("specific_need", "SV"), code("specific_need", "SP")
    communes = [None, here, there]
    needs: list[Code | None] = [None, sv, sp]
    for actor in (caseload["supervisor"], caseload["actor"]):
        for commune, need, priority, sort in itertools.product(
            communes, needs, ["", "high"], ["-opened", "opened", "priority", "status"]
        ):
            if commune is None and need is None:
                continue
            filters = {"commune": commune, "specific_need": need, "priority": priority}
            by_keys = _ids(selectors.case_search(actor, **filters, sort=sort, ids_only=True))
            direct = [c.pk for c in selectors.case_search(actor, **filters, sort=sort)[0:100]]
            assert by_keys == direct, (actor.username, filters, sort)
    # And what they find, by hand: the supervisor sees both caseworkers' cases, not B's.
    cases = caseload["cases"]
    supervisor = caseload["supervisor"]
    assert set(_ids(selectors.case_search(supervisor, commune=here, ids_only=True))) == {
        cases[0].pk,
        cases[1].pk,
        cases[3].pk,
    }
    # SP finds its sub-code SP-PT; with the commune too, only the case in both.
    assert set(_ids(selectors.case_search(supervisor, specific_need=sp, ids_only=True))) == {
        cases[2].pk,
        cases[3].pk,
    }
    assert _ids(
        selectors.case_search(supervisor, specific_need=sp, commune=here, ids_only=True)
    ) == [cases[3].pk]
    # A caseworker sees their own cases only.
    actor = caseload["actor"]
    assert set(_ids(selectors.case_search(actor, specific_need=sv, ids_only=True))) == {
        cases[0].pk,
        cases[5].pk,
    }
    # Filter by caseworker (supervisor) and the newest first.
    second = caseload["second"]
    assert _ids(
        selectors.case_search(supervisor, commune=here, caseworker=second, ids_only=True)
    ) == [cases[3].pk]
    newest_first = _ids(selectors.case_search(supervisor, specific_need=sv, ids_only=True))
    assert newest_first == [cases[5].pk, cases[3].pk, cases[0].pk]


def test_the_page_of_a_filter_counts_and_pages_through_the_keys(
    client: Any, caseload: dict[str, Any]
) -> None:
    here = caseload["here"]
    client.force_login(caseload["supervisor"])
    response = client.get(f"/cases/?commune={here.pcode}&sort=priority")
    rows = [r.public_id for r in response.context["rows"]]
    cases = caseload["cases"]
    assert rows == [
        cases[3].public_id,
        cases[0].public_id,
        cases[1].public_id,
    ]  # high (newest first), then low
    assert response.context["page"].paginator.count == 3
    # The other organisation's case in the same commune never appears.
    assert caseload["foreign"].public_id not in rows


def test_a_need_moved_to_another_category_moves_its_cases(
    org_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    actor = org_a["caseworker"]
    case = open_case(actor)
    _need(case, actor, "SP-PT")
    sp_pt, sp, sv = (code("specific_need", c) for c in ("SP-PT", "SP", "SV"))
    assert (ListKeyKind.NEED, sp.pk) in _keys(case)
    with django_capture_on_commit_callbacks(execute=True):
        sp_pt.parent = sv  # an administrator's change in the code lists
        sp_pt.save()
    assert _keys(case) == {(ListKeyKind.NEED, sp_pt.pk), (ListKeyKind.NEED, sv.pk)}


def test_list_keys_have_no_database_constraint_and_go_with_their_case(org_a: Any) -> None:
    """Derived rows: no foreign-key checks in the database; the ORM deletes them with the case."""
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, CaseListKey._meta.db_table)
    assert [name for name, c in constraints.items() if c["foreign_key"]] == []
    worker = org_a["caseworker"]
    commune = _communes()[0]
    cases = []
    for _n in range(2):
        person = register(worker)
        _move(worker, person, commune)
        cases.append(open_case(worker, person))
    assert CaseListKey.objects.filter(case__in=cases).count() >= 2
    Case.objects.filter(pk=cases[0].pk).delete()
    assert set(CaseListKey.objects.values_list("case_id", flat=True)) == {cases[1].pk}
