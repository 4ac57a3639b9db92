"""The people pages' forms can be used by touch and by a screen reader: one id per element,
every label and help text tied to its field, and every group of radio buttons or checkboxes
("Sex", "Languages spoken", "The person also consents to") named by a legend."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from kariya.people.factories import register
from tests.htmlcheck import form_problems


@pytest.fixture
def person(org_a: Any) -> Any:
    return register(org_a["caseworker"])


def test_the_registration_form_names_each_group_of_boxes(login: Any, org_a: Any) -> None:
    client = login(org_a["caseworker"])
    html = client.get(reverse("people:person_register")).content.decode()
    # The sex radio buttons sit in a fieldset whose legend asks the question.
    sex = re.search(
        r"<fieldset[^>]*>\s*<legend>([^<]*)</legend>(?:(?!</?fieldset).)*?"
        r'name="sex"',
        html,
        re.S,
    )
    assert sex is not None and sex.group(1).strip() in {"Sex", "Sexe"}
    assert form_problems(html) == []


def test_a_refused_registration_keeps_its_labels(login: Any, org_a: Any) -> None:
    client = login(org_a["caseworker"])
    response = client.post(reverse("people:person_register"), {"sex": "female"})
    assert response.status_code == 400
    assert form_problems(response.content.decode()) == []


@pytest.mark.parametrize(
    "name",
    [
        "person_detail",
        "person_edit",
        "identity_edit",
        "document_add",
        "migration_edit",
        "household_add",
        "consent_add",
        "legal_basis_record",
    ],
)
def test_the_person_pages_are_labelled(login: Any, org_a: Any, person: Any, name: str) -> None:
    client = login(org_a["caseworker"])
    response = client.get(reverse(f"people:{name}", args=[person.public_id]))
    assert response.status_code == 200
    assert form_problems(response.content.decode()) == []


def test_the_person_list_filters_are_labelled(login: Any, org_a: Any, person: Any) -> None:
    client = login(org_a["caseworker"])
    html = client.get(reverse("people:person_list")).content.decode()
    assert form_problems(html) == []
