"""Who may import and export, and who may read an import's report. The only place that decides.

- importing needs ``exchange.import`` (supervisors): an import registers people and opens cases
  for other caseworkers, which a caseworker may not do;
- exporting case lists needs ``exchange.export_cases`` (supervisors) and reaches only the cases
  ``cases.access.visible_cases`` gives; names and phones come only with
  ``people.view_identity`` and only when asked for;
- an import's report exists only for the organisation that ran it (404 otherwise).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404

from kariya.core.access import actor_can as can
from kariya.exchange.models import ImportRun

IMPORT = "exchange.import"
EXPORT_CASES = "exchange.export_cases"
VIEW_IDENTITY = "people.view_identity"


def can_import(actor: Any) -> bool:
    return can(actor, IMPORT)


def can_export_cases(actor: Any) -> bool:
    return can(actor, EXPORT_CASES)


def can_export_identity(actor: Any) -> bool:
    return can_export_cases(actor) and can(actor, VIEW_IDENTITY)


def can_use_exchange(actor: Any) -> bool:
    return can_import(actor) or can_export_cases(actor)


def import_run_get_for(actor: Any, public_id: Any) -> ImportRun:
    """An import of the actor's organisation, for a role that imports."""
    if not can_import(actor):
        raise Http404
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404 from exc
    try:
        run: ImportRun = ImportRun.objects.select_related("office", "created_by").get(
            public_id=key, organisation_id=actor.organisation_id
        )
    except ImportRun.DoesNotExist as exc:
        raise Http404 from exc
    return run
