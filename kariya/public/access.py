"""Who may see or write the public site's content. The only place that decides it.

- Published rights-information pages are public (no login); unpublished ones are 404 for the
  public.
- ``information.edit`` (network coordinator) writes every page, published or not: the pages
  belong to the network, not to one organisation.

Every ``*_get*`` answers 404 (``Http404``) both when the page does not exist and when the actor
may not reach it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from kariya.core.access import actor_can as can
from kariya.public.models import RightsPage

EDIT = "information.edit"


def can_edit_pages(actor: Any) -> bool:
    return can(actor, EDIT)


def rights_page_get_public(slug: str) -> RightsPage:
    """A published page (no login), or 404."""
    try:
        return RightsPage.objects.get(slug=slug, is_published=True)  # type: ignore[no-any-return]
    except RightsPage.DoesNotExist as exc:
        raise Http404 from exc


def editable_pages(actor: Any) -> QuerySet[RightsPage]:
    if not can_edit_pages(actor):
        return RightsPage.objects.none()
    return RightsPage.objects.all()


def rights_page_get_for_edit(actor: Any, slug: str) -> RightsPage:
    """Any page, published or not, for ``information.edit``, or 404."""
    try:
        return editable_pages(actor).get(slug=slug)  # type: ignore[no-any-return]
    except RightsPage.DoesNotExist as exc:
        raise Http404 from exc
