"""Pages of long lists without counting every matching row.

A list page needs to know whether there is a next page, not that an organisation has 43,136
cases: counting them all was the largest single cost of the case list at a million people
(3–5 ms on PostgreSQL, and most of the 110–130 ms of the filters that keep 20,000 cases, whose
matching rows had to be found one by one to be counted). ``CappedPaginator`` counts at most
``floor`` rows (1,000: twenty pages), or up to one page past the one asked for, so the pager
always knows whether a next page exists; beyond that the page says "more than 1,000" instead
of the exact number. Exact figures belong to the reports and dashboards, which aggregate.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_FLOOR = 1000


def requested_page(value: Any) -> int:
    """The page number asked for (1 when missing or not a positive number)."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else 1


class CappedPaginator(Paginator):
    """A ``Paginator`` whose ``count`` stops at ``limit + 1``.

    ``limit`` is ``floor``, or the rows up to the end of the page after ``page_number`` when
    that is more, so a deep page is still reachable and its "next" link still right. An
    object list may offer ``count_upto(n)`` (``cases.selectors.SegmentedCases`` does);
    otherwise a queryset is counted as ``COUNT(*)`` over its first ``limit + 1`` rows, with
    no ordering.

    ``count_of``: what to count instead of the object list — the same rows without the joins
    of the columns a list shows, which a count would otherwise walk for every row counted.

    ``read_ahead``: a queryset of small rows (ids), or of rows known to be few (a search by
    name, phone, document or case code), is read once, its first ``limit + 1`` rows in order,
    and both the count and the page come from that list — one query instead of two (on
    PostgreSQL each query is a round trip, a tenth of a list page's server time). Reading a
    thousand ids in index order costs what counting them does; for a thousand wide rows, leave
    it off.
    """

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *,
        page_number: Any,
        floor: int | None = None,
        count_of: Any = None,
        read_ahead: bool = False,
    ) -> None:
        floor = COUNT_FLOOR if floor is None else floor
        self.limit = max(floor, (requested_page(page_number) + 1) * per_page)
        if read_ahead and isinstance(object_list, QuerySet):
            object_list = list(object_list[: self.limit + 1])
            count_of = None  # counted from what was read
        self.count_of = object_list if count_of is None else count_of
        super().__init__(object_list, per_page)

    @cached_property
    def count(self) -> int:
        upto = self.limit + 1
        counted = self.count_of
        capped = getattr(counted, "count_upto", None)
        if capped is not None:
            return int(capped(upto))
        if isinstance(counted, QuerySet):
            return counted.order_by()[:upto].count()
        return min(len(counted), upto)

    @property
    def more(self) -> bool:
        """More rows match than were counted: show "more than ``limit``"."""
        return self.count > self.limit

    @property
    def pages_known(self) -> int:
        """The pages known to be full or last: ``num_pages`` when every row was counted."""
        return self.limit // self.per_page if self.more else self.num_pages
