from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.http import Http404

from kariya.core.models import AuditEvent
from kariya.people import access, selectors, services
from kariya.people.factories import code, register
from kariya.people.models import DocumentStatus, Identity

CASEWORK_ROLES = ("caseworker", "supervisor")
NO_PEOPLE_ROLES = (
    "service_focal_point",
    "monitor",
    "outreach_officer",
    "me_officer",
    "network_coordinator",
    "org_admin",
    "dpo",
)


@pytest.fixture
def moussa(org_a: Any) -> Any:
    return register(
        org_a["caseworker"],
        given_names="Moussa Ibrahim",
        family_names="Ag Mohamed",
        other_spellings=["Musa Ibrahim"],
        aliases=["Petit Moussa"],
        phone_numbers=["+227 96 11 22 33"],
        documents=[
            services.DocumentInput(
                document_type=code("document_type", "passport"),
                status=DocumentStatus.HELD,
                number="na-123 456",
            )
        ],
    )


def _search(actor: Any, **criteria: str) -> list[Any]:
    return list(selectors.person_search(actor=actor, **criteria))


@pytest.mark.parametrize(
    "text",
    ["Moussa", "MOUSA", "Mousa", "moussa", "Musa", "Moûssa", "ibrahim moussa", "mohammed ag"],
)
def test_name_search_is_case_accent_and_transliteration_insensitive(
    org_a: Any, moussa: Any, text: str
) -> None:
    assert _search(org_a["caseworker"], text=text) == [moussa]


@pytest.mark.parametrize("text", ["Mouss", "Moussa Abdou", "Issa", "Petit Ibrahim Garba"])
def test_name_search_needs_every_whole_token(org_a: Any, moussa: Any, text: str) -> None:
    assert _search(org_a["caseworker"], text=text) == []


def test_alias_and_spelling_are_searchable(org_a: Any, moussa: Any) -> None:
    assert _search(org_a["caseworker"], text="petit") == [moussa]


@pytest.mark.parametrize(
    "phone", ["+22796112233", "+227 96 11 22 33", "00227 96 11 22 33", "96-11-22-33", "96112233"]
)
def test_phone_search_in_every_written_form(org_a: Any, moussa: Any, phone: str) -> None:
    assert _search(org_a["caseworker"], phone=phone) == [moussa]


def test_unreadable_phone_finds_nobody(org_a: Any, moussa: Any) -> None:
    assert _search(org_a["caseworker"], phone="12") == []
    assert _search(org_a["caseworker"], phone="+227 96 11 22 34") == []


@pytest.mark.parametrize("number", ["NA123456", "na 123-456", "NA-123.456"])
def test_document_search(org_a: Any, moussa: Any, number: str) -> None:
    assert _search(org_a["caseworker"], document=number) == [moussa]


def test_case_code_search(org_a: Any, moussa: Any) -> None:
    typed = moussa.case_code.lower().replace("-", " ")
    assert _search(org_a["monitor"], case_code=moussa.case_code) == []
    assert _search(org_a["gbv_focal_point"], case_code=typed) == [moussa]


def test_criteria_combine(org_a: Any, moussa: Any) -> None:
    other = register(org_a["caseworker"], given_names="Moussa", family_names="Abdou")
    worker = org_a["caseworker"]
    assert set(_search(worker, text="moussa")) == {moussa, other}
    assert _search(worker, text="moussa", phone="96112233") == [moussa]
    assert _search(worker, text="moussa abdou", document="NA123456") == []
    assert _search(worker) == [other, moussa]  # newest first


def test_identity_update_rebuilds_the_keys(org_a: Any, moussa: Any) -> None:
    worker = org_a["caseworker"]
    identity = Identity.objects.get(person=moussa)
    services.identity_update(
        actor=worker,
        identity=identity,
        expected_version=identity.version,
        given_names="Souleymane",
        other_spellings=[],
        phone_numbers=["+223 76 12 34 56"],
    )
    assert _search(worker, text="ibrahim") == []
    assert _search(worker, text="souleymane ag") == [moussa]
    assert _search(worker, text="petit") == [moussa]  # alias unchanged
    assert _search(worker, phone="96112233") == []
    assert _search(worker, phone="+22376123456") == [moussa]


