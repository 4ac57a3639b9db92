"""Optimistic locking for records two people may edit at once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _


def stale_error() -> ValidationError:
    """The error for an edit made from a stale copy (``code="stale"``), for services that
    check the version themselves before a write ``save_versioned`` cannot express."""
    return ValidationError(
        _(
            "Someone else saved this record while you were editing it. Your changes were "
            "not saved: reload the page to see the current version, then make your changes "
            "again."
        ),
        code="stale",
    )


def save_versioned(
    instance: Model, *, expected_version: int, fields: list[str], actor: Any
) -> None:
    """Write ``fields`` only if nobody saved the record since ``expected_version`` was read.

    Raises ``ValidationError`` (nothing written) when the record changed in between, so the
    form can show the message and keep the user's input.
    """
    model = type(instance)
    values = {name: getattr(instance, name) for name in fields}
    values["updated_at"] = timezone.now()
    values["updated_by"] = actor
    changed = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    if changed != 1:
        raise stale_error()
    instance.version = expected_version + 1  # type: ignore[attr-defined]
    instance.updated_at = values["updated_at"]  # type: ignore[attr-defined]
