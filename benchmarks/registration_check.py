"""Registration-time check at scale: p50/p95/p99 server time of the candidate search (keys →
candidates → scoring), of the network signal, and of the whole check endpoint.

    # a database filled by `kariya generate --people N` (same KARIYA_DATA_DIR: its keys);
    # one generated before the match keys existed needs `kariya rebuild-match-keys` first
    KARIYA_DATA_DIR=/srv/big uv run python benchmarks/registration_check.py              # SQLite
    KARIYA_DATA_DIR=/srv/big DATABASE_URL=postgres://postgres@127.0.0.1:5432/kariya_big \\
        uv run python benchmarks/registration_check.py                          # PostgreSQL

Actor: a caseworker of the organisation with the most people. Drafts, in turn: (1) a person of
that organisation typed again as a caseworker would at a second registration (a spelling
variant of the given name when the dictionary knows one, names swapped one time in four, the
year one off, the phone in another written form); (2) the same for a person of another
organisation (what the network signal is for); (3) a new person: the given name of one sampled
person with the family name of another. Names, phones and years come from decrypted identities
of the generated data (the benchmark reads its synthetic data directly; what it measures goes
through the selectors and, for the endpoint, the whole request: middleware, access gate,
audit inserts, template).

Target (issue 5): p95 <= 50 ms for the candidate search at 1 M persons, on SQLite and on
PostgreSQL, identities encrypted.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from case_search import setup  # noqa: E402 - the benchmarks' one Django set-up

TARGET_MS = 50.0
VARIANTS = {
    "mahamadou": "Mohamed",
    "mohamed": "Mahamadou",
    "moussa": "Musa",
    "abdoulaye": "Abdullahi",
    "aissa": "Aïcha",
    "aicha": "Aïssa",
    "fatouma": "Fatimata",
    "ibrahim": "Brahim",
    "oumarou": "Umar",
    "ousmane": "Usman",
    "boubacar": "Aboubacar",
    "mariama": "Maryam",
    "hadiza": "Khadija",
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _people(org_id: int, count: int, rng: random.Random, *, other: bool) -> list[Any]:
    """Random persons of the organisation (or of the others) with their identity, by id."""
    from django.db.models import Max, Min

    from kariya.people.models import Identity, Person

    scope = Person.objects.exclude(organisation_id=org_id) if other else Person.objects
    if not other:
        scope = scope.filter(organisation_id=org_id)
    bounds = scope.aggregate(lo=Min("id"), hi=Max("id"))
    if bounds["lo"] is None:
        return []
    found: list[Any] = []
    seen: set[int] = set()
    for _attempt in range(count * 20):
        if len(found) == count:
            break
        pivot = rng.randint(bounds["lo"], bounds["hi"])
        person = scope.filter(id__gte=pivot).order_by("id").first()
        if person is None or person.pk in seen:
            continue
        seen.add(person.pk)
        identity = Identity.objects.get(person_id=person.pk)
        if identity.given_names or identity.family_names:
            found.append((person, identity))
    return found


def _retyped(person: Any, identity: Any, rng: random.Random) -> Any:
    from kariya.matching.names import fold_name
    from kariya.people.selectors import RegistrationDraft

    given = identity.given_names
    first = fold_name(given.split()[0]) if given else ""
    if first in VARIANTS:
        given = " ".join([VARIANTS[first], *given.split()[1:]])
    family = identity.family_names
    if rng.random() < 0.25:
        given, family = family, given
    phones = identity.phone_list[:1]
    if phones and phones[0].startswith("+227"):
        digits = phones[0][4:]
        phones = [f"00227 {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}"]
    return RegistrationDraft(
        given_names=given,
        family_names=family,
        phone_numbers=tuple(phones),
        birth_year=person.birth_year + rng.choice((-1, 0, 0, 1)),
        sex=person.sex,
    )


def drafts(org_id: int, count: int, rng: random.Random) -> list[tuple[str, Any]]:
    from kariya.people.selectors import RegistrationDraft

    own = _people(org_id, count, rng, other=False)
    others = _people(org_id, count, rng, other=True)
    out: list[tuple[str, Any]] = []
    for i in range(count):
        kind = i % 3
        if kind == 0 and own:
            person, identity = own[i % len(own)]
            out.append(("own", _retyped(person, identity, rng)))
        elif kind == 1 and others:
            person, identity = others[i % len(others)]
            out.append(("other", _retyped(person, identity, rng)))
        else:
            (a, ia), (_b, ib) = rng.choice(own), rng.choice(own)
            given = ia.given_names.split()[0] if ia.given_names else ""
            out.append(
                (
                    "new",
                    RegistrationDraft(
                        given_names=given,
                        family_names=ib.family_names,
                        birth_year=a.birth_year,
                        sex=a.sex,
                    ),
                )
            )
    return out


def timed(run: Callable[[Any], Any], items: list[Any]) -> tuple[list[float], list[Any]]:
    for item in items[:3]:  # warm the caches a running server would have warm
        run(item)
    timings, results = [], []
    for item in items:
        start = time.perf_counter()
        results.append(run(item))
        timings.append((time.perf_counter() - start) * 1000)
    return timings, results


def _form(draft: Any) -> dict[str, str]:
    return {
        "given_names": draft.given_names,
        "family_names": draft.family_names,
        "phone_numbers": "\n".join(draft.phone_numbers),
        "birth_year": str(draft.birth_year or ""),
        "sex": draft.sex,
        "documents-TOTAL_FORMS": "0",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300, help="drafts per scenario")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kariya.accounts.models import User
    from kariya.people import selectors
    from kariya.people.models import Person, PersonSearchKey, SearchKind

    rng = random.Random(args.seed)
    top = (
        Person.objects.order_by()
        .values("organisation_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if top is None:
        raise SystemExit("no person in this database: run `kariya generate --people N` first")
    org_id = top["organisation_id"]
    if not PersonSearchKey.objects.filter(kind=SearchKind.MATCH_NAME).exists():
        raise SystemExit("no match keys: run `kariya rebuild-match-keys` first")
    actor = (
        User.objects.filter(organisation_id=org_id, roles__role="caseworker", is_active=True)
        .order_by("id")
        .first()
    )
    if actor is None:
        raise SystemExit("the biggest organisation has no caseworker")
    print(
        f"database: {connection.vendor}; {Person.objects.count():,} persons, "
        f"{PersonSearchKey.objects.count():,} search and match keys; organisation #{org_id} "
        f"has {top['n']:,} persons"
    )
    items = drafts(org_id, args.rounds, rng)
    draft_list = [d for _k, d in items]
    client = Client()
    client.force_login(actor)
    client.cookies["django_language"] = "fr"

    def endpoint(draft: Any) -> Any:
        response = client.post("/people/new/check/", _form(draft), HTTP_HX_REQUEST="true")
        if response.status_code != 200:
            raise SystemExit(f"check endpoint: HTTP {response.status_code}")
        return response

    scenarios: list[tuple[str, Callable[[Any], Any]]] = [
        (
            "candidates (keys, SQL, scoring)",
            lambda d: selectors.registration_candidates(actor=actor, draft=d),
        ),
        ("network signal", lambda d: selectors.network_signal(actor=actor, draft=d)),
        ("whole check (page endpoint)", endpoint),
    ]
    rows = []
    found: dict[str, Any] = {}
    for label, run in scenarios:
        timings, results = timed(run, draft_list)
        with CaptureQueriesContext(connection) as queries:
            run(draft_list[0])
        rows.append((label, timings, len(queries.captured_queries)))
        found[label] = results
    print(f"\n{'scenario':<34} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'queries':>7}")
    over = False
    for label, timings, queries in rows:
        p95 = percentile(timings, 0.95)
        flag = "  over target" if p95 > TARGET_MS and label.startswith("candidates") else ""
        over = over or bool(flag)
        print(
            f"{label:<34} {statistics.median(timings):>7.1f} {p95:>7.1f} "
            f"{percentile(timings, 0.99):>7.1f} {queries:>7}{flag}"
        )
    candidates = found["candidates (keys, SQL, scoring)"]
    signals = found["network signal"]
    for kind in ("own", "other", "new"):
        picked = [i for i, (k, _d) in enumerate(items) if k == kind]
        with_candidate = sum(1 for i in picked if candidates[i])
        with_signal = sum(1 for i in picked if signals[i])
        print(
            f"drafts '{kind}': {len(picked)}, with a candidate shown {with_candidate}, "
            f"with a network signal {with_signal}"
        )
    print(f"\nload average {os.getloadavg()[0]:.1f}; target p95 <= {TARGET_MS:.0f} ms")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
