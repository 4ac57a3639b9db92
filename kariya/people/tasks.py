"""Background work of the people app, on Django's task API (``TASKS`` in the settings: the
database backend run by ``kariya db-worker``; the immediate backend in tests).

Tasks take no personal data as arguments (here: none at all) and call the services.
"""

from __future__ import annotations

from django_tasks import task

from kariya.people import services


@task()
def match_keys_rebuild_all() -> int:
    """Every person's match keys again, after a change of the name variant dictionary
    (enqueued by ``matching.services`` once the change is committed). Batched, each batch its
    own transaction; returns the number of people."""
    return services.match_keys_rebuild()
