"""Background work of the directory, on Django's task API (the ``django-tasks`` backport;
``TASKS`` in the settings picks the backend: the database backend of ``django-tasks-db`` by
default, run by ``kariya db-worker``; the immediate backend in tests).

Tasks take no personal data as arguments (here: none at all) and call the services.
"""

from __future__ import annotations

from django_tasks import task

from kariya.directory import services


@task()
def remind_stale_services() -> dict[str, int]:
    """Flag the entries not verified for 90 days and remind their focal points by e-mail.
    Scheduled daily by cron through ``kariya directory-remind`` (docs/deployment.md)."""
    result = services.directory_remind_stale()
    return {
        "flagged": result.flagged,
        "reminded": result.reminded,
        "emails": result.emails,
        "unreachable": result.unreachable,
    }
