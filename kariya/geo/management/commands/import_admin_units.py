"""``kariya import-admin-units FILE.csv [--dry-run]``: load Niger's admin units from a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kariya.geo import services
from kariya.geo.loading import LEVEL_NAMES, AdminUnitFileError, LoadReport

FIELD_NAMES = {
    "name_fr": "name",
    "name_ref": "name without accents",
    "parent": "parent",
    "level": "level",
    "lon": "longitude",
    "lat": "latitude",
}


class Command(BaseCommand):
    help = (
        "Load Niger's administrative units from an OCHA COD-AB admin-3 CSV (ADM1_PCODE, "
        "ADM1_FR, … ADM3_PCODE, ADM3_FR) or from Kariya's own table (level, pcode, name_fr, "
        "name_ref, parent_pcode). All or nothing: a file with any bad row changes nothing. "
        "Safe to run again: units already up to date are left alone, and units missing from "
        "the file are reported, never deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV file (UTF-8; commas or semicolons)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and report what would change, without writing anything",
        )
        parser.add_argument(
            "--show",
            type=int,
            default=20,
            metavar="N",
            help="list at most N P-codes per group (default 20; 0 lists them all)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        data = self._read(name)
        try:
            result = services.admin_units_import(actor=None, data=data, dry_run=options["dry_run"])
        except AdminUnitFileError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{name}: {len(exc.errors)} problem(s) found, listed above. Nothing was "
                "written: correct the file and run the command again."
            ) from None
        if options["verbosity"] > 0:
            self._report(name, result, options["show"])

    def _read(self, name: str) -> bytes:
        path = Path(name)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"{name}: no such file.") from None
        except IsADirectoryError:
            raise CommandError(f"{name} is a folder, not a CSV file.") from None
        except PermissionError:
            raise CommandError(f"{name}: permission denied, the file cannot be read.") from None
        except OSError as exc:
            raise CommandError(f"{name}: the file cannot be read ({exc.strerror}).") from None

    def _report(self, name: str, result: services.AdminUnitImport, show: int) -> None:
        report = result.report
        counts = ", ".join(
            f"{n} {LEVEL_NAMES[level]}{'s' if n != 1 else ''}"
            for level, n in result.units_by_level.items()
        )
        self.stdout.write(f"Read {Path(name).name}: {counts}.")
        verb = "would be " if result.dry_run else ""
        self.stdout.write(
            f"Units {verb}added: {len(report.added)}, {verb}changed: {len(report.changed)}, "
            f"unchanged: {report.unchanged}."
        )
        self._list(
            f"Added ({len(report.added)}):",
            [f"{p}  {report.names[p]}" for p in report.added],
            show,
        )
        self._list(
            f"Changed ({len(report.changed)}):",
            [f"{p}  {self._describe(report, p)}" for p in report.changed],
            show,
        )
        if report.missing:
            self._list(
                f"In Kariya but not in the file, left as they are ({len(report.missing)}):",
                [f"{p}  {report.names[p]}" for p in report.missing],
                show,
            )
        if result.dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif report.added or report.changed:
            self.stdout.write(self.style.SUCCESS("Saved."))
        else:
            self.stdout.write(self.style.SUCCESS("Nothing to change: Kariya is up to date."))

    @staticmethod
    def _describe(report: LoadReport, pcode: str) -> str:
        parts = [
            f"{FIELD_NAMES.get(field, field)} '{before or ''}' → '{after or ''}'"
            for field, before, after in report.changes[pcode]
        ]
        return f"{report.names[pcode]}: " + "; ".join(parts)

    def _list(self, title: str, lines: list[str], show: int) -> None:
        if not lines:
            return
        self.stdout.write(title)
        shown = lines if show <= 0 else lines[:show]
        for line in shown:
            self.stdout.write(f"  {line}")
        if len(shown) < len(lines):
            self.stdout.write(f"  … and {len(lines) - len(shown)} more (--show 0 lists them all)")
