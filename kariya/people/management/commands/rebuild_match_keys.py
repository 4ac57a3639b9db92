"""``kariya rebuild-match-keys``: recompute the registration check's match keys."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from kariya.people.services import REBUILD_BATCH, match_keys_rebuild


class Command(BaseCommand):
    help = (
        "Recompute every person's match keys (canonical names, names with the year of birth, "
        "phone with names) from the stored identities: for a database made before they "
        "existed, and after a change of the name variant dictionary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=REBUILD_BATCH,
            help=f"People per transaction (default {REBUILD_BATCH}).",
        )

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            self.stderr.write(
                _("%(done)s of %(total)s people, %(seconds)d s")
                % {"done": done, "total": total, "seconds": time.monotonic() - started}
            )

        count = match_keys_rebuild(batch_size=max(1, batch_size), progress=progress)
        self.stdout.write(_("Match keys rebuilt for %(count)s people.") % {"count": count})
