"""``kariya match INPUT.csv --output PAIRS.csv``: batch deduplication of a CSV of people."""

from __future__ import annotations

import csv
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kariya.matching.csvfile import InputError, read_bytes, read_table, read_variant_rows
from kariya.matching.engine import DEFAULT_THRESHOLD, Matcher
from kariya.matching.names import VariantDictionary, load_variants
from kariya.matching.variant_rows import variant_rows_apply

MAX_ISSUES_SHOWN = 20


def _issue_message(problem: str, row: int, field: str) -> str:
    if problem == "no_name":
        return _("Line %(line)d: no given or family name; compared on the other fields.") % {
            "line": row
        }
    if problem == "bad_date":
        return _("Line %(line)d: %(field)s is not a real date (YYYY-MM-DD); treated as empty.") % {
            "line": row,
            "field": field,
        }
    return _("Line %(line)d: %(field)s is not a year; treated as empty.") % {
        "line": row,
        "field": field,
    }


class Command(BaseCommand):
    help = (
        "Find the likely duplicates in a CSV of people (plain or gzip, UTF-8 or Latin-1) and "
        "write the matched pairs id_1,id_2,score. Needs no database."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", type=Path, help="CSV of people (may be .gz).")
        parser.add_argument("--output", type=Path, required=True, help="Pairs CSV to write.")
        parser.add_argument(
            "--columns",
            help="Map field names to the file's columns: given_name=prenom,family_name=nom; "
            "join several with +: address=quartier+ville.",
        )
        parser.add_argument(
            "--variants",
            type=Path,
            action="append",
            default=[],
            help="A CSV of name variants (canonical,variant) added to the shipped dictionary, "
            "e.g. the one exported from the configuration admin. May be given several times.",
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help=f"Lowest match probability written (default {DEFAULT_THRESHOLD}).",
        )

    def _progress(self, message: str) -> None:
        elapsed = time.monotonic() - self._start
        sys.stderr.write(f"[{elapsed:6.1f}s] {message}\n")
        sys.stderr.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        self._start = time.monotonic()
        threshold = options["threshold"]
        if not 0.0 <= threshold <= 1.0:
            raise CommandError(_("--threshold must be between 0 and 1."))
        output: Path = options["output"]
        if not output.parent.resolve().is_dir():
            raise CommandError(
                _("The output folder does not exist: %(path)s") % {"path": output.parent}
            )
        self._progress(_("Reading %(path)s") % {"path": options["input"]})
        try:
            table = read_table(options["input"], options.get("columns"))
        except InputError as exc:
            raise CommandError(str(exc)) from exc
        if table.absent:
            self._progress(
                _("Columns absent (treated as empty): %(columns)s")
                % {"columns": ", ".join(table.absent)}
            )
        self._progress(
            _("%(count)d records (%(encoding)s); normalising")
            % {"count": len(table.ids), "encoding": table.encoding}
        )
        variants = self._variants(options["variants"])
        matcher = Matcher.from_columns(table.columns, table.ids, table.rows, variants=variants)
        issues = matcher.data.issues
        for issue in issues[:MAX_ISSUES_SHOWN]:
            sys.stderr.write(_issue_message(issue.problem, issue.row, issue.field) + "\n")
        if len(issues) > MAX_ISSUES_SHOWN:
            sys.stderr.write(
                _("… and %(count)d more such lines.") % {"count": len(issues) - MAX_ISSUES_SHOWN}
                + "\n"
            )

        stages = {
            "train": _("Estimating the model"),
            "score": _("Scoring candidate pairs"),
        }

        def progress(stage: str, done: int, total: int) -> None:
            self._progress(f"{stages.get(stage, stage)}: {done}/{total}")

        self._progress(_("Blocking"))
        i, _j = matcher.candidates()
        self._progress(_("%(count)d candidate pairs") % {"count": len(i)})
        pairs = matcher.dedupe(threshold, progress=progress)
        self._write(output, matcher.data.ids, pairs)
        self._progress(
            _("Wrote %(count)d pairs to %(path)s") % {"count": len(pairs), "path": output}
        )

    def _variants(self, paths: list[Path]) -> VariantDictionary | None:
        """The shipped dictionary extended by each file, through the distinct-name guard: a
        row that would make two names one stops the run, naming its file and line."""
        if not paths:
            return None
        dictionary = load_variants()
        for path in paths:
            try:
                rows = read_variant_rows(read_bytes(path))
            except InputError as exc:
                raise CommandError(f"{path}: {exc}") from exc
            result = variant_rows_apply(dictionary, rows)
            if result.errors:
                line, message = result.errors[0]
                raise CommandError(
                    _("%(path)s, line %(line)d: %(message)s")
                    % {"path": path, "line": line, "message": message}
                )
            self._progress(
                _("%(path)s: %(added)d name variants added, %(known)d already known")
                % {"path": path, "added": result.added, "known": result.already_known}
            )
        return dictionary

    def _write(self, output: Path, ids: list[str], pairs: Any) -> None:
        """All or nothing: a temporary file in the same folder, renamed when complete."""
        order = (-pairs.score).argsort(kind="stable")
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed or removed below
            "w",
            encoding="utf-8",
            newline="",
            dir=output.parent.resolve(),
            prefix=".kariya-match-",
            suffix=".tmp",
            delete=False,
        )
        try:
            with handle:
                writer = csv.writer(handle)
                writer.writerow(["id_1", "id_2", "score"])
                left, right, score = pairs.left[order], pairs.right[order], pairs.score[order]
                writer.writerows(
                    (ids[a], ids[b], f"{s:.4f}")
                    for a, b, s in zip(left.tolist(), right.tolist(), score.tolist(), strict=True)
                )
            os.replace(handle.name, output)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
