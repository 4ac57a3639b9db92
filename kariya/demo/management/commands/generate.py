from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kariya.core.maintenance import analyse
from kariya.demo import generator, population, scale
from kariya.demo.output import ProgressPrinter, summary


class Command(BaseCommand):
    help = (
        "Generate a synthetic network (organisations, offices, staff) and the people its "
        "organisations registered, with their screenings, assessments, cases and services, into "
        "an empty, migrated database. The same seed gives the same data. Refuses a database "
        "that already holds organisations unless --reset."
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
            "--people",
            type=int,
            default=generator.DEMO_PEOPLE,
            help=f"People registered ({generator.DEMO_PEOPLE} by default). The first "
            f"{generator.DEMO_PEOPLE} go through the per-row services with their whole story; "
            "the rest through the bulk services, in batches (1,000,000 is fine).",
        )
        parser.add_argument(
            "--services-per-case",
            type=float,
            default=population.DEFAULT_SERVICES_PER_CASE,
            help="Average services delivered per case (about 40 %% of people have a case).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=scale.DEFAULT_BATCH,
            help="People per bulk batch (one transaction each).",
        )
        parser.add_argument(
            "--no-fingerprint",
            action="store_true",
            help="Skip the fingerprint (it reads and decrypts every row: minutes for 1 M).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="First delete all data (the reference geography stays).",
        )

    def handle(
        self,
        *args: Any,
        seed: int,
        organisations: int,
        people: int,
        services_per_case: float,
        batch_size: int,
        no_fingerprint: bool,
        reset: bool,
        **options: Any,
    ) -> None:
        try:
            if reset:
                tables = generator.reset_database()
                self.stdout.write(f"Reset: {tables} tables emptied, reference geography kept.")
            self.stdout.write(
                f"Generating (seed {seed}, {organisations} organisations, {people} people)…"
            )
            result = generator.generate(
                seed=seed,
                organisations=organisations,
                people=people,
                services_per_case=services_per_case,
                batch_size=batch_size,
                progress=ProgressPrinter(self.stdout),
            )
        except generator.GeneratorError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(summary(result)))
        started = time.monotonic()
        analyse()
        self.stdout.write(
            f"Query planner statistics updated in {time.monotonic() - started:.1f} s."
        )
        if not no_fingerprint:
            self.stdout.write(f"Fingerprint: {generator.network_fingerprint()[:16]}")
