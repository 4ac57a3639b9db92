"""Reads: country choices for nationality fields, accent-insensitive unit search."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from kariya.geo import selectors
from kariya.geo.loading import QUICK_PICK, fold
from kariya.geo.models import Country

pytestmark = pytest.mark.django_db


def test_country_choices_quick_picks_first_then_by_french_name(
    django_assert_num_queries: Any,
) -> None:
    with translation.override("fr"), django_assert_num_queries(1):
        choices = selectors.country_choices()
    codes = [code for code, _ in choices]
    assert codes[: len(QUICK_PICK)] == QUICK_PICK
    assert choices[0] == ("NER", "Niger")
    assert choices[7] == ("CMR", "Cameroun")
    rest = choices[len(QUICK_PICK) :]
    assert len(choices) == Country.objects.count() == 249
    assert len(set(codes)) == len(codes)
    names = [name for _, name in rest]
    assert names == sorted(names, key=lambda n: fold(n).casefold())
    # Accents do not send a country to the end: Égypte sorts among the E.
    assert names.index("Égypte") < names.index("Érythrée") < names.index("Espagne")
    assert names.index("Espagne") < names.index("États-Unis") < names.index("Éthiopie")
    assert names[-1] != "Égypte"


def test_country_choices_in_english_and_grouped() -> None:
    with translation.override("en"):
        choices = selectors.country_choices()
        grouped = selectors.country_choices(grouped=True)
    assert choices[2] == ("MLI", "Mali")
    names = [name for _, name in choices[len(QUICK_PICK) :]]
    assert names.index("Egypt") < names.index("Eritrea")
    assert ("USA", "United States") in choices
    assert [len(options) for _, options in grouped] == [18, 231]
    assert grouped[0][1] + grouped[1][1] == choices


def test_inactive_countries_are_not_offered() -> None:
    Country.objects.filter(iso3="BFA").update(is_active=False)
    codes = [code for code, _ in selectors.country_choices()]
    assert "BFA" not in codes and len(codes) == 248


@pytest.mark.parametrize(
    ("search", "pcode"),
    [
        ("Maine Soroa", "NE002004"),
        ("Maïné Soroa", "NE002004"),
        ("maine   soroa", "NE002004"),
        ("N'Guigmi", "NE002006"),
        ("Birni NKonni", "NE005003"),
        ("ne005003", "NE005003"),
    ],
)
def test_unit_search_ignores_accents_apostrophes_and_case(search: str, pcode: str) -> None:
    found = selectors.adminunit_list(search=search, level=2)
    assert [u.pcode for u in found] == [pcode]