def test_document_changes_rebuild_the_keys(org_a: Any, moussa: Any) -> None:
    worker = org_a["caseworker"]
    document = moussa.documents.get()
    services.document_update(
        actor=worker,
        document=document,
        data=services.DocumentInput(
            document_type=code("document_type", "passport"),
            status=DocumentStatus.CONFISCATED,
            number="NB 999",
        ),
    )
    assert _search(worker, document="NA123456") == []
    assert _search(worker, document="nb999") == [moussa]
    services.document_remove(actor=worker, document=document)
    assert _search(worker, document="nb999") == []
    added = services.document_add(
        actor=worker,
        person=moussa,
        data=services.DocumentInput(
            document_type=code("document_type", "consular_card"),
            status=DocumentStatus.HELD,
            number="CC-42",
        ),
    )
    assert _search(worker, document="cc42") == [moussa]
    assert AuditEvent.objects.filter(object_id=str(added.public_id), action="create").exists()


def test_other_organisation_finds_nothing(org_a: Any, org_b: Any, moussa: Any) -> None:
    outsider = org_b["caseworker"]
    assert _search(outsider) == []
    assert _search(outsider, text="moussa") == []
    assert _search(outsider, phone="96112233") == []
    assert _search(outsider, document="NA123456") == []
    assert _search(outsider, case_code=moussa.case_code) == []
    with pytest.raises(Http404):
        access.person_get_for(outsider, moussa.public_id)
    with pytest.raises(Http404):
        access.identity_get_for(outsider, moussa.public_id)
    with pytest.raises(Http404):
        access.person_get_for_edit(org_b["supervisor"], moussa.public_id)
    assert access.identities_for_list(outsider, [moussa]) == {}


def test_same_name_in_another_organisation_stays_apart(org_a: Any, org_b: Any, moussa: Any) -> None:
    theirs = register(org_b["caseworker"], given_names="Moussa")
    assert _search(org_b["caseworker"], text="moussa") == [theirs]
    assert _search(org_a["caseworker"], text="moussa") == [moussa]


@pytest.mark.parametrize("role", NO_PEOPLE_ROLES)
def test_roles_without_people_get_404_and_nothing(org_a: Any, moussa: Any, role: str) -> None:
    user = org_a[role]
    with pytest.raises(Http404):
        access.person_get_for(user, moussa.public_id)
    with pytest.raises(Http404):
        access.identity_get_for(user, moussa.public_id)
    assert _search(user) == []
    assert _search(user, case_code=moussa.case_code) == []


def test_gbv_focal_point_sees_the_person_but_not_the_identity(org_a: Any, moussa: Any) -> None:
    user = org_a["gbv_focal_point"]
    assert access.person_get_for(user, moussa.public_id) == moussa
    with pytest.raises(Http404):
        access.identity_get_for(user, moussa.public_id)
    with pytest.raises(Http404):
        access.person_get_for_edit(user, moussa.public_id)
    assert _search(user, text="moussa") == []
    assert _search(user, phone="96112233") == []
    assert access.identities_for_list(user, [moussa]) == {}


@pytest.mark.parametrize("role", CASEWORK_ROLES)
def test_casework_roles_reach_person_and_identity(org_a: Any, moussa: Any, role: str) -> None:
    user = org_a[role]
    assert access.person_get_for(user, moussa.public_id) == moussa
    assert access.person_get_for_edit(user, moussa.public_id) == moussa
    assert access.identity_get_for(user, moussa.public_id).given_names == "Moussa Ibrahim"


def test_absent_and_malformed_ids_are_404(org_a: Any) -> None:
    for value in (uuid.uuid4(), "not-a-uuid", ""):
        with pytest.raises(Http404):
            access.person_get_for(org_a["caseworker"], value)


def test_anonymous_gets_404(org_a: Any, moussa: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Http404):
        access.person_get_for(AnonymousUser(), moussa.public_id)


