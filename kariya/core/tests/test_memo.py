"""kariya.core.memo: reference data choices kept a minute, forgotten when the data changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from kariya.cases.forms import CaseSearchForm
from kariya.codelists.models import Code
from kariya.core import memo
from kariya.geo.models import AdminUnit


def test_a_value_is_kept_for_its_ttl_then_computed_again(monkeypatch: Any) -> None:
    calls: list[int] = []
    clock = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: clock[0])

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert memo.reference("k", compute, ttl=60) == 1
    clock[0] += 59
    assert memo.reference("k", compute, ttl=60) == 1
    clock[0] += 2
    assert memo.reference("k", compute, ttl=60) == 2
    memo.reference_changed()
    assert memo.reference("k", compute, ttl=60) == 3


@pytest.mark.django_db
def test_saving_a_commune_or_a_code_refreshes_the_list_filters() -> None:
    def offered(name: str) -> set[str]:
        with translation.override("fr"):
            form = CaseSearchForm(None, identity=False)
            return {str(label) for _v, label in form.fields[name].choices}

    commune = AdminUnit.objects.communes().active().order_by("name_fr").first()
    assert commune is not None and commune.name_fr in offered("commune")
    commune.is_active = False
    commune.save()
    assert commune.name_fr not in offered("commune")

    need = Code.objects.of("specific_need").active().order_by("order", "code").first()
    assert need is not None
    need.label_fr = "Besoin renommé"
    need.save()
    assert f"{need.code} — Besoin renommé" in offered("specific_need")


def test_a_new_caseworker_or_role_refreshes_the_caseworker_filter(org_a: Any, org_b: Any) -> None:
    from kariya.accounts.factories import UserFactory
    from kariya.accounts.models import UserRole
    from kariya.accounts.roles import Role
    from kariya.cases.selectors import organisation_caseworkers

    def offered(org: Any) -> set[str]:
        actor = org["supervisor"]
        form = CaseSearchForm(
            None,
            identity=False,
            caseworkers=organisation_caseworkers(actor),
            organisation_id=actor.organisation_id,
        )
        return {value for value, _label in form.fields["caseworker"].choices if value}

    a_before, b_before = offered(org_a), offered(org_b)
    assert a_before and not a_before & b_before  # each organisation its own list
    worker = org_a["caseworker"]
    newcomer = UserFactory(organisation=worker.organisation, office=worker.office, roles=[])
    assert offered(org_a) == a_before
    UserRole.objects.create(user=newcomer, role=Role.CASEWORKER)
    assert offered(org_a) == a_before | {str(newcomer.public_id)}
    assert offered(org_b) == b_before
