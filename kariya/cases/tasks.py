"""Background work of the cases app, on Django's task API (``TASKS`` in the settings: the
database backend run by ``kariya db-worker``; the immediate backend in tests).

Tasks take no personal data as arguments (here: a code's primary key) and call the services.
"""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from kariya.cases import listkeys
from kariya.cases.models import VulnerabilityAssessment


@task()
def list_keys_refresh_for_code(code_id: int) -> int:
    """The case list's keys of every person assessed with the specific need ``code_id``,
    again, after the code was changed (its parent decides which category lists the case).
    Enqueued once the change is committed; batches of ``listkeys.BATCH`` persons, each its own
    transaction. Returns the number of persons."""
    through = VulnerabilityAssessment.specific_needs.through
    person_ids = sorted(
        set(
            through.objects.filter(code_id=code_id).values_list(
                "vulnerabilityassessment__person_id", flat=True
            )
        )
    )
    for start in range(0, len(person_ids), listkeys.BATCH):
        with transaction.atomic():
            listkeys.refresh(person_ids[start : start + listkeys.BATCH])
    return len(person_ids)
