"""The import writes through the bulk services, in batches, inside one transaction."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kariya.accounts.models import Office
from kariya.cases.models import Case, Screening
from kariya.codelists.models import Code
from kariya.core.models import AuditEvent
from kariya.exchange import services
from kariya.exchange.columns import BY_KEY, COLUMNS
from kariya.exchange.models import ImportRun, ImportStatus
from kariya.exchange.reading import Table
from kariya.exchange.tests.helpers import good_row, with_case
from kariya.geo.models import AdminUnit, Country
from kariya.people import selectors
from kariya.people import services as people_services
from kariya.people.models import (
    Consent,
    ConsentScope,
    Identity,
    IdentityDocument,
    Person,
    PersonSearchKey,
)

pytestmark = pytest.mark.django_db


def _office(world: Any) -> Office:
    return Office.objects.filter(organisation=world.org).first()


def _table(rows: list[dict[str, Any]]) -> Table:
    keys = [c.key for c in COLUMNS]
    return Table(
        "csv",
        [c.header() for c in COLUMNS],
        [(number, [row.get(k, "") for k in keys]) for number, row in enumerate(rows, start=2)],
    )


def _inserts(queries: CaptureQueriesContext, table: str) -> int:
    """Statements that wrote rows into ``table`` (``COPY`` on PostgreSQL, see core.bulk)."""
    return sum(
        1
        for q in queries.captured_queries
        if q["sql"].startswith((f'INSERT INTO "{table}"', f'COPY "{table}"'))
    )


LATE_REFUSALS = {
    # Passes every shape check; refused by person_register_bulk (implausible birth year).
    "person": ({"birth_year": "2090"}, "birth_year"),
    # Passes every shape check; refused by case_bulk_record (screening in the future).
    "screening": (
        {"screening_date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()},
        "screening_date",
    ),
}


@pytest.mark.parametrize("refused_by", LATE_REFUSALS)
def test_a_row_refused_in_a_late_batch_rolls_back_the_earlier_batches(
    org_a: Any, monkeypatch: Any, refused_by: str
) -> None:
    monkeypatch.setattr(services, "BATCH_ROWS", 2)
    overrides, column = LATE_REFUSALS[refused_by]
    rows = [with_case("alpha_caseworker", given_names=f"Awa{n}") for n in range(4)]
    rows.append(with_case("alpha_caseworker", given_names="Late", **overrides))  # row 6, batch 3
    before = AuditEvent.objects.count()

    with CaptureQueriesContext(connection) as queries:
        run = services.people_import(
            actor=org_a["supervisor"], office=_office(org_a), table=_table(rows)
        )

    # The first two batches were written (people, screenings and cases) before the refusal...
    assert _inserts(queries, "people_person") >= 2
    assert _inserts(queries, "cases_case") >= 2
    # ... and rolled back with it: nothing stays but the report and its one audit event.
    assert run.status == ImportStatus.REJECTED
    assert [e[:2] for e in run.errors] == [[6, BY_KEY[column].header()]]
    assert (run.people, run.screenings, run.cases) == (0, 0, 0)
    assert Person.objects.count() == 0
    assert Identity.objects.count() == 0
    assert Consent.objects.count() == 0
    assert PersonSearchKey.objects.count() == 0
    assert Screening.objects.count() == 0
    assert Case.objects.count() == 0
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.filter(object_type="exchange.importrun").count() == 1
    assert ImportRun.objects.count() == 1


def test_every_refused_row_is_reported_across_batches(org_a: Any, monkeypatch: Any) -> None:
    """A refused row does not hide the others: every row goes through the services."""
    monkeypatch.setattr(services, "BATCH_ROWS", 2)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    rows = [
        good_row(birth_year="2090"),  # row 2, batch 1: the person
        with_case("alpha_caseworker", screening_date=tomorrow),  # row 3, batch 1: the screening
        good_row(sex="x"),  # row 4: shape
        with_case("alpha_caseworker"),  # row 5: fine
        good_row(birth_year="2091"),  # row 6, batch 3
    ]
    run = services.people_import(
        actor=org_a["supervisor"], office=_office(org_a), table=_table(rows)
    )
    assert run.status == ImportStatus.REJECTED
    assert [e[:2] for e in run.errors] == [
        [2, BY_KEY["birth_year"].header()],
        [3, BY_KEY["screening_date"].header()],
        [4, BY_KEY["sex"].header()],
        [6, BY_KEY["birth_year"].header()],
    ]
    assert Person.objects.count() == 0


def _keys(person: Person) -> set[tuple[str, str]]:
    return set(PersonSearchKey.objects.filter(person=person).values_list("kind", "key"))


def test_an_imported_person_is_stored_and_found_as_one_registered_by_hand(org_a: Any) -> None:
    supervisor = org_a["supervisor"]
    office = _office(org_a)
    run = services.people_import(
        actor=supervisor, office=office, table=_table([with_case("alpha_caseworker")])
    )
    assert run.status == ImportStatus.IMPORTED, run.errors
    imported = Person.objects.get()
    code = Code.objects.get
    by_hand = people_services.person_register(
        actor=supervisor,
        office=office,
        sex="female",
        birth_year=1995,
        birth_estimated=True,
        nationalities=[Country.objects.get(iso3="MLI")],
        languages=[code(list="language", code="fra"), code(list="language", code="hau")],
        population_category=code(list="population_category", code="transit"),
        given_names="Aïcha",
        family_names="Maïga",
        aliases=["Aïssa", "Tata"],
        phone_numbers=["90 12 34 56"],
        documents=[
            people_services.DocumentInput(
                document_type=code(list="document_type", code="passport"),
                status="held",
                number="AB 123456",
                issuing_country=Country.objects.get(iso3="MLI"),
            )
        ],
        migration=people_services.MigrationInput(
            origin_country=Country.objects.get(iso3="MLI"),
            arrival_date=datetime.date(2026, 1, 15),
            current_commune=AdminUnit.objects.get(pcode="NE001003001"),
            status="in_transit",
        ),
        consents=[
            people_services.ConsentInput(
                scope=ConsentScope.SERVICES,
                given_by="self",
                method="oral_witnessed",
                language=code(list="language", code="hau"),
            )
        ],
    )

    # The same blind-index search and match keys (names, aliases, phone, document)...
    assert _keys(imported) == _keys(by_hand)
    assert {kind for kind, _key in _keys(imported)} == {
        "name",
        "phone",
        "document",
        "match_name",
        "name_year",
        "phone_name",
    }
    # ... the same decrypted identity ...
    first, second = Identity.objects.get(person=imported), Identity.objects.get(person=by_hand)
    for name in ("given_names", "family_names", "alias_list", "phone_list", "birth_date"):
        assert getattr(first, name) == getattr(second, name), name
    assert first.phone_list == ["+22790123456"]
    documents = [IdentityDocument.objects.get(person=p) for p in (imported, by_hand)]
    assert documents[0].number_index == documents[1].number_index != ""
    for name in ("sex", "birth_year", "birth_estimated", "population_category_id"):
        assert getattr(imported, name) == getattr(by_hand, name), name
    # ... and the search finds both, by a spelling variant of the name and by the phone.
    both = {imported.pk, by_hand.pk}
    assert {p.pk for p in selectors.person_search(actor=supervisor, text="AICHA maiga")} == both
    assert {p.pk for p in selectors.person_search(actor=supervisor, text="Aisa")} == both
    assert {p.pk for p in selectors.person_search(actor=supervisor, phone="+227 90123456")} == both
    assert {p.pk for p in selectors.person_search(actor=supervisor, document="ab123456")} == both
    # The imported one also has its screening and case.
    assert Case.objects.get().person == imported
