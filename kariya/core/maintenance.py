"""Database upkeep that deployments schedule (see docs/deployment.md)."""

from __future__ import annotations

from django.db import connections


def analyse(using: str = "default") -> None:
    """Refresh the query planner's statistics (``ANALYZE``, SQLite and PostgreSQL), and on
    PostgreSQL the visibility map too (``VACUUM (ANALYZE)``).

    Without statistics SQLite guesses: at a million people it walked the organisation's
    43,000 cases in date order for a name search (130 ms) instead of starting from the few
    people found (a few ms). PostgreSQL's autovacuum does both by itself, late after a bulk
    load; until then an index-only scan visits the table for every row it reads (a name
    search's postings: 3.7 ms for 2,500 rows instead of 1). VACUUM cannot run inside a
    transaction: there (tests) only ANALYZE runs."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")


def analyse_new_indexes(using: str = "default", **_kwargs: object) -> list[str]:
    """SQLite, after ``migrate``: statistics for the indexes that have none yet, in a database
    whose other indexes have some (one that was analysed; a database never analysed stays as it
    is, its planner guessing alike for every index). Returns the indexes analysed.

    Without this, an index a migration adds looks to SQLite's planner as if one value matched
    ten rows: at a million people, after ``case_org_caseworker_opened`` came, a case search by
    case code walked the organisation's 43,000 cases through it (90 ms) instead of reading the
    one person's case. PostgreSQL keeps statistics per column, not per index: nothing to do."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return []
        cursor.execute(
            "SELECT m.name FROM sqlite_master m WHERE m.type = 'index' AND m.sql IS NOT NULL"
            " AND EXISTS (SELECT 1 FROM sqlite_stat1 s WHERE s.tbl = m.tbl_name)"
            " AND NOT EXISTS (SELECT 1 FROM sqlite_stat1 s WHERE s.idx = m.name)"
        )
        missing = [row[0] for row in cursor.fetchall()]
        for name in missing:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")
    return missing
