"""``kariya analyse``: refresh the database's query planner statistics."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from kariya.core.maintenance import analyse


class Command(BaseCommand):
    help = (
        "Refresh the query planner's statistics (ANALYZE; on PostgreSQL VACUUM (ANALYZE), "
        "which also lets index-only scans skip the table). Run it after a large import and, "
        "on SQLite, weekly from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        analyse()
        took = time.monotonic() - started
        self.stdout.write(f"Query planner statistics updated in {took:.1f} s.")
