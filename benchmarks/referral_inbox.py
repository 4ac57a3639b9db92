"""Referral inboxes at scale: server time p50/p95 of the incoming and outgoing inbox pages (and
the home page with its referral counts), each as a ratio to a bare Django page measured in the
same run.

    # a database filled by `kariya generate --people N` (same KARIYA_DATA_DIR: its keys); the
    # script adds referrals in bulk until there are --referrals of them (once; kept after)
    KARIYA_DATA_DIR=/srv/big uv run python benchmarks/referral_inbox.py --referrals 100000
    KARIYA_DATA_DIR=/srv/big DATABASE_URL=postgres://… uv run python benchmarks/referral_inbox.py

The referrals are synthetic rows written with ``core.bulk.insert_rows`` (reason and snapshot
encrypted as the services write them, no events): from the generated cases (their caseworker
refers), to published directory entries (a few are added in bulk when the database has none),
a quarter of them to the measured organisation, in every status (40 % open; waiting ones with
deadlines spread from two weeks ago to two weeks ahead, so part is overdue).

Measured (Django's test client: whole middleware stack, gzip, no network), each scenario's
requests alternating with the bare page ``/accounts/password/`` for the same user:
the receiving focal point's incoming inbox (page 1, page 20, overdue only) and home page; the
busiest referring caseworker's and a supervisor's outgoing inbox.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from case_search import BARE, measure, percentile, setup  # noqa: E402

BUDGET_MS = 100.0
BUDGET_RATIO = 3.0
STATUSES = (
    ("completed", 30),
    ("declined", 10),
    ("cancelled", 8),
    ("no_show", 4),
    ("draft", 8),
    ("sent", 15),
    ("acknowledged", 8),
    ("accepted", 9),
    ("in_progress", 8),
)


def ensure_services(rng: random.Random) -> list[Any]:
    """Published entries to refer to, with a service focal point to answer (added in bulk, one
    per organisation that has a focal point, when there are none)."""
    from kariya.accounts.models import User
    from kariya.codelists.models import Code
    from kariya.core.bulk import insert_rows
    from kariya.directory.models import Service
    from kariya.geo.models import AdminUnit

    focal = {}
    for user in User.objects.filter(roles__role="service_focal_point", is_active=True).order_by(
        "id"
    ):
        focal.setdefault(user.organisation_id, user)
    services = list(Service.objects.published().filter(organisation_id__in=focal))
    if services:
        return services
    types = list(Code.objects.filter(list="service_type").order_by("id"))
    communes = list(AdminUnit.objects.filter(level=3).select_related("parent").order_by("id"))
    rows = []
    now = datetime.datetime.now(datetime.UTC)
    for org_id, user in sorted(focal.items()):
        for i in range(3):
            commune = rng.choice(communes)
            rows.append(
                {
                    "organisation_id": org_id,
                    "service_type_id": types[(org_id + i) % len(types)].pk,
                    "name_fr": f"Service de référence {org_id}-{i}",
                    "commune_id": commune.pk,
                    "region_id": commune.parent.parent_id,
                    "focal_point_id": user.pk,
                    "status": "published",
                    "published_at": now,
                    "last_verified_at": now,
                }
            )
    insert_rows(Service, rows)
    return list(Service.objects.published().filter(organisation_id__in=focal))


def fill(total: int, org_id: int, rng: random.Random) -> int:
    from django.db import transaction

    from kariya.cases.models import Case
    from kariya.core.bulk import insert_rows
    from kariya.referrals.models import DEADLINES, Referral

    have = Referral.objects.count()
    if have >= total:
        return 0
    services = ensure_services(rng)
    mine = [s for s in services if s.organisation_id == org_id]
    others = [s for s in services if s.organisation_id != org_id] or mine
    cases = list(
        Case.objects.order_by("id").values_list(
            "id", "organisation_id", "caseworker_id", "person__case_code", "person__sex"
        )[:200_000]
    )
    statuses = [s for s, w in STATUSES for _ in range(w)]
    now = datetime.datetime.now(datetime.UTC)
    made = 0
    batch = 5_000
    while have + made < total:
        rows = []
        for _ in range(min(batch, total - have - made)):
            case_id, case_org, caseworker_id, code, sex = rng.choice(cases)
            pool = mine if (mine and rng.random() < 0.25) else others
            service = rng.choice(pool)
            status = rng.choice(statuses)
            priority = rng.choice(("emergency", "urgent", "normal", "normal"))
            created = now - datetime.timedelta(minutes=rng.randint(60, 365 * 24 * 60))
            if status in ("sent", "acknowledged"):
                created = now - datetime.timedelta(minutes=rng.randint(60, 28 * 24 * 60))
            sent = None if status == "draft" else created
            rows.append(
                {
                    "organisation_id": case_org,
                    "case_id": case_id,
                    "referred_by_id": caseworker_id,
                    "service_id": service.pk,
                    "to_organisation_id": service.organisation_id,
                    "receiving_focal_point_id": service.focal_point_id,
                    "priority": priority,
                    "reason": "Besoin de soins (synthétique)",
                    "shared_fields": [],
                    "shared_data": json.dumps({"case_code": code, "sex": sex, "age": 30}),
                    "status": status,
                    "is_open": status in ("sent", "acknowledged", "accepted", "in_progress"),
                    "sent_at": sent,
                    "deadline": sent + DEADLINES[priority] if sent else None,
                    "closed_at": created + datetime.timedelta(days=3)
                    if status in ("completed", "declined", "cancelled", "no_show")
                    else None,
                    "created_at": created,
                    "updated_at": created,
                    "created_by_id": caseworker_id,
                    "updated_by_id": caseworker_id,
                }
            )
        with transaction.atomic():
            insert_rows(Referral, rows)
        made += len(rows)
        print(f"  {have + made:,} referrals", flush=True)
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from kariya.accounts.models import User
    from kariya.referrals.models import Referral

    rng = random.Random(args.seed)
    focal = (
        User.objects.filter(roles__role="service_focal_point", is_active=True)
        .order_by("id")
        .first()
    )
    if focal is None:
        raise SystemExit("no service focal point in this database")
    start = time.perf_counter()
    made = fill(args.referrals, focal.organisation_id, rng)
    if made:
        print(f"added {made:,} referrals in {time.perf_counter() - start:.0f} s")
    busiest = (
        Referral.objects.order_by()
        .values("referred_by_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    caseworker = User.objects.get(pk=busiest["referred_by_id"])
    supervisor = (
        User.objects.filter(
            organisation_id=caseworker.organisation_id, roles__role="supervisor", is_active=True
        )
        .order_by("id")
        .first()
    )
    incoming = Referral.objects.filter(to_organisation_id=focal.organisation_id)
    print(
        f"database: {connection.vendor}; {Referral.objects.count():,} referrals; the receiving "
        f"organisation has {incoming.count():,} ({incoming.open().count():,} open, "
        f"{incoming.overdue().count():,} overdue); the caseworker sent "
        f"{busiest['n']:,}; the supervisor's organisation "
        f"{Referral.objects.filter(organisation_id=caseworker.organisation_id).count():,}"
    )
    scenarios = [
        ("incoming, page 1", focal, "/referrals/incoming/"),
        ("incoming, page 20", focal, "/referrals/incoming/?page=20"),
        ("incoming, overdue", focal, "/referrals/incoming/?overdue=1"),
        ("home, focal point", focal, "/"),
        ("outgoing, caseworker", caseworker, "/referrals/outgoing/"),
    ]
    if supervisor is not None:
        scenarios += [
            ("outgoing, supervisor", supervisor, "/referrals/outgoing/"),
            ("outgoing, supervisor p20", supervisor, "/referrals/outgoing/?page=20"),
        ]
    results = []
    for label, user, url in scenarios:
        client = Client()
        client.force_login(user)
        client.cookies["django_language"] = "fr"
        timings, bare, queries = measure(client, lambda i, url=url: (url, None), args.rounds, BARE)
        results.append(
            (label, statistics.median(timings), percentile(timings, 0.95),
             statistics.median(bare), percentile(bare, 0.95), queries)
        )  # fmt: skip
    over = False
    print(
        f"\n{'scenario':<26} {'p50 ms':>7} {'p95 ms':>7} {'bare p50':>8} {'bare p95':>8} "
        f"{'x bare p50':>10} {'x bare p95':>10} {'queries':>7}"
    )
    for label, p50, p95, bare_p50, bare_p95, queries in results:
        ratio = p95 / bare_p95
        flag = ""
        if p95 > BUDGET_MS or ratio > BUDGET_RATIO:
            flag, over = "  over budget", True
        print(
            f"{label:<26} {p50:>7.1f} {p95:>7.1f} {bare_p50:>8.1f} {bare_p95:>8.1f} "
            f"{p50 / bare_p50:>10.2f} {ratio:>10.2f} {queries:>7}{flag}"
        )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
