"""``core.paging.CappedPaginator``: counts stop after the pages a list can show."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kariya.cases.factories import open_case
from kariya.cases.models import Case
from kariya.cases.selectors import SegmentedCases
from kariya.codelists.models import Code
from kariya.core.paging import CappedPaginator, requested_page


@pytest.mark.parametrize(
    ("value", "number"), [(None, 1), ("", 1), ("3", 3), (" 7 ", 7), ("0", 1), ("-2", 1), ("x", 1)]
)
def test_the_requested_page_is_a_positive_number(value: Any, number: int) -> None:
    assert requested_page(value) == number


def test_a_short_list_is_counted_exactly() -> None:
    paginator = CappedPaginator(list(range(23)), 5, page_number="1", floor=100)
    assert paginator.count == 23
    assert not paginator.more
    assert paginator.pages_known == paginator.num_pages == 5


def test_a_long_list_is_counted_up_to_the_floor_and_says_there_is_more() -> None:
    paginator = CappedPaginator(list(range(30)), 5, page_number="1", floor=10)
    assert paginator.limit == 10
    assert paginator.count == 11
    assert paginator.more
    assert paginator.pages_known == 2
    page = paginator.get_page("2")
    assert list(page.object_list) == [5, 6, 7, 8, 9]
    assert page.has_next()


def test_a_deep_page_counts_one_page_past_itself_so_next_stays_right() -> None:
    paginator = CappedPaginator(list(range(60)), 5, page_number="6", floor=10)
    assert paginator.limit == 35
    page = paginator.get_page("6")
    assert list(page.object_list) == [25, 26, 27, 28, 29]
    assert page.has_next() and paginator.more
    last = CappedPaginator(list(range(60)), 5, page_number="12", floor=10)
    assert last.count == 60 and not last.more
    assert not last.get_page("12").has_next()


@pytest.mark.django_db
def test_a_queryset_is_counted_in_one_query_over_its_first_rows() -> None:
    codes = Code.objects.order_by("pk")
    assert codes.count() > 12, "the code lists loaded by the migrations"
    paginator = CappedPaginator(codes, 5, page_number=None, floor=10)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 11
    assert len(queries) == 1
    assert "LIMIT 11" in queries[0]["sql"].upper()
    assert "ORDER BY" not in queries[0]["sql"].upper()


def test_segmented_cases_count_each_segment_only_up_to_the_limit(org_a: Any) -> None:
    actor = org_a["caseworker"]
    for rating in ["high", "low", "medium", "high", "low", "high", "low"]:
        case = open_case(actor)
        Case.objects.filter(pk=case.pk).update(priority=rating)
    cases = Case.objects.filter(organisation=org_a.org)
    segmented = SegmentedCases(cases, "priority", ["high", "medium", "low"])
    assert segmented.count_upto(4) == 4
    assert segmented.counts() == {"high": 3, "medium": 1, "low": 0}
    assert [c.priority for c in segmented[0:4]] == ["high", "high", "high", "medium"]
    everything = SegmentedCases(cases, "priority", ["high", "medium", "low"])
    assert everything.count_upto(100) == 7
    assert everything.counts() == {"high": 3, "medium": 1, "low": 3}


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "first"), [("1", 0), ("2", 5), ("3", 10)])
def test_read_ahead_gives_the_count_and_the_page_from_one_query(page: str, first: int) -> None:
    codes = Code.objects.order_by("pk").values_list("pk", flat=True)
    expected = list(codes[:100])
    assert len(expected) > 20, "the code lists loaded by the migrations"
    with CaptureQueriesContext(connection) as queries:
        paginator = CappedPaginator(codes, 5, page_number=page, floor=10, read_ahead=True)
        shown = paginator.get_page(page)
        assert paginator.count == paginator.limit + 1 and paginator.more
        assert list(shown.object_list) == expected[first : first + 5]
    assert len(queries) == 1
    assert f"LIMIT {paginator.limit + 1}" in queries[0]["sql"].upper()
    assert "ORDER BY" in queries[0]["sql"].upper()


@pytest.mark.django_db
def test_read_ahead_of_a_short_list_counts_it_exactly() -> None:
    codes = Code.objects.filter(pk__in=Code.objects.order_by("pk").values("pk")[:7])
    paginator = CappedPaginator(codes.order_by("pk"), 5, page_number="2", read_ahead=True)
    assert paginator.count == 7 and not paginator.more
    assert len(paginator.get_page("2").object_list) == 2


@pytest.mark.django_db
def test_count_of_counts_the_plain_rows_not_the_joined_columns() -> None:
    codes = Code.objects.order_by("pk")
    shown = codes.values_list("pk", "parent__label_fr")
    paginator = CappedPaginator(shown, 5, page_number=None, floor=10, count_of=codes)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 11
        page = paginator.get_page(None)
    assert "JOIN" not in queries[0]["sql"].upper()
    assert [pk for pk, _parent in page.object_list] == list(codes.values_list("pk", flat=True)[:5])
