"""Case list and search at scale: server time p50/p95 of the case list and people search pages,
each as a ratio to a bare Django page measured in the same run.

    # a database filled by `kariya generate --people N` (same KARIYA_DATA_DIR: its keys)
    KARIYA_DATA_DIR=/srv/big uv run python benchmarks/case_search.py                # SQLite
    KARIYA_DATA_DIR=/srv/big DATABASE_URL=postgres://postgres@127.0.0.1:5432/kariya_big \\
        uv run python benchmarks/case_search.py                                     # PostgreSQL

The encryption and blind-index keys must be those the data was generated with: the development
settings read them from ``KARIYA_DATA_DIR/dev-secrets.json`` (or the environment).

Actors: the supervisor (every case of the organisation, identities) and the busiest caseworker
(own cases) of the organisation with the most cases. Search terms come from a random sample of
that organisation's people with a case: their decrypted names, phone numbers, document numbers
and case codes (the benchmark reads its synthetic data directly; the pages it measures go
through the access gate like any request).

Searches by name, phone or document POST the list's filter form (those terms never go in a
URL; the pages ignore them in a query string), the others are GETs. Requests go through
Django's test client: the whole middleware stack (sessions, the
organisation middleware, CSP, gzip), the view, the queries, the audit inserts of the identities
shown, the template; no network. The bare page is ``/accounts/password/`` for the same user: a
logged-in page on the same base template with a small form and no query of its own, which is
what "a bare Django page" costs in Kariya. Each scenario's requests alternate with requests of
the bare page, and the ratio compares the two from the same minutes (the reference machine is
shared: its load changes between scenarios).

Budget (DESIGN.md): case list / search at 1 M persons, p95 <= 100 ms and <= 3x a bare page.
Exit status 1 when a scenario is over either.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The bare page, requested by the same user in turn with each scenario's requests.
BARE: tuple[str, None] = ("/accounts/password/", None)
BUDGET_MS = 100.0
BUDGET_RATIO = 3.0


def setup() -> None:
    if not os.environ.get("KARIYA_DATA_DIR"):
        raise SystemExit("set KARIYA_DATA_DIR to the data directory the data was generated with")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kariya.config.settings.dev"
    os.environ["KARIYA_LOG_LEVEL"] = "WARNING"
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


@dataclass
class Sample:
    name: str
    phone: str
    document: str
    case_code: str


def actors() -> tuple[Any, Any, Any]:
    from django.db.models import Count

    from kariya.accounts.models import User
    from kariya.cases.models import Case

    top = (
        Case.objects.order_by()
        .values("organisation_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if top is None:
        raise SystemExit("no case in this database: run `kariya generate --people N` first")
    org_id = top["organisation_id"]
    supervisor = (
        User.objects.filter(organisation_id=org_id, roles__role="supervisor", is_active=True)
        .order_by("id")
        .first()
    )
    busiest = (
        Case.objects.filter(organisation_id=org_id)
        .order_by()
        .values("caseworker_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if supervisor is None or busiest is None:
        raise SystemExit("the busiest organisation has no supervisor or no caseworker")
    caseworker = User.objects.get(pk=busiest["caseworker_id"])
    return org_id, supervisor, caseworker


def samples(org_id: int, count: int, rng: random.Random) -> list[Sample]:
    """People with a case in the organisation, drawn at random by id (no OFFSET scans)."""
    from django.db.models import Max, Min

    from kariya.cases.models import Case
    from kariya.people.models import Identity, IdentityDocument

    bounds = Case.objects.filter(organisation_id=org_id).aggregate(lo=Min("id"), hi=Max("id"))
    found: list[Sample] = []
    seen: set[int] = set()
    while len(found) < count:
        pivot = rng.randint(bounds["lo"], bounds["hi"])
        case = (
            Case.objects.filter(organisation_id=org_id, id__gte=pivot)
            .select_related("person")
            .order_by("id")
            .first()
        )
        if case is None or case.person_id in seen:
            continue
        seen.add(case.person_id)
        identity = Identity.objects.get(person_id=case.person_id)
        # The number is encrypted (no SQL filter on it): the first document that has one.
        documents = IdentityDocument.objects.filter(person_id=case.person_id).order_by("id")
        phones = identity.phone_list
        first = next((d for d in documents if d.number), None)
        found.append(
            Sample(
                name=f"{identity.given_names.split()[0]} {identity.family_names}".strip(),
                phone=phones[0] if phones else "",
                document=first.number if first else "",
                case_code=case.person.case_code,
            )
        )
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# A request: a URL, and for a search by name, phone or document the form body it POSTs (those
# terms are never put in a URL; the pages ignore them in a query string).
Request = tuple[str, dict[str, str] | None]


def send(client: Any, request: Request) -> Any:
    url, body = request
    if body is None:
        return client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    return client.post(url, body, HTTP_ACCEPT_ENCODING="gzip")


def measure(
    client: Any, requests: Callable[[int], Request], rounds: int, bare: Request
) -> tuple[list[float], list[float], int]:
    """Timings of ``requests`` and of the bare page, one of each in turn: on a shared machine
    the load changes from minute to minute, and the ratio compares requests made under the
    same load."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(3):  # warm the caches a real server would have warm
        send(client, requests(i))
        send(client, bare)
    timings, bare_timings = [], []
    for i in range(rounds):
        for request, into in ((bare, bare_timings), (requests(i), timings)):
            start = time.perf_counter()
            response = send(client, request)
            into.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{request[0]}: HTTP {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        send(client, requests(0))
    return timings, bare_timings, len(queries.captured_queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60, help="requests per scenario")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.test import Client

    from kariya.cases.models import Case, ServiceDelivery
    from kariya.geo.models import AdminUnit
    from kariya.people.models import MigrationProfile, Person

    rng = random.Random(args.seed)
    org_id, supervisor, caseworker = actors()
    people = Person.objects.count()
    print(
        f"database: {connection.vendor}; {people:,} persons, {Case.objects.count():,} cases, "
        f"{ServiceDelivery.objects.count():,} services; organisation #{org_id} has "
        f"{Case.objects.filter(organisation_id=org_id).count():,} cases, the busiest "
        f"caseworker {Case.objects.filter(caseworker=caseworker).count():,}"
    )
    pool = samples(org_id, args.rounds, rng)
    busy_commune = (
        MigrationProfile.objects.filter(person__organisation_id=org_id)
        .exclude(current_commune=None)
        .values_list("current_commune_id", flat=True)
        .first()
    )
    commune = AdminUnit.objects.get(pk=busy_commune).pcode if busy_commune else ""

    def at(i: int) -> Sample:
        return pool[i % len(pool)]

    # Not everyone has a phone number or a document: a search by an empty term is no search
    # (the form then redirects to the plain list), so those scenarios draw from who has one.
    with_phone = [s for s in pool if s.phone] or pool
    with_document = [s for s in pool if s.document] or pool

    def phone(i: int) -> str:
        return with_phone[i % len(with_phone)].phone

    def document(i: int) -> str:
        return with_document[i % len(with_document)].document

    def get(url: str) -> Request:
        return url, None

    scenarios: list[tuple[str, Any, Callable[[int], Request]]] = [
        ("case list, default", supervisor, lambda i: get("/cases/")),
        ("case list, page 20", supervisor, lambda i: get("/cases/?page=20")),
        ("case list, status", supervisor, lambda i: get("/cases/?status=implementation")),
        ("case list, by priority", supervisor, lambda i: get("/cases/?sort=priority")),
        (
            "case list, high + status",
            supervisor,
            lambda i: get("/cases/?priority=high&status=open"),
        ),
        ("case search, name", supervisor, lambda i: ("/cases/", {"name": at(i).name})),
        (
            "case search, case code",
            supervisor,
            lambda i: get(f"/cases/?case_code={at(i).case_code}"),
        ),
        ("case search, phone", supervisor, lambda i: ("/cases/", {"phone": phone(i)})),
        (
            "case search, document",
            supervisor,
            lambda i: ("/cases/", {"document": document(i)}),
        ),
        ("case list, commune", supervisor, lambda i: get(f"/cases/?commune={commune}")),
        ("case list, specific need", supervisor, lambda i: get("/cases/?specific_need=SV")),
        ("people list, default", supervisor, lambda i: get("/people/")),
        ("people search, name", supervisor, lambda i: ("/people/", {"name": at(i).name})),
        ("people search, phone", supervisor, lambda i: ("/people/", {"phone": phone(i)})),
        ("case list, own cases", caseworker, lambda i: get("/cases/")),
        ("case search, own, name", caseworker, lambda i: ("/cases/", {"name": at(i).name})),
    ]
    clients: dict[int, Any] = {}
    results = []
    for label, user, requests in scenarios:
        client = clients.get(user.pk)
        if client is None:
            client = clients[user.pk] = Client()
            client.force_login(user)
            client.cookies["django_language"] = "fr"
        timings, bare_timings, queries = measure(client, requests, args.rounds, BARE)
        p50, p95 = statistics.median(timings), percentile(timings, 0.95)
        bare_p50, bare_p95 = statistics.median(bare_timings), percentile(bare_timings, 0.95)
        results.append((label, p50, p95, bare_p50, bare_p95, queries))

    over = False
    print(
        f"\n{'scenario':<28} {'p50 ms':>7} {'p95 ms':>7} {'bare p50':>8} {'bare p95':>8} "
        f"{'x bare p50':>10} {'x bare p95':>10} {'queries':>7}"
    )
    for label, p50, p95, bare_p50, bare_p95, queries in results:
        ratio = p95 / bare_p95
        flag = ""
        if p95 > BUDGET_MS or ratio > BUDGET_RATIO:
            flag, over = "  over budget", True
        print(
            f"{label:<28} {p50:>7.1f} {p95:>7.1f} {bare_p50:>8.1f} {bare_p95:>8.1f} "
            f"{p50 / bare_p50:>10.2f} {ratio:>10.2f} {queries:>7}{flag}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\npeak RSS of this process {peak:.0f} MB; budget p95 <= {BUDGET_MS:.0f} ms and "
        f"<= {BUDGET_RATIO:.0f}x the bare page"
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
