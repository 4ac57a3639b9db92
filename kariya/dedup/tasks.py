"""Background work of duplicate detection, on Django's task API (the ``django-tasks``
backport; ``TASKS`` in the settings: the database backend of ``django-tasks-db``, run by
``kariya db-worker``, in production; the immediate backend in tests).

The task takes the run's id only — no personal data in task arguments — and calls the service.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from kariya.dedup import services
from kariya.dedup.models import DedupRun


@task()
def registry_deduplicate(run_id: int) -> dict[str, Any]:
    """Carry out a queued search for duplicates (``services.registry_deduplicate_run``). A run
    that failed is recorded on the run (status, error code), not raised: the task result would
    keep the exception's message, which may hold data."""
    run = DedupRun.objects.select_related("organisation", "started_by").filter(pk=run_id).first()
    if run is None:
        return {"run": run_id, "status": "missing"}
    run = services.registry_deduplicate_run(run=run)
    return {"run": run_id, "status": run.status}
