"""Writes of the public site's content: keyword-only, atomic, validating, audited.

Rule: only ``information.edit`` (the network coordinator) writes rights-information pages; a
French title and text are required (the other languages fall back to French); the address
(slug) is unique; an edit made from a stale copy is refused.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kariya.core.audit import audit_record
from kariya.core.models import AuditAction
from kariya.public import access
from kariya.public.models import RightsPage


@dataclass(frozen=True)
class PageContent:
    slug: str
    title_fr: str
    body_fr: str
    title_en: str = ""
    title_ha: str = ""
    title_ar: str = ""
    body_en: str = ""
    body_ha: str = ""
    body_ar: str = ""
    order: int = 0
    is_published: bool = False


FIELDS = tuple(PageContent.__dataclass_fields__)


def _require_editor(actor: Any) -> None:
    if not access.can_edit_pages(actor):
        raise PermissionDenied


def _validate(page: RightsPage) -> None:
    page.full_clean(exclude=["updated_by"], validate_unique=False)
    others = RightsPage.objects.exclude(pk=page.pk)
    if others.filter(slug=page.slug).exists():
        raise ValidationError({"slug": _("Another page already has this address.")})


def _normalised(content: PageContent) -> dict[str, Any]:
    values = asdict(content)
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip()
    values["slug"] = values["slug"].lower()
    return values


@transaction.atomic
def rights_page_create(*, actor: Any, content: PageContent) -> RightsPage:
    """A new page (unpublished unless said otherwise)."""
    _require_editor(actor)
    now = timezone.now()
    page = RightsPage(**_normalised(content), created_at=now, updated_at=now, updated_by=actor)
    _validate(page)
    page.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=page, changed_fields=FIELDS)
    return page


@transaction.atomic
def rights_page_update(
    *, actor: Any, page: RightsPage, expected_version: int, content: PageContent
) -> RightsPage:
    """Replace the page's content, as the form does; refused from a stale copy."""
    _require_editor(actor)
    values = _normalised(content)
    changed = [name for name in FIELDS if getattr(page, name) != values[name]]
    for name in changed:
        setattr(page, name, values[name])
    _validate(page)
    if not changed:
        return page
    page.updated_at = timezone.now()
    updated = RightsPage.objects.filter(pk=page.pk, version=expected_version).update(
        version=F("version") + 1,
        updated_at=page.updated_at,
        updated_by=actor,
        **{name: values[name] for name in changed},
    )
    if updated != 1:
        raise ValidationError(
            _(
                "Someone else saved this page while you were editing it. Your changes were not "
                "saved: reload the page, then make your changes again."
            ),
            code="stale",
        )
    page.version = expected_version + 1
    page.updated_by = actor
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=page, changed_fields=changed)
    return page
