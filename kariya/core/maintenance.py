"""Database upkeep that deployments schedule (see docs/deployment.md)."""

from __future__ import annotations

from django.db import connections


def analyse(using: str = "default") -> None:
    """Refresh the query planner's statistics (``ANALYZE``, SQLite and PostgreSQL).

    Without them SQLite guesses: at a million people it walked the organisation's 43,000
    cases in date order for a name search (130 ms) instead of starting from the few people
    found (a few ms). PostgreSQL's autovacuum does it by itself, late after a bulk load."""
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")
