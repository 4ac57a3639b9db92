from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kariya.demo import generator
from kariya.demo.output import ProgressPrinter, summary


class Command(BaseCommand):
    help = (
        "Generate a synthetic network (organisations, offices, staff) into an empty, migrated "
        "database. The same seed gives the same data. Refuses a database that already holds "
        "organisations unless --reset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=generator.DEFAULT_SEED)
        parser.add_argument(
            "--organisations",
            type=int,
            default=generator.DEFAULT_ORGANISATIONS,
            help="Member organisations of the network (15 by default).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="First delete all data (the reference geography stays).",
        )

    def handle(
        self, *args: Any, seed: int, organisations: int, reset: bool, **options: Any
    ) -> None:
        try:
            if reset:
                tables = generator.reset_database()
                self.stdout.write(f"Reset: {tables} tables emptied, reference geography kept.")
            self.stdout.write(f"Generating (seed {seed}, {organisations} organisations)…")
            result = generator.generate(
                seed=seed, organisations=organisations, progress=ProgressPrinter(self.stdout)
            )
        except generator.GeneratorError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(summary(result)))
        self.stdout.write(f"Fingerprint: {generator.network_fingerprint()[:16]}")
