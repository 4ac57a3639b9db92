"""Throughput of the people import (rows per second), against the budget of 2,000 rows/s.

    uv run python benchmarks/import_throughput.py                 # SQLite, 2,000 rows
    DATABASE_URL=postgres://…/db uv run python benchmarks/import_throughput.py
    uv run python benchmarks/import_throughput.py --rows 500 --profile   # where the time goes

What it measures: a synthetic CSV of N people (names, phones, a document, a migration profile,
a services consent; every other row with a first screening and a case) is read and imported by
``exchange.services.people_import``, as the upload page does (shape checks, then the bulk
services in batches inside one transaction). Reading the file, the import and its write phase
(the transaction; on SQLite, the time the write lock is held) are timed separately; rows/s
counts reading and importing. A throwaway test database is
created (``create_test_db``) and destroyed, so no real database is touched. Settings:
``kariya.config.settings.test`` (fixed throwaway keys).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 2000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key, e.g. tottime")
    parser.add_argument("--lines", type=int, default=25, help="profile lines printed")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kariya.config.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from kariya.accounts.factories import OfficeFactory, OrganisationFactory, UserFactory
    from kariya.accounts.roles import Role
    from kariya.exchange import reading, services
    from kariya.exchange.models import ImportStatus
    from kariya.exchange.tests.helpers import csv_bytes, good_row, with_case
    from kariya.geo.models import AdminUnit

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    reading.MAX_ROWS = max(reading.MAX_ROWS, args.rows)
    try:
        org = OrganisationFactory(name="Bench", acronym="BENCH")
        office = OfficeFactory(
            organisation=org, name="Bench HQ", commune=AdminUnit.objects.get(pcode="NE001003001")
        )
        supervisor = UserFactory(username="bench_sup", organisation=org, roles=[Role.SUPERVISOR])
        UserFactory(username="bench_cw", organisation=org, roles=[Role.CASEWORKER])
        rows = [
            (with_case("bench_cw") if n % 2 else good_row())
            | {"given_names": f"Aïcha{n}", "phones": f"90{n:06d}", "document_number": f"AB{n:07d}"}
            for n in range(args.rows)
        ]
        data = csv_bytes(rows, delimiter=";")
        # The write phase alone (the transaction: on SQLite, the time the write lock is held).
        write_phase = [0.0]
        write_rows = services._write_rows

        def timed_write_rows(**kwargs):  # type: ignore[no-untyped-def]
            began = time.perf_counter()
            try:
                return write_rows(**kwargs)
            finally:
                write_phase[0] += time.perf_counter() - began

        services._write_rows = timed_write_rows
        profiler = cProfile.Profile() if args.profile else None
        cpu_started = time.process_time()
        started = time.perf_counter()
        table = reading.read_csv(data)
        read_s = time.perf_counter() - started
        if profiler:
            profiler.enable()
        run = services.people_import(actor=supervisor, office=office, table=table)
        if profiler:
            profiler.disable()
        total_s = time.perf_counter() - started
        cpu_s = time.process_time() - cpu_started
        services._write_rows = write_rows
        if run.status != ImportStatus.IMPORTED:
            print("import rejected:", run.errors[:5])
            return 2
        vendor = connection.vendor
        print(f"database: {vendor}; rows: {args.rows}; people {run.people}, cases {run.cases}")
        print(f"read file: {read_s:.2f} s; import: {total_s - read_s:.2f} s; total {total_s:.2f} s")
        print(f"write phase (one transaction, bulk services): {write_phase[0]:.2f} s")
        print(f"throughput: {args.rows / total_s:,.0f} rows/s (budget {BUDGET:,} rows/s)")
        print(
            f"CPU time of this process: {cpu_s:.2f} s ({args.rows / cpu_s:,.0f} rows/s of CPU); "
            "the rest is waiting for the database or for a busy machine"
        )
        queries = _count_queries(services, supervisor, office, reading, good_row, with_case)
        print(f"queries per row (one person + screening + case): {queries}")
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.lines)
            print(out.getvalue())
        return 0 if args.rows / total_s >= BUDGET else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _count_queries(services, supervisor, office, reading, good_row, with_case) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kariya.exchange.tests.helpers import csv_bytes

    one = reading.read_csv(csv_bytes([with_case("bench_cw", given_names="Zz")]))
    two = reading.read_csv(
        csv_bytes(
            [with_case("bench_cw", given_names="Zy"), with_case("bench_cw", given_names="Zx")]
        )
    )
    with CaptureQueriesContext(connection) as first:
        services.people_import(actor=supervisor, office=office, table=one)
    with CaptureQueriesContext(connection) as second:
        services.people_import(actor=supervisor, office=office, table=two)
    return len(second) - len(first)


if __name__ == "__main__":
    sys.exit(main())