def test_every_identity_read_is_audited(org_a: Any, moussa: Any) -> None:
    user = org_a["supervisor"]
    identity = Identity.objects.get(person=moussa)
    before = AuditEvent.objects.filter(action="read").count()
    access.identity_get_for(user, moussa.public_id)
    access.identity_get_for(user, moussa.public_id)
    reads = AuditEvent.objects.filter(action="read", object_id=str(identity.public_id))
    assert reads.count() == 2
    event = reads.first()
    assert event.actor == user
    assert event.organisation == org_a.org
    assert event.object_type == "people.identity"
    # Reading the pseudonymous core is not an identity read.
    access.person_get_for(user, moussa.public_id)
    assert AuditEvent.objects.filter(action="read").count() == before + 2


def test_identities_for_a_list_are_audited_in_one_go(
    org_a: Any, moussa: Any, django_assert_num_queries: Any
) -> None:
    other = register(org_a["caseworker"], given_names="Fatouma")
    people = list(selectors.person_search(actor=org_a["caseworker"]))
    org_a["caseworker"].role_codes()
    with django_assert_num_queries(2):  # identities, one insert of audit events
        found = access.identities_for_list(org_a["caseworker"], people)
    assert {i.given_names for i in found.values()} == {"Moussa Ibrahim", "Fatouma"}
    assert found[other.pk].given_names == "Fatouma"
    assert AuditEvent.objects.filter(action="read", object_type="people.identity").count() == 2


def test_search_query_count_does_not_grow_with_results(
    org_a: Any, moussa: Any, django_assert_num_queries: Any
) -> None:
    for given in ("Moussa", "Moussa Ali", "Moussa Garba"):
        register(org_a["caseworker"], given_names=given)
    worker = org_a["caseworker"]
    worker.role_codes()  # loaded with the user on a real request
    with django_assert_num_queries(3):  # the ids found by their keys, people, nationalities
        rows = list(selectors.person_search(actor=worker, text="moussa"))
        for person in rows:
            _ = (
                person.registering_office.name,
                person.population_category,
                list(person.nationalities.all()),
            )
    assert len(rows) == 4


@pytest.mark.parametrize("inline", [500, 1])
def test_every_name_token_must_match_whether_the_ids_are_read_at_once_or_not(
    org_a: Any, inline: int, monkeypatch: Any
) -> None:
    """A search by several tokens keeps the people having all of them (the tokens' postings
    intersected), whether the matching ids are few enough to be read at once
    (``INLINE_IDS``) or stay a subquery."""
    monkeypatch.setattr(selectors, "INLINE_IDS", inline)
    actor = org_a["caseworker"]
    both = [
        register(actor, given_names="Ibrahim Ag", family_names="Ahmed"),
        register(actor, given_names="Ahmed", family_names="Ibrahim"),
        register(actor, given_names="Ibrahim", family_names="Ahmed Ag"),
    ]
    register(actor, given_names="Ibrahim", family_names="Moussa")
    register(actor, given_names="Ahmed", family_names="Moussa")
    found = selectors.person_search(actor=actor, text="Ibrahim Ahmed")
    assert {p.pk for p in found} == {p.pk for p in both}
    assert {p.pk for p in selectors.person_search(actor=actor, text="ibrahim ag ahmed")} == {
        both[0].pk,
        both[2].pk,
    }


@pytest.mark.django_db
def test_search_keys_have_no_database_constraint_and_go_with_their_person() -> None:
    """Derived rows: no foreign-key checks in the database (an import writes 16 a person); the
    ORM deletes them with the person (CASCADE)."""
    from django.db import connection

    from kariya.people.factories import PersonFactory
    from kariya.people.models import PersonSearchKey

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, PersonSearchKey._meta.db_table
        )
    assert [name for name, c in constraints.items() if c["foreign_key"]] == []
    person, other = PersonFactory(), PersonFactory()
    for who in (person, other):
        PersonSearchKey.objects.create(
            person=who, organisation_id=who.organisation_id, kind="name", key="k" * 32
        )
    person.delete()
    assert list(PersonSearchKey.objects.values_list("person_id", flat=True)) == [other.pk]
