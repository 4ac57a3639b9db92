"""kariya analyse: the planner statistics exist afterwards."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command
from django.db import connection


def _analysed(table: str) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return 0
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_user_tables "
                "WHERE relname = %s AND last_analyze IS NOT NULL",
                [table],
            )
        return int(cursor.fetchone()[0])


def test_analyse_updates_the_planner_statistics(org_a: Any) -> None:
    out = StringIO()
    call_command("analyse", stdout=out)
    assert "Query planner statistics updated" in out.getvalue()
    assert _analysed("accounts_user") > 0


def test_an_index_added_after_analyse_gets_its_statistics_at_the_next_migrate(
    org_a: Any,
) -> None:
    """SQLite's planner takes an index without statistics for a very selective one (a case
    search walked 43,000 cases through a new index): after ``migrate``, the indexes that have
    none get theirs, in a database that was analysed. PostgreSQL: nothing to do."""
    from django.db.models.signals import post_migrate

    from kariya.core.maintenance import analyse_new_indexes

    call_command("analyse", stdout=StringIO())
    if connection.vendor != "sqlite":
        assert analyse_new_indexes() == []
        return
    with connection.cursor() as cursor:
        cursor.execute('CREATE INDEX "test_user_names" ON "accounts_user" ("last_name")')
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE idx = 'test_user_names'")
        assert cursor.fetchone()[0] == 0
    from django.apps import apps

    # What migrate sends once it is done with the core app.
    core = apps.get_app_config("core")
    post_migrate.send(sender=core, app_config=core, verbosity=0, interactive=False, using="default")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE idx = 'test_user_names'")
        assert cursor.fetchone()[0] == 1
    assert analyse_new_indexes() == []  # nothing left without statistics
