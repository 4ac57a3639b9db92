from __future__ import annotations

import csv
from typing import Any

import pytest
from django.utils import translation

from kariya.codelists.loading import DATA_DIR, load_list, shipped_lists
from kariya.codelists.models import Code, CodeListName


def test_every_shipped_list_is_loaded_in_full(db: Any) -> None:
    assert set(shipped_lists()) == set(CodeListName.values)
    for name in shipped_lists():
        with (DATA_DIR / f"{name}.csv").open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        codes = set(Code.objects.of(name).values_list("code", flat=True))
        assert codes == {r["code"] for r in rows}, name
        assert all(r["label_fr"] and r["label_en"] for r in rows), name


def test_unhcr_sub_codes_hang_under_their_category(db: Any) -> None:
    child = Code.objects.get(list="specific_need", code="SC-UC")
    assert child.parent is not None and child.parent.code == "SC"
    assert Code.objects.of("specific_need").filter(parent__isnull=True).count() == 12


def test_labels_follow_the_language_with_french_fallback(db: Any) -> None:
    code = Code.objects.get(list="population_category", code="transit")
    with translation.override("fr"):
        assert code.label == "Migrant en transit"
    with translation.override("en"):
        assert code.label == "Migrant in transit"
    with translation.override("ha"):
        assert code.label == "Migrant en transit"  # no Hausa label: French
    service = Code.objects.get(list="service_type", code="food")
    with translation.override("ha"):
        assert service.label == "Abinci"


def test_loading_again_changes_nothing_and_keeps_admin_edits(db: Any) -> None:
    Code.objects.create(list="language", code="snk", label_fr="Soninké", label_en="Soninke")
    assert load_list(Code, "language") == (0, 0)
    assert Code.objects.filter(list="language", code="snk").exists()


def test_a_changed_label_is_updated_and_versioned(db: Any) -> None:
    code = Code.objects.get(list="language", code="hau")
    Code.objects.filter(pk=code.pk).update(label_fr="Hausa (ancien)")
    assert load_list(Code, "language") == (0, 1)
    code.refresh_from_db()
    assert code.label_fr == "Haoussa" and code.version == 2


@pytest.mark.parametrize("name", ["population_category", "service_type"])
def test_codes_are_unique_within_a_list(db: Any, name: str) -> None:
    codes = list(Code.objects.of(name).values_list("code", flat=True))
    assert len(codes) == len(set(codes))
