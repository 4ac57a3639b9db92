"""The case list's filter form builds its choices from plain values (for the list's speed):
they must say what the model would, and still filter."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from kariya.cases import selectors
from kariya.cases.forms import CaseSearchForm
from kariya.codelists.models import Code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en"])
def test_specific_need_choices_are_the_codes_labels(language: str) -> None:
    with translation.override(language):
        form = CaseSearchForm(None, identity=False)
        expected = [
            (c.code, f"{c.code} — {c.label}")
            for c in Code.objects.of("specific_need").active().order_by("order", "code")
        ]
        choices = [(str(v), str(label)) for v, label in form.fields["specific_need"].choices]
    assert len(expected) > 10
    assert choices[1:] == expected
    assert choices[0][0] == ""


def test_caseworker_choices_and_cleaning(org_a: Any, org_b: Any) -> None:
    supervisor = org_a["supervisor"]
    caseworker = org_a["caseworker"]
    caseworker.first_name, caseworker.last_name = "Moussa", "Issoufou"
    caseworker.save()
    workers = selectors.organisation_caseworkers(supervisor)
    form = CaseSearchForm(None, identity=False, caseworkers=workers)
    assert (str(caseworker.public_id), "Moussa Issoufou") in form.fields["caseworker"].choices

    chosen = CaseSearchForm(
        {"caseworker": str(caseworker.public_id)}, identity=False, caseworkers=workers
    )
    assert chosen.is_valid()
    assert chosen.cleaned_data["caseworker"] == caseworker
    # Another organisation's caseworker is not a choice.
    other = CaseSearchForm(
        {"caseworker": str(org_b["caseworker"].public_id)}, identity=False, caseworkers=workers
    )
    assert not other.is_valid()
    assert "caseworker" in other.errors


def test_specific_need_cleans_to_the_code() -> None:
    form = CaseSearchForm({"specific_need": "SV"}, identity=False)
    assert form.is_valid()
    assert form.cleaned_data["specific_need"] == Code.objects.of("specific_need").get(code="SV")
    assert not CaseSearchForm({"specific_need": "NOPE"}, identity=False).is_valid()
