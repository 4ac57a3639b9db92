"""Public directory: page weight and server time of every public page, in the four languages.

    uv run python benchmarks/public_pages.py                    # SQLite, throwaway database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<empty db> \\
        uv run python benchmarks/public_pages.py                # PostgreSQL (tables created)
    uv run python benchmarks/public_pages.py --extra 500 --rounds 100

What it measures (issue 4: "first load <= 40 KB gzip"):

- ``first.gz``: a first visit with an empty cache, as a phone on 2G downloads it: the page's
  HTML plus its stylesheet, script and icon, each as the server sends it with
  ``Accept-Encoding: gzip`` (counted gzip-compressed at level 9 when the server sent it plain);
- ``html.gz``: the HTML alone (the next navigation: assets are cached by then);
- server time: ``--rounds`` requests per page after three warm-up ones, through Django's test
  client (the whole middleware stack, no network), p50 and p95 in milliseconds, and the number
  of SQL queries of one request.

Data: ``migrate``, then the demo network (``kariya.demo.generator.generate``: organisations,
users, about 60 directory entries and the four rights-information pages), then ``--extra``
more published entries (default 240, through the directory services, spread over the
communes and service types) so the list, the place filter and ``directory.json`` carry a
directory of a few hundred entries. SQLite: a temporary ``KARIYA_DATA_DIR``; PostgreSQL: the
database of ``DATABASE_URL``, which must be empty (it is left filled; drop it afterwards).
Settings: ``kariya.config.settings.dev`` (DEBUG off, whitenoise serving the app folders).
Exit status 1 when a page's first load exceeds 40 KB.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KB = 1024
BUDGET = 40 * KB
LANGUAGES = ("fr", "en", "ha", "ar")
ASSET = re.compile(r'<(?:link|script)[^>]+(?:href|src)="(/static/[^"]+)"')


def prepare(data_dir: Path) -> None:
    os.environ["KARIYA_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "kariya.config.settings.dev"
    os.environ.pop("KARIYA_DEBUG", None)
    os.environ["KARIYA_LOG_LEVEL"] = "WARNING"
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


def fill(extra: int) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kariya.accounts.models import User
    from kariya.accounts.roles import Role
    from kariya.codelists.models import Code
    from kariya.demo import generator
    from kariya.directory import factories
    from kariya.geo.models import AdminUnit

    generator.generate(organisations=12)
    coordinators = [
        u
        for u in User.objects.filter(is_active=True).order_by("pk")
        if Role.NETWORK_COORDINATOR in u.role_codes()
    ]
    author, moderator = (
        coordinators[0],
        next(u for u in coordinators if u.organisation_id != coordinators[0].organisation_id),
    )
    rng = random.Random(4)
    communes = list(AdminUnit.objects.filter(level=3).order_by("pcode"))
    types = list(Code.objects.filter(list="service_type", is_active=True).order_by("code"))
    for number in range(extra):
        factories.published(
            author,
            moderator,
            name_fr=f"Service de démonstration {number + 1}",
            name_ar=f"خدمة تجريبية {number + 1}",
            description_fr="Accueil, écoute et orientation. " * 4,
            commune=rng.choice(communes),
            service_type=rng.choice(types),
        )


def pages() -> list[tuple[str, str]]:
    """(name, path without the language) of each public page measured."""
    from kariya.directory.selectors import public_services
    from kariya.public.selectors import published_pages

    service = public_services().first()
    busiest = public_services().order_by().values_list("region__pcode", flat=True).first()
    page = published_pages().first()
    return [
        ("home", ""),
        ("list, all", "services/"),
        ("list, need + region", f"services/?need={service.service_type.code}&place={busiest}"),
        ("list, page 3", "services/?page=3"),
        ("service", f"services/{service.public_id}/"),
        ("referral card (QR)", f"services/{service.public_id}/card/"),
        ("rights, list", "rights/"),
        ("rights, page", f"rights/{page.slug}/"),
        ("directory.json", "directory.json"),
    ]


def fetch(client: Any, path: str) -> tuple[bytes, int]:
    """(decompressed body, bytes on the wire gzip-compressed)."""
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200, (path, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(body), len(body)
    return body, len(gzip.compress(body, compresslevel=9))


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, *rest: Any) -> Any:
        self.count += 1
        return execute(sql, *rest)


def measure(rounds: int) -> int:
    from django.db import connection
    from django.test import Client

    client = Client()
    assets: dict[str, int] = {}
    over = 0
    print(f"database: {connection.vendor}; rounds per page: {rounds}")
    from kariya.directory.selectors import public_services

    print(f"published entries: {public_services().count()}")
    print()
    print(
        f"{'page':<22} {'lang':<4} {'html KB':>8} {'html.gz':>8} {'first.gz':>9} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'queries':>7}"
    )
    for name, rest in pages():
        for lang in LANGUAGES:
            path = f"/public/{lang}/{rest}"
            raw, wire = fetch(client, path)
            first = wire
            if not rest.endswith(".json"):
                for asset in ASSET.findall(raw.decode()):
                    if asset not in assets:
                        assets[asset] = fetch(client, asset)[1]
                    first += assets[asset]
            for _ in range(3):
                client.get(path)
            counter = QueryCounter()
            # Django clears connection.queries when a request starts: count with a wrapper.
            with connection.execute_wrapper(counter):
                client.get(path)
            times = []
            for _ in range(rounds):
                started = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p50 = statistics.median(times)
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            flag = ""
            if not rest.endswith(".json") and first > BUDGET:
                over += 1
                flag = "  OVER"
            first_shown = "—" if rest.endswith(".json") else f"{first / KB:.1f}"
            print(
                f"{name:<22} {lang:<4} {len(raw) / KB:>8.1f} {wire / KB:>8.1f} "
                f"{first_shown:>9} {p50:>7.1f} {p95:>7.1f} {counter.count:>7}{flag}"
            )
    print()
    print("assets (gzip KB): " + ", ".join(f"{a} {n / KB:.1f}" for a, n in assets.items()))
    verdict = f"exceeded on {over} pages" if over else "met"
    print(f"budget: first load <= 40 KB gzip: {verdict}")
    return 1 if over else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--extra", type=int, default=240, help="published entries to add")
    parser.add_argument("--rounds", type=int, default=40, help="timed requests per page")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="kariya-public-bench-"))
    try:
        prepare(data_dir)
        started = time.perf_counter()
        fill(args.extra)
        print(f"data ready in {time.perf_counter() - started:.0f} s")
        return measure(args.rounds)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
