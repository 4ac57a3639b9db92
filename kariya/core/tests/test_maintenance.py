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
