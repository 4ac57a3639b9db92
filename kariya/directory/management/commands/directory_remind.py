"""``kariya directory-remind``: flag directory entries not verified for 90 days and e-mail
their focal points. Meant for cron, once a day (docs/deployment.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kariya.directory.tasks import remind_stale_services


class Command(BaseCommand):
    help = "Flag directory entries not verified for 90 days and remind their focal points."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the work to the task backend (a worker runs it) instead of running it "
            "here and now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = remind_stale_services.enqueue()
            self.stdout.write(f"enqueued task {result.id} ({result.status})")
            return
        counts = remind_stale_services.call()
        self.stdout.write(
            "flagged {flagged}, reminded {reminded}, e-mails {emails}, "
            "unreachable {unreachable}".format(**counts)
        )
