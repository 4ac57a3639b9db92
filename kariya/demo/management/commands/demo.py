from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from kariya.accounts.models import Organisation, User
from kariya.demo import generator, serving
from kariya.demo.output import ProgressPrinter, accounts_table, summary


class Command(BaseCommand):
    help = (
        "Run Kariya on this machine with a synthetic demo network: apply the migrations, load "
        "the demo data if the database has no organisations, list the demo logins, and serve "
        "on http://127.0.0.1:8000/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=generator.DEFAULT_SEED, help="Seed of the demo data."
        )
        parser.add_argument("--host", default=serving.DEFAULT_HOST)
        parser.add_argument("--port", type=int, default=serving.DEFAULT_PORT)
        parser.add_argument(
            "--no-serve", action="store_true", help="Load and list the logins, then exit."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete all data (the reference geography stays) and load the demo again.",
        )

    def handle(
        self,
        *args: Any,
        seed: int,
        host: str,
        port: int,
        no_serve: bool,
        reset: bool,
        **options: Any,
    ) -> None:
        try:
            generator.refuse_in_production()
            self._migrate(options["verbosity"])
            if reset:
                tables = generator.reset_database()
                self.stdout.write(f"Reset: {tables} tables emptied, reference geography kept.")
            existing = Organisation.objects.count()
            if existing:
                self.stdout.write(
                    f"Keeping the existing data: {existing} organisations, "
                    f"{User.objects.count()} users (--reset starts again)."
                )
            else:
                self.stdout.write(f"Loading the demo network (seed {seed})…")
                result = generator.generate(
                    seed=seed, people=generator.DEMO_PEOPLE, progress=ProgressPrinter(self.stdout)
                )
                self.stdout.write(summary(result))
            accounts = generator.ensure_demo_accounts(seed=seed)
            if not existing:
                # The demo accounts' own cases, approvals to decide and GBV sections.
                cases = generator.generate_caseload(
                    seed=seed, progress=ProgressPrinter(self.stdout)
                )
                self.stdout.write(f"Gave the demo caseworkers {cases} people to follow.")
        except generator.GeneratorError as exc:
            raise CommandError(str(exc)) from exc

        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo logins — the password of every one: {generator.DEMO_PASSWORD}"
            )
        )
        for line in accounts_table(accounts):
            self.stdout.write(line)
        self.stdout.write("")
        if no_serve:
            return
        # Static files come from the app folders (WHITENOISE_USE_FINDERS); an existing, empty
        # STATIC_ROOT spares a fresh machine whitenoise's "No directory" warning.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        if host not in ("127.0.0.1", "localhost"):
            self.stdout.write(
                f"Note: pages answer only to the host names in ALLOWED_HOSTS; set "
                f"ALLOWED_HOSTS={host} (or the machine's name) to reach the demo from elsewhere."
            )
        serving.serve(
            announce=lambda url: self.stdout.write(f"Kariya demo: {url} (Ctrl+C to stop)"),
            host=host,
            port=port,
        )

    def _migrate(self, verbosity: int) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        self.stdout.write(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
        if plan:
            self.stdout.write(f"Applying {len(plan)} migrations…")
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
