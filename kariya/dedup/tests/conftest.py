"""Fixtures of the dedup tests: two records of one (synthetic) person in organisation A, each
with records of every kind linked to it."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone, translation

from kariya.cases import services as cases_services
from kariya.cases.factories import open_case, screen
from kariya.cases.models import Case
from kariya.cases.workflow import ClosureReason, Status
from kariya.codelists.models import Code
from kariya.geo.models import AdminUnit, Country
from kariya.people import services as people_services
from kariya.people.factories import code, register, services_consent
from kariya.people.models import ConsentScope, DataCategory, Person, RestrictionAudience


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@dataclass
class Pair:
    keep: Person
    absorb: Person
    keep_case: Case
    absorb_case: Case
    relative: Person


def close_case(case: Case) -> None:
    """Test set-up only: a closed case without walking the approval workflow."""
    Case.objects.filter(pk=case.pk).update(
        status=Status.CLOSED, closed_at=timezone.now(), closure_reason=ClosureReason.MOVED_ON
    )


def _document(number: str) -> people_services.DocumentInput:
    return people_services.DocumentInput(
        document_type=code("document_type", "passport"), status="held", number=number
    )


def build_pair(org: Any) -> Pair:
    """Two records of one person: "keep" with a closed case and a household link, "absorb"
    with an active case (a service delivered, a note), an assessment, documents, consents with
    a restriction, a migration profile, other nationalities and a link to a relative."""
    worker = org["caseworker"]
    keep = register(
        worker,
        given_names="Mahamadou",
        family_names="Issoufou",
        other_spellings=["Mamadou Issoufou"],
        phone_numbers=["+227 90 12 34 56"],
        nationalities=[Country.objects.get(iso3="NER")],
    )
    absorb = register(
        worker,
        given_names="Mohamed",
        family_names="Issoufou",
        aliases=["Hamma"],
        phone_numbers=["+227 96 00 11 22", "+227 90 12 34 56"],
        birth_date=datetime.date(1993, 1, 1),
        nationalities=[Country.objects.get(iso3="MLI")],
        languages=[code("language", "hau")],
        documents=[_document("AB 123 456")],
        migration=people_services.MigrationInput(
            origin_country=Country.objects.get(iso3="MLI"),
            current_commune=AdminUnit.objects.filter(level=3).first(),
        ),
        consents=[
            services_consent(),
            services_consent(
                scope=ConsentScope.STATISTICS,
                restrictions=[
                    people_services.RestrictionInput(
                        withhold=DataCategory.HEALTH,
                        audience=RestrictionAudience.DONORS,
                        reason="synthétique",
                    )
                ],
            ),
        ],
    )
    relative = register(worker, given_names="Aïchatou", family_names="Issoufou")
    people_services.household_link_add(
        actor=worker, person=absorb, relative=relative, relationship=code("relationship", "spouse")
    )
    people_services.household_link_add(
        actor=worker, person=relative, relative=absorb, relationship=code("relationship", "spouse")
    )
    keep_case = open_case(worker, keep)
    close_case(keep_case)
    absorb_case = open_case(worker, absorb)
    cases_services.assessment_record(
        actor=worker,
        person=absorb,
        assessed_on=timezone.localdate(),
        case=absorb_case,
    )
    screen(worker, absorb)
    cases_services.case_note_add(actor=worker, case=absorb_case, body="Note synthétique")
    cases_services.service_delivery_record(
        actor=worker,
        case=absorb_case,
        service_type=Code.objects.get(list="service_type", code="mhpss"),
        provider=org.org,
        delivered_on=timezone.localdate(),
        outcome="delivered",
    )
    return Pair(keep, absorb, keep_case, absorb_case, relative)


@pytest.fixture
def pair(org_a: Any) -> Pair:
    return build_pair(org_a)
