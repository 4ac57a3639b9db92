"""What keeps the people list fast without changing what it shows: communes' choices from plain
values, selects rendered in Python, identities of a list loaded by their names only (and every
one of them still an audited read)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms

from kariya.core.models import AuditEvent
from kariya.core.widgets import QuickSelect
from kariya.geo import selectors as geo_selectors
from kariya.people import access
from kariya.people.factories import register
from kariya.people.forms import CommuneField, PersonFilterForm
from kariya.people.models import Identity

pytestmark = pytest.mark.django_db


def _same(html: Any) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


def test_commune_choices_match_the_model_labels() -> None:
    field = CommuneField(label="Commune")
    expected = [("", "—")] + [
        (c.pcode, f"{c.name_fr} ({c.parent.name_fr}, {c.parent.parent.name_fr})")
        for c in geo_selectors.communes()
    ]
    assert len(expected) > 1
    assert [(str(value), str(label)) for value, label in field.choices] == expected
    assert field.clean(expected[1][0]).pcode == expected[1][0]


def test_filter_form_selects_render_as_django_would() -> None:
    data = {"commune": "NE001003001", "sex": "female", "order": "oldest"}
    quick = PersonFilterForm(data, show_identity=True)
    plain = PersonFilterForm(data, show_identity=True)
    for name in ("sex", "population_category", "commune", "order"):
        assert isinstance(quick.fields[name].widget, QuickSelect)
        plain.fields[name].widget = forms.Select(
            attrs=plain.fields[name].widget.attrs, choices=plain.fields[name].widget.choices
        )
    quick.is_valid()
    plain.is_valid()
    for name in ("sex", "population_category", "commune", "order"):
        assert _same(quick[name]) == _same(plain[name])
    assert '<option value="NE001003001" selected>' in str(quick["commune"])


def test_names_only_identities_still_audited(org_a: Any) -> None:
    supervisor = org_a["supervisor"]
    people = [register(org_a["caseworker"], given_names=f"Awa{i}") for i in range(3)]
    before = AuditEvent.objects.filter(object_type="people.identity").count()
    identities = access.identities_for_list(supervisor, people, names_only=True)
    assert sorted(i.given_names for i in identities.values()) == ["Awa0", "Awa1", "Awa2"]
    reads = AuditEvent.objects.filter(object_type="people.identity").order_by("-id")[:3]
    assert AuditEvent.objects.filter(object_type="people.identity").count() == before + 3
    # Each read names the identity shown (read as values, not as instances).
    expected = {str(identity.public_id) for identity in Identity.objects.filter(person__in=people)}
    assert {event.object_id for event in reads} == expected
    assert {event.actor_id for event in reads} == {supervisor.pk}


def test_a_search_reads_its_rows_and_its_count_in_one_query(client: Any, org_a: Any) -> None:
    """A search by name finds a few people: the list reads their rows once and counts them
    from what it read; the plain list counts first (a COUNT over the first 1,001)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    actor = org_a["caseworker"]
    for i in range(3):
        register(actor, given_names=f"Hadiza{i}", family_names="Mahamadou")
    register(actor, given_names="Moussa", family_names="Abdou")
    client.force_login(actor)
    with CaptureQueriesContext(connection) as searched:
        response = client.post("/people/", {"name": "Mahamadou"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3
    assert sorted(r["identity"].given_names for r in response.context["rows"]) == [
        "Hadiza0",
        "Hadiza1",
        "Hadiza2",
    ]
    assert not any("COUNT(" in q["sql"].upper() for q in searched.captured_queries)
    with CaptureQueriesContext(connection) as listed:
        response = client.get("/people/")
    assert response.context["page"].paginator.count == 4
    assert any("COUNT(" in q["sql"].upper() for q in listed.captured_queries)
