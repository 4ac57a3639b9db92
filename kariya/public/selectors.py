"""Reads of the public site's content."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kariya.public import access
from kariya.public.models import RightsPage


def published_pages() -> QuerySet[RightsPage]:
    """The rights-information pages the public sees, in their order."""
    return RightsPage.objects.filter(is_published=True).order_by("order", "slug")


def pages_for_staff(actor: Any) -> QuerySet[RightsPage]:
    """Every page, published or not, for their editors (a handful of rows: not paginated)."""
    return access.editable_pages(actor).select_related("updated_by").order_by("order", "slug")
